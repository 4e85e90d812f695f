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

#include <ctype.h>
#include <dlfcn.h>
#include <link.h>
#include <stdarg.h>
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

[[noreturn]] __attribute__((format(printf, 1, 2))) void fail(const char *Fmt,
                                                             ...) {
  fprintf(stderr, "error: sendsync: ");
  va_list Args;
  va_start(Args, Fmt);
  vfprintf(stderr, Fmt, Args);
  va_end(Args);
  fprintf(stderr, "\n");
  fflush(stderr);
  exit(1);
}

/// The major version in a loaded LLVM or clang library's file name, as
/// LLVM's releases before 16 (which have no LLVMGetVersion) ship them:
/// libLLVM-14.so.1, libLLVM.so.19.1, libclang-cpp.so.14.
int libraryMajor(const char *Path) {
  const char *Base = strrchr(Path, '/');
  Base = Base ? Base + 1 : Path;
  static const char *const Prefixes[] = {"libLLVM-", "libLLVM.so.",
                                         "libclang-cpp.so."};
  for (const char *Prefix : Prefixes) {
    size_t N = strlen(Prefix);
    if (strncmp(Base, Prefix, N) == 0 && isdigit((unsigned char)Base[N]))
      return atoi(Base + N);
  }
  return 0;
}

int hostMajorFromLibraries() {
  int Major = 0;
  dl_iterate_phdr(
      [](dl_phdr_info *Info, size_t, void *Out) {
        int M = Info->dlpi_name ? libraryMajor(Info->dlpi_name) : 0;
        if (M)
          *static_cast<int *>(Out) = M;
        return M ? 1 : 0;
      },
      &Major);
  return Major;
}

[[noreturn]] void wrongHost(int Built, unsigned Host) {
  fail("this plugin was built for clang-tidy %d but was loaded into "
       "clang-tidy %u; a plugin works only with the clang-tidy major "
       "version it was built against (run clang-tidy-%d or sendsync-tidy, or "
       "rebuild sendsync with -DSENDSYNC_LLVM_VERSION=%u; LLVM 19 and 22 are "
       "tested)",
       Built, Host, Built, Host);
}

__attribute__((constructor)) void loadSendSyncChecks() {
  using GetVersionFn = void (*)(unsigned *, unsigned *, unsigned *);
  auto GetVersion =
      reinterpret_cast<GetVersionFn>(dlsym(RTLD_DEFAULT, "LLVMGetVersion"));
  if (!GetVersion) {
    // LLVM before 16 has no LLVMGetVersion: its shared libraries' names
    // still say which release the host is.
    if (int Host = hostMajorFromLibraries())
      wrongHost(SENDSYNC_LLVM_MAJOR, unsigned(Host));
    fail("this plugin was built for clang-tidy %d, but the program loading it "
         "is not an LLVM %d tool (no LLVMGetVersion); run clang-tidy-%d, or "
         "use the standalone sendsync-tidy instead",
         SENDSYNC_LLVM_MAJOR, SENDSYNC_LLVM_MAJOR, SENDSYNC_LLVM_MAJOR);
  }
  unsigned Major = 0, Minor = 0, Patch = 0;
  GetVersion(&Major, &Minor, &Patch);
  if (Major != SENDSYNC_LLVM_MAJOR)
    wrongHost(SENDSYNC_LLVM_MAJOR, Major);

  // The checks library lives next to this file.
  Dl_info Info;
  if (!dladdr(reinterpret_cast<void *>(&loadSendSyncChecks), &Info) ||
      !Info.dli_fname)
    fail("cannot find where libSendSyncTidy.so is installed");
  char Path[4096];
  const char *Slash = strrchr(Info.dli_fname, '/');
  size_t DirLen = Slash ? size_t(Slash - Info.dli_fname + 1) : 0;
  if (DirLen + strlen(SENDSYNC_CHECKS_LIBRARY) + 1 > sizeof(Path))
    fail("path too long: %s", Info.dli_fname);
  memcpy(Path, Info.dli_fname, DirLen);
  strcpy(Path + DirLen, SENDSYNC_CHECKS_LIBRARY);
  if (!dlopen(Path, RTLD_NOW | RTLD_GLOBAL))
    fail("cannot load the checks library: %s", dlerror());
}

} // namespace
