//===- Locksets.cpp - which locks are held where, on every path -----------===//

#include "Analysis/Locksets.h"
#include "Analysis/ASTUtil.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

LockEffectSource::~LockEffectSource() = default;

/// The name a C type is known by: a typedef's (pthread_mutex_t), or the
/// record's own.
static StringRef typedefName(QualType T) {
  if (const auto *TT = T->getAs<TypedefType>())
    return TT->getDecl()->getName();
  if (const auto *RD = T->getAsRecordDecl()) {
    if (RD->getIdentifier())
      return RD->getName();
    if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
      return TD->getName();
  }
  return {};
}

static bool hasMethod(const CXXRecordDecl *RD, StringRef Name) {
  for (const CXXMethodDecl *MD : RD->methods())
    if (MD->getIdentifier() && MD->getName() == Name)
      return true;
  return false;
}

bool isLockType(QualType T) {
  T = T.getNonReferenceType();
  while (const ArrayType *AT = T->getAsArrayTypeUnsafe())
    T = AT->getElementType();
  StringRef C = typedefName(T);
  if (C == "pthread_mutex_t" || C == "pthread_rwlock_t" ||
      C == "pthread_spinlock_t" || C == "mtx_t")
    return true;
  const auto *RD = T->getAsCXXRecordDecl();
  if (!RD)
    return false;
  if (isStdNamed(RD, {"mutex", "recursive_mutex", "timed_mutex",
                       "recursive_timed_mutex", "shared_mutex",
                       "shared_timed_mutex"}))
    return true;
  if (RD->hasAttr<CapabilityAttr>())
    return true;
  const CXXRecordDecl *Def = RD->getDefinition();
  if (!Def)
    return false;
  // Mutex<T> and RwLock<T> of the runtime, spinlocks, absl::Mutex and most
  // hand-written locks: an object you lock and unlock.
  return (hasMethod(Def, "lock") && hasMethod(Def, "unlock")) ||
         (hasMethod(Def, "Lock") && hasMethod(Def, "Unlock")) ||
         (hasMethod(Def, "lock") && hasMethod(Def, "try_lock"));
}

bool isStdGuardClass(const CXXRecordDecl *RD) {
  return RD && isStdNamed(RD, {"lock_guard", "unique_lock", "scoped_lock",
                               "shared_lock"});
}

/// A guard class: its objects lock in the constructor and unlock in the
/// destructor.
static bool isGuardClass(const CXXRecordDecl *RD) {
  return RD && (isStdGuardClass(RD) || RD->hasAttr<ScopedLockableAttr>());
}

static bool isSharedGuard(const CXXRecordDecl *RD) {
  return isStdNamed(RD, {"shared_lock"});
}

static const VarDecl *varOf(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = Call->getDirectCallee();
        FD && FD->getIdentifier() && FD->getName() == "move" &&
        Call->getNumArgs() == 1)
      return varOf(Call->getArg(0));
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// Drops a null `*this` root in favour of the first member.
static AccessPath normalized(AccessPath P) {
  if (!P.Root && !P.Fields.empty() && isMemberStep(P.Fields.front())) {
    P.Root = P.Fields.front();
    P.Fields.erase(P.Fields.begin());
  }
  return P;
}

std::optional<CallParts> callParts(const Expr *E) {
  CallParts Parts;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    Parts.Callee = MC->getMethodDecl();
    Parts.HasObject = true;
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (Obj && !isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
      Parts.Object = Obj;
    Parts.Args.append(MC->arg_begin(), MC->arg_end());
    return Parts;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OC->getCalleeDecl());
    Parts.Callee = dyn_cast_or_null<FunctionDecl>(OC->getCalleeDecl());
    unsigned First = 0;
    if (MD && !MD->isStatic() && OC->getNumArgs() > 0) {
      Parts.HasObject = true;
      const Expr *Obj = OC->getArg(0);
      if (!isa<CXXThisExpr>(Obj->IgnoreParenImpCasts()))
        Parts.Object = Obj;
      First = 1;
    }
    for (unsigned I = First; I < OC->getNumArgs(); ++I)
      Parts.Args.push_back(OC->getArg(I));
    return Parts;
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    Parts.Callee = Call->getDirectCallee();
    Parts.Args.append(Call->arg_begin(), Call->arg_end());
    return Parts;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    Parts.Callee = CE->getConstructor();
    Parts.Args.append(CE->arg_begin(), CE->arg_end());
    return Parts;
  }
  return std::nullopt;
}

std::optional<AccessPath> rebaseOntoCall(const AccessPath &P,
                                         const FunctionDecl *Callee,
                                         const Expr *Object,
                                         ArrayRef<const Expr *> Args) {
  if (const auto *PVD = dyn_cast_or_null<ParmVarDecl>(P.Root)) {
    unsigned I = PVD->getFunctionScopeIndex();
    if (I >= Args.size())
      return std::nullopt;
    std::optional<AccessPath> A = accessPathOf(Args[I]);
    if (!A)
      return std::nullopt;
    AccessPath Tail;
    Tail.Fields = P.Fields;
    // A pointer parameter given &x: *p is x.
    if (isAddressOf(Args[I]) && Tail.throughRoot())
      Tail.Fields.erase(Tail.Fields.begin());
    return normalized(A->extended(Tail));
  }
  if (!P.Root || isa<FieldDecl>(P.Root)) {
    if (!Object)
      return P.Root ? std::optional<AccessPath>(P) : std::nullopt;
    std::optional<AccessPath> O = accessPathOf(Object);
    if (!O)
      return std::nullopt;
    return normalized(O->extended(P));
  }
  (void)Callee;
  // A local of the callee names nothing the caller has.
  if (const auto *VD = dyn_cast<VarDecl>(P.Root); VD && !VD->hasGlobalStorage())
    return std::nullopt;
  return P; // a global
}

namespace {

/// Locks named by a TSA attribute's arguments (or `*this` without any),
/// as paths in the callee.
template <class AttrT>
SmallVector<AccessPath, 2> attrPaths(const AttrT *A) {
  SmallVector<AccessPath, 2> Out;
  for (const Expr *Arg : A->args())
    if (std::optional<AccessPath> P = accessPathOf(Arg))
      Out.push_back(*P);
  if (A->args_size() == 0)
    Out.push_back(AccessPath{});
  return Out;
}

enum class Op : uint8_t { None, Lock, LockShared, Unlock, TryLock };

/// What a C lock function does: pthread_mutex_lock(&m), mtx_unlock(&m).
Op cLockOp(StringRef N, bool &SuccessIsZero) {
  SuccessIsZero = true;
  if (N == "pthread_mutex_lock" || N == "pthread_rwlock_wrlock" ||
      N == "pthread_spin_lock" || N == "mtx_lock")
    return Op::Lock;
  if (N == "pthread_rwlock_rdlock")
    return Op::LockShared;
  if (N == "pthread_mutex_unlock" || N == "pthread_rwlock_unlock" ||
      N == "pthread_spin_unlock" || N == "mtx_unlock")
    return Op::Unlock;
  if (N == "pthread_mutex_trylock" || N == "pthread_mutex_timedlock" ||
      N == "pthread_mutex_clocklock" || N == "pthread_rwlock_trywrlock" ||
      N == "pthread_rwlock_timedwrlock" || N == "pthread_rwlock_clockwrlock" ||
      N == "pthread_spin_trylock" || N == "mtx_trylock" ||
      N == "mtx_timedlock")
    return Op::TryLock;
  return Op::None;
}

bool cSharedTry(StringRef N) {
  return N == "pthread_rwlock_tryrdlock" || N == "pthread_rwlock_timedrdlock" ||
         N == "pthread_rwlock_clockrdlock";
}

} // namespace

Locksets::Locksets(const ProgramOrder &PO, LockEffectSource *Effects,
                   bool CanLock)
    : PO(PO), Effects(Effects) {
  const CFG *G = CanLock ? PO.cfg() : nullptr;
  if (!G)
    return;
  unsigned N = G->getNumBlockIDs();
  std::vector<State> In(N);
  const CFGBlock &Entry = G->getEntry();
  In[Entry.getBlockID()].Reached = true;
  // Iterate to the greatest fixed point: a block's state is the meet of its
  // predecessors' out-states on their edges to it. Sets only shrink, so
  // this terminates; the bound guards against a bug turning into a hang.
  SmallVector<const CFGBlock *, 32> Work{&Entry};
  std::vector<bool> Queued(N, false);
  Queued[Entry.getBlockID()] = true;
  unsigned Steps = 0, Limit = 64 * N + 1024;
  while (!Work.empty() && Steps++ < Limit) {
    const CFGBlock *B = Work.pop_back_val();
    Queued[B->getBlockID()] = false;
    State S = In[B->getBlockID()];
    // After a call that never returns, nothing of the block runs and no
    // edge is taken: its locks meet nothing downstream.
    std::optional<unsigned> Cut = PO.cutAt(*B);
    unsigned End = Cut ? *Cut + 1 : B->size();
    for (unsigned I = 0; I < End; ++I)
      transfer((*B)[I], S);
    if (Cut)
      continue;
    unsigned SI = 0;
    for (const CFGBlock::AdjacentBlock &Succ : B->succs()) {
      unsigned Index = SI++;
      const CFGBlock *Next = Succ.getReachableBlock();
      if (!Next)
        continue;
      State Out = S;
      refine(*B, Index, Out);
      State &Target = In[Next->getBlockID()];
      State Old = Target;
      meet(Target, Out);
      bool Changed = Old.Reached != Target.Reached ||
                     Old.Held.size() != Target.Held.size();
      for (size_t I = 0; !Changed && I < Old.Held.size(); ++I)
        Changed = Old.Held[I].Shared != Target.Held[I].Shared ||
                  Old.Held[I].Count != Target.Held[I].Count;
      if (Changed && !Queued[Next->getBlockID()]) {
        Queued[Next->getBlockID()] = true;
        Work.push_back(Next);
      }
    }
  }
  // Record the state before every element, now that it is final.
  for (const CFGBlock *B : *G) {
    State S = In[B->getBlockID()];
    if (!S.Reached)
      continue;
    for (const CFGElement &E : *B) {
      if (auto CS = E.getAs<CFGStmt>())
        Before.try_emplace(CS->getStmt(), S.Held);
      transfer(E, S);
    }
  }
  if (In[G->getExit().getBlockID()].Reached)
    AtExit = In[G->getExit().getBlockID()].Held;
}

void Locksets::meet(State &Into, const State &From) {
  if (!From.Reached)
    return;
  if (!Into.Reached) {
    Into = From;
    return;
  }
  SmallVector<HeldLock, 2> Kept;
  for (const HeldLock &L : Into.Held)
    for (const HeldLock &M : From.Held)
      if (L.Mutex == M.Mutex) {
        Kept.push_back({L.Mutex, L.Shared || M.Shared,
                        std::min(L.Count, M.Count)});
        break;
      }
  Into.Held = std::move(Kept);
}

void Locksets::acquire(State &S, const AccessPath &P, bool Shared) {
  for (HeldLock &L : S.Held)
    if (L.Mutex == P) {
      L.Shared = L.Shared && Shared;
      ++L.Count;
      return;
    }
  S.Held.push_back({P, Shared, 1});
}

void Locksets::release(State &S, const AccessPath &P) {
  auto It = llvm::find_if(S.Held, [&](const HeldLock &L) { return L.Mutex == P; });
  if (It != S.Held.end()) {
    if (--It->Count == 0)
      S.Held.erase(It);
    return;
  }
  if (!llvm::is_contained(ReleasedFromEntry, P))
    ReleasedFromEntry.push_back(P);
}

void Locksets::transfer(const CFGElement &E, State &S) {
  if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
    const VarDecl *VD = D->getVarDecl();
    if (auto It = Guards.find(VD); It != Guards.end() && !Disowned.count(VD))
      for (const HeldLock &L : It->second)
        release(S, L.Mutex);
    return;
  }
  auto CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *Dc : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(Dc);
      if (!VD || !VD->getInit())
        continue;
      const auto *RD = VD->getType()->getAsCXXRecordDecl();
      if (!isGuardClass(RD))
        continue;
      const auto *CE =
          dyn_cast<CXXConstructExpr>(VD->getInit()->IgnoreImplicit());
      // `auto l = g.hold();`: a guard a function of the unit returns holds
      // what that function's return statements construct it with.
      const Expr *Returned = VD->getInit()->IgnoreImplicit();
      if (CE && CE->getNumArgs() == 1 &&
          isa<CallExpr>(CE->getArg(0)->IgnoreImplicit()) &&
          isGuardClass(CE->getArg(0)->getType()->getAsCXXRecordDecl()))
        Returned = CE->getArg(0)->IgnoreImplicit(); // a move before C++17
      // (std::move(l) of a guard of this body is a move, handled below.)
      if (isa<CallExpr>(Returned) && !varOf(Returned)) {
        SmallVector<HeldLock, 2> Managed = returnedLocks(Returned);
        Guards[VD] = Managed;
        for (const HeldLock &L : Managed)
          acquire(S, L.Mutex, L.Shared);
        continue;
      }
      if (!CE)
        continue;
      SmallVector<HeldLock, 2> Managed;
      bool Deferred = false;
      const VarDecl *MovedFrom = nullptr;
      for (const Expr *Arg : CE->arguments()) {
        const auto *ArgRD = Arg->getType()->getAsCXXRecordDecl();
        if (isStdNamed(ArgRD, {"defer_lock_t", "try_to_lock_t"})) {
          Deferred = true;
          continue;
        }
        if (isStdNamed(ArgRD, {"adopt_lock_t"}))
          continue;
        if (isGuardClass(ArgRD)) {
          MovedFrom = varOf(Arg);
          continue;
        }
        if (!isLockType(Arg->getType()))
          continue;
        if (std::optional<AccessPath> P = accessPathOf(Arg))
          Managed.push_back({*P, isSharedGuard(RD)});
      }
      // A scoped_lockable class whose constructor names what it acquires.
      if (const CXXConstructorDecl *Ctor = CE->getConstructor())
        if (const auto *A = Ctor->getAttr<AcquireCapabilityAttr>()) {
          Managed.clear();
          SmallVector<const Expr *, 4> Args(CE->arg_begin(), CE->arg_end());
          for (const AccessPath &P : attrPaths(A))
            if (auto R = rebaseOntoCall(P, Ctor, nullptr, Args); R && R->Root)
              Managed.push_back({*R, A->isShared()});
        }
      if (MovedFrom) {
        if (auto It = Guards.find(MovedFrom); It != Guards.end()) {
          Managed = It->second;
          Disowned.insert(MovedFrom);
        }
      }
      Guards[VD] = Managed;
      if (!Deferred && !MovedFrom)
        for (const HeldLock &L : Managed)
          acquire(S, L.Mutex, L.Shared);
    }
    return;
  }
  if (const auto *Ex = dyn_cast<Expr>(St))
    if (isa<CallExpr>(Ex))
      applyCall(Ex, S);
}

SmallVector<HeldLock, 2> Locksets::returnedLocks(const Expr *Call) {
  std::optional<CallParts> Parts = callParts(Call);
  const FunctionDecl *Def =
      Parts && Parts->Callee ? Parts->Callee->getDefinition() : nullptr;
  if (!Def || !Def->hasBody() ||
      !isGuardClass(Def->getReturnType()->getAsCXXRecordDecl()))
    return {};
  std::optional<SmallVector<HeldLock, 2>> Agreed;
  SmallVector<const Stmt *, 32> Work{Def->getBody()};
  while (!Work.empty()) {
    const Stmt *St = Work.pop_back_val();
    if (!St || isa<LambdaExpr>(St))
      continue;
    pushChildren(Work, St);
    const auto *Ret = dyn_cast<ReturnStmt>(St);
    if (!Ret)
      continue;
    const Expr *V = Ret->getRetValue() ? Ret->getRetValue()->IgnoreImplicit()
                                       : nullptr;
    // Before C++17, a move of the temporary: what it moves from.
    for (;;) {
      if (const auto *Cast = dyn_cast_or_null<CXXFunctionalCastExpr>(V))
        V = Cast->getSubExpr()->IgnoreImplicit();
      else if (const auto *Move = dyn_cast_or_null<CXXConstructExpr>(V);
               Move && Move->getNumArgs() == 1 &&
               Move->getConstructor()->isCopyOrMoveConstructor())
        V = Move->getArg(0)->IgnoreImplicit();
      else
        break;
    }
    const auto *CE = dyn_cast_or_null<CXXConstructExpr>(V);
    if (!CE || !isGuardClass(CE->getType()->getAsCXXRecordDecl()))
      return {};
    SmallVector<HeldLock, 2> Held;
    for (const Expr *Arg : CE->arguments()) {
      const auto *ArgRD = Arg->getType()->getAsCXXRecordDecl();
      // A deferred or moved guard: what it holds is not read here. An
      // adopted lock was taken by the function itself, which its own lock
      // effect already says.
      if (isStdNamed(ArgRD, {"defer_lock_t", "try_to_lock_t", "adopt_lock_t"}) ||
          isGuardClass(ArgRD))
        return {};
      if (!isLockType(Arg->getType()))
        continue;
      std::optional<AccessPath> P = accessPathOf(Arg);
      std::optional<AccessPath> R =
          P ? rebaseOntoCall(*P, Def, Parts->Object, Parts->Args)
            : std::nullopt;
      if (!R || !R->Root)
        return {};
      Held.push_back({*R, isSharedGuard(CE->getType()->getAsCXXRecordDecl())});
    }
    auto Same = [](ArrayRef<HeldLock> A, ArrayRef<HeldLock> B) {
      return A.size() == B.size() &&
             std::equal(A.begin(), A.end(), B.begin(),
                        [](const HeldLock &X, const HeldLock &Y) {
                          return X.Mutex == Y.Mutex && X.Shared == Y.Shared;
                        });
    };
    if (Agreed && !Same(*Agreed, Held))
      return {};
    Agreed = std::move(Held);
  }
  return Agreed ? *Agreed : SmallVector<HeldLock, 2>();
}

void Locksets::applyCall(const Expr *Call, State &S) {
  std::optional<CallParts> Parts = callParts(Call);
  if (!Parts || !Parts->Callee)
    return;
  const FunctionDecl *FD = Parts->Callee;
  StringRef Name = FD->getIdentifier() ? FD->getName() : StringRef();

  // Operations on a guard: l.unlock(), l.lock(), l.release().
  if (const VarDecl *G = varOf(Parts->Object)) {
    if (const auto *RD = G->getType()->getAsCXXRecordDecl();
        RD && isGuardClass(RD)) {
      auto It = Guards.find(G);
      if (It == Guards.end())
        return;
      if (Name == "unlock")
        for (const HeldLock &L : It->second)
          release(S, L.Mutex);
      else if (Name == "lock")
        for (const HeldLock &L : It->second)
          acquire(S, L.Mutex, L.Shared);
      else if (Name == "release")
        Disowned.insert(G);
      return;
    }
  }

  // TSA-annotated functions say what they do.
  bool Annotated = false;
  for (const auto *A : FD->specific_attrs<AcquireCapabilityAttr>()) {
    Annotated = true;
    for (const AccessPath &P : attrPaths(A))
      if (auto R = rebaseOntoCall(P, FD, Parts->Object, Parts->Args);
          R && (R->Root || !R->Fields.empty()))
        acquire(S, *R, A->isShared());
  }
  for (const auto *A : FD->specific_attrs<ReleaseCapabilityAttr>()) {
    Annotated = true;
    for (const AccessPath &P : attrPaths(A))
      if (auto R = rebaseOntoCall(P, FD, Parts->Object, Parts->Args))
        release(S, *R);
  }
  if (Annotated)
    return;

  // std::lock(a, b, ...) takes every lock it is given.
  if (!Parts->HasObject && Name == "lock" && inStd(FD)) {
    for (const Expr *Arg : Parts->Args)
      if (std::optional<AccessPath> P = accessPathOf(Arg))
        acquire(S, *P, false);
    return;
  }

  // C lock functions.
  bool SuccessIsZero = true;
  if (!Parts->HasObject) {
    Op O = cLockOp(Name, SuccessIsZero);
    if ((O == Op::Lock || O == Op::LockShared || O == Op::Unlock) &&
        !Parts->Args.empty()) {
      if (std::optional<AccessPath> P = accessPathOf(Parts->Args[0])) {
        if (O == Op::Unlock)
          release(S, *P);
        else
          acquire(S, *P, O == Op::LockShared);
      }
      return;
    }
  }

  // Wrappers defined in this translation unit.
  if (Effects)
    if (const LockEffect *Eff = Effects->lockEffect(FD); Eff && !Eff->empty()) {
      for (const AccessPath &P : Eff->Releases)
        if (auto R = rebaseOntoCall(P, FD, Parts->Object, Parts->Args))
          release(S, *R);
      for (const HeldLock &L : Eff->Acquires)
        if (auto R = rebaseOntoCall(L.Mutex, FD, Parts->Object, Parts->Args);
            R && (R->Root || !R->Fields.empty()))
          acquire(S, *R, L.Shared);
      return;
    }

  // m.lock(), m.unlock() and the shared forms on a lock object.
  if (Parts->HasObject && Parts->Object && isLockType(Parts->Object->getType())) {
    std::optional<AccessPath> P = accessPathOf(Parts->Object);
    if (!P)
      return;
    if (Name == "lock" || Name == "Lock" || Name == "WriterLock")
      acquire(S, *P, false);
    else if (Name == "lock_shared" || Name == "ReaderLock")
      acquire(S, *P, true);
    else if (Name == "unlock" || Name == "unlock_shared" || Name == "Unlock" ||
             Name == "WriterUnlock" || Name == "ReaderUnlock")
      release(S, *P);
  }
}

std::optional<Locksets::Try> Locksets::tryLock(const Expr *E,
                                               unsigned Depth) const {
  if (!E || Depth > 8)
    return std::nullopt;
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_LNot) {
    std::optional<Try> T = tryLock(UO->getSubExpr(), Depth + 1);
    if (T)
      T->WhenTrue = !T->WhenTrue;
    return T;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
    const Expr *L = BO->getLHS()->IgnoreParenImpCasts();
    const Expr *R = BO->getRHS()->IgnoreParenImpCasts();
    auto IsZero = [](const Expr *X) {
      if (const auto *IL = dyn_cast<IntegerLiteral>(X))
        return IL->getValue().isZero();
      if (const auto *DRE = dyn_cast<DeclRefExpr>(X))
        if (const auto *EC = dyn_cast<EnumConstantDecl>(DRE->getDecl()))
          return EC->getInitVal().isZero(); // thrd_success
      return false;
    };
    const Expr *Other = IsZero(R) ? L : IsZero(L) ? R : nullptr;
    if (!Other)
      return std::nullopt;
    std::optional<Try> T = tryLock(Other, Depth + 1);
    // `x == 0` is true exactly when `x` is false.
    if (T && BO->getOpcode() == BO_EQ)
      T->WhenTrue = !T->WhenTrue;
    return T;
  }
  // A variable holding a try-lock's result: int rc = pthread_mutex_trylock.
  if (const VarDecl *VD = varOf(E)) {
    if (const auto *RD = VD->getType()->getAsCXXRecordDecl();
        RD && isGuardClass(RD)) {
      auto It = Guards.find(VD);
      if (It == Guards.end())
        return std::nullopt;
      Try T;
      T.Locks = It->second;
      return T;
    }
    if (VD->hasLocalStorage() && VD->getInit() &&
        VD->getType()->isScalarType())
      return tryLock(VD->getInit(), Depth + 1);
    return std::nullopt;
  }
  std::optional<CallParts> Parts = callParts(E);
  if (!Parts || !Parts->Callee)
    return std::nullopt;
  const FunctionDecl *FD = Parts->Callee;
  StringRef Name = FD->getIdentifier() ? FD->getName() : StringRef();
  // if (l) / l.owns_lock() on a guard made with try_to_lock.
  if (const VarDecl *G = varOf(Parts->Object))
    if (const auto *RD = G->getType()->getAsCXXRecordDecl();
        RD && isGuardClass(RD)) {
      auto It = Guards.find(G);
      if (It == Guards.end())
        return std::nullopt;
      if (isa<CXXConversionDecl>(FD) || Name == "owns_lock" ||
          Name == "try_lock" || Name == "try_lock_for" ||
          Name == "try_lock_until") {
        Try T;
        T.Locks = It->second;
        return T;
      }
      return std::nullopt;
    }
  auto Paths = [&](const AccessPath &P) -> std::optional<AccessPath> {
    return rebaseOntoCall(P, FD, Parts->Object, Parts->Args);
  };
  if (const auto *A = FD->getAttr<TryAcquireCapabilityAttr>()) {
    Try T;
    Expr::EvalResult R;
    if (A->getSuccessValue() &&
        A->getSuccessValue()->EvaluateAsInt(R, FD->getASTContext()))
      T.WhenTrue = !R.Val.getInt().isZero();
    for (const AccessPath &P : attrPaths(A))
      if (auto Q = Paths(P))
        T.Locks.push_back({*Q, A->isShared()});
    return T;
  }
  bool SuccessIsZero = true;
  if (!Parts->HasObject && !Parts->Args.empty()) {
    bool Shared = cSharedTry(Name);
    if (Shared || cLockOp(Name, SuccessIsZero) == Op::TryLock) {
      std::optional<AccessPath> P = accessPathOf(Parts->Args[0]);
      if (!P)
        return std::nullopt;
      Try T;
      T.Locks.push_back({*P, Shared});
      T.WhenTrue = false; // 0 is success
      return T;
    }
  }
  if (Parts->HasObject && Parts->Object &&
      isLockType(Parts->Object->getType()) &&
      (Name == "try_lock" || Name == "try_lock_for" ||
       Name == "try_lock_until" || Name == "try_lock_shared" ||
       Name == "try_lock_shared_for" || Name == "try_lock_shared_until" ||
       Name == "TryLock" || Name == "ReaderTryLock")) {
    std::optional<AccessPath> P = accessPathOf(Parts->Object);
    if (!P)
      return std::nullopt;
    Try T;
    T.Locks.push_back(
        {*P, Name.contains("shared") || Name.starts_with("Reader")});
    return T;
  }
  return std::nullopt;
}

void Locksets::refine(const CFGBlock &B, unsigned SuccIndex, State &S) {
  if (B.succ_size() != 2)
    return;
  const auto *Cond =
      dyn_cast_or_null<Expr>(B.getTerminatorCondition(/*StripParens=*/true));
  if (!Cond)
    return;
  std::optional<Try> T = tryLock(Cond);
  if (!T)
    return;
  bool TrueEdge = SuccIndex == 0;
  if (TrueEdge == T->WhenTrue)
    for (const HeldLock &L : T->Locks)
      acquire(S, L.Mutex, L.Shared);
}

ArrayRef<HeldLock> Locksets::at(const Stmt *S) const {
  for (; S; S = PO.parents().getParent(S))
    if (auto It = Before.find(S); It != Before.end())
      return It->second;
  return {};
}

LockEffect Locksets::effect() const {
  LockEffect E;
  auto Outside = [](const AccessPath &P) {
    if (!P.Root)
      return true;
    if (isa<ParmVarDecl, FieldDecl>(P.Root))
      return true;
    const auto *VD = dyn_cast<VarDecl>(P.Root);
    return VD && VD->hasGlobalStorage();
  };
  for (const HeldLock &L : AtExit)
    if (Outside(L.Mutex))
      E.Acquires.push_back(L);
  for (const AccessPath &P : ReleasedFromEntry)
    if (Outside(P))
      E.Releases.push_back(P);
  return E;
}

} // namespace sendsync
