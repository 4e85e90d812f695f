//===- SendCheck.cpp - sendsync-send --------------------------------------===//

#include "Tidy/SendCheck.h"
#include "Analysis/Crossings.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;
using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

SendCheck::SendCheck(StringRef Name, ClangTidyContext *Context)
    : OnCrossings(Name, Context),
      ReportIncompleteTypes(config().ReportIncompleteTypes) {}

void SendCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  SendSyncCheck::storeOptions(Opts);
  Options.store(Opts, "ReportIncompleteTypes", ReportIncompleteTypes);
}

void SendCheck::checkCrossing(const ss::Crossing &C, const Stmt *,
                              ASTContext &Ctx) {
  for (const ss::CrossingValue &V : C.Values) {
    // `&x` and `this` share an object rather than send a value: that is
    // sendsync-shared's to judge, with what the thread does with it.
    const Expr *Src = ss::valueSource(V.Arg);
    if (isa<CXXThisExpr>(Src))
      continue;
    if (const auto *UO = dyn_cast<UnaryOperator>(Src);
        UO && UO->getOpcode() == UO_AddrOf)
      continue;
    if (const LambdaExpr *L = ss::lambdaOf(V.Arg)) {
      checkLambda(Ctx, L, C.Parallel && V.IsCallable);
      continue;
    }
    std::string What;
    if (V.IsCallable)
      What = "callable";
    else
      What = "argument " + std::to_string(V.ArgNumber);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Src))
      What += " '" + DRE->getDecl()->getNameAsString() + "'";
    checkValue(Ctx, V.Arg->getExprLoc(), What, ss::typeForMessage(V.Arg, Ctx),
               C.Parallel && V.IsCallable);
  }
}

void SendCheck::checkLambda(ASTContext &Ctx, const LambdaExpr *L,
                            bool Shared) {
  // Each by-copy capture is a value moved into the other thread. By-reference
  // captures and `this` share an object instead; sendsync-shared checks those.
  const CXXRecordDecl *Closure = L->getLambdaClass();
  llvm::DenseMap<const ValueDecl *, FieldDecl *> Fields;
  FieldDecl *ThisField = nullptr;
  Closure->getCaptureFields(Fields, ThisField);
  for (const LambdaCapture &Cap : L->captures()) {
    if (Cap.getCaptureKind() == LCK_StarThis) {
      if (ThisField)
        checkValue(Ctx, Cap.getLocation(), "capture '*this'",
                   ThisField->getType(), Shared);
      continue;
    }
    if (Cap.getCaptureKind() != LCK_ByCopy || !Cap.capturesVariable())
      continue;
    const ValueDecl *Var = Cap.getCapturedVar();
    auto It = Fields.find(Var);
    QualType T = It != Fields.end() ? It->second->getType() : Var->getType();
    checkValue(Ctx, Cap.getLocation(),
               "capture '" + Var->getNameAsString() + "'", T, Shared);
  }
}

void SendCheck::checkValue(ASTContext &Ctx, SourceLocation Loc, StringRef What,
                           QualType T, bool Shared) {
  if (T.isNull() || T->isDependentType())
    return;
  ss::TraitEngine &Eng = engine(Ctx);
  ss::Trait Tr = ss::Trait::Send;
  ss::Judgement J = Eng.judge(T, Tr);
  // Rayon's bound on a parallel closure: Send + Sync. The runs share one
  // callable (and what it holds), each using it at once.
  if (J.V == ss::Verdict::Yes && Shared) {
    Tr = ss::Trait::Sync;
    J = Eng.judge(T, Tr);
  }
  if (J.V == ss::Verdict::Yes)
    return;
  if (J.V == ss::Verdict::Unknown &&
      (!ReportIncompleteTypes || J.LeafSource != ss::Source::Incomplete))
    return;
  if (!firstFinding(Loc, What))
    return;
  std::string TypeName = Eng.print(T);
  if (Tr == ss::Trait::Sync)
    diag(Loc, "%0 is used by the concurrent runs of a parallel algorithm's "
              "callable at once: type '%1' is %select{not|not known to be}2 "
              "Sync")
        << What << TypeName << (J.V != ss::Verdict::No);
  else if (J.V == ss::Verdict::No)
    diag(Loc, "%0 cannot be sent to another thread: type '%1' is not Send")
        << What << TypeName;
  else
    diag(Loc, "%0 may not be safe to send to another thread: type '%1' is "
              "not known to be Send")
        << What << TypeName;
  emitReasons(Eng.explain(T, Tr), Loc);

  // One fix, where one is clear.
  std::string Leaf = J.LeafType.isNull() ? "" : Eng.print(J.LeafType);
  StringRef LeafTrait = ss::traitName(J.LeafTrait);
  if (!J.Fix.empty()) {
    diag(Loc, "%0", DiagnosticIDs::Note) << J.Fix;
  } else if (J.LeafSource == ss::Source::Incomplete) {
    // The definition is elsewhere; the user can state the fact in config.
    diag(Loc, "if '%0' is in fact %1, list it in option '%1Types'",
         DiagnosticIDs::Note)
        << Leaf << LeafTrait;
  }
}

} // namespace clang::tidy::sendsync
