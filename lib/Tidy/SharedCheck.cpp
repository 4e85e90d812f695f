//===- SharedCheck.cpp - sendsync-shared ----------------------------------===//

#include "Tidy/SharedCheck.h"
#include "Analysis/Races.h"
#include "clang/AST/ASTContext.h"

using namespace llvm;
namespace ss = ::sendsync;

namespace clang::tidy::sendsync {

void SharedCheck::checkCrossing(const ss::Crossing &C, const Stmt *Body,
                               ASTContext &Ctx) {
  ss::TraitEngine &Eng = engine(Ctx);
  for (const ss::RaceFinding &F : ss::findRaces(C, Body, facts(Ctx), Eng, config())) {
    std::string Name = F.Share.Object->getNameAsString();
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
      diag(At, "'%0' is shared with another thread by reference, but type "
               "'%1' is not Sync")
          << Name << Type;
      diag(F.ThreadAccess.E->getExprLoc(), "used here in the new thread",
           DiagnosticIDs::Note);
      noteVia(F.ThreadAccess);
      emitReasons(Eng.explain(F.Type, ss::Trait::Sync), At);
      continue;
    }
    diag(At, "'%0' is shared with another thread and written without "
             "synchronization: type '%1' is not ThreadSafe")
        << Name << Type;
    diag(F.ThreadAccess.E->getExprLoc(), "%select{read|written}0 here in the "
                                         "new thread",
         DiagnosticIDs::Note)
        << F.ThreadAccess.Write;
    noteVia(F.ThreadAccess);
    noteConflict(F.Other, *F.OtherAccess, F.OtherThreadAt);
    emitReasons(Eng.explain(F.Type, ss::Trait::ThreadSafe), At);
    QualType T = F.Type.getUnqualifiedType();
    bool Scalar = T->isIntegralOrEnumerationType() || T->isPointerType() ||
                  T->isRealFloatingType();
    // C has neither std::atomic nor sendsync::Mutex.
    if (!Ctx.getLangOpts().CPlusPlus)
      diag(At, "%select{hold one mutex for every access|make it '_Atomic %1', "
               "or hold one mutex for every access}0",
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
