//===- LocalUses.cpp - how a body changes its variables ---------*- C++ -*-===//

#include "Analysis/LocalUses.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

/// Whether \p E is a value computed from the pointer \p D itself: `p + 1`,
/// `&p[k]`, `p->next`: an assignment of one moves through what p points
/// into, and reaches nothing the thread had not reached through p.
static bool derivedFrom(const Expr *E, const ValueDecl *D) {
  while (E) {
    E = E->IgnoreParenCasts();
    if (const auto *Ref = dyn_cast<DeclRefExpr>(E))
      return Ref->getDecl() == D;
    if (const auto *ME = dyn_cast<MemberExpr>(E))
      E = ME->getBase();
    else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
      E = ASE->getBase();
    else if (const auto *UO = dyn_cast<UnaryOperator>(E);
             UO && (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref))
      E = UO->getSubExpr();
    else if (const auto *BO = dyn_cast<BinaryOperator>(E);
             BO && BO->isAdditiveOp())
      E = BO->getLHS()->getType()->isPointerType() ? BO->getLHS()
                                                   : BO->getRHS();
    else
      return false;
  }
  return false;
}

/// What the parent \p Parent does with the variable \p Ref names.
static unsigned useOf(const DeclRefExpr *Ref, const Stmt *Parent) {
  if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(Parent))
    return Cast->getCastKind() == CK_LValueToRValue ? 0 : LocalUses::Other;
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Parent)) {
    if (!BO->isAssignmentOp() || BO->getLHS() != Ref)
      return LocalUses::Other;
    BinaryOperatorKind Op = BO->getOpcode();
    bool Step = Op == BO_AddAssign || Op == BO_SubAssign ||
                (Op == BO_Assign && Ref->getType()->isPointerType() &&
                 derivedFrom(BO->getRHS(), Ref->getDecl()));
    return Step && !Ref->getType()->isFloatingType() ? LocalUses::Stepped
                                                      : LocalUses::Assigned;
  }
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Parent))
    return UO->isIncrementDecrementOp() ? LocalUses::Stepped
                                        : LocalUses::Other;
  return LocalUses::Other;
}

LocalUses localUsesOf(const Stmt *Body) {
  LocalUses Out;
  if (!Body)
    return Out;
  // Pre-order, children left to right: a declaration comes before the
  // declarations after it, which PointerLocals keeps.
  SmallVector<std::pair<const Stmt *, const Stmt *>, 64> Work{{Body, nullptr}};
  while (!Work.empty()) {
    auto [S, Parent] = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *Ref = dyn_cast<DeclRefExpr>(S)) {
      if (unsigned U = useOf(Ref, Parent))
        Out.Uses[Ref->getDecl()] |= U;
      continue;
    }
    if (const auto *Lambda = dyn_cast<LambdaExpr>(S); Lambda && S != Body) {
      // Its by-copy captures load; its by-reference ones may be written
      // whenever it runs. Its body is the body's too.
      for (const LambdaCapture &C : Lambda->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *V = dyn_cast<ValueDecl>(C.getCapturedVar()))
            Out.Uses[V] |= LocalUses::Other;
      Work.push_back({Lambda->getBody(), Lambda});
      continue;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->isLocalVarDecl() && VD->getInit())
          Out.InitializedLocals.push_back(VD);
    size_t First = Work.size();
    for (const Stmt *C : S->children())
      Work.push_back({C, S});
    std::reverse(Work.begin() + First, Work.end());
  }
  return Out;
}

} // namespace sendsync
