//===- ASTUtil.h - small questions about declarations -----------*- C++ -*-===//
//
// Small questions about declarations, each answered in one place: whether a
// declaration is the standard library's, in any inline namespace of std
// (libc++'s std::__1, libstdc++'s std::__cxx11); what an expression names;
// whether a body is code someone wrote; what a loop's body and variable
// are.
//
//===----------------------------------------------------------------------===//

#ifndef SENDSYNC_ANALYSIS_ASTUTIL_H
#define SENDSYNC_ANALYSIS_ASTUTIL_H

#include "clang/AST/Decl.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include <initializer_list>

namespace sendsync {

/// Pushes the children of \p S onto a walk's \p Work list, in order. (One
/// pass over them: appending the range walks it twice, once to count it,
/// and these walks visit every node of every body.)
template <typename WorkList>
inline void pushChildren(WorkList &Work, const clang::Stmt *S) {
  for (const clang::Stmt *Child : S->children())
    Work.push_back(Child);
}

/// Whether \p D is declared directly in namespace std or an inline
/// namespace of it.
inline bool inStd(const clang::Decl *D) {
  const clang::DeclContext *DC = D->getDeclContext();
  while (DC && DC->isInlineNamespace())
    DC = DC->getParent();
  return DC && DC->isStdNamespace();
}

/// Whether \p D is std's declaration of one of \p Names.
inline bool isStdNamed(const clang::NamedDecl *D,
                       std::initializer_list<llvm::StringRef> Names) {
  return D && D->getIdentifier() && llvm::is_contained(Names, D->getName()) &&
         inStd(D);
}

/// The variable or member an expression names (`x`, `s.m`, `p->m`), past
/// parentheses and implicit casts; null for anything else.
inline const clang::ValueDecl *declOf(const clang::Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = llvm::dyn_cast<clang::MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// What an atomic pointer type points to: `T` for `std::atomic<T *>` and
/// C's `_Atomic(T *)`; null for any other type.
inline clang::QualType atomicPointee(clang::QualType T) {
  T = T.getNonReferenceType();
  if (const auto *AT = T->getAs<clang::AtomicType>())
    T = AT->getValueType();
  else if (const auto *CTSD =
               llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(
                   T->getAsRecordDecl());
           CTSD && isStdNamed(CTSD, {"atomic"}) &&
           CTSD->getTemplateArgs().size() == 1 &&
           CTSD->getTemplateArgs()[0].getKind() ==
               clang::TemplateArgument::Type)
    T = CTSD->getTemplateArgs()[0].getAsType();
  else
    return {};
  return T->isPointerType() ? T->getPointeeType() : clang::QualType();
}

/// Whether \p D is a variable holding an atomic pointer: its in-place
/// loads (`*p.load()`) reach what it points to.
inline bool followsAtomicPointer(const clang::ValueDecl *D) {
  return llvm::isa<clang::VarDecl>(D) && !atomicPointee(D->getType()).isNull();
}

/// Whether \p S is a loop statement: for, while, do, range-for.
inline bool isLoop(const clang::Stmt *S) {
  return llvm::isa<clang::ForStmt, clang::WhileStmt, clang::DoStmt,
                   clang::CXXForRangeStmt>(S);
}

/// The body of loop \p L, or null if \p L is not a loop.
inline const clang::Stmt *loopBody(const clang::Stmt *L) {
  if (const auto *F = llvm::dyn_cast<clang::ForStmt>(L))
    return F->getBody();
  if (const auto *W = llvm::dyn_cast<clang::WhileStmt>(L))
    return W->getBody();
  if (const auto *D = llvm::dyn_cast<clang::DoStmt>(L))
    return D->getBody();
  if (const auto *RF = llvm::dyn_cast<clang::CXXForRangeStmt>(L))
    return RF->getBody();
  return nullptr;
}

/// Whether \p VD is the variable of range-for loop \p L.
inline bool isRangeForVariable(const clang::VarDecl *VD, const clang::Stmt *L) {
  const auto *RF = llvm::dyn_cast<clang::CXXForRangeStmt>(L);
  return RF && RF->getLoopVariable() == VD;
}

/// Whether \p FD's body is code someone wrote: implicit and defaulted
/// members behave as their type says, and a summary of them says nothing.
inline bool hasWrittenBody(const clang::FunctionDecl *FD) {
  return FD && !FD->isImplicit() && !FD->isDefaulted();
}

} // namespace sendsync

#endif // SENDSYNC_ANALYSIS_ASTUTIL_H
