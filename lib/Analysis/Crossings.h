//===- Crossings.h - where values cross threads -----------------*- C++ -*-===//
//
// Recognizes the places where a value leaves the current thread (spec
// section 3): std::thread and std::jthread constructors, std::async,
// pthread_create, parameters annotated SENDSYNC_CROSSES_THREAD[_SCOPED], and
// functions named in the configuration. Shared by every check.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_CROSSINGS_H
#define SENDSYNC_ANALYSIS_CROSSINGS_H

#include "Analysis/Config.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace clang {
class ASTContext;
class FunctionDecl;
class LambdaExpr;
class ParmVarDecl;
} // namespace clang

namespace sendsync {

enum class CrossingKind : uint8_t {
  StdThread,      ///< std::thread / std::jthread constructor
  StdAsync,       ///< std::async
  PthreadCreate,  ///< pthread_create
  Annotated,      ///< a SENDSYNC_CROSSES_THREAD[_SCOPED] parameter
  Configured,     ///< a CrossingFunctions / ScopedCrossingFunctions entry
  Parallel,       ///< an algorithm given a parallel execution policy, a
                  ///< ParallelFunctions entry, SENDSYNC_RUNS_CONCURRENTLY
};

/// One value that goes to the other thread at a crossing.
struct CrossingValue {
  const clang::Expr *Arg;  ///< the argument as written
  unsigned ArgNumber;      ///< 1-based position among the call's arguments
  bool IsCallable;         ///< the function the other thread runs
  /// The parameter that makes it cross, for an annotated or configured
  /// function (as written: a template's, not an instantiation's), to say
  /// what demands Send of it; null where the crossing is the library's
  /// (std::thread) or the parameter is not known.
  const clang::ParmVarDecl *Param = nullptr;
};

struct Crossing {
  const clang::Expr *Call;          ///< CallExpr or CXXConstructExpr
  const clang::FunctionDecl *Callee;
  CrossingKind Kind;
  bool Scoped;                      ///< joined before the call returns
  llvm::SmallVector<CrossingValue, 4> Values;
  /// The callable is run by many threads at once, every run finished when
  /// the call returns (Scoped): std::for_each(std::execution::par, ...).
  bool Parallel = false;
  /// Runs may also interleave on one thread (par_unseq): a callable that
  /// takes a lock may deadlock against itself ([algorithms.parallel.exec]).
  bool Unsequenced = false;
  /// The option that lists the callee, for a configured crossing:
  /// "CrossingFunctions", "ScopedCrossingFunctions" or "ParallelFunctions".
  llvm::StringRef Option;
};

/// The execution policy \p T names, for a parallel algorithm's first
/// argument: std::execution::par (or oneDPL's, libc++'s) is Parallel,
/// par_unseq Unsequenced as well; seq and unseq run on the calling thread.
enum class PolicyKind : uint8_t { None, Parallel, ParallelUnsequenced };
PolicyKind executionPolicy(clang::QualType T);

/// Returns the crossing \p E is, if it is one.
std::optional<Crossing> classifyCrossing(const clang::Expr *E,
                                         const Config &Cfg);

/// Calls \p Found for every crossing in \p Body (a function body), with the
/// body of the function or lambda that directly contains it. Dependent
/// expressions are skipped (their instantiations are walked on their own).
void forEachCrossing(
    const clang::Stmt *Body, const Config &Cfg,
    llvm::function_ref<void(const Crossing &, const clang::Stmt *)> Found);

/// Whether \p FD (any declaration of it, or the template it was
/// instantiated from) joins the tasks of the object it is called on:
/// annotated SENDSYNC_JOINS, or listed in JoinFunctions.
bool isJoinFunction(const clang::FunctionDecl *FD, const Config &Cfg);

/// Whether \p FD has a parameter annotated SENDSYNC_CROSSES_THREAD[_SCOPED]
/// (on it or on the template it was instantiated from).
bool isCrossingFunction(const clang::FunctionDecl *FD);

/// The type a value has in the other thread: the argument's type after
/// std::decay (references and cv dropped, arrays and functions to pointers).
clang::QualType decayedType(const clang::Expr *Arg, clang::ASTContext &Ctx);

/// The expression whose value an argument passes on: \p Arg without implicit
/// conversions, copies, moves, std::move and std::forward.
const clang::Expr *valueSource(const clang::Expr *Arg);

/// The type to name an argument's value by in messages: the declared type of
/// the variable it passes on, where there is one, else its decayed type.
clang::QualType typeForMessage(const clang::Expr *Arg, clang::ASTContext &Ctx);

/// The lambda an argument is, or names: a lambda expression, or a local
/// variable initialized from one (through copies and std::move).
const clang::LambdaExpr *lambdaOf(const clang::Expr *Arg);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_CROSSINGS_H
