//===- ThreadFacts.h - the per-translation-unit facts of the analysis -*- C++ -*-===//
//
// One object per translation unit that computes, once and lazily, the facts
// every check builds on: each body's program order (CFG) and locksets, each
// function's summary (what it touches of `*this`, of the objects its
// reference and pointer parameters name, and under which locks; what it
// does to locks), and each class's locking discipline (which data members
// its own member functions only touch under one of its locks: rule 4b of
// the model, fed to the trait engine). Summaries follow calls within the
// translation unit; recursion is cut where a function is already being
// summarized.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_THREADFACTS_H
#define SENDSYNC_ANALYSIS_THREADFACTS_H

#include "Analysis/AccessPaths.h"
#include "Analysis/Accesses.h"
#include "Analysis/IndexRange.h"
#include "Analysis/LocalUses.h"
#include "Analysis/Coroutines.h"
#include "Analysis/Crossings.h"
#include "Analysis/Definitions.h"
#include "Analysis/Locksets.h"
#include "Analysis/ProgramOrder.h"
#include "Analysis/Region.h"
#include "Analysis/Sharing.h"
#include "Analysis/TraitEngine.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"
#include <memory>
#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
class FunctionDecl;
class SourceManager;
} // namespace clang

namespace sendsync {

/// One access a function makes to something its caller can name.
struct SummaryAccess {
  /// Rooted at a member of `*this` (FieldDecl), or at a reference or
  /// pointer parameter (the pointee, for a pointer).
  AccessPath Path;
  bool Write = false;
  bool Atomic = false;
  bool Element = false;
  bool ThroughPointer = false;
  clang::QualType ElementType;
  /// The element's index in In, and its interval with In's parameters
  /// unbound.
  const clang::Expr *Index = nullptr;
  std::optional<IndexRange> Range;
  /// Locks held there, by path in the function.
  llvm::SmallVector<HeldLock, 2> Locks;
  /// The access itself, perhaps in a callee (In); and where this function
  /// makes it: the access, or the object or argument of its call.
  const clang::Expr *At = nullptr;
  const clang::FunctionDecl *In = nullptr;
  const clang::Expr *Site = nullptr;
};

struct FunctionSummary {
  std::vector<SummaryAccess> Accesses;
  /// Members of `*this` the function hands out a non-const reference or
  /// pointer to, and the return statement that does.
  llvm::SmallVector<std::pair<const clang::FieldDecl *, const clang::Stmt *>, 1>
      ReturnsMember;
};

class ThreadFacts : public LockEffectSource, public DisciplineSource {
public:
  ThreadFacts(clang::ASTContext &Ctx, bool AuditLockFreeClasses = false);
  ~ThreadFacts() override;

  clang::ASTContext &context() const { return Ctx; }

  /// The function and class definitions of the unit's own code, found once
  /// for every check.
  const Definitions &definitions();

  /// A crossing and the body of the function or lambda around it.
  struct FoundCrossing {
    Crossing C;
    const clang::Stmt *Body;
  };
  /// Every crossing in the bodies of definitions().Functions (templates
  /// by their instantiations; none inside a function that is itself a
  /// crossing, whose values are judged where it is called), found once
  /// for every check configured with the same crossing functions as \p Cfg.
  llvm::ArrayRef<FoundCrossing> crossings(const Config &Cfg);

  /// The crossings evaluated in \p Body itself (not inside its lambdas,
  /// nor inside another crossing's arguments), in any function body, once
  /// per body for every check with the same crossing functions.
  llvm::ArrayRef<Crossing> crossingsIn(const clang::Stmt *Body,
                                       const Config &Cfg);

  /// The coroutines of the unit that may resume on another thread, and
  /// where (Coroutines.h), once for every check with the same options.
  llvm::ArrayRef<CoroutineInfo> coroutines(const Config &Cfg);

  /// A call of a function of the unit, in the body of another.
  struct CallSite {
    const clang::FunctionDecl *Caller;
    const clang::CallExpr *Call;
  };
  /// The calls of \p FD in the unit's function bodies (not inside their
  /// lambdas), found once for all functions.
  llvm::ArrayRef<CallSite> callers(const clang::FunctionDecl *FD);
  /// The function of definitions() whose body is \p Body, or null.
  const clang::FunctionDecl *functionOf(const clang::Stmt *Body);

  /// What crossing \p C shares with its thread (sharesOf), once per
  /// crossing for every check and for every other crossing that asks what
  /// runs beside it.
  const ShareInfo &share(const Crossing &C);
  /// What the thread \p C starts does to the objects it shares
  /// (sharedAccesses), once per crossing: each thread start reads its own
  /// and those of the threads started beside it.
  const AccessMap &threadAccesses(const Crossing &C);
  /// threadAccesses(C) without what cannot race under \p Engine (\p Settle
  /// drops it), once per crossing and engine: every start beside which
  /// the thread runs reads the same map.
  const AccessMap &
  settledAccesses(const Crossing &C, const TraitEngine *Engine,
                  llvm::function_ref<void(AccessMap &)> Settle);
  /// What the code of \p Body does (not inside its lambdas, nor in what its
  /// thread starts hand over by reference) to every object any thread
  /// started in it touches, once per body: each thread start keeps those
  /// of its own objects in its own region, instead of walking the body
  /// again.
  const AccessMap &spawnerAccesses(const clang::Stmt *Body,
                                   const Config &Cfg);
  /// Where the spawning code in \p Body may run beside the thread \p C
  /// starts (concurrentRegion), once per crossing and join configuration.
  const Region &region(const Crossing &C, const clang::Stmt *Body,
                       const Config &Cfg);

  /// The statements of \p Body through which a thread's handle may leave
  /// the function: `.detach()` calls, `return`s of a value,
  /// `pthread_detach` and `std::move` calls, in one walk's order, found
  /// once per body for every thread started in it.
  llvm::ArrayRef<const clang::Stmt *> escapeSites(const clang::Stmt *Body);

  /// What \p Body does to each variable it names besides loading it
  /// (LocalUses.h), found once per body for every rule that follows a
  /// pointer only while it keeps its value.
  const LocalUses &localUses(const clang::Stmt *Body);

  /// What \p S does with atomics (statementAtomics), found once per
  /// statement: every access of a block asks about all its siblings.
  const StatementAtomics &atomicsOf(const clang::Stmt *S);
  /// mentionsAtomics(Body), once per body.
  bool mayOrder(const clang::Stmt *Body);

  /// A local of a body that stands for what an atomic pointer
  /// (`std::atomic<T *>`, C's `_Atomic(T *)`) other threads can name
  /// points to: a global, or the spawner's, captured by reference or bound
  /// to a reference parameter.
  struct Published {
    const clang::VarDecl *Pointer = nullptr;
    /// The local is the object itself (its address was stored into the
    /// atomic pointer), not a pointer to it (loaded from the atomic pointer
    /// or stored into it, and never changed).
    bool Object = false;
    /// Where the first store that publishes it ends (invalid for a pointer
    /// loaded from the atomic pointer): before, the object is the thread's
    /// own.
    clang::SourceLocation PublishedFrom;
  };
  struct PublishedLocals {
    llvm::DenseMap<const clang::ValueDecl *, Published> Locals;
    /// What the stores that publish name (`local` of `&local`, a pointer
    /// local stored): handing it over touches nothing.
    llvm::DenseSet<const clang::Expr *> PublishedAt;

    /// Makes \p A, an access of a local that \p P says stands for what an
    /// atomic pointer points to, an access of that pointee (rooted at the
    /// atomic pointer, through it). False when it touches nothing shared:
    /// the store that publishes the local, what comes before that store
    /// (the object is its thread's own until then), or a local pointer's
    /// own value.
    bool onPointee(Access &A, const Published &P,
                   const clang::SourceManager &SM) const;
  };
  /// The locals of \p Body that stand for what a shared atomic pointer
  /// points to (found once per body; empty for most).
  const PublishedLocals &publishedLocals(const clang::Stmt *Body);

  /// The local references of \p Body (not of its lambdas) bound to an
  /// lvalue, with what they were bound to (`auto &w = ws[id];`), found
  /// once per body.
  llvm::ArrayRef<std::pair<const clang::ValueDecl *, const clang::Expr *>>
  referenceLocals(const clang::Stmt *Body);

  /// The program order and locksets of a function or lambda body (\p D, the
  /// function, may be null).
  const ProgramOrder &order(const clang::Stmt *Body,
                            const clang::Decl *D = nullptr);
  const Locksets &locks(const clang::Stmt *Body,
                        const clang::Decl *D = nullptr);

  /// Whether a call of \p FD never returns to its caller: \p FD is
  /// [[noreturn]], or every path through its body ends in a throw, in a
  /// call that never returns, or in a loop with no way out (memoized; a
  /// function in a cycle of calls still being judged is taken to return).
  bool neverReturns(const clang::FunctionDecl *FD);
  /// Whether \p Call is a call that never returns (neverReturns of a
  /// callee it surely runs: a virtual one may be overridden).
  bool neverReturns(const clang::CallExpr *Call);

  /// The summary of \p FD, or null: no body in this translation unit, a
  /// system header, a dependent template, or a summary under way further up
  /// the call chain.
  const FunctionSummary *summary(const clang::FunctionDecl *FD);

  /// The first element of \p Body (the body of \p D) after which a lock
  /// is held that was not held before it: a lock() call, a guard's
  /// construction, a call of a function that locks; null if none.
  const clang::Stmt *firstAcquire(const clang::Stmt *Body,
                                  const clang::Decl *D = nullptr);

  const LockEffect *lockEffect(const clang::FunctionDecl *FD) override;
  /// Whether \p Body, or a function of the translation unit it calls, can
  /// take or release a lock (memoized).
  bool mayLock(const clang::Stmt *Body);
  const ClassDiscipline *discipline(const clang::CXXRecordDecl *RD) override;

private:
  /// The definition whose body is to be read, or null.
  const clang::FunctionDecl *analysable(const clang::FunctionDecl *FD) const;

  clang::ASTContext &Ctx;
  bool AuditLockFree;
  std::unique_ptr<Definitions> Defs;
  /// What identifies a configuration's crossing functions (their
  /// patterns, one string), by configuration.
  llvm::StringRef crossingKeyOf(const Config &Cfg);
  llvm::DenseMap<const Config *, std::string> CrossingKeys;
  /// The join functions configured, one string, by configuration.
  llvm::DenseMap<const Config *, std::string> JoinKeys;
  /// By the crossing functions configured (crossingKeyOf).
  llvm::StringMap<std::vector<FoundCrossing>> Crossings;
  llvm::StringMap<std::vector<CoroutineInfo>> Coroutines;
  llvm::DenseMap<const clang::Expr *, std::unique_ptr<ShareInfo>> Shares;
  llvm::DenseMap<const clang::Expr *, std::unique_ptr<AccessMap>>
      ThreadAccesses;
  /// By body, then by the crossing functions configured.
  llvm::DenseMap<const clang::Stmt *, llvm::StringMap<std::vector<Crossing>>>
      BodyCrossings;
  /// By crossing, then by the join functions configured.
  llvm::DenseMap<const clang::Expr *,
                 llvm::StringMap<std::unique_ptr<Region>>>
      Regions;
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<ProgramOrder>> Orders;
  llvm::DenseMap<const clang::Stmt *, std::vector<const clang::Stmt *>>
      EscapeSites;
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<PublishedLocals>>
      Publications;
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<LocalUses>> Uses;
  /// Null for the many statements with no atomics.
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<StatementAtomics>>
      Atomics;
  llvm::DenseMap<const clang::Stmt *, bool> MayOrder;
  llvm::DenseMap<const clang::Decl *, bool> AtomicCallees;
  llvm::DenseMap<std::pair<const clang::Expr *, const TraitEngine *>,
                 std::unique_ptr<AccessMap>>
      Settled;
  llvm::DenseMap<const clang::Stmt *,
                 llvm::StringMap<std::unique_ptr<AccessMap>>>
      SpawnerAccesses;
  llvm::DenseMap<
      const clang::Stmt *,
      std::vector<std::pair<const clang::ValueDecl *, const clang::Expr *>>>
      ReferenceLocals;
  llvm::DenseMap<const clang::Stmt *, std::unique_ptr<Locksets>> Locks;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionSummary>>
      Summaries;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<LockEffect>>
      Effects;
  llvm::DenseSet<const clang::FunctionDecl *> InProgress, EffectsInProgress;
  llvm::DenseMap<const clang::Stmt *, bool> MayLock;
  /// Whether \p Def's body holds a throw, a call of a function that may
  /// not return, or a loop with a constant condition: what neverReturns
  /// asks before it reads the CFG (memoized, taken as false while under
  /// way).
  bool mayNotReturn(const clang::FunctionDecl *Def);
  enum class Ending : uint8_t { UnderWay, Returns, Never };
  llvm::DenseMap<const clang::FunctionDecl *, Ending> Endings;
  llvm::DenseMap<const clang::FunctionDecl *, bool> MayNotReturn;
  void findCalls();
  bool CallsFound = false;
  llvm::DenseMap<const clang::FunctionDecl *, std::vector<CallSite>> Callers;
  llvm::DenseMap<const clang::Stmt *, const clang::FunctionDecl *> BodyOf;
  llvm::DenseMap<const clang::CXXRecordDecl *, std::unique_ptr<ClassDiscipline>>
      Disciplines;
};

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_THREADFACTS_H
