//===- GlobalCheck.cpp - sendsync-global ----------------------------------===//

#include "Tidy/GlobalCheck.h"
#include "Analysis/ASTUtil.h"
#include "Analysis/Races.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/ExprCXX.h"

using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

void GlobalCheck::noteCallPath(const ss::Crossing &C,
                               ArrayRef<ss::CallStep> Path) {
  // How the thread reaches the access, one call a note, as a stack trace
  // reads; a long chain shows its first calls and how many it left out.
  constexpr size_t Shown = 3;
  // A lambda the thread runs is no function of the walk's: name it by the
  // function it is written in.
  std::string Entry = "the thread";
  for (const ss::CrossingValue &V : C.Values)
    if (const LambdaExpr *L = V.IsCallable ? ss::lambdaOf(V.Arg) : nullptr)
      Entry = describeFunction(L->getCallOperator());
  for (const ss::CallStep &S : Path.take_front(Shown))
    diag(S.Call->getExprLoc(), "%0 calls %1 here", DiagnosticIDs::Note)
        << (S.Caller ? describeFunction(S.Caller) : Entry)
        << describeFunction(S.Callee);
  if (Path.size() > Shown)
    diag(Path.back().Call->getExprLoc(),
         "and %0 more call%s0, the last one to %1 here", DiagnosticIDs::Note)
        << unsigned(Path.size() - Shown)
        << describeFunction(Path.back().Callee);
}

void GlobalCheck::checkCrossing(const ss::Crossing &C, const Stmt *Body,
                               ASTContext &Ctx) {
  ss::TraitEngine &Eng = engine(Ctx);
  for (const ss::GlobalRace &F :
       ss::findGlobalRaces(C, Body, facts(Ctx), Eng, config())) {
    // `*head = v` through a global pointer races on what it points to.
    QualType AtomicPointee = ss::atomicPointee(F.Global->getType());
    bool Pointee = F.ThreadAccess.path().throughRoot() &&
                   F.OtherAccess.path().throughRoot() &&
                   (F.Global->getType()->isPointerType() ||
                    !AtomicPointee.isNull());
    QualType T = !Pointee                   ? F.Global->getType()
                 : !AtomicPointee.isNull() ? AtomicPointee
                                           : F.Global->getType()->getPointeeType();
    std::string Type = Eng.print(T);
    unsigned Kind = F.Global->isStaticLocal()        ? 2
                    : F.Global->isStaticDataMember() ? 1
                                                     : 0;
    SourceLocation At = F.ThreadAccess.E->getExprLoc();
    if (!firstFinding(At, F.Global->getName()))
      continue;
    diag(At, "%select{|what }0%select{global|static member|static local}1 "
             "'%2' %select{is|points to is}0 %select{read|written}3 by another "
             "thread while %select{read|written}4 elsewhere, without a common "
             "lock: type '%5' is not ThreadSafe")
        << Pointee << Kind << F.Global->getName() << F.ThreadAccess.Write
        << F.OtherAccess.Write << Type;
    diag(C.Call->getExprLoc(), "the thread is started here",
         DiagnosticIDs::Note);
    noteCallPath(C, F.CallPath);
    if (F.In)
      diag(F.In->getLocation(), "'%0' runs in that thread",
           DiagnosticIDs::Note)
          << F.In->getName();
    noteConflict(F.Other, F.OtherAccess, F.OtherThreadAt);
    if (F.AfterCall)
      diag(F.AfterCall->getExprLoc(),
           "after this call to '%0', which returns while the thread runs",
           DiagnosticIDs::Note)
          << F.AfterCall->getDirectCallee()->getName();
    noteMoreConflicts(F.MoreConflicts, At);
    diag(F.Global->getLocation(), "'%0' is declared here",
         DiagnosticIDs::Note)
        << F.Global->getName();
    bool Scalar = T->isIntegralOrEnumerationType() || T->isPointerType() ||
                  T->isRealFloatingType();
    if (Pointee)
      diag(At, "hold one mutex for every access to what '%0' points to",
           DiagnosticIDs::Note)
          << F.Global->getName();
    else if (!Ctx.getLangOpts().CPlusPlus)
      diag(At, "%select{hold one mutex for every access, or make it "
               "'_Thread_local'|make it '_Atomic %1', '_Thread_local', or hold "
               "one mutex for every access}0",
           DiagnosticIDs::Note)
          << Scalar << Type;
    else if (Scalar)
      diag(At, "make it 'std::atomic<%0>', 'thread_local', or hold one mutex "
               "for every access",
           DiagnosticIDs::Note)
          << Type;
    else
      diag(At, "hold one mutex for every access, wrap it in "
               "'sendsync::Mutex<%0>', or make it 'thread_local'",
           DiagnosticIDs::Note)
          << Type;
  }
}

} // namespace clang::tidy::sendsync
