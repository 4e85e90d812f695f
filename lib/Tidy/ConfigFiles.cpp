//===- ConfigFiles.cpp - the .clang-tidy files a run reads ----------------===//

#include "Tidy/ConfigFiles.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace clang::tidy::sendsync {

std::string nearestConfig(StringRef Dir) {
  for (SmallString<256> D(Dir); !D.empty();) {
    SmallString<256> Candidate(D);
    sys::path::append(Candidate, ".clang-tidy");
    if (sys::fs::exists(Candidate))
      return std::string(Candidate);
    StringRef Parent = sys::path::parent_path(D);
    if (Parent == D)
      break;
    D = Parent;
  }
  return "";
}

bool readConfigFiles(StringRef File, StringSet<> &Seen,
                     function_ref<void(const SMDiagnostic &)> Problem) {
  SmallString<256> Abs(File);
  sys::fs::make_absolute(Abs);
  bool Ok = true;
  for (std::string Config = nearestConfig(sys::path::parent_path(Abs));
       !Config.empty() && Seen.insert(Config).second;) {
    ErrorOr<std::unique_ptr<MemoryBuffer>> Buf = MemoryBuffer::getFile(Config);
    if (!Buf) {
      Problem(SMDiagnostic(Config, SourceMgr::DK_Error,
                           "cannot read it: " + Buf.getError().message()));
      return false;
    }
    ErrorOr<ClangTidyOptions> Parsed = parseConfigurationWithDiags(
        (*Buf)->getMemBufferRef(), [&](const SMDiagnostic &D) {
          Problem(D);
          Ok = false;
        });
    if (!Parsed || !Ok) {
      if (Parsed.getError() && Ok)
        Problem(SMDiagnostic(Config, SourceMgr::DK_Error,
                             Parsed.getError().message()));
      return false;
    }
    if (!Parsed->InheritParentConfig.value_or(false))
      break;
    // Inherited: the nearest above the directory that holds this one.
    Config = nearestConfig(
        sys::path::parent_path(sys::path::parent_path(Config)));
  }
  return Ok;
}

bool commandLineHasConfig() {
  // A /proc file has no size to read by: read it as a stream.
  ErrorOr<std::unique_ptr<MemoryBuffer>> Cmd =
      MemoryBuffer::getFileAsStream("/proc/self/cmdline");
  if (!Cmd)
    return false;
  SmallVector<StringRef, 16> Args;
  (*Cmd)->getBuffer().split(Args, '\0', -1, /*KeepEmpty=*/false);
  for (StringRef A : Args) {
    if (A == "--")
      break; // the compiler's flags
    A = A.ltrim('-');
    if (A == "config" || A.starts_with("config=") || A == "config-file" ||
        A.starts_with("config-file="))
      return true;
  }
  return false;
}

} // namespace clang::tidy::sendsync
