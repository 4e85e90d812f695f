//===- Options.h - sendsync-tidy's command line -----------------*- C++ -*-===//
//
// The command line is read with llvm::cl, as clang-tidy reads it: clang-tidy's
// own options are registered in this binary (ClangTidyMain.cpp), sendsync-
// tidy's are added beside them, so one parser knows both, rejects what
// neither has and suggests the nearest spelling.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_OPTIONS_H
#define SENDSYNC_TOOLS_OPTIONS_H

#include "llvm/ADT/ArrayRef.h"
#include <optional>
#include <string>
#include <vector>

namespace sendsync::tidy {

enum class Format { Text, Sarif };

/// What a run was asked to do.
struct Options {
  // sendsync-tidy's own.
  Format Fmt = Format::Text;
  std::string Output;
  std::string BaselineFile;
  std::string BaselineWrite;
  unsigned Jobs = 0;
  unsigned ShardIndex = 1, ShardCount = 1;
  bool ForceProgress = false;
  /// Whether any of the above was given: --fix and the printing options
  /// take none of them.
  bool HasOwnOptions = false;

  // clang-tidy's, as far as the driver acts on them.
  std::string BuildPath;
  std::string ExportFixes;
  /// --checks, --config and --config-file, where given (clang-tidy takes
  /// the last of each).
  std::optional<std::string> Checks, Config, ConfigFile;
  bool Quiet = false;
  bool Fix = false;
  /// A printing option (--list-checks, --dump-config, --version, ...): the
  /// run is clang-tidy's own.
  bool Informational = false;
  bool Version = false;
  bool Help = false;
  /// Whether compiler flags follow '--', and those flags.
  bool HasFixedFlags = false;
  std::vector<std::string> FixedFlags;
  std::vector<std::string> Files;
  /// The command line less the files and what follows '--': passed to every
  /// worker, which reads it with the same options registered.
  std::vector<std::string> Forward;

  bool hasConfigOverride() const { return Config || ConfigFile; }
};

/// The text --help prints before clang-tidy's own help.
extern const char *const OwnOptionHelp;

/// Reads \p Argv (with the program name first) into \p O. Returns an exit
/// code when the command line is wrong, having said why.
std::optional<int> parseCommandLine(llvm::ArrayRef<const char *> Argv,
                                    Options &O);

} // namespace sendsync::tidy

#endif
