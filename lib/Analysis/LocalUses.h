//===- LocalUses.h - how a body changes its variables -----------*- C++ -*-===//
//
// Several rules follow a pointer variable of a body only while it keeps the
// value it was given: a thread's copy of its `void *` argument, a callee's
// copy of a pointer parameter, a local loaded from a global atomic pointer.
// Whether a variable keeps its value is one question, answered here once per
// body from one walk: every use of a variable other than loading its value
// is recorded, with what it does.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_LOCALUSES_H
#define SENDSYNC_ANALYSIS_LOCALUSES_H

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace sendsync {

struct LocalUses {
  /// What the body does to a variable besides loading its value.
  enum Use : unsigned {
    /// Stores a new value (`p = q`, `n *= 2`).
    Assigned = 1,
    /// Moves a pointer through what it points into (`p++`, `p += k`,
    /// `p = p->next`), or counts an integer up or down: it reaches nothing
    /// it could not reach before.
    Stepped = 2,
    /// Anything else that may change it or let other code change it: its
    /// address taken, a non-const reference bound to it, a capture by
    /// reference, an lvalue use not understood.
    Other = 4,
  };

  /// The uses of \p D in the body, an OR of Use; 0 when every use loads.
  unsigned of(const clang::ValueDecl *D) const {
    auto It = Uses.find(D);
    return It == Uses.end() ? 0 : It->second;
  }
  /// Whether \p D keeps the value it was given: every use loads it.
  bool keepsValue(const clang::ValueDecl *D) const { return of(D) == 0; }
  /// Whether \p D keeps pointing into what it was given: it is only
  /// loaded or stepped.
  bool keepsObject(const clang::ValueDecl *D) const {
    return (of(D) & ~unsigned(Stepped)) == 0;
  }

  llvm::DenseMap<const clang::ValueDecl *, unsigned> Uses;
  /// The body's local variables that have an initializer, in source order
  /// (so a copy of a copy comes after the copy), including those of
  /// lambdas within it.
  llvm::SmallVector<const clang::VarDecl *, 8> InitializedLocals;
};

/// The uses of every variable named in \p Body. A lambda within it counts
/// its by-reference captures as Other; uses inside it count as well.
LocalUses localUsesOf(const clang::Stmt *Body);

} // namespace sendsync

#endif
