//===- IndexRange.h - which elements an index may select --------*- C++ -*-===//
//
// The integer interval an element access's index lies in, where it can be
// read off the code: constants, the induction variables of the counted
// `for` loops around the access (from their start to their bound), and the
// parameters a caller or a thread start binds to constants, combined by
// +, - and *. Two element writes whose intervals do not meet touch
// different elements: `for (i = 0; i < 500; ++i) a[i]` in one thread and
// `fill(a, 500, 1000)` in another do not race.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_INDEXRANGE_H
#define SENDSYNC_ANALYSIS_INDEXRANGE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class Expr;
class ParentMap;
class VarDecl;
} // namespace clang

namespace sendsync {

struct IndexRange {
  int64_t Lo, Hi; ///< closed: Lo <= index <= Hi
  bool meets(const IndexRange &O) const { return Lo <= O.Hi && O.Lo <= Hi; }
};

/// A variable's value, if the call or thread start gives it a constant: a
/// parameter bound to one, or a local that only ever holds such a
/// parameter's value (`long id = (long)arg;`).
using ParamValues =
    llvm::function_ref<std::optional<int64_t>(const clang::VarDecl *)>;

/// The interval of \p Index, an expression of a body whose parent map is
/// \p PM (the loops around it are found there), or none when it cannot be
/// bounded.
std::optional<IndexRange> indexRange(const clang::Expr *Index,
                                     const clang::ParentMap &PM,
                                     const clang::ASTContext &Ctx,
                                     ParamValues Params);

/// The value of the condition \p Cond (`id == 0`, `!id`, `id < n && ...`)
/// when the intervals of its operands decide it, as for indices; none
/// otherwise. A thread started with `id` bound to 1 never takes
/// `if (id == 0)`.
std::optional<bool> conditionValue(const clang::Expr *Cond,
                                   const clang::ParentMap &PM,
                                   const clang::ASTContext &Ctx,
                                   ParamValues Params);

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_INDEXRANGE_H
