//===- SendCheck.h - sendsync-send ------------------------------*- C++ -*-===//

#ifndef SENDSYNC_TIDY_SENDCHECK_H
#define SENDSYNC_TIDY_SENDCHECK_H

#include "Tidy/SendSyncCheck.h"

namespace clang::tidy::sendsync {

/// Flags values copied or moved into another thread (a std::thread argument,
/// a lambda's by-copy capture, a task given to an annotated executor) whose
/// type is not Send, with the chain of reasons down to the declaration that
/// decided it.
///
/// For the user-facing documentation see docs/checks/sendsync-send.md.
class SendCheck : public SendSyncCheck::OnCrossings {
public:
  SendCheck(StringRef Name, ClangTidyContext *Context);
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;

protected:
  void checkCrossing(const ::sendsync::Crossing &C, const Stmt *Body,
                     ASTContext &Ctx) override;

  void checkUnit(ASTContext &Ctx) override;

private:
  /// Values that live across a suspension point after which their
  /// coroutine may run on another thread (Coroutines.h).
  void checkCoroutine(ASTContext &Ctx, const ::sendsync::CoroutineInfo &CI);
  /// Reports \p T, the type of value \p V of crossing \p C or of what it
  /// captures, unless it is Send, and for a parallel algorithm's callable
  /// Sync too: every run uses it at once.
  void checkValue(ASTContext &Ctx, SourceLocation Loc, StringRef What,
                  QualType T, const ::sendsync::Crossing &C,
                  const ::sendsync::CrossingValue &V);
  void checkLambda(ASTContext &Ctx, const LambdaExpr *L,
                   const ::sendsync::Crossing &C,
                   const ::sendsync::CrossingValue &V);
  /// Notes what demands the trait of \p V: the thread start, or the
  /// parameter of an annotated or configured function it is passed to.
  void noteRequiredBy(const ::sendsync::Crossing &C,
                      const ::sendsync::CrossingValue &V);

  /// Also report values whose type is incomplete here (Send unknown).
  const bool ReportIncompleteTypes;
};

} // namespace clang::tidy::sendsync

#endif // SENDSYNC_TIDY_SENDCHECK_H
