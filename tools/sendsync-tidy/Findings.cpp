//===- Findings.cpp - findings collected from clang-tidy runs -------------===//

#include "Findings.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/YAMLTraits.h"
#include <algorithm>
#include <tuple>

using namespace llvm;

namespace sendsync::tidy {

std::string absolutePath(StringRef File, StringRef BaseDir) {
  SmallString<256> Path(File);
  if (!sys::path::is_absolute(Path) && !BaseDir.empty()) {
    SmallString<256> Base(BaseDir);
    sys::path::append(Base, Path);
    Path = Base;
  } else if (!sys::path::is_absolute(Path)) {
    sys::fs::make_absolute(Path);
  }
  sys::path::remove_dots(Path, /*remove_dot_dot=*/true);
  return std::string(Path);
}

SourcePos SourceCache::resolve(StringRef File, unsigned Offset,
                               StringRef BuildDir) {
  SourcePos Pos;
  if (File.empty())
    return Pos;
  Pos.File = absolutePath(File, BuildDir);
  Pos.Offset = Offset;
  auto [It, Inserted] = Files.try_emplace(Pos.File);
  Entry &E = It->second;
  if (Inserted) {
    auto Buffer = MemoryBuffer::getFile(Pos.File, /*IsText=*/false,
                                        /*RequiresNullTerminator=*/false);
    if (Buffer) {
      E.Buffer = std::move(*Buffer);
      StringRef Text = E.Buffer->getBuffer();
      E.LineStarts.push_back(0);
      for (size_t I = 0; I < Text.size(); ++I)
        if (Text[I] == '\n')
          E.LineStarts.push_back(I + 1);
    }
  }
  if (!E.Buffer || Offset > E.Buffer->getBufferSize())
    return Pos;
  // The last line start not after Offset.
  auto Next = std::upper_bound(E.LineStarts.begin(), E.LineStarts.end(),
                               Offset);
  unsigned LineStart = *(Next - 1);
  Pos.Line = Next - E.LineStarts.begin();
  Pos.Column = Offset - LineStart + 1;
  StringRef Text = E.Buffer->getBuffer().substr(LineStart);
  Pos.LineText = Text.take_until([](char C) { return C == '\n'; })
                     .rtrim('\r')
                     .str();
  return Pos;
}

Error readExportedFindings(StringRef YamlPath, SourceCache &Sources,
                           std::vector<Finding> &Out) {
  if (!sys::fs::exists(YamlPath))
    return Error::success();
  auto Buffer = MemoryBuffer::getFile(YamlPath);
  if (!Buffer)
    return createStringError(Buffer.getError(), "cannot read '%s'",
                             YamlPath.str().c_str());
  clang::tooling::TranslationUnitDiagnostics TU;
  yaml::Input YIn((*Buffer)->getBuffer());
  YIn >> TU;
  if (YIn.error())
    return createStringError(YIn.error(), "malformed findings in '%s'",
                             YamlPath.str().c_str());
  for (clang::tooling::Diagnostic &D : TU.Diagnostics) {
    Finding F;
    F.Check = D.DiagnosticName;
    F.Message = D.Message.Message;
    F.Level = D.DiagLevel;
    F.Pos = Sources.resolve(D.Message.FilePath, D.Message.FileOffset,
                            D.BuildDirectory);
    for (const clang::tooling::DiagnosticMessage &N : D.Notes)
      F.Notes.push_back(
          {N.Message, Sources.resolve(N.FilePath, N.FileOffset,
                                      D.BuildDirectory)});
    F.Raw = std::move(D);
    Out.push_back(std::move(F));
  }
  return Error::success();
}

static auto sortKey(const Finding &F) {
  return std::tie(F.Pos.File, F.Pos.Offset, F.Check, F.Message);
}

// Orders findings that share a key by their notes, so that the output does
// not depend on which translation unit finished first.
static bool notesBefore(const Finding &A, const Finding &B) {
  return std::lexicographical_compare(
      A.Notes.begin(), A.Notes.end(), B.Notes.begin(), B.Notes.end(),
      [](const FindingNote &X, const FindingNote &Y) {
        return std::tie(X.Pos.File, X.Pos.Offset, X.Message) <
               std::tie(Y.Pos.File, Y.Pos.Offset, Y.Message);
      });
}

static bool sameNotes(const Finding &A, const Finding &B) {
  return llvm::equal(A.Notes, B.Notes,
                     [](const FindingNote &X, const FindingNote &Y) {
                       return X.Message == Y.Message &&
                              X.Pos.File == Y.Pos.File &&
                              X.Pos.Offset == Y.Pos.Offset;
                     });
}

void sortAndDeduplicate(std::vector<Finding> &Findings) {
  std::sort(Findings.begin(), Findings.end(),
            [](const Finding &A, const Finding &B) {
              if (sortKey(A) != sortKey(B))
                return sortKey(A) < sortKey(B);
              if (A.Level != B.Level)
                return A.Level < B.Level;
              return notesBefore(A, B);
            });
  auto End = std::unique(Findings.begin(), Findings.end(),
                         [](const Finding &A, const Finding &B) {
                           return sortKey(A) == sortKey(B) &&
                                  A.Level == B.Level && sameNotes(A, B);
                         });
  Findings.erase(End, Findings.end());
}

// The source line and a caret under the column, in clang's layout.
static void printSnippet(raw_ostream &OS, const SourcePos &Pos) {
  if (!Pos.valid())
    return;
  std::string Number = std::to_string(Pos.Line);
  unsigned Width = std::max<size_t>(5, Number.size());
  OS.indent(Width - Number.size()) << Number << " | " << Pos.LineText << '\n';
  OS.indent(Width) << " | ";
  // Keep tabs so the caret lines up however the terminal expands them.
  for (unsigned I = 0; I + 1 < Pos.Column && I < Pos.LineText.size(); ++I)
    OS << (Pos.LineText[I] == '\t' ? '\t' : ' ');
  OS << "^\n";
}

static void printLocation(raw_ostream &OS, const SourcePos &Pos) {
  if (Pos.valid())
    OS << Pos.File << ':' << Pos.Line << ':' << Pos.Column << ": ";
  else if (!Pos.File.empty())
    OS << Pos.File << ": ";
}

void printText(raw_ostream &OS, const std::vector<Finding> &Findings) {
  for (const Finding &F : Findings) {
    printLocation(OS, F.Pos);
    OS << (F.isError() ? "error: " : "warning: ") << F.Message << " ["
       << F.Check << (F.isPromotedWarning() ? ",-warnings-as-errors" : "")
       << "]\n";
    printSnippet(OS, F.Pos);
    for (const FindingNote &N : F.Notes) {
      printLocation(OS, N.Pos);
      OS << "note: " << N.Message << '\n';
      printSnippet(OS, N.Pos);
    }
  }
}

void writeExportFixes(raw_ostream &OS, const std::vector<Finding> &Findings) {
  clang::tooling::TranslationUnitDiagnostics TU;
  // Several translation units at once: clang-apply-replacements, like
  // run-clang-tidy's merged file, needs no main file here.
  TU.MainSourceFile = "";
  for (const Finding &F : Findings)
    TU.Diagnostics.push_back(F.Raw);
  yaml::Output YOut(OS);
  YOut << TU;
}

std::string displayPath(StringRef File, StringRef Root) {
  SmallString<256> Path(File);
  if (!Root.empty()) {
    SmallString<256> Prefix(Root);
    sys::path::remove_dots(Prefix, /*remove_dot_dot=*/true);
    StringRef P = Path;
    if (P.consume_front(Prefix) &&
        (P.empty() || sys::path::is_separator(P.front()) ||
         sys::path::is_separator(Prefix.back()))) {
      P = P.ltrim("/");
      return sys::path::convert_to_slash(P);
    }
  }
  return sys::path::convert_to_slash(Path);
}

std::string fingerprint(const Finding &F, StringRef Root) {
  SHA256 Hash;
  auto Add = [&](StringRef S) {
    Hash.update(S);
    Hash.update(StringRef("\0", 1));
  };
  Add(F.Check);
  Add(displayPath(F.Pos.File, Root));
  Add(F.Message);
  // Whitespace changes (reindenting) should not invalidate a baseline.
  std::string Line;
  for (char C : F.Pos.LineText)
    if (C != ' ' && C != '\t')
      Line += C;
  Add(Line);
  std::array<uint8_t, 32> Digest = Hash.final();
  return toHex(ArrayRef<uint8_t>(Digest).take_front(8), /*LowerCase=*/true);
}

} // namespace sendsync::tidy
