// sendsync-escape's fix: an explicit by-reference capture of a small,
// trivially copyable Send value that the thread may outlive becomes a
// by-value capture when the copy means the same (neither the thread nor the
// spawner, while the thread runs, writes it). Elsewhere the note says what
// to do and no fix is offered. The fixed file is checked too.
// RUN: %check_tidy %s --checks='-*,sendsync-escape' -- %cxxflags | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'
// RUN: cp %s %t.cpp
// RUN: %check_tidy %t.cpp --checks='-*,sendsync-escape' --fix -- %cxxflags > %t.out 2>&1 || true
// RUN: FileCheck %s --check-prefix=FIXED --input-file=%t.cpp

#include <cstdio>
#include <string>
#include <thread>

// Read only: the copy is the same value.
void read_only_fixed() {
  int id = 7;
  std::thread([&id] { std::printf("%d\n", id); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'id' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'id' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: join the thread before 'id' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // FIXED: {{^}}  std::thread([id] { std::printf("%d\n", id); }).detach();
}

// Spaces between `&` and the name go with it.
void spaced_fixed() {
  long limit = 10;
  double scale = 0.5;
  std::thread([& limit, &scale] { std::printf("%f\n", limit * scale); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: 'limit' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: 'limit' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:18: note: join the thread before 'limit' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // CHECK-MESSAGES: :[[@LINE-5]]:26: warning: 'scale' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-6]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-8]]:10: note: 'scale' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-8]]:26: note: join the thread before 'scale' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // FIXED: {{^}}  std::thread([limit, scale] { std::printf("%f\n", limit * scale); }).detach();
}

// The thread writes it: a copy would change what the program does.
void thread_writes_not_fixed() {
  int hits = 0;
  std::thread([&hits] { ++hits; }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'hits' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'hits' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: join the thread before 'hits' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // FIXED: {{^}}  std::thread([&hits] { ++hits; }).detach();
}

// The spawner writes it while the thread runs.
void spawner_writes_not_fixed() {
  int step = 1;
  std::thread([&step] { std::printf("%d\n", step); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'step' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'step' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: join the thread before 'step' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  step = 2;
  // FIXED: {{^}}  std::thread([&step] { std::printf("%d\n", step); }).detach();
}

// Not trivially copyable: copying a string costs and may throw; the note
// says what to do.
void string_not_fixed() {
  std::string name = "worker";
  std::thread([&name] { std::printf("%s\n", name.c_str()); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'name' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:15: note: 'name' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:17: note: join the thread before 'name' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // FIXED: {{^}}  std::thread([&name] { std::printf("%s\n", name.c_str()); }).detach();
}

// A default capture names nothing to rewrite.
void default_capture_not_fixed() {
  int id = 3;
  std::thread([&] { std::printf("%d\n", id); }).detach();
  // CHECK-MESSAGES: :[[@LINE-1]]:41: warning: 'id' is a local variable shared by reference with a thread that may outlive it: the thread is detached [sendsync-escape]
  // CHECK-MESSAGES: :[[@LINE-2]]:3: note: detached here
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'id' is destroyed at the end of its scope
  // CHECK-MESSAGES: :[[@LINE-4]]:41: note: join the thread before 'id' goes out of scope, capture it by value, or start the thread with a scoped spawn (sendsync::scope)
  // FIXED: {{^}}  std::thread([&] { std::printf("%d\n", id); }).detach();
}
