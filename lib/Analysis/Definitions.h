//===- Definitions.h - the translation unit's own definitions ---*- C++ -*-===//
//
// The function and class definitions the checks judge: those of the
// translation unit's own code (outside system headers), template
// instantiations included, in the order the AST holds them.
//
// Found by one walk over declarations, not by an AST matcher per function:
// a matcher is tried on every declaration of the unit, the standard
// headers' and their instantiations' included, and that dispatch alone cost
// more than all of the analysis (bench/results/checker.md). The walk skips a
// system header's declarations wholesale and never descends into
// expressions, except to find the classes a function body declares.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_DEFINITIONS_H
#define SENDSYNC_ANALYSIS_DEFINITIONS_H

#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Decl;
class FunctionDecl;
} // namespace clang

namespace sendsync {

struct Definitions {
  /// Functions with a body, lambdas' call operators excluded (a lambda is
  /// judged inside the function that writes it).
  std::vector<const clang::FunctionDecl *> Functions;
  /// Class definitions, lambdas' closure types excluded.
  std::vector<const clang::CXXRecordDecl *> Classes;
  /// Declarations written with a sendsync annotation (templates' patterns,
  /// not their instantiations, which repeat the attributes).
  std::vector<const clang::Decl *> Annotated;
};

/// Walks the whole translation unit of \p Ctx once.
Definitions findDefinitions(clang::ASTContext &Ctx);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_DEFINITIONS_H
