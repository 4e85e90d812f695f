//===- SendCheck.cpp - sendsync-send --------------------------------------===//

#include "Tidy/SendCheck.h"
#include "Analysis/Coroutines.h"
#include "Analysis/Crossings.h"
#include "Analysis/Locksets.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/StmtCXX.h"
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
      checkLambda(Ctx, L, C, V);
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
               C, V);
  }
}

void SendCheck::checkLambda(ASTContext &Ctx, const LambdaExpr *L,
                            const ss::Crossing &C, const ss::CrossingValue &V) {
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
                   ThisField->getType(), C, V);
      continue;
    }
    if (Cap.getCaptureKind() != LCK_ByCopy || !Cap.capturesVariable())
      continue;
    const ValueDecl *Var = Cap.getCapturedVar();
    auto It = Fields.find(Var);
    QualType T = It != Fields.end() ? It->second->getType() : Var->getType();
    checkValue(Ctx, Cap.getLocation(),
               "capture '" + Var->getNameAsString() + "'", T, C, V);
  }
}

/// The thread class a std::thread crossing builds: the constructor's, or
/// the one threads.emplace_back(...) or std::make_unique<std::jthread>(...)
/// builds.
static std::string threadClassName(const ss::Crossing &C) {
  const CXXRecordDecl *RD = nullptr;
  const TemplateArgumentList *Args = nullptr;
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(C.Callee))
    RD = Ctor->getParent();
  else if (const auto *MD = dyn_cast<CXXMethodDecl>(C.Callee))
    Args = isa<ClassTemplateSpecializationDecl>(MD->getParent())
               ? &cast<ClassTemplateSpecializationDecl>(MD->getParent())
                      ->getTemplateArgs()
               : nullptr;
  else
    Args = C.Callee->getTemplateSpecializationArgs();
  if (Args && Args->size() >= 1 &&
      Args->get(0).getKind() == TemplateArgument::Type)
    RD = Args->get(0).getAsType()->getAsCXXRecordDecl();
  // By its standard name, whatever inline namespace the library uses.
  if (!RD || !RD->getIdentifier())
    return "std::thread";
  return ("std::" + RD->getName()).str();
}

void SendCheck::noteRequiredBy(const ss::Crossing &C,
                               const ss::CrossingValue &V) {
  // Like rustc's "required by a bound in `spawn`": what demands the trait,
  // where the user can see it. One note, right after the warning.
  if (V.Param) {
    std::string Fn = describeFunction(C.Callee);
    // What the function does with it: runs it on another thread or on many
    // threads at once, moves it there (a further annotated parameter), or
    // hands it to the callable (a configured `name:callable:argument`).
    enum { Runs, Moves, RunsConcurrently, PassesToCallable } Does = Runs;
    if (C.Parallel)
      Does = RunsConcurrently;
    else if (!V.IsCallable)
      Does = C.Kind == ss::CrossingKind::Configured ? PassesToCallable : Moves;
    diag(V.Param->getLocation(),
         "required by this parameter of %0, which %select{runs its argument "
         "on another thread|moves its argument to another thread|runs its "
         "argument on many threads at once|passes its argument to the "
         "callable it runs on another thread}1%select{| (option %3)}2",
         DiagnosticIDs::Note)
        << Fn << unsigned(Does) << !C.Option.empty() << C.Option;
    return;
  }
  SourceLocation At = C.Call->getExprLoc();
  switch (C.Kind) {
  case ss::CrossingKind::StdThread:
    diag(At,
         "required because '%0' moves its callable and arguments to a new "
         "thread",
         DiagnosticIDs::Note)
        << threadClassName(C);
    return;
  case ss::CrossingKind::StdAsync:
    diag(At,
         "required because 'std::async' may run its callable and arguments "
         "on a new thread",
         DiagnosticIDs::Note);
    return;
  case ss::CrossingKind::PthreadCreate:
    diag(At,
         "required because 'pthread_create' runs its start routine, with its "
         "argument, on a new thread",
         DiagnosticIDs::Note);
    return;
  case ss::CrossingKind::Parallel:
    diag(At,
         "required because %0 runs its callable on many threads at "
         "once%select{ under a parallel execution policy| (option %2)}1",
         DiagnosticIDs::Note)
        << describeFunction(C.Callee) << !C.Option.empty() << C.Option;
    return;
  case ss::CrossingKind::Annotated:
  case ss::CrossingKind::Configured:
    // A parameter not known (a configured index past the last parameter of
    // a C-style variadic function): the call stands for it.
    diag(At,
         "required because %0 runs its argument on another "
         "thread%select{| (option %2)}1",
         DiagnosticIDs::Note)
        << describeFunction(C.Callee) << !C.Option.empty() << C.Option;
    return;
  }
}

void SendCheck::checkValue(ASTContext &Ctx, SourceLocation Loc, StringRef What,
                           QualType T, const ss::Crossing &C,
                           const ss::CrossingValue &V) {
  if (T.isNull() || T->isDependentType())
    return;
  bool Shared = C.Parallel && V.IsCallable;
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
  noteRequiredBy(C, V);
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

void SendCheck::checkUnit(ASTContext &Ctx) {
  for (const ss::CoroutineInfo &CI : facts(Ctx).coroutines(config()))
    checkCoroutine(Ctx, CI);
}

void SendCheck::checkCoroutine(ASTContext &Ctx, const ss::CoroutineInfo &CI) {
  ss::TraitEngine &Eng = engine(Ctx);
  const SourceManager &SM = Ctx.getSourceManager();
  const Stmt *Body = CI.Function->getBody();
  // One parent map of the coroutine's statements for all its points.
  ParentMap PM(CI.Body->getBody());
  llvm::DenseSet<const VarDecl *> Judged;
  for (const ss::ResumePoint &P : CI.Points) {
    for (const VarDecl *VD : ss::liveAcross(CI, P.At, PM)) {
      if (!Judged.insert(VD).second)
        continue;
      QualType T = VD->getType();
      if (T.isNull() || T->isDependentType())
        continue;
      ss::Judgement J = Eng.judge(T, ss::Trait::Send);
      if (J.V == ss::Verdict::Yes ||
          (J.V == ss::Verdict::Unknown &&
           (!ReportIncompleteTypes ||
            J.LeafSource != ss::Source::Incomplete)))
        continue;
      // A local lock guard that holds no lock here (unlocked, or moved
      // from) makes no thread release what another acquired. (A guard
      // parameter's lock is the caller's: it is taken to be held.)
      const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
      bool Guard = ss::isStdGuardClass(RD);
      if (Guard && !isa<ParmVarDecl>(VD) &&
          facts(Ctx).locks(Body, CI.Function).at(P.At).empty())
        continue;
      SourceLocation Loc = VD->getLocation();
      if (SM.isInSystemHeader(Loc) || !firstFinding(Loc, "coroutine"))
        continue;
      diag(Loc, "%select{'%0'|parameter '%0'}1 lives across a suspension "
                "point after which the coroutine may run on another thread: "
                "type '%2' is %select{not|not known to be}3 Send")
          << VD->getName() << isa<ParmVarDecl>(VD) << Eng.print(T)
          << (J.V != ss::Verdict::No);
      std::string Via;
      if (const auto *ND = dyn_cast_or_null<NamedDecl>(P.Via))
        Via = ND->getQualifiedNameAsString();
      SourceLocation At = P.At->getBeginLoc();
      switch (P.Why) {
      case ss::ResumePoint::AnnotatedAwaiter: {
        // Name what the user awaits too when its awaiter is another class
        // (`co_await std::move(handle)` suspends on a library's detail).
        std::string Awaited;
        if (const auto *CA = dyn_cast<CoawaitExpr>(P.At))
          if (const Expr *Op = CA->getOperand())
            if (const auto *RD = Op->getType()->getAsCXXRecordDecl();
                RD && RD != P.Via)
              Awaited = Eng.print(Op->getType().getUnqualifiedType());
        diag(At, "the coroutine may resume on another thread here: "
                 "%select{awaiter '%0' is|awaiting '%2' suspends on awaiter "
                 "'%0', which is}1 annotated SENDSYNC_RESUMES_ELSEWHERE",
             DiagnosticIDs::Note)
            << Via << !Awaited.empty() << Awaited;
        break;
      }
      case ss::ResumePoint::HandsOff:
        diag(At, "the coroutine may resume on another thread here: the "
                 "await_suspend of '%0' hands it to another thread",
             DiagnosticIDs::Note)
            << Via;
        break;
      case ss::ResumePoint::AwaitsMigrating:
        diag(At, "the coroutine may resume on another thread here: it awaits "
                 "'%0', which may finish on another thread",
             DiagnosticIDs::Note)
            << Via;
        break;
      case ss::ResumePoint::Spawned:
        diag(At, "the coroutine may resume on another thread here",
             DiagnosticIDs::Note);
        diag(P.Spawn->getExprLoc(),
             "it is given to another thread here, which resumes it after "
             "each suspension",
             DiagnosticIDs::Note);
        break;
      case ss::ResumePoint::Assumed:
        diag(At, "the coroutine may resume on another thread here (option "
                 "AssumeCoroutinesResumeElsewhere)",
             DiagnosticIDs::Note);
        break;
      }
      emitReasons(Eng.explain(T, ss::Trait::Send), Loc);
      if (isa<ParmVarDecl>(VD))
        diag(Loc, "take it by a Send type, or do not suspend where it may "
                  "resume elsewhere",
             DiagnosticIDs::Note);
      else
        diag(Loc, "end its scope before the suspension point (a block "
                  "around its uses)%select{|: the lock is then released by "
                  "the thread that took it}0",
             DiagnosticIDs::Note)
            << Guard;
    }
  }
}

} // namespace clang::tidy::sendsync
