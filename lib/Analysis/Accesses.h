//===- Accesses.h - how code touches an object, and under which locks -----===//
//
// Finds the accesses to chosen objects in a statement (a thread's body, the
// spawning function between a crossing and its join, any function reached
// from a thread), classifies each as a read or a write, and records the
// locks held there (Locksets, on the body's CFG). Accesses are to access
// paths (`s.total`, not all of `s`); a call to a function of the
// translation unit stands for the accesses of its summary. Shared by the
// checks that judge sharing (sendsync-shared, sendsync-global). The
// classification of one reference is Classify.cpp's.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_ACCESSES_H
#define SENDSYNC_ANALYSIS_ACCESSES_H

#include "Analysis/IndexRange.h"

#include "Analysis/AccessPaths.h"
#include "Analysis/Locksets.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <vector>

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

struct Access {
  const clang::Expr *E;       ///< the reference to the object (or the call)
  const clang::ValueDecl *Object;
  bool Write = false;
  /// `v[i]` with an index that differs per thread (a by-copy capture or a
  /// thread argument): it touches its own element, not the others'.
  bool DistinctElement = false;
  /// The access goes through an element (v[i], v.at(i), v.front()): it
  /// reads the container's structure and touches one element, of type
  /// ElementType (for element writes to a ThreadSafe element type, such as
  /// std::vector<std::atomic<int>>, nothing races).
  bool Element = false;
  clang::QualType ElementType;
  /// The index of the (first) element selected, and the interval it lies
  /// in when the code bounds it (IndexRange.h): elements of two disjoint
  /// intervals are different objects.
  const clang::Expr *Index = nullptr;
  std::optional<IndexRange> Range;
  /// Made through std::atomic_ref or an __atomic/__sync builtin: atomic
  /// accesses do not race with each other, only with plain ones.
  bool Atomic = false;
  /// The reference is a pointer that is dereferenced (*p, p->m, p[i]): the
  /// access is to the pointee, classified from the dereference.
  bool ThroughPointer = false;
  /// Not an access of the object's data at all: its address given to a
  /// function that touches none of it.
  bool Ignore = false;
  /// A use of the object whose data accesses are reported separately (a
  /// call to a function whose summary stands for it): it needs the
  /// object to be Send or Sync, but conflicts with nothing.
  bool UseOnly = false;
  /// The members selected from Object (`s.total` is Object s, Path total).
  llvm::SmallVector<const clang::FieldDecl *, 2> Path;
  llvm::SmallVector<HeldLock, 2> Locks;
  /// Atomics released (store, notify, clear) after the access, and acquired
  /// (load, wait, test) before it, in an enclosing block: a write followed by
  /// a release of A happens before a read that follows an acquire of A.
  llvm::SmallVector<const clang::ValueDecl *, 1> ReleasedAfter;
  llvm::SmallVector<const clang::ValueDecl *, 1> AcquiredBefore;
  /// For an access made by a callee on the caller's object (E is then the
  /// call): the callee's own access, and the callee.
  const clang::Expr *Via = nullptr;
  const clang::FunctionDecl *ViaFn = nullptr;
  /// The node of the body the access was found at (the reference, or the
  /// call whose callee makes it): what a region is asked about.
  const clang::Stmt *Site = nullptr;

  AccessPath path() const {
    AccessPath P;
    P.Root = Object;
    P.Fields = Path;
    return P;
  }
};

/// Whether \p RD is one of the std:: classes \p Names (in any inline
/// namespace of std, as libc++ and libstdc++ spell them).
bool isStdClass(const clang::CXXRecordDecl *RD,
                std::initializer_list<llvm::StringRef> Names);

/// Whether a release/acquire hand-off through one atomic orders \p A and
/// \p B (one way or the other).
bool orderedByAtomic(const Access &A, const Access &B);

class ThreadFacts;

/// What collectAccesses looks for.
struct AccessQuery {
  /// The roots wanted: variables, parameters, members of `*this`.
  llvm::function_ref<bool(const clang::ValueDecl *)> Wanted;
  /// Variables holding a per-thread value, for DistinctElement.
  llvm::function_ref<bool(const clang::ValueDecl *)> PerThread;
  /// Pointer roots whose pointee is the object (an access is then made
  /// through the dereference).
  llvm::function_ref<bool(const clang::ValueDecl *)> FollowPointee;
  /// Lambdas nested in the body run elsewhere and are judged at their own
  /// crossing: skipped when set.
  bool SkipLambdas = false;
  /// Only accesses evaluated in elements this accepts (null: all).
  llvm::function_ref<bool(const clang::Stmt *)> InRegion;
  /// The constants the thread start binds to the body's parameters, for
  /// index ranges (null: none).
  ParamValues ParamValue;
  /// Subtrees that are not this code's accesses (null: none): the
  /// arguments another crossing hands to its thread by reference, which are
  /// that thread's accesses.
  llvm::function_ref<bool(const clang::Stmt *)> Skip;
};

/// Calls \p Found for every access in \p Body (a function or lambda body)
/// to an object the query wants, with the locks held there (on every path,
/// from the body's CFG). A call to a function of this translation unit is
/// an access to what the callee (and what it calls) touches of the objects
/// it is given, under the callee's locks too.
void collectAccesses(const clang::Stmt *Body, ThreadFacts &Facts,
                     const AccessQuery &Q,
                     llvm::function_ref<void(Access)> Found);

struct ShareInfo;

/// Accesses by the object they touch.
using AccessMap = llvm::DenseMap<const clang::ValueDecl *, std::vector<Access>>;

/// Erases the entries of \p Map that \p Pred picks. (A DenseMap's erase
/// leaves a tombstone and never moves the others, so iterating on from the
/// next entry is sound; LLVM 19's DenseMap has no remove_if.)
template <typename MapT, typename PredT>
void eraseEntriesIf(MapT &Map, PredT Pred) {
  for (auto It = Map.begin(), End = Map.end(); It != End;) {
    auto Next = std::next(It);
    if (Pred(*It))
      Map.erase(It);
    It = Next;
  }
}

struct Crossing;

/// Adds to \p Out what the thread start \p D hands over (its arguments
/// passed by reference, a coroutine call whose body runs in the other
/// thread): the spawner touches none of it there.
void addHandedOver(const Crossing &D,
                   llvm::DenseSet<const clang::Stmt *> &Out);

/// What the spawning code of \p Body does to the objects \p Wanted picks,
/// outside its lambdas and \p HandedOver, in the elements \p InRegion
/// accepts (null: all), into \p Out; an in-place load of an atomic pointer
/// reaches what it points to.
void collectSpawnerAccesses(
    const clang::Stmt *Body, ThreadFacts &Facts,
    llvm::function_ref<bool(const clang::ValueDecl *)> Wanted,
    const llvm::DenseSet<const clang::Stmt *> &HandedOver,
    llvm::function_ref<bool(const clang::Stmt *)> InRegion, AccessMap &Out);

/// The accesses the thread of a crossing makes to the objects it shares
/// (\p Info, from sharesOf), by shared object: through a pointer it was
/// given, to the pointee; to a member of the object a member function runs
/// on, as that object's path; locks on the thread's names of shared
/// mutexes, as the spawner's. ThreadFacts::threadAccesses keeps them.
AccessMap sharedAccesses(const ShareInfo &Info, ThreadFacts &Facts);

/// Calls \p OnCall for every direct call in \p Body (not inside lambdas
/// when \p SkipLambdas; only in elements \p InRegion accepts, if given)
/// with the locks held at the call.
void collectCalls(
    const clang::Stmt *Body, ThreadFacts &Facts, bool SkipLambdas,
    llvm::function_ref<bool(const clang::Stmt *)> InRegion,
    llvm::function_ref<void(const clang::FunctionDecl *,
                            llvm::ArrayRef<HeldLock>, const clang::Expr *)>
        OnCall);

/// The locks every access in \p Accesses holds in common, counting a
/// shared lock only for reads (the Eraser lockset rule).
llvm::SmallVector<AccessPath, 2>
commonLocks(llvm::ArrayRef<const Access *> Accesses);

/// What one statement does with atomics: each operation on a named
/// object, with what it reads and writes and the order it has by itself
/// (a `call_once` counts as an acquire of its flag), and whether the
/// statement holds an acquire or a release fence.
struct StatementAtomics {
  struct Op {
    const clang::ValueDecl *Object;
    bool Loads, Stores, Acquire, Release;
  };
  llvm::SmallVector<Op, 0> Ops;
  bool AcquireFence = false, ReleaseFence = false;
  bool empty() const { return Ops.empty() && !AcquireFence && !ReleaseFence; }
};
StatementAtomics statementAtomics(const clang::Stmt *S);
/// Whether anything in \p S, its lambdas included, is an atomic operation,
/// a fence or a `call_once`: if not, nothing orders its accesses.
/// \p AtomicCallees remembers, by callee, whether a call may be one.
bool mentionsAtomics(const clang::Stmt *S,
                     llvm::DenseMap<const clang::Decl *, bool> &AtomicCallees);
using AtomicsOf =
    llvm::function_ref<const StatementAtomics &(const clang::Stmt *)>;

/// Records in \p A the atomic operations around \p E in \p Body that
/// order it: release stores after it, acquire loads before it. \p Of
/// gives statementAtomics of a statement (memoized by the caller).
void atomicsAround(const clang::Expr *E, const clang::Stmt *Body,
                   const clang::ParentMap &PM, AtomicsOf Of, Access &A);

/// Classifies one reference \p Ref to \p Object (a DeclRefExpr, or a
/// MemberExpr on `this`): read or write, members selected, element, and
/// whether it is no data access at all. \p Summarized says which callees
/// have a summary that stands for what they do with their arguments.
Access classifyAccess(
    const clang::Expr *Ref, const clang::ValueDecl *Object,
    const clang::ParentMap &PM,
    llvm::function_ref<bool(const clang::ValueDecl *)> PerThread,
    bool FollowPointee,
    llvm::function_ref<bool(const clang::FunctionDecl *)> Summarized);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_ACCESSES_H
