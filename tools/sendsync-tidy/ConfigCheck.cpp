//===- ConfigCheck.cpp - the configuration, checked before analysis -------===//

#include "ConfigCheck.h"
#include "Analysis/Config.h"
#include "Driver.h"
#include "Findings.h"
#include "Tidy/ConfigFiles.h"
#include "clang-tidy/ClangTidy.h"
#include "clang-tidy/ClangTidyModule.h"
#if SENDSYNC_LLVM_MAJOR < 22
// From LLVM 22 on, ClangTidyModule.h declares the registry itself.
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif
#include "clang-tidy/GlobList.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/YAMLParser.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

using namespace llvm;

namespace sendsync::tidy {

namespace {

raw_ostream &error() { return WithColor::error(errs(), "sendsync-tidy"); }

std::optional<std::string> checksOf(StringRef Yaml) {
  auto Parsed =
      clang::tidy::parseConfiguration(MemoryBufferRef(Yaml, "config"));
  if (!Parsed || !Parsed->Checks || Parsed->Checks->empty())
    return std::nullopt;
  return *Parsed->Checks;
}

} // namespace

CheckChoice::CheckChoice(const Options &O) : CommandLine(O.Checks) {
  if (O.Config) {
    HasOverride = true;
    OverrideChecks = checksOf(*O.Config);
  }
  if (O.ConfigFile) {
    HasOverride = true;
    if (auto Buf = MemoryBuffer::getFile(*O.ConfigFile))
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

bool CheckChoice::needsDefault(StringRef File) {
  if (CommandLine || OverrideChecks)
    return false;
  if (HasOverride)
    return true;
  return fileChecks(File).empty();
}

std::string CheckChoice::effectiveChecks(StringRef File) {
  if (needsDefault(File))
    return DefaultArg.drop_front(strlen("--checks=")).str();
  std::string Checks = "clang-diagnostic-*,clang-analyzer-*";
  std::string FromConfig = OverrideChecks ? *OverrideChecks
                           : HasOverride  ? ""
                                          : fileChecks(File);
  if (!FromConfig.empty())
    Checks += "," + FromConfig;
  if (CommandLine && !CommandLine->empty())
    Checks += "," + *CommandLine;
  return Checks;
}

bool CheckChoice::enablesSendSync(StringRef Checks) const {
  clang::tidy::GlobList Globs(Checks);
  return llvm::any_of(SendSyncChecks,
                      [&](const std::string &C) { return Globs.contains(C); });
}

std::string CheckChoice::fileChecks(StringRef File) {
  SmallString<256> Abs(File);
  sys::fs::make_absolute(Abs);
  std::optional<std::string> C = Files->getOptions(Abs).Checks;
  return C ? *C : "";
}

namespace {

/// One configuration as written: a .clang-tidy file, or the text of
/// --config or --config-file.
struct Source {
  /// A .clang-tidy file is often shared by several clang-tidy versions:
  /// what in it does not change the checks that run is only reported.
  bool Lenient = false;
  MemoryBufferRef Buffer;
};

/// What a configuration names, with where: its Checks and its CheckOptions.
struct Written {
  std::optional<std::string> Checks;
  SMLoc ChecksLoc;
  struct Option {
    std::string Key, Value;
    SMLoc KeyLoc, ValueLoc;
  };
  std::vector<Option> Options;
};

std::string scalar(yaml::Node *N) {
  SmallString<64> Storage;
  if (auto *S = dyn_cast_or_null<yaml::ScalarNode>(N))
    return S->getValue(Storage).str();
  if (auto *B = dyn_cast_or_null<yaml::BlockScalarNode>(N))
    return B->getValue().str();
  return "";
}

SMLoc startOf(yaml::Node *N) { return N ? N->getSourceRange().Start : SMLoc(); }

// Walks a configuration that clang-tidy's parser has accepted, for the
// places of what parseConfiguration returns without them. CheckOptions is a
// mapping, or (older spelling) a list of {key, value}; Checks a string, or
// from LLVM 17 on a list.
Written walk(MemoryBufferRef Buffer, SourceMgr &SM) {
  Written W;
  yaml::Stream Stream(Buffer, SM);
  for (yaml::Document &Doc : Stream) {
    auto *Root = dyn_cast_or_null<yaml::MappingNode>(Doc.getRoot());
    if (!Root)
      continue;
    for (yaml::KeyValueNode &KV : *Root) {
      std::string Key = scalar(KV.getKey());
      yaml::Node *Value = KV.getValue();
      if (Key == "Checks") {
        W.ChecksLoc = startOf(Value);
        if (auto *List = dyn_cast_or_null<yaml::SequenceNode>(Value)) {
          std::string Joined;
          for (yaml::Node &Item : *List)
            Joined += (Joined.empty() ? "" : ",") + scalar(&Item);
          W.Checks = Joined;
        } else {
          W.Checks = scalar(Value);
        }
        continue;
      }
      if (Key != "CheckOptions")
        continue;
      if (auto *Map = dyn_cast_or_null<yaml::MappingNode>(Value)) {
        for (yaml::KeyValueNode &Entry : *Map) {
          Written::Option O;
          O.KeyLoc = startOf(Entry.getKey());
          O.Key = scalar(Entry.getKey());
          O.ValueLoc = startOf(Entry.getValue());
          O.Value = scalar(Entry.getValue());
          W.Options.push_back(std::move(O));
        }
      } else if (auto *List = dyn_cast_or_null<yaml::SequenceNode>(Value)) {
        for (yaml::Node &Item : *List) {
          auto *Pair = dyn_cast<yaml::MappingNode>(&Item);
          if (!Pair)
            continue;
          Written::Option O;
          for (yaml::KeyValueNode &Field : *Pair) {
            std::string Name = scalar(Field.getKey());
            if (Name == "key") {
              O.KeyLoc = startOf(Field.getValue());
              O.Key = scalar(Field.getValue());
            } else if (Name == "value") {
              O.ValueLoc = startOf(Field.getValue());
              O.Value = scalar(Field.getValue());
            }
          }
          W.Options.push_back(std::move(O));
        }
      }
    }
  }
  return W;
}

// The known name nearest to Value, as clang-tidy's --verify-config
// suggests it; "" if none is close.
StringRef closest(StringRef Value, const StringSet<> &Allowed) {
  unsigned MaxEdit = 5;
  StringRef Closest;
  for (const auto &Item : Allowed) {
    unsigned Cur =
        Value.edit_distance_insensitive(Item.getKey(), true, MaxEdit);
    if (Cur < MaxEdit) {
      Closest = Item.getKey();
      MaxEdit = Cur;
    }
  }
  return Closest;
}

class Checker {
public:
  explicit Checker(const Options &O) : O(O) {
    // With --checks starting with -*, no check a .clang-tidy enables runs.
    Reset = O.Checks && StringRef(*O.Checks).ltrim(" \t\n,").starts_with("-*");
  }

  /// Reads the configurations; false if one does not parse.
  bool read(ArrayRef<std::string> Files);
  /// Checks what the configurations name.
  void verify();

  bool Unknown = false, BadValues = false, Reported = false;

private:
  void parse(bool Lenient, std::unique_ptr<MemoryBuffer> Buffer,
             std::optional<clang::tidy::ClangTidyOptions> &Out);
  void verifyAll();
  void verifyGlobs(StringRef Globs, bool Lenient, SMLoc Loc);
  void problem(bool Fatal, SMLoc Loc, const Twine &Message);

  const Options &O;
  /// Every check (Names) and option this build knows.
  llvm::StringSet<> ValidChecks, ValidOptions;
  bool Reset = false;
  SourceMgr SM;
  std::vector<std::unique_ptr<MemoryBuffer>> Buffers;
  std::vector<Source> Sources;
};

void Checker::verify() {
  // Every check and option this build knows, as clang-tidy's
  // --verify-config collects them (NamesAndOptions up to LLVM 21,
  // ChecksAndOptions from 22 on).
#if SENDSYNC_LLVM_MAJOR >= 22
  auto Valid = clang::tidy::getAllChecksAndOptions(
      /*AllowEnablingAnalyzerAlphaCheckers=*/true,
      /*ExperimentalCustomChecks=*/false);
  ValidChecks = std::move(Valid.Checks);
#else
  auto Valid = clang::tidy::getAllChecksAndOptions(
      /*AllowEnablingAnalyzerAlphaCheckers=*/true);
  ValidChecks = std::move(Valid.Names);
#endif
  ValidOptions = std::move(Valid.Options);
  verifyAll();
}

// Parses one configuration with clang-tidy's parser into Out (left empty
// if it does not parse, having printed why with its line and column).
void Checker::parse(bool Lenient, std::unique_ptr<MemoryBuffer> Buffer,
                    std::optional<clang::tidy::ClangTidyOptions> &Out) {
  bool Bad = false;
  ErrorOr<clang::tidy::ClangTidyOptions> Parsed =
      clang::tidy::parseConfigurationWithDiags(Buffer->getMemBufferRef(),
                                               [&](const SMDiagnostic &D) {
                                                 D.print(nullptr, errs());
                                                 Bad = true;
                                               });
  if (!Parsed && !Bad) {
    error() << Buffer->getBufferIdentifier() << ": "
            << Parsed.getError().message() << "\n";
    Bad = true;
  }
  if (Bad)
    return;
  Out = std::move(*Parsed);
  Sources.push_back({Lenient, Buffer->getMemBufferRef()});
  Buffers.push_back(std::move(Buffer));
}

bool Checker::read(ArrayRef<std::string> Files) {
  bool Ok = true;
  std::optional<clang::tidy::ClangTidyOptions> Parsed;
  if (O.Config) {
    parse(false, MemoryBuffer::getMemBufferCopy(*O.Config, "--config"), Parsed);
    Ok &= Parsed.has_value();
  }
  if (O.ConfigFile) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> Buf =
        MemoryBuffer::getFile(*O.ConfigFile);
    if (!Buf) {
      error() << "cannot read --config-file '" << *O.ConfigFile
              << "': " << Buf.getError().message() << "\n";
      return false;
    }
    Parsed.reset();
    parse(false, std::move(*Buf), Parsed);
    Ok &= Parsed.has_value();
  }
  if (O.hasConfigOverride())
    return Ok;
  // The .clang-tidy files that govern each file, nearest first, each read
  // once.
  StringSet<> Seen;
  std::vector<std::string> Start(Files.begin(), Files.end());
  if (Start.empty())
    Start.push_back(absolutePath("dummy.cpp")); // what clang-tidy reads here
  for (const std::string &F : Start) {
    for (std::string Path =
             clang::tidy::sendsync::nearestConfig(sys::path::parent_path(F));
         !Path.empty() && Seen.insert(Path).second;) {
      ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Path);
      if (!Buf) {
        error() << "cannot read '" << Path << "': " << Buf.getError().message()
                << "\n";
        Ok = false;
        break;
      }
      Parsed.reset();
      parse(true, std::move(*Buf), Parsed);
      if (!Parsed) {
        Ok = false;
        break;
      }
      if (!Parsed->InheritParentConfig.value_or(false))
        break;
      // Inherited: the nearest above the directory that holds this one.
      Path = clang::tidy::sendsync::nearestConfig(
          sys::path::parent_path(sys::path::parent_path(Path)));
    }
  }
  return Ok;
}

void Checker::problem(bool Fatal, SMLoc Loc, const Twine &Message) {
  // What does not stop the run is said unless --quiet.
  if (!Fatal && O.Quiet)
    return;
  Reported |= !Fatal;
  SourceMgr::DiagKind Kind =
      Fatal ? SourceMgr::DK_Error : SourceMgr::DK_Warning;
  if (Loc.isValid()) {
    SM.PrintMessage(errs(), Loc, Kind, Message);
    return;
  }
  (Fatal ? WithColor::error(errs(), "command-line option '--checks'")
         : WithColor::warning(errs(), "command-line option '--checks'"))
      << Message << "\n";
}

void Checker::verifyGlobs(StringRef Globs, bool Lenient, SMLoc Loc) {
  clang::tidy::GlobList List(Globs);
  for (const auto &Item : List.getItems()) {
    if (Item.Text.empty() || Item.Text.starts_with("clang-diagnostic"))
      continue;
    if (llvm::any_of(ValidChecks, [&](const auto &C) {
          return Item.Regex.match(C.getKey());
        }))
      continue;
    // In a shared .clang-tidy, disabling a check this clang-tidy lacks is
    // harmless, and so is anything the command line's -* overrides.
    bool Fatal = !Lenient || (!Reset && Item.IsPositive);
    Unknown |= Fatal;
    std::string Message =
        Item.Text.contains('*')
            ? ("check glob '" + Item.Text + "' doesn't match any known check")
                  .str()
            : ("unknown check '" + Item.Text + "'").str();
    StringRef Near = closest(Item.Text, ValidChecks);
    if (!Near.empty())
      Message += ("; did you mean '" + Near + "'").str();
    problem(Fatal, Loc, Message);
  }
}

void Checker::verifyAll() {
  if (O.Checks)
    verifyGlobs(*O.Checks, /*Lenient=*/false, SMLoc());
  for (const Source &S : Sources) {
    Written W = walk(S.Buffer, SM);
    if (W.Checks)
      verifyGlobs(*W.Checks, S.Lenient, W.ChecksLoc);
    for (const Written::Option &Opt : W.Options) {
      StringRef Key = Opt.Key;
      if (!ValidOptions.contains(Key)) {
        // A typo of a sendsync option or of a global one changes what is
        // flagged; another check's stale option changes nothing.
        bool Fatal =
            !S.Lenient || Key.starts_with("sendsync-") || !Key.contains('.');
        Unknown |= Fatal;
        std::string Message = ("unknown check option '" + Key + "'").str();
        StringRef Near = closest(Key, ValidOptions);
        if (!Near.empty())
          Message += ("; did you mean '" + Near + "'").str();
        problem(Fatal, Opt.KeyLoc, Message);
        continue;
      }
      // The sendsync checks read 'X' and 'sendsync-<check>.X' alike.
      auto [Check, Name] = Key.rsplit('.');
      if (Name.empty())
        Name = Check;
      else if (!Check.starts_with("sendsync-"))
        continue;
      if (Error E = ::sendsync::checkOptionValue(Name, Key, Opt.Value)) {
        BadValues = true;
        problem(true, Opt.ValueLoc, toString(std::move(E)));
      }
    }
  }
}

} // namespace

std::optional<int> checkConfiguration(const Options &O,
                                      ArrayRef<std::string> Files,
                                      CheckChoice &Checks, bool OnlyParse) {
  Checker C(O);
  if (!C.read(Files)) {
    error() << "the configuration above cannot be read (clang-tidy would "
               "ignore it and run other checks than it names); fix it\n";
    return ExitUsage;
  }
  if (OnlyParse)
    return std::nullopt;
  C.verify();
  if (C.Unknown)
    error() << "the configuration names unknown checks or options (listed "
               "above); correct or remove them\n";
  if (C.BadValues)
    error() << "the configuration gives options values the sendsync checks "
               "reject (listed above); correct them\n";
  if (C.Unknown || C.BadValues)
    return ExitUsage;
  if (C.Reported)
    WithColor::note(errs(), "sendsync-tidy")
        << "the configuration problems above do not change the checks that "
           "run; fix them in their files\n";

  // One file per configuration, to say where the checks include no
  // sendsync check.
  std::vector<std::string> Representatives;
  if (O.hasConfigOverride() || Files.empty()) {
    Representatives.push_back(Files.empty() ? "dummy.cpp" : Files.front());
  } else {
    std::map<std::string, std::string> ConfigOfDir;
    StringSet<> SeenConfigs;
    for (const std::string &F : Files) {
      std::string Dir = sys::path::parent_path(F).str();
      auto [It, New] = ConfigOfDir.try_emplace(Dir);
      if (New)
        It->second = clang::tidy::sendsync::nearestConfig(Dir);
      if (SeenConfigs.insert(It->second).second)
        Representatives.push_back(F);
    }
  }
  StringSet<> Warned;
  for (const std::string &File : Representatives) {
    std::string Effective = Checks.effectiveChecks(File);
    if (!Checks.enablesSendSync(Effective) && Warned.insert(Effective).second)
      WithColor::warning(errs(), "sendsync-tidy")
          << "the checks configured for '" << File << "' ('" << Effective
          << "') include no sendsync check; add 'sendsync-*' to --checks "
             "or to Checks in .clang-tidy\n";
  }
  return std::nullopt;
}

} // namespace sendsync::tidy
