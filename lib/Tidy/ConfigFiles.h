//===- ConfigFiles.h - the .clang-tidy files a run reads --------*- C++ -*-===//
//
// clang-tidy takes a .clang-tidy file it cannot parse for no file at all: it
// prints "Error parsing ..." and runs its defaults, other checks and options
// than the user wrote, and exits 0. sendsync reads the same files first and
// makes a file that does not parse a configuration error: sendsync-tidy
// stops before any analysis, the plugin's checks report it as an error.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TIDY_CONFIGFILES_H
#define SENDSYNC_TIDY_CONFIGFILES_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/SourceMgr.h"
#include <string>

namespace clang::tidy::sendsync {

/// The nearest .clang-tidy in \p Dir or a directory above it, or "".
std::string nearestConfig(llvm::StringRef Dir);

/// Parses the .clang-tidy files clang-tidy reads for \p File (the nearest at
/// or above its directory, then each one it inherits from), skipping those
/// in \p Seen and adding the rest. \p Problem gets each parse error (with
/// its file, line and column) and each file that cannot be read. Returns
/// false if there was any.
bool readConfigFiles(llvm::StringRef File, llvm::StringSet<> &Seen,
                     llvm::function_ref<void(const llvm::SMDiagnostic &)> Problem);

/// Whether this process's command line replaces the .clang-tidy files with
/// --config or --config-file (read from /proc/self/cmdline: a check cannot
/// see the command line otherwise).
bool commandLineHasConfig();

} // namespace clang::tidy::sendsync

#endif // SENDSYNC_TIDY_CONFIGFILES_H
