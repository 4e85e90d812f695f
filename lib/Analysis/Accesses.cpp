//===- Accesses.cpp - how code touches an object, and under which locks ---===//

#include "Analysis/Accesses.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

bool isStdClass(const CXXRecordDecl *RD,
                std::initializer_list<StringRef> Names) {
  if (!RD || !RD->getIdentifier())
    return false;
  const DeclContext *DC = RD->getDeclContext();
  while (DC && DC->isInlineNamespace())
    DC = DC->getParent();
  if (!DC || !DC->isStdNamespace())
    return false;
  for (StringRef N : Names)
    if (RD->getName() == N)
      return true;
  return false;
}

/// The declaration an lvalue expression names: a variable, a field, or what
/// `&x` points at.
static const ValueDecl *namedObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

static bool writesThroughParam(QualType PT) {
  if (const auto *RT = PT->getAs<ReferenceType>())
    return !RT->getPointeeType().isConstQualified();
  return false;
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

namespace {

/// [container.requirements.dataraces]: for data races, begin, end, rbegin,
/// rend, front, back, data, find, lower_bound, upper_bound, equal_range, at
/// and (outside associative containers) operator[] count as const.
enum class ContainerMember { Other, Lookup, Element };

bool isAssociative(const CXXMethodDecl *MD) {
  if (!MD)
    return false;
  StringRef N = MD->getParent()->getName();
  return isStdClass(MD->getParent(), {MD->getParent()->getName()}) &&
         (N.contains("map") || N.contains("set"));
}

ContainerMember containerMemberKind(const CXXMethodDecl *MD) {
  const CXXRecordDecl *RD = MD->getParent();
  if (!MD->getIdentifier() || !RD->getIdentifier() ||
      !isStdClass(RD, {RD->getName()}))
    return ContainerMember::Other;
  StringRef N = MD->getName();
  if (N == "at" || N == "front" || N == "back")
    return ContainerMember::Element;
  if (N == "begin" || N == "end" || N == "rbegin" || N == "rend" ||
      N == "data" || N == "find" || N == "lower_bound" ||
      N == "upper_bound" || N == "equal_range")
    return ContainerMember::Lookup;
  return ContainerMember::Other;
}

class Classifier {
public:
  Classifier(const Stmt *Body, function_ref<bool(const ValueDecl *)> PerThread)
      : PM(const_cast<Stmt *>(Body)), Body(Body), PerThread(PerThread) {}

  /// Whether the access at \p E writes its object; sets \p Distinct when it
  /// goes through an element with a per-thread index.
  bool isWrite(const Expr *E, Access &A) {
    bool &Distinct = A.DistinctElement;
    const Stmt *Cur = E;
    Distinct = false;
    // Records the element a subscript-like access reaches.
    auto EnterElement = [&](const Expr *Elem, const Expr *Container,
                             const Expr *Index) {
      A.Element = true;
      A.ElementType = Elem->getType().getNonReferenceType();
      // vector<bool> packs elements into shared words: distinct indices
      // still race ([container.requirements.dataraces]).
      bool Packed = false;
      if (const auto *RD = Container->getType()
                               .getNonReferenceType()
                               ->getAsCXXRecordDecl())
        if (const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(RD))
          if (CTSD->getName() == "vector" && CTSD->getTemplateArgs().size() &&
              CTSD->getTemplateArgs()[0].getKind() == TemplateArgument::Type &&
              CTSD->getTemplateArgs()[0].getAsType()->isBooleanType())
            Packed = true;
      if (Index && !Packed)
        Distinct |= perThread(Index);
    };
    for (;;) {
      const Stmt *P = PM.getParent(Cur);
      if (!P)
        return false;
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P)) {
        if (ICE->getCastKind() == CK_LValueToRValue)
          return false;
        Cur = P;
        continue;
      }
      if (isa<ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              ExprWithCleanups, FullExpr>(P)) {
        Cur = P;
        continue;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
        // Cur is the callee, p->method(): a call on the pointee.
        if (MC->getCallee() == Cur)
          if (const CXXMethodDecl *MD = MC->getMethodDecl())
            return !MD->isStatic() && !MD->isConst();
        return false;
      }
      if (const auto *ME = dyn_cast<MemberExpr>(P)) {
        if (ME->getBase()->IgnoreParenImpCasts() != Cur &&
            ME->getBase() != Cur)
          return false;
        if (const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl())) {
          if (MD->isStatic() || MD->isConst())
            return false;
          switch (containerMemberKind(MD)) {
          case ContainerMember::Other:
            return true;
          case ContainerMember::Lookup:
            return false;
          case ContainerMember::Element: {
            // v.at(i) = x, v.front() = x: a write to an element.
            const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(PM.getParent(ME));
            if (!Call)
              return false;
            EnterElement(Call, ME->getBase(),
                         Call->getNumArgs() == 1 ? Call->getArg(0) : nullptr);
            Cur = Call;
            continue;
          }
          }
        }
        if (ME->isArrow())
          return false; // writes through a pointer write the pointee
        Cur = P;
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(P)) {
        if (ASE->getBase()->IgnoreParenImpCasts() != Cur)
          return false;
        if (ASE->getBase()->getType()->isPointerType() &&
            !isa<ArrayType>(ASE->getBase()->IgnoreParenImpCasts()
                                ->getType()
                                .getCanonicalType()))
          return false;
        EnterElement(ASE, ASE->getBase(), ASE->getIdx());
        Cur = P;
        continue;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
        if (OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2 &&
            OC->getArg(0)->IgnoreParenImpCasts() == Cur &&
            !isAssociative(dyn_cast_or_null<CXXMethodDecl>(OC->getCalleeDecl()))) {
          EnterElement(OC, OC->getArg(0), OC->getArg(1));
          Cur = P;
          continue;
        }
        for (unsigned I = 0; I < OC->getNumArgs(); ++I) {
          if (OC->getArg(I)->IgnoreParenImpCasts() != Cur &&
              OC->getArg(I) != Cur)
            continue;
          const auto *MD = dyn_cast_or_null<CXXMethodDecl>(OC->getCalleeDecl());
          if (MD && I == 0)
            return !MD->isConst();
          const auto *FD = dyn_cast_or_null<FunctionDecl>(OC->getCalleeDecl());
          unsigned PI = MD ? I - 1 : I;
          return FD && PI < FD->getNumParams() &&
                 writesThroughParam(FD->getParamDecl(PI)->getType());
        }
        return false;
      }
      if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
        if (UO->isIncrementDecrementOp())
          return true;
        // Taking the address lets the pointer's user write; without
        // following it, that counts as a write unless the pointer is to const.
        if (UO->getOpcode() == UO_AddrOf)
          return !UO->getType()->getPointeeType().isConstQualified() &&
                 !pointerGoesToConst(UO);
        return false;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
        return BO->isAssignmentOp() &&
               BO->getLHS()->IgnoreParenImpCasts() == Cur;
      }
      if (const auto *CE = dyn_cast<CallExpr>(P)) {
        const FunctionDecl *FD = CE->getDirectCallee();
        for (unsigned I = 0; I < CE->getNumArgs(); ++I)
          if (CE->getArg(I)->IgnoreParenImpCasts() == Cur ||
              CE->getArg(I) == Cur)
            return FD && I < FD->getNumParams() &&
                   writesThroughParam(FD->getParamDecl(I)->getType());
        return false;
      }
      if (const auto *CE = dyn_cast<CXXConstructExpr>(P)) {
        const CXXConstructorDecl *Ctor = CE->getConstructor();
        // std::atomic_ref<T>(x).op(): an atomic access, a write unless op
        // is load().
        if (Ctor && isStdClass(Ctor->getParent(), {"atomic_ref"})) {
          A.Atomic = true;
          const Stmt *Up = PM.getParent(CE);
          while (Up && isa<MaterializeTemporaryExpr, ImplicitCastExpr,
                           CXXFunctionalCastExpr, ParenExpr>(Up))
            Up = PM.getParent(Up);
          if (const auto *ME = dyn_cast_or_null<MemberExpr>(Up))
            if (const auto *MD = dyn_cast<CXXMethodDecl>(ME->getMemberDecl()))
              return !(MD->getIdentifier() && MD->getName() == "load");
          return true;
        }
        for (unsigned I = 0; I < CE->getNumArgs(); ++I)
          if (CE->getArg(I)->IgnoreParenImpCasts() == Cur ||
              CE->getArg(I) == Cur)
            return Ctor && I < Ctor->getNumParams() &&
                   writesThroughParam(Ctor->getParamDecl(I)->getType());
        return false;
      }
      if (const auto *DS = dyn_cast<DeclStmt>(P)) {
        // for (T x : v): the hidden `auto &&__range = v` binds v, and what
        // the loop does to v's elements depends on x's type.
        if (const auto *FR = dyn_cast_or_null<CXXForRangeStmt>(PM.getParent(DS));
            FR && FR->getRangeStmt() == DS)
          return writesThroughParam(FR->getLoopVariable()->getType());
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (VD->getInit() && VD->getInit()->IgnoreParenImpCasts() == Cur)
              return writesThroughParam(VD->getType());
        return false;
      }
      if (const auto *FR = dyn_cast<CXXForRangeStmt>(P)) {
        // for (auto &x : v) may write v's elements.
        if (FR->getRangeInit() &&
            FR->getRangeInit()->IgnoreParenImpCasts() == Cur)
          return writesThroughParam(FR->getLoopVariable()->getType());
        return false;
      }
      return false;
    }
  }

  /// The expression dereferencing pointer \p E (*E, E->m, E[i]), if any.
  const Expr *dereferenceOf(const Expr *E) {
    const Stmt *P = PM.getParent(E);
    while (P && isa<ImplicitCastExpr, ParenExpr>(P)) {
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P);
          ICE && ICE->getCastKind() != CK_LValueToRValue &&
          ICE->getCastKind() != CK_NoOp &&
          ICE->getCastKind() != CK_UncheckedDerivedToBase &&
          ICE->getCastKind() != CK_DerivedToBase)
        return nullptr;
      P = PM.getParent(P);
    }
    if (const auto *UO = dyn_cast_or_null<UnaryOperator>(P);
        UO && UO->getOpcode() == UO_Deref)
      return UO;
    // A smart pointer: *p and p->m through its operators.
    if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(P);
        OC && OC->getNumArgs() == 1) {
      if (OC->getOperator() == OO_Star)
        return OC;
      if (OC->getOperator() == OO_Arrow) {
        const Stmt *Up = PM.getParent(OC);
        while (Up && isa<ImplicitCastExpr, ParenExpr>(Up))
          Up = PM.getParent(Up);
        if (const auto *ME = dyn_cast_or_null<MemberExpr>(Up))
          return ME;
      }
    }
    if (const auto *ME = dyn_cast_or_null<MemberExpr>(P); ME && ME->isArrow())
      return ME;
    if (const auto *ASE = dyn_cast_or_null<ArraySubscriptExpr>(P))
      return ASE;
    return nullptr;
  }

  /// The atomics released after \p E and acquired before it, in every
  /// enclosing block.
  void atomicsAround(const Expr *E, Access &A) {
    forEachEnclosing(PM, E, Body, [&](const Stmt *P, const Stmt *Child) {
      if (const auto *CS = dyn_cast<CompoundStmt>(P)) {
        bool After = false;
        for (const Stmt *S : CS->body()) {
          if (S == Child) {
            After = true;
            continue;
          }
          atomicOps(S, After ? A.ReleasedAfter : A.AcquiredBefore,
                    /*Release=*/After);
        }
      } else if (const auto *L = dyn_cast<LambdaExpr>(P)) {
        // Inside std::call_once(flag, [&] {...}): the initialization
        // happens before every return from a call_once on that flag.
        const Stmt *Up = PM.getParent(L);
        while (Up && isa<MaterializeTemporaryExpr, ImplicitCastExpr>(Up))
          Up = PM.getParent(Up);
        // Callers on one flag are also mutually excluded while it runs.
        if (const auto *Call = dyn_cast_or_null<CallExpr>(Up))
          if (const ValueDecl *Flag = callOnceFlag(Call)) {
            A.ReleasedAfter.push_back(Flag);
            A.Locks.push_back({Flag, false});
          }
      } else if (isa<WhileStmt, DoStmt, ForStmt, IfStmt>(P)) {
        // while (!ready.load()) {...}: the condition acquires before the body.
        if (const auto *W = dyn_cast<WhileStmt>(P))
          atomicOps(W->getCond(), A.AcquiredBefore, false);
        if (const auto *I = dyn_cast<IfStmt>(P))
          atomicOps(I->getCond(), A.AcquiredBefore, false);
      }
      return true;
    });
  }

  /// The mutexes held at \p E: guards and lock() calls earlier in every
  /// enclosing block of Body, not released before the path to \p E.
  SmallVector<HeldLock, 2> locksAt(const Expr *E) {
    SmallVector<HeldLock, 2> Held;
    forEachEnclosing(PM, E, Body, [&](const Stmt *P, const Stmt *Child) {
      if (const auto *CS = dyn_cast<CompoundStmt>(P))
        collectHeld(CS, Child, Held);
      return true;
    });
    return Held;
  }

private:
  bool perThread(const Expr *Idx) {
    if (const auto *DRE =
            dyn_cast<DeclRefExpr>(Idx->IgnoreParenImpCasts()))
      return PerThread(DRE->getDecl());
    return false;
  }

  bool pointerGoesToConst(const UnaryOperator *UO) {
    const Stmt *P = PM.getParent(UO);
    while (P && isa<ImplicitCastExpr, ParenExpr>(P)) {
      if (const auto *ICE = dyn_cast<ImplicitCastExpr>(P))
        if (ICE->getType()->isPointerType() &&
            ICE->getType()->getPointeeType().isConstQualified())
          return true;
      P = PM.getParent(P);
    }
    return false;
  }

  /// The once_flag of a std::call_once call, or null.
  static const ValueDecl *callOnceFlag(const CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getIdentifier() || FD->getName() != "call_once" ||
        Call->getNumArgs() < 2)
      return nullptr;
    return namedObject(Call->getArg(0));
  }

  static bool isRelaxed(const CallExpr *Call) {
    for (const Expr *Arg : Call->arguments())
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Arg->IgnoreParenImpCasts()))
        if (DRE->getDecl()->getName().contains("relaxed"))
          return true;
    return false;
  }

  /// Collects the atomics \p S releases (or acquires) into \p Out.
  static void atomicOps(const Stmt *S,
                        SmallVectorImpl<const ValueDecl *> &Out,
                        bool Release) {
    SmallVector<const Stmt *, 16> Work{S};
    while (!Work.empty()) {
      const Stmt *Cur = Work.pop_back_val();
      if (!Cur || isa<LambdaExpr>(Cur))
        continue;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cur)) {
        const CXXMethodDecl *MD = MC->getMethodDecl();
        const CXXRecordDecl *RD = MD ? MD->getParent() : nullptr;
        if (MD && RD &&
            isStdClass(RD, {"atomic", "atomic_flag", "atomic_ref",
                            "__atomic_base", "__atomic_float",
                            "__atomic_flag_base"}) &&
            !isRelaxed(MC)) {
          bool IsRelease = false, IsAcquire = false;
          if (const auto *Conv = dyn_cast<CXXConversionDecl>(MD)) {
            (void)Conv;
            IsAcquire = true;
          } else if (MD->getIdentifier()) {
            StringRef N = MD->getName();
            IsRelease = N == "store" || N == "notify_one" ||
                        N == "notify_all" || N == "clear";
            IsAcquire = N == "load" || N == "wait" || N == "test";
          }
          if ((Release && IsRelease) || (!Release && IsAcquire))
            if (const ValueDecl *D =
                    namedObject(MC->getImplicitObjectArgument()))
              Out.push_back(D);
        }
      }
      if (const auto *Call = dyn_cast<CallExpr>(Cur); Call && !Release)
        if (const ValueDecl *Flag = callOnceFlag(Call))
          Out.push_back(Flag);
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Cur))
        if (Release && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
          if (const auto *RD = OC->getArg(0)->getType()->getAsCXXRecordDecl())
            if (isStdClass(RD, {"atomic"}))
              if (const ValueDecl *D = namedObject(OC->getArg(0)))
                Out.push_back(D);
      for (const Stmt *Ch : Cur->children())
        Work.push_back(Ch);
    }
  }

  static bool isCallOn(const Stmt *S, const ValueDecl *Object,
                       std::initializer_list<StringRef> Methods) {
    const auto *E = dyn_cast<Expr>(S);
    if (!E)
      return false;
    E = E->IgnoreImplicit();
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!MD || !MD->getIdentifier())
        return false;
      for (StringRef M : Methods)
        if (MD->getName() == M)
          return namedObject(MC->getImplicitObjectArgument()) == Object;
      return false;
    }
    if (const auto *CE = dyn_cast<CallExpr>(E)) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD || !FD->getIdentifier() || CE->getNumArgs() != 1)
        return false;
      for (StringRef M : Methods)
        if (FD->getName() == ("pthread_mutex_" + M).str())
          return namedObject(CE->getArg(0)) == Object;
    }
    return false;
  }

  void collectHeld(const CompoundStmt *CS, const Stmt *Upto,
                   SmallVectorImpl<HeldLock> &Held) {
    for (const Stmt *S : CS->body()) {
      if (S == Upto)
        break;
      // RAII guards: lock_guard g(m); unique_lock l(m); scoped_lock s(a, b);
      if (const auto *DS = dyn_cast<DeclStmt>(S)) {
        for (const Decl *D : DS->decls()) {
          const auto *VD = dyn_cast<VarDecl>(D);
          if (!VD || !VD->getInit())
            continue;
          const auto *RD = VD->getType()->getAsCXXRecordDecl();
          if (!isStdClass(RD, {"lock_guard", "unique_lock", "scoped_lock",
                               "shared_lock"}))
            continue;
          const auto *CE = dyn_cast<CXXConstructExpr>(
              VD->getInit()->IgnoreImplicit());
          if (!CE)
            continue;
          bool Deferred = false;
          SmallVector<const ValueDecl *, 2> Mutexes;
          for (const Expr *Arg : CE->arguments()) {
            const auto *ArgRD = Arg->getType()->getAsCXXRecordDecl();
            if (isStdClass(ArgRD, {"defer_lock_t", "try_to_lock_t"}))
              Deferred = true;
            else if (const ValueDecl *M = namedObject(Arg))
              Mutexes.push_back(M);
          }
          if (Deferred || releasedBefore(CS, S, Upto, VD))
            continue;
          for (const ValueDecl *M : Mutexes)
            Held.push_back({M, RD->getName() == "shared_lock"});
        }
        continue;
      }
      // m.lock() ... m.unlock(), pthread_mutex_lock(&m) ... unlock.
      const auto *E = dyn_cast<Expr>(S);
      if (!E)
        continue;
      E = E->IgnoreImplicit();
      const ValueDecl *M = nullptr;
      bool Shared = false;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
        const CXXMethodDecl *MD = MC->getMethodDecl();
        if (MD && MD->getIdentifier() &&
            (MD->getName() == "lock" || MD->getName() == "lock_shared")) {
          M = namedObject(MC->getImplicitObjectArgument());
          Shared = MD->getName() == "lock_shared";
        }
      } else if (const auto *CE = dyn_cast<CallExpr>(E)) {
        const FunctionDecl *FD = CE->getDirectCallee();
        if (FD && FD->getIdentifier() && CE->getNumArgs() == 1 &&
            FD->getName() == "pthread_mutex_lock")
          M = namedObject(CE->getArg(0));
      }
      if (M && !releasedBefore(CS, S, Upto, M))
        Held.push_back({M, Shared});
    }
  }

  /// Whether \p Object (a guard or a mutex) is unlocked by a statement of
  /// \p CS after \p From and before \p Upto.
  bool releasedBefore(const CompoundStmt *CS, const Stmt *From,
                      const Stmt *Upto, const ValueDecl *Object) {
    bool After = false;
    for (const Stmt *S : CS->body()) {
      if (S == Upto)
        return false;
      if (S == From) {
        After = true;
        continue;
      }
      if (After && isCallOn(S, Object, {"unlock", "unlock_shared"}))
        return true;
    }
    return false;
  }

  ParentMap PM;
  const Stmt *Body;
  function_ref<bool(const ValueDecl *)> PerThread;
};

} // namespace

void collectAccesses(ArrayRef<const Stmt *> Roots, const Stmt *Scope,
                     ASTContext &Ctx,
                     function_ref<bool(const ValueDecl *)> Wanted,
                     function_ref<bool(const ValueDecl *)> PerThread,
                     bool SkipLambdas, function_ref<void(Access)> Found,
                     function_ref<bool(const ValueDecl *)> FollowPointee) {
  if (!Scope || Roots.empty())
    return;
  Classifier C(Scope, PerThread);
  SmallVector<const Stmt *, 64> Work(Roots.begin(), Roots.end());
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    if (const auto *L = dyn_cast<LambdaExpr>(S); L && SkipLambdas) {
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
    const ValueDecl *D = nullptr;
    const Expr *Ref = nullptr;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
      D = DRE->getDecl();
      Ref = DRE;
    } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
      if (isa<CXXThisExpr>(ME->getBase()->IgnoreParenImpCasts()) &&
          isa<FieldDecl>(ME->getMemberDecl())) {
        D = ME->getMemberDecl();
        Ref = ME;
      }
    }
    if (D && Ref && Wanted(D)) {
      Access A{Ref, D, false, false, false, {}};
      const Expr *From = Ref;
      if (FollowPointee(D))
        if (const Expr *Deref = C.dereferenceOf(Ref)) {
          From = Deref;
          A.ThroughPointer = true;
        }
      A.Write = C.isWrite(From, A);
      A.Locks = C.locksAt(Ref);
      C.atomicsAround(Ref, A);
      Found(std::move(A));
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  (void)Ctx;
}

void collectCalls(ArrayRef<const Stmt *> Roots, const Stmt *Scope,
                  bool SkipLambdas,
                  function_ref<void(const FunctionDecl *, ArrayRef<HeldLock>)>
                      OnCall) {
  if (!Scope || Roots.empty())
    return;
  Classifier C(Scope, [](const ValueDecl *) { return false; });
  SmallVector<const Stmt *, 64> Work(Roots.begin(), Roots.end());
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || (SkipLambdas && isa<LambdaExpr>(S)))
      continue;
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = Call->getDirectCallee())
        OnCall(FD, C.locksAt(Call));
    if (const auto *Ctor = dyn_cast<CXXConstructExpr>(S))
      if (const FunctionDecl *FD = Ctor->getConstructor())
        OnCall(FD, C.locksAt(Ctor));
    for (const Stmt *Ch : S->children())
      Work.push_back(Ch);
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

SmallVector<const ValueDecl *, 2> commonLocks(ArrayRef<const Access *> As) {
  SmallVector<const ValueDecl *, 2> Common;
  bool First = true;
  for (const Access *A : As) {
    SmallVector<const ValueDecl *, 2> Mine;
    for (const HeldLock &L : A->Locks)
      if (!L.Shared || !A->Write)
        Mine.push_back(L.Mutex);
    if (First) {
      Common = Mine;
      First = false;
      continue;
    }
    llvm::erase_if(Common, [&](const ValueDecl *M) {
      return !llvm::is_contained(Mine, M);
    });
  }
  return Common;
}

} // namespace sendsync
