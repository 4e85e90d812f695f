//===- SendSyncTidyModule.cpp - the sendsync clang-tidy module ------------===//

#include "Tidy/EscapeCheck.h"
#include "Tidy/GlobalCheck.h"
#include "Tidy/SendCheck.h"
#include "Tidy/SharedCheck.h"
#include "clang-tidy/ClangTidyModule.h"
#if SENDSYNC_LLVM_MAJOR < 22
// From LLVM 22 on, ClangTidyModule.h declares the registry itself.
#include "clang-tidy/ClangTidyModuleRegistry.h"
#endif

namespace clang::tidy {
namespace sendsync {

class SendSyncModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &Factories) override {
    Factories.registerCheck<EscapeCheck>("sendsync-escape");
    Factories.registerCheck<GlobalCheck>("sendsync-global");
    Factories.registerCheck<SendCheck>("sendsync-send");
    Factories.registerCheck<SharedCheck>("sendsync-shared");
  }
};

} // namespace sendsync

static ClangTidyModuleRegistry::Add<sendsync::SendSyncModule>
    X("sendsync-module", "Send/Sync thread-safety checks (sendsync).");

// Referenced by the standalone driver so the linker keeps this file, and with
// it the registration above.
volatile int SendSyncModuleAnchorSource = 0;

} // namespace clang::tidy
