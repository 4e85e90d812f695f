//===- Workers.cpp - the processes that analyse the files -----------------===//

#include "Workers.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <thread>
#include <vector>

using namespace llvm;

namespace sendsync::tidy {

int runProcess(StringRef Program, ArrayRef<std::string> Args, StringRef Stdout,
               StringRef Stderr, std::string &Why) {
  std::vector<StringRef> Refs(Args.begin(), Args.end());
  std::optional<StringRef> Redirects[] = {StringRef(""), Stdout, Stderr};
  return sys::ExecuteAndWait(Program, Refs, std::nullopt, Redirects, 0, 0,
                             &Why);
}

std::string readFile(StringRef Path) {
  auto Buffer = MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : std::string();
}

std::string tail(StringRef Text, unsigned Lines) {
  SmallVector<StringRef> All;
  Text.rtrim().split(All, '\n');
  std::string Out;
  for (size_t I = All.size() > Lines ? All.size() - Lines : 0; I < All.size();
       ++I)
    Out += "  " + All[I].str() + "\n";
  return Out;
}

void forEachInParallel(size_t Count, unsigned Threads,
                       function_ref<void(size_t)> Fn) {
  // Each thread takes the next index from one counter: a slow file holds up
  // one thread, not a preassigned share of the others.
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    for (size_t I; (I = Next++) < Count;)
      Fn(I);
  };
  Threads = std::max<size_t>(1, std::min<size_t>(Threads, Count));
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &T : Pool)
    T.join();
}

Progress::Progress(size_t Total, bool Force, bool Quiet) : Total(Total) {
  Terminal = sys::Process::StandardErrIsDisplayed();
  Show = Force || (Terminal && !Quiet);
}

void Progress::done(StringRef File) {
  if (!Show)
    return;
  std::lock_guard<std::mutex> Guard(Lock);
  ++Done;
  std::string Count =
      "[" + std::to_string(Done) + "/" + std::to_string(Total) + "] ";
  std::string Line = Count + File.str();
  if (!Terminal) {
    errs() << Line << "\n";
    errs().flush();
    return;
  }
  // One line, rewritten in place, cut to the terminal's width by shortening
  // the path from the left: its end names the file.
  unsigned Columns = sys::Process::StandardErrColumns();
  unsigned Width = std::max(40u, Columns ? Columns : 80u);
  if (Line.size() >= Width)
    Line = Count + "..." + File.take_back(Width - 1 - Count.size() - 3).str();
  errs() << "\r" << Line << std::string(Width - 1 - Line.size(), ' ');
  if (Done == Total)
    errs() << "\r" << std::string(Width - 1, ' ') << "\r";
  errs().flush();
}

} // namespace sendsync::tidy
