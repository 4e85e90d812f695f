//===- IndexRange.cpp - which elements an index may select ----------------===//

#include "Analysis/IndexRange.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/Stmt.h"
#include "llvm/Support/MathExtras.h"
#include <algorithm>

using namespace clang;
using namespace llvm;

namespace sendsync {

namespace {

class Evaluator {
public:
  Evaluator(const Expr *Index, const ParentMap &PM, const ASTContext &Ctx,
            ParamValues Params)
      : Index(Index), PM(PM), Ctx(Ctx), Params(Params) {}

  std::optional<IndexRange> eval(const Expr *E, unsigned Depth = 0) {
    // Deep enough for `r * W + c` under two loops; bounds made of loops'
    // variables recurse through their own bounds.
    if (!E || Depth > 8 || E->isValueDependent())
      return std::nullopt;
    E = E->IgnoreParenCasts();
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, Ctx) && R.Val.getInt().getSignificantBits() <= 62)
      return point(R.Val.getInt().getSExtValue());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      if (!V)
        return std::nullopt;
      if (std::optional<int64_t> Value = Params(V))
        return point(*Value);
      return induction(V, Depth);
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      std::optional<IndexRange> L = eval(BO->getLHS(), Depth + 1);
      std::optional<IndexRange> Rt = eval(BO->getRHS(), Depth + 1);
      if (!L || !Rt)
        return std::nullopt;
      switch (BO->getOpcode()) {
      case BO_Add:
        return combine(*L, *Rt, [](int64_t A, int64_t B, int64_t &Out) {
          return !AddOverflow(A, B, Out);
        });
      case BO_Sub:
        return combine(*L, *Rt, [](int64_t A, int64_t B, int64_t &Out) {
          return !SubOverflow(A, B, Out);
        });
      case BO_Mul:
        return combine(*L, *Rt, [](int64_t A, int64_t B, int64_t &Out) {
          return !MulOverflow(A, B, Out);
        });
      default:
        return std::nullopt;
      }
    }
    return std::nullopt;
  }

private:
  static IndexRange point(int64_t V) { return {V, V}; }

  template <class Op>
  static std::optional<IndexRange> combine(IndexRange A, IndexRange B, Op F) {
    int64_t C[4];
    if (!F(A.Lo, B.Lo, C[0]) || !F(A.Lo, B.Hi, C[1]) || !F(A.Hi, B.Lo, C[2]) ||
        !F(A.Hi, B.Hi, C[3]))
      return std::nullopt;
    return IndexRange{*std::min_element(C, C + 4), *std::max_element(C, C + 4)};
  }

  /// \p V as the induction variable of a counted loop around the index:
  /// `for (int i = lo; i < hi; ++i)` (or `<=`, `i += step` with a positive
  /// step, `i = lo` in the init) bounds it to [lo, hi - 1].
  std::optional<IndexRange> induction(const VarDecl *V, unsigned Depth) {
    for (const Stmt *P = PM.getParent(Index); P; P = PM.getParent(P)) {
      const auto *For = dyn_cast<ForStmt>(P);
      if (!For || !For->getInit() || !For->getCond() || !For->getInc())
        continue;
      const Expr *Start = startOf(For->getInit(), V);
      if (!Start)
        continue;
      if (!counts(For->getInc(), V))
        return std::nullopt;
      std::optional<IndexRange> Lo = eval(Start, Depth + 1);
      std::optional<IndexRange> Hi = boundOf(For->getCond(), V, Depth);
      if (!Lo || !Hi || Lo->Lo > Hi->Hi)
        return std::nullopt;
      return IndexRange{Lo->Lo, Hi->Hi};
    }
    return std::nullopt;
  }

  static const Expr *startOf(const Stmt *Init, const VarDecl *V) {
    if (const auto *DS = dyn_cast<DeclStmt>(Init))
      return DS->isSingleDecl() && DS->getSingleDecl() == V ? V->getInit()
                                                            : nullptr;
    if (const auto *BO = dyn_cast<BinaryOperator>(Init))
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DRE =
                dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
            DRE && DRE->getDecl() == V)
          return BO->getRHS();
    return nullptr;
  }

  /// ++i, i++, i += c with c > 0.
  bool counts(const Expr *Inc, const VarDecl *V) {
    Inc = Inc->IgnoreParenImpCasts();
    auto IsV = [&](const Expr *E) {
      const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return DRE && DRE->getDecl() == V;
    };
    if (const auto *UO = dyn_cast<UnaryOperator>(Inc))
      return UO->isIncrementOp() && IsV(UO->getSubExpr());
    if (const auto *BO = dyn_cast<BinaryOperator>(Inc)) {
      Expr::EvalResult R;
      return BO->getOpcode() == BO_AddAssign && IsV(BO->getLHS()) &&
             BO->getRHS()->EvaluateAsInt(R, V->getASTContext()) &&
             R.Val.getInt().isStrictlyPositive();
    }
    return false;
  }

  /// The largest value \p V takes in the body of a loop with condition
  /// \p Cond: `V < e` gives e - 1, `V <= e` gives e (and `e > V`, `e >= V`).
  std::optional<IndexRange> boundOf(const Expr *Cond, const VarDecl *V,
                                    unsigned Depth) {
    const auto *BO = dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts());
    if (!BO)
      return std::nullopt;
    auto IsV = [&](const Expr *E) {
      const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
      return DRE && DRE->getDecl() == V;
    };
    const Expr *Bound = nullptr;
    int64_t Adjust = 0;
    switch (BO->getOpcode()) {
    case BO_LT:
    case BO_LE:
      if (!IsV(BO->getLHS()))
        return std::nullopt;
      Bound = BO->getRHS();
      Adjust = BO->getOpcode() == BO_LT ? -1 : 0;
      break;
    case BO_GT:
    case BO_GE:
      if (!IsV(BO->getRHS()))
        return std::nullopt;
      Bound = BO->getLHS();
      Adjust = BO->getOpcode() == BO_GT ? -1 : 0;
      break;
    default:
      return std::nullopt;
    }
    std::optional<IndexRange> B = eval(Bound, Depth + 1);
    if (!B)
      return std::nullopt;
    return IndexRange{B->Lo + Adjust, B->Hi + Adjust};
  }

  const Expr *Index;
  const ParentMap &PM;
  const ASTContext &Ctx;
  ParamValues Params;
};

} // namespace

std::optional<IndexRange> indexRange(const Expr *Index, const ParentMap &PM,
                                     const ASTContext &Ctx,
                                     ParamValues Params) {
  return Evaluator(Index, PM, Ctx, Params).eval(Index);
}

std::optional<bool> conditionValue(const Expr *Cond, const ParentMap &PM,
                                   const ASTContext &Ctx, ParamValues Params) {
  if (!Cond || Cond->isValueDependent())
    return std::nullopt;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot) {
    if (std::optional<bool> V = conditionValue(UO->getSubExpr(), PM, Ctx, Params))
      return !*V;
    return std::nullopt;
  }
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (BO && (BO->getOpcode() == BO_LAnd || BO->getOpcode() == BO_LOr)) {
    std::optional<bool> L = conditionValue(BO->getLHS(), PM, Ctx, Params);
    std::optional<bool> R = conditionValue(BO->getRHS(), PM, Ctx, Params);
    bool And = BO->getOpcode() == BO_LAnd;
    // A side that decides alone: false && _, true || _.
    if ((L && *L != And) || (R && *R != And))
      return !And;
    if (L && R)
      return And;
    return std::nullopt;
  }
  // `id` alone: whether it is nonzero.
  if (!BO || !BO->isComparisonOp()) {
    if (!Cond->getType()->isIntegerType() && !Cond->getType()->isBooleanType())
      return std::nullopt;
    std::optional<IndexRange> V = indexRange(Cond, PM, Ctx, Params);
    if (!V)
      return std::nullopt;
    if (V->Lo == 0 && V->Hi == 0)
      return false;
    if (V->Lo > 0 || V->Hi < 0)
      return true;
    return std::nullopt;
  }
  std::optional<IndexRange> L = indexRange(BO->getLHS(), PM, Ctx, Params);
  std::optional<IndexRange> R = indexRange(BO->getRHS(), PM, Ctx, Params);
  if (!L || !R)
    return std::nullopt;
  switch (BO->getOpcode()) {
  case BO_EQ:
  case BO_NE: {
    std::optional<bool> Equal;
    if (L->Lo == L->Hi && R->Lo == R->Hi && L->Lo == R->Lo)
      Equal = true;
    else if (!L->meets(*R))
      Equal = false;
    if (!Equal)
      return std::nullopt;
    return BO->getOpcode() == BO_EQ ? *Equal : !*Equal;
  }
  case BO_LT:
    if (L->Hi < R->Lo)
      return true;
    if (L->Lo >= R->Hi)
      return false;
    return std::nullopt;
  case BO_LE:
    if (L->Hi <= R->Lo)
      return true;
    if (L->Lo > R->Hi)
      return false;
    return std::nullopt;
  case BO_GT:
    if (L->Lo > R->Hi)
      return true;
    if (L->Hi <= R->Lo)
      return false;
    return std::nullopt;
  case BO_GE:
    if (L->Lo >= R->Hi)
      return true;
    if (L->Hi < R->Lo)
      return false;
    return std::nullopt;
  default:
    return std::nullopt;
  }
}

} // namespace sendsync
