//===- GlobalCheck.h - sendsync-global --------------------------*- C++ -*-===//

#ifndef SENDSYNC_TIDY_GLOBALCHECK_H
#define SENDSYNC_TIDY_GLOBALCHECK_H

#include "Tidy/SendSyncCheck.h"

namespace clang::tidy::sendsync {

/// Flags global, static and function-local static variables that code run by
/// a thread (its body and the functions of the translation unit it calls,
/// transitively) writes, or reads while another thread writes them, with no
/// common lock, when their type is not ThreadSafe.
///
/// For the user-facing documentation see docs/checks/sendsync-global.md.
class GlobalCheck : public SendSyncCheck::OnCrossings {
public:
  GlobalCheck(StringRef Name, ClangTidyContext *Context)
      : OnCrossings(Name, Context) {}

protected:
  void checkCrossing(const ::sendsync::Crossing &C, const Stmt *Body,
                     ASTContext &Ctx) override;

private:
  /// Notes the calls from the entry of \p C's thread down to the function
  /// that makes the access, when a callee makes it.
  void noteCallPath(const ::sendsync::Crossing &C,
                    llvm::ArrayRef<::sendsync::CallStep> Path);
};

} // namespace clang::tidy::sendsync

#endif // SENDSYNC_TIDY_GLOBALCHECK_H
