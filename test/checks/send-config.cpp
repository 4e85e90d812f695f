// Configuration: type lists (with wildcards), crossing functions, and the
// type-erased wrappers switch. Third-party types in system headers get a
// configuration hint; crossings inside system headers are never reported.
// RUN: %check_tidy %s --checks='-*,sendsync-send' --config="{CheckOptions: {NotSendTypes: 'thirdparty::Conn*;legacy::*', SendTypes: 'mylib::Vouched', NotSyncTypes: 'mylib::Cell', CrossingFunctions: 'mylib::post:1;mylib::Loop::defer:0', ScopedCrossingFunctions: 'mylib::parallel_for:2', TypeErasedWrappersAreSend: 'false'}}" -- %cxxflags -isystem %S/Inputs/system | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <any>
#include <functional>
#include <memory>
#include <thread>
#include <thirdparty/conn.h>

#include <sendsync/annotations.h>

namespace legacy { struct Thing { int v; }; }
namespace mylib {
class SENDSYNC_NOT_SEND Vouched { int v; }; // the annotation wins over config
struct Cell { int v; };
struct Executor {};
template <class F> void post(Executor &, F f) { (void)f; }
template <class F> void parallel_for(int, int, F f) { (void)f; }
struct Loop { template <class F> void defer(F f) { (void)f; } };
} // namespace mylib

void type_lists(thirdparty::Connection c, legacy::Thing t, mylib::Vouched v,
                std::shared_ptr<mylib::Cell> cell, thirdparty::Context ctx) {
  std::thread t1([c, t, v, cell, ctx] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: capture 'c' cannot be sent to another thread: type 'thirdparty::Connection' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:19: note: 'thirdparty::Connection' is not Send: option 'NotSendTypes' lists 'thirdparty::Conn*'
  // CHECK-MESSAGES: :[[@LINE-4]]:22: warning: capture 't' cannot be sent to another thread: type 'legacy::Thing' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-6]]:22: note: 'legacy::Thing' is not Send: option 'NotSendTypes' lists 'legacy::*'
  // CHECK-MESSAGES: :[[@LINE-7]]:25: warning: capture 'v' cannot be sent to another thread: type 'mylib::Vouched' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-8]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-19]]:7: note: 'mylib::Vouched' is marked not Send here
  // CHECK-MESSAGES: :[[@LINE-10]]:28: warning: capture 'cell' cannot be sent to another thread: type 'std::shared_ptr<mylib::Cell>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-11]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-12]]:28: note: 'std::shared_ptr<mylib::Cell>' is Send only if 'mylib::Cell' is Send and Sync
  // CHECK-MESSAGES: :[[@LINE-13]]:28: note: 'mylib::Cell' is not Sync: option 'NotSyncTypes' lists 'mylib::Cell'
  t1.join();
}

void crossing_functions(mylib::Executor &ex, mylib::Loop &loop,
                        legacy::Thing t) {
  mylib::post(ex, [t] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: capture 't' cannot be sent to another thread: type 'legacy::Thing' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-28]]:44: note: required by this parameter of 'mylib::post', which runs its argument on another thread (option CrossingFunctions)
  // CHECK-MESSAGES: :[[@LINE-3]]:20: note: 'legacy::Thing' is not Send: option 'NotSendTypes' lists 'legacy::*'
  mylib::parallel_for(0, 10, [t] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:31: warning: capture 't' cannot be sent to another thread: type 'legacy::Thing' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-31]]:50: note: required by this parameter of 'mylib::parallel_for', which runs its argument on another thread (option ScopedCrossingFunctions)
  // CHECK-MESSAGES: :[[@LINE-3]]:31: note: 'legacy::Thing' is not Send: option 'NotSendTypes' lists 'legacy::*'
  loop.defer([t] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: capture 't' cannot be sent to another thread: type 'legacy::Thing' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-34]]:47: note: required by this parameter of 'mylib::Loop::defer', which runs its argument on another thread (option CrossingFunctions)
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'legacy::Thing' is not Send: option 'NotSendTypes' lists 'legacy::*'
}

void erased() {
  std::function<void()> fn = [] {};
  std::any any = 1;
  std::thread t([fn, any] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'fn' cannot be sent to another thread: type 'std::function<void ()>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:18: note: 'std::function<void ()>' is not Send: its target type is erased, and option 'TypeErasedWrappersAreSend' is false
  // CHECK-MESSAGES: :[[@LINE-4]]:22: warning: capture 'any' cannot be sent to another thread: type 'std::any' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-5]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-6]]:22: note: 'std::any' is not Send: its target type is erased, and option 'TypeErasedWrappersAreSend' is false
  t.join();
}
