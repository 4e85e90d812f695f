//===- ConfigCheck.h - the configuration, checked before analysis -*- C++ -*-//
//
// clang-tidy reads its configuration per file, as each file's analysis
// starts: a .clang-tidy it cannot parse is skipped for its defaults, an
// unknown check or option is ignored, and a sendsync option's bad value is
// found by the checks once they run. sendsync-tidy reads every configuration
// the files use first, with clang-tidy's own parser and the sendsync checks'
// option readers, and stops before any analysis on what would change the
// checks that run, naming the file and line.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_CONFIGCHECK_H
#define SENDSYNC_TOOLS_CONFIGCHECK_H

#include "Options.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sendsync::tidy {

/// Which checks run on a file, and whether anything chose them: the command
/// line's --checks, the Checks of a --config/--config-file, or of the
/// .clang-tidy files that govern the file (InheritParentConfig followed, as
/// clang-tidy does). clang-tidy's own default (clang-diagnostic-*,
/// clang-analyzer-*) is not sendsync-tidy's: where nothing names checks,
/// sendsync-* runs.
class CheckChoice {
public:
  static constexpr llvm::StringLiteral DefaultArg = "--checks=-*,sendsync-*";

  explicit CheckChoice(const Options &O);

  /// Whether nothing chooses the checks for \p File, so that DefaultArg
  /// must be passed.
  bool needsDefault(llvm::StringRef File);

  /// The checks that run on \p File, as clang-tidy merges them.
  std::string effectiveChecks(llvm::StringRef File);

  /// Whether \p Checks enables at least one sendsync check.
  bool enablesSendSync(llvm::StringRef Checks) const;

private:
  std::string fileChecks(llvm::StringRef File);

  std::optional<std::string> CommandLine, OverrideChecks;
  bool HasOverride = false;
  std::unique_ptr<clang::tidy::FileOptionsProvider> Files;
  std::vector<std::string> SendSyncChecks;
};

/// Checks every configuration \p Files use (--config, --config-file, or each
/// .clang-tidy and those it inherits from) and the command line's --checks:
/// that it parses, names known checks and options, and gives each sendsync
/// option a value the checks accept. Says on stderr where the checks
/// configured for a file include no sendsync check. Returns ExitUsage,
/// having named each problem's file and line, if the run must stop. With
/// \p OnlyParse, only whether each configuration parses: clang-tidy's
/// printing modes and --fix answer for the rest themselves.
std::optional<int> checkConfiguration(const Options &O,
                                      llvm::ArrayRef<std::string> Files,
                                      CheckChoice &Checks,
                                      bool OnlyParse = false);

} // namespace sendsync::tidy

#endif
