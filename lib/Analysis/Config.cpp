//===- Config.cpp - sendsync configuration --------------------------------===//

#include "Analysis/Config.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/YAMLParser.h"

using namespace llvm;

namespace sendsync {

static Error optionError(StringRef OptionName, const Twine &Msg) {
  return createStringError(inconvertibleErrorCode(),
                           "invalid value for option '" + OptionName +
                               "': " + Msg);
}

Expected<NamePattern> NamePattern::parse(StringRef Text) {
  Text = Text.trim();
  Text.consume_front("::");
  if (Text.empty())
    return createStringError(inconvertibleErrorCode(), "empty type name");
  for (char C : Text) {
    if (isAlnum(C) || C == '_' || C == ':' || C == '*' || C == '$')
      continue;
    return createStringError(inconvertibleErrorCode(),
                             "'" + Text + "' is not a qualified name (only "
                                          "letters, digits, '_', '::' and "
                                          "'*' are allowed)");
  }
  // ':' must come in pairs: 'a:b' is almost certainly a typo for 'a::b' or a
  // crossing-function entry given to a type list.
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] != ':')
      continue;
    if (I + 1 >= Text.size() || Text[I + 1] != ':')
      return createStringError(inconvertibleErrorCode(),
                               "'" + Text + "' has a single ':'");
    ++I;
  }
  NamePattern P;
  P.Text = Text.str();
  if (size_t Colons = Text.rfind("::"); Colons != StringRef::npos)
    P.LastStart = Colons + 2;
  P.LastWild = Text.drop_front(P.LastStart).contains('*');
  return P;
}

// Glob match with '*' only; iterative with one backtrack point, so it is
// linear in practice and never recurses.
static bool globMatch(StringRef Pattern, StringRef Name) {
  size_t P = 0, N = 0, StarP = StringRef::npos, StarN = 0;
  while (N < Name.size()) {
    if (P < Pattern.size() && Pattern[P] == '*') {
      StarP = P++;
      StarN = N;
      continue;
    }
    if (P < Pattern.size() && Pattern[P] == Name[N]) {
      ++P;
      ++N;
      continue;
    }
    if (StarP == StringRef::npos)
      return false;
    P = StarP + 1;
    N = ++StarN;
  }
  while (P < Pattern.size() && Pattern[P] == '*')
    ++P;
  return P == Pattern.size();
}

bool NamePattern::matches(StringRef QualifiedName) const {
  QualifiedName.consume_front("::");
  return globMatch(Text, QualifiedName);
}

bool NamePattern::mayMatchName(StringRef Name) const {
  return LastWild || StringRef(Text).drop_front(LastStart) == Name;
}

const NamePattern *PatternList::match(StringRef QualifiedName) const {
  for (const NamePattern &P : Patterns)
    if (P.matches(QualifiedName))
      return &P;
  return nullptr;
}

Expected<PatternList> parsePatternList(StringRef OptionName, StringRef Value) {
  PatternList L;
  L.OptionName = OptionName.str();
  SmallVector<StringRef, 8> Parts;
  Value.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef Part : Parts) {
    if (Part.trim().empty())
      continue;
    Expected<NamePattern> P = NamePattern::parse(Part);
    if (!P)
      return optionError(OptionName, toString(P.takeError()));
    L.Patterns.push_back(std::move(*P));
  }
  return L;
}

/// Parses `;`-separated `qualified::name[:index[:argument]]` entries with
/// up to \p MaxIndices indices; \p Usage is the message for an entry with
/// too few (none, when \p MinIndices is 0, for ParallelFunctions).
static Expected<std::vector<CrossingFunction>>
parseFunctionList(StringRef OptionName, StringRef Value, unsigned MinIndices,
                  unsigned MaxIndices, StringRef Usage) {
  std::vector<CrossingFunction> Result;
  SmallVector<StringRef, 8> Parts;
  Value.split(Parts, ';', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.empty())
      continue;
    // Indices follow single ':'s; names contain '::'.
    SmallVector<unsigned, 2> Indices;
    StringRef Name = Part;
    while (Indices.size() < MaxIndices) {
      size_t Colon = Name.rfind(':');
      if (Colon == StringRef::npos || Colon == 0 || Name[Colon - 1] == ':')
        break;
      StringRef Index = Name.drop_front(Colon + 1).trim();
      unsigned I;
      if (Index.getAsInteger(10, I))
        return optionError(OptionName, "'" + Index + "' in '" + Part +
                                           "' is not a parameter index");
      Indices.insert(Indices.begin(), I);
      Name = Name.take_front(Colon);
    }
    if (Indices.size() < MinIndices)
      return optionError(OptionName, "'" + Part + "' must be " + Usage);
    Expected<NamePattern> P = NamePattern::parse(Name);
    if (!P)
      return optionError(OptionName, toString(P.takeError()));
    CrossingFunction F{std::move(*P), 0, std::nullopt};
    F.AnyCallable = Indices.empty();
    if (!Indices.empty())
      F.ParamIndex = Indices[0];
    if (Indices.size() == 2)
      F.ArgIndex = Indices[1];
    Result.push_back(std::move(F));
  }
  return Result;
}

Expected<std::vector<CrossingFunction>>
parseCrossingFunctions(StringRef OptionName, StringRef Value) {
  return parseFunctionList(
      OptionName, Value, 1, 2,
      "'qualified::name:index' (index of the crossing parameter, counting "
      "from 0), or 'qualified::name:index:argument' (and the index of the "
      "argument it is called with)");
}

const char DefaultParallelFunctions[] =
    "tbb::parallel_for;tbb::parallel_for_each;tbb::parallel_reduce;"
    "tbb::parallel_deterministic_reduce;tbb::parallel_scan;"
    "tbb::parallel_sort";

Expected<std::vector<CrossingFunction>>
parseParallelFunctions(StringRef OptionName, StringRef Value) {
  return parseFunctionList(OptionName, Value, 0, 1,
                           "'qualified::name' or 'qualified::name:index'");
}

Expected<bool> parseBool(StringRef OptionName, StringRef Value) {
  // clang-tidy's own rule for its boolean options: a YAML boolean, or an
  // integer (non-zero is true).
  if (std::optional<bool> B = yaml::parseBool(Value.trim()))
    return *B;
  long long N;
  if (!Value.trim().getAsInteger(10, N))
    return N != 0;
  return optionError(OptionName,
                     "'" + Value + "' is not a boolean (true or false)");
}

namespace {
// The readers of the table, one per kind of member: each parses with the
// parser of its kind and stores the result only when it parses.
template <PatternList Config::*Member>
Error readPatterns(Config &Into, StringRef Spelled, StringRef Value) {
  Expected<PatternList> L = parsePatternList(Spelled, Value);
  if (!L)
    return L.takeError();
  Into.*Member = std::move(*L);
  return Error::success();
}

template <std::vector<CrossingFunction> Config::*Member,
          Expected<std::vector<CrossingFunction>> (*Parse)(StringRef,
                                                           StringRef)>
Error readFunctions(Config &Into, StringRef Spelled, StringRef Value) {
  Expected<std::vector<CrossingFunction>> L = Parse(Spelled, Value);
  if (!L)
    return L.takeError();
  Into.*Member = std::move(*L);
  return Error::success();
}

template <bool Config::*Member>
Error readBool(Config &Into, StringRef Spelled, StringRef Value) {
  Expected<bool> B = parseBool(Spelled, Value);
  if (!B)
    return B.takeError();
  Into.*Member = *B;
  return Error::success();
}

const OptionSpec Specs[] = {
    {"NotSendTypes", "", readPatterns<&Config::NotSendTypes>},
    {"NotSyncTypes", "", readPatterns<&Config::NotSyncTypes>},
    {"SendTypes", "", readPatterns<&Config::SendTypes>},
    {"SyncTypes", "", readPatterns<&Config::SyncTypes>},
    {"ThreadSafeTypes", "", readPatterns<&Config::ThreadSafeTypes>},
    {"JoinFunctions", "", readPatterns<&Config::JoinFunctions>},
    {"CrossingFunctions", "",
     readFunctions<&Config::CrossingFunctions, parseCrossingFunctions>},
    {"ScopedCrossingFunctions", "",
     readFunctions<&Config::ScopedCrossingFunctions, parseCrossingFunctions>},
    {"ParallelFunctions", DefaultParallelFunctions,
     readFunctions<&Config::ParallelFunctions, parseParallelFunctions>},
    {"TypeErasedWrappersAreSend", "true",
     readBool<&Config::TypeErasedWrappersAreSend>},
    {"AuditLockFreeClasses", "false", readBool<&Config::AuditLockFreeClasses>},
    {"AssumeCoroutinesResumeElsewhere", "false",
     readBool<&Config::AssumeCoroutinesResumeElsewhere>},
    // Only sendsync-send reports incomplete types, but every check reads it
    // so that its value is checked the same way.
    {"ReportIncompleteTypes", "false", readBool<&Config::ReportIncompleteTypes>,
     /*EveryCheck=*/false},
};
} // namespace

ArrayRef<OptionSpec> optionSpecs() { return Specs; }

Error checkOptionValue(StringRef Name, StringRef Spelled, StringRef Value) {
  const auto *It =
      find_if(Specs, [&](const OptionSpec &S) { return S.Name == Name; });
  if (It == std::end(Specs))
    return Error::success();
  // Read into a configuration of its own: only the verdict matters here.
  Config Scratch;
  return It->Read(Scratch, Spelled, Value);
}

} // namespace sendsync
