//===- Locksets.h - which locks are held where, on every path ---*- C++ -*-===//
//
// A forward must-lockset dataflow over a body's CFG (ProgramOrder): the locks
// held before each element on every path that reaches it. Locks are named by
// access path (`mu`, `s.mu`, `c->m`, `this->mu_`). Every spelling C++ and C
// code uses is understood:
//   - RAII guards: lock_guard, scoped_lock of several, unique_lock and
//     shared_lock (defer_lock, try_to_lock, adopt_lock, lock(), unlock(),
//     release(), moves), and any TSA scoped_lockable class;
//   - lock()/unlock()/lock_shared()/unlock_shared() on a lock object, and
//     try_lock*() where the result is checked;
//   - pthread_mutex_*, pthread_rwlock_rd/wrlock, pthread_spin_*, C11 mtx_*,
//     with trylock/timedlock counted on the branch where they succeeded;
//   - functions with TSA acquire/release/try_acquire attributes;
//   - lock and unlock wrappers defined in the translation unit, through
//     their LockEffect (what they acquire and release, computed here too).
// A path on which a lock is not held does not protect what follows.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_LOCKSETS_H
#define SENDSYNC_ANALYSIS_LOCKSETS_H

#include "Analysis/AccessPaths.h"
#include "Analysis/ProgramOrder.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

namespace clang {
class CallExpr;
class FunctionDecl;
} // namespace clang

namespace sendsync {

/// A lock held at a point.
struct HeldLock {
  AccessPath Mutex;
  bool Shared = false; ///< a reader lock: protects reads only
  /// How many holds are outstanding (two shared_locks on one mutex, a
  /// recursive mutex locked twice): it is released when the last one is.
  unsigned Count = 1;
};

/// What calling a function does to the locks, as paths rooted at its
/// parameters, at members of `*this` (a FieldDecl root, or a null root for
/// `*this` itself) or at globals.
struct LockEffect {
  llvm::SmallVector<HeldLock, 2> Acquires;
  llvm::SmallVector<AccessPath, 2> Releases;
  bool empty() const { return Acquires.empty() && Releases.empty(); }
};

/// Gives the lock effect of a function defined in the translation unit (or
/// null: unknown, or being computed further up a recursive call chain).
class LockEffectSource {
public:
  virtual ~LockEffectSource();
  virtual const LockEffect *lockEffect(const clang::FunctionDecl *FD) = 0;
};

/// Whether a value of type \p T is a lock: the std mutex family,
/// pthread_mutex_t/rwlock_t/spinlock_t, C11 mtx_t, a class with a TSA
/// capability attribute, or a class with lock() and unlock() members.
bool isLockType(clang::QualType T);

/// Whether \p RD is one of the standard lock guards (lock_guard,
/// unique_lock, scoped_lock, shared_lock).
bool isStdGuardClass(const clang::CXXRecordDecl *RD);

/// The path \p P of a callee's lock or access, seen from a call to it:
/// parameters become the call's arguments, members of `*this` members of
/// the call's object (\p Object, null for an implicit `this`).
std::optional<AccessPath> rebaseOntoCall(const AccessPath &P,
                                         const clang::FunctionDecl *Callee,
                                         const clang::Expr *Object,
                                         llvm::ArrayRef<const clang::Expr *> Args);

/// The object and the arguments of a call, as rebaseOntoCall takes them.
struct CallParts {
  const clang::FunctionDecl *Callee = nullptr;
  const clang::Expr *Object = nullptr; ///< null: implicit this, or none
  bool HasObject = false;
  llvm::SmallVector<const clang::Expr *, 4> Args;
};
std::optional<CallParts> callParts(const clang::Expr *Call);

class Locksets {
public:
  /// \p CanLock false: the body takes no lock anywhere (nothing to compute).
  Locksets(const ProgramOrder &PO, LockEffectSource *Effects,
           bool CanLock = true);

  /// The locks held just before \p S is evaluated, on every path (empty
  /// where the body has no CFG or S is not in it).
  llvm::ArrayRef<HeldLock> at(const clang::Stmt *S) const;

  /// What running the whole body does to locks rooted outside it.
  LockEffect effect() const;

private:
  struct State {
    bool Reached = false;
    llvm::SmallVector<HeldLock, 2> Held;
  };
  void transfer(const clang::CFGElement &E, State &S);
  void refine(const clang::CFGBlock &B, unsigned SuccIndex, State &S);
  void acquire(State &S, const AccessPath &P, bool Shared);
  void release(State &S, const AccessPath &P);
  void applyCall(const clang::Expr *Call, State &S);
  /// The locks the guard a call of a function of the unit returns holds
  /// (`std::unique_lock<std::mutex> hold() { return
  /// std::unique_lock<std::mutex>(m_); }`), as the caller names them;
  /// empty when its return statements do not agree or cannot be read.
  llvm::SmallVector<HeldLock, 2> returnedLocks(const clang::Expr *Call);
  /// The locks a try-lock expression takes, and whether it succeeded when
  /// the expression is true; none if \p E is not one.
  struct Try {
    llvm::SmallVector<HeldLock, 2> Locks;
    bool WhenTrue = true;
  };
  std::optional<Try> tryLock(const clang::Expr *E, unsigned Depth = 0) const;
  static void meet(State &Into, const State &From);

  const ProgramOrder &PO;
  LockEffectSource *Effects;
  /// Guards (RAII lock objects) and the locks each manages.
  llvm::DenseMap<const clang::VarDecl *, llvm::SmallVector<HeldLock, 2>> Guards;
  /// Guards given up with release(): their destructor unlocks nothing.
  llvm::DenseSet<const clang::VarDecl *> Disowned;
  llvm::DenseMap<const clang::Stmt *, llvm::SmallVector<HeldLock, 2>> Before;
  llvm::SmallVector<HeldLock, 2> AtExit;
  llvm::SmallVector<AccessPath, 2> ReleasedFromEntry;
};

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_LOCKSETS_H
