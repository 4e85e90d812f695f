//===- StdModel.cpp - the standard library's Send/Sync facts --------------===//

#include "Analysis/StdModel.h"
#include "llvm/ADT/StringSwitch.h"

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
  return StringSwitch<const ModelEntry *>(Name)
      .Cases("vector", "deque", "list", "forward_list", &Container)
      .Cases("set", "multiset", "map", "multimap", &Container)
      .Cases("unordered_set", "unordered_multiset", "unordered_map",
             "unordered_multimap", &Container)
      .Cases("stack", "queue", "priority_queue", "array", &Container)
      .Cases("optional", "variant", "tuple", "pair", &Container)
      .Cases("basic_string", "valarray", "expected", &Container)
      .Cases("flat_map", "flat_set", "flat_multimap", "flat_multiset",
             &Container)
      .Case("unique_ptr", &Container)
      .Cases("shared_ptr", "weak_ptr", &SharedOwner)
      .Cases("reference_wrapper", "span", "basic_string_view", &Borrow)
      .Cases("atomic", "atomic_ref", "atomic_flag", &Synchronizer)
      .Cases("mutex", "recursive_mutex", "timed_mutex",
             "recursive_timed_mutex", &Synchronizer)
      .Cases("shared_mutex", "shared_timed_mutex", &Synchronizer)
      .Cases("condition_variable", "condition_variable_any", "once_flag",
             &Synchronizer)
      .Cases("latch", "barrier", "counting_semaphore", &Synchronizer)
      .Cases("stop_source", "stop_token", &Synchronizer)
      .Cases("lock_guard", "unique_lock", "shared_lock", "scoped_lock",
             &Guard)
      .Cases("thread", "jthread", &Thread)
      .Cases("future", "promise", "packaged_task", &Future)
      .Case("shared_future", &SharedFuture)
      .Case("enable_shared_from_this", &SharedFromThis)
      .Cases("function", "move_only_function", "copyable_function", "any",
             &Erased)
      .Default(nullptr);
}

} // namespace sendsync
