//===- Driver.h - sendsync-tidy's command line ------------------*- C++ -*-===//
//
// sendsync-tidy takes clang-tidy's command line and adds what a CI lint step
// needs: every translation unit of a compile database in parallel, findings
// from shared headers reported once, SARIF output, baselines, sharding, and
// exit codes that tell bad input apart from findings.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_DRIVER_H
#define SENDSYNC_TOOLS_DRIVER_H

namespace sendsync::tidy {

/// Exit codes. Documented in docs/ci.md; scripts depend on them.
enum ExitCode : int {
  /// Nothing to report (or only findings recorded in the baseline).
  ExitClean = 0,
  /// New findings: with --baseline any, otherwise those that
  /// --warnings-as-errors promoted to errors (as clang-tidy does).
  ExitFindings = 1,
  /// Bad command line or configuration: an unknown option, an unknown check
  /// or check option, an invalid option value, an unreadable baseline.
  ExitUsage = 2,
  /// No compile database where one is needed, or it cannot be read.
  ExitNoCompileDatabase = 3,
  /// A file named on the command line is not in the compile database.
  ExitNotInCompileDatabase = 4,
  /// Some code did not compile: the findings of those files are incomplete.
  ExitCompileErrors = 5,
  /// The analysis of some translation unit failed (crashed): its findings
  /// are missing.
  ExitInternalError = 6,
};

/// Runs sendsync-tidy on its command line.
int runDriver(int Argc, const char **Argv);

/// Runs clang-tidy's own driver in this process, with the sendsync module.
int runClangTidy(int Argc, const char **Argv);

} // namespace sendsync::tidy

#endif
