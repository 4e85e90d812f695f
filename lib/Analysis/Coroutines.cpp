//===- Coroutines.cpp - coroutines that may resume on another thread ------===//

#include "Analysis/Coroutines.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Annotations.h"
#include "Analysis/Definitions.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

const FunctionDecl *coroutineDefinition(const FunctionDecl *FD) {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  return Def && isa_and_nonnull<CoroutineBodyStmt>(Def->getBody()) ? Def
                                                                     : nullptr;
}

const CallExpr *coroutineCall(const Expr *E) {
  while (E) {
    E = E->IgnoreImplicit()->IgnoreParens();
    if (const auto *MTE = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = MTE->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      // A move of the result object, or a conversion (Task to a type-erased
      // job): the coroutine is still what runs.
      if (CE->getNumArgs() != 1)
        return nullptr;
      E = CE->getArg(0);
      continue;
    }
    if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E)) {
      E = FC->getSubExpr();
      continue;
    }
    const auto *Call = dyn_cast<CallExpr>(E);
    if (!Call)
      return nullptr;
    const FunctionDecl *FD = Call->getDirectCallee();
    if (FD && FD->getIdentifier() && Call->getNumArgs() == 1 &&
        FD->isInStdNamespace() &&
        (FD->getName() == "move" || FD->getName() == "forward")) {
      E = Call->getArg(0);
      continue;
    }
    return coroutineDefinition(FD) ? Call : nullptr;
  }
  return nullptr;
}

/// Whether the unit can hold a coroutine at all: one needs
/// std::coroutine_traits (or std::experimental's) to be declared.
static bool mayHaveCoroutines(ASTContext &Ctx) {
  if (!Ctx.getLangOpts().CPlusPlus20 && !Ctx.getLangOpts().Coroutines)
    return false;
  const TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  for (const NamedDecl *Std : TU->lookup(&Ctx.Idents.get("std")))
    if (const auto *NS = dyn_cast<NamespaceDecl>(Std)) {
      if (!NS->lookup(&Ctx.Idents.get("coroutine_traits")).empty())
        return true;
      for (const Decl *D : NS->decls())
        if (const auto *Inner = dyn_cast<NamespaceDecl>(D);
            Inner && (Inner->isInline() || Inner->getName() == "experimental") &&
            !Inner->lookup(&Ctx.Idents.get("coroutine_traits")).empty())
          return true;
    }
  return false;
}

/// The suspension points the user wrote in \p Body: co_await and co_yield,
/// not the implicit initial and final suspends, not inside nested lambdas.
static SmallVector<const CoroutineSuspendExpr *, 4>
suspensionPoints(const CoroutineBodyStmt *Body) {
  SmallVector<const CoroutineSuspendExpr *, 4> Out;
  SmallVector<const Stmt *, 32> Work{Body->getBody()};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *CA = dyn_cast<CoawaitExpr>(S)) {
      if (!CA->isImplicit())
        Out.push_back(CA);
    } else if (const auto *CY = dyn_cast<CoyieldExpr>(S)) {
      Out.push_back(CY);
    }
    pushChildren(Work, S);
  }
  // Source order, for the first one after each variable.
  llvm::sort(Out, [](const CoroutineSuspendExpr *A,
                     const CoroutineSuspendExpr *B) {
    return A->getBeginLoc().getRawEncoding() <
           B->getBeginLoc().getRawEncoding();
  });
  return Out;
}

/// The class of the awaiter \p S suspends on.
static const CXXRecordDecl *awaiterOf(const CoroutineSuspendExpr *S) {
  const Expr *Common = S->getCommonExpr();
  if (!Common)
    return nullptr;
  return Common->getType().getNonReferenceType()->getAsCXXRecordDecl();
}

namespace {
class Finder {
public:
  Finder(const Config &Cfg) : Cfg(Cfg) {}

  /// Why awaiting \p RD may resume the coroutine on another thread.
  std::optional<ResumePoint::Reason> awaiterMigrates(const CXXRecordDecl *RD) {
    if (!RD)
      return std::nullopt;
    auto [It, New] = Awaiters.try_emplace(RD);
    if (!New)
      return It->second;
    std::optional<ResumePoint::Reason> R;
    if (resumesElsewhere(RD))
      R = ResumePoint::AnnotatedAwaiter;
    else if (RD->hasDefinition())
      for (const CXXMethodDecl *MD : RD->getDefinition()->methods()) {
        if (!MD->getIdentifier() || MD->getName() != "await_suspend")
          continue;
        const FunctionDecl *Def = MD->getDefinition();
        if (!Def || !Def->getBody())
          continue;
        bool Crosses = false;
        forEachCrossing(Def->getBody(), Cfg,
                        [&](const Crossing &, const Stmt *) { Crosses = true; });
        if (Crosses)
          R = ResumePoint::HandsOff;
      }
    Awaiters[RD] = R;
    return R;
  }

private:
  const Config &Cfg;
  DenseMap<const CXXRecordDecl *, std::optional<ResumePoint::Reason>> Awaiters;
};
} // namespace

std::vector<CoroutineInfo>
migratingCoroutines(const Definitions &Defs, ArrayRef<const Crossing *> Crossings,
                    const Config &Cfg, ASTContext &Ctx) {
  std::vector<CoroutineInfo> Out;
  if (!mayHaveCoroutines(Ctx))
    return Out;
  // Every coroutine of the unit's own code: functions, and lambdas in them.
  std::vector<CoroutineInfo> All;
  DenseMap<const FunctionDecl *, size_t> Index;
  auto Add = [&](const FunctionDecl *FD) {
    const auto *Body = dyn_cast_or_null<CoroutineBodyStmt>(FD->getBody());
    if (!Body || FD->isDependentContext())
      return;
    Index[FD->getCanonicalDecl()] = All.size();
    All.push_back({FD, Body, {}});
  };
  for (const FunctionDecl *FD : Defs.Functions) {
    Add(FD);
    SmallVector<const Stmt *, 32> Work{FD->getBody()};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *L = dyn_cast<LambdaExpr>(S))
        if (const CXXMethodDecl *Call = L->getCallOperator())
          Add(Call);
      pushChildren(Work, S);
    }
  }
  if (All.empty())
    return Out;

  auto Find = [&](const FunctionDecl *FD) -> CoroutineInfo * {
    if (!FD)
      return nullptr;
    auto It = Index.find(FD->getCanonicalDecl());
    return It == Index.end() ? nullptr : &All[It->second];
  };
  DenseMap<const CoroutineInfo *, SmallVector<const CoroutineSuspendExpr *, 4>>
      Points;
  for (CoroutineInfo &CI : All)
    Points[&CI] = suspensionPoints(CI.Body);

  auto Mark = [](CoroutineInfo &CI, const CoroutineSuspendExpr *S,
                 ResumePoint P) {
    for (const ResumePoint &Q : CI.Points)
      if (Q.At == S)
        return false;
    P.At = S;
    CI.Points.push_back(P);
    return true;
  };

  Finder F(Cfg);
  for (CoroutineInfo &CI : All)
    for (const CoroutineSuspendExpr *S : Points[&CI]) {
      if (Cfg.AssumeCoroutinesResumeElsewhere) {
        Mark(CI, S, {S, ResumePoint::Assumed, nullptr, nullptr});
        continue;
      }
      const CXXRecordDecl *RD = awaiterOf(S);
      if (auto Why = F.awaiterMigrates(RD))
        Mark(CI, S, {S, *Why, RD, nullptr});
    }

  // Given to a crossing: it runs, and after each suspension resumes,
  // wherever the executor puts it (the awaiters' own reasons come first).
  for (const Crossing *C : Crossings)
    for (const CrossingValue &V : C->Values)
      if (const CallExpr *Call = coroutineCall(V.Arg))
        if (CoroutineInfo *CI = Find(coroutineDefinition(Call->getDirectCallee())))
          for (const CoroutineSuspendExpr *S : Points[CI])
            Mark(*CI, S, {S, ResumePoint::Spawned, nullptr, C->Call});

  // Awaiting a coroutine that may end on another thread resumes the
  // awaiting one there (symmetric transfer from its final suspend).
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (CoroutineInfo &CI : All)
      for (const CoroutineSuspendExpr *S : Points[&CI]) {
        const auto *CA = dyn_cast<CoawaitExpr>(S);
        const CallExpr *Call = CA ? coroutineCall(CA->getOperand()) : nullptr;
        CoroutineInfo *Awaited =
            Call ? Find(coroutineDefinition(Call->getDirectCallee())) : nullptr;
        if (!Awaited || Awaited == &CI || Awaited->Points.empty())
          continue;
        Changed |= Mark(CI, S,
                        {S, ResumePoint::AwaitsMigrating, Awaited->Function,
                         nullptr});
      }
  }

  for (CoroutineInfo &CI : All)
    if (!CI.Points.empty()) {
      llvm::sort(CI.Points, [](const ResumePoint &A, const ResumePoint &B) {
        return A.At->getBeginLoc().getRawEncoding() <
               B.At->getBeginLoc().getRawEncoding();
      });
      Out.push_back(std::move(CI));
    }
  return Out;
}

SmallVector<const VarDecl *, 8> liveAcross(const CoroutineInfo &Info,
                                           const CoroutineSuspendExpr *At,
                                           const ParentMap &PM) {
  SmallVector<const VarDecl *, 8> Out;
  auto AddDecls = [&](const Stmt *S) {
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D);
            VD && VD->hasLocalStorage())
          Out.push_back(VD);
  };
  auto AddVar = [&](const VarDecl *VD) {
    if (VD && VD->hasLocalStorage())
      Out.push_back(VD);
  };
  const Stmt *Child = At;
  for (const Stmt *P = PM.getParent(At); P; Child = P, P = PM.getParent(P)) {
    if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
      for (const Stmt *S : CS->body()) {
        if (S == Child)
          break;
        AddDecls(S);
      }
    } else if (const auto *For = dyn_cast<ForStmt>(P)) {
      if (Child != For->getInit()) {
        AddDecls(For->getInit());
        AddVar(For->getConditionVariable());
      }
    } else if (const auto *If = dyn_cast<IfStmt>(P)) {
      if (Child != If->getInit()) {
        AddDecls(If->getInit());
        if (Child != If->getConditionVariableDeclStmt())
          AddVar(If->getConditionVariable());
      }
    } else if (const auto *While = dyn_cast<WhileStmt>(P)) {
      if (Child == While->getBody())
        AddVar(While->getConditionVariable());
    } else if (const auto *Switch = dyn_cast<SwitchStmt>(P)) {
      if (Child != Switch->getInit()) {
        AddDecls(Switch->getInit());
        if (Child != Switch->getConditionVariableDeclStmt())
          AddVar(Switch->getConditionVariable());
      }
    } else if (const auto *RF = dyn_cast<CXXForRangeStmt>(P)) {
      if (Child == RF->getBody()) {
        AddDecls(RF->getInit());
        AddVar(RF->getLoopVariable());
      }
    } else if (const auto *Catch = dyn_cast<CXXCatchStmt>(P)) {
      AddVar(Catch->getExceptionDecl());
    }
  }
  // The parameters live in the frame for the whole call.
  for (const ParmVarDecl *P : Info.Function->parameters())
    Out.push_back(P);
  return Out;
}

} // namespace sendsync
