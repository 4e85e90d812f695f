//===- SharedCheck.cpp - sendsync-shared ----------------------------------===//

#include "Tidy/SharedCheck.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Races.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

void SharedCheck::check(const ast_matchers::MatchFinder::MatchResult &Result) {
  // The crossings first: they say which classes the unit shares with a
  // thread. A class's inconsistent locking is reported only for those.
  Crossed.clear();
  OnCrossings::check(Result);
  ASTContext &Ctx = *Result.Context;
  for (const CXXRecordDecl *RD : facts(Ctx).definitions().Classes)
    if (!RD->isDependentContext() && !RD->isUnion() && Crossed.count(RD))
      reportInconsistentLocking(RD, Ctx);
  Crossed.clear();
}

void SharedCheck::markCrossed(QualType T) {
  if (T.isNull())
    return;
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  const auto *RD = T->getAsCXXRecordDecl();
  // A smart pointer or a container shares what it holds.
  if (const auto *CTSD = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD))
    for (const TemplateArgument &A : CTSD->getTemplateArgs().asArray())
      if (A.getKind() == TemplateArgument::Type)
        markCrossed(A.getAsType());
  markCrossed(RD);
}

void SharedCheck::markCrossed(const CXXRecordDecl *RD) {
  SmallVector<const CXXRecordDecl *, 4> Work;
  if (RD && RD->getDefinition())
    Work.push_back(RD->getDefinition());
  while (!Work.empty()) {
    const CXXRecordDecl *C = Work.pop_back_val();
    if (!Crossed.insert(C).second)
      continue;
    for (const CXXBaseSpecifier &B : C->bases())
      if (const CXXRecordDecl *BD = B.getType()->getAsCXXRecordDecl())
        if (BD->getDefinition())
          Work.push_back(BD->getDefinition());
  }
}

void SharedCheck::reportInconsistentLocking(const CXXRecordDecl *RD,
                                            ASTContext &Ctx) {
  const ss::ClassDiscipline *D = facts(Ctx).discipline(RD);
  if (!D || D->K != ss::ClassDiscipline::Locks || !D->Lock)
    return;
  ss::TraitEngine &Eng = engine(Ctx);
  for (const FieldDecl *F : RD->fields()) {
    auto L = D->Locked.find(F);
    auto U = D->Unlocked.find(F);
    if (L == D->Locked.end() || U == D->Unlocked.end())
      continue;
    const ss::ClassDiscipline::Use &Unlocked = U->second;
    const ss::ClassDiscipline::Use &Locked = L->second;
    // One member function that both locks and does not is most often one
    // that sets up before it shares (the threads start later in it): the
    // two uses must be in different member functions.
    if (Unlocked.In->getCanonicalDecl() == Locked.In->getCanonicalDecl())
      continue;
    // As for races: one side writes the member itself, or both touch
    // elements and one writes.
    bool Conflict = (Unlocked.Write && !Unlocked.Element) ||
                    (Locked.Write && !Locked.Element) ||
                    (Unlocked.Element && Locked.Element &&
                     (Unlocked.Write || Locked.Write));
    if (!Conflict || F->getType()->isDependentType() ||
        Eng.query(F->getType(), ss::Trait::ThreadSafe) == ss::Verdict::Yes)
      continue;
    if (!firstFinding(Unlocked.Loc, F->getName()))
      continue;
    std::string Lock = D->Lock->getNameAsString();
    diag(Unlocked.Loc,
         "'%0' %select{reads|writes}1 '%2' without holding '%3', which '%4' "
         "holds to %select{read|write}5 it: '%6' is not thread-safe")
        << Unlocked.In->getQualifiedNameAsString() << Unlocked.Write
        << F->getName() << Lock << Locked.In->getQualifiedNameAsString()
        << Locked.Write << RD->getName();
    if (Unlocked.Via)
      diag(Unlocked.ViaLoc, "by %0, which %select{reads|writes}1 it here",
           DiagnosticIDs::Note)
          << describeFunction(Unlocked.Via) << Unlocked.Write;
    diag(Locked.Loc, "%select{read|written}0 under '%1' here",
         DiagnosticIDs::Note)
        << Locked.Write << Lock;
    if (Locked.Via)
      diag(Locked.ViaLoc, "by %0, which %select{reads|writes}1 it here",
           DiagnosticIDs::Note)
          << describeFunction(Locked.Via) << Locked.Write;
    diag(Unlocked.Loc,
         "hold '%0' here too, or declare '%1' GUARDED_BY(%0) so that "
         "-Wthread-safety checks every access",
         DiagnosticIDs::Note)
        << Lock << F->getName();
  }
}

void SharedCheck::explainRacedMember(ASTContext &Ctx,
                                     const ss::RaceFinding &F,
                                     SourceLocation At) {
  ss::TraitEngine &Eng = engine(Ctx);
  // The member both sides touch, when the race is on one: the reasons are
  // that member's, not the first one the whole type fails on.
  // Through a pointer member (h.next->hits), the member written is the
  // pointee's, not the pointer.
  const FieldDecl *Member = nullptr;
  if (F.Type->isRecordType()) {
    bool AfterDeref = false;
    for (const FieldDecl *Step : F.ThreadAccess.Path) {
      if (Step == ss::derefStep()) {
        AfterDeref = true;
        continue;
      }
      if (ss::isMemberStep(Step) && (!Member || AfterDeref)) {
        Member = Step;
        AfterDeref = false;
      }
    }
  }
  if (!Member || Member->getType()->isDependentType()) {
    emitReasons(Eng.explain(F.Type, ss::Trait::ThreadSafe), At);
    return;
  }
  QualType MT = Member->getType();
  std::vector<ss::ReasonStep> Steps = Eng.explain(MT, ss::Trait::ThreadSafe);
  std::string Head = std::string(Member->isMutable() ? "mutable " : "") +
                     "field '" + Member->getNameAsString() + "' has type '" +
                     Eng.print(MT) + "', which is not ThreadSafe";
  // A one-step reason about the member's own type reads as one clause.
  std::string Prefix = "'" + Eng.print(MT) + "' is not ThreadSafe";
  if (Steps.size() == 1 && StringRef(Steps[0].Message).starts_with(Prefix)) {
    Head += StringRef(Steps[0].Message).drop_front(Prefix.size()).str();
    Steps.clear();
  }
  diag(Member->getLocation(), "%0", DiagnosticIDs::Note) << Head;
  if (const auto *RD = dyn_cast<CXXRecordDecl>(Member->getParent()))
    if (const ss::ClassDiscipline *D = facts(Ctx).discipline(RD))
      if (auto It = D->Breach.find(Member); It != D->Breach.end())
        diag(It->second.Loc, "%0", DiagnosticIDs::Note) << It->second.Message;
  emitReasons(Steps, Member->getLocation());
}

void SharedCheck::checkCrossing(const ss::Crossing &C, const Stmt *Body,
                               ASTContext &Ctx) {
  ss::TraitEngine &Eng = engine(Ctx);
  // What this crossing shares makes its classes' locking worth judging.
  const ss::ShareInfo &Info = facts(Ctx).share(C);
  for (const ss::SharedObject &S : Info.Objects)
    markCrossed(S.Object->getType());
  if (Info.ThisClass)
    markCrossed(Info.ThisClass);
  // par_unseq lets one thread interleave runs of the callable: a run that
  // waits for a lock another run on its thread holds waits forever, and
  // [algorithms.parallel.exec] makes the call undefined.
  if (C.Unsequenced && Info.Body)
    if (const Stmt *S = facts(Ctx).firstAcquire(Info.Body, Info.BodyFunction);
        S && firstFinding(S->getBeginLoc(), "par_unseq")) {
      diag(S->getBeginLoc(),
           "a lock is taken in the callable of an algorithm run with "
           "'std::execution::par_unseq': its runs may interleave on one "
           "thread, so a run can wait for a lock its own thread holds "
           "(undefined behaviour)");
      diag(C.Call->getExprLoc(), "the algorithm is called here",
           DiagnosticIDs::Note);
      diag(S->getBeginLoc(),
           "run it with 'std::execution::par', or update the shared data "
           "without a lock (an atomic, a reduction)",
           DiagnosticIDs::Note);
    }
  for (const ss::RaceFinding &F : ss::findRaces(C, Body, facts(Ctx), Eng, config())) {
    // What a pointer given to the thread, or a shared atomic pointer,
    // points to is named as `*p`.
    bool Pointee = F.Share.How == ss::ShareVia::Pointee ||
                   !ss::atomicPointee(F.Share.Object->getType()).isNull();
    std::string Name =
        (Pointee ? "*" : "") + F.Share.Object->getNameAsString();
    std::string Type = Eng.print(F.Type);
    SourceLocation At = F.Share.At.isValid() ? F.Share.At
                                             : C.Call->getExprLoc();
    if (!firstFinding(At, Name))
      continue;
    if (F.K == ss::RaceFinding::SharedPointeeWrite) {
      diag(At, "the object '%0' points to is shared with every other copy of "
               "the 'std::shared_ptr' and written in another thread: type "
               "'%1' is not ThreadSafe")
          << Name << Type;
      diag(F.ThreadAccess.E->getExprLoc(), "written here in the new thread",
           DiagnosticIDs::Note);
      noteVia(F.ThreadAccess);
      emitReasons(Eng.explain(F.Type, ss::Trait::ThreadSafe), At);
      diag(At,
           "share it as 'std::shared_ptr<const %0>' and keep what changes in "
           "a 'sendsync::Mutex', or give the thread its own copy",
           DiagnosticIDs::Note)
          << Type;
      continue;
    }
    if (F.K == ss::RaceFinding::NotSendBorrow) {
      diag(At, "'%0' is used by another thread through a reference, but type "
               "'%1' is not Send")
          << Name << Type;
      diag(F.ThreadAccess.E->getExprLoc(), "used here in the new thread",
           DiagnosticIDs::Note);
      noteVia(F.ThreadAccess);
      emitReasons(Eng.explain(F.Type, ss::Trait::Send), At);
      continue;
    }
    if (F.K == ss::RaceFinding::NotSync) {
      diag(At, "'%0' is shared %select{with another thread|by the concurrent "
               "runs of a parallel algorithm's callable}2 by reference, but "
               "type '%1' is not Sync")
          << Name << Type << C.Parallel;
      diag(F.ThreadAccess.E->getExprLoc(),
           "used here in %select{the new thread|each run}0",
           DiagnosticIDs::Note)
          << C.Parallel;
      noteVia(F.ThreadAccess);
      emitReasons(Eng.explain(F.Type, ss::Trait::Sync), At);
      continue;
    }
    diag(At, "'%0' is shared %select{with another thread|by the concurrent "
             "runs of a parallel algorithm's callable}2 and written without "
             "synchronization: type '%1' is not ThreadSafe")
        << Name << Type << C.Parallel;
    diag(F.ThreadAccess.E->getExprLoc(),
         "%select{read|written}0 here in %select{the new thread|each run}1",
         DiagnosticIDs::Note)
        << F.ThreadAccess.Write << C.Parallel;
    noteVia(F.ThreadAccess);
    noteConflict(F.Other, *F.OtherAccess, F.OtherThreadAt);
    noteMoreConflicts(F.MoreConflicts, At);
    explainRacedMember(Ctx, F, At);
    QualType T = F.Type.getUnqualifiedType();
    bool Scalar = T->isIntegralOrEnumerationType() || T->isPointerType() ||
                  T->isRealFloatingType();
    // C has neither std::atomic nor sendsync::Mutex.
    if (!Ctx.getLangOpts().CPlusPlus)
      diag(At, "%select{hold one mutex for every access|make it '_Atomic %1', "
               "or hold one mutex for every access}0",
           DiagnosticIDs::Note)
          << Scalar << Type;
    else if (C.Parallel)
      diag(At,
           "write only the element each run is given, combine results with "
           "a reduction (std::transform_reduce), or %select{wrap it in "
           "'sendsync::Mutex<%1>'|make it 'std::atomic<%1>'}0",
           DiagnosticIDs::Note)
          << Scalar << Type;
    else if (Scalar)
      diag(At, "make it 'std::atomic<%0>', or hold one mutex for every access",
           DiagnosticIDs::Note)
          << Type;
    else
      diag(At,
           "wrap it in 'sendsync::Mutex<%0>', hold one mutex for every "
           "access, or give each thread its own copy",
           DiagnosticIDs::Note)
          << Type;
  }
}

} // namespace clang::tidy::sendsync
