//===- Driver.cpp - sendsync-tidy's command line --------------------------===//
//
// Every analysis runs in a child process (this binary again, in worker mode,
// as plain clang-tidy writing --export-fixes YAML), the way run-clang-tidy
// does it: translation units run in parallel, and one that crashes costs its
// own findings, not the whole run. The parent validates the input first, so
// that a wrong path or a misspelt check fails fast with its own exit code,
// then merges what the children found.
//
//===----------------------------------------------------------------------===//

#include "Driver.h"
#include "Baseline.h"
#include "Findings.h"
#include "Sarif.h"
#include "Tidy/ConfigFiles.h"
#include "clang-tidy/ClangTidyModule.h"
#if SENDSYNC_LLVM_MAJOR < 22
// From LLVM 22 on, ClangTidyModule.h declares the registry itself.
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang-tidy/ClangTidyOptions.h"
#include "clang-tidy/GlobList.h"
#include "clang-tidy/tool/ClangTidyMain.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <stdlib.h>
#include <map>
#include <mutex>
#include <optional>
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
  bool HasResourceDir = llvm::any_of(
      ArrayRef(Argv + 1, Argv + Argc),
      [](const char *A) { return StringRef(A).contains("-resource-dir"); });
  static const std::string ResourceArg =
      std::string("--extra-arg-before=-resource-dir=") +
      SENDSYNC_CLANG_RESOURCE_DIR;
  if (!HasResourceDir)
    Args.insert(Args.begin() + 1, ResourceArg.c_str());
  return clang::tidy::clangTidyMain(static_cast<int>(Args.size()),
                                    Args.data());
}

namespace {

enum class Format { Text, Sarif };

struct Options {
  // sendsync-tidy's own.
  Format Fmt = Format::Text;
  std::string Output;
  std::string BaselineFile;
  std::string BaselineWrite;
  unsigned Jobs = 0;
  unsigned ShardIndex = 1, ShardCount = 1;
  bool ForceProgress = false;
  bool HasOwnOptions = false;

  // clang-tidy's, as far as the driver needs to understand them.
  std::string BuildPath;
  std::string ExportFixes;
  bool HasFixedFlags = false;
  std::vector<std::string> FixedFlags;
  bool HasConfigOverride = false;
  bool Quiet = false;
  bool Fix = false;
  bool Informational = false;
  bool Help = false;
  std::vector<std::string> Files;
  /// Everything else, passed to every child unchanged.
  std::vector<std::string> Forward;
};

raw_ostream &error() {
  return WithColor::error(errs(), "sendsync-tidy");
}

// The options sendsync-tidy adds; listed in --help and used for suggestions.
const char *const OwnOptionHelp =
    R"(sendsync-tidy: clang-tidy with the sendsync checks, for CI lint steps.

USAGE: sendsync-tidy [options] [<file> ...] [-- <compiler flags>]

  With -p <build dir> and no files, every file in the directory's
  compile_commands.json is analysed. Each file runs in its own process, in
  parallel; findings in headers shared by several files are reported once.

sendsync-tidy options (in addition to clang-tidy's, listed below):
  --format=text|sarif      Report format (default text). sarif writes a
                           SARIF 2.1.0 log for code scanning.
  --output=<file>          Write the report to <file>; findings are still
                           printed as text on stdout.
  --baseline=<file>        Report only findings not recorded in <file>, and
                           fail (exit 1) if there are any.
  --baseline-write=<file>  Record every current finding in <file>.
  -j <n>, --jobs=<n>       Files analysed at once (default: one per core).
  --shard=<i>/<n>          Analyse only the i-th of n equal shares of the
                           files (1 <= i <= n), to split a run across CI jobs.
  --progress               Print one progress line per file, even when
                           stderr is not a terminal (on one it always shows).

Exit codes: 0 nothing new to report, 1 findings (see docs/ci.md),
2 bad command line or configuration, 3 no compile database,
4 file not in the compile database, 5 code that does not compile,
6 the analysis of a file failed.

)";

// clang-tidy options that only print something, or that rewrite files:
// these run clang-tidy directly in this process.
bool isInformational(StringRef Name) {
  static const StringSet<> Names = {
      "list-checks", "dump-config",      "verify-config",    "explain-config",
      "version",     "help-hidden",      "help-list",        "help-list-hidden",
      "print-all-options"};
  return Names.contains(Name);
}

// Options clang-tidy's CommonOptionsParser registers only while it parses.
bool takesValueUnregistered(StringRef Name) {
  return Name == "p" || Name == "extra-arg" || Name == "extra-arg-before";
}

// The name of an entry of cl::getRegisteredOptions(), a StringMap up to
// LLVM 20 and a DenseMap from LLVM 21 on.
template <class Entry>
auto optionName(const Entry &E, int) -> decltype(E.getKey()) {
  return E.getKey();
}
template <class Entry> StringRef optionName(const Entry &E, long) {
  return E.first;
}

std::string closestOption(StringRef Name) {
  static const char *const Own[] = {"format", "output", "baseline",
                                    "baseline-write", "jobs", "shard",
                                    "progress", "p", "extra-arg",
                                    "extra-arg-before"};
  std::string Best;
  unsigned BestDistance = 3;
  auto Consider = [&](StringRef Candidate) {
    unsigned D = Name.edit_distance(Candidate, true, BestDistance);
    if (D < BestDistance) {
      BestDistance = D;
      Best = Candidate.str();
    }
  };
  for (const char *O : Own)
    Consider(O);
  for (const auto &Entry : cl::getRegisteredOptions())
    if (!Entry.second->isPositional() &&
        Entry.second->getOptionHiddenFlag() == cl::NotHidden)
      Consider(optionName(Entry, 0));
  return Best;
}

std::optional<unsigned> parseCount(StringRef S) {
  unsigned N;
  if (S.getAsInteger(10, N) || N == 0)
    return std::nullopt;
  return N;
}

// Parses the command line. Returns an exit code on error.
std::optional<int> parseArgs(ArrayRef<const char *> Args, Options &O) {
  for (size_t I = 0; I < Args.size(); ++I) {
    StringRef Arg = Args[I];
    if (Arg == "--") {
      O.HasFixedFlags = true;
      for (++I; I < Args.size(); ++I)
        O.FixedFlags.push_back(Args[I]);
      break;
    }
    if (!Arg.starts_with("-") || Arg == "-") {
      O.Files.push_back(Arg.str());
      continue;
    }
    StringRef Body = Arg.drop_front(Arg.starts_with("--") ? 2 : 1);
    StringRef Name = Body.split('=').first;
    StringRef InlineValue = Body.split('=').second;
    bool HasInlineValue = Body.contains('=');
    // The option's value: after '=' or the next argument.
    auto Value = [&]() -> std::optional<std::string> {
      if (HasInlineValue)
        return InlineValue.str();
      if (I + 1 < Args.size())
        return std::string(Args[++I]);
      error() << "option '" << Arg << "' needs a value\n";
      return std::nullopt;
    };

    // -j4, -j 4, --jobs=4
    if (Name == "j" || Name == "jobs" ||
        (Name.starts_with("j") && !Name.drop_front().empty() &&
         all_of(Name.drop_front(), isDigit) && !HasInlineValue)) {
      std::optional<std::string> V;
      if (Name.size() > 1 && Name != "jobs")
        V = Name.drop_front().str();
      else
        V = Value();
      if (!V)
        return ExitUsage;
      std::optional<unsigned> N = parseCount(*V);
      if (!N) {
        error() << "'" << *V << "' is not a positive number of jobs\n";
        return ExitUsage;
      }
      O.Jobs = *N;
      O.HasOwnOptions = true;
      continue;
    }
    // Options that take a path: sendsync-tidy's own, and the two of
    // clang-tidy's that the driver itself acts on.
    std::pair<StringRef, std::string *> Paths[] = {
        {"output", &O.Output},
        {"baseline", &O.BaselineFile},
        {"baseline-write", &O.BaselineWrite},
        {"export-fixes", &O.ExportFixes},
        {"p", &O.BuildPath}};
    if (auto *Path = llvm::find_if(
            Paths, [&](const auto &P) { return P.first == Name; });
        Path != std::end(Paths)) {
      std::optional<std::string> V = Value();
      if (!V)
        return ExitUsage;
      *Path->second = *V;
      O.HasOwnOptions |= Name != "export-fixes" && Name != "p";
      continue;
    }
    if (Name == "format" || Name == "shard") {
      std::optional<std::string> V = Value();
      if (!V)
        return ExitUsage;
      O.HasOwnOptions = true;
      if (Name == "format") {
        if (*V == "text")
          O.Fmt = Format::Text;
        else if (*V == "sarif")
          O.Fmt = Format::Sarif;
        else {
          error() << "unknown format '" << *V << "' (text or sarif)\n";
          return ExitUsage;
        }
      } else {
        auto [Index, Count] = StringRef(*V).split('/');
        std::optional<unsigned> I = parseCount(Index), N = parseCount(Count);
        if (!I || !N || *I > *N) {
          error() << "--shard needs <i>/<n> with 1 <= i <= n, got '" << *V
                  << "'\n";
          return ExitUsage;
        }
        O.ShardIndex = *I;
        O.ShardCount = *N;
      }
      continue;
    }
    if (Name == "progress") {
      O.ForceProgress = true;
      O.HasOwnOptions = true;
      continue;
    }
    if (Name == "help") {
      O.Help = true;
      continue;
    }

    // Every other option is clang-tidy's, passed to the children as given.
    if (Name == "quiet")
      O.Quiet = true;
    if (Name == "fix" || Name == "fix-errors" || Name == "fix-notes")
      O.Fix = true;
    if (Name == "config" || Name == "config-file")
      O.HasConfigOverride = true;
    if (isInformational(Name))
      O.Informational = true;
    O.Forward.push_back(Arg.str());
    bool NeedsValue = takesValueUnregistered(Name);
    if (!NeedsValue) {
      auto &Registered = cl::getRegisteredOptions();
      auto It = Registered.find(Name);
      if (It == Registered.end()) {
        error() << "unknown option '" << Arg << "'";
        std::string Hint = closestOption(Name);
        if (!Hint.empty())
          errs() << "; did you mean '-" << (Hint.size() > 1 ? "-" : "")
                 << Hint << "'?";
        errs() << " (see --help)\n";
        return ExitUsage;
      }
      NeedsValue = It->second->getValueExpectedFlag() == cl::ValueRequired;
    }
    if (NeedsValue && !HasInlineValue) {
      if (I + 1 >= Args.size()) {
        error() << "option '" << Arg << "' needs a value\n";
        return ExitUsage;
      }
      O.Forward.push_back(Args[++I]);
    }
  }
  return std::nullopt;
}

// Runs Program with Args, stdout and stderr to files. Returns the exit code,
// or -2 for a crash (as ExecuteAndWait does), with Why set.
int run(StringRef Program, ArrayRef<std::string> Args, StringRef Stdout,
        StringRef Stderr, std::string &Why) {
  std::vector<StringRef> Refs(Args.begin(), Args.end());
  std::optional<StringRef> Redirects[] = {StringRef(""), Stdout, Stderr};
  return sys::ExecuteAndWait(Program, Refs, std::nullopt, Redirects, 0, 0,
                             &Why);
}

std::string readFile(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : std::string();
}

std::string tail(StringRef Text, unsigned Lines) {
  SmallVector<StringRef> All;
  Text.rtrim().split(All, '\n');
  std::string Out;
  for (size_t I = All.size() > Lines ? All.size() - Lines : 0; I < All.size();
       ++I)
    Out += "  " + All[I].str() + "\n";
  return Out;
}

// The .clang-tidy file that governs File (the nearest one above it), or ""
// when none does. Memoized per directory: a database lists many files per
// directory.
class ConfigLocator {
public:
  std::string find(StringRef File) {
    SmallString<256> Abs(File);
    sys::fs::make_absolute(Abs);
    std::string Dir = sys::path::parent_path(Abs).str();
    auto [It, New] = Cache.try_emplace(Dir);
    if (New)
      It->second = clang::tidy::sendsync::nearestConfig(Dir);
    return It->second;
  }

private:
  std::map<std::string, std::string> Cache;
};

// The values a forwarded clang-tidy option was given, in order, in either
// spelling: `--name=value` (or `-name=value`) and `--name value`.
static std::vector<std::string> optionValues(ArrayRef<std::string> Forward,
                                             StringRef Name) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < Forward.size(); ++I) {
    StringRef A = Forward[I];
    if (!A.consume_front("-"))
      continue;
    A.consume_front("-");
    if (A.consume_front(Name)) {
      if (A.consume_front("="))
        Out.push_back(A.str());
      else if (A.empty() && I + 1 < Forward.size())
        Out.push_back(Forward[++I]);
    }
  }
  return Out;
}

// Which checks run on a file, and whether anything chose them: the command
// line's --checks, the Checks of a --config/--config-file, or of the
// .clang-tidy files that govern the file (InheritParentConfig followed, as
// clang-tidy does). clang-tidy's own default (clang-diagnostic-*,
// clang-analyzer-*) is not sendsync-tidy's: where nothing names checks,
// sendsync-* runs.
class CheckChoice {
public:
  static constexpr StringRef DefaultArg = "--checks=-*,sendsync-*";

  explicit CheckChoice(ArrayRef<std::string> Forward) {
    // clang-tidy takes the last of each.
    if (auto V = optionValues(Forward, "checks"); !V.empty())
      CommandLine = V.back();
    if (auto V = optionValues(Forward, "config"); !V.empty()) {
      HasOverride = true;
      OverrideChecks = checksOf(V.back());
    }
    if (auto V = optionValues(Forward, "config-file"); !V.empty()) {
      HasOverride = true;
      if (auto Buf = MemoryBuffer::getFile(V.back()))
        OverrideChecks = checksOf((*Buf)->getBuffer());
    }
    clang::tidy::ClangTidyOptions Defaults, Overrides;
    Files = std::make_unique<clang::tidy::FileOptionsProvider>(
        clang::tidy::ClangTidyGlobalOptions(), Defaults, Overrides,
        vfs::getRealFileSystem());
    // The sendsync checks this build registers.
    for (const auto &Entry : clang::tidy::ClangTidyModuleRegistry::entries()) {
      clang::tidy::ClangTidyCheckFactories Factories;
      Entry.instantiate()->addCheckFactories(Factories);
      for (const auto &F : Factories)
        if (F.getKey().starts_with("sendsync-"))
          SendSyncChecks.push_back(F.getKey().str());
    }
  }

  /// Whether nothing chooses the checks for \p File, so that DefaultArg
  /// must be passed.
  bool needsDefault(StringRef File) {
    if (CommandLine || OverrideChecks)
      return false;
    if (HasOverride)
      return true;
    return fileChecks(File).empty();
  }

  /// The checks that run on \p File, as clang-tidy merges them.
  std::string effectiveChecks(StringRef File) {
    if (needsDefault(File))
      return DefaultArg.drop_front(strlen("--checks=")).str();
    std::string Checks = "clang-diagnostic-*,clang-analyzer-*";
    std::string FromConfig =
        OverrideChecks ? *OverrideChecks : HasOverride ? "" : fileChecks(File);
    if (!FromConfig.empty())
      Checks += "," + FromConfig;
    if (CommandLine && !CommandLine->empty())
      Checks += "," + *CommandLine;
    return Checks;
  }

  /// Whether \p Checks enables at least one sendsync check.
  bool enablesSendSync(StringRef Checks) const {
    clang::tidy::GlobList Globs(Checks);
    return llvm::any_of(SendSyncChecks,
                        [&](const std::string &C) { return Globs.contains(C); });
  }

private:
  static std::optional<std::string> checksOf(StringRef Yaml) {
    auto Parsed = clang::tidy::parseConfiguration(MemoryBufferRef(Yaml, "config"));
    if (!Parsed || !Parsed->Checks || Parsed->Checks->empty())
      return std::nullopt;
    return *Parsed->Checks;
  }
  std::string fileChecks(StringRef File) {
    SmallString<256> Abs(File);
    sys::fs::make_absolute(Abs);
    std::optional<std::string> C = Files->getOptions(Abs).Checks;
    return C ? *C : "";
  }
  std::optional<std::string> CommandLine, OverrideChecks;
  bool HasOverride = false;
  std::unique_ptr<clang::tidy::FileOptionsProvider> Files;
  std::vector<std::string> SendSyncChecks;
};

class Driver {
public:
  Driver(std::string Self, std::vector<std::string> CommandLine)
      : Self(std::move(Self)), CommandLine(std::move(CommandLine)) {}

  int main(ArrayRef<const char *> Args);

private:
  /// Parses every configuration the files use (--config, --config-file,
  /// each .clang-tidy and those it inherits from); ExitUsage if one cannot
  /// be read.
  std::optional<int> readableConfigs();
  int verifyConfig();
  /// Reports what clang-tidy's --verify-config printed; true if any of it
  /// must stop the run.
  bool judgeConfigProblems(StringRef Text);
  std::optional<int> resolveFiles();
  int analyse();
  void progress(StringRef File);

  std::string Self;
  std::vector<std::string> CommandLine;
  Options O;
  std::string TempDir;
  /// The findings --baseline accepts, and the directory its paths are
  /// relative to.
  std::optional<Baseline> Accepted;
  std::string BaselineRoot;
  std::vector<std::string> Files;
  std::unique_ptr<CheckChoice> Checks;
  std::mutex ProgressLock;
  unsigned Done = 0;
  bool ShowProgress = false;
  bool Terminal = false;
};

int Driver::main(ArrayRef<const char *> Args) {
  if (std::optional<int> Error = parseArgs(Args, O))
    return *Error;

  if (O.Help) {
    outs() << OwnOptionHelp;
    outs().flush();
    const char *HelpArgs[] = {Self.c_str(), "--help"};
    return runClangTidy(2, HelpArgs);
  }
  // Printing modes and --fix run clang-tidy itself: --fix must apply each
  // fix once, which one process over all files does.
  if (O.Informational || O.Fix) {
    if (O.HasOwnOptions) {
      error() << "'--fix' and the printing options (--list-checks, "
                 "--dump-config, ...) run clang-tidy directly and take none "
                 "of --format, --output, --baseline, --baseline-write, -j, "
                 "--shard or --progress\n";
      return ExitUsage;
    }
    if (O.Fix)
      if (std::optional<int> Error = resolveFiles())
        return *Error;
    if (std::optional<int> Error = readableConfigs())
      return *Error;
    Checks = std::make_unique<CheckChoice>(O.Forward);
    if (llvm::any_of(CommandLine, [](StringRef A) {
          return A == "--version" || A == "-version";
        }))
      outs() << "sendsync " << SENDSYNC_VERSION
             << " (sendsync-tidy: clang-tidy " << SENDSYNC_LLVM_MAJOR
             << " with the sendsync checks)\n";
    std::vector<const char *> Direct;
    Direct.push_back(Self.c_str());
    // Where nothing chooses the checks for any file named (or, with none,
    // for the current directory), sendsync's run.
    if (Files.empty() ? Checks->needsDefault("dummy.cpp")
                      : llvm::all_of(Files, [&](const std::string &F) {
                          return Checks->needsDefault(F);
                        }))
      Direct.push_back(CheckChoice::DefaultArg.data());
    for (size_t I = 1; I < CommandLine.size(); ++I)
      Direct.push_back(CommandLine[I].c_str());
    return runClangTidy(Direct.size(), Direct.data());
  }

  if (std::optional<int> Error = resolveFiles())
    return *Error;
  if (std::optional<int> Error = readableConfigs())
    return *Error;
  Checks = std::make_unique<CheckChoice>(O.Forward);
  // The baseline is read before any analysis, so that a bad one fails fast.
  if (!O.BaselineFile.empty()) {
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
    Accepted = std::move(*B);
    BaselineRoot = Baseline::rootFor(O.BaselineFile);
  }

  SmallString<128> Dir;
  if (std::error_code EC =
          sys::fs::createUniqueDirectory("sendsync-tidy", Dir)) {
    error() << "cannot create a temporary directory: " << EC.message()
            << "\n";
    return ExitInternalError;
  }
  TempDir = std::string(Dir);
  int Result = verifyConfig();
  if (Result == ExitClean)
    Result = analyse();
  sys::fs::remove_directories(TempDir);
  return Result;
}

// Finds the files to analyse and checks that the compile database knows
// them, so that a wrong path fails here rather than as a silent run without
// flags.
std::optional<int> Driver::resolveFiles() {
  if (O.Files.empty() && (O.HasFixedFlags || O.BuildPath.empty())) {
    error() << "no input files: name the files to analyse, or give a build "
               "directory with -p to analyse every file in its "
               "compile_commands.json\n";
    return ExitUsage;
  }
  for (const std::string &F : O.Files)
    if (!sys::fs::exists(F)) {
      error() << "'" << F << "': no such file\n";
      return ExitUsage;
    }
  if (O.HasFixedFlags) {
    // Flags after '--' apply to every file: no database involved.
    for (const std::string &F : O.Files)
      Files.push_back(absolutePath(F));
  } else {
    std::string Where;
    SmallString<256> Start;
    if (!O.BuildPath.empty()) {
      if (!sys::fs::is_directory(O.BuildPath)) {
        error() << "-p '" << O.BuildPath << "' is not a directory\n";
        return ExitNoCompileDatabase;
      }
      Where = "'" + O.BuildPath + "'";
      Start = absolutePath(O.BuildPath);
    } else {
      Where = "the directories above '" + O.Files.front() + "'";
      Start = sys::path::parent_path(absolutePath(O.Files.front()));
    }
    // Find the database as clang-tidy would (here or in a parent), to say
    // plainly whether there is none or it is broken.
    std::string Found;
    for (StringRef Dir = Start; !Dir.empty() && Found.empty();
         Dir = sys::path::parent_path(Dir))
      for (const char *Name : {"compile_commands.json", "compile_flags.txt"}) {
        SmallString<256> Candidate(Dir);
        sys::path::append(Candidate, Name);
        if (Found.empty() && sys::fs::exists(Candidate))
          Found = std::string(Candidate);
      }
    if (Found.empty()) {
      error() << "no compile database (compile_commands.json) in " << Where
              << " or its parents\nGenerate one (cmake "
                 "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON), point -p at it, or give "
                 "the compiler flags after '--'\n";
      return ExitNoCompileDatabase;
    }
    // clang's reader takes a truncated compile_commands.json for the
    // entries before the cut (printing a YAML error): check it is JSON.
    if (sys::path::filename(Found) == "compile_commands.json") {
      ErrorOr<std::unique_ptr<MemoryBuffer>> Text = MemoryBuffer::getFile(Found);
      if (!Text) {
        error() << "cannot read the compile database '" << Found
                << "': " << Text.getError().message() << "\n";
        return ExitNoCompileDatabase;
      }
      if (Expected<json::Value> V = json::parse((*Text)->getBuffer()); !V) {
        error() << "cannot read the compile database '" << Found
                << "': it is not valid JSON (" << toString(V.takeError())
                << "); is it truncated?\n";
        return ExitNoCompileDatabase;
      }
    }
    std::string Why;
    std::unique_ptr<clang::tooling::CompilationDatabase> DB =
        clang::tooling::CompilationDatabase::loadFromDirectory(
            sys::path::parent_path(Found), Why);
    if (!DB) {
      error() << "cannot read the compile database '" << Found
              << "': " << StringRef(Why).trim() << "\n";
      return ExitNoCompileDatabase;
    }
    std::vector<std::string> Known = DB->getAllFiles();
    StringSet<> KnownSet;
    for (const std::string &K : Known)
      KnownSet.insert(absolutePath(K));
    if (O.Files.empty()) {
      for (const auto &K : KnownSet)
        Files.push_back(K.first().str());
      if (Files.empty()) {
        error() << "the compile database in " << Where
                << " lists no files\n";
        return ExitNoCompileDatabase;
      }
    }
    std::vector<std::string> Missing;
    for (const std::string &F : O.Files) {
      std::string Abs = absolutePath(F);
      // compile_flags.txt lists no files: it applies to all of them.
      bool Listed = Known.empty() || KnownSet.contains(Abs);
      if (!Listed) {
        SmallString<256> Real;
        if (!sys::fs::real_path(Abs, Real))
          Listed = llvm::any_of(KnownSet, [&](const auto &K) {
            SmallString<256> KnownReal;
            return !sys::fs::real_path(K.first(), KnownReal) &&
                   KnownReal == Real;
          });
      }
      if (!Listed)
        Missing.push_back(F);
      Files.push_back(Abs);
    }
    if (!Missing.empty()) {
      for (const std::string &F : Missing)
        error() << "'" << F << "' is not in the compile database in " << Where
                << "\n";
      errs() << "Headers are analysed through the files that include them "
                "(see --header-filter); give compiler flags after '--' to "
                "analyse a file the build does not compile.\n";
      return ExitNotInCompileDatabase;
    }
  }
  llvm::sort(Files);
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  if (O.ShardCount > 1) {
    std::vector<std::string> Mine;
    for (size_t I = O.ShardIndex - 1; I < Files.size(); I += O.ShardCount)
      Mine.push_back(Files[I]);
    Files = std::move(Mine);
  }
  return std::nullopt;
}

// clang-tidy takes a .clang-tidy it cannot parse for no file at all ("Error
// parsing ...", then its defaults): the run would go on with other checks
// and options than the user wrote, and report success. Each configuration
// is parsed first, and one that does not parse stops the run, once, with
// the file, line and column.
std::optional<int> Driver::readableConfigs() {
  bool Bad = false;
  auto Parse = [&](MemoryBufferRef Buffer) {
    return clang::tidy::parseConfigurationWithDiags(
        Buffer, [&](const SMDiagnostic &D) {
          D.print(nullptr, errs());
          Bad = true;
        });
  };
  for (const std::string &Text : optionValues(O.Forward, "config"))
    if (!Parse(MemoryBufferRef(Text, "--config")))
      Bad = true;
  for (const std::string &Path : optionValues(O.Forward, "config-file")) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
    if (!Buf) {
      error() << "cannot read --config-file '" << Path
              << "': " << Buf.getError().message() << "\n";
      return ExitUsage;
    }
    if (!Parse((*Buf)->getMemBufferRef()))
      Bad = true;
  }
  if (!O.HasConfigOverride) {
    StringSet<> Seen;
    std::vector<std::string> Start = Files;
    if (Start.empty())
      Start.push_back("dummy.cpp"); // what clang-tidy reads in this directory
    for (const std::string &F : Start)
      if (!clang::tidy::sendsync::readConfigFiles(F, Seen, [&](const SMDiagnostic &D) {
            D.print(nullptr, errs());
          }))
        Bad = true;
  }
  if (!Bad)
    return std::nullopt;
  error() << "the configuration above cannot be read (clang-tidy would "
             "ignore it and run other checks than it names); fix it\n";
  return ExitUsage;
}

// Asks clang-tidy to verify every configuration the files use: the command
// line's, or each .clang-tidy file that governs some of them. Unknown checks
// and options are otherwise ignored silently.
int Driver::verifyConfig() {
  std::vector<std::string> Representatives;
  if (O.HasConfigOverride || Files.empty()) {
    Representatives.push_back(Files.empty() ? "dummy.cpp" : Files.front());
  } else {
    ConfigLocator Locator;
    StringSet<> SeenConfigs;
    for (const std::string &F : Files)
      if (SeenConfigs.insert(Locator.find(F)).second)
        Representatives.push_back(F);
  }
  StringSet<> Warned;
  for (const std::string &File : Representatives) {
    std::string Effective = Checks->effectiveChecks(File);
    if (!Checks->enablesSendSync(Effective) &&
        Warned.insert(Effective).second)
      WithColor::warning(errs(), "sendsync-tidy")
          << "the checks configured for '" << File << "' ('" << Effective
          << "') include no sendsync check; add 'sendsync-*' to --checks "
             "or to Checks in .clang-tidy\n";
    std::vector<std::string> Args = {Self, WorkerFlag.str(), "--verify-config"};
    append_range(Args, O.Forward);
    if (Checks->needsDefault(File))
      Args.push_back(CheckChoice::DefaultArg.str());
    Args.push_back(File);
    Args.push_back("--");
    std::string Out = TempDir + "/verify.out", Err = TempDir + "/verify.err",
                Why;
    int RC = run(Self, Args, Out, Err, Why);
    if (RC == 0)
      continue;
    std::string Text = readFile(Err) + readFile(Out);
    if (RC < 0) {
      error() << "verifying the configuration failed: " << Why << "\n"
              << tail(Text, 20);
      return ExitInternalError;
    }
    if (judgeConfigProblems(Text))
      return ExitUsage;
  }
  return ExitClean;
}

// Whether the command line's --checks starts with -*, so that no check a
// .clang-tidy file enables (or names) runs.
static bool commandLineResetsChecks(ArrayRef<std::string> Forward) {
  for (const std::string &Value : optionValues(Forward, "checks"))
    if (StringRef(Value).ltrim(" \t\n,").starts_with("-*"))
      return true;
  return false;
}

// Whether File's text names Name only as a negative glob (`-name`): it
// disables a check this clang-tidy does not have, which is harmless (a
// configuration shared by several clang-tidy versions does this).
static bool onlyDisabledIn(StringRef File, StringRef Name) {
  std::string Text = readFile(File);
  bool Any = false;
  for (size_t At = StringRef(Text).find(Name); At != StringRef::npos;
       At = StringRef(Text).find(Name, At + 1)) {
    Any = true;
    if (At == 0 || Text[At - 1] != '-')
      return false;
  }
  return Any;
}

// The quoted name in a clang-tidy message ("unknown check 'x'; ...").
static StringRef quoted(StringRef Message) {
  return Message.split('\'').second.split('\'').first;
}

bool Driver::judgeConfigProblems(StringRef Text) {
  // Lines are "<source>: warning: <message> [-verify-config]", where the
  // source is a command-line option or a .clang-tidy file. What is wrong on
  // the command line, and in a file what changes the checks that run (a
  // check or glob that enables nothing, an option of a sendsync check or a
  // global one), stops the run; the rest of a file (a stale option of
  // another check, a disabled check this version lacks) is only reported.
  bool Reset = commandLineResetsChecks(O.Forward);
  std::vector<std::string> Fatal, Ignored;
  SmallVector<StringRef> Lines;
  Text.split(Lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef Line : Lines) {
    auto [Source, Rest] = Line.split(": warning: ");
    StringRef Message = Rest.empty() ? Line : Rest;
    Message.consume_back(" [-verify-config]");
    bool IsFatal = true;
    if (!Rest.empty() && !Source.starts_with("command-line option")) {
      if (Message.starts_with("unknown check option")) {
        StringRef Key = quoted(Message);
        IsFatal = Key.starts_with("sendsync-") || !Key.contains('.');
      } else if (Message.starts_with("unknown check") ||
                 Message.starts_with("check glob")) {
        IsFatal = !Reset && !onlyDisabledIn(Source, quoted(Message));
      } else {
        IsFatal = false;
      }
    }
    (IsFatal ? Fatal : Ignored).push_back(Line.str());
  }
  if (!Ignored.empty() && !O.Quiet) {
    for (const std::string &L : Ignored)
      errs() << L << "\n";
    errs() << "sendsync-tidy: note: the configuration problems above do not "
              "change the checks that run; fix them in their files\n";
  }
  if (Fatal.empty())
    return false;
  for (const std::string &L : Fatal)
    errs() << L << "\n";
  error() << "the configuration names unknown checks or options (listed "
             "above); correct or remove them\n";
  return true;
}

void Driver::progress(StringRef File) {
  if (!ShowProgress)
    return;
  std::lock_guard<std::mutex> Lock(ProgressLock);
  ++Done;
  std::string Count = "[" + std::to_string(Done) + "/" +
                      std::to_string(Files.size()) + "] ";
  std::string Line = Count + File.str();
  if (Terminal) {
    // One line, rewritten in place, cut to the terminal's width by
    // shortening the path from the left: its end names the file.
    unsigned Columns = sys::Process::StandardErrColumns();
    unsigned Width = std::max(40u, Columns ? Columns : 80u);
    if (Line.size() >= Width)
      Line = Count + "..." +
             File.take_back(Width - 1 - Count.size() - 3).str();
    errs() << "\r" << Line << std::string(Width - 1 - Line.size(), ' ');
    if (Done == Files.size())
      errs() << "\r" << std::string(Width - 1, ' ') << "\r";
  } else {
    errs() << Line << "\n";
  }
  errs().flush();
}

int Driver::analyse() {
  struct Job {
    std::string File;
    bool DefaultChecks = false;
    int ExitCode = 0;
    std::string Why;
  };
  // Thread starts the checks found, over all files; whether any worker's
  // sendsync checks ran at all.
  unsigned Crossings = 0;
  bool SawStats = false;
  std::vector<Job> Jobs(Files.size());
  for (size_t I = 0; I < Files.size(); ++I) {
    Jobs[I].File = Files[I];
    Jobs[I].DefaultChecks = Checks->needsDefault(Files[I]);
  }

  Terminal = sys::Process::StandardErrIsDisplayed();
  ShowProgress = O.ForceProgress || (Terminal && !O.Quiet);

  std::vector<std::string> Common = {Self, WorkerFlag.str(), "--quiet"};
  if (!O.BuildPath.empty())
    Common.push_back("-p=" + O.BuildPath);
  append_range(Common, O.Forward);

  // The workers read the options and write each its own jobs (the index
  // comes from an atomic counter).
  const Options &Opts = O;
  std::atomic<size_t> NextJob{0};
  auto Work = [&] {
    for (size_t I; (I = NextJob++) < Jobs.size();) {
      Job &J = Jobs[I];
      std::string Base = TempDir + "/" + std::to_string(I);
      std::vector<std::string> Args = Common;
      Args.insert(Args.begin() + 2, (StatsFlag + Base + ".stats").str());
      Args.push_back("--export-fixes=" + Base + ".yaml");
      if (J.DefaultChecks)
        Args.push_back(CheckChoice::DefaultArg.str());
      Args.push_back(J.File);
      if (Opts.HasFixedFlags) {
        Args.push_back("--");
        append_range(Args, Opts.FixedFlags);
      }
      J.ExitCode = run(Self, Args, "/dev/null", Base + ".err", J.Why);
      progress(J.File);
    }
  };
  unsigned Threads = O.Jobs ? O.Jobs : std::thread::hardware_concurrency();
  Threads = std::max(1u, std::min<unsigned>(Threads, Jobs.size()));
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &T : Pool)
    T.join();

  // Collect, in file order so the output does not depend on -j.
  SourceCache Sources;
  std::vector<Finding> All;
  std::vector<std::string> Failures;
  bool UsageProblem = false;
  for (size_t I = 0; I < Jobs.size(); ++I) {
    Job &J = Jobs[I];
    std::string Base = TempDir + "/" + std::to_string(I);
    size_t Before = All.size();
    // "crossings N" lines, one per translation unit the checks judged.
    if (ErrorOr<std::unique_ptr<MemoryBuffer>> Stats =
            MemoryBuffer::getFile(Base + ".stats")) {
      SawStats = true;
      SmallVector<StringRef> Lines;
      (*Stats)->getBuffer().split(Lines, '\n', -1, /*KeepEmpty=*/false);
      for (StringRef L : Lines) {
        unsigned N = 0;
        if (L.consume_front("crossings ") && !L.trim().getAsInteger(10, N))
          Crossings += N;
      }
    }
    if (Error E = readExportedFindings(Base + ".yaml", Sources, All)) {
      Failures.push_back("reading the findings for '" + J.File +
                         "' failed: " + toString(std::move(E)));
      continue;
    }
    if (J.ExitCode < 0) {
      Failures.push_back("the analysis of '" + J.File + "' failed (" +
                         J.Why + "); its findings are missing:\n" +
                         tail(readFile(Base + ".err"), 20));
      continue;
    }
    bool ReportedErrors =
        llvm::any_of(ArrayRef(All).drop_front(Before),
                     [](const Finding &F) { return F.isError(); });
    if (J.ExitCode != 0 && !ReportedErrors) {
      std::string Err = readFile(Base + ".err");
      if (StringRef(Err).contains("no checks enabled")) {
        UsageProblem = true;
        Failures.push_back("no checks are enabled for '" + J.File +
                           "': check --checks and the .clang-tidy files");
      } else {
        Failures.push_back("the analysis of '" + J.File + "' failed (exit " +
                           std::to_string(J.ExitCode) + "):\n" +
                           tail(Err, 20));
      }
    }
  }
  sortAndDeduplicate(All);

  // Split: what the baseline accepts, and what is reported.
  std::string Cwd = absolutePath(".");
  std::vector<Finding> Reported;
  unsigned Baselined = 0;
  bool CompileErrors = false, ConfigErrors = false, PromotedErrors = false;
  unsigned NewFindings = 0;
  for (const Finding &F : All) {
    CompileErrors |= F.isCompileError();
    ConfigErrors |= F.isConfigError();
    if (!F.isCompileError() && !F.isConfigError()) {
      if (Accepted && Accepted->take(F, BaselineRoot)) {
        ++Baselined;
        continue;
      }
      ++NewFindings;
      PromotedErrors |= F.isPromotedWarning();
    }
    Reported.push_back(F);
  }

  if (!O.BaselineWrite.empty())
    if (Error E = Baseline::write(O.BaselineWrite, All)) {
      error() << toString(std::move(E)) << "\n";
      return ExitUsage;
    }

  // The report.
  auto WriteReport = [&](raw_ostream &OS) {
    if (O.Fmt == Format::Sarif) {
      SarifInvocation Inv;
      Inv.Successful = Failures.empty() && !CompileErrors && !ConfigErrors;
      Inv.Problems = Failures;
      if (CompileErrors)
        Inv.Problems.push_back(
            "some files do not compile; their findings are incomplete");
      Inv.CommandLine = CommandLine;
      writeSarif(OS, Reported, Cwd, Inv);
    } else {
      printText(OS, Reported);
    }
  };
  if (!O.Output.empty()) {
    std::error_code EC;
    raw_fd_ostream OS(O.Output, EC, sys::fs::OF_Text);
    if (EC) {
      error() << "cannot write '" << O.Output << "': " << EC.message() << "\n";
      return ExitUsage;
    }
    WriteReport(OS);
    printText(outs(), Reported);
  } else {
    WriteReport(outs());
  }
  outs().flush();
  if (!O.ExportFixes.empty()) {
    std::error_code EC;
    raw_fd_ostream OS(O.ExportFixes, EC, sys::fs::OF_Text);
    if (EC) {
      error() << "cannot write '" << O.ExportFixes << "': " << EC.message()
              << "\n";
      return ExitUsage;
    }
    writeExportFixes(OS, Reported);
  }

  for (const std::string &F : Failures)
    error() << F << (StringRef(F).ends_with("\n") ? "" : "\n");
  if (!O.Quiet) {
    errs() << "sendsync-tidy: " << NewFindings
           << (NewFindings == 1 ? " finding" : " findings");
    if (Accepted)
      errs() << " not in the baseline (" << Baselined << " in it)";
    errs() << " in " << Files.size()
           << (Files.size() == 1 ? " file" : " files");
    if (SawStats)
      errs() << " (" << Crossings
             << (Crossings == 1 ? " thread start" : " thread starts") << ")";
    errs() << "\n";
  }
  // "0 findings" means nothing where the checks saw no thread start.
  if (SawStats && Crossings == 0 && Failures.empty() && !O.Quiet)
    WithColor::note(errs(), "sendsync-tidy")
        << "no thread start found in " << Files.size()
        << (Files.size() == 1 ? " file" : " files")
        << ": if threads start through an executor or a wrapper, name it in "
           "the option CrossingFunctions or annotate its parameter "
           "SENDSYNC_CROSSES_THREAD (docs/checks/sendsync-send.md)\n";
  if (CompileErrors && !O.Quiet)
    errs() << "sendsync-tidy: some files do not compile (errors above); "
              "their findings are incomplete\n";

  if (ConfigErrors || UsageProblem)
    return ExitUsage;
  if (!Failures.empty())
    return ExitInternalError;
  if (CompileErrors)
    return ExitCompileErrors;
  if (Accepted ? NewFindings > 0 : PromotedErrors)
    return ExitFindings;
  return ExitClean;
}

} // namespace

int runDriver(int Argc, const char **Argv) {
  if (Argc > 1 && StringRef(Argv[1]) == WorkerFlag) {
    std::vector<const char *> Args(Argv, Argv + Argc);
    Args.erase(Args.begin() + 1);
    // Where the checks count what they saw (SendSyncCheck.cpp).
    if (Args.size() > 1 && StringRef(Args[1]).starts_with(StatsFlag)) {
      ::setenv(StatsEnv, StringRef(Args[1]).drop_front(StatsFlag.size())
                             .str().c_str(), 1);
      Args.erase(Args.begin() + 1);
    }
    return runClangTidy(Args.size(), Args.data());
  }
  std::string Self =
      sys::fs::getMainExecutable(Argv[0], reinterpret_cast<void *>(&runDriver));
  std::vector<std::string> CommandLine(Argv, Argv + Argc);
  Driver D(Self, CommandLine);
  return D.main(ArrayRef(Argv + 1, Argv + Argc));
}

} // namespace sendsync::tidy
