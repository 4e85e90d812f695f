//===- PluginLoader.cpp - the version-checking plugin entry ---------------===//
//
// libSendSyncTidy.so is what users pass to `clang-tidy --load`. It links
// nothing and refers to no clang symbol, so it always loads; its constructor
// asks the host for its LLVM version and, only if it is the version the checks
// were built against, loads the checks library that sits next to it. Loaded
// into any other clang-tidy it stops with an error naming both versions,
// rather than failing on an unresolved symbol or, worse, running checks
// compiled against another ABI.
//
//===----------------------------------------------------------------------===//

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef SENDSYNC_LLVM_MAJOR
#error "SENDSYNC_LLVM_MAJOR must be defined by the build"
#endif
#ifndef SENDSYNC_CHECKS_LIBRARY
#error "SENDSYNC_CHECKS_LIBRARY must be defined by the build"
#endif

namespace {

[[noreturn]] void fail(const char *Fmt, const char *A, const char *B) {
  fprintf(stderr, "error: sendsync: ");
  fprintf(stderr, Fmt, A, B);
  fprintf(stderr, "\n");
  fflush(stderr);
  exit(1);
}

__attribute__((constructor)) void loadSendSyncChecks() {
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  auto GetVersion =
      reinterpret_cast<GetVersionFn>(dlsym(RTLD_DEFAULT, "LLVMGetVersion"));
  char Built[16];
  snprintf(Built, sizeof(Built), "%d", SENDSYNC_LLVM_MAJOR);
  if (!GetVersion)
    fail("this plugin was built for clang-tidy %s, but the program loading it "
         "is not an LLVM %s tool (no LLVMGetVersion); use the standalone "
         "sendsync-tidy instead",
         Built, Built);
  unsigned Major = 0, Minor = 0, Patch = 0;
  GetVersion(&Major, &Minor, &Patch);
  char Host[16];
  snprintf(Host, sizeof(Host), "%u", Major);
  if (Major != SENDSYNC_LLVM_MAJOR)
    fail("this plugin was built for clang-tidy %s but was loaded into "
         "clang-tidy %s; a plugin works only with the clang-tidy major "
         "version it was built against (rebuild sendsync with "
         "-DSENDSYNC_LLVM_VERSION=<major>, or use sendsync-tidy)",
         Built, Host);

  // The checks library lives next to this file.
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&loadSendSyncChecks), &Info) ||
      !Info.dli_fname)
    fail("cannot find where %s%s is installed", "libSendSyncTidy", ".so");
  char Path[4096];
  const char *Slash = strrchr(Info.dli_fname, '/');
  size_t DirLen = Slash ? size_t(Slash - Info.dli_fname + 1) : 0;
  if (DirLen + strlen(SENDSYNC_CHECKS_LIBRARY) + 1 > sizeof(Path))
    fail("path too long: %s%s", Info.dli_fname, "");
  memcpy(Path, Info.dli_fname, DirLen);
  strcpy(Path + DirLen, SENDSYNC_CHECKS_LIBRARY);
  if (!dlopen(Path, RTLD_NOW | RTLD_GLOBAL))
    fail("cannot load the checks library: %s%s", dlerror(), "");
}

} // namespace
