//===- StdModel.cpp - the standard library's Send/Sync facts --------------===//

#include "Analysis/StdModel.h"
#include <utility>

using namespace llvm;

namespace sendsync {

static constexpr const char *ContainerRace =
    "concurrent non-const use of one object is a data race";

const ModelEntry *lookupModel(StringRef Name) {
  static const ModelEntry Container{Rule::AllArgs, Rule::AllArgs, Rule::No,
                                    nullptr, nullptr, ContainerRace};
  static const ModelEntry SharedOwner{Rule::FirstArgSendSync,
                                      Rule::FirstArgSendSync, Rule::No,
                                      nullptr, nullptr, ContainerRace};
  static const ModelEntry Borrow{Rule::FirstArgSync, Rule::FirstArgSync,
                                 Rule::No, nullptr, nullptr, ContainerRace};
  static const ModelEntry Synchronizer{Rule::Yes, Rule::Yes, Rule::Yes,
                                       nullptr, nullptr, nullptr};
  static const ModelEntry Guard{
      Rule::No, Rule::Yes, Rule::No,
      "a lock must be released by the thread that acquired it", nullptr,
      ContainerRace,
      "acquire the lock inside the new thread instead of passing it in"};
  static const ModelEntry Thread{Rule::Yes, Rule::Yes, Rule::No, nullptr,
                                 nullptr, ContainerRace};
  static const ModelEntry Future{
      Rule::FirstArgSend, Rule::No, Rule::No, nullptr,
      "one future may not be waited on from two threads at once",
      "one future may not be waited on from two threads at once",
      "use 'std::shared_future' to wait from several threads"};
  static const ModelEntry SharedFuture{Rule::FirstArgSendSync,
                                       Rule::FirstArgSendSync, Rule::No,
                                       nullptr, nullptr, ContainerRace};
  static const ModelEntry Erased{Rule::TypeErased, Rule::Yes, Rule::No,
                                 nullptr, nullptr, ContainerRace};
  // Its `mutable weak_ptr` is written once, when the first shared_ptr takes
  // the object, before anyone can share it; shared_from_this() only reads.
  static const ModelEntry SharedFromThis{Rule::Yes, Rule::Yes, Rule::Yes,
                                         nullptr, nullptr, nullptr};
  // A table rather than a StringSwitch, whose several-name Cases LLVM 22
  // deprecates.
  static const std::pair<StringRef, const ModelEntry *> Table[] = {
      {"vector", &Container},
      {"deque", &Container},
      {"list", &Container},
      {"forward_list", &Container},
      {"set", &Container},
      {"multiset", &Container},
      {"map", &Container},
      {"multimap", &Container},
      {"unordered_set", &Container},
      {"unordered_multiset", &Container},
      {"unordered_map", &Container},
      {"unordered_multimap", &Container},
      {"stack", &Container},
      {"queue", &Container},
      {"priority_queue", &Container},
      {"array", &Container},
      {"optional", &Container},
      {"variant", &Container},
      {"tuple", &Container},
      {"pair", &Container},
      {"basic_string", &Container},
      {"valarray", &Container},
      {"expected", &Container},
      {"flat_map", &Container},
      {"flat_set", &Container},
      {"flat_multimap", &Container},
      {"flat_multiset", &Container},
      {"unique_ptr", &Container},
      {"shared_ptr", &SharedOwner},
      {"weak_ptr", &SharedOwner},
      {"reference_wrapper", &Borrow},
      {"span", &Borrow},
      {"basic_string_view", &Borrow},
      {"atomic", &Synchronizer},
      {"atomic_ref", &Synchronizer},
      {"atomic_flag", &Synchronizer},
      {"mutex", &Synchronizer},
      {"recursive_mutex", &Synchronizer},
      {"timed_mutex", &Synchronizer},
      {"recursive_timed_mutex", &Synchronizer},
      {"shared_mutex", &Synchronizer},
      {"shared_timed_mutex", &Synchronizer},
      {"condition_variable", &Synchronizer},
      {"condition_variable_any", &Synchronizer},
      {"once_flag", &Synchronizer},
      {"latch", &Synchronizer},
      {"barrier", &Synchronizer},
      {"counting_semaphore", &Synchronizer},
      {"stop_source", &Synchronizer},
      {"stop_token", &Synchronizer},
      {"lock_guard", &Guard},
      {"unique_lock", &Guard},
      {"shared_lock", &Guard},
      {"scoped_lock", &Guard},
      {"thread", &Thread},
      {"jthread", &Thread},
      {"future", &Future},
      {"promise", &Future},
      {"packaged_task", &Future},
      {"shared_future", &SharedFuture},
      {"enable_shared_from_this", &SharedFromThis},
      {"function", &Erased},
      {"move_only_function", &Erased},
      {"copyable_function", &Erased},
      {"any", &Erased},
  };
  for (const auto &[Key, Entry] : Table)
    if (Key == Name)
      return Entry;
  return nullptr;
}

} // namespace sendsync
