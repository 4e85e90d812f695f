//===- Region.cpp - what runs beside a thread -----------------------------===//

#include "Analysis/Region.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Accesses.h"
#include "Analysis/ThreadFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

/// The variable owning the executor a task is given to: `pool` in
/// pool.execute(f), and in pool->execute(f) through a smart pointer.
static const ValueDecl *executorOf(const Expr *Obj) {
  if (!Obj)
    return nullptr;
  Obj = Obj->IgnoreParenImpCasts();
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Obj))
    if (OC->getOperator() == OO_Arrow && OC->getNumArgs() == 1)
      return declOf(OC->getArg(0));
  return declOf(Obj);
}

namespace {

class RegionBuilder {
public:
  RegionBuilder(const Crossing &C, const Stmt *Body, ThreadFacts &Facts,
                const Config &Cfg)
      : C(C), Body(Body), Facts(Facts), Order(Facts.order(Body)),
        PM(Order.parents()), Cfg(Cfg), Ctx(Facts.context()) {}

  Region build() {
    Region R;
    R.Order = &Order;
    // A parallel algorithm returns when every run of its callable has
    // finished: nothing of the caller runs beside them, but the runs run
    // beside each other, as the threads one loop starts do.
    if (C.Parallel) {
      R.Joined = true;
      R.InLoop = true;
      return R;
    }
    findHandle(R);
    // A task given to an executor (pool.submit(f)) ends when a joining
    // member function is called on the same executor (pool.wait()).
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C.Call);
        MC && !R.Handle && (C.Kind == CrossingKind::Annotated ||
                            C.Kind == CrossingKind::Configured))
      if (const Expr *Obj = MC->getImplicitObjectArgument())
        ExecutorPath = accessPathOf(Obj);
    bool ScopeJoins = R.Handle && joinsAtScopeEnd(R.Handle);
    std::optional<ProgramOrder::Position> From = Order.position(C.Call);
    if (!Order.cfg() || !From) {
      R.Everything = true;
    } else {
      using Step = ProgramOrder::Step;
      bool Again = Order.walkFrom(
          *From,
          [&](const CFGElement &E) {
            if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
              if (ScopeJoins && D->getVarDecl() == R.Handle) {
                R.Joined = true;
                return Step::Stop;
              }
              return Step::Continue;
            }
            if (auto S = E.getAs<CFGStmt>()) {
              if ((R.Handle || ExecutorPath) && joinsHere(S->getStmt(), R)) {
                R.Joined = true;
                return Step::Stop;
              }
              // `thread = NULL` after a failed start (Juliet's
              // `if (!create(..., &thread)) thread = NULL;`): no thread on
              // this path, or none that can be joined any more.
              if (R.Handle && nullsHandle(S->getStmt(), R))
                return Step::Stop;
            }
            return Step::Continue;
          },
          [&](const CFGBlock &B, unsigned Succ) {
            if (R.Handle && joinsOnEdge(B, Succ, R)) {
              R.Joined = true;
              return Step::Stop;
            }
            if (const CFGBlock *N = *(B.succ_begin() + Succ);
                N == &Order.cfg()->getExit())
              ReachedExit = true;
            return Step::Continue;
          },
          [&](const CFGElement &E) {
            if (auto S = E.getAs<CFGStmt>())
              R.Concurrent.insert(S->getStmt());
          });
      // Reaching the crossing again without a join: earlier iterations'
      // threads may still run beside this one.
      R.InLoop = Again;
    }
    if (C.Scoped)
      R.Joined = false; // joined by the enclosing scope, after this body
    findEscape(R);
    return R;
  }

private:
  /// Whether the element \p S joins the thread: handle.join()/get()/wait(),
  /// pthread_join(handle, ...).
  bool joinsHere(const Stmt *S, const Region &R) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
        MC && ExecutorPath && isJoinFunction(MC->getMethodDecl(), Cfg))
      if (const Expr *Obj = MC->getImplicitObjectArgument())
        if (accessPathOf(Obj) == ExecutorPath) {
          JoinedByExecutor = true;
          return true;
        }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (MD && MD->getIdentifier() &&
          (MD->getName() == "join" || MD->getName() == "get" ||
           MD->getName() == "wait")) {
        const Expr *Obj = MC->getImplicitObjectArgument();
        return Obj && namesHandle(Obj, R);
      }
      return false;
    }
    if (const auto *Call = dyn_cast<CallExpr>(S))
      if (const FunctionDecl *FD = Call->getDirectCallee();
          FD && FD->getIdentifier() && FD->getName() == "pthread_join" &&
          Call->getNumArgs() >= 1)
        return pthreadHandle(Call->getArg(0), R);
    // A free function listed in JoinFunctions, given the handle
    // (Juliet's stdThreadJoin(thread)).
    if (const auto *Call = dyn_cast<CallExpr>(S);
        Call && !isa<CXXMemberCallExpr>(Call) && R.Handle)
      if (const FunctionDecl *FD = Call->getDirectCallee();
          FD && !isa<CXXMethodDecl>(FD) && isJoinFunction(FD, Cfg))
        for (const Expr *Arg : Call->arguments())
          if (pthreadHandle(Arg, R))
            return true;
    return false;
  }

  bool pthreadHandle(const Expr *Arg, const Region &R) {
    std::optional<AccessPath> P = accessPathOf(Arg);
    return P && P->Root == R.Handle;
  }

  /// Whether leaving block \p B by successor \p Succ means the thread has
  /// ended: the exit of a loop that joins every thread of the container,
  /// or the success branch of pthread_tryjoin_np/timedjoin_np.
  bool joinsOnEdge(const CFGBlock &B, unsigned Succ, const Region &R) {
    const Stmt *T = B.getTerminatorStmt();
    if (!T)
      return false;
    if (R.HandleIsContainer && isLoop(T) && Succ == 1 && joins(T, R))
      return true;
    const auto *Cond =
      dyn_cast_or_null<Expr>(B.getTerminatorCondition(/*StripParens=*/true));
    if (!Cond || B.succ_size() != 2)
      return false;
    // pthread_tryjoin_np(t, 0) == 0: ended on the branch where it is 0.
    bool WhenTrue = true;
    const Expr *E = Cond->IgnoreParenImpCasts();
    for (unsigned Guard = 0; Guard < 4; ++Guard) {
      if (const auto *UO = dyn_cast<UnaryOperator>(E);
          UO && UO->getOpcode() == UO_LNot) {
        WhenTrue = !WhenTrue;
        E = UO->getSubExpr()->IgnoreParenImpCasts();
        continue;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(E);
          BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
        const auto *Zero = dyn_cast<IntegerLiteral>(BO->getRHS()->IgnoreParenImpCasts());
        if ((!Zero || !Zero->getValue().isZero()) &&
            !BO->getRHS()->isNullPointerConstant(
                Ctx, Expr::NPC_ValueDependentIsNotNull))
          return false;
        if (BO->getOpcode() == BO_EQ)
          WhenTrue = !WhenTrue;
        E = BO->getLHS()->IgnoreParenImpCasts();
        continue;
      }
      break;
    }
    // `if (pthread_create(...) != 0) { free(arg); return; }`: on the branch
    // where it failed (non-zero) no thread runs.
    if (E == C.Call && C.Kind == CrossingKind::PthreadCreate)
      return (Succ == 0) == WhenTrue;
    // `if (thread)`, `thread && join(thread)`: while the thread runs its
    // handle is not null, so the branch where it is null is not taken.
    if (declOf(E) == R.Handle && R.Handle &&
        R.Handle->getType()->isPointerType())
      return (Succ == 0) != WhenTrue;
    const auto *Call = dyn_cast<CallExpr>(E);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier() ||
        (FD->getName() != "pthread_tryjoin_np" &&
         FD->getName() != "pthread_timedjoin_np") ||
        Call->getNumArgs() < 1 || !pthreadHandle(Call->getArg(0), R))
      return false;
    // The call returns 0 when the thread ended: the expression is false
    // then, unless negated or compared with 0.
    bool EndedOnTrue = !WhenTrue;
    return (Succ == 0) == EndedOnTrue;
  }

  /// Whether \p S assigns a null pointer to the (pointer) handle.
  bool nullsHandle(const Stmt *S, const Region &R) {
    const auto *BO = dyn_cast<BinaryOperator>(S);
    return BO && BO->getOpcode() == BO_Assign &&
           declOf(BO->getLHS()) == R.Handle &&
           R.Handle->getType()->isPointerType() &&
           BO->getRHS()->isNullPointerConstant(
               Ctx, Expr::NPC_ValueDependentIsNotNull);
  }

  /// The variable or container that holds the thread started by C.
  void findHandle(Region &R) {
    // A configured function that returns its handle through a pointer
    // argument, as pthread_create does (`create(fn, arg, &thread)`).
    if (C.Kind == CrossingKind::Configured)
      if (const auto *Call = dyn_cast<CallExpr>(C.Call))
        for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
          if (llvm::any_of(C.Values, [&](const CrossingValue &V) {
                return V.ArgNumber == I + 1;
              }))
            continue;
          if (!isAddressOf(Call->getArg(I)->IgnoreParenImpCasts()))
            continue;
          if (std::optional<AccessPath> P = accessPathOf(Call->getArg(I));
              P && P->Root && P->Fields.empty()) {
            R.Handle = P->Root;
            return;
          }
        }
    // pthread_create(&t, ...): t; pthread_create(&ts[i], ...): the array.
    if (C.Kind == CrossingKind::PthreadCreate) {
      if (const auto *Call = dyn_cast<CallExpr>(C.Call);
          Call && Call->getNumArgs() >= 1)
        if (std::optional<AccessPath> P = accessPathOf(Call->getArg(0))) {
          R.Handle = P->Root;
          R.HandleIsContainer =
              llvm::is_contained(P->Fields, nullptr) ||
              (P->Root && P->Root->getType()->isArrayType());
        }
      return;
    }
    // threads.emplace_back(f, ...) is itself the crossing.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C.Call))
      if (const CXXMethodDecl *MD = MC->getMethodDecl();
          MD && MD->getIdentifier() && MD->getName().starts_with("emplace")) {
        R.Handle = declOf(MC->getImplicitObjectArgument());
        R.HandleIsContainer = true;
        return;
      }
    const Stmt *Cur = C.Call;
    for (unsigned Guard = 0; Guard < 64; ++Guard) {
      const Stmt *P = PM.getParent(Cur);
      if (!P)
        return;
      if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              ExprWithCleanups, CXXFunctionalCastExpr, ParenExpr,
              CXXConstructExpr>(P)) {
        Cur = P;
        continue;
      }
      if (const auto *DS = dyn_cast<DeclStmt>(P)) {
        // std::thread a(f), b(f): the one whose initializer this is.
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            if (VD->getInit() == Cur)
              R.Handle = VD;
        return;
      }
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
        if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2) {
          const Expr *Target = OC->getArg(0)->IgnoreParenImpCasts();
          R.Handle = declOf(Target);
          // threads[i] = std::thread(...): the container holds it.
          if (!R.Handle) {
            const Expr *Base = nullptr;
            if (const auto *Sub = dyn_cast<CXXOperatorCallExpr>(Target);
                Sub && Sub->getOperator() == OO_Subscript)
              Base = Sub->getArg(0);
            else if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(Target))
              Base = ASE->getBase();
            if (Base) {
              R.Handle = declOf(Base);
              R.HandleIsContainer = R.Handle != nullptr;
            }
          }
        }
        return;
      }
      if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
        if (BO->getOpcode() == BO_Assign)
          R.Handle = declOf(BO->getLHS());
        return;
      }
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
        const CXXMethodDecl *MD = MC->getMethodDecl();
        if (MD && MD->getIdentifier() &&
            MD->getName().starts_with("emplace") ) {
          R.Handle = declOf(MC->getImplicitObjectArgument());
          R.HandleIsContainer = true;
        } else if (MD && MD->getIdentifier() &&
                   MD->getName().starts_with("push")) {
          R.Handle = declOf(MC->getImplicitObjectArgument());
          R.HandleIsContainer = true;
        }
        return;
      }
      return;
    }
  }

  /// std::jthread, a future, and other handle classes with a destructor of
  /// their own (such as a join handle that joins when destroyed) end the
  /// thread by the end of their scope. A std::thread does not: it must be
  /// joined (or the program terminates).
  bool joinsAtScopeEnd(const ValueDecl *Handle) {
    const auto *VD = dyn_cast<VarDecl>(Handle);
    if (!VD || !VD->hasLocalStorage())
      return false;
    const auto *RD = VD->getType()->getAsCXXRecordDecl();
    if (!RD)
      return false;
    if (isStdNamed(RD, {"thread"}))
      return false;
    if (isStdNamed(RD, {"jthread", "future"}))
      return true;
    if (inStd(RD))
      return false; // containers of threads: joined explicitly
    return RD->hasUserDeclaredDestructor();
  }

  /// Whether \p S joins the thread: handle.join() / get() / wait(), or a
  /// loop joining the container's elements.
  bool joins(const Stmt *S, const Region &R) {
    SmallVector<const Stmt *, 32> Work{S};
    while (!Work.empty()) {
      const Stmt *Cur = Work.pop_back_val();
      if (!Cur)
        continue;
      if (isa<LambdaExpr>(Cur))
        continue;
      if (joinsHere(Cur, R))
        return true;
      for (const Stmt *Ch : Cur->children())
        Work.push_back(Ch);
    }
    return false;
  }

  bool namesHandle(const Expr *Obj, const Region &R) {
    Obj = Obj->IgnoreParenImpCasts();
    if (declOf(Obj) == R.Handle)
      return true;
    if (!R.HandleIsContainer)
      return false;
    // threads[i].join(), threads.at(i).join(), threads.back().join()
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Obj))
      return OC->getNumArgs() >= 1 && declOf(OC->getArg(0)) == R.Handle;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Obj))
      return declOf(MC->getImplicitObjectArgument()) == R.Handle;
    // for (auto &t : threads) t.join();
    return isRangeForVarOver(Obj, R.Handle);
  }

  bool isRangeForVarOver(const Expr *Obj, const ValueDecl *Container) {
    const auto *VD = dyn_cast_or_null<VarDecl>(declOf(Obj));
    if (!VD)
      return false;
    // The range-for that declares VD, found in this body (no parent map of
    // the whole translation unit).
    SmallVector<const Stmt *, 32> Work{Body};
    while (!Work.empty()) {
      const Stmt *S = Work.pop_back_val();
      if (!S)
        continue;
      if (const auto *FR = dyn_cast<CXXForRangeStmt>(S);
          FR && FR->getLoopVariable() == VD)
        return FR->getRangeInit() && declOf(FR->getRangeInit()) == Container;
      for (const Stmt *Ch : S->children())
        Work.push_back(Ch);
    }
    return false;
  }

  /// Where the thread may outlive the function: detached, returned, moved
  /// out, or held by something that is not a local.
  void findEscape(Region &R) {
    if (C.Scoped)
      return;
    if (!R.Handle) {
      // A std::thread temporary: std::thread(...).detach().
      const Stmt *P = PM.getParent(C.Call);
      while (P && isa<ImplicitCastExpr, MaterializeTemporaryExpr,
                      CXXBindTemporaryExpr, ParenExpr, CXXFunctionalCastExpr,
                      ExprWithCleanups>(P))
        P = PM.getParent(P);
      // return std::thread(...), return std::async(...): the caller holds
      // the handle now.
      if (const auto *RS = dyn_cast_or_null<ReturnStmt>(P)) {
        R.Escape = Region::Returned;
        R.EscapesAt = RS;
        return;
      }
      if (const auto *ME = dyn_cast_or_null<MemberExpr>(P))
        if (ME->getMemberDecl()->getName() == "detach") {
          R.Escape = Region::Detached;
          R.EscapesAt = ME;
          return;
        }
      // std::thread(...).join(): finished before the statement ends.
      if (const auto *ME = dyn_cast_or_null<MemberExpr>(P))
        if (ME->getMemberDecl()->getName() == "join") {
          R.Joined = true;
          R.Concurrent.clear();
          R.Everything = false;
          R.InLoop = false;
          return;
        }
      // A future discarded at once blocks in its destructor; a handle-less
      // executor call runs the task at some later time.
      // A constructed handle object (a thread wrapper) is destroyed at the
      // end of its full-expression: not an escape by itself.
      if ((C.Kind == CrossingKind::Annotated ||
           C.Kind == CrossingKind::Configured) &&
          !isa<CXXConstructExpr>(C.Call) &&
          !(JoinedByExecutor && !ReachedExit)) {
        R.Escape = Region::NoHandle;
        R.EscapesAt = C.Call;
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(C.Call))
          if (const auto *VD = dyn_cast_or_null<VarDecl>(
                  executorOf(MC->getImplicitObjectArgument())))
            if (VD->hasLocalStorage() && !VD->getType()->isReferenceType())
              if (const auto *RD = VD->getType()->getAsCXXRecordDecl())
                if (RD->hasUserDeclaredDestructor())
                  R.Executor = VD;
      }
      return;
    }
    const auto *VD = dyn_cast<VarDecl>(R.Handle);
    // A reference parameter names the caller's object (ts.emplace_back(...)
    // on `std::vector<std::thread> &ts`): the thread outlives the function
    // if some path returns without joining it.
    if (VD && VD->hasLocalStorage() && VD->getType()->isReferenceType()) {
      if (ReachedExit) {
        R.Escape = Region::StoredOutside;
        R.EscapesAt = C.Call;
      }
      return;
    }
    if (!VD || !VD->hasLocalStorage()) {
      R.Escape = Region::StoredOutside;
      R.EscapesAt = C.Call;
      return;
    }
    // Uses of a local handle that hand it out or let it go, among the
    // body's candidate statements (found once for every thread started in
    // the body).
    for (const Stmt *S : Facts.escapeSites(Body)) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
        const CXXMethodDecl *MD = MC->getMethodDecl();
        if (MD && MD->getIdentifier() && MD->getName() == "detach" &&
            namesHandle(MC->getImplicitObjectArgument(), R)) {
          R.Escape = Region::Detached;
          R.EscapesAt = MC;
          return;
        }
      }
      if (const auto *RS = dyn_cast<ReturnStmt>(S))
        if (RS->getRetValue() && returnsHandle(RS->getRetValue(), R)) {
          R.Escape = Region::Returned;
          R.EscapesAt = RS;
          return;
        }
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *FD = Call->getDirectCallee();
            FD && FD->getIdentifier() && FD->getName() == "pthread_detach" &&
            Call->getNumArgs() == 1 && namesHandle(Call->getArg(0), R)) {
          R.Escape = Region::Detached;
          R.EscapesAt = Call;
          return;
        }
      if (const auto *Call = dyn_cast<CallExpr>(S))
        if (const FunctionDecl *FD = Call->getDirectCallee();
            FD && isStdNamed(FD, {"move"}) && Call->getNumArgs() == 1 &&
            declOf(Call->getArg(0)) == R.Handle && movedOutside(Call)) {
          R.Escape = Region::StoredOutside;
          R.EscapesAt = Call;
          return;
        }
    }
  }

  /// Whether returning \p E hands the thread's handle to the caller: it
  /// names the handle other than as the object of a member call on it
  /// (`return f.get() + x;` waits for the thread and returns a value).
  static bool returnsHandle(const Expr *E, const Region &R) {
    SmallVector<const Stmt *, 16> Work{E};
    while (!Work.empty()) {
      const Stmt *Cur = Work.pop_back_val();
      if (!Cur)
        continue;
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cur))
        if (const Expr *Obj = MC->getImplicitObjectArgument();
            Obj && declOf(Obj) == R.Handle) {
          for (const Expr *A : MC->arguments())
            Work.push_back(A);
          continue;
        }
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Cur))
        if (DRE->getDecl() == R.Handle)
          return true;
      for (const Stmt *Ch : Cur->children())
        Work.push_back(Ch);
    }
    return false;
  }

  /// std::move(handle) stored into something that is not a local variable:
  /// a member, a global, a container that is not local, a parameter.
  bool movedOutside(const CallExpr *Move) {
    const Stmt *Cur = Move;
    for (unsigned Guard = 0; Guard < 16; ++Guard) {
      const Stmt *P = PM.getParent(Cur);
      if (!P)
        return false;
      if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
              ExprWithCleanups, ParenExpr, CXXConstructExpr>(P)) {
        Cur = P;
        continue;
      }
      const Expr *Target = nullptr;
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P))
        Target = OC->getNumArgs() ? OC->getArg(0) : nullptr;
      else if (const auto *BO = dyn_cast<BinaryOperator>(P))
        Target = BO->getLHS();
      else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P))
        Target = MC->getImplicitObjectArgument();
      else if (isa<ReturnStmt>(P))
        return true;
      if (!Target)
        return false;
      const auto *TV = dyn_cast_or_null<VarDecl>(declOf(Target));
      return !TV || !TV->hasLocalStorage() || isa<ParmVarDecl>(TV);
    }
    return false;
  }

  const Crossing &C;
  const Stmt *Body;
  ThreadFacts &Facts;
  const ProgramOrder &Order;
  const ParentMap &PM;
  const Config &Cfg;
  ASTContext &Ctx;
  std::optional<AccessPath> ExecutorPath;
  /// A joining call on the executor was found; and whether some path
  /// reaches the end of the function without one.
  bool JoinedByExecutor = false;
  bool ReachedExit = false;
};

} // namespace

bool Region::contains(const Stmt *S) const {
  if (Everything)
    return true;
  if (!Order || Concurrent.empty())
    return false;
  const Stmt *E = Order->elementOf(S);
  return E && Concurrent.count(E);
}

Region concurrentRegion(const Crossing &C, const Stmt *FunctionBody,
                        ThreadFacts &Facts, const Config &Cfg) {
  if (!FunctionBody)
    return {};
  return RegionBuilder(C, FunctionBody, Facts, Cfg).build();
}

} // namespace sendsync
