//===- Report.h - what a run found, and its exit code -----------*- C++ -*-===//
//
// The workers' findings, merged in file order (so the output does not depend
// on -j), less what the baseline accepts, written as text, SARIF or
// --export-fixes YAML; then the summary and the exit code docs/ci.md
// documents.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_REPORT_H
#define SENDSYNC_TOOLS_REPORT_H

#include "Baseline.h"
#include "Options.h"
#include "llvm/ADT/ArrayRef.h"
#include <optional>
#include <string>
#include <vector>

namespace sendsync::tidy {

/// One worker's run over one file.
struct JobResult {
  std::string File;
  /// The worker's files: Base.yaml (its findings), Base.err (its stderr),
  /// Base.stats (what its checks counted).
  std::string Base;
  /// The worker's exit code; negative if it crashed, with Why.
  int ExitCode = 0;
  std::string Why;
};

/// Where findings the project already accepts are recorded (--baseline).
struct AcceptedFindings {
  std::optional<Baseline> Recorded;
  /// The directory the baseline's paths are relative to.
  std::string Root;
};

/// Reports what \p Jobs found, as \p O asks, and returns the run's exit
/// code. \p CommandLine is recorded in a SARIF log.
int report(const Options &O, llvm::ArrayRef<JobResult> Jobs,
           AcceptedFindings &Accepted, llvm::ArrayRef<std::string> CommandLine);

} // namespace sendsync::tidy

#endif
