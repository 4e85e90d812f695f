//===- Annotations.cpp - the reader of sendsync's attributes --------------===//

#include "Analysis/Annotations.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
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

bool resumesElsewhere(const CXXRecordDecl *RD) {
  auto Has = [](const Decl *D) {
    for (const Decl *R : D->redecls())
      for (const auto *A : R->specific_attrs<AnnotateAttr>())
        if (A->getAnnotation() == "sendsync::resumes_elsewhere")
          return true;
    return false;
  };
  // The class itself, the template it specializes, or the member class of
  // a class template it was instantiated from (Task<T>::awaiter).
  while (RD) {
    if (Has(RD))
      return true;
    if (const auto *CTSD = dyn_cast<ClassTemplateSpecializationDecl>(RD);
        CTSD && !CTSD->isExplicitSpecialization()) {
      auto From = CTSD->getSpecializedTemplateOrPartial();
      if (auto *Partial =
              From.dyn_cast<ClassTemplatePartialSpecializationDecl *>()) {
        if (Has(Partial))
          return true;
      } else if (auto *Primary = From.dyn_cast<ClassTemplateDecl *>()) {
        RD = Primary->getTemplatedDecl();
        continue;
      }
    }
    RD = RD->getInstantiatedFromMemberClass();
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
    if (S == "sendsync::runs_concurrently")
      return CrossingAnnotation::Concurrent;
  }
  return CrossingAnnotation::None;
}

bool hasSendSyncAnnotation(const Decl *D) {
  if (!D->hasAttrs())
    return false;
  for (const auto *A : D->specific_attrs<AnnotateAttr>())
    if (A->getAnnotation().starts_with("sendsync::"))
      return true;
  return false;
}

namespace {

/// The macro of annotations.h that writes \p Name ("not_send").
std::string macroFor(StringRef Name) {
  return "SENDSYNC_" + Name.upper();
}

/// How a message names the kind of thing \p D is.
StringRef entityKind(const Decl *D) {
  if (isa<ParmVarDecl>(D))
    return "a parameter";
  if (isa<FieldDecl>(D))
    return "a field";
  if (isa<VarDecl>(D))
    return "a variable";
  if (isa<CXXMethodDecl>(D))
    return "a member function";
  if (isa<FunctionDecl>(D))
    return "a function";
  if (isa<EnumDecl>(D))
    return "an enum";
  if (isa<TypedefNameDecl>(D))
    return "a type alias";
  if (isa<NamespaceDecl>(D))
    return "a namespace";
  return "this declaration";
}

/// The template parameters bounds may name on \p RD: a class template's or
/// a partial specialization's; null for a class that is not a template.
const TemplateParameterList *boundParams(const CXXRecordDecl *RD) {
  if (const auto *P = dyn_cast<ClassTemplatePartialSpecializationDecl>(RD))
    return P->getTemplateParameters();
  if (const ClassTemplateDecl *T = RD->getDescribedClassTemplate())
    return T->getTemplateParameters();
  return nullptr;
}

} // namespace

std::vector<AnnotationMisuse> checkAnnotations(const Decl *D,
                                               const SourceManager &SM) {
  std::vector<AnnotationMisuse> Out;
  if (!D->hasAttrs())
    return Out;
  SmallVector<std::pair<AnnKind, const AnnotateAttr *>, 4> OnClass;
  for (const auto *A : D->specific_attrs<AnnotateAttr>()) {
    StringRef Full = A->getAnnotation();
    if (!Full.starts_with("sendsync::"))
      continue;
    StringRef Name = Full.drop_front(strlen("sendsync::"));
    // Point at the macro the user wrote, not into annotations.h.
    SourceLocation Loc = SM.getExpansionLoc(A->getLocation());
    auto Misuse = [&](const Twine &Message) {
      Out.push_back({Loc, Message.str()});
    };
    if (std::optional<AnnKind> K = annotationKind(Full)) {
      const auto *RD = dyn_cast<CXXRecordDecl>(D);
      if (!RD) {
        Misuse(macroFor(Name) + " applies to a class; on " + entityKind(D) +
               " it means nothing");
        continue;
      }
      OnClass.push_back({*K, A});
      if (*K != AnnKind::SendIf && *K != AnnKind::SyncIf &&
          *K != AnnKind::ThreadSafeIf)
        continue;
      // The same three messages the trait engine gives where it uses them.
      StringRef Text = A->args_size() ? stringArg(*A->args_begin()) : "";
      SmallVector<Bound, 4> Bounds;
      std::string Err = parseBounds(Text, Bounds);
      if (!Err.empty()) {
        Misuse("malformed sendsync bounds \"" + Text + "\": " + Err);
        continue;
      }
      const TemplateParameterList *Params = boundParams(RD);
      if (!Params) {
        Misuse("sendsync bounds \"" + Text +
               "\" are on a class that is not a template");
        continue;
      }
      for (const Bound &B : Bounds)
        if (llvm::none_of(*Params, [&](const NamedDecl *P) {
              return P->getName() == B.Param;
            })) {
          Misuse("sendsync bounds \"" + Text + "\" name '" + B.Param +
                 "', which is not a template parameter of '" +
                 RD->getNameAsString() + "'");
          break;
        }
      continue;
    }
    if (Name == "crosses_thread" || Name == "crosses_thread_scoped" ||
        Name == "runs_concurrently") {
      const auto *P = dyn_cast<ParmVarDecl>(D);
      if (!P) {
        Misuse(macroFor(Name) + " applies to a function parameter; on " +
               entityKind(D) + " it means nothing");
        continue;
      }
      QualType T = P->getType().getNonReferenceType();
      if (!T->isDependentType() &&
          (T->isArithmeticType() || T->isEnumeralType()))
        Misuse(macroFor(Name) + " on a parameter of type '" +
               T.getAsString() +
               "': a number carries nothing to another thread that could "
               "race; mark the parameter that does (the callable, or the "
               "value moved across)");
      continue;
    }
    if (Name == "joins") {
      if (!isa<FunctionDecl>(D))
        Misuse("SENDSYNC_JOINS applies to a function (a member function of an "
               "executor that waits for its tasks); on " +
               entityKind(D) + " it means nothing");
      continue;
    }
    if (Name == "resumes_elsewhere") {
      if (!isa<CXXRecordDecl>(D))
        Misuse("SENDSYNC_RESUMES_ELSEWHERE applies to an awaiter class (what "
               "co_await suspends on); on " +
               entityKind(D) + " it means nothing");
      continue;
    }
    Misuse("unknown sendsync annotation '" + Full +
           "' (include/sendsync/annotations.h lists them)");
  }
  // Contradictions on one class: a negative with the matching positive.
  auto Has = [&](AnnKind K) -> const AnnotateAttr * {
    for (const auto &[Kind, A] : OnClass)
      if (Kind == K)
        return A;
    return nullptr;
  };
  static const std::pair<AnnKind, AnnKind> Contradict[] = {
      {AnnKind::NotSend, AnnKind::UnsafeSend},
      {AnnKind::NotSend, AnnKind::SendIf},
      {AnnKind::NotSync, AnnKind::UnsafeSync},
      {AnnKind::NotSync, AnnKind::SyncIf},
      {AnnKind::NotSync, AnnKind::ThreadSafe},
      {AnnKind::NotSync, AnnKind::ThreadSafeIf}};
  // The macro that wrote an attribute: SENDSYNC_ and its name, upper case.
  auto Macro = [](const AnnotateAttr *A) {
    return macroFor(A->getAnnotation().drop_front(strlen("sendsync::")));
  };
  for (const auto &[Neg, Pos] : Contradict)
    if (const AnnotateAttr *N = Has(Neg))
      if (const AnnotateAttr *P = Has(Pos))
        Out.push_back({SM.getExpansionLoc(P->getLocation()),
                       Macro(P) + " contradicts " + Macro(N) +
                           " on the same class (the negative one wins, as "
                           "Rust's negative impls do); remove one"});
  return Out;
}

} // namespace sendsync
