//===- Baseline.cpp - findings accepted when a project adopts the checks --===//

#include "Baseline.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>
#include <tuple>

using namespace llvm;

namespace sendsync::tidy {

// Bumped when the fingerprint changes meaning, so an old baseline is
// rejected with a clear message instead of silently matching nothing.
static constexpr int64_t FormatVersion = 1;

std::string Baseline::rootFor(StringRef Path) {
  return sys::path::parent_path(absolutePath(Path)).str();
}

Expected<Baseline> Baseline::read(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path);
  if (!Buffer)
    return createStringError(Buffer.getError(), "cannot read baseline '%s': %s",
                             Path.str().c_str(),
                             Buffer.getError().message().c_str());
  auto Fail = [&](const Twine &Why) {
    return createStringError(inconvertibleErrorCode(),
                             "baseline '" + Path + "' is malformed: " + Why);
  };
  Expected<json::Value> Doc = json::parse((*Buffer)->getBuffer());
  if (!Doc)
    return Fail(toString(Doc.takeError()));
  const json::Object *Root = Doc->getAsObject();
  if (!Root)
    return Fail("expected a JSON object");
  std::optional<int64_t> Version = Root->getInteger("version");
  if (!Version || *Version != FormatVersion)
    return Fail("unsupported version (this sendsync-tidy writes version " +
                Twine(FormatVersion) + "; write it again with --baseline-write)");
  const json::Array *Entries = Root->getArray("findings");
  if (!Entries)
    return Fail("no \"findings\" array");
  Baseline B;
  for (const json::Value &V : *Entries) {
    const json::Object *E = V.getAsObject();
    std::optional<StringRef> Print = E ? E->getString("fingerprint") : std::nullopt;
    std::optional<int64_t> Count = E ? E->getInteger("count") : std::nullopt;
    if (!Print || !Count || *Count < 1)
      return Fail("each finding needs a \"fingerprint\" and a positive \"count\"");
    B.Counts[*Print] += *Count;
  }
  return B;
}

Error Baseline::write(StringRef Path, const std::vector<Finding> &Findings) {
  std::string Root = rootFor(Path);
  // Sorted by file, check and message so that the file diffs well when it is
  // written again after fixes.
  struct Entry {
    std::string File, Check, Message, Print;
    unsigned Count = 0;
  };
  std::map<std::tuple<std::string, std::string, std::string, std::string>,
           Entry>
      Entries;
  for (const Finding &F : Findings) {
    if (F.isCompileError() || F.isConfigError())
      continue;
    std::string File = displayPath(F.Pos.File, Root);
    std::string Print = fingerprint(F, Root);
    Entry &E = Entries[{File, F.Check, F.Message, Print}];
    E = {File, F.Check, F.Message, Print, E.Count + 1};
  }
  std::error_code EC;
  raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "cannot write baseline '%s': %s",
                             Path.str().c_str(), EC.message().c_str());
  json::OStream J(OS, /*IndentSize=*/2);
  J.object([&] {
    J.attribute("version", FormatVersion);
    J.attribute("tool", "sendsync-tidy");
    J.attributeArray("findings", [&] {
      for (const auto &KV : Entries)
        J.object([&, &E = KV.second] {
          J.attribute("fingerprint", E.Print);
          J.attribute("check", E.Check);
          J.attribute("file", E.File);
          J.attribute("message", E.Message);
          J.attribute("count", static_cast<int64_t>(E.Count));
        });
    });
  });
  OS << '\n';
  return Error::success();
}

bool Baseline::take(const Finding &F, StringRef Root) {
  auto It = Counts.find(fingerprint(F, Root));
  if (It == Counts.end() || It->second == 0)
    return false;
  --It->second;
  return true;
}

} // namespace sendsync::tidy
