// Incomplete types are unknown, not a crash and not a finding by default;
// ReportIncompleteTypes reports them, saying the type is incomplete.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags | count 0
// RUN: %check_tidy %s --checks='-*,sendsync-send' --config="{CheckOptions: {ReportIncompleteTypes: true}}" -- %cxxflags | FileCheck %s --check-prefix=CHECK-STRICT --implicit-check-not='{{warning|error|note}}:'

#include <memory>
#include <thread>

struct Opaque;
struct Impl;
struct Widget {
  Widget();
  Widget(Widget &&);
  ~Widget(); // defined where Impl is complete: the pimpl idiom
  std::unique_ptr<Impl> impl;
};

void opaque(Opaque *p, Widget w) {
  std::thread t([p, w = std::move(w)] {});
  // CHECK-STRICT: :[[@LINE-1]]:18: warning: capture 'p' may not be safe to send to another thread: type 'Opaque *' is not known to be Send [sendsync-send]
  // CHECK-STRICT: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-STRICT: :[[@LINE-3]]:18: note: 'Opaque *' is Send only if 'Opaque' is Send and Sync
  // CHECK-STRICT: :{{[0-9]+}}:8: note: 'Opaque' is incomplete in this translation unit, so whether it is Send is unknown
  // CHECK-STRICT: :[[@LINE-5]]:18: note: if 'Opaque' is in fact Send, list it in option 'SendTypes'
  // CHECK-STRICT: :[[@LINE-6]]:21: warning: capture 'w' may not be safe to send to another thread: type 'Widget' is not known to be Send [sendsync-send]
  // CHECK-STRICT: :[[@LINE-7]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-STRICT: :{{[0-9]+}}:25: note: field 'impl' has type 'std::unique_ptr<Impl>', which is Send only if 'Impl' is Send
  // CHECK-STRICT: :{{[0-9]+}}:8: note: 'Impl' is incomplete in this translation unit, so whether it is Send is unknown
  // CHECK-STRICT: :[[@LINE-10]]:21: note: if 'Impl' is in fact Send, list it in option 'SendTypes'
  t.join();
}
