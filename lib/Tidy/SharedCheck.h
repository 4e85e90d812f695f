//===- SharedCheck.h - sendsync-shared --------------------------*- C++ -*-===//

#ifndef SENDSYNC_TIDY_SHAREDCHECK_H
#define SENDSYNC_TIDY_SHAREDCHECK_H

#include "Tidy/SendSyncCheck.h"
#include "llvm/ADT/DenseSet.h"

namespace clang::tidy::sendsync {

/// Flags objects shared with another thread by reference (by-reference
/// captures, `this`, std::ref, `&x`) that are written on one side and used on
/// the other with no common lock while both may run, when their type is not
/// ThreadSafe; and objects read there whose type is not Sync.
///
/// For the user-facing documentation see docs/checks/sendsync-shared.md.
class SharedCheck : public SendSyncCheck::OnCrossings {
public:
  SharedCheck(StringRef Name, ClangTidyContext *Context)
      : OnCrossings(Name, Context) {}

  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;

protected:
  void checkCrossing(const ::sendsync::Crossing &C, const Stmt *Body,
                     ASTContext &Ctx) override;

private:
  /// The classes whose objects this translation unit shares with a thread
  /// (and their bases): a class's inconsistent locking is reported only
  /// once it is seen used across threads.
  llvm::DenseSet<const CXXRecordDecl *> Crossed;
  void markCrossed(QualType T);
  void markCrossed(const CXXRecordDecl *RD);
  /// A class that locks, whose member functions touch a member both with
  /// and without its lock (one of them writing): reported at the unlocked
  /// use, wherever the class is used from.
  void reportInconsistentLocking(const CXXRecordDecl *RD, ASTContext &Ctx);

  /// The reasons an unsynchronized race is one: about the member raced on,
  /// with where its class's locking discipline breaks for it.
  void explainRacedMember(ASTContext &Ctx, const ::sendsync::RaceFinding &F,
                          SourceLocation At);
};

} // namespace clang::tidy::sendsync

#endif // SENDSYNC_TIDY_SHAREDCHECK_H
