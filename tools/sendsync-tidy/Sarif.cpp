//===- Sarif.cpp - findings as a SARIF 2.1.0 log --------------------------===//

#include "Sarif.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include <map>

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

private:
  json::OStream &J;
  StringRef Root;
};

const char *level(const Finding &F) { return F.isError() ? "error" : "warning"; }

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
              J.attribute("ruleIndex", static_cast<int64_t>(RuleIndex[F.Check]));
              J.attribute("level", level(F));
              J.attributeObject("message",
                                [&] { J.attribute("text", F.Message); });
              J.attributeArray("locations",
                               [&] { W.location(F.Pos, "", -1); });
              std::string Print = fingerprint(F, Root);
              unsigned Occurrence = Seen[Print]++;
              J.attributeObject("partialFingerprints", [&] {
                J.attribute("sendsync/v1",
                            Print + ":" + std::to_string(Occurrence));
              });
              if (F.Notes.empty())
                return;
              J.attributeArray("relatedLocations", [&] {
                for (unsigned I = 0; I < F.Notes.size(); ++I)
                  W.location(F.Notes[I].Pos, F.Notes[I].Message, I + 1);
              });
              // The finding and its notes in order: for sendsync checks this
              // is the path from the crossing to the declaration that
              // decided it.
              J.attributeArray("codeFlows", [&] {
                J.object([&] {
                  J.attributeArray("threadFlows", [&] {
                    J.object([&] {
                      J.attributeArray("locations", [&] {
                        J.object([&] {
                          J.attributeBegin("location");
                          W.location(F.Pos, F.Message, -1);
                          J.attributeEnd();
                        });
                        for (const FindingNote &N : F.Notes)
                          J.object([&] {
                            J.attributeBegin("location");
                            W.location(N.Pos, N.Message, -1);
                            J.attributeEnd();
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
  });
  OS << '\n';
}

} // namespace sendsync::tidy
