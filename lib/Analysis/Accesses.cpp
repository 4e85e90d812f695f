//===- Accesses.cpp - how code touches an object, and under which locks ---===//

#include "Analysis/Accesses.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/ThreadFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/MathExtras.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

bool isStdClass(const CXXRecordDecl *RD,
                std::initializer_list<StringRef> Names) {
  return isStdNamed(RD, Names);
}

void forEachEnclosing(const ParentMap &PM, const Stmt *From, const Stmt *Root,
                      function_ref<bool(const Stmt *, const Stmt *)> Visit) {
  for (const Stmt *Child = From; Child && Child != Root;) {
    const Stmt *P = PM.getParent(Child);
    if (!P || !Visit(P, Child))
      return;
    Child = P;
  }
}

/// The reference \p S makes to a root, if any: a variable, or a member of
/// `*this`.
static std::pair<const ValueDecl *, const Expr *> rootRef(const Stmt *S) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
    return {DRE->getDecl(), DRE};
  if (const auto *ME = dyn_cast<MemberExpr>(S))
    if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
        isa<FieldDecl>(ME->getMemberDecl()))
      return {ME->getMemberDecl(), ME};
  return {nullptr, nullptr};
}

/// A root whose own value (the pointer) and the object it points to are
/// two objects: raw pointers to data and the std smart pointers.
static bool pointerLike(const ValueDecl *D) {
  QualType T = D->getType().getNonReferenceType();
  if (T->isPointerType())
    return !T->getPointeeType()->isFunctionType();
  const auto *RD = T->getAsCXXRecordDecl();
  return isStdClass(RD, {"shared_ptr", "unique_ptr"});
}

/// Whether \p S, a branch, ends the function: `return;`, or a block that
/// ends with one.
static bool alwaysReturns(const Stmt *S) {
  while (const auto *CS = dyn_cast_or_null<CompoundStmt>(S))
    S = CS->body_empty() ? nullptr : CS->body_back();
  return isa_and_nonnull<ReturnStmt>(S);
}

void collectAccesses(const Stmt *Body, ThreadFacts &Facts,
                     const AccessQuery &Q, function_ref<void(Access)> Found) {
  if (!Body)
    return;
  const ProgramOrder &PO = Facts.order(Body);
  const Locksets &LS = Facts.locks(Body);
  auto Summarized = [&](const FunctionDecl *FD) {
    return Facts.summary(FD) != nullptr;
  };
  auto PerThread = [&](const ValueDecl *D) {
    return Q.PerThread && Q.PerThread(D);
  };
  auto Params = [&](const VarDecl *P) -> std::optional<int64_t> {
    return Q.ParamValue ? Q.ParamValue(P) : std::nullopt;
  };
  auto AtomicsOf = [&](const Stmt *S) -> const StatementAtomics & {
    return Facts.atomicsOf(S);
  };
  // Most bodies hold no atomics: nothing around any access orders it.
  bool MayOrder = Facts.mayOrder(Body);
  // Through a pointer-like root, `*p = 1` writes the pointee and `p = q`
  // the pointer: two objects.
  auto Follow = [&](const ValueDecl *D) {
    return (Q.FollowPointee && Q.FollowPointee(D)) || pointerLike(D);
  };
  // Local references bound to a part of a wanted object
  // (`auto &w = workers[id];`, `Stats &s = shared.stats;`): an access
  // through one is an access of that part, with the index it was bound
  // with; binding it touches nothing.
  struct RefAlias {
    const ValueDecl *Root;
    const Expr *RootRef;
  };
  DenseMap<const ValueDecl *, RefAlias> RefAliases;
  DenseSet<const Expr *> BindingRefs;
  for (const auto &[R, Init] : Facts.referenceLocals(Body)) {
    const Stmt *Cur = Init;
    while (Cur && !rootRef(Cur).first) {
      // Down the object operand: the base of a member, array or call.
      if (const auto *ME = dyn_cast<MemberExpr>(Cur))
        Cur = ME->getBase();
      else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(Cur))
        Cur = ASE->getBase();
      else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Cur);
               OC && OC->getOperator() == OO_Subscript && OC->getNumArgs())
        Cur = OC->getArg(0);
      else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cur);
               MC && MC->getMethodDecl() &&
               MC->getMethodDecl()->getIdentifier() &&
               llvm::is_contained({StringRef("at"), StringRef("front"),
                                   StringRef("back")},
                                  MC->getMethodDecl()->getName()))
        // Element accessors only: what else a member call returns a
        // reference to is the callee's to say.
        Cur = MC->getImplicitObjectArgument();
      else if (const auto *IC = dyn_cast<ImplicitCastExpr>(Cur))
        Cur = IC->getSubExpr();
      else if (const auto *PE = dyn_cast<ParenExpr>(Cur))
        Cur = PE->getSubExpr();
      else
        Cur = nullptr;
    }
    auto [Root, RootRef] = Cur ? rootRef(Cur) : std::pair<const ValueDecl *,
                                                          const Expr *>();
    if (!Root || !Q.Wanted(Root) || Root == R)
      continue;
    RefAliases[R] = {Root, RootRef};
    BindingRefs.insert(RootRef);
  }
  // A use of such a reference as an access of the part it was bound to:
  // the binding's root, path, element and index, touched as the use
  // touches it.
  auto throughBinding = [&](const Access &Use, const RefAlias &To) {
    Access A = classifyAccess(To.RootRef, To.Root, PO.parents(), PerThread,
                              Follow(To.Root), Summarized);
    A.E = Use.E;
    A.Write = Use.Write;
    A.Atomic = Use.Atomic;
    A.UseOnly = Use.UseOnly;
    A.Ignore = false;
    A.ThroughPointer |= Use.ThroughPointer;
    A.Path.append(Use.Path.begin(), Use.Path.end());
    if (!A.Element && Use.Element) {
      A.Element = true;
      A.ElementType = Use.ElementType;
      A.Index = Use.Index;
      A.DistinctElement = Use.DistinctElement;
    }
    return A;
  };
  SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S); L && Q.SkipLambdas) {
      // Only the initializers of by-copy captures run here (they read);
      // a by-reference capture only binds a reference.
      auto Init = L->capture_init_begin();
      for (const LambdaCapture &Cap : L->captures()) {
        if (Cap.getCaptureKind() == LCK_ByCopy)
          Work.push_back(*Init);
        ++Init;
      }
      continue;
    }
    // sizeof(*p) and alignof read nothing.
    if (isa<UnaryExprOrTypeTraitExpr>(S) || (Q.Skip && Q.Skip(S)))
      continue;
    // A branch the constants the thread is started with rule out runs
    // never in it: `if (id == 0) total = sum;` in the thread given 1.
    if (const auto *If = dyn_cast<IfStmt>(S); If && Q.ParamValue)
      if (std::optional<bool> Taken = conditionValue(
              If->getCond(), PO.parents(), Facts.context(), Params)) {
        Work.push_back(If->getInit());
        Work.push_back(If->getConditionVariableDeclStmt());
        Work.push_back(If->getCond());
        Work.push_back(*Taken ? If->getThen() : If->getElse());
        continue;
      }
    // `if (id != 0) return;` taken: what follows it in the block runs
    // never.
    // (A case or label after it may still be jumped to: walked from there.)
    if (const auto *CS = dyn_cast<CompoundStmt>(S); CS && Q.ParamValue) {
      bool Skipping = false;
      for (const Stmt *Child : CS->body()) {
        if (Skipping && !isa<SwitchCase, LabelStmt>(Child))
          continue;
        Skipping = false;
        Work.push_back(Child);
        if (const auto *If = dyn_cast<IfStmt>(Child))
          if (std::optional<bool> Taken = conditionValue(
                  If->getCond(), PO.parents(), Facts.context(), Params))
            Skipping = alwaysReturns(*Taken ? If->getThen() : If->getElse());
      }
      continue;
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
    // Only a reference to a wanted object or a call can be an access:
    // asked first, since most expressions are neither and the region and
    // position lookups below cost more.
    auto [D, Ref] = rootRef(S);
    if (Ref && BindingRefs.count(Ref))
      continue;
    auto Alias = D ? RefAliases.find(D) : RefAliases.end();
    bool Aliased = Alias != RefAliases.end();
    bool WantedRef = D && (Aliased || Q.Wanted(D));
    bool IsCall = isa<CallExpr, CXXConstructExpr>(S);
    if (!WantedRef && !IsCall)
      continue;
    if (Q.InRegion && isa<Expr>(S) && !Q.InRegion(S))
      continue;
    // Code no path reaches (after a return, a noreturn call) runs never.
    if (PO.cfg() && isa<Expr>(S) && !PO.position(S))
      continue;
    if (WantedRef) {
      Access A = classifyAccess(Ref, D, PO.parents(), PerThread, Follow(D),
                                Summarized);
      if (Aliased && !A.Ignore)
        A = throughBinding(A, Alias->second);
      if (A.Index)
        A.Range = indexRange(A.Index, PO.parents(), Facts.context(), Params);
      if (!A.Ignore) {
        ArrayRef<HeldLock> Held = LS.at(Ref);
        A.Locks.append(Held.begin(), Held.end());
        if (MayOrder)
          atomicsAround(Ref, Body, PO.parents(), AtomicsOf, A);
        A.Site = S;
        Found(std::move(A));
      }
    }
    // A call to a function of this translation unit: what its summary
    // touches of the objects it is given.
    if (!IsCall)
      continue;
    std::optional<CallParts> Parts = callParts(cast<Expr>(S));
    if (!Parts || !hasWrittenBody(Parts->Callee))
      continue;
    const FunctionSummary *Sum = Facts.summary(Parts->Callee);
    if (!Sum)
      continue;
    // A lambda called where it is written: its `this` is the caller's.
    if (const auto *MD = dyn_cast<CXXMethodDecl>(Parts->Callee);
        MD && MD->getParent()->isLambda())
      Parts->Object = nullptr;
    // A constructor's `this` is the object being made, not yet shared.
    bool Constructing = isa<CXXConstructorDecl>(Parts->Callee);
    ArrayRef<HeldLock> AtCall = LS.at(S);
    for (const SummaryAccess &SA : Sum->Accesses) {
      if (Constructing && (!SA.Path.Root || isa<FieldDecl>(SA.Path.Root)))
        continue;
      std::optional<AccessPath> R =
          rebaseOntoCall(SA.Path, Parts->Callee, Parts->Object, Parts->Args);
      if (!R || !R->Root || !Q.Wanted(R->Root))
        continue;
      // Reported at what the caller passes: the object, or the argument.
      const Expr *At = Parts->Object ? Parts->Object : cast<Expr>(S);
      if (const auto *PVD = dyn_cast_or_null<ParmVarDecl>(SA.Path.Root))
        if (PVD->getFunctionScopeIndex() < Parts->Args.size())
          At = Parts->Args[PVD->getFunctionScopeIndex()];
      Access A{At->IgnoreParenImpCasts(), R->Root};
      A.Path = R->Fields;
      A.Write = SA.Write;
      A.Atomic = SA.Atomic;
      A.Element = SA.Element;
      A.ElementType = SA.ElementType;
      A.Index = SA.Index;
      A.Range = SA.Range;
      // An index of the callee's own, bounded by what this call passes:
      // fill_rows(0, 32) writes rows 0 to 31.
      if (SA.Index && SA.In == Parts->Callee && Parts->Callee->hasBody()) {
        const ProgramOrder &CPO =
            Facts.order(Parts->Callee->getBody(), Parts->Callee);
        auto Bound = [&](const VarDecl *V) -> std::optional<int64_t> {
          const auto *P = dyn_cast<ParmVarDecl>(V);
          // A parameter the callee changes holds the constant only at its
          // start.
          if (!P || !Facts.localUses(Parts->Callee->getBody()).keepsValue(P))
            return std::nullopt;
          unsigned I = P->getFunctionScopeIndex();
          Expr::EvalResult R;
          if (P->getDeclContext() == Parts->Callee &&
              I < Parts->Args.size() &&
              Parts->Args[I]->EvaluateAsInt(R, Facts.context()))
            return R.Val.getInt().getSExtValue();
          return Params(P);
        };
        if (std::optional<IndexRange> Bounded = indexRange(
                SA.Index, CPO.parents(), Facts.context(), Bound))
          A.Range = Bounded;
      }
      A.ThroughPointer = R->throughRoot();
      // A member of an element (queues_[i]->tasks): it touches one element.
      if (llvm::is_contained(A.Path, nullptr))
        A.Element = true;
      A.Locks.append(AtCall.begin(), AtCall.end());
      for (const HeldLock &L : SA.Locks)
        if (auto M = rebaseOntoCall(L.Mutex, Parts->Callee, Parts->Object,
                                    Parts->Args))
          A.Locks.push_back({*M, L.Shared});
      A.Via = SA.At;
      A.ViaFn = SA.In;
      if (MayOrder)
        atomicsAround(cast<Expr>(S), Body, PO.parents(), AtomicsOf, A);
      A.Site = S;
      Found(std::move(A));
    }
  }
}

void collectCalls(const Stmt *Body, ThreadFacts &Facts, bool SkipLambdas,
                  function_ref<bool(const Stmt *)> InRegion,
                  function_ref<void(const FunctionDecl *, ArrayRef<HeldLock>,
                                    const Expr *)>
                      OnCall) {
  if (!Body)
    return;
  const Locksets &LS = Facts.locks(Body);
  SmallVector<const Stmt *, 64> Work{Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || (SkipLambdas && isa<LambdaExpr>(S)))
      continue;
    for (const Stmt *Ch : S->children())
      Work.push_back(Ch);
    if (InRegion && isa<Expr>(S) && !InRegion(S))
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = Call->getDirectCallee())
        OnCall(FD, LS.at(Call), Call);
    if (const auto *Ctor = dyn_cast<CXXConstructExpr>(S))
      if (const FunctionDecl *FD = Ctor->getConstructor())
        OnCall(FD, LS.at(Ctor), Ctor);
  }
}

bool orderedByAtomic(const Access &A, const Access &B) {
  auto Meet = [](ArrayRef<const ValueDecl *> X, ArrayRef<const ValueDecl *> Y) {
    for (const ValueDecl *D : X)
      if (llvm::is_contained(Y, D))
        return true;
    return false;
  };
  return Meet(A.ReleasedAfter, B.AcquiredBefore) ||
         Meet(B.ReleasedAfter, A.AcquiredBefore);
}

SmallVector<AccessPath, 2> commonLocks(ArrayRef<const Access *> As) {
  SmallVector<AccessPath, 2> Common;
  bool First = true;
  for (const Access *A : As) {
    SmallVector<AccessPath, 2> Mine;
    for (const HeldLock &L : A->Locks)
      if (!L.Shared || !A->Write)
        Mine.push_back(L.Mutex);
    if (First) {
      Common = Mine;
      First = false;
      continue;
    }
    llvm::erase_if(Common, [&](const AccessPath &M) {
      return !llvm::is_contained(Mine, M);
    });
  }
  return Common;
}

void addHandedOver(const Crossing &D, DenseSet<const Stmt *> &Out) {
  for (const CrossingValue &V : D.Values) {
    if (handsOverByReference(V.Arg))
      Out.insert(V.Arg);
    // spawn(work(total)): the call makes the coroutine; its body runs in
    // the other thread, not here.
    if (const CallExpr *Co = coroutineCall(V.Arg))
      Out.insert(Co);
  }
}

void collectSpawnerAccesses(const Stmt *Body, ThreadFacts &Facts,
                            function_ref<bool(const ValueDecl *)> Wanted,
                            const DenseSet<const Stmt *> &HandedOver,
                            function_ref<bool(const Stmt *)> InRegion,
                            AccessMap &Out) {
  auto Skip = [&](const Stmt *S) { return HandedOver.contains(S); };
  AccessQuery Q;
  Q.Wanted = Wanted;
  Q.SkipLambdas = true;
  Q.InRegion = InRegion;
  Q.Skip = Skip;
  Q.FollowPointee = followsAtomicPointer;
  collectAccesses(Body, Facts, Q,
                  [&](Access A) { Out[A.Object].push_back(std::move(A)); });
}

AccessMap sharedAccesses(const ShareInfo &Info, ThreadFacts &Facts) {
  AccessMap Out;
  if (!Info.Body)
    return Out;
  // A shared atomic pointer (`std::atomic<T *>` captured by reference)
  // stands for what it points to: its own loads and stores race with
  // nothing, and the thread's locals published through it or loaded from
  // it are that pointee.
  // (Not a member of `*this`: an atomic pointer reached through a pointer
  // is not followed.)
  auto AtomicPointer = [&](const ValueDecl *D) {
    return followsAtomicPointer(D) && Info.sharedObjectFor(D) != nullptr;
  };
  const ThreadFacts::PublishedLocals &Pub = Facts.publishedLocals(Info.Body);
  auto PublishedVia =
      [&](const ValueDecl *D) -> const ThreadFacts::Published * {
    if (Pub.Locals.empty())
      return nullptr;
    auto P = Pub.Locals.find(D);
    return P != Pub.Locals.end() && AtomicPointer(P->second.Pointer)
               ? &P->second
               : nullptr;
  };
  const SourceManager &SM = Facts.context().getSourceManager();
  auto Wanted = [&](const ValueDecl *D) {
    return Info.sharedObjectFor(D) != nullptr ||
           Info.PointerAlias.count(D) != 0 || Info.SharedOwners.count(D) != 0 ||
           Info.PointeeOf.count(D) != 0 || Info.isThisObjectMember(D) ||
           Info.ArgumentPointees.count(D) != 0 || PublishedVia(D);
  };
  auto PerThread = [&](const ValueDecl *D) {
    return Info.PerThread.count(D) != 0;
  };
  auto Pointee = [&](const ValueDecl *D) {
    if (const ThreadFacts::Published *P = PublishedVia(D))
      return !P->Object;
    return Info.PointerAlias.count(D) != 0 || Info.SharedOwners.count(D) != 0 ||
           Info.PointeeOf.count(D) != 0 || Info.ArgumentPointees.count(D) != 0 ||
           AtomicPointer(D);
  };
  // `obj.m` (or `p->m`) for a member `m` of `*this` in a member function
  // run on obj (or *p).
  auto OntoObject = [&](const ValueDecl *&Root,
                        SmallVectorImpl<const FieldDecl *> &Fields) {
    Fields.insert(Fields.begin(), cast<FieldDecl>(Root));
    if (Info.ThisViaPointer)
      Fields.insert(Fields.begin(), derefStep());
    Root = Info.ThisObject;
  };
  // The object a name of the body stands for: a reference parameter bound
  // to std::ref(x) is x, a pointer bound to &x points at x.
  auto Named = [&](const ValueDecl *D) {
    if (auto It = Info.PointerAlias.find(D); It != Info.PointerAlias.end())
      return It->second;
    if (auto It = Info.PointeeOf.find(D); It != Info.PointeeOf.end())
      return It->second;
    if (const ValueDecl *S = Info.sharedObjectFor(D))
      return S;
    return D;
  };
  auto Constant = [&](const VarDecl *P) { return Info.constantParam(P); };
  AccessQuery Q;
  Q.Wanted = Wanted;
  Q.PerThread = PerThread;
  Q.FollowPointee = Pointee;
  Q.ParamValue = Constant;
  collectAccesses(Info.Body, Facts, Q, [&](Access A) {
    if (const ThreadFacts::Published *P = PublishedVia(A.Object);
        P && !Pub.onPointee(A, *P, SM))
      return;
    if (AtomicPointer(A.Object) && !A.path().throughRoot())
      return;
    AccessPath Block = A.path();
    if (Info.rebaseThroughBlock(Block, /*PointerValued=*/false)) {
      // The block's own locks (`&a->mu`) are each thread's own, unless
      // every such thread is given the same block (`&args[0]`).
      if (!Info.ElementOf.count(A.Object))
        llvm::erase_if(A.Locks, [&](const HeldLock &L) {
          AccessPath Pointee = L.Mutex;
          return L.Mutex.Root == A.Object &&
                 !Info.rebaseThroughBlock(Pointee, /*PointerValued=*/true);
        });
      A.Object = Block.Root;
      A.Path = Block.Fields;
      A.ThroughPointer = false;
    } else if (Info.ArgumentPointees.count(A.Object) &&
               !Info.PointerAlias.count(A.Object)) {
      return; // the block is the thread's own
    } else
    // Through a pointer (or a shared_ptr copy): *p = v writes the pointee;
    // the pointer's own reads and writes are the thread's.
    if (auto It = Info.PointerAlias.find(A.Object);
        It != Info.PointerAlias.end()) {
      if (!A.ThroughPointer)
        return;
      A.ThroughPointer = false; // an access to the object itself
      if (auto Element = Info.ElementOf.find(A.Object);
          Element != Info.ElementOf.end()) {
        // Through `&res[k]`: `p->m` and `*p` are res[k]; `p[j]` (a step
        // through the pointer, then an element) is res[k + j].
        int64_t K = Element->second;
        if (A.Path.size() >= 2 && A.Path[1] == nullptr) {
          A.Path.erase(A.Path.begin());
          if (A.Range && (AddOverflow(A.Range->Lo, K, A.Range->Lo) ||
                          AddOverflow(A.Range->Hi, K, A.Range->Hi)))
            A.Range.reset();
        } else {
          A.Path.front() = nullptr;
          A.Range = IndexRange{K, K};
        }
        A.Element = true;
        A.DistinctElement = false;
      } else {
        A.Path.erase(A.Path.begin());
      }
      A.Object = It->second;
    } else if (auto It = Info.PointeeOf.find(A.Object);
               It != Info.PointeeOf.end()) {
      // The thread's copy of a pointer: only what it points to is shared.
      if (!A.ThroughPointer)
        return;
      A.Object = It->second;
    } else if (Info.SharedOwners.count(A.Object)) {
      if (!A.ThroughPointer)
        return;
    } else if (Info.isThisObjectMember(A.Object)) {
      OntoObject(A.Object, A.Path);
      A.ThroughPointer = Info.ThisViaPointer;
    } else {
      A.Object = Info.sharedObjectFor(A.Object);
    }
    // A lock taken on a reference parameter (thread(f, std::ref(mu))) or
    // through a pointer to a shared object is a lock on the spawner's.
    for (HeldLock &L : A.Locks) {
      if (!L.Mutex.Root)
        continue;
      // pthread_mutex_lock(a->lock): the lock a's member points to.
      if (Info.rebaseThroughBlock(L.Mutex, /*PointerValued=*/true))
        continue;
      if (Info.PointerAlias.count(L.Mutex.Root)) {
        if (!Info.ElementOf.count(L.Mutex.Root)) {
          if (L.Mutex.throughRoot())
            L.Mutex.Fields.erase(L.Mutex.Fields.begin());
        } else if (L.Mutex.throughRoot()) {
          L.Mutex.Fields.front() = nullptr; // a member of the element
        } else if (L.Mutex.Fields.empty() ||
                   L.Mutex.Fields.front() != nullptr) {
          // The pointer itself names the element (`&mus[0]`).
          L.Mutex.Fields.insert(L.Mutex.Fields.begin(), nullptr);
        }
      }
      if (Info.isThisObjectMember(L.Mutex.Root)) {
        OntoObject(L.Mutex.Root, L.Mutex.Fields);
        continue;
      }
      L.Mutex.Root = Named(L.Mutex.Root);
    }
    Out[A.Object].push_back(std::move(A));
  });
  return Out;
}

} // namespace sendsync
