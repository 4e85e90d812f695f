//===- EscapeCheck.cpp - sendsync-escape ----------------------------------===//

#include "Tidy/EscapeCheck.h"
#include "Analysis/Region.h"
#include "Analysis/Sharing.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"

using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

void EscapeCheck::checkCrossing(const ss::Crossing &C, const Stmt *Body,
                                ASTContext &Ctx) {
  const ss::ShareInfo &Info = facts(Ctx).share(C);
  // A coroutine keeps a reference parameter, not the object: a temporary
  // bound to it ends with the statement that started the coroutine, joined
  // or not, before the coroutine's first resumption on the other thread.
  for (const auto &[P, Arg] : Info.TemporaryArguments) {
    if (!firstFinding(Arg->getExprLoc(), "temporary"))
      continue;
    diag(Arg->getExprLoc(),
         "a temporary is bound to reference parameter '%0' of coroutine %1, "
         "which is given to another thread: the temporary is destroyed at "
         "the end of this statement, before the coroutine runs")
        << P->getName() << describeFunction(Info.BodyFunction);
    diag(C.Call->getExprLoc(), "the coroutine is given to another thread here",
         DiagnosticIDs::Note);
    diag(P->getLocation(), "take '%0' by value: the coroutine frame then "
                           "owns a copy",
         DiagnosticIDs::Note)
        << P->getName();
  }
  if (C.Scoped)
    return; // joined before the scope ends: borrowing locals is the point
  if (Info.Objects.empty())
    return;
  const ss::Region &R = facts(Ctx).region(C, Body, config());
  if (R.Escape == ss::Region::None)
    return;
  for (const ss::SharedObject &S : Info.Objects) {
    if (S.How == ss::ShareVia::SharedPointee || S.How == ss::ShareVia::Pointee)
      continue; // a copy of the shared_ptr keeps its pointee alive
    // Locals and by-value parameters die with the function; a reference
    // parameter's referent belongs to the caller, whose lifetime is unknown.
    const auto *VD = dyn_cast<VarDecl>(S.Object);
    if (!VD || !VD->hasLocalStorage() || VD->getType()->isReferenceType())
      continue;
    // A local executor that finishes its tasks when destroyed is destroyed
    // before every local declared ahead of it (and its tasks may use it).
    if (!firstFinding(S.At, VD->getName()))
      continue;
    if (R.Executor &&
        (VD == R.Executor ||
         Ctx.getSourceManager().isBeforeInTranslationUnit(
             VD->getLocation(), R.Executor->getLocation())))
      continue;
    diag(S.At, "'%0' is a local variable shared by reference with a thread "
               "that may outlive it: the thread is %select{|detached|returned "
               "from the function|stored outside the function|started with "
               "no handle to join}1")
        << VD->getName() << static_cast<unsigned>(R.Escape);
    SourceLocation EscLoc =
        R.EscapesAt ? R.EscapesAt->getBeginLoc() : C.Call->getExprLoc();
    diag(EscLoc, "%select{|detached|returned|stored|started}0 here",
         DiagnosticIDs::Note)
        << static_cast<unsigned>(R.Escape);
    diag(VD->getLocation(), "'%0' is destroyed at the end of its scope",
         DiagnosticIDs::Note)
        << VD->getName();
    diag(S.At,
         "join the thread before '%0' goes out of scope, capture it by value, "
         "or start the thread with a scoped spawn (sendsync::scope)",
         DiagnosticIDs::Note)
        << VD->getName();
  }
}

} // namespace clang::tidy::sendsync
