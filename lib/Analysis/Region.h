//===- Region.h - what runs beside a thread ---------------------*- C++ -*-===//
//
// For one crossing: the part of the spawning function that may run at the
// same time as the thread it starts (what the CFG reaches from the crossing
// without passing a join, on any path), whether the crossing is in a loop
// that starts several at once, and what becomes of the thread's handle
// (joined, detached, returned, stored outside). Shared by sendsync-shared,
// sendsync-global and sendsync-escape, through ThreadFacts::region.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_REGION_H
#define SENDSYNC_ANALYSIS_REGION_H

#include "Analysis/Config.h"
#include "Analysis/Crossings.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
class ValueDecl;
class VarDecl;
} // namespace clang

namespace sendsync {

class ProgramOrder;
class ThreadFacts;

/// The part of the spawning function that may run while the thread does:
/// every CFG element reachable from the thread start without passing its
/// join (a join call, pthread_join, the end of a joining handle's scope, a
/// loop that joins every thread of a container).
struct Region {
  /// The CFG elements of the spawning function that may run concurrently.
  llvm::DenseSet<const clang::Stmt *> Concurrent;
  /// No CFG: everything in the function is taken as concurrent.
  bool Everything = false;
  const ProgramOrder *Order = nullptr;
  /// Whether \p S (any expression of the spawning function) is evaluated in
  /// the region.
  bool contains(const clang::Stmt *S) const;
  /// The crossing is in a loop that does not join each iteration's thread:
  /// several instances of the thread may run at once.
  bool InLoop = false;
  /// A join (or the end of a joining handle's scope) was found.
  bool Joined = false;
  /// The variable that holds the thread (std::thread, std::jthread, a future
  /// or a join handle), or the container it was added to.
  const clang::ValueDecl *Handle = nullptr;
  bool HandleIsContainer = false;
  /// The handle was detached, returned, or moved out of the function.
  const clang::Stmt *EscapesAt = nullptr;
  enum EscapeKind : uint8_t { None, Detached, Returned, StoredOutside, NoHandle };
  EscapeKind Escape = None;
  /// For a task given to an executor object with no handle back: the
  /// executor, when it is a local whose class has a destructor of its own
  /// (a pool that finishes its tasks when destroyed). Locals declared before
  /// it outlive every task it ran.
  const clang::VarDecl *Executor = nullptr;
};

/// The concurrent region of crossing \p C inside \p FunctionBody.
Region concurrentRegion(const Crossing &C, const clang::Stmt *FunctionBody,
                        ThreadFacts &Facts, const Config &Cfg);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_REGION_H
