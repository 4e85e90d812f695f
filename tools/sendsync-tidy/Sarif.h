//===- Sarif.h - findings as a SARIF 2.1.0 log ------------------*- C++ -*-===//
//
// SARIF is what GitHub code scanning and other viewers read. One run, one
// result per finding: the rule id is the check name, rules carry the check's
// documentation as help, and the notes (the chain of reasons a type is not
// Send, where the conflicting access runs, ...) become related locations and
// a code flow.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_TOOLS_SARIF_H
#define SENDSYNC_TOOLS_SARIF_H

#include "Findings.h"
#include "llvm/Support/raw_ostream.h"

namespace sendsync::tidy {

struct SarifInvocation {
  /// False when a translation unit did not compile or its analysis failed:
  /// viewers then show that the results may be incomplete.
  bool Successful = true;
  /// Why it was not, one message each.
  std::vector<std::string> Problems;
  std::vector<std::string> CommandLine;
};

/// Writes Findings as a SARIF 2.1.0 log. Paths under Root are written
/// relative to it (the SRCROOT base), so that code scanning can map them to
/// the repository.
void writeSarif(llvm::raw_ostream &OS, const std::vector<Finding> &Findings,
                llvm::StringRef Root, const SarifInvocation &Invocation);

} // namespace sendsync::tidy

#endif
