//===- Driver.cpp - sendsync-tidy's command line --------------------------===//
//
// The run in order: read the command line (Options), find the files
// (CompileDatabase), check the configuration (ConfigCheck) and the baseline,
// all before any analysis, so that bad input fails fast with its own exit
// code; then analyse each file in a worker process (Workers) and merge what
// they found (Report).
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "CompileDatabase.h"
#include "ConfigCheck.h"
#include "Options.h"
#include "Report.h"
#include "Workers.h"
#include "clang-tidy/tool/ClangTidyMain.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <stdlib.h>
#include <thread>

using namespace llvm;

namespace sendsync::tidy {

// Marks a child process: it runs clang-tidy's driver unchanged.
static constexpr StringLiteral WorkerFlag = "--sendsync-worker";
/// A worker's second argument: the file its checks append their counts to.
static constexpr StringLiteral StatsFlag = "--sendsync-stats=";
static constexpr const char *StatsEnv = "SENDSYNC_STATS_FILE";

int runClangTidy(int Argc, const char **Argv) {
  // clang finds its builtin headers (stddef.h, ...) relative to the running
  // binary; this one is not installed next to them, so name them, unless the
  // user already did.
  std::vector<const char *> Args(Argv, Argv + Argc);
  bool HasResourceDir =
      llvm::any_of(ArrayRef(Argv + 1, Argv + Argc), [](const char *A) {
        return StringRef(A).contains("-resource-dir");
      });
  static const std::string ResourceArg =
      std::string("--extra-arg-before=-resource-dir=") +
      SENDSYNC_CLANG_RESOURCE_DIR;
  if (!HasResourceDir)
    Args.insert(Args.begin() + 1, ResourceArg.c_str());
  return clang::tidy::clangTidyMain(static_cast<int>(Args.size()), Args.data());
}

namespace {

raw_ostream &error() { return WithColor::error(errs(), "sendsync-tidy"); }

class Driver {
public:
  Driver(std::string Self, std::vector<std::string> CommandLine)
      : Self(std::move(Self)), CommandLine(std::move(CommandLine)) {}

  int main(ArrayRef<const char *> Argv);

private:
  int runDirectly();
  std::optional<int> readBaseline();
  int analyse();

  std::string Self;
  std::vector<std::string> CommandLine;
  Options O;
  std::vector<std::string> Files;
  std::unique_ptr<CheckChoice> Checks;
  AcceptedFindings Accepted;
};

int Driver::main(ArrayRef<const char *> Argv) {
  if (std::optional<int> Error = parseCommandLine(Argv, O))
    return *Error;

  if (O.Help) {
    outs() << OwnOptionHelp;
    outs().flush();
    const char *HelpArgs[] = {Self.c_str(), "--help"};
    return runClangTidy(2, HelpArgs);
  }
  if (O.Informational || O.Fix)
    return runDirectly();

  if (std::optional<int> Error = resolveFiles(O, Files))
    return *Error;
  Checks = std::make_unique<CheckChoice>(O);
  if (std::optional<int> Error = checkConfiguration(O, Files, *Checks))
    return *Error;
  if (std::optional<int> Error = readBaseline())
    return *Error;
  return analyse();
}

// Printing modes and --fix run clang-tidy itself, in this process: --fix must
// apply each fix once, which one process over all files does.
int Driver::runDirectly() {
  if (O.HasOwnOptions) {
    error() << "'--fix' and the printing options (--list-checks, "
               "--dump-config, ...) run clang-tidy directly and take none "
               "of --format, --output, --baseline, --baseline-write, -j, "
               "--shard or --progress\n";
    return ExitUsage;
  }
  if (O.Fix)
    if (std::optional<int> Error = resolveFiles(O, Files))
      return *Error;
  Checks = std::make_unique<CheckChoice>(O);
  if (!O.Version)
    if (std::optional<int> Error =
            checkConfiguration(O, Files, *Checks, /*OnlyParse=*/true))
      return *Error;
  if (O.Version)
    outs() << "sendsync " << SENDSYNC_VERSION << " (sendsync-tidy: clang-tidy "
           << SENDSYNC_LLVM_MAJOR << " with the sendsync checks)\n";
  std::vector<const char *> Direct;
  Direct.push_back(Self.c_str());
  // Where nothing chooses the checks for any file named (or, with none, for
  // the current directory), sendsync's run.
  if (Files.empty() ? Checks->needsDefault("dummy.cpp")
                    : llvm::all_of(Files, [&](const std::string &F) {
                        return Checks->needsDefault(F);
                      }))
    Direct.push_back(CheckChoice::DefaultArg.data());
  for (size_t I = 1; I < CommandLine.size(); ++I)
    Direct.push_back(CommandLine[I].c_str());
  return runClangTidy(Direct.size(), Direct.data());
}

// The baseline is read before any analysis, so that a bad one fails fast.
std::optional<int> Driver::readBaseline() {
  if (O.BaselineFile.empty())
    return std::nullopt;
  if (!sys::fs::exists(O.BaselineFile)) {
    error() << "cannot read baseline '" << O.BaselineFile
            << "': no such file (create it with --baseline-write)\n";
    return ExitUsage;
  }
  Expected<Baseline> B = Baseline::read(O.BaselineFile);
  if (!B) {
    error() << toString(B.takeError()) << "\n";
    return ExitUsage;
  }
  Accepted.Recorded = std::move(*B);
  Accepted.Root = Baseline::rootFor(O.BaselineFile);
  return std::nullopt;
}

int Driver::analyse() {
  SmallString<128> TempDir;
  if (std::error_code EC =
          sys::fs::createUniqueDirectory("sendsync-tidy", TempDir)) {
    error() << "cannot create a temporary directory: " << EC.message() << "\n";
    return ExitInternalError;
  }
  std::vector<JobResult> Jobs(Files.size());
  std::vector<bool> DefaultChecks(Files.size());
  for (size_t I = 0; I < Files.size(); ++I) {
    Jobs[I].File = Files[I];
    Jobs[I].Base = (TempDir + "/" + std::to_string(I)).str();
    DefaultChecks[I] = Checks->needsDefault(Files[I]);
  }

  // The workers are given the command line as it was written, less the
  // files: each reads it with the same options registered.
  std::vector<std::string> Common = {Self, WorkerFlag.str(), "--quiet"};
  append_range(Common, O.Forward);
  Progress Shown(Jobs.size(), O.ForceProgress, O.Quiet);
  forEachInParallel(
      Jobs.size(), O.Jobs ? O.Jobs : std::thread::hardware_concurrency(),
      [&](size_t I) {
        JobResult &J = Jobs[I];
        std::vector<std::string> Args = Common;
        Args.insert(Args.begin() + 2, (StatsFlag + J.Base + ".stats").str());
        Args.push_back("--export-fixes=" + J.Base + ".yaml");
        if (DefaultChecks[I])
          Args.push_back(CheckChoice::DefaultArg.str());
        Args.push_back(J.File);
        if (O.HasFixedFlags) {
          Args.push_back("--");
          append_range(Args, O.FixedFlags);
        }
        J.ExitCode =
            runProcess(Self, Args, "/dev/null", J.Base + ".err", J.Why);
        Shown.done(J.File);
      });

  int Result = report(O, Jobs, Accepted, CommandLine);
  sys::fs::remove_directories(TempDir);
  return Result;
}

} // namespace

int runDriver(int Argc, const char **Argv) {
  if (Argc > 1 && StringRef(Argv[1]) == WorkerFlag) {
    std::vector<const char *> Args(Argv, Argv + Argc);
    Args.erase(Args.begin() + 1);
    // Where the checks count what they saw (SendSyncCheck.cpp).
    if (Args.size() > 1 && StringRef(Args[1]).starts_with(StatsFlag)) {
      ::setenv(StatsEnv,
               StringRef(Args[1]).drop_front(StatsFlag.size()).str().c_str(),
               1);
      Args.erase(Args.begin() + 1);
    }
    return runClangTidy(Args.size(), Args.data());
  }
  std::string Self =
      sys::fs::getMainExecutable(Argv[0], reinterpret_cast<void *>(&runDriver));
  std::vector<std::string> CommandLine(Argv, Argv + Argc);
  Driver D(Self, CommandLine);
  return D.main(ArrayRef(Argv, Argv + Argc));
}

} // namespace sendsync::tidy
