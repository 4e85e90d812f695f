//===- Coroutines.h - coroutines that may resume on another thread -*- C++ -*-===//
//
// Rust asks a future spawned on a multi-threaded executor to be Send: no
// value that is not Send may live across an `.await`, since the task may
// continue on another worker. The C++ counterpart: a coroutine continues on
// another thread after a suspension point when
//
//   - the awaiter it suspends on is annotated SENDSYNC_RESUMES_ELSEWHERE
//     (a pool's schedule()), or its await_suspend, defined here, hands the
//     coroutine handle to a crossing (std::thread, an executor);
//   - it awaits another coroutine of the unit that may finish on another
//     thread (the awaiting one is resumed where the awaited one ends);
//   - the coroutine object itself is given to a crossing (a spawn on a
//     pool, a configured co_spawn): every suspension point then counts;
//   - the option AssumeCoroutinesResumeElsewhere says so of every one.
//
// This file finds those suspension points, once per translation unit, for
// sendsync-send (values alive across them) and the sharing analysis (a
// coroutine given to a crossing runs its body on the other thread).
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_COROUTINES_H
#define SENDSYNC_ANALYSIS_COROUTINES_H

#include "Analysis/Config.h"
#include "Analysis/Crossings.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class CoroutineBodyStmt;
class CoroutineSuspendExpr;
class Decl;
class FunctionDecl;
class ParentMap;
class Stmt;
class VarDecl;
} // namespace clang

namespace sendsync {

struct Definitions;

/// A suspension point after which the coroutine may run on another thread.
struct ResumePoint {
  const clang::CoroutineSuspendExpr *At;
  enum Reason : uint8_t {
    AnnotatedAwaiter, ///< Via: the awaiter class
    HandsOff,         ///< Via: the awaiter class, whose await_suspend does
    AwaitsMigrating,  ///< Via: the coroutine awaited
    Spawned,          ///< Spawn: the crossing given the coroutine
    Assumed,          ///< AssumeCoroutinesResumeElsewhere
  } Why;
  const clang::Decl *Via = nullptr;
  const clang::Expr *Spawn = nullptr;
};

struct CoroutineInfo {
  /// The coroutine: a function, or a lambda's call operator.
  const clang::FunctionDecl *Function;
  const clang::CoroutineBodyStmt *Body;
  llvm::SmallVector<ResumePoint, 2> Points;
};

/// The definition of \p FD if it is a coroutine (its body a
/// CoroutineBodyStmt), else null.
const clang::FunctionDecl *coroutineDefinition(const clang::FunctionDecl *FD);

/// The call of a coroutine that \p E evaluates (through moves, temporaries
/// and conversions of its result object: `spawn(pool, work(x))`), or null.
const clang::CallExpr *coroutineCall(const clang::Expr *E);

/// The coroutines of the unit that may resume on another thread, each with
/// those of its suspension points (implicit initial and final suspends
/// excluded), given the unit's crossings.
std::vector<CoroutineInfo>
migratingCoroutines(const Definitions &Defs,
                    llvm::ArrayRef<const Crossing *> Crossings,
                    const Config &Cfg, clang::ASTContext &Ctx);

/// The local variables and parameters of \p Info's coroutine alive across
/// suspension point \p At: declared before it in a scope that encloses it
/// (Rust's rule too: a value lives to the end of its scope). \p PM maps the
/// coroutine's statements (Info.Body->getBody()) to their parents.
llvm::SmallVector<const clang::VarDecl *, 8>
liveAcross(const CoroutineInfo &Info, const clang::CoroutineSuspendExpr *At,
           const clang::ParentMap &PM);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_COROUTINES_H
