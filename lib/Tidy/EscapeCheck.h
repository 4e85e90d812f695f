//===- EscapeCheck.h - sendsync-escape --------------------------*- C++ -*-===//

#ifndef SENDSYNC_TIDY_ESCAPECHECK_H
#define SENDSYNC_TIDY_ESCAPECHECK_H

#include "Tidy/SendSyncCheck.h"

namespace clang::tidy::sendsync {

/// Flags references to local variables given to a thread that may outlive
/// them: one that is detached, returned, stored outside the function, or
/// started through an executor with no handle to join.
///
/// For the user-facing documentation see docs/checks/sendsync-escape.md.
class EscapeCheck : public SendSyncCheck::OnCrossings {
public:
  EscapeCheck(StringRef Name, ClangTidyContext *Context)
      : OnCrossings(Name, Context) {}

protected:
  void checkCrossing(const ::sendsync::Crossing &C, const Stmt *Body,
                     ASTContext &Ctx) override;
};

} // namespace clang::tidy::sendsync

#endif // SENDSYNC_TIDY_ESCAPECHECK_H
