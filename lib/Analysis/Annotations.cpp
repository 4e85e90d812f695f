//===- Annotations.cpp - the reader of sendsync's attributes --------------===//

#include "Analysis/Annotations.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;
using namespace llvm;

namespace sendsync {

static std::optional<AnnKind> annotationKind(StringRef S) {
  if (!S.consume_front("sendsync::"))
    return std::nullopt;
  return StringSwitch<std::optional<AnnKind>>(S)
      .Case("not_send", AnnKind::NotSend)
      .Case("not_sync", AnnKind::NotSync)
      .Case("unsafe_send", AnnKind::UnsafeSend)
      .Case("unsafe_sync", AnnKind::UnsafeSync)
      .Case("thread_safe", AnnKind::ThreadSafe)
      .Case("send_if", AnnKind::SendIf)
      .Case("sync_if", AnnKind::SyncIf)
      .Case("thread_safe_if", AnnKind::ThreadSafeIf)
      .Default(std::nullopt);
}

static StringRef stringArg(const Expr *E) {
  if (!E)
    return {};
  E = E->IgnoreParenImpCasts();
  if (const auto *CE = dyn_cast<ConstantExpr>(E))
    E = CE->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *SL = dyn_cast<clang::StringLiteral>(E))
    if (SL->getCharByteWidth() == 1)
      return SL->getString();
  return {};
}

static void collectAnnotations(const Decl *D, SmallVectorImpl<Annotation> &Out) {
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>()) {
      std::optional<AnnKind> K = annotationKind(A->getAnnotation());
      if (!K)
        continue;
      StringRef Bounds = A->args_size() ? stringArg(*A->args_begin()) : "";
      Out.push_back({*K, A, Bounds});
    }
}

SmallVector<Annotation, 4> annotationsOf(const CXXRecordDecl *RD) {
  SmallVector<Annotation, 4> Out;
  collectAnnotations(RD, Out);
  if (const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    if (CTSD->isExplicitSpecialization())
      return Out;
    auto From = CTSD->getSpecializedTemplateOrPartial();
    if (auto *Partial =
            From.dyn_cast<ClassTemplatePartialSpecializationDecl *>())
      collectAnnotations(Partial, Out);
    else if (auto *Primary = From.dyn_cast<ClassTemplateDecl *>())
      collectAnnotations(Primary->getTemplatedDecl(), Out);
  }
  return Out;
}

std::string parseBounds(StringRef Text, SmallVectorImpl<Bound> &Out) {
  if (Text.trim().empty())
    return "the bounds are empty (expected e.g. \"T: Send\")";
  SmallVector<StringRef, 4> Clauses;
  Text.split(Clauses, ',');
  for (StringRef Clause : Clauses) {
    auto [Param, Traits] = Clause.split(':');
    Param = Param.trim();
    if (Param.empty() || Traits.trim().empty() ||
        !all_of(Param, [](char C) { return llvm::isAlnum(C) || C == '_'; }))
      return ("'" + Clause.trim() + "' is not of the form 'Param: Trait'")
          .str();
    SmallVector<StringRef, 3> Names;
    Traits.split(Names, '+');
    for (StringRef N : Names) {
      N = N.trim();
      std::optional<Trait> Tr = StringSwitch<std::optional<Trait>>(N)
                                    .Case("Send", Trait::Send)
                                    .Case("Sync", Trait::Sync)
                                    .Case("ThreadSafe", Trait::ThreadSafe)
                                    .Default(std::nullopt);
      if (!Tr)
        return ("'" + N + "' is not a trait (Send, Sync or ThreadSafe)")
            .str();
      Out.push_back({Param, *Tr});
    }
  }
  return "";
}

bool isAnnotatedJoin(const FunctionDecl *FD) {
  const FunctionDecl *Pattern = FD->getTemplateInstantiationPattern();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(FD))
    if (const CXXMethodDecl *From = dyn_cast_or_null<CXXMethodDecl>(
            MD->getInstantiatedFromMemberFunction()))
      Pattern = From;
  for (const FunctionDecl *F : {FD, Pattern}) {
    if (!F)
      continue;
    for (const FunctionDecl *R : F->redecls())
      for (const auto *A : R->specific_attrs<AnnotateAttr>())
        if (A->getAnnotation() == "sendsync::joins")
          return true;
  }
  return false;
}

CrossingAnnotation crossingAnnotation(const ParmVarDecl *P) {
  for (const auto *A : P->specific_attrs<AnnotateAttr>()) {
    StringRef S = A->getAnnotation();
    if (S == "sendsync::crosses_thread")
      return CrossingAnnotation::Crosses;
    if (S == "sendsync::crosses_thread_scoped")
      return CrossingAnnotation::Scoped;
  }
  return CrossingAnnotation::None;
}

} // namespace sendsync
