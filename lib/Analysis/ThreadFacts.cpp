//===- ThreadFacts.cpp - the per-translation-unit facts of the analysis ---===//

#include "Analysis/ThreadFacts.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Accesses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

/// At most this many accesses are kept per summary: beyond it, a function
/// touches so much that its callers learn little more from the rest.
static constexpr size_t MaxSummaryAccesses = 256;

ThreadFacts::ThreadFacts(ASTContext &Ctx, bool AuditLockFreeClasses)
    : Ctx(Ctx), AuditLockFree(AuditLockFreeClasses) {}
ThreadFacts::~ThreadFacts() = default;

const Definitions &ThreadFacts::definitions() {
  if (!Defs)
    Defs = std::make_unique<Definitions>(findDefinitions(Ctx));
  return *Defs;
}

/// The checks may be configured apart (`sendsync-send.CrossingFunctions`);
/// the same options give the same crossings.
static std::string crossingKey(const Config &Cfg) {
  std::string Key;
  for (const auto *List : {&Cfg.CrossingFunctions, &Cfg.ScopedCrossingFunctions,
                           &Cfg.ParallelFunctions}) {
    for (const CrossingFunction &F : *List)
      Key += (F.Name.text() + "," + Twine(F.ParamIndex) + "," +
              Twine(F.ArgIndex.value_or(~0u)) + "," + Twine(F.AnyCallable) +
              ";")
                 .str();
    Key += "|";
  }
  return Key;
}

StringRef ThreadFacts::crossingKeyOf(const Config &Cfg) {
  // A check's configuration outlives the unit's facts; its key is built
  // once, not at every question about a body.
  auto [It, New] = CrossingKeys.try_emplace(&Cfg);
  if (New)
    It->second = crossingKey(Cfg);
  return It->second;
}

ArrayRef<CoroutineInfo> ThreadFacts::coroutines(const Config &Cfg) {
  std::string Key =
      crossingKeyOf(Cfg).str() + (Cfg.AssumeCoroutinesResumeElsewhere ? "1" : "0");
  if (auto It = Coroutines.find(Key); It != Coroutines.end())
    return It->second;
  SmallVector<const Crossing *, 16> Cs;
  for (const FoundCrossing &F : crossings(Cfg))
    Cs.push_back(&F.C);
  std::vector<CoroutineInfo> Found =
      migratingCoroutines(definitions(), Cs, Cfg, Ctx);
  return Coroutines[Key] = std::move(Found);
}

ArrayRef<ThreadFacts::FoundCrossing>
ThreadFacts::crossings(const Config &Cfg) {
  auto [It, New] = Crossings.try_emplace(crossingKeyOf(Cfg));
  if (!New)
    return It->second;
  std::vector<FoundCrossing> Found;
  for (const FunctionDecl *FD : definitions().Functions) {
    if (!FD->hasBody() || FD->isDependentContext() || isCrossingFunction(FD))
      continue;
    forEachCrossing(FD->getBody(), Cfg,
                    [&](const Crossing &C, const Stmt *Body) {
                      Found.push_back({C, Body});
                    });
  }
  It->second = std::move(Found); // nothing above inserts into Crossings
  return It->second;
}

void ThreadFacts::findCalls() {
  CallsFound = true;
  for (const FunctionDecl *FD : definitions().Functions) {
    if (!FD->hasBody() || FD->isDependentContext())
      continue;
    BodyOf[FD->getBody()] = FD;
    SmallVector<const Stmt *, 64> Work{FD->getBody()};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S || isa<LambdaExpr>(S))
        continue;
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *Callee = Call->getDirectCallee())
          Callers[Callee->getCanonicalDecl()].push_back({FD, Call});
      pushChildren(Work, S);
    }
  }
}

ArrayRef<ThreadFacts::CallSite>
ThreadFacts::callers(const FunctionDecl *FD) {
  if (!CallsFound)
    findCalls();
  auto It = Callers.find(FD->getCanonicalDecl());
  return It == Callers.end() ? ArrayRef<CallSite>() : ArrayRef(It->second);
}

const FunctionDecl *ThreadFacts::functionOf(const Stmt *Body) {
  if (!CallsFound)
    findCalls();
  return BodyOf.lookup(Body);
}

const ProgramOrder &ThreadFacts::order(const Stmt *Body, const Decl *D) {
  auto It = Orders.find(Body);
  if (It != Orders.end())
    return *It->second;
  auto PO = std::make_unique<ProgramOrder>(
      D, Body, Ctx, [this](const CallExpr *Call) { return neverReturns(Call); });
  return *Orders.try_emplace(Body, std::move(PO)).first->second;
}

bool ThreadFacts::neverReturns(const CallExpr *Call) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD)
    return false;
  // Clang's CFG already ends the path at a [[noreturn]] callee.
  if (FD->isNoReturn())
    return false;
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD);
      MD && MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
      !MD->getParent()->hasAttr<FinalAttr>()) {
    const auto *ME = dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParens());
    if (!ME || !ME->hasQualifier())
      return false;
  }
  return neverReturns(FD);
}

bool ThreadFacts::mayNotReturn(const FunctionDecl *Def) {
  if (auto It = MayNotReturn.find(Def); It != MayNotReturn.end())
    return It->second;
  MayNotReturn[Def] = false;
  auto Endless = [&](const Expr *Cond) {
    bool B = false;
    return !Cond || (!Cond->isValueDependent() &&
                     Cond->EvaluateAsBooleanCondition(B, Ctx) && B);
  };
  bool May = false;
  SmallVector<const Stmt *, 32> Work{Def->getBody()};
  while (!Work.empty() && !May) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr, BlockExpr>(S))
      continue;
    if (isa<CXXThrowExpr>(S))
      May = true;
    else if (const auto *W = dyn_cast<WhileStmt>(S))
      May = Endless(W->getCond());
    else if (const auto *F = dyn_cast<ForStmt>(S))
      May = Endless(F->getCond());
    else if (const auto *D = dyn_cast<DoStmt>(S))
      May = Endless(D->getCond());
    else if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        if (Callee->isNoReturn())
          May = true;
        else if (auto It = Endings.find(Callee->getCanonicalDecl());
                 It != Endings.end())
          May = It->second == Ending::Never;
        else if (const FunctionDecl *CalleeDef = analysable(Callee))
          May = mayNotReturn(CalleeDef);
      }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  MayNotReturn[Def] = May;
  return May;
}

bool ThreadFacts::neverReturns(const FunctionDecl *FD) {
  if (FD->isNoReturn())
    return true;
  // Asked at every call of every body read: by declaration, before
  // anything else is looked up.
  const FunctionDecl *Key = FD->getCanonicalDecl();
  if (auto It = Endings.find(Key); It != Endings.end())
    return It->second == Ending::Never;
  const FunctionDecl *Def = analysable(FD);
  // A coroutine's call returns at its first suspension, whatever its body
  // does after (a generator's endless loop). Most functions hold nothing
  // that could keep them from returning: the CFG is read only for those
  // that do.
  if (!Def || isa<CoroutineBodyStmt>(Def->getBody()) || !mayNotReturn(Def)) {
    Endings[Key] = Ending::Returns;
    return false;
  }
  Endings[Key] = Ending::UnderWay;
  const ProgramOrder &PO = order(Def->getBody(), Def);
  bool Returns = !PO.cfg(); // no CFG: nothing known, taken to return
  if (const CFG *G = PO.cfg()) {
    // A reached edge into the exit from a block that ends neither in a
    // throw nor in a call that never returns is a return.
    for (const CFGBlock::AdjacentBlock &Pred : G->getExit().preds()) {
      const CFGBlock *B = Pred.getReachableBlock();
      if (!B || !PO.reached(*B) || B->hasNoReturnElement() || PO.cutAt(*B))
        continue;
      bool Throws = llvm::any_of(*B, [](const CFGElement &E) {
        auto S = E.getAs<CFGStmt>();
        return S && isa<CXXThrowExpr>(S->getStmt());
      });
      if (!Throws) {
        Returns = true;
        break;
      }
    }
  }
  Endings[Key] = Returns ? Ending::Returns : Ending::Never;
  return !Returns;
}

ArrayRef<const Stmt *> ThreadFacts::escapeSites(const Stmt *Body) {
  auto [It, New] = EscapeSites.try_emplace(Body);
  if (!New)
    return It->second;
  std::vector<const Stmt *> Sites;
  SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    bool Site = false;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      Site = MD && MD->getIdentifier() && MD->getName() == "detach";
    } else if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
      Site = RS->getRetValue() != nullptr;
    } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = Call->getDirectCallee();
      Site = FD && Call->getNumArgs() == 1 && FD->getIdentifier() &&
             (FD->getName() == "pthread_detach" || isStdNamed(FD, {"move"}));
    }
    if (Site)
      Sites.push_back(S);
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  It->second = std::move(Sites);
  return It->second;
}

ArrayRef<std::pair<const ValueDecl *, const Expr *>>
ThreadFacts::referenceLocals(const Stmt *Body) {
  auto [It, New] = ReferenceLocals.try_emplace(Body);
  if (!New)
    return It->second;
  std::vector<std::pair<const ValueDecl *, const Expr *>> Found;
  // A range-for's variable is bound to each element in turn: the loop
  // rules judge it, and the range it goes over.
  DenseSet<const VarDecl *> LoopVariables;
  SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || (isa<LambdaExpr>(S) && S != Body))
      continue;
    pushChildren(Work, S);
    if (const auto *RF = dyn_cast<CXXForRangeStmt>(S)) {
      LoopVariables.insert(RF->getLoopVariable());
      // And its hidden `__range`, `__begin`, `__end`.
      for (const DeclStmt *Hidden :
           {RF->getRangeStmt(), RF->getBeginStmt(), RF->getEndStmt()})
        if (Hidden)
          for (const Decl *D : Hidden->decls())
            if (const auto *VD = dyn_cast<VarDecl>(D))
              LoopVariables.insert(VD);
    }
    const auto *DS = dyn_cast<DeclStmt>(S);
    if (!DS)
      continue;
    for (const Decl *D : DS->decls())
      if (const auto *VD = dyn_cast<VarDecl>(D);
          VD && VD->isLocalVarDecl() && VD->getType()->isReferenceType() &&
          VD->getInit() && VD->getInit()->isGLValue())
        Found.push_back({VD, VD->getInit()->IgnoreParenImpCasts()});
  }
  llvm::erase_if(Found, [&](const auto &P) {
    return LoopVariables.count(cast<VarDecl>(P.first));
  });
  It->second = std::move(Found);
  return It->second;
}

/// The atomic pointer \p E names (`head`, `&head`) that other threads can
/// name too, or null: a global, a variable of an enclosing function that a
/// lambda captures by reference (std::atomic cannot be copied), or one a
/// reference parameter is bound to.
static const VarDecl *sharedAtomicPointer(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!VD || VD->getTLSKind() != VarDecl::TLS_None)
    return nullptr;
  bool Shared = VD->hasGlobalStorage() ||
                DRE->refersToEnclosingVariableOrCapture() ||
                (isa<ParmVarDecl>(VD) && VD->getType()->isReferenceType());
  if (!Shared)
    return nullptr;
  return atomicPointee(VD->getType().getNonReferenceType()).isNull() ? nullptr
                                                                     : VD;
}

/// The shared atomic pointer whose value \p E is: `head.load()`, `head`
/// converted, `atomic_load(&head)`, C's `head`. (Not `head.exchange(n)`:
/// no two exchanges take the same value, so what one takes is its
/// thread's own, as in a lock-free stack's pop-all.)
static const VarDecl *loadedFrom(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *MD = MC->getMethodDecl();
    if (MD && (isa<CXXConversionDecl>(MD) ||
               (MD->getIdentifier() && MD->getName() == "load")))
      return sharedAtomicPointer(MC->getImplicitObjectArgument());
    return nullptr;
  }
  if (const auto *AE = dyn_cast<AtomicExpr>(E)) {
    if (AE->getOpAsString().contains("load"))
      return sharedAtomicPointer(AE->getPtr());
    return nullptr;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return sharedAtomicPointer(DRE);
  return nullptr;
}

const LocalUses &ThreadFacts::localUses(const Stmt *Body) {
  std::unique_ptr<LocalUses> &Slot = Uses[Body];
  if (!Slot)
    Slot = std::make_unique<LocalUses>(localUsesOf(Body));
  return *Slot;
}

const StatementAtomics &ThreadFacts::atomicsOf(const Stmt *S) {
  static const StatementAtomics None;
  auto [It, New] = Atomics.try_emplace(S);
  if (New) {
    StatementAtomics Found = statementAtomics(S);
    if (!Found.empty())
      It->second = std::make_unique<StatementAtomics>(std::move(Found));
  }
  return It->second ? *It->second : None;
}

bool ThreadFacts::mayOrder(const Stmt *Body) {
  auto [It, New] = MayOrder.try_emplace(Body, false);
  if (New)
    It->second = mentionsAtomics(Body, AtomicCallees);
  return It->second;
}

bool ThreadFacts::PublishedLocals::onPointee(Access &A, const Published &P,
                                              const SourceManager &SM) const {
  // A relaxed publication of what was written before it is a race this
  // leaves out (docs/model.md).
  if (PublishedAt.count(A.E) ||
      (P.PublishedFrom.isValid() &&
       !SM.isBeforeInTranslationUnit(P.PublishedFrom, A.E->getExprLoc())))
    return false;
  if (P.Object) {
    A.Path.insert(A.Path.begin(), derefStep());
    A.ThroughPointer = true;
  } else if (!A.ThroughPointer || !A.path().throughRoot()) {
    return false;
  }
  A.Object = P.Pointer;
  return true;
}

const ThreadFacts::PublishedLocals &
ThreadFacts::publishedLocals(const Stmt *Body) {
  std::unique_ptr<PublishedLocals> &Slot = Publications[Body];
  if (Slot)
    return *Slot;
  Slot = std::make_unique<PublishedLocals>();
  PublishedLocals &Out = *Slot;
  // Pointer locals are followed only while every use loads their value.
  const LocalUses &Uses = localUses(Body);
  SmallVector<std::pair<const VarDecl *, Published>, 4> Pointers;
  const SourceManager &SM = Ctx.getSourceManager();
  // The earliest store that publishes L, by where it ends.
  // A local published through two atomic pointers stands for a global's
  // pointee (what sendsync-global judges) before another's.
  auto Publish = [&](const VarDecl *L, Published P) {
    auto [It, New] = Out.Locals.try_emplace(L, P);
    if (New)
      return;
    Published &Was = It->second;
    if (Was.Pointer != P.Pointer) {
      if (!Was.Pointer->hasGlobalStorage() && P.Pointer->hasGlobalStorage())
        Was = P;
      return;
    }
    if (SM.isBeforeInTranslationUnit(P.PublishedFrom, Was.PublishedFrom))
      Was.PublishedFrom = P.PublishedFrom;
  };
  // What the store \p Store into a shared atomic pointer hands over.
  auto Stored = [&](const VarDecl *G, const Expr *V, const Stmt *Store) {
    if (!G || !V)
      return;
    const Expr *Bare = V->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(Bare);
        UO && UO->getOpcode() == UO_AddrOf) {
      if (const auto *L = dyn_cast_or_null<VarDecl>(declOf(UO->getSubExpr()));
          L && L->hasLocalStorage()) {
        Publish(L, {G, /*Object=*/true, Store->getEndLoc()});
        Out.PublishedAt.insert(UO->getSubExpr()->IgnoreParenImpCasts());
      }
      return;
    }
    if (const auto *L = dyn_cast_or_null<VarDecl>(declOf(Bare));
        L && L->hasLocalStorage() && L->getType()->isPointerType()) {
      Pointers.push_back({L, {G, /*Object=*/false, Store->getEndLoc()}});
      Out.PublishedAt.insert(Bare);
    }
  };
  for (const VarDecl *VD : Uses.InitializedLocals)
    if (const VarDecl *G = VD->getType()->isPointerType()
                               ? loadedFrom(VD->getInit())
                               : nullptr)
      Pointers.push_back({VD, {G, /*Object=*/false, {}}});
  SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || (isa<LambdaExpr>(S) && S != Body))
      continue;
    pushChildren(Work, S);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (MD && MD->getIdentifier() && MC->getNumArgs() >= 1 &&
          (MD->getName() == "store" || MD->getName() == "exchange"))
        Stored(sharedAtomicPointer(MC->getImplicitObjectArgument()),
               MC->getArg(0), MC);
      else if (MD && MD->getIdentifier() && MC->getNumArgs() >= 2 &&
               MD->getName().starts_with("compare_exchange"))
        Stored(sharedAtomicPointer(MC->getImplicitObjectArgument()),
               MC->getArg(1), MC);
      continue;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
      if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
        Stored(sharedAtomicPointer(OC->getArg(0)), OC->getArg(1), OC);
      continue;
    }
    if (const auto *AE = dyn_cast<AtomicExpr>(S)) {
      StringRef N = AE->getOpAsString();
      // GCC's generic forms (__atomic_store(&g, &v, order)) take the
      // value's address, not the value: not followed.
      bool Generic = N == "__atomic_store" || N == "__atomic_exchange" ||
                     N == "__atomic_compare_exchange";
      if (!Generic && (N.contains("store") || N.contains("exchange")))
        if (AE->getNumSubExprs() > 2)
          Stored(sharedAtomicPointer(AE->getPtr()),
                 N.contains("compare") ? AE->getVal2() : AE->getVal1(), AE);
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->getOpcode() == BO_Assign)
      Stored(sharedAtomicPointer(BO->getLHS()), BO->getRHS(), BO);
  }
  for (auto [L, P] : Pointers)
    if (Uses.keepsValue(L) && !(Out.Locals.count(L) && Out.Locals[L].Object))
      Publish(L, P);
  return Out;
}

const Locksets &ThreadFacts::locks(const Stmt *Body, const Decl *D) {
  auto It = Locks.find(Body);
  if (It != Locks.end())
    return *It->second;
  // Computing it may compute the lock effects (and so the locksets) of the
  // functions it calls: insert only once done. A body that can take no
  // lock holds none anywhere: no dataflow to run.
  auto L = std::make_unique<Locksets>(order(Body, D), this, mayLock(Body));
  return *Locks.try_emplace(Body, std::move(L)).first->second;
}

const ShareInfo &ThreadFacts::share(const Crossing &C) {
  std::unique_ptr<ShareInfo> &Slot = Shares[C.Call];
  if (!Slot)
    Slot = std::make_unique<ShareInfo>(sharesOf(C, *this));
  return *Slot;
}

const AccessMap &ThreadFacts::threadAccesses(const Crossing &C) {
  // Not a reference into the map across the call: computing the accesses
  // summarizes functions, which asks for other crossings' facts.
  if (auto It = ThreadAccesses.find(C.Call); It != ThreadAccesses.end())
    return *It->second;
  auto Accesses = std::make_unique<AccessMap>(sharedAccesses(share(C), *this));
  return *(ThreadAccesses[C.Call] = std::move(Accesses));
}

const AccessMap &
ThreadFacts::settledAccesses(const Crossing &C, const TraitEngine *Engine,
                             function_ref<void(AccessMap &)> Settle) {
  if (auto It = Settled.find({C.Call, Engine}); It != Settled.end())
    return *It->second;
  auto M = std::make_unique<AccessMap>(threadAccesses(C));
  Settle(*M);
  return *(Settled[{C.Call, Engine}] = std::move(M));
}

const AccessMap &ThreadFacts::spawnerAccesses(const Stmt *Body,
                                              const Config &Cfg) {
  std::string Key = crossingKeyOf(Cfg).str();
  if (auto It = SpawnerAccesses.find(Body); It != SpawnerAccesses.end())
    if (auto Found = It->second.find(Key); Found != It->second.end())
      return *Found->second;
  // Every object a thread started here touches; the arguments handed to
  // those threads by reference are theirs.
  DenseSet<const ValueDecl *> Objects;
  DenseSet<const Stmt *> HandedOver;
  for (const Crossing &D : crossingsIn(Body, Cfg)) {
    addHandedOver(D, HandedOver);
    for (const auto &Entry : threadAccesses(D))
      Objects.insert(Entry.first);
  }
  auto Accesses = std::make_unique<AccessMap>();
  if (!Objects.empty())
    collectSpawnerAccesses(
        Body, *this, [&](const ValueDecl *D) { return Objects.contains(D); },
        HandedOver, nullptr, *Accesses);
  return *(SpawnerAccesses[Body][Key] = std::move(Accesses));
}

ArrayRef<Crossing> ThreadFacts::crossingsIn(const Stmt *Body,
                                            const Config &Cfg) {
  auto [It, New] = BodyCrossings[Body].try_emplace(crossingKeyOf(Cfg));
  if (!New)
    return It->second;
  std::vector<Crossing> Found;
  SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *E = dyn_cast<Expr>(S))
      if (isa<CallExpr, CXXConstructExpr>(E))
        if (std::optional<Crossing> C = classifyCrossing(E, Cfg)) {
          Found.push_back(*C);
          // Its arguments (the lambda) are the other thread's, not ours.
          continue;
        }
    pushChildren(Work, S);
  }
  It->second = std::move(Found); // classifying inserts nothing here
  return It->second;
}

const Region &ThreadFacts::region(const Crossing &C, const Stmt *Body,
                                  const Config &Cfg) {
  auto [K, New] = JoinKeys.try_emplace(&Cfg);
  if (New)
    for (const NamePattern &P : Cfg.JoinFunctions.Patterns)
      K->second += (P.text() + ";").str();
  StringRef Key = K->second;
  // Computing a region reads program orders, never other regions, so the
  // slot stays where it is meanwhile (as in share()).
  std::unique_ptr<Region> &Slot = Regions[C.Call][Key];
  if (!Slot)
    Slot = std::make_unique<Region>(concurrentRegion(C, Body, *this, Cfg));
  return *Slot;
}

const FunctionDecl *ThreadFacts::analysable(const FunctionDecl *FD) const {
  if (!FD)
    return nullptr;
  const FunctionDecl *Def = FD->getDefinition();
  if (!Def || !Def->hasBody() || Def->isDependentContext() ||
      Def->isImplicit() || Def->isDefaulted() || !Def->getBody())
    return nullptr;
  // The C and C++ standard libraries are judged by their signatures (and
  // the std model); other code in system headers -- every find_package
  // dependency is one to CMake -- is read like the project's own.
  if (Ctx.getSourceManager().isInSystemHeader(Def->getLocation())) {
    if (Def->isExternC() || Def->getDeclContext()->isTranslationUnit())
      return nullptr;
    for (const DeclContext *DC = Def->getDeclContext(); DC;
         DC = DC->getParent())
      if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
        if (NS->isStdNamespace() ||
            (NS->getIdentifier() && NS->getName().starts_with("__")))
          return nullptr;
  }
  return Def;
}

/// Whether \p Body takes or releases a lock itself: it calls something
/// named like one or an annotated function, or declares a guard. Calls to
/// other functions of the translation unit are left to mayLock.
static bool mentionsLocks(const Stmt *Body,
                          SmallVectorImpl<const FunctionDecl *> &Callees) {
  bool Found = false;
  SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = Call->getDirectCallee()) {
        if (FD->hasAttr<AcquireCapabilityAttr>() ||
            FD->hasAttr<ReleaseCapabilityAttr>() ||
            FD->hasAttr<TryAcquireCapabilityAttr>() ||
            (FD->getIdentifier() &&
             FD->getName().contains_insensitive("lock")))
          Found = true;
        else
          Callees.push_back(FD);
      }
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
      if (const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl())
        if ((RD->getIdentifier() &&
             RD->getName().contains_insensitive("lock")) ||
            RD->hasAttr<ScopedLockableAttr>())
          Found = true;
    if (Found)
      return true;
    for (const Stmt *C : S->children())
      Work.push_back(C);
  }
  return false;
}

bool ThreadFacts::mayLock(const Stmt *Body) {
  if (!Body)
    return false;
  if (auto It = MayLock.find(Body); It != MayLock.end())
    return It->second;
  // A cycle of calls that takes no lock anywhere takes none: assume not
  // while the cycle is being looked at.
  MayLock[Body] = false;
  SmallVector<const FunctionDecl *, 8> Callees;
  bool Locks = mentionsLocks(Body, Callees);
  for (const FunctionDecl *FD : Callees) {
    if (Locks)
      break;
    if (const FunctionDecl *Def = analysable(FD))
      Locks = mayLock(Def->getBody());
  }
  MayLock[Body] = Locks;
  return Locks;
}

const Stmt *ThreadFacts::firstAcquire(const Stmt *Body, const Decl *D) {
  if (!mayLock(Body))
    return nullptr;
  const ProgramOrder &PO = order(Body, D);
  const Locksets &L = locks(Body, D);
  if (!PO.cfg())
    return nullptr;
  const SourceManager &SM = Ctx.getSourceManager();
  const Stmt *First = nullptr;
  for (const CFGBlock *B : *PO.cfg()) {
    const Stmt *Prev = nullptr;
    for (const CFGElement &E : *B) {
      auto S = E.getAs<CFGStmt>();
      if (!S)
        continue;
      const Stmt *Cur = S->getStmt();
      if (Prev && L.at(Cur).size() > L.at(Prev).size() &&
          (!First || SM.isBeforeInTranslationUnit(Prev->getBeginLoc(),
                                                  First->getBeginLoc())))
        First = Prev;
      Prev = Cur;
    }
  }
  return First;
}

const LockEffect *ThreadFacts::lockEffect(const FunctionDecl *FD) {
  const FunctionDecl *Def = analysable(FD);
  if (!Def)
    return nullptr;
  if (auto It = Effects.find(Def); It != Effects.end())
    return It->second.get();
  if (EffectsInProgress.count(Def))
    return nullptr;
  auto E = std::make_unique<LockEffect>();
  if (mayLock(Def->getBody())) {
    EffectsInProgress.insert(Def);
    *E = locks(Def->getBody(), Def).effect();
    EffectsInProgress.erase(Def);
  }
  return Effects.try_emplace(Def, std::move(E)).first->second.get();
}

const FunctionSummary *ThreadFacts::summary(const FunctionDecl *FD) {
  const FunctionDecl *Def = analysable(FD);
  if (!Def)
    return nullptr;
  if (auto It = Summaries.find(Def); It != Summaries.end())
    return It->second.get();
  if (InProgress.count(Def))
    return nullptr;
  InProgress.insert(Def);
  auto Sum = std::make_unique<FunctionSummary>();
  auto IsOwnParam = [&](const ValueDecl *D) {
    const auto *P = dyn_cast<ParmVarDecl>(D);
    if (!P || P->getDeclContext() != Def)
      return false;
    QualType T = P->getType();
    return T->isReferenceType() || T->isPointerType();
  };
  // Local pointers that only ever hold a pointer parameter or the address
  // of a member (`Node *n = head;`, `Cell *c = &current_;`): an access
  // through one is an access through what it was made from.
  struct Copy {
    AccessPath From;
    bool IsParam;
  };
  DenseMap<const ValueDecl *, Copy> Copies;
  DenseSet<const Stmt *> CopyInits;
  {
    // A copy is followed only while it is never written, nor its address
    // taken: every use loads its value.
    const LocalUses &Uses = localUses(Def->getBody());
    for (const VarDecl *VD : Uses.InitializedLocals) {
      if (!VD->getType()->isPointerType() || !Uses.keepsValue(VD))
        continue;
      const Expr *Init = VD->getInit()->IgnoreParenCasts();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Init)) {
        if (IsOwnParam(DRE->getDecl()) &&
            DRE->getDecl()->getType()->isPointerType() &&
            Uses.keepsValue(DRE->getDecl())) {
          AccessPath From;
          From.Root = DRE->getDecl();
          Copies[VD] = {From, true};
        }
        continue;
      }
      if (!isAddressOf(Init))
        continue;
      std::optional<AccessPath> P = accessPathOf(Init);
      if (!P || !P->Root || !isa<FieldDecl>(P->Root) ||
          llvm::any_of(P->Fields, [](const FieldDecl *F) {
            return !isMemberStep(F);
          }))
        continue;
      Copies[VD] = {*P, false};
      SmallVector<const Stmt *, 8> Nodes{VD->getInit()};
      while (!Nodes.empty()) {
        const Stmt *N = Nodes.pop_back_val();
        CopyInits.insert(N);
        for (const Stmt *C : N->children())
          if (C)
            Nodes.push_back(C);
      }
    }
  }
  // A path through a copy as the same path through what it copies:
  // `a->m` with `a = acct` is `acct->m`; with `a = &current_`, the member
  // `current_.m`, no longer through a pointer.
  auto RebaseCopy = [&](AccessPath &P, bool &ThroughPointer) {
    auto It = Copies.find(P.Root);
    if (It == Copies.end() || !P.throughRoot())
      return false;
    AccessPath Rebased = It->second.From;
    auto Rest = It->second.IsParam ? P.Fields.begin() : P.Fields.begin() + 1;
    Rebased.Fields.append(Rest, P.Fields.end());
    if (!It->second.IsParam)
      ThroughPointer = false;
    P = std::move(Rebased);
    return true;
  };
  auto Wanted = [&](const ValueDecl *D) {
    return isa<FieldDecl>(D) || IsOwnParam(D) || Copies.count(D);
  };
  auto Follow = [&](const ValueDecl *D) {
    return (IsOwnParam(D) && D->getType()->isPointerType()) ||
           Copies.count(D);
  };
  AccessQuery Q;
  Q.Wanted = Wanted;
  Q.FollowPointee = Follow;
  Q.SkipLambdas = true;
  auto Record = [&](Access A) {
    if (Sum->Accesses.size() >= MaxSummaryAccesses || A.UseOnly)
      return;
    // The pointer parameter itself (p = p->next) is the callee's own copy.
    if (isa<ParmVarDecl>(A.Object) && A.Object->getType()->isPointerType() &&
        !A.ThroughPointer)
      return;
    // Taking a member's address for a followed copy touches nothing yet.
    if (CopyInits.count(A.E))
      return;
    SummaryAccess SA;
    SA.Path = A.path();
    if (Copies.count(A.Object)) {
      // The local pointer's own value is the function's own.
      if (!A.ThroughPointer || !RebaseCopy(SA.Path, A.ThroughPointer))
        return;
      A.Object = SA.Path.Root;
    }
    for (HeldLock &L : A.Locks)
      if (Copies.count(L.Mutex.Root)) {
        bool Through = true;
        RebaseCopy(L.Mutex, Through);
      }
    SA.Write = A.Write;
    SA.Atomic = A.Atomic;
    SA.Element = A.Element;
    SA.ElementType = A.ElementType;
    SA.Index = A.Index;
    SA.Range = A.Range;
    SA.ThroughPointer = A.ThroughPointer;
    SA.Locks = A.Locks;
    SA.At = A.Via ? A.Via : A.E;
    SA.In = A.ViaFn ? A.ViaFn : Def;
    SA.Site = A.E;
    Sum->Accesses.push_back(std::move(SA));
  };
  collectAccesses(Def->getBody(), *this, Q, Record);
  // A constructor's member initializers read what it is given.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits())
      if (Init->isWritten() && Init->getInit())
        collectAccesses(Init->getInit(), *this, Q, Record);
  // Handing out a non-const reference or pointer to a member lets callers
  // touch it with no lock at all.
  QualType R = Def->getReturnType();
  bool HandsOut = (R->isReferenceType() || R->isPointerType()) &&
                  !R->getPointeeType().isConstQualified();
  if (HandsOut) {
    SmallVector<const Stmt *, 32> Work{Def->getBody()};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S || isa<LambdaExpr>(S))
        continue;
      if (const auto *RS = dyn_cast<ReturnStmt>(S))
        if (const Expr *V = RS->getRetValue())
          if (std::optional<AccessPath> P = accessPathOf(V))
            if (const auto *F = dyn_cast_or_null<FieldDecl>(P->Root))
              Sum->ReturnsMember.push_back({F, RS});
      for (const Stmt *C : S->children())
        Work.push_back(C);
    }
  }
  InProgress.erase(Def);
  return Summaries.try_emplace(Def, std::move(Sum)).first->second.get();
}

static bool isAtomicType(QualType T) {
  T = T.getNonReferenceType();
  while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  if (T->isAtomicType())
    return true;
  return isStdClass(T->getAsCXXRecordDecl(),
                    {"atomic", "atomic_flag", "atomic_ref"});
}

/// Members that synchronize by themselves (they are not the data a lock
/// protects): condition variables, once flags, latches, semaphores.
static bool isSynchronizer(QualType T) {
  return isStdClass(T->getAsCXXRecordDecl(),
                    {"condition_variable", "condition_variable_any",
                     "once_flag", "latch", "barrier", "counting_semaphore",
                     "binary_semaphore", "stop_source", "stop_token"});
}

/// Whether \p FD orders memory through atomics: an atomic operation given
/// a memory order stronger than relaxed (`head.load(acquire)`,
/// `tail.store(t, seq_cst)`) or a fence. Relaxed operations, and ones that
/// name no order (`hits++`), publish nothing on their own.
static bool ordersThroughAtomics(const FunctionDecl *FD,
                                 const ASTContext &Ctx) {
  const Stmt *Body = FD ? FD->getBody() : nullptr;
  SmallVector<const Stmt *, 32> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    pushChildren(Work, S);
    const auto *Call = dyn_cast<CallExpr>(S);
    if (!Call)
      continue;
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && Callee->getIdentifier() &&
        (Callee->getName() == "atomic_thread_fence" ||
         Callee->getName() == "__atomic_thread_fence"))
      return true;
    for (const Expr *Arg : Call->arguments()) {
      const auto *ET = Arg->IgnoreImpCasts()->getType()->getAs<EnumType>();
      if (!ET || !ET->getDecl()->getIdentifier() ||
          ET->getDecl()->getName() != "memory_order")
        continue;
      // std::memory_order_relaxed is a constant variable since C++20 and
      // an enumerator before; relaxed is 0 in every standard library.
      Expr::EvalResult R;
      if (Arg->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0)
        continue;
      return true;
    }
  }
  return false;
}

const ClassDiscipline *ThreadFacts::discipline(const CXXRecordDecl *RD) {
  const CXXRecordDecl *Def = RD ? RD->getDefinition() : nullptr;
  if (!Def || Def->isLambda() || Def->isUnion())
    return nullptr;
  if (auto It = Disciplines.find(Def); It != Disciplines.end())
    return It->second.get();
  auto D = std::make_unique<ClassDiscipline>();
  SmallVector<const FieldDecl *, 8> Data;
  SmallPtrSet<const FieldDecl *, 4> LockFields, AtomicFields;
  for (const FieldDecl *F : Def->fields()) {
    QualType T = F->getType();
    if (isLockType(T)) {
      LockFields.insert(F);
      if (!D->Lock)
        D->Lock = F;
      continue;
    }
    if (isAtomicType(T)) {
      AtomicFields.insert(F);
      continue;
    }
    if ((T.isConstQualified() && !F->isMutable()) || isSynchronizer(T) ||
        F->hasAttr<GuardedByAttr>() || F->hasAttr<PtGuardedByAttr>())
      continue;
    Data.push_back(F);
  }
  const CXXRecordDecl *Key = Def;
  if (LockFields.empty() && AtomicFields.empty())
    return Disciplines.try_emplace(Key, std::move(D)).first->second.get();

  std::string ClassName = Def->getNameAsString();
  auto IsData = [&](const FieldDecl *F) { return llvm::is_contained(Data, F); };
  auto Breach = [&](const FieldDecl *F, SourceLocation Loc, std::string Msg) {
    D->Breach.try_emplace(F, ReasonStep{Loc, std::move(Msg)});
  };
  for (const FieldDecl *F : Data)
    if (F->getAccess() == AS_public)
      Breach(F, F->getLocation(),
             "'" + F->getNameAsString() + "' is public: code outside '" +
                 ClassName + "' can use it without a lock");

  // The member functions callers enter the class through; private ones are
  // judged inside the public ones that call them, with the caller's locks.
  bool Coordinates = false;
  // A public member function whose body is not in this unit.
  bool Unseen = false;
  // Another object of the class reached through a parameter (a copy
  // constructor's `other`): the member F at Steps[I] of SA's path, and the
  // locks of that same object are the ones that guard it.
  auto OtherObjectMember = [&](const SummaryAccess &SA, size_t &At)
      -> const FieldDecl * {
    const auto *P = dyn_cast_or_null<ParmVarDecl>(SA.Path.Root);
    if (!P)
      return nullptr;
    QualType T = P->getType().getNonReferenceType();
    if (T->isPointerType())
      T = T->getPointeeType();
    if (T->getAsCXXRecordDecl() != Def && T->getAsCXXRecordDecl() &&
        T->getAsCXXRecordDecl()->getDefinition() != Def)
      return nullptr;
    for (size_t I = 0; I < SA.Path.Fields.size(); ++I) {
      const FieldDecl *F = SA.Path.Fields[I];
      if (F == derefStep())
        continue;
      if (!isMemberStep(F) || F->getParent() != Def)
        return nullptr;
      At = I;
      return F;
    }
    return nullptr;
  };
  for (const CXXMethodDecl *MD : Def->methods()) {
    if (MD->isStatic() || isa<CXXDestructorDecl>(MD) || MD->isImplicit() ||
        MD->isDeleted() || MD->getAccess() == AS_private)
      continue;
    // A test fixture's SetUp()/TearDown() overrides are its constructor
    // and destructor by another name (GoogleTest says so): they run
    // before the test shares the fixture and after it joins.
    if (MD->size_overridden_methods() > 0 && MD->getIdentifier() &&
        (MD->getName() == "SetUp" || MD->getName() == "TearDown"))
      continue;
    // Copy and move assignment replace the object wholesale, often locking
    // both sides for the transfer: which members they lock says nothing of
    // which members the class protects elsewhere.
    bool Assigns = MD->isCopyAssignmentOperator() || MD->isMoveAssignmentOperator();
    const FunctionSummary *Sum = summary(MD);
    if (!Sum) {
      // Defined in another translation unit (a compiled library's class):
      // what it does with the atomics cannot be seen here.
      if (!MD->hasBody() && !isa<CXXConstructorDecl>(MD) && !Assigns &&
          !MD->isPureVirtual())
        Unseen = true;
      continue;
    }
    bool IsCtor = isa<CXXConstructorDecl>(MD);
    std::string Method = ClassName + "::" + MD->getNameAsString();
    // A class with a lock whose member function also orders memory through
    // its atomics (a work-stealing deque: the owner pushes and pops at one
    // end through acquire/release indices, thieves take the lock at the
    // other) coordinates its unlocked uses there by those atomics, as a
    // lock-free class does (docs/model.md, rule 4b); audited like any other
    // under AuditLockFreeClasses.
    bool OrdersByAtomics = false;
    if (!LockFields.empty() && !AuditLockFree && !IsCtor) {
      SmallPtrSet<const FunctionDecl *, 4> Reached{MD};
      for (const SummaryAccess &SA : Sum->Accesses)
        if (SA.In)
          Reached.insert(SA.In);
      OrdersByAtomics = llvm::any_of(Reached, [&](const FunctionDecl *FD) {
        return ordersThroughAtomics(FD, Ctx);
      });
    }
    bool TouchesAtomic = false, TouchesData = false;
    for (const SummaryAccess &SA : Sum->Accesses) {
      size_t At = 0;
      if (const FieldDecl *F = OtherObjectMember(SA, At)) {
        if (!IsData(F) || LockFields.empty())
          continue;
        bool Guarded = llvm::any_of(SA.Locks, [&](const HeldLock &L) {
          if (L.Mutex.Root != SA.Path.Root ||
              L.Mutex.Fields.size() != At + 1)
            return false;
          for (size_t I = 0; I < At; ++I)
            if (L.Mutex.Fields[I] != SA.Path.Fields[I])
              return false;
          return LockFields.count(L.Mutex.Fields[At]) &&
                 (!L.Shared || !SA.Write);
        });
        if (!Guarded)
          Breach(F, SA.At ? SA.At->getExprLoc() : MD->getLocation(),
                 "'" + Method + "' " + (SA.Write ? "writes" : "reads") +
                     " '" + F->getNameAsString() + "' of another '" +
                     ClassName + "' without holding its '" +
                     D->Lock->getNameAsString() + "'");
        continue;
      }
      // A constructor's own object is not shared yet.
      if (IsCtor)
        continue;
      const auto *F = dyn_cast_or_null<FieldDecl>(SA.Path.Root);
      if (!F)
        continue;
      TouchesAtomic |= AtomicFields.count(F) != 0;
      if (!IsData(F))
        continue;
      TouchesData = true;
      // Coordinated through the atomics: neither a locked nor an unlocked
      // use for the lock's discipline.
      if (OrdersByAtomics)
        continue;
      bool Guarded = llvm::any_of(SA.Locks, [&](const HeldLock &L) {
        const auto *LF = dyn_cast_or_null<FieldDecl>(L.Mutex.Root);
        return LF && LockFields.count(LF) && (!L.Shared || !SA.Write);
      });
      // What sendsync-shared reports inside the class: the first unlocked
      // and the first locked use of each member (a locked write preferred).
      ClassDiscipline::Use U;
      U.Loc = SA.Site ? SA.Site->getExprLoc() : MD->getLocation();
      U.In = MD;
      U.Write = SA.Write;
      U.Element = SA.Element;
      if (SA.In && SA.In->getCanonicalDecl() != MD->getCanonicalDecl()) {
        U.Via = SA.In;
        U.ViaLoc = SA.At ? SA.At->getExprLoc() : SourceLocation();
      }
      if (Assigns) {
        // Neither evidence of what the class locks nor a report of its own.
      } else if (Guarded) {
        auto [It, New] = D->Locked.try_emplace(F, U);
        if (!New && SA.Write && !It->second.Write)
          It->second = U;
      } else {
        auto [It, New] = D->Unlocked.try_emplace(F, U);
        if (!New && SA.Write && !It->second.Write)
          It->second = U;
      }
      if (!Guarded && !LockFields.empty())
        Breach(F, SA.At ? SA.At->getExprLoc() : MD->getLocation(),
               "'" + Method + "' " + (SA.Write ? "writes" : "reads") + " '" +
                   F->getNameAsString() + "' without holding '" +
                   D->Lock->getNameAsString() + "'" +
                   (SA.In && SA.In->getCanonicalDecl() != MD->getCanonicalDecl()
                        ? " (in '" + SA.In->getNameAsString() + "')"
                        : ""));
    }
    Coordinates |= TouchesAtomic && TouchesData;
    if (IsCtor)
      continue;
    for (const auto &[F, RS] : Sum->ReturnsMember)
      if (IsData(F))
        Breach(F, RS->getBeginLoc(),
               "'" + Method + "' returns a non-const reference or pointer to '" +
                   F->getNameAsString() + "', which its callers use without "
                   "a lock");
  }
  if (!LockFields.empty()) {
    D->K = ClassDiscipline::Locks;
  } else if ((Coordinates || Unseen) && !AuditLockFree) {
    // Lock-free classes (rings, deques, notifiers) order their plain
    // members through their atomics, which locksets cannot judge: taken as
    // meant to be thread-safe, with public members still exposed. So is a
    // class with atomics whose member functions are defined elsewhere, as
    // a class with a lock is assumed to keep its discipline there.
    D->K = ClassDiscipline::Atomics;
    for (const FieldDecl *F : Data)
      if (F->getAccess() != AS_public)
        D->Breach.erase(F);
  } else {
    D->Breach.clear();
  }
  if (D->K != ClassDiscipline::None)
    for (const FieldDecl *F : Data)
      if (!D->Breach.count(F))
        D->Guarded.insert(F);
  return Disciplines.try_emplace(Key, std::move(D)).first->second.get();
}

} // namespace sendsync
