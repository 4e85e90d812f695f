//===- Races.cpp - unsynchronized sharing at a crossing -------------------===//

#include "Analysis/Races.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/ThreadFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

QualType sharedObjectType(const ValueDecl *Object) {
  return Object->getType().getNonReferenceType();
}

namespace {

/// Crossings started within the region (not inside lambdas there).
void crossingsIn(const Stmt *Body, const Region &R, ThreadFacts &Facts,
                 const Config &Cfg, SmallVectorImpl<Crossing> &Out) {
  for (const Crossing &C : Facts.crossingsIn(Body, Cfg))
    if (R.contains(C.Call))
      Out.push_back(C);
}

/// Whether the access path of \p A names a C array (`buf`, `s.items`):
/// using it whole (memset, printing it) touches every element.
bool namesArray(const Access &A) {
  if (!A.Object)
    return false;
  QualType T = A.Object->getType().getNonReferenceType();
  for (const FieldDecl *F : A.Path) {
    if (T.isNull())
      return false;
    if (F == derefStep())
      T = T->getPointeeType();
    else if (F)
      T = F->getType().getNonReferenceType();
    else if (const ArrayType *AT = T->getAsArrayTypeUnsafe())
      T = AT->getElementType();
    else
      return false; // an element of a container
  }
  return !T.isNull() && T->isArrayType();
}

bool conflicts(const Access &A, const Access &B, RaceFinding::OtherKind K) {
  if (!A.Write && !B.Write)
    return false;
  if (A.UseOnly || B.UseOnly)
    return false;
  if (A.Atomic && B.Atomic)
    return false;
  // Distinct members of one object: p.left and p.right.
  if (!A.path().overlaps(B.path()))
    return false;
  // Both hold one mutex (not both only shared): they cannot overlap.
  for (const HeldLock &LA : A.Locks)
    for (const HeldLock &LB : B.Locks)
      if (LA.Mutex == LB.Mutex && !(LA.Shared && LB.Shared))
        return false;
  if (orderedByAtomic(A, B))
    return false;
  // A write to the container itself (push_back, assignment) conflicts with
  // everything; a write to one element only with accesses to elements.
  bool StructureWrite = (A.Write && !A.Element) || (B.Write && !B.Element);
  if (StructureWrite)
    return true;
  if (!A.Element || !B.Element)
    // An element write beside a read of the structure (size()) does not
    // race; beside a read of the whole of a C array it does.
    return (!A.Element && namesArray(A)) || (!B.Element && namesArray(B));
  // Indices bounded to intervals that do not meet: different elements.
  if (A.Range && B.Range && !A.Range->meets(*B.Range))
    return false;
  // Distinct elements per instance: v[i] = ... in each of them is fine.
  if (K == RaceFinding::SameLoop || K == RaceFinding::SameStart ||
      K == RaceFinding::OtherRun)
    return !((A.DistinctElement || !A.Write) && (B.DistinctElement || !B.Write));
  return true;
}

/// The innermost loop of \p Body around \p S, or null.
const Stmt *loopAround(const Stmt *S, const Stmt *Body, const ParentMap &PM) {
  for (const Stmt *P = PM.getParent(S); P && P != Body; P = PM.getParent(P))
    if (isLoop(P))
      return P;
  return nullptr;
}

/// Whether \p L declares \p VD anew in each iteration: its range-for
/// variable, or a declaration in its body (not in a lambda).
bool declaredPerIteration(const VarDecl *VD, const Stmt *L) {
  if (isRangeForVariable(VD, L))
    return true;
  SmallVector<const Stmt *, 32> Work{loopBody(L)};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      if (llvm::is_contained(DS->decls(), VD))
        return true;
    pushChildren(Work, S);
  }
  return false;
}

/// Whether \p E allocates a new object: `new T`, malloc, calloc.
bool isFreshAllocation(const Expr *E) {
  E = E->IgnoreParenCasts();
  if (isa<CXXNewExpr>(E))
    return true;
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getIdentifier())
      return llvm::is_contained({"malloc", "calloc", "aligned_alloc"},
                                FD->getName());
  return false;
}

/// Whether pointer \p VD points to a new object in each iteration of loop
/// \p L: every value the loop gives it is a fresh allocation
/// (`struct args *a = malloc(...)` in its body, or `a = new Args` there).
bool freshPerIteration(const VarDecl *VD, const Stmt *L) {
  bool Declared = declaredPerIteration(VD, L);
  if (Declared && (!VD->getInit() || !isFreshAllocation(VD->getInit())))
    return false;
  bool Assigned = false;
  SmallVector<const Stmt *, 32> Work{loopBody(L)};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (const auto *BO = dyn_cast<BinaryOperator>(S);
        BO && BO->isAssignmentOp() && declOf(BO->getLHS()) == VD) {
      if (BO->getOpcode() != BO_Assign || !isFreshAllocation(BO->getRHS()))
        return false;
      Assigned = true;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(S);
        UO && (UO->isIncrementDecrementOp() ||
               UO->getOpcode() == UO_AddrOf) &&
        declOf(UO->getSubExpr()) == VD)
      return false;
    pushChildren(Work, S);
  }
  return Declared || Assigned;
}

/// Whether \p E names a variable that loop \p L gives a new value each
/// iteration: a variable its for-init declares, or its range-for variable.
bool inductionVariable(const Expr *E, const Stmt *L) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V)
    return false;
  if (isRangeForVariable(V, L))
    return true;
  if (const auto *F = dyn_cast<ForStmt>(L))
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(F->getInit()))
      return llvm::is_contained(DS->decls(), V);
  return false;
}

/// Whether the threads that loop \p L starts, one per iteration, each get
/// their own \p Object: a variable declared anew in each iteration that is
/// not a pointer (whose pointee may be one for all), and, for a reference,
/// bound each time to another object: the range-for variable (each element
/// once), or an element selected by the loop's induction variable
/// (`auto &w = ws[i]`, `ws.at(i)`, `*it`, and members of those).
bool ownedPerIteration(const ValueDecl *Object, const Stmt *L) {
  const auto *VD = dyn_cast<VarDecl>(Object);
  if (!VD || !VD->hasLocalStorage() || !L)
    return false;
  QualType T = VD->getType();
  if (T->isPointerType())
    return freshPerIteration(VD, L);
  if (!declaredPerIteration(VD, L))
    return false;
  if (!T->isReferenceType())
    return true;
  if (isRangeForVariable(VD, L))
    return true;
  const Expr *Init = VD->getInit();
  if (!Init)
    return false;
  Init = Init->IgnoreParenImpCasts();
  while (const auto *ME = dyn_cast<MemberExpr>(Init)) {
    if (ME->isArrow())
      return false; // a member of what a pointer points to
    Init = ME->getBase()->IgnoreParenImpCasts();
  }
  if (const auto *AS = dyn_cast<ArraySubscriptExpr>(Init))
    return inductionVariable(AS->getIdx(), L);
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Init)) {
    if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
      return inductionVariable(OC->getArg(1), L);
    if (OC->getOperator() == OO_Star && OC->getNumArgs() == 1)
      return inductionVariable(OC->getArg(0), L);
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(Init);
      UO && UO->getOpcode() == UO_Deref)
    return inductionVariable(UO->getSubExpr(), L);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Init))
    if (const auto *MD = MC->getMethodDecl();
        MD && MD->getIdentifier() && MD->getName() == "at" &&
        MC->getNumArgs() == 1)
      return inductionVariable(MC->getArg(0), L);
  return false;
}

/// An access that may run beside the thread's, and where it runs.
struct Beside {
  const Access *A;
  RaceFinding::OtherKind K;
  SourceLocation ThreadAt; ///< the other thread's crossing (OtherThread)
};

/// Whether every access of the thread (\p Mine) and beside it holds one
/// common mutex.
template <class MineRange, class GetAccess>
bool lockedTogether(const MineRange &Mine, GetAccess Get,
                    ArrayRef<Beside> Others) {
  SmallVector<const Access *, 16> All;
  for (const auto &M : Mine)
    if (!Get(M).UseOnly)
      All.push_back(&Get(M));
  for (const Beside &O : Others)
    if (!O.A->UseOnly)
      All.push_back(O.A);
  return !commonLocks(All).empty();
}

/// The conflicting pair to report among \p Mine (the thread's accesses) and
/// \p Others, preferring one where the thread writes.
template <class MineRange, class GetAccess>
std::optional<std::pair<size_t, const Beside *>>
firstRace(const MineRange &Mine, GetAccess Get, ArrayRef<Beside> Others) {
  std::optional<std::pair<size_t, const Beside *>> Best;
  size_t I = 0;
  for (const auto &M : Mine) {
    const Access &A = Get(M);
    for (const Beside &O : Others) {
      if (!conflicts(A, *O.A, O.K))
        continue;
      if (!Best || (A.Write && !Get(Mine[Best->first]).Write))
        Best = std::make_pair(I, &O);
    }
    ++I;
  }
  return Best;
}

/// The accesses of \p Others other than \p First that conflict with one of
/// \p Mine, one per expression, in source order.
template <class MineRange, class GetAccess>
std::vector<RaceFinding::Conflict>
otherConflicts(const MineRange &Mine, GetAccess Get, ArrayRef<Beside> Others,
               const Beside *First, const SourceManager &SM) {
  std::vector<RaceFinding::Conflict> Out;
  DenseSet<const Expr *> Seen{First->A->E};
  for (const Beside &O : Others) {
    if (&O == First || Seen.contains(O.A->E))
      continue;
    for (const auto &M : Mine)
      if (conflicts(Get(M), *O.A, O.K)) {
        Seen.insert(O.A->E);
        Out.push_back({*O.A, O.K, O.ThreadAt});
        break;
      }
  }
  llvm::sort(Out, [&](const RaceFinding::Conflict &L,
                      const RaceFinding::Conflict &R) {
    return SM.isBeforeInTranslationUnit(L.A.E->getExprLoc(),
                                        R.A.E->getExprLoc());
  });
  return Out;
}

/// The accesses of \p Object beside the thread: the spawner's, other
/// threads', and (in a loop) the thread's own other instances.
template <class Map> const Map &mapOf(const Map &M) { return M; }
template <class Map> const Map &mapOf(const Map *M) { return *M; }

/// (Other threads' maps are held by value or by pointer.)
template <class Map, class OtherMap, class GetAccess, class MineRange>
std::vector<Beside>
besideOf(const ValueDecl *Object, const Map &Spawner,
         ArrayRef<std::pair<SourceLocation, OtherMap>> OtherThreads,
         bool InLoop, const MineRange &Mine, GetAccess Get,
         RaceFinding::OtherKind Self = RaceFinding::SameLoop) {
  std::vector<Beside> Out;
  if (auto It = Spawner.find(Object); It != Spawner.end())
    for (const auto &A : It->second)
      Out.push_back({&Get(A), RaceFinding::Spawner, {}});
  for (const auto &[At, Other] : OtherThreads)
    if (auto It = mapOf(Other).find(Object); It != mapOf(Other).end())
      for (const auto &A : It->second)
        Out.push_back({&Get(A), RaceFinding::OtherThread, At});
  if (InLoop)
    for (const auto &A : Mine)
      Out.push_back({&Get(A), Self, {}});
  return Out;
}

} // namespace

/// A variable the whole program shares: global, namespace or class static,
/// or function-local static; not const, not thread_local.
static bool isSharedGlobal(const ValueDecl *D) {
  const auto *VD = dyn_cast<VarDecl>(D);
  if (!VD || !VD->hasGlobalStorage() ||
      VD->getTLSKind() != VarDecl::TLS_None ||
      VD->getType().isConstQualified() || VD->isConstexpr() ||
      VD->getType()->isReferenceType())
    return false;
  // The synchronized standard streams may be used from any thread without a
  // data race ([iostream.objects.overview]); their output may interleave.
  if (VD->getIdentifier()) {
    const DeclContext *DC = VD->getDeclContext();
    while (DC && DC->isInlineNamespace())
      DC = DC->getParent();
    static constexpr StringRef Streams[] = {"cout",  "cerr",  "clog",
                                            "cin",   "wcout", "wcerr",
                                            "wclog", "wcin"};
    if (DC && DC->isStdNamespace() &&
        llvm::is_contained(Streams, VD->getName()))
      return false;
  }
  return true;
}

namespace {
/// The accesses to globals made by the code a thread runs: its body and the
/// functions it calls in this translation unit, with the locks their callers
/// hold at the call.
struct GlobalAccess {
  Access A;
  const FunctionDecl *In;
  /// Made after this call returned with the thread still running.
  const CallExpr *After = nullptr;
  /// The calls from the walk's start down to In.
  SmallVector<CallStep, 4> Path = {};
};
using GlobalMap = DenseMap<const ValueDecl *, std::vector<GlobalAccess>>;

void globalAccesses(const Stmt *Body, const FunctionDecl *In,
                    ThreadFacts &Facts, GlobalMap &Out, bool SkipLambdas,
                    const Region *Within = nullptr,
                    const ShareInfo *Thread = nullptr,
                    const CallExpr *After = nullptr) {
  ASTContext &Ctx = Facts.context();
  struct Item {
    const Stmt *Body;
    const FunctionDecl *In;
    SmallVector<HeldLock, 2> Inherited;
    /// The callee's parameters the call binds to constants.
    DenseMap<const ParmVarDecl *, int64_t> Constants;
    SmallVector<CallStep, 4> Path = {};
  };
  SmallVector<Item, 16> Work;
  Work.push_back(Item{Body, In, {}, DenseMap<const ParmVarDecl *, int64_t>()});
  // A callee is read once per set of constant arguments (a few at most).
  DenseMap<const FunctionDecl *, unsigned> Seen;
  DenseSet<const FunctionDecl *> SeenPlain;
  auto Wanted = [](const ValueDecl *D) { return isSharedGlobal(D); };
  auto None = [](const ValueDecl *) { return false; };
  // The thread's own values (its parameters, by-copy captures and what is
  // computed from them) select its own elements: partial[id] = s.
  auto Own = [&](const ValueDecl *D) {
    return Thread && Thread->PerThread.count(D) != 0;
  };
  auto Constant = [&](const VarDecl *P) -> std::optional<int64_t> {
    return Thread ? Thread->constantParam(P) : std::nullopt;
  };
  const Item *Current = nullptr;
  auto Bound = [&](const VarDecl *V) -> std::optional<int64_t> {
    const auto *P = dyn_cast<ParmVarDecl>(V);
    auto It = P ? Current->Constants.find(P) : Current->Constants.end();
    // A parameter the callee changes holds the constant only at its start.
    if (It == Current->Constants.end() ||
        !Facts.localUses(Current->Body).keepsValue(P))
      return std::nullopt;
    return It->second;
  };
  while (!Work.empty()) {
    Item It = Work.pop_back_val();
    // Only the spawner's own body is limited to the region; what it calls
    // from there runs whole.
    auto InRegion = [&](const Stmt *S) {
      return It.Body != Body || !Within || Within->contains(S);
    };
    // Locals that stand for what a global atomic pointer points to
    // (published through it, or loaded from it) are accesses of that
    // global's pointee.
    const ThreadFacts::PublishedLocals &Pub = Facts.publishedLocals(It.Body);
    auto PublishedHere = [&](const ValueDecl *D) -> const ThreadFacts::Published * {
      auto P = Pub.Locals.find(D);
      return P != Pub.Locals.end() && isSharedGlobal(P->second.Pointer)
                 ? &P->second
                 : nullptr;
    };
    auto WantedHere = [&](const ValueDecl *D) {
      return Wanted(D) || PublishedHere(D);
    };
    // A local pointer that stands for the global's, and the global atomic
    // pointer itself (`*head.load() = 2`): what they point to.
    auto FollowHere = [&](const ValueDecl *D) {
      const ThreadFacts::Published *P = PublishedHere(D);
      return (P && !P->Object) ||
             (isSharedGlobal(D) && followsAtomicPointer(D));
    };
    AccessQuery Q;
    Q.Wanted = WantedHere;
    Q.FollowPointee = FollowHere;
    Current = &It;
    if (It.Body == Body) {
      Q.PerThread = Own;
      Q.ParamValue = Constant;
    } else {
      Q.PerThread = None;
      Q.ParamValue = Bound;
    }
    Q.SkipLambdas = SkipLambdas;
    Q.InRegion = InRegion;
    collectAccesses(It.Body, Facts, Q, [&](Access A) {
      if (const ThreadFacts::Published *P = PublishedHere(A.Object)) {
        // Handing it over to publish it touches nothing; before that, the
        // object is this thread's own (a node filled in before a
        // compare-exchange pushes it).
        if (!Pub.onPointee(A, *P, Ctx.getSourceManager()))
          return;
      } else if (!atomicPointee(A.Object->getType()).isNull() &&
                 !A.path().throughRoot()) {
        // An atomic pointer's own loads and stores race with nothing.
        return;
      }
      A.Locks.append(It.Inherited.begin(), It.Inherited.end());
      // `pthread_mutex_lock(a->lock)` in the thread's body, a's member
      // pointing at the spawner's mutex: that mutex.
      if (Thread && It.Body == Body)
        for (HeldLock &L : A.Locks)
          Thread->rebaseThroughBlock(L.Mutex, /*PointerValued=*/true);
      Out[A.Object].push_back({std::move(A), It.In, After, It.Path});
    });
    collectCalls(
        It.Body, Facts, SkipLambdas, InRegion,
        [&](const FunctionDecl *FD, ArrayRef<HeldLock> Locks,
            const Expr *Call) {
          const FunctionDecl *Def = FD->getDefinition();
          if (!Def || !Def->hasBody() ||
              Ctx.getSourceManager().isInSystemHeader(Def->getLocation()))
            return;
          Item Next{Def->getBody(), Def, It.Inherited,
                    DenseMap<const ParmVarDecl *, int64_t>()};
          Next.Inherited.append(Locks.begin(), Locks.end());
          Next.Path = It.Path;
          Next.Path.push_back({It.In, Call, Def});
          // fill_span(0, 500): the constants it is given bound its indices.
          if (const auto *CE = dyn_cast<CallExpr>(Call))
            for (unsigned I = 0;
                 I < CE->getNumArgs() && I < Def->getNumParams(); ++I) {
              Expr::EvalResult R;
              const Expr *Arg = CE->getArg(I);
              if (!Arg->isValueDependent() && Arg->EvaluateAsInt(R, Ctx) &&
                  R.Val.getInt().getSignificantBits() <= 62)
                Next.Constants[Def->getParamDecl(I)] =
                    R.Val.getInt().getSExtValue();
            }
          // Once without constants (what every call may do), and for a few
          // sets of them: a visit under constants skips branches they rule
          // out, so it does not stand for the others.
          if (Next.Constants.empty()) {
            if (!SeenPlain.insert(Def).second)
              return;
          } else {
            unsigned &Visits = Seen[Def];
            if (Visits >= 4)
              return;
            ++Visits;
          }
          Work.push_back(std::move(Next));
        });
  }
}
} // namespace

/// Whether \p FD blocks until another thread does something: a join, a
/// future's get or wait, a condition, latch, barrier or semaphore wait, or
/// a function of the unit that calls one.
static bool mayWait(const FunctionDecl *FD, ThreadFacts &Facts) {
  static constexpr StringRef Waits[] = {
      "get", "wait", "wait_for", "wait_until", "arrive_and_wait",
      "acquire", "join", "pthread_join", "pthread_cond_wait",
      "pthread_cond_timedwait", "pthread_barrier_wait", "sem_wait"};
  auto Direct = [](const FunctionDecl *F) {
    if (!F->getIdentifier() || !llvm::is_contained(Waits, F->getName()))
      return false;
    if (F->getName() != "get")
      return true;
    const auto *MD = dyn_cast<CXXMethodDecl>(F);
    return MD && isStdNamed(MD->getParent(), {"future", "shared_future"});
  };
  const SourceManager &SM = Facts.context().getSourceManager();
  SmallVector<const FunctionDecl *, 8> Work{FD};
  DenseSet<const FunctionDecl *> Seen;
  while (!Work.empty()) {
    const FunctionDecl *F = Work.pop_back_val();
    if (Direct(F))
      return true;
    const FunctionDecl *Def = F->getDefinition();
    if (!Def || !Def->hasBody() || SM.isInSystemHeader(Def->getLocation()) ||
        !Seen.insert(Def).second || Seen.size() > 64)
      continue;
    collectCalls(Def->getBody(), Facts, /*SkipLambdas=*/true, nullptr,
                 [&](const FunctionDecl *Callee, ArrayRef<HeldLock>,
                     const Expr *) { Work.push_back(Callee); });
  }
  return false;
}

/// What runs after \p Call in \p Caller's body, on any path.
static Region regionAfter(const CallExpr *Call, const FunctionDecl *Caller,
                          ThreadFacts &Facts) {
  Region Out;
  const ProgramOrder &PO = Facts.order(Caller->getBody(), Caller);
  Out.Order = &PO;
  std::optional<ProgramOrder::Position> At = PO.position(Call);
  if (!PO.cfg() || !At)
    return Out;
  // A detached thread has no handle to join; a caller that then blocks on
  // a future, a condition variable, a latch or a join may be waiting for
  // it to finish: what follows is taken as ordered after the thread.
  // So does a call to a function of the unit that waits (s.stop() joining
  // the thread s.start() left running), and a destructor that does.
  auto AtElement = [&](const CFGElement &E) {
    const FunctionDecl *FD = nullptr;
    if (std::optional<CFGStmt> S = E.getAs<CFGStmt>()) {
      if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
        FD = Call->getDirectCallee();
    } else if (std::optional<CFGAutomaticObjDtor> D =
                   E.getAs<CFGAutomaticObjDtor>()) {
      if (const CXXRecordDecl *RD =
              D->getVarDecl()->getType()->getAsCXXRecordDecl())
        FD = RD->getDestructor();
    }
    return FD && mayWait(FD, Facts) ? ProgramOrder::Step::Stop
                                    : ProgramOrder::Step::Continue;
  };
  auto AnyEdge = [](const CFGBlock &, unsigned) {
    return ProgramOrder::Step::Continue;
  };
  PO.walkFrom(*At, AtElement, AnyEdge, [&](const CFGElement &E) {
    if (std::optional<CFGStmt> S = E.getAs<CFGStmt>())
      Out.Concurrent.insert(S->getStmt());
  });
  return Out;
}

/// The threads started in \p Body within \p R, and in the functions of
/// the unit it calls there (transitively): `start_stats()` called while a
/// thread runs starts one more beside it.
static void threadsStartedIn(const Stmt *Body, const Region &R,
                             ThreadFacts &Facts, const Config &Cfg,
                             SmallVectorImpl<Crossing> &Out) {
  crossingsIn(Body, R, Facts, Cfg, Out);
  const SourceManager &SM = Facts.context().getSourceManager();
  SmallVector<const FunctionDecl *, 8> Work;
  DenseSet<const FunctionDecl *> Seen;
  auto Called = [&](const FunctionDecl *FD, ArrayRef<HeldLock>,
                    const Expr *) {
    const FunctionDecl *Def = FD->getDefinition();
    if (Def && Def->hasBody() && !SM.isInSystemHeader(Def->getLocation()) &&
        Seen.insert(Def).second)
      Work.push_back(Def);
  };
  auto InRegion = [&](const Stmt *S) { return R.contains(S); };
  collectCalls(Body, Facts, /*SkipLambdas=*/true, InRegion, Called);
  Region Whole;
  Whole.Everything = true;
  while (!Work.empty()) {
    const FunctionDecl *FD = Work.pop_back_val();
    crossingsIn(FD->getBody(), Whole, Facts, Cfg, Out);
    collectCalls(FD->getBody(), Facts, /*SkipLambdas=*/true, nullptr, Called);
  }
}

/// What runs, while a thread that outlives function \p FD runs, in its
/// callers after the call (and in their callers after theirs): a detached
/// thread started in `start()`, or one `start()` returns, runs beside what
/// `main` does after calling `start()` until it waits. The globals touched
/// there go to \p Out, the threads started there to \p Started.
static void afterReturn(const FunctionDecl *FD, ThreadFacts &Facts,
                        const Config &Cfg, GlobalMap &Out,
                        SmallVectorImpl<Crossing> &Started) {
  SmallVector<const FunctionDecl *, 8> Work{FD};
  DenseSet<const FunctionDecl *> Seen{FD->getCanonicalDecl()};
  while (!Work.empty()) {
    const FunctionDecl *Callee = Work.pop_back_val();
    for (const ThreadFacts::CallSite &Site : Facts.callers(Callee)) {
      Region After = regionAfter(Site.Call, Site.Caller, Facts);
      globalAccesses(Site.Caller->getBody(), Site.Caller, Facts, Out,
                     /*SkipLambdas=*/true, &After, nullptr, Site.Call);
      threadsStartedIn(Site.Caller->getBody(), After, Facts, Cfg, Started);
      if (Seen.insert(Site.Caller->getCanonicalDecl()).second)
        Work.push_back(Site.Caller);
    }
  }
}

std::vector<GlobalRace> findGlobalRaces(const Crossing &C, const Stmt *Body,
                                        ThreadFacts &Facts, TraitEngine &Engine,
                                        const Config &Cfg) {
  std::vector<GlobalRace> Out;
  ASTContext &Ctx = Facts.context();
  const ShareInfo &Info = Facts.share(C);
  if (!Info.Body)
    return Out;
  // The globals a thread touches: of every function it may run (an entry
  // of a table of functions may be any of them), in one map, or one map per
  // entry when \p Apart.
  auto ThreadGlobals = [&](const ShareInfo &I, bool Apart,
                           SmallVectorImpl<GlobalMap> &Out) {
    Out.emplace_back();
    globalAccesses(I.Body, I.BodyFunction, Facts, Out.back(),
                   /*SkipLambdas=*/false, nullptr, &I);
    for (const FunctionDecl *FD : I.AlsoRuns) {
      if (Apart)
        Out.emplace_back();
      globalAccesses(FD->getBody(), FD, Facts, Out.back(),
                     /*SkipLambdas=*/false, nullptr, &I);
    }
  };
  // The thread runs one entry of a table of functions: all of them may be
  // what it runs. A loop that starts one thread per entry it indexes
  // (`jobs[i]`, i its induction variable) runs each entry in its own
  // thread: the entries run beside each other, not beside themselves.
  bool PerEntry = false;
  if (!Info.AlsoRuns.empty() && Info.TableIndex && !C.Parallel &&
      Facts.region(C, Body, Cfg).InLoop)
    if (const Stmt *Loop =
            loopAround(C.Call, Body, Facts.order(Body).parents()))
      PerEntry = inductionVariable(Info.TableIndex, Loop);
  SmallVector<GlobalMap, 2> Entries;
  ThreadGlobals(Info, PerEntry, Entries);
  if (llvm::all_of(Entries, [](const GlobalMap &M) { return M.empty(); }))
    return Out;
  const Region &R = Facts.region(C, Body, Cfg);
  GlobalMap Spawner;
  globalAccesses(Body, nullptr, Facts, Spawner, /*SkipLambdas=*/true, &R);
  SmallVector<Crossing, 4> Started;
  threadsStartedIn(Body, R, Facts, Cfg, Started);
  if (R.Escape == Region::Detached || R.Escape == Region::Returned ||
      R.Escape == Region::StoredOutside)
    if (const FunctionDecl *FD = Facts.functionOf(Body))
      afterReturn(FD, Facts, Cfg, Spawner, Started);
  std::vector<std::pair<SourceLocation, GlobalMap>> StartedThreads;
  DenseSet<const Expr *> SeenStarts;
  // The same thread start reached again while the thread runs (start()
  // called twice): its instances run beside each other, as in a loop.
  bool Again = R.InLoop && !PerEntry;
  for (const Crossing &D : Started) {
    if (D.Call == C.Call) {
      Again = true;
      continue;
    }
    if (!SeenStarts.insert(D.Call).second)
      continue;
    const ShareInfo &DI = Facts.share(D);
    if (!DI.Body)
      continue;
    SmallVector<GlobalMap, 1> Theirs;
    ThreadGlobals(DI, /*Apart=*/false, Theirs);
    StartedThreads.emplace_back(D.Call->getExprLoc(), std::move(Theirs[0]));
  }

  auto Get = [](const GlobalAccess &GA) -> const Access & { return GA.A; };
  // A global two entries race on is one finding, at the first entry's side.
  DenseSet<const ValueDecl *> Reported;
  for (size_t E = 0; E < Entries.size(); ++E) {
    GlobalMap &Mine = Entries[E];
    // The table's other entries run in the loop's other threads.
    std::vector<std::pair<SourceLocation, GlobalMap>> WithEntries;
    if (Entries.size() > 1) {
      WithEntries = StartedThreads;
      for (size_t F = 0; F < Entries.size(); ++F)
        if (F != E)
          WithEntries.emplace_back(C.Call->getExprLoc(), Entries[F]);
    }
    ArrayRef<std::pair<SourceLocation, GlobalMap>> OtherThreads =
        Entries.size() > 1 ? ArrayRef(WithEntries) : ArrayRef(StartedThreads);
    for (auto &[Object, Accs] : Mine) {
      if (Reported.contains(Object))
        continue;
      const auto *G = cast<VarDecl>(Object);
      QualType T = G->getType();
      // Only what an atomic pointer points to is kept for it (above).
      if (QualType Pointee = atomicPointee(T); !Pointee.isNull())
        T = Pointee;
      if (T->isDependentType() ||
          Engine.query(T, Trait::ThreadSafe) == Verdict::Yes)
        continue;
      std::vector<Beside> Others =
          besideOf(Object, Spawner, OtherThreads, Again, Accs, Get,
                   C.Parallel    ? RaceFinding::OtherRun
                   : R.InLoop    ? RaceFinding::SameLoop
                                 : RaceFinding::SameStart);
      // The other instances of a thread started in a loop hold their own
      // locks where the lock is reached through their own element
      // (`pthread_mutex_lock(&w->lock)`, w = &workers[i]).
      std::vector<Access> OtherInstances;
      if (Again && !Info.PerInstance.empty()) {
        for (const GlobalAccess &GA : Accs) {
          Access Copy = GA.A;
          llvm::erase_if(Copy.Locks, [&](const HeldLock &L) {
            return L.Mutex.Root && Info.PerInstance.count(L.Mutex.Root);
          });
          OtherInstances.push_back(std::move(Copy));
        }
        size_t I = 0;
        for (Beside &B : Others)
          if (B.K == RaceFinding::SameLoop || B.K == RaceFinding::SameStart ||
              B.K == RaceFinding::OtherRun)
            B.A = &OtherInstances[I++];
      }
      if (lockedTogether(Accs, Get, Others))
        continue;
      if (auto Race = firstRace(Accs, Get, Others)) {
        const GlobalAccess &GA = Accs[Race->first];
        const Beside &O = *Race->second;
        GlobalRace Found{G, GA.A, GA.In, O.K, *O.A, O.ThreadAt};
        Found.MoreConflicts =
            otherConflicts(Accs, Get, Others, &O, Ctx.getSourceManager());
        Found.CallPath = GA.Path;
        if (auto It = Spawner.find(Object); It != Spawner.end())
          for (const GlobalAccess &SA : It->second)
            if (&SA.A == O.A)
              Found.AfterCall = SA.After;
        Out.push_back(std::move(Found));
        Reported.insert(Object);
      }
    }
  }
  return Out;
}

std::vector<RaceFinding> findRaces(const Crossing &C, const Stmt *Body,
                                   ThreadFacts &Facts, TraitEngine &Engine,
                                   const Config &Cfg) {
  std::vector<RaceFinding> Findings;
  ASTContext &Ctx = Facts.context();
  const ShareInfo &Info = Facts.share(C);
  if (Info.Objects.empty() && !Info.ThisClass)
    return Findings;
  // Using a ThreadSafe element (v[i].fetch_add(1) on a vector of atomics)
  // writes nothing that races; nor does any use of a ThreadSafe member
  // (s.total.fetch_add(1), s.mu.lock()): those accesses are dropped.
  auto Settle = [&](AccessMap &M) {
    for (auto &[Object, Accs] : M) {
      for (Access &A : Accs)
        if (A.Write && A.Element && !A.ElementType.isNull() &&
            !A.ElementType->isDependentType() &&
            Engine.query(A.ElementType, Trait::ThreadSafe) == Verdict::Yes)
          A.Write = false;
      llvm::erase_if(Accs, [&](const Access &A) {
        // Through a pointer to a ThreadSafe object (a unique_ptr to a pool).
        if (A.ThroughPointer && A.Object) {
          QualType T = A.Object->getType().getNonReferenceType();
          QualType P =
              T->isPointerType() ? T->getPointeeType() : atomicPointee(T);
          if (P.isNull())
            P = sharedPointee(T);
          if (const auto *RD = T->getAsCXXRecordDecl();
              P.isNull() && RD && isStdClass(RD, {"unique_ptr"}))
            if (const auto *CTSD =
                    dyn_cast<ClassTemplateSpecializationDecl>(RD);
                CTSD && CTSD->getTemplateArgs().size() &&
                CTSD->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
              P = CTSD->getTemplateArgs()[0].getAsType();
          if (!P.isNull() && !P->isDependentType() &&
              Engine.query(P, Trait::ThreadSafe) == Verdict::Yes)
            return true;
        }
        for (size_t I = 0; I < A.Path.size(); ++I) {
          const FieldDecl *F = A.Path[I];
          if (!isMemberStep(F))
            continue;
          QualType FT = F->getType();
          if (!FT->isDependentType() &&
              Engine.query(FT, Trait::ThreadSafe) == Verdict::Yes)
            return true;
          // Through a pointer member to a ThreadSafe object.
          if (I + 1 < A.Path.size() && A.Path[I + 1] == derefStep() &&
              FT->isPointerType()) {
            QualType P = FT->getPointeeType();
            if (!P->isDependentType() &&
                Engine.query(P, Trait::ThreadSafe) == Verdict::Yes)
              return true;
          }
        }
        return false;
      });
    }
  };
  // A thread's settled accesses are the same for every start beside which
  // it runs: settled once per crossing (and engine), not copied each time.
  auto Settled = [&](const Crossing &D) -> const AccessMap & {
    return Facts.settledAccesses(D, &Engine, [&](AccessMap &M) {
      Settle(M);
      eraseEntriesIf(M, [](const auto &E) { return E.second.empty(); });
    });
  };
  const AccessMap &Mine = Settled(C);
  if (Mine.empty())
    return Findings;
  const Region &R = Facts.region(C, Body, Cfg);

  // Other threads started meanwhile.
  SmallVector<Crossing, 4> Started;
  crossingsIn(Body, R, Facts, Cfg, Started);

  // The spawning thread's accesses while the thread may run (not what it
  // hands to the other threads by reference: those are theirs).
  AccessMap Spawner;
  // A start listed among the body's own: its spawner's accesses are the
  // body's, read once for every start there and kept here by region.
  if (llvm::any_of(Facts.crossingsIn(Body, Cfg),
                   [&](const Crossing &D) { return D.Call == C.Call; })) {
    for (const auto &[Object, Accs] : Facts.spawnerAccesses(Body, Cfg)) {
      if (!Mine.count(Object))
        continue;
      for (const Access &A : Accs)
        if (R.contains(A.Site ? A.Site : A.E))
          Spawner[Object].push_back(A);
    }
  } else {
    DenseSet<const Stmt *> HandedOver;
    addHandedOver(C, HandedOver);
    for (const Crossing &D : Started)
      addHandedOver(D, HandedOver);
    collectSpawnerAccesses(
        Body, Facts, [&](const ValueDecl *D) { return Mine.count(D) != 0; },
        HandedOver, [&](const Stmt *S) { return R.contains(S); }, Spawner);
  }
  eraseEntriesIf(Spawner, [](const auto &E) { return E.second.empty(); });
  Settle(Spawner);

  std::vector<std::pair<SourceLocation, const AccessMap *>> OtherThreads;
  for (const Crossing &D : Started) {
    if (D.Call == C.Call)
      continue;
    OtherThreads.emplace_back(D.Call->getExprLoc(), &Settled(D));
  }

  // Threads started by one loop, one per iteration, do not share what each
  // iteration declares anew (docs/model.md, "Loops").
  const Stmt *Loop =
      R.InLoop && !C.Parallel
          ? loopAround(C.Call, Body, Facts.order(Body).parents())
          : nullptr;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const auto &[Object, Accs] : Mine) {
    bool Owned = Loop && ownedPerIteration(Object, Loop);
    bool InLoop = R.InLoop && !Owned;
    // What the spawner does to an object of its own iteration before the
    // crossing, it does in a later iteration to that iteration's object.
    const ValueDecl *Obj = Object;
    auto BesideThread = [&](auto &Accs, auto Get) {
      std::vector<Beside> Others =
          besideOf(Obj, Spawner, ArrayRef(OtherThreads), InLoop, Accs, Get,
                   C.Parallel ? RaceFinding::OtherRun : RaceFinding::SameLoop);
      if (Owned)
        llvm::erase_if(Others, [&](const Beside &B) {
          SourceRange Body = loopBody(Loop)->getSourceRange();
          SourceLocation At = B.A->E->getBeginLoc();
          return B.K == RaceFinding::Spawner &&
                 !SM.isBeforeInTranslationUnit(At, Body.getBegin()) &&
                 SM.isBeforeInTranslationUnit(At, C.Call->getBeginLoc());
        });
      return Others;
    };
    const SharedObject *Share = Info.find(Object);
    SharedObject S = Share ? *Share
                           : SharedObject{Object, Info.ThisAt, ShareVia::This};
    QualType T = sharedObjectType(Object);
    // What a raw pointer given to the thread points to is what is shared;
    // so is what a shared atomic pointer points to (its own loads and
    // stores are not among the accesses: sharedAccesses).
    bool ThroughAtomic =
        S.How != ShareVia::Pointee && !atomicPointee(T).isNull();
    if (S.How == ShareVia::Pointee)
      T = T->getPointeeType();
    else if (ThroughAtomic)
      T = atomicPointee(T);
    if (T.isNull() || T->isDependentType())
      continue;
    // The pointee of a shared_ptr copy is shared with every other copy,
    // wherever they are: like Arc<T>, writing it needs ThreadSafe(T).
    if (S.How == ShareVia::SharedPointee) {
      QualType P = sharedPointee(T);
      auto Get = [](const Access &A) -> const Access & { return A; };
      const Access *W = nullptr;
      for (const Access &A : Accs)
        if (A.Write && !A.UseOnly && !W)
          W = &A;
      // Locked writes are fine only if what runs beside them (the
      // spawner's copy, other threads) takes the same lock.
      std::vector<Beside> Others = BesideThread(Accs, Get);
      llvm::erase_if(Others, [](const Beside &B) {
        return !B.A->ThroughPointer;
      });
      if (!W || P.isNull() || P->isDependentType() ||
          lockedTogether(Accs, Get, Others) ||
          Engine.query(P, Trait::ThreadSafe) == Verdict::Yes)
        continue;
      Findings.push_back({RaceFinding::SharedPointeeWrite, S, P,
                          Trait::ThreadSafe, *W, RaceFinding::Spawner,
                          std::nullopt, {}});
      continue;
    }

    auto Get = [](const Access &A) -> const Access & { return A; };
    std::vector<Beside> Others = BesideThread(Accs, Get);
    // The thread's accesses of a shared atomic pointer are all of what it
    // points to; what else touches the pointer itself shares nothing.
    if (ThroughAtomic)
      llvm::erase_if(Others, [](const Beside &B) {
        return !B.A->path().throughRoot();
      });
    if (lockedTogether(Accs, Get, Others))
      continue;

    // Nothing else touches the object while the thread runs: the thread
    // borrows it exclusively (Rust's &mut T), which needs Send. Otherwise it
    // is shared (&T), which needs Sync.
    Trait Borrow = Others.empty() ? Trait::Send : Trait::Sync;
    if (Engine.query(T, Borrow) == Verdict::No) {
      RaceFinding F{Others.empty() ? RaceFinding::NotSendBorrow
                                   : RaceFinding::NotSync,
                    S, T, Borrow, Accs.front(), RaceFinding::Spawner,
                    std::nullopt, {}};
      Findings.push_back(std::move(F));
      continue;
    }
    if (Engine.query(T, Trait::ThreadSafe) == Verdict::Yes)
      continue;
    if (auto Race = firstRace(Accs, Get, Others)) {
      const Beside &O = *Race->second;
      Findings.push_back({RaceFinding::Unsynchronized, S, T, Trait::ThreadSafe,
                          Accs[Race->first], O.K, *O.A, O.ThreadAt,
                          otherConflicts(Accs, Get, Others, &O, SM)});
    }
  }
  return Findings;
}

} // namespace sendsync
