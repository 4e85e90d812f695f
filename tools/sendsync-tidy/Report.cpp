//===- Report.cpp - what a run found, and its exit code -------------------===//

#include "Report.h"
#include "Driver.h"
#include "Findings.h"
#include "Sarif.h"
#include "Workers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace sendsync::tidy {

namespace {

raw_ostream &error() { return WithColor::error(errs(), "sendsync-tidy"); }

/// Everything the workers left, merged.
struct Collected {
  std::vector<Finding> All;
  /// Analyses that failed: their findings are missing.
  std::vector<std::string> Failures;
  /// A worker that found no check enabled (a configuration problem).
  bool NoChecks = false;
  /// Thread starts the checks judged over all files; whether any worker's
  /// sendsync checks ran at all.
  unsigned Crossings = 0;
  bool SawStats = false;
};

// "crossings N" lines, one per translation unit the checks judged.
void readStats(StringRef Path, Collected &C) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Stats = MemoryBuffer::getFile(Path);
  if (!Stats)
    return;
  C.SawStats = true;
  SmallVector<StringRef> Lines;
  (*Stats)->getBuffer().split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef L : Lines) {
    unsigned N = 0;
    if (L.consume_front("crossings ") && !L.trim().getAsInteger(10, N))
      C.Crossings += N;
  }
}

Collected collect(ArrayRef<JobResult> Jobs) {
  Collected C;
  SourceCache Sources;
  for (const JobResult &J : Jobs) {
    size_t Before = C.All.size();
    readStats(J.Base + ".stats", C);
    if (Error E = readExportedFindings(J.Base + ".yaml", Sources, C.All)) {
      C.Failures.push_back("reading the findings for '" + J.File +
                           "' failed: " + toString(std::move(E)));
      continue;
    }
    if (J.ExitCode < 0) {
      C.Failures.push_back("the analysis of '" + J.File + "' failed (" + J.Why +
                           "); its findings are missing:\n" +
                           tail(readFile(J.Base + ".err"), 20));
      continue;
    }
    // A worker fails when --warnings-as-errors promotes a finding, or code
    // does not compile: both are among its findings. Anything else is a
    // failure of its own.
    bool ReportedErrors =
        llvm::any_of(ArrayRef(C.All).drop_front(Before),
                     [](const Finding &F) { return F.isError(); });
    if (J.ExitCode == 0 || ReportedErrors)
      continue;
    std::string Err = readFile(J.Base + ".err");
    if (StringRef(Err).contains("no checks enabled")) {
      C.NoChecks = true;
      C.Failures.push_back("no checks are enabled for '" + J.File +
                           "': check --checks and the .clang-tidy files");
    } else {
      C.Failures.push_back("the analysis of '" + J.File + "' failed (exit " +
                           std::to_string(J.ExitCode) + "):\n" + tail(Err, 20));
    }
  }
  sortAndDeduplicate(C.All);
  return C;
}

// Writes Out to Path, or says why it cannot.
bool writeTo(StringRef Path, function_ref<void(raw_ostream &)> Out) {
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC) {
    error() << "cannot write '" << Path << "': " << EC.message() << "\n";
    return false;
  }
  Out(OS);
  return true;
}

} // namespace

int report(const Options &O, ArrayRef<JobResult> Jobs,
           AcceptedFindings &Accepted, ArrayRef<std::string> CommandLine) {
  Collected C = collect(Jobs);

  // Split: what the baseline accepts, and what is reported.
  std::string Cwd = absolutePath(".");
  std::vector<Finding> Reported;
  unsigned Baselined = 0, NewFindings = 0;
  bool CompileErrors = false, ConfigErrors = false, PromotedErrors = false;
  for (const Finding &F : C.All) {
    CompileErrors |= F.isCompileError();
    ConfigErrors |= F.isConfigError();
    if (!F.isCompileError() && !F.isConfigError()) {
      if (Accepted.Recorded && Accepted.Recorded->take(F, Accepted.Root)) {
        ++Baselined;
        continue;
      }
      ++NewFindings;
      PromotedErrors |= F.isPromotedWarning();
    }
    Reported.push_back(F);
  }

  if (!O.BaselineWrite.empty())
    if (Error E = Baseline::write(O.BaselineWrite, C.All)) {
      error() << toString(std::move(E)) << "\n";
      return ExitUsage;
    }

  auto WriteReport = [&](raw_ostream &OS) {
    if (O.Fmt == Format::Text) {
      printText(OS, Reported);
      return;
    }
    SarifInvocation Inv;
    Inv.Successful = C.Failures.empty() && !CompileErrors && !ConfigErrors;
    Inv.Problems = C.Failures;
    if (CompileErrors)
      Inv.Problems.push_back(
          "some files do not compile; their findings are incomplete");
    Inv.CommandLine = CommandLine;
    writeSarif(OS, Reported, Cwd, Inv);
  };
  if (!O.Output.empty()) {
    if (!writeTo(O.Output, WriteReport))
      return ExitUsage;
    // The CI log shows the findings whatever the report's format.
    printText(outs(), Reported);
  } else {
    WriteReport(outs());
  }
  outs().flush();
  if (!O.ExportFixes.empty() && !writeTo(O.ExportFixes, [&](raw_ostream &OS) {
        writeExportFixes(OS, Reported);
      }))
    return ExitUsage;

  for (const std::string &F : C.Failures)
    error() << F << (StringRef(F).ends_with("\n") ? "" : "\n");
  size_t Files = Jobs.size();
  if (!O.Quiet) {
    errs() << "sendsync-tidy: " << NewFindings
           << (NewFindings == 1 ? " finding" : " findings");
    if (Accepted.Recorded)
      errs() << " not in the baseline (" << Baselined << " in it)";
    errs() << " in " << Files << (Files == 1 ? " file" : " files");
    if (C.SawStats)
      errs() << " (" << C.Crossings
             << (C.Crossings == 1 ? " thread start" : " thread starts") << ")";
    errs() << "\n";
  }
  // "0 findings" means nothing where the checks saw no thread start.
  if (C.SawStats && C.Crossings == 0 && C.Failures.empty() && !O.Quiet)
    WithColor::note(errs(), "sendsync-tidy")
        << "no thread start found in " << Files
        << (Files == 1 ? " file" : " files")
        << ": if threads start through an executor or a wrapper, name it in "
           "the option CrossingFunctions or annotate its parameter "
           "SENDSYNC_CROSSES_THREAD (docs/checks/sendsync-send.md)\n";
  if (CompileErrors && !O.Quiet)
    errs() << "sendsync-tidy: some files do not compile (errors above); "
              "their findings are incomplete\n";

  // The exit policy: the highest of 2, 6, 5, 1 that applies (docs/ci.md).
  if (ConfigErrors || C.NoChecks)
    return ExitUsage;
  if (!C.Failures.empty())
    return ExitInternalError;
  if (CompileErrors)
    return ExitCompileErrors;
  if (Accepted.Recorded ? NewFindings > 0 : PromotedErrors)
    return ExitFindings;
  return ExitClean;
}

} // namespace sendsync::tidy
