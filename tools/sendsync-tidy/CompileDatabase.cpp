//===- CompileDatabase.cpp - the files a run analyses ---------------------===//

#include "CompileDatabase.h"
#include "Driver.h"
#include "Findings.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace sendsync::tidy {

namespace {

raw_ostream &error() { return WithColor::error(errs(), "sendsync-tidy"); }

// The database clang-tidy would use for Start: compile_commands.json or
// compile_flags.txt there or in a parent directory; "" if none.
std::string findDatabase(StringRef Start) {
  for (StringRef Dir = Start; !Dir.empty(); Dir = sys::path::parent_path(Dir))
    for (const char *Name : {"compile_commands.json", "compile_flags.txt"}) {
      SmallString<256> Candidate(Dir);
      sys::path::append(Candidate, Name);
      if (sys::fs::exists(Candidate))
        return std::string(Candidate);
    }
  return "";
}

// Whether File, absolute, is one of Known's (by its real path too: a
// database may name it through a symbolic link).
bool listed(StringRef File, const StringSet<> &Known) {
  if (Known.contains(File))
    return true;
  SmallString<256> Real;
  if (sys::fs::real_path(File, Real))
    return false;
  return llvm::any_of(Known, [&](const auto &K) {
    SmallString<256> KnownReal;
    return !sys::fs::real_path(K.first(), KnownReal) && KnownReal == Real;
  });
}

// The files of the database for O (every one where none is named), or an
// exit code.
std::optional<int> fromDatabase(const Options &O,
                                std::vector<std::string> &Files) {
  std::string Where;
  SmallString<256> Start;
  if (!O.BuildPath.empty()) {
    if (!sys::fs::is_directory(O.BuildPath)) {
      error() << "-p '" << O.BuildPath << "' is not a directory\n";
      return ExitNoCompileDatabase;
    }
    Where = "'" + O.BuildPath + "'";
    Start = absolutePath(O.BuildPath);
  } else {
    Where = "the directories above '" + O.Files.front() + "'";
    Start = sys::path::parent_path(absolutePath(O.Files.front()));
  }
  // Found as clang-tidy would find it, to say plainly whether there is none
  // or it is broken.
  std::string Found = findDatabase(Start);
  if (Found.empty()) {
    error() << "no compile database (compile_commands.json) in " << Where
            << " or its parents\nGenerate one (cmake "
               "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON), point -p at it, or give "
               "the compiler flags after '--'\n";
    return ExitNoCompileDatabase;
  }
  // clang's reader takes a truncated compile_commands.json for the entries
  // before the cut (printing a YAML error): check it is JSON.
  if (sys::path::filename(Found) == "compile_commands.json") {
    ErrorOr<std::unique_ptr<MemoryBuffer>> Text = MemoryBuffer::getFile(Found);
    if (!Text) {
      error() << "cannot read the compile database '" << Found
              << "': " << Text.getError().message() << "\n";
      return ExitNoCompileDatabase;
    }
    if (Expected<json::Value> V = json::parse((*Text)->getBuffer()); !V) {
      error() << "cannot read the compile database '" << Found
              << "': it is not valid JSON (" << toString(V.takeError())
              << "); is it truncated?\n";
      return ExitNoCompileDatabase;
    }
  }
  std::string Why;
  std::unique_ptr<clang::tooling::CompilationDatabase> DB =
      clang::tooling::CompilationDatabase::loadFromDirectory(
          sys::path::parent_path(Found), Why);
  if (!DB) {
    error() << "cannot read the compile database '" << Found
            << "': " << StringRef(Why).trim() << "\n";
    return ExitNoCompileDatabase;
  }
  std::vector<std::string> Known = DB->getAllFiles();
  StringSet<> KnownSet;
  for (const std::string &K : Known)
    KnownSet.insert(absolutePath(K));
  if (O.Files.empty()) {
    for (const auto &K : KnownSet)
      Files.push_back(K.first().str());
    if (Files.empty()) {
      error() << "the compile database in " << Where << " lists no files\n";
      return ExitNoCompileDatabase;
    }
    return std::nullopt;
  }
  std::vector<std::string> Missing;
  for (const std::string &F : O.Files) {
    std::string Abs = absolutePath(F);
    // compile_flags.txt lists no files: it applies to all of them.
    if (!Known.empty() && !listed(Abs, KnownSet))
      Missing.push_back(F);
    Files.push_back(Abs);
  }
  if (Missing.empty())
    return std::nullopt;
  for (const std::string &F : Missing)
    error() << "'" << F << "' is not in the compile database in " << Where
            << "\n";
  errs() << "Headers are analysed through the files that include them "
            "(see --header-filter); give compiler flags after '--' to "
            "analyse a file the build does not compile.\n";
  return ExitNotInCompileDatabase;
}

} // namespace

std::optional<int> resolveFiles(const Options &O,
                                std::vector<std::string> &Files) {
  if (O.Files.empty() && (O.HasFixedFlags || O.BuildPath.empty())) {
    error() << "no input files: name the files to analyse, or give a build "
               "directory with -p to analyse every file in its "
               "compile_commands.json\n";
    return ExitUsage;
  }
  for (const std::string &F : O.Files)
    if (!sys::fs::exists(F)) {
      error() << "'" << F << "': no such file\n";
      return ExitUsage;
    }
  if (O.HasFixedFlags) {
    // Flags after '--' apply to every file: no database involved.
    for (const std::string &F : O.Files)
      Files.push_back(absolutePath(F));
  } else if (std::optional<int> Error = fromDatabase(O, Files)) {
    return Error;
  }
  llvm::sort(Files);
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  if (O.ShardCount > 1) {
    std::vector<std::string> Mine;
    for (size_t I = O.ShardIndex - 1; I < Files.size(); I += O.ShardCount)
      Mine.push_back(Files[I]);
    Files = std::move(Mine);
  }
  return std::nullopt;
}

} // namespace sendsync::tidy
