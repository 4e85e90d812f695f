//===- Workers.h - the processes that analyse the files ---------*- C++ -*-===//
//
// Every analysis runs in a child process (this binary again, in worker mode,
// as plain clang-tidy writing --export-fixes YAML), the way run-clang-tidy
// does it: translation units run in parallel, and one that crashes costs its
// own findings, not the whole run.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_WORKERS_H
#define SENDSYNC_TOOLS_WORKERS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include <mutex>
#include <string>

namespace sendsync::tidy {

/// Runs \p Program with \p Args, its stdout and stderr to files. Returns the
/// exit code, or -2 for a crash (as ExecuteAndWait does), with \p Why set.
int runProcess(llvm::StringRef Program, llvm::ArrayRef<std::string> Args,
               llvm::StringRef Stdout, llvm::StringRef Stderr,
               std::string &Why);

/// The text of \p Path, or "" if it cannot be read.
std::string readFile(llvm::StringRef Path);

/// The last \p Lines lines of \p Text, indented, to quote a failure.
std::string tail(llvm::StringRef Text, unsigned Lines);

/// Calls \p Fn once with each index below \p Count, on \p Threads threads
/// (the calling one among them); returns when all have returned.
void forEachInParallel(size_t Count, unsigned Threads,
                       llvm::function_ref<void(size_t)> Fn);

/// Shows how far the run is: on a terminal one line `[done/total] file`,
/// rewritten in place; elsewhere, with --progress, one such line per file.
class Progress {
public:
  Progress(size_t Total, bool Force, bool Quiet);
  /// \p File is done; called from any worker thread.
  void done(llvm::StringRef File);

private:
  std::mutex Lock;
  size_t Total;
  size_t Done = 0;
  bool Show = false;
  bool Terminal = false;
};

} // namespace sendsync::tidy

#endif
