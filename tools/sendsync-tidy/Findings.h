//===- Findings.h - findings collected from clang-tidy runs -----*- C++ -*-===//
//
// One translation unit is analysed by one clang-tidy process, which writes
// its diagnostics as clang-apply-replacements YAML (--export-fixes). The
// driver reads them back here, resolves offsets to lines and columns,
// removes the duplicates that shared headers produce, and prints them the way
// clang-tidy does.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_FINDINGS_H
#define SENDSYNC_TOOLS_FINDINGS_H

#include "clang/Tooling/Core/Diagnostic.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include <memory>
#include <string>
#include <vector>

namespace sendsync::tidy {

/// A resolved position in a file. Line and column are 1-based; column counts
/// bytes, as clang's diagnostics do. An empty File means "no location".
struct SourcePos {
  std::string File;
  unsigned Offset = 0;
  unsigned Line = 0;
  unsigned Column = 0;
  /// The source line the position is on, without its line break.
  std::string LineText;

  bool valid() const { return !File.empty() && Line != 0; }
};

struct FindingNote {
  std::string Message;
  SourcePos Pos;
};

struct Finding {
  std::string Check;
  std::string Message;
  SourcePos Pos;
  std::vector<FindingNote> Notes;
  clang::tooling::Diagnostic::Level Level =
      clang::tooling::Diagnostic::Warning;
  /// The diagnostic as clang-tidy exported it, kept whole for --export-fixes.
  clang::tooling::Diagnostic Raw;

  bool isError() const { return Level == clang::tooling::Diagnostic::Error; }
  /// The code did not compile: the analysis of its translation unit is
  /// incomplete.
  bool isCompileError() const {
    return isError() && llvm::StringRef(Check).starts_with("clang-diagnostic-");
  }
  /// A check option with a value the check rejected.
  bool isConfigError() const { return Check == "clang-tidy-config"; }
  /// A warning that --warnings-as-errors (or WarningsAsErrors) promoted.
  bool isPromotedWarning() const {
    return isError() && !isCompileError() && !isConfigError();
  }
};

/// Reads files once and maps byte offsets to lines and columns.
class SourceCache {
public:
  /// Resolves Offset in File (relative paths are taken from BuildDir, as the
  /// compile command's "directory"). Returns an invalid position when the
  /// file cannot be read or the offset is past its end.
  SourcePos resolve(llvm::StringRef File, unsigned Offset,
                    llvm::StringRef BuildDir);

private:
  struct Entry {
    std::unique_ptr<llvm::MemoryBuffer> Buffer;
    std::vector<unsigned> LineStarts;
  };
  llvm::StringMap<Entry> Files;
};

/// Appends the diagnostics of one --export-fixes YAML file to Out. A missing
/// file means clang-tidy found nothing (it writes none then).
llvm::Error readExportedFindings(llvm::StringRef YamlPath, SourceCache &Sources,
                                 std::vector<Finding> &Out);

/// Sorts by location and removes exact duplicates: a finding in a header is
/// reported once however many translation units include it.
void sortAndDeduplicate(std::vector<Finding> &Findings);

/// Prints findings as clang-tidy does: "file:line:col: warning: message
/// [check]", the source line with a caret, and each note likewise.
void printText(llvm::raw_ostream &OS, const std::vector<Finding> &Findings);

/// Writes findings as one clang-apply-replacements YAML document, the format
/// clang-tidy's --export-fixes writes.
void writeExportFixes(llvm::raw_ostream &OS,
                      const std::vector<Finding> &Findings);

/// File as an absolute path without `.` or `..`; a relative File is taken
/// from BaseDir (the compile command's directory) or else the working
/// directory.
std::string absolutePath(llvm::StringRef File, llvm::StringRef BaseDir = "");

/// The path to show or record for File: relative to Root when it lies under
/// it, else absolute. Always with forward slashes.
std::string displayPath(llvm::StringRef File, llvm::StringRef Root);

/// A fingerprint of a finding that survives edits elsewhere in the file: it
/// hashes the check, the file (relative to Root), the message and the
/// trimmed text of the finding's line, but not the line number.
std::string fingerprint(const Finding &F, llvm::StringRef Root);

} // namespace sendsync::tidy

#endif
