//===- Accesses.h - how code touches an object, and under which locks -----===//
//
// Finds the accesses to chosen objects in a statement (a thread's body, the
// spawning function between a crossing and its join, any function reached
// from a thread), classifies each as a read or a write, and records the
// mutexes held there: RAII guards (lock_guard, unique_lock, scoped_lock,
// shared_lock) declared earlier in an enclosing block, and lock()/unlock()
// or pthread_mutex_lock/unlock pairs around it. Shared by the checks that
// judge sharing (sendsync-shared, sendsync-global).
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_ACCESSES_H
#define SENDSYNC_ANALYSIS_ACCESSES_H

#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class FunctionDecl;
class ParentMap;
class ValueDecl;
} // namespace clang

namespace sendsync {

/// Walks up from \p From to \p Root through \p PM, calling \p Visit with each
/// enclosing statement and its child on the path, until \p Visit returns
/// false. What a statement's enclosing blocks hold before and after it
/// (locks, atomics, joins) is read this way.
void forEachEnclosing(
    const clang::ParentMap &PM, const clang::Stmt *From,
    const clang::Stmt *Root,
    llvm::function_ref<bool(const clang::Stmt *Parent,
                            const clang::Stmt *Child)>
        Visit);

/// A mutex held at an access, named by its declaration.
struct HeldLock {
  const clang::ValueDecl *Mutex;
  bool Shared; ///< a shared_lock: protects reads only
};

struct Access {
  const clang::Expr *E;       ///< the reference to the object
  const clang::ValueDecl *Object;
  bool Write;
  /// `v[i]` with an index that differs per thread (a by-copy capture or a
  /// thread argument): it touches its own element, not the others'.
  bool DistinctElement;
  /// The access goes through an element (v[i], v.at(i), v.front()): it
  /// reads the container's structure and touches one element, of type
  /// ElementType (for element writes to a ThreadSafe element type, such as
  /// std::vector<std::atomic<int>>, nothing races).
  bool Element = false;
  clang::QualType ElementType;
  /// Made through std::atomic_ref: atomic accesses do not race with each
  /// other, only with plain ones.
  bool Atomic = false;
  /// The reference is a pointer that is dereferenced (*p, p->m, p[i]): the
  /// access is to the pointee, classified from the dereference.
  bool ThroughPointer = false;
  llvm::SmallVector<HeldLock, 2> Locks;
  /// Atomics released (store, notify, clear) after the access, and acquired
  /// (load, wait, test) before it, in an enclosing block: a write followed by
  /// a release of A happens before a read that follows an acquire of A.
  llvm::SmallVector<const clang::ValueDecl *, 1> ReleasedAfter;
  llvm::SmallVector<const clang::ValueDecl *, 1> AcquiredBefore;
};

/// Whether \p RD is one of the std:: classes \p Names (in any inline
/// namespace of std, as libc++ and libstdc++ spell them).
bool isStdClass(const clang::CXXRecordDecl *RD,
                std::initializer_list<llvm::StringRef> Names);

/// Whether a release/acquire hand-off through one atomic orders \p A and
/// \p B (one way or the other).
bool orderedByAtomic(const Access &A, const Access &B);

/// Calls \p Found for every access in the statements \p Roots to an object
/// \p Wanted accepts. \p Scope is the function or thread body they belong
/// to: locks taken anywhere in it before an access count.
/// Objects are variables (a DeclRefExpr's declaration) or members of `*this`
/// (the FieldDecl, when reached through an implicit or explicit `this`).
/// \p PerThread says which variables hold a per-thread value, for
/// DistinctElement. Lambdas nested in \p Body are skipped when
/// \p SkipLambdas is set (they run elsewhere and are judged at their own
/// crossing).
void collectAccesses(
    llvm::ArrayRef<const clang::Stmt *> Roots, const clang::Stmt *Scope,
    clang::ASTContext &Ctx,
    llvm::function_ref<bool(const clang::ValueDecl *)> Wanted,
    llvm::function_ref<bool(const clang::ValueDecl *)> PerThread,
    bool SkipLambdas, llvm::function_ref<void(Access)> Found,
    llvm::function_ref<bool(const clang::ValueDecl *)> FollowPointee =
        [](const clang::ValueDecl *) { return false; });

/// Calls \p OnCall for every direct call in \p Roots (not inside lambdas
/// when \p SkipLambdas) with the mutexes held at the call, computed in
/// \p Scope as for accesses.
void collectCalls(
    llvm::ArrayRef<const clang::Stmt *> Roots, const clang::Stmt *Scope,
    bool SkipLambdas,
    llvm::function_ref<void(const clang::FunctionDecl *,
                            llvm::ArrayRef<HeldLock>)>
        OnCall);

/// The mutexes every access in \p Accesses holds in common, counting a
/// shared lock only for reads (the Eraser lockset rule).
llvm::SmallVector<const clang::ValueDecl *, 2>
commonLocks(llvm::ArrayRef<const Access *> Accesses);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_ACCESSES_H
