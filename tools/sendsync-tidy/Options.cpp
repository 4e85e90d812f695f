//===- Options.cpp - sendsync-tidy's command line -------------------------===//

#include "Options.h"
#include "Driver.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace sendsync::tidy {

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

namespace {

cl::OptionCategory Category("sendsync-tidy options");

// Registered in every run of this binary, the workers' included: a worker
// reads the command line its parent was given (less the files), and must
// know these to pass over them. clang-tidy's --help hides them (it shows its
// own category only); OwnOptionHelp lists them.
cl::opt<std::string> FormatOpt("format", cl::desc("Report format"),
                               cl::value_desc("text|sarif"), cl::init("text"),
                               cl::cat(Category));
cl::opt<std::string> OutputOpt("output", cl::desc("Write the report to <file>"),
                               cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> BaselineOpt("baseline",
                                 cl::desc("Report only findings not in <file>"),
                                 cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string>
    BaselineWriteOpt("baseline-write",
                     cl::desc("Record every current finding in <file>"),
                     cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> JobsOpt("jobs", cl::desc("Files analysed at once"),
                             cl::value_desc("n"), cl::cat(Category));
// -j4 as well as -j 4, as make takes it.
cl::opt<std::string> JOpt("j", cl::desc("Files analysed at once"),
                          cl::value_desc("n"), cl::Prefix, cl::cat(Category));
cl::opt<std::string>
    ShardOpt("shard", cl::desc("Analyse the i-th of n shares of the files"),
             cl::value_desc("i/n"), cl::cat(Category));
cl::opt<bool> ProgressOpt("progress",
                          cl::desc("One progress line per file on stderr"),
                          cl::cat(Category));

// clang-tidy's CommonOptionsParser registers -p, --extra-arg,
// --extra-arg-before and the source files only while it parses, and would
// abort on a second registration of the same name: the parent registers its
// own for its parse and takes them away again before anything runs
// clang-tidy's driver in this process.
struct ParentOnlyOptions {
  cl::opt<std::string> BuildPath{"p", cl::desc("Build path"),
                                 cl::cat(Category)};
  cl::list<std::string> ExtraArg{"extra-arg", cl::cat(Category)};
  cl::list<std::string> ExtraArgBefore{"extra-arg-before", cl::cat(Category)};
  cl::list<std::string> Files{cl::Positional, cl::desc("<file> ..."),
                              cl::cat(Category)};

  ~ParentOnlyOptions() {
    BuildPath.removeArgument();
    ExtraArg.removeArgument();
    ExtraArgBefore.removeArgument();
    Files.removeArgument();
  }
};

raw_ostream &error() { return WithColor::error(errs(), "sendsync-tidy"); }

const cl::Option *registered(StringRef Name) {
  auto &Registered = cl::getRegisteredOptions();
  auto It = Registered.find(Name);
  return It == Registered.end() ? nullptr : It->second;
}

// The value of one of clang-tidy's string options, where given.
// ClangTidyMain.cpp defines each as a cl::opt<std::string> (LLVM 19 to 22);
// LLVM has no RTTI to check that with, so the value it expects is asserted.
std::optional<std::string> tidyString(StringRef Name) {
  const cl::Option *O = registered(Name);
  if (!O || O->getNumOccurrences() == 0)
    return std::nullopt;
  assert(O->getValueExpectedFlag() == cl::ValueRequired &&
         "clang-tidy's string options take a value");
  return static_cast<const cl::opt<std::string> *>(O)->getValue();
}

// Whether one of clang-tidy's boolean options is set (a cl::opt<bool>).
bool tidyFlag(StringRef Name) {
  const cl::Option *O = registered(Name);
  if (!O || O->getNumOccurrences() == 0)
    return false;
  assert(O->getValueExpectedFlag() != cl::ValueRequired &&
         "clang-tidy's flags take no value");
  return static_cast<const cl::opt<bool> *>(O)->getValue();
}

std::optional<unsigned> parseCount(StringRef S) {
  unsigned N;
  if (S.getAsInteger(10, N) || N == 0)
    return std::nullopt;
  return N;
}

// llvm::cl prints and exits for these as soon as it meets them, before the
// rest is read; they are clang-tidy's to answer, so they are found first.
bool exitsWhileParsing(StringRef Arg, Options &O) {
  if (!Arg.consume_front("-"))
    return false;
  Arg.consume_front("-");
  Arg = Arg.split('=').first;
  // -h is llvm::cl's alias of --help.
  if (Arg == "help" || Arg == "h") {
    O.Help = true;
    return true;
  }
  if (Arg == "version")
    O.Version = true;
  return is_contained(
      {"version", "help-hidden", "help-list", "help-list-hidden"}, Arg);
}

} // namespace

std::optional<int> parseCommandLine(ArrayRef<const char *> Argv, Options &O) {
  // Response files (@file) first, as clang-tidy reads them: the positions
  // the parser records for the files are in the expanded command line.
  BumpPtrAllocator Alloc;
  SmallVector<const char *, 32> Expanded(Argv.begin(), Argv.end());
  cl::ExpansionContext Expansion(Alloc, cl::TokenizeGNUCommandLine);
  if (Error E = Expansion.expandResponseFiles(Expanded)) {
    error() << toString(std::move(E)) << "\n";
    return ExitUsage;
  }
  // Compiler flags follow '--', as for clang-tidy (its
  // FixedCompilationDatabase takes them off before parsing too).
  const char **End = llvm::find_if(
      Expanded, [](const char *A) { return StringRef(A) == "--"; });
  if (End != Expanded.end()) {
    O.HasFixedFlags = true;
    O.FixedFlags.assign(End + 1, Expanded.end());
  }
  ArrayRef<const char *> Args(Expanded.begin(), End);
  if (llvm::any_of(Args.drop_front(),
                   [&](const char *A) { return exitsWhileParsing(A, O); })) {
    O.Informational = !O.Help;
    return std::nullopt;
  }

  ParentOnlyOptions Parent;
  std::string Problems;
  raw_string_ostream ProblemStream(Problems);
  bool Parsed = cl::ParseCommandLineOptions(static_cast<int>(Args.size()),
                                            Args.data(), "", &ProblemStream);
  if (!Parsed) {
    errs() << Problems;
    error() << "the command line above cannot be read (see --help)\n";
    return ExitUsage;
  }

  if (FormatOpt == "text") {
    O.Fmt = Format::Text;
  } else if (FormatOpt == "sarif") {
    O.Fmt = Format::Sarif;
  } else {
    error() << "unknown format '" << FormatOpt << "' (text or sarif)\n";
    return ExitUsage;
  }
  O.Output = OutputOpt;
  O.BaselineFile = BaselineOpt;
  O.BaselineWrite = BaselineWriteOpt;
  O.ForceProgress = ProgressOpt;
  // The later of -j and --jobs.
  const cl::opt<std::string> *Jobs = nullptr;
  for (const cl::opt<std::string> *J : {&JobsOpt, &JOpt})
    if (J->getNumOccurrences() &&
        (!Jobs || J->getPosition() > Jobs->getPosition()))
      Jobs = J;
  if (Jobs) {
    StringRef Value = StringRef(*Jobs).ltrim('=');
    std::optional<unsigned> N = parseCount(Value);
    if (!N) {
      error() << "'" << Value << "' is not a positive number of jobs\n";
      return ExitUsage;
    }
    O.Jobs = *N;
  }
  if (ShardOpt.getNumOccurrences()) {
    auto [Index, Count] = StringRef(ShardOpt).split('/');
    std::optional<unsigned> I = parseCount(Index), N = parseCount(Count);
    if (!I || !N || *I > *N) {
      error() << "--shard needs <i>/<n> with 1 <= i <= n, got '" << ShardOpt
              << "'\n";
      return ExitUsage;
    }
    O.ShardIndex = *I;
    O.ShardCount = *N;
  }
  O.HasOwnOptions = llvm::any_of(
      ArrayRef<const cl::Option *>{&FormatOpt, &OutputOpt, &BaselineOpt,
                                   &BaselineWriteOpt, &JobsOpt, &JOpt,
                                   &ShardOpt, &ProgressOpt},
      [](const cl::Option *Opt) { return Opt->getNumOccurrences() > 0; });

  O.BuildPath = Parent.BuildPath;
  O.Files.assign(Parent.Files.begin(), Parent.Files.end());
  O.ExportFixes = tidyString("export-fixes").value_or("");
  O.Checks = tidyString("checks");
  O.Config = tidyString("config");
  O.ConfigFile = tidyString("config-file");
  O.Quiet = tidyFlag("quiet");
  O.Fix = tidyFlag("fix") || tidyFlag("fix-errors") || tidyFlag("fix-notes");
  O.Informational =
      llvm::any_of(ArrayRef<StringRef>{"list-checks", "dump-config",
                                       "verify-config", "explain-config",
                                       "print-all-options", "print-options"},
                   [](StringRef Name) {
                     const cl::Option *Opt = registered(Name);
                     return Opt && Opt->getNumOccurrences() > 0;
                   });

  // Everything but the files goes to the workers as it was written; each
  // worker is given its own file.
  SmallSet<unsigned, 16> FilePositions;
  for (unsigned I = 0; I < Parent.Files.size(); ++I)
    FilePositions.insert(Parent.Files.getPosition(I));
  for (unsigned I = 1; I < Args.size(); ++I)
    if (!FilePositions.contains(I))
      O.Forward.push_back(Args[I]);
  return std::nullopt;
}

} // namespace sendsync::tidy
