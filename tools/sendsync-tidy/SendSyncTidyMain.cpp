//===- SendSyncTidyMain.cpp - standalone sendsync-tidy driver -------------===//
//
// clang-tidy's command line with the sendsync module linked in statically,
// for clang-tidy installations that cannot load plugins, plus what a CI lint
// step needs (see Driver.h).
//
//===----------------------------------------------------------------------===//

#include "Driver.h"

namespace clang::tidy {
// Defined in SendSyncTidyModule.cpp; referencing it keeps the module's static
// registration from being dropped by the linker.
extern volatile int SendSyncModuleAnchorSource;
} // namespace clang::tidy

int main(int Argc, const char **Argv) {
  (void)clang::tidy::SendSyncModuleAnchorSource;
  return sendsync::tidy::runDriver(Argc, Argv);
}
