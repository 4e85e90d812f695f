//===- Sarif.cpp - findings as a SARIF 2.1.0 log --------------------------===//

#include "Sarif.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include <map>
#include <optional>

using namespace llvm;

namespace sendsync::tidy {

namespace {

struct CheckDoc {
  const char *Name;
  const char *Markdown;
};

// docs/checks/<check>.md, embedded at build time.
const CheckDoc CheckDocs[] = {
#include "CheckDocs.inc"
};

const CheckDoc *findDoc(StringRef Check) {
  for (const CheckDoc &D : CheckDocs)
    if (Check == D.Name)
      return &D;
  return nullptr;
}

// The first paragraph after the title, joined into one line.
std::string summary(StringRef Markdown) {
  std::string Out;
  bool InParagraph = false;
  SmallVector<StringRef> Lines;
  Markdown.split(Lines, '\n');
  for (StringRef Line : Lines) {
    Line = Line.trim();
    if (Line.starts_with("#"))
      continue;
    if (Line.empty()) {
      if (InParagraph)
        break;
      continue;
    }
    if (!Out.empty())
      Out += ' ';
    Out += Line.str();
    InParagraph = true;
  }
  return Out;
}

// Percent-encodes what a URI path may not hold literally.
std::string encodePath(StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (isAlnum(C) || StringRef("-._~/!$&'()*+,;=:@").contains(C))
      Out += C;
    else
      Out += "%" + utohexstr(C, /*LowerCase=*/false, /*Width=*/2);
  }
  return Out;
}

class Writer {
public:
  Writer(json::OStream &J, StringRef Root) : J(J), Root(Root) {}

  void artifactLocation(StringRef File) {
    std::string Shown = displayPath(File, Root);
    J.attributeObject("artifactLocation", [&] {
      if (!sys::path::is_absolute(Shown)) {
        J.attribute("uri", encodePath(Shown));
        J.attribute("uriBaseId", "SRCROOT");
      } else {
        J.attribute("uri", "file://" + encodePath(Shown));
      }
    });
  }

  // A location object; Id < 0 writes none.
  void location(const SourcePos &Pos, StringRef Message, int Id) {
    J.object([&] {
      if (Id >= 0)
        J.attribute("id", Id);
      if (Pos.valid())
        J.attributeObject("physicalLocation", [&] {
          artifactLocation(Pos.File);
          J.attributeObject("region", [&] {
            J.attribute("startLine", static_cast<int64_t>(Pos.Line));
            J.attribute("startColumn", static_cast<int64_t>(Pos.Column));
            J.attributeObject("snippet",
                              [&] { J.attribute("text", Pos.LineText); });
          });
        });
      if (!Message.empty())
        J.attributeObject("message", [&] { J.attribute("text", Message); });
    });
  }

  // A threadFlowLocation: one step of a code flow.
  void flowStep(const SourcePos &Pos, StringRef Message) {
    J.object([&] {
      J.attributeBegin("location");
      location(Pos, Message, -1);
      J.attributeEnd();
    });
  }

private:
  json::OStream &J;
  StringRef Root;
};

const char *level(const Finding &F) {
  return F.isError() ? "error" : "warning";
}

/// What a note of a race finding says, by the words sendsync-shared and
/// sendsync-global write (SendSyncCheck::noteConflict and the checks'
/// reports; test/tools/ci-sarif.test holds them to it).
enum class Role {
  Other,
  /// "the thread is started here"
  ThreadStart,
  /// "'f' runs in that thread"
  RunsIn,
  /// "written here in the new thread", "read here in each run"
  ThreadAccess,
  /// "written here by the spawning thread ...", "read here by another
  /// thread", "... by every thread this loop starts, concurrently"
  OtherAccess,
  /// "which is started here": where the other access's thread starts
  OtherStart,
  /// "by 'g', which writes 'x' here": the call the access above goes through
  Via,
  /// "'worker' calls 'bump' here": a call on the new thread's way from its
  /// entry to its access (sendsync-global)
  Call,
};

Role roleOf(StringRef Message) {
  if (Message == "the thread is started here")
    return Role::ThreadStart;
  if (Message == "which is started here")
    return Role::OtherStart;
  if (Message.ends_with(" runs in that thread"))
    return Role::RunsIn;
  bool Access =
      Message.starts_with("read here ") || Message.starts_with("written here ");
  if (Access && Message.contains(" here in "))
    return Role::ThreadAccess;
  if (Access && Message.contains(" here by "))
    return Role::OtherAccess;
  if (Message.starts_with("by ") && Message.contains(", which ") &&
      Message.ends_with(" here"))
    return Role::Via;
  if (!Access && Message.ends_with(" here") &&
      (Message.contains(" calls ") ||
       (Message.starts_with("and ") && Message.contains(" more call"))))
    return Role::Call;
  return Role::Other;
}

/// Who runs an access, from its note: "the spawning thread", "another
/// thread", "the new thread", "each run".
std::string whoRuns(StringRef Message) {
  StringRef Who = Message.split(" here by ").second;
  if (Who.empty())
    Who = Message.split(" here in ").second;
  Who = Who.split(" while ").first.split(',').first;
  return Who.str();
}

/// One thread's part in a race: its steps, in the order they run.
struct ThreadPart {
  std::string Who;
  std::vector<FindingNote> Steps;
};

struct Race {
  /// The thread the check saw started, then one per conflicting access (its
  /// own thread, the spawning one, or another run of the same code).
  std::vector<ThreadPart> Threads;
  /// The new thread's access where it is the result's own location
  /// (sendsync-global reports it there, without a note): a related location
  /// of its own, so that both accesses are among them.
  std::optional<FindingNote> ResultAccess;
};

/// The threads of a race finding; none for any other finding.
std::optional<Race> raceOf(const Finding &F) {
  if (F.Check != "sendsync-shared" && F.Check != "sendsync-global")
    return std::nullopt;
  if (llvm::none_of(F.Notes, [](const FindingNote &N) {
        return roleOf(N.Message) == Role::OtherAccess;
      }))
    return std::nullopt;
  Race R;
  std::vector<ThreadPart> &Threads = R.Threads;
  // Indices, not references: the vector grows with each conflict.
  Threads.resize(1);
  const size_t New = 0;
  Threads[New].Who = "the new thread";
  // sendsync-shared reports the race where the value is shared with the
  // thread and notes the thread's access; sendsync-global reports it at the
  // thread's access.
  bool AccessNoted = llvm::any_of(F.Notes, [](const FindingNote &N) {
    return roleOf(N.Message) == Role::ThreadAccess;
  });
  if (AccessNoted)
    Threads[New].Steps.push_back({F.Message, F.Pos});
  size_t Current = New;
  for (const FindingNote &N : F.Notes) {
    switch (roleOf(N.Message)) {
    case Role::ThreadStart:
    case Role::Call:
    case Role::RunsIn:
      Threads[New].Steps.push_back(N);
      break;
    case Role::ThreadAccess:
      Threads[New].Who = whoRuns(N.Message);
      Threads[New].Steps.push_back(N);
      Current = New;
      break;
    case Role::OtherAccess:
      Threads.push_back({whoRuns(N.Message), {N}});
      Current = Threads.size() - 1;
      break;
    case Role::OtherStart:
      // Its thread starts before it makes the access.
      Threads[Current].Steps.insert(Threads[Current].Steps.begin(), N);
      break;
    case Role::Via:
      Threads[Current].Steps.push_back(N);
      break;
    case Role::Other:
      break;
    }
  }
  if (!AccessNoted) {
    StringRef Verb =
        StringRef(F.Message).contains(" is read by ") ? "read" : "written";
    R.ResultAccess = {(Verb + " here in the new thread").str(), F.Pos};
    Threads[New].Steps.push_back(*R.ResultAccess);
  }
  return R;
}

} // namespace

void writeSarif(raw_ostream &OS, const std::vector<Finding> &Findings,
                StringRef Root, const SarifInvocation &Invocation) {
  // Rules in name order, each result pointing at its rule by index.
  std::map<std::string, unsigned> RuleIndex;
  for (const Finding &F : Findings)
    RuleIndex.emplace(F.Check, 0);
  unsigned Next = 0;
  for (auto &[Name, Index] : RuleIndex)
    Index = Next++;

  // Identical findings (same fingerprint) are told apart by their order, so
  // that viewers tracking results across runs keep them distinct.
  StringMap<unsigned> Seen;

  json::OStream J(OS, /*IndentSize=*/2);
  Writer W(J, Root);
  J.object([&] {
    J.attribute("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    J.attribute("version", "2.1.0");
    J.attributeArray("runs", [&] {
      J.object([&] {
        J.attributeObject("tool", [&] {
          J.attributeObject("driver", [&] {
            J.attribute("name", "sendsync-tidy");
            J.attribute("semanticVersion", SENDSYNC_VERSION);
            J.attribute("version", SENDSYNC_VERSION);
            J.attributeArray("rules", [&] {
              for (const auto &Rule : RuleIndex)
                J.object([&, &Name = Rule.first] {
                  J.attribute("id", Name);
                  const CheckDoc *Doc = findDoc(Name);
                  std::string Short =
                      Doc ? summary(Doc->Markdown)
                          : (StringRef(Name).starts_with("clang-diagnostic-")
                                 ? "A diagnostic of the compiler."
                                 : "A clang-tidy check.");
                  J.attributeObject("shortDescription",
                                    [&] { J.attribute("text", Short); });
                  if (Doc)
                    J.attributeObject("help", [&] {
                      J.attribute("text", Doc->Markdown);
                      J.attribute("markdown", Doc->Markdown);
                    });
                  J.attributeObject("defaultConfiguration",
                                    [&] { J.attribute("level", "warning"); });
                });
            });
          });
        });
        SmallString<256> RootUri(Root);
        if (!RootUri.ends_with("/"))
          RootUri += '/';
        J.attributeObject("originalUriBaseIds", [&] {
          J.attributeObject("SRCROOT", [&] {
            J.attribute("uri", "file://" + encodePath(RootUri));
          });
        });
        J.attributeArray("invocations", [&] {
          J.object([&] {
            J.attribute("executionSuccessful", Invocation.Successful);
            J.attributeArray("arguments", [&] {
              for (const std::string &A : Invocation.CommandLine)
                J.value(A);
            });
            if (!Invocation.Problems.empty())
              J.attributeArray("toolExecutionNotifications", [&] {
                for (const std::string &P : Invocation.Problems)
                  J.object([&] {
                    J.attribute("level", "error");
                    J.attributeObject("message",
                                      [&] { J.attribute("text", P); });
                  });
              });
          });
        });
        J.attributeArray("results", [&] {
          for (const Finding &F : Findings)
            J.object([&] {
              J.attribute("ruleId", F.Check);
              J.attribute("ruleIndex",
                          static_cast<int64_t>(RuleIndex[F.Check]));
              J.attribute("level", level(F));
              J.attributeObject("message",
                                [&] { J.attribute("text", F.Message); });
              J.attributeArray("locations", [&] { W.location(F.Pos, "", -1); });
              std::string Print = fingerprint(F, Root);
              unsigned Occurrence = Seen[Print]++;
              J.attributeObject("partialFingerprints", [&] {
                J.attribute("sendsync/v1",
                            Print + ":" + std::to_string(Occurrence));
              });
              std::optional<Race> R = raceOf(F);
              if (F.Notes.empty())
                return;
              // The notes, and for a race each access, whether a note or
              // the result's own location: code scanning lists related
              // locations beside the result.
              J.attributeArray("relatedLocations", [&] {
                for (unsigned I = 0; I < F.Notes.size(); ++I)
                  W.location(F.Notes[I].Pos, F.Notes[I].Message, I + 1);
                if (R && R->ResultAccess)
                  W.location(R->ResultAccess->Pos, R->ResultAccess->Message,
                             F.Notes.size() + 1);
              });
              J.attributeArray("codeFlows", [&] {
                J.object([&] {
                  if (R) {
                    const std::vector<ThreadPart> &Threads = R->Threads;
                    // A race: one thread flow per thread, each with what it
                    // runs up to its access, so a viewer shows the sides.
                    J.attributeObject("message",
                                      [&] { J.attribute("text", F.Message); });
                    J.attributeArray("threadFlows", [&] {
                      for (unsigned T = 0; T < Threads.size(); ++T)
                        J.object([&] {
                          J.attribute("id", "thread-" + std::to_string(T + 1));
                          J.attributeObject("message", [&] {
                            J.attribute("text", Threads[T].Who);
                          });
                          J.attributeArray("locations", [&] {
                            for (const FindingNote &N : Threads[T].Steps)
                              W.flowStep(N.Pos, N.Message);
                          });
                        });
                    });
                    return;
                  }
                  // The finding and its notes in order: for sendsync checks
                  // this is the path from the crossing to the declaration
                  // that decided it.
                  J.attributeArray("threadFlows", [&] {
                    J.object([&] {
                      J.attributeArray("locations", [&] {
                        W.flowStep(F.Pos, F.Message);
                        for (const FindingNote &N : F.Notes)
                          W.flowStep(N.Pos, N.Message);
                      });
                    });
                  });
                });
              });
            });
        });
      });
    });
  });
  OS << '\n';
}

} // namespace sendsync::tidy
