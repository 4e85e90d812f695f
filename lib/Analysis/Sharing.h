//===- Sharing.h - what a crossing shares -----------------------*- C++ -*-===//
//
// For one crossing: the objects the new thread reaches by reference (by-
// reference captures, a captured `this`, std::ref/std::cref and `&x`
// arguments bound to the thread function's parameters, followed through a
// cast of pthread_create's `void*`), and the thread's body. What runs
// beside the thread is Region.h's. Shared by sendsync-shared,
// sendsync-global and sendsync-escape, through ThreadFacts::share.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_SHARING_H
#define SENDSYNC_ANALYSIS_SHARING_H

#include "Analysis/AccessPaths.h"
#include "Analysis/Crossings.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class FunctionDecl;
class ValueDecl;
class VarDecl;
class CXXRecordDecl;
} // namespace clang

namespace sendsync {

enum class ShareVia : uint8_t {
  RefCapture,
  This,
  StdRef,
  AddressOf,
  SharedPointee, ///< the object a by-copy std::shared_ptr capture points to
  Pointee,       ///< the object a raw pointer given to the thread points to
};

struct SharedObject {
  const clang::ValueDecl *Object; ///< a variable, or a member of *this
  clang::SourceLocation At;       ///< where it is shared
  ShareVia How;
};

struct ShareInfo {
  llvm::SmallVector<SharedObject, 4> Objects;
  /// The class whose members a captured `this` shares, if any.
  const clang::CXXRecordDecl *ThisClass = nullptr;
  clang::SourceLocation ThisAt;
  /// The thread's body, when visible (a lambda's or a function's).
  const clang::Stmt *Body = nullptr;
  /// The function whose body Body is, when the thread runs a named function.
  const clang::FunctionDecl *BodyFunction = nullptr;
  /// The other functions the thread may run instead, when it runs an entry
  /// of a table of functions (`pthread_create(&t, 0, jobs[i], 0)` over
  /// `thread_fn jobs[] = {tick, tock}`): BodyFunction is the first.
  llvm::SmallVector<const clang::FunctionDecl *, 2> AlsoRuns;
  /// The index that picks the table's entry (`i` of `jobs[i]`), if any.
  const clang::Expr *TableIndex = nullptr;
  /// Names the body uses for shared objects: a reference parameter bound to
  /// std::ref(x) is x.
  llvm::DenseMap<const clang::ValueDecl *, const clang::ValueDecl *> Alias;
  /// Pointer names in the body that point at a shared object (a parameter
  /// bound to &x, or a local initialized from one): *p is x.
  llvm::DenseMap<const clang::ValueDecl *, const clang::ValueDecl *>
      PointerAlias;
  /// Pointer names of PointerAlias bound to one element of the array they
  /// alias, chosen by a constant (`pthread_create(.., &res[0])`): `a->sum`
  /// is `res[0].sum`, which another thread given `&res[1]` does not touch.
  llvm::DenseMap<const clang::ValueDecl *, int64_t> ElementOf;
  /// Pointer names in the body that hold a copy of a pointer of the
  /// spawner's (a by-copy capture, a parameter bound to it, a local copied
  /// from one): *p is the pointee of that pointer, a ShareVia::Pointee
  /// object named by the spawner's pointer.
  llvm::DenseMap<const clang::ValueDecl *, const clang::ValueDecl *> PointeeOf;
  /// A member function run by the thread on a named object
  /// (std::thread(&C::run, &obj) or (&C::run, p)): members of `*this` in the
  /// body are members of ThisObject (of *ThisObject when ThisViaPointer).
  const clang::ValueDecl *ThisObject = nullptr;
  bool ThisViaPointer = false;
  const clang::CXXRecordDecl *ThisObjectClass = nullptr;
  /// By-copy captures of std::shared_ptr<T> (T not const): their pointee is
  /// shared with every other copy, so writing it needs ThreadSafe(T).
  llvm::SmallPtrSet<const clang::ValueDecl *, 4> SharedOwners;
  /// Variables holding a value of the thread's own (by-copy captures, value
  /// parameters): indices made of them pick distinct elements per thread.
  llvm::SmallPtrSet<const clang::ValueDecl *, 8> PerThread;
  /// Parameters bound to the address of an element chosen by a variable
  /// (`pthread_create(&t[i], 0, run, &workers[i])`): in a loop each
  /// instance of the thread gets another object, so a lock reached through
  /// one (`&w->lock`) is not one lock for all of them.
  llvm::SmallPtrSet<const clang::ValueDecl *, 4> PerInstance;
  /// Pointer names in the body that point at an argument block of the
  /// thread's own (`pthread_create(&t[i], 0, run, &args[i])`), with the
  /// pointer members the spawner set, in every block, to the address of
  /// one object of its own (`args[i].counter = &total`): `*a->counter` in
  /// the thread is that object, which every such thread shares.
  llvm::DenseMap<const clang::ValueDecl *,
                 llvm::SmallDenseMap<const clang::FieldDecl *,
                                     const clang::ValueDecl *, 2>>
      ArgumentPointees;
  /// A coroutine given to the crossing (`spawn(pool, work(std::string(
  /// "x")))`): its reference parameters bound to temporaries, which end
  /// with the full-expression while the coroutine may still run.
  llvm::SmallVector<std::pair<const clang::ParmVarDecl *, const clang::Expr *>,
                    1>
      TemporaryArguments;
  /// Parameters of the thread's function the start binds to integer
  /// constants (`std::thread(fill, a, 500, 1000)`), for index ranges.
  llvm::DenseMap<const clang::VarDecl *, int64_t> ConstantParams;
  std::optional<int64_t> constantParam(const clang::VarDecl *P) const {
    auto It = ConstantParams.find(P);
    return It == ConstantParams.end() ? std::nullopt
                                      : std::optional<int64_t>(It->second);
  }

  /// A path through the thread's own argument block (ArgumentPointees) as
  /// a path of what the member points to: `a->total->n` is `total.n`. With
  /// \p PointerValued (a lock expression, `pthread_mutex_lock(a->lock)`),
  /// the member's value itself names its pointee (`m` of
  /// `args[i].lock = &m`). False, unchanged, for any other path, such as
  /// the block's own members (`a->id`), which are the thread's.
  bool rebaseThroughBlock(AccessPath &P, bool PointerValued) const;

  /// The shared object \p D (as named in the body) stands for, or null.
  const clang::ValueDecl *sharedObjectFor(const clang::ValueDecl *D) const;
  const SharedObject *find(const clang::ValueDecl *Object) const;
  /// Whether \p D is a member of `*this` of the member function the thread
  /// runs on ThisObject.
  bool isThisObjectMember(const clang::ValueDecl *D) const;
};

/// T, when \p T is std::shared_ptr<T> with T not const; else null.
clang::QualType sharedPointee(clang::QualType T);

/// Whether a copy of pointer variable \p V given to a thread shares its
/// pointee, as ShareVia::Pointee: a local or parameter pointing to data of
/// a known type (not a function, not void).
bool isSharedPointer(const clang::ValueDecl *V);

/// Whether crossing argument \p Arg hands an object of the spawner to the
/// thread by reference (`&x`, `std::ref(x)`, a pointer variable): what the
/// argument does is the thread's, not the spawner's.
bool handsOverByReference(const clang::Expr *Arg);

class ThreadFacts;

/// What crossing \p C shares with the thread it starts. \p Facts answers
/// what other bodies of the unit do (how a body changes its variables, who
/// calls a function).
ShareInfo sharesOf(const Crossing &C, ThreadFacts &Facts);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_SHARING_H
