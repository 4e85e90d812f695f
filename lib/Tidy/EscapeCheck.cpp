//===- EscapeCheck.cpp - sendsync-escape ----------------------------------===//

#include "Tidy/EscapeCheck.h"
#include "Analysis/Accesses.h"
#include "Analysis/Region.h"
#include "Analysis/Sharing.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include <optional>

using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

/// Whether \p Body (of the thread, or of the spawner within \p R) writes
/// \p VD or hands out its address.
static bool writes(const Stmt *Body, const ValueDecl *VD, ss::ThreadFacts &F,
                   const ss::Region *R) {
  bool Written = false;
  auto Wanted = [&](const ValueDecl *D) { return D == VD; };
  auto InRegion = [&](const Stmt *S) { return R->contains(S); };
  ss::AccessQuery Q;
  Q.Wanted = Wanted;
  if (R) {
    Q.SkipLambdas = true;
    Q.InRegion = InRegion;
  }
  ss::collectAccesses(Body, F, Q, [&](ss::Access A) {
    Written |= A.Write || A.UseOnly;
  });
  return Written;
}

/// The removal that makes the explicit by-reference capture `&x` of \p VD
/// in the crossing's lambda a by-value one, when the copy means the same:
/// \p VD is a small, trivially copyable Send value that neither the thread
/// nor, while it runs, the spawner writes, so the thread reads the value
/// the reference would have shown it (and nothing dangles).
static std::optional<FixItHint>
byValueCapture(const ss::Crossing &C, const VarDecl *VD, const Stmt *Body,
               const ss::Region &R, ss::ThreadFacts &F, ss::TraitEngine &Eng,
               ASTContext &Ctx) {
  QualType T = VD->getType();
  if (T->isReferenceType() || T->isDependentType() || T->isIncompleteType() ||
      !T.isTriviallyCopyableType(Ctx) || T.isVolatileQualified() ||
      Ctx.getTypeSize(T) > 128 ||
      Eng.query(T, ss::Trait::Send) != ss::Verdict::Yes)
    return std::nullopt;
  for (const ss::CrossingValue &V : C.Values) {
    const LambdaExpr *L = ss::lambdaOf(V.Arg);
    if (!L)
      continue;
    for (const LambdaCapture &Cap : L->explicit_captures()) {
      if (Cap.getCaptureKind() != LCK_ByRef || !Cap.capturesVariable() ||
          Cap.getCapturedVar() != VD || Cap.isPackExpansion())
        continue;
      SourceLocation Name = Cap.getLocation();
      const SourceManager &SM = Ctx.getSourceManager();
      if (Name.isMacroID() || writes(L->getBody(), VD, F, nullptr) ||
          writes(Body, VD, F, &R))
        return std::nullopt;
      // The `&` before the name, across blanks.
      const char *P = SM.getCharacterData(Name);
      unsigned Back = 1;
      while (Back < 64 && (P[-(int)Back] == ' ' || P[-(int)Back] == '\t'))
        ++Back;
      if (Back >= 64 || P[-(int)Back] != '&')
        return std::nullopt;
      return FixItHint::CreateRemoval(CharSourceRange::getCharRange(
          Name.getLocWithOffset(-(int)Back), Name));
    }
  }
  return std::nullopt;
}

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
    std::optional<FixItHint> Fix;
    if (S.How == ss::ShareVia::RefCapture)
      Fix = byValueCapture(C, VD, Body, R, facts(Ctx), engine(Ctx), Ctx);
    {
      auto D = diag(S.At, "'%0' is a local variable shared by reference with "
                          "a thread that may outlive it: the thread is "
                          "%select{|detached|returned from the function|"
                          "stored outside the function|started with no "
                          "handle to join}1")
               << VD->getName() << static_cast<unsigned>(R.Escape);
      if (Fix)
        D << *Fix;
    }
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
