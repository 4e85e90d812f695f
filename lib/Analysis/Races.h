//===- Races.h - unsynchronized sharing at a crossing -----------*- C++ -*-===//
//
// The data-race judgement of sendsync-shared: for each object a crossing
// shares, the accesses of the new thread, and those that may run beside them
// (the spawning function before the join, other threads started in that
// span, other instances of the same thread started by one loop). Two
// accesses conflict when one writes; a conflict is a race unless the
// object's type is ThreadSafe or every access holds one common mutex (the
// Eraser lockset rule). Reading through a shared reference needs Sync.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_RACES_H
#define SENDSYNC_ANALYSIS_RACES_H

#include "Analysis/Accesses.h"
#include "Analysis/Config.h"
#include "Analysis/Region.h"
#include "Analysis/Sharing.h"
#include "Analysis/TraitEngine.h"
#include <vector>

namespace clang {
class FunctionDecl;
class VarDecl;
} // namespace clang

namespace sendsync {

class ThreadFacts;

struct RaceFinding {
  enum Kind : uint8_t {
    NotSync,        ///< shared by reference, used on both sides, not Sync
    NotSendBorrow,  ///< used only there while it runs, and not Send
    SharedPointeeWrite, ///< a shared_ptr copy's pointee written, not ThreadSafe
    Unsynchronized, ///< written on one side, accessed on the other, no lock
  } K;
  SharedObject Share;
  clang::QualType Type;      ///< the shared object's type
  Trait Needed;              ///< Sync or ThreadSafe
  Access ThreadAccess;       ///< in the new thread
  /// The conflicting access and where it runs (Unsynchronized only).
  /// SameLoop: another instance of a thread one loop starts; SameStart:
  /// another instance of a thread whose start is reached again, not by a
  /// loop (the function that starts it is called twice); OtherRun: another
  /// run of a parallel algorithm's callable.
  enum OtherKind : uint8_t {
    Spawner,
    OtherThread,
    SameLoop,
    SameStart,
    OtherRun
  } Other = Spawner;
  std::optional<Access> OtherAccess;
  clang::SourceLocation OtherThreadAt; ///< the other thread's crossing
  /// Every other access beside the thread that conflicts with one of its
  /// own (Unsynchronized only), in source order.
  struct Conflict {
    Access A;
    OtherKind K;
    clang::SourceLocation ThreadAt;
  };
  std::vector<Conflict> MoreConflicts;
};

/// The races of crossing \p C, whose enclosing function body is \p Body.
std::vector<RaceFinding> findRaces(const Crossing &C, const clang::Stmt *Body,
                                   ThreadFacts &Facts, TraitEngine &Engine,
                                   const Config &Cfg);

/// One call on the way from a thread's entry to an access in a callee.
struct CallStep {
  const clang::FunctionDecl *Caller; ///< null: the thread's own body
  const clang::Expr *Call;
  const clang::FunctionDecl *Callee;
};

/// A global or static variable the thread's code (its body and the
/// functions of this translation unit it calls, transitively) writes, or
/// reads while the spawning thread writes it, with no common lock.
struct GlobalRace {
  const clang::VarDecl *Global;
  Access ThreadAccess;           ///< in code the thread runs
  const clang::FunctionDecl *In; ///< the function of ThreadAccess (or null)
  RaceFinding::OtherKind Other;
  Access OtherAccess;
  clang::SourceLocation OtherThreadAt;
  /// When OtherAccess runs after the spawning function returned with the
  /// thread still running: the call of that function it follows.
  const clang::CallExpr *AfterCall = nullptr;
  std::vector<RaceFinding::Conflict> MoreConflicts;
  /// The calls from the thread's entry down to In, outermost first (one
  /// path of those that reach it); empty when the entry makes the access.
  llvm::SmallVector<CallStep, 4> CallPath;
};

/// The global races of crossing \p C, whose enclosing body is \p Body.
std::vector<GlobalRace> findGlobalRaces(const Crossing &C,
                                        const clang::Stmt *Body,
                                        ThreadFacts &Facts,
                                        TraitEngine &Engine,
                                        const Config &Cfg);

/// The type of a shared object as the other thread sees it.
clang::QualType sharedObjectType(const clang::ValueDecl *Object);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_RACES_H
