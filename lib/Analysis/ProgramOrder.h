//===- ProgramOrder.h - a body's control flow, from Clang's CFG -*- C++ -*-===//
//
// What runs before and after what in one function or lambda body, on every
// path: Clang's CFG (every subexpression its own element, implicit
// destructors included, so the end of a guard's or a jthread's scope is an
// event), with the position of each statement in it and the parent map that
// finds, for any expression, the element it is evaluated in. Locksets and the
// concurrent region of a thread start are computed on it.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_PROGRAMORDER_H
#define SENDSYNC_ANALYSIS_PROGRAMORDER_H

#include "clang/AST/ParentMap.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <memory>

namespace clang {
class ASTContext;
class Decl;
class VarDecl;
} // namespace clang

namespace sendsync {

class ProgramOrder {
public:
  /// \p D is the function whose body \p Body is (null for a lambda's body
  /// seen without its call operator). \p NeverReturns tells the calls after
  /// which nothing runs beyond those Clang's CFG already ends a path at
  /// (callees declared [[noreturn]]): a function of the unit that always
  /// throws, say.
  ProgramOrder(
      const clang::Decl *D, const clang::Stmt *Body, clang::ASTContext &Ctx,
      llvm::function_ref<bool(const clang::CallExpr *)> NeverReturns = {});
  ~ProgramOrder();

  /// Null when Clang could not build a CFG for the body.
  const clang::CFG *cfg() const { return Graph.get(); }
  const clang::Stmt *body() const { return Body; }
  const clang::ParentMap &parents() const { return PM; }

  struct Position {
    const clang::CFGBlock *Block = nullptr;
    unsigned Index = 0;
  };
  /// Where \p S is evaluated: its own element, or that of the nearest
  /// enclosing expression that is one. None for statements of unreachable
  /// code and of nested lambdas.
  std::optional<Position> position(const clang::Stmt *S) const;
  /// The element statement \p S is evaluated in (see position), or null.
  const clang::Stmt *elementOf(const clang::Stmt *S) const;
  /// The index in \p B of a call that never returns, after which nothing
  /// of \p B runs and no edge out of it is taken; none if \p B has none.
  std::optional<unsigned> cutAt(const clang::CFGBlock &B) const;
  /// Whether some path from the entry (or a try's handlers) reaches \p B.
  bool reached(const clang::CFGBlock &B) const {
    return Reached.test(B.getBlockID());
  }

  /// What a forward walk from a point should do at an element or an edge.
  enum class Step : uint8_t { Continue, Stop };
  /// Calls \p Visit on every element reachable from just after \p From (in
  /// program order, following every path), not going past an element for
  /// which \p AtElement says Stop, nor along an edge for which \p AtEdge says
  /// Stop. Returns whether \p From itself is reached again (it is in a loop
  /// that the walk does not leave).
  bool walkFrom(
      Position From,
      llvm::function_ref<Step(const clang::CFGElement &)> AtElement,
      llvm::function_ref<Step(const clang::CFGBlock &, unsigned SuccIndex)>
          AtEdge,
      llvm::function_ref<void(const clang::CFGElement &)> Visit) const;

private:
  const clang::Stmt *Body;
  std::unique_ptr<clang::CFG> Graph;
  clang::ParentMap PM;
  llvm::DenseMap<const clang::Stmt *, Position> Positions;
  llvm::DenseMap<const clang::CFGBlock *, unsigned> Cuts;
  llvm::BitVector Reached;
};

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_PROGRAMORDER_H
