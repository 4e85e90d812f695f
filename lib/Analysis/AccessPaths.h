//===- AccessPaths.h - what part of an object an expression names -*- C++ -*-===//
//
// An access path is a root (a variable, a parameter, or a data member of
// `*this`) followed by the data members selected from it: `s.total`,
// `c->m`, `this->mu_`, `locks[i]`. Accesses and locks are both named by
// paths, so distinct fields of one object do not conflict, and `c->m` in the
// thread and `c.m` in the spawner are one lock.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_ACCESSPATHS_H
#define SENDSYNC_ANALYSIS_ACCESSPATHS_H

#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace clang {
class Expr;
class FieldDecl;
class ValueDecl;
} // namespace clang

namespace sendsync {

/// The step of a path that goes through a pointer (`p->m`, `*p`, `sp->m`):
/// what follows is in the pointee, another object than the pointer.
const clang::FieldDecl *derefStep();
/// Whether a path step selects a data member (not an element, not a
/// dereference).
inline bool isMemberStep(const clang::FieldDecl *F) {
  return F && F != derefStep();
}

struct AccessPath {
  /// A variable or parameter; a FieldDecl for a member of `*this`; null for
  /// `*this` itself (only while rebasing a callee's path onto its object).
  const clang::ValueDecl *Root = nullptr;
  /// Members selected from the root, in order. A null entry is an element
  /// of an array or container, whatever its index (a lock chosen from an
  /// array of locks is one lock); derefStep() goes through a pointer.
  llvm::SmallVector<const clang::FieldDecl *, 2> Fields;

  bool operator==(const AccessPath &O) const {
    return Root == O.Root && Fields == O.Fields;
  }
  bool operator!=(const AccessPath &O) const { return !(*this == O); }
  /// Whether this path names \p O or an enclosing object of it.
  bool isPrefixOf(const AccessPath &O) const;
  /// Whether the objects the two paths name overlap: one encloses the
  /// other, and no pointer lies between them (`p` and `p->x` are two
  /// objects).
  bool overlaps(const AccessPath &O) const;
  /// Whether the path starts by going through its root pointer.
  bool throughRoot() const {
    return !Fields.empty() && Fields.front() == derefStep();
  }
  /// This path with \p Tail's members appended (Tail's root is dropped when
  /// it is `*this`; a member root of Tail becomes a member step).
  AccessPath extended(const AccessPath &Tail) const;
  /// As messages print it: `s.total`, `mu_`.
  std::string str() const;
};

/// Whether \p E is an address-of (`&x`, std::addressof(x)).
bool isAddressOf(const clang::Expr *E);

/// The path of the object an lvalue, pointer or reference expression names:
/// `x`, `x.a.b`, `p->a`, `this->m`, `&x`, `*p`, `std::ref(x)`, `sp->m`
/// through a smart pointer, `a[i]`. `*this`-based expressions have a member
/// root, or a null root for `this` itself. None for anything else (calls,
/// temporaries).
std::optional<AccessPath> accessPathOf(const clang::Expr *E);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_ACCESSPATHS_H
