//===- SendSyncTidyMain.cpp - standalone sendsync-tidy driver -------------===//
//
// clang-tidy's own command line (clangTidyMain), with the sendsync module
// linked in statically, for clang-tidy installations that cannot load
// plugins. Every clang-tidy flag works as clang-tidy documents it.
//
//===----------------------------------------------------------------------===//

#include "clang-tidy/tool/ClangTidyMain.h"
#include "llvm/ADT/StringRef.h"
#include <string>
#include <vector>

namespace clang::tidy {
// Defined in SendSyncTidyModule.cpp; referencing it keeps the module's static
// registration from being dropped by the linker.
extern volatile int SendSyncModuleAnchorSource;
} // namespace clang::tidy

int main(int Argc, const char **Argv) {
  (void)clang::tidy::SendSyncModuleAnchorSource;
  // clang finds its builtin headers (stddef.h, ...) relative to the running
  // binary; this one is not installed next to them, so name them, unless the
  // user already did.
  std::vector<const char *> Args(Argv, Argv + Argc);
  bool HasResourceDir = false;
  for (int I = 1; I < Argc; ++I)
    if (llvm::StringRef(Argv[I]).contains("-resource-dir"))
      HasResourceDir = true;
  static const std::string ResourceArg =
      std::string("--extra-arg-before=-resource-dir=") +
      SENDSYNC_CLANG_RESOURCE_DIR;
  if (!HasResourceDir)
    Args.insert(Args.begin() + 1, ResourceArg.c_str());
  return clang::tidy::clangTidyMain(static_cast<int>(Args.size()),
                                    Args.data());
}
