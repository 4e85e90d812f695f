//===- Baseline.h - findings accepted when a project adopts the checks -*-===//
//
// A baseline lists the findings a codebase had when it adopted sendsync, so
// that CI fails only on new ones. Entries are keyed by fingerprint (see
// fingerprint()), never by line number, and carry a count: two identical
// findings in one file need two entries before a third one is new.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_BASELINE_H
#define SENDSYNC_TOOLS_BASELINE_H

#include "Findings.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

namespace sendsync::tidy {

class Baseline {
public:
  /// Reads a baseline written by write(). Paths in it are relative to the
  /// directory that holds it.
  static llvm::Expected<Baseline> read(llvm::StringRef Path);

  /// Writes every finding that is not a compile or configuration error.
  static llvm::Error write(llvm::StringRef Path,
                           const std::vector<Finding> &Findings);

  /// The directory fingerprints are computed relative to: the one that holds
  /// the baseline file.
  static std::string rootFor(llvm::StringRef Path);

  /// Whether F is recorded, consuming one recorded occurrence if it is.
  bool take(const Finding &F, llvm::StringRef Root);

private:
  llvm::StringMap<unsigned> Counts;
};

} // namespace sendsync::tidy

#endif
