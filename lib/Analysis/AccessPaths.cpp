//===- AccessPaths.cpp - what part of an object an expression names -------===//

#include "Analysis/AccessPaths.h"
#include "Analysis/ASTUtil.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

const FieldDecl *derefStep() {
  // Any address no FieldDecl can have: a path step that is never a member.
  static const char Marker = 0;
  return reinterpret_cast<const FieldDecl *>(&Marker);
}

bool AccessPath::overlaps(const AccessPath &O) const {
  const AccessPath *Short = this, *Long = &O;
  if (Short->Fields.size() > Long->Fields.size())
    std::swap(Short, Long);
  if (!Short->isPrefixOf(*Long))
    return false;
  for (size_t I = Short->Fields.size(); I < Long->Fields.size(); ++I)
    if (Long->Fields[I] == derefStep())
      return false;
  return true;
}

bool AccessPath::isPrefixOf(const AccessPath &O) const {
  if (Root != O.Root || Fields.size() > O.Fields.size())
    return false;
  for (size_t I = 0; I < Fields.size(); ++I)
    if (Fields[I] != O.Fields[I])
      return false;
  return true;
}

AccessPath AccessPath::extended(const AccessPath &Tail) const {
  AccessPath P = *this;
  if (Tail.Root) {
    if (const auto *F = dyn_cast<FieldDecl>(Tail.Root))
      P.Fields.push_back(F);
  }
  P.Fields.append(Tail.Fields.begin(), Tail.Fields.end());
  return P;
}

std::string AccessPath::str() const {
  std::string S = Root ? Root->getNameAsString() : "*this";
  for (size_t I = 0; I < Fields.size(); ++I) {
    const FieldDecl *F = Fields[I];
    if (F == derefStep()) {
      // p->m reads better than (*p).m.
      if (I + 1 < Fields.size() && isMemberStep(Fields[I + 1])) {
        S += "->" + Fields[++I]->getNameAsString();
        continue;
      }
      S = "(*" + S + ")";
      continue;
    }
    S += F ? "." + F->getNameAsString() : std::string("[]");
  }
  return S;
}

bool isAddressOf(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E))
    return UO->getOpcode() == UO_AddrOf;
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return isStdNamed(Call->getDirectCallee(), {"addressof"});
  return false;
}

std::optional<AccessPath> accessPathOf(const Expr *E) {
  SmallVector<const FieldDecl *, 4> Reversed;
  // Bounded by the expression's depth: each step moves to a subexpression.
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
      if (UO->getOpcode() == UO_AddrOf) {
        // &*p is p.
        if (!Reversed.empty() && Reversed.back() == derefStep())
          Reversed.pop_back();
        E = UO->getSubExpr();
        continue;
      }
      if (UO->getOpcode() == UO_Deref) {
        Reversed.push_back(derefStep());
        E = UO->getSubExpr();
        continue;
      }
      return std::nullopt;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (!isa<VarDecl, FieldDecl, BindingDecl>(DRE->getDecl()))
        return std::nullopt;
      AccessPath P;
      P.Root = DRE->getDecl();
      P.Fields.assign(Reversed.rbegin(), Reversed.rend());
      return P;
    }
    if (isa<CXXThisExpr>(E)) {
      AccessPath P;
      // this->m: the member is the root, as accesses name members of *this.
      if (!Reversed.empty() && Reversed.back()) {
        P.Root = Reversed.back();
        Reversed.pop_back();
      }
      P.Fields.assign(Reversed.rbegin(), Reversed.rend());
      return P;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const auto *F = dyn_cast<FieldDecl>(ME->getMemberDecl());
      if (!F)
        return std::nullopt;
      Reversed.push_back(F);
      if (ME->isArrow() &&
          !isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()))
        Reversed.push_back(derefStep());
      E = ME->getBase();
      continue;
    }
    if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
      Reversed.push_back(nullptr);
      // p[i] is an element of what p points to; a[i] of the array a.
      const Expr *Base = ASE->getBase()->IgnoreParenImpCasts();
      if (Base->getType()->isPointerType() &&
          !isa<ArrayType>(Base->getType().getCanonicalType()))
        if (!isa<ArrayType>(Base->IgnoreParenImpCasts()->getType()))
          Reversed.push_back(derefStep());
      E = ASE->getBase();
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
      // A smart pointer's *p and p->m, a container's c[i].
      if ((OC->getOperator() == OO_Arrow || OC->getOperator() == OO_Star) &&
          OC->getNumArgs() == 1) {
        Reversed.push_back(derefStep());
        E = OC->getArg(0);
        continue;
      }
      if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2) {
        Reversed.push_back(nullptr);
        E = OC->getArg(0);
        continue;
      }
      return std::nullopt;
    }
    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      // std::ref(x), std::cref(x), std::addressof(x), std::move(x).
      const FunctionDecl *FD = Call->getDirectCallee();
      if (Call->getNumArgs() == 1 &&
          isStdNamed(FD, {"ref", "cref", "addressof", "move", "forward"})) {
        E = Call->getArg(0);
        continue;
      }
      return std::nullopt;
    }
    if (const auto *CE = dyn_cast<CastExpr>(E)) {
      E = CE->getSubExpr();
      continue;
    }
    if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MT->getSubExpr();
      continue;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

} // namespace sendsync
