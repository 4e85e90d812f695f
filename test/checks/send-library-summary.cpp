// A class template of a header whose trait comes, through its private
// members, from one of its template arguments is explained by the bound
// that amounts to ("'BoxQueue<Token>' is Send only if 'Token' is Send"),
// not by a chain through members the user cannot act on. A template of the
// file itself is explained member by member.
// RUN: %check_tidy %s --checks='-*,sendsync-send' -- %cxxflags -I %S/Inputs/library | FileCheck %s --check-prefix=CHECK-MESSAGES --implicit-check-not='{{warning|error|note}}:'

#include <box_queue.h>
#include <sendsync/annotations.h>
#include <thread>
#include <utility>

struct SENDSYNC_NOT_SEND Token {
  int id;
};

void library_template_bad() {
  lib::BoxQueue<Token> q;
  std::thread t([q = std::move(q)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'q' cannot be sent to another thread: type 'lib::BoxQueue<Token>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-3]]:18: note: 'lib::BoxQueue<Token>' is Send only if 'Token' is Send
  // CHECK-MESSAGES: :[[@LINE-10]]:8: note: 'Token' is marked not Send here
  t.join();
}

struct Holder {
  lib::BoxQueue<Token> queue;
};

void library_template_in_field_bad() {
  Holder h;
  std::thread t([h = std::move(h)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'h' cannot be sent to another thread: type 'Holder' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-8]]:24: note: field 'queue' has type 'lib::BoxQueue<Token>', which is Send only if 'Token' is Send
  // CHECK-MESSAGES: :[[@LINE-24]]:8: note: 'Token' is marked not Send here
  t.join();
}

template <class T> struct LocalBox {
  T item;
};

void own_template_bad() {
  LocalBox<Token> b;
  std::thread t([b = std::move(b)] {});
  // CHECK-MESSAGES: :[[@LINE-1]]:18: warning: capture 'b' cannot be sent to another thread: type 'LocalBox<Token>' is not Send [sendsync-send]
  // CHECK-MESSAGES: :[[@LINE-2]]:15: note: required because 'std::thread' moves its callable and arguments to a new thread
  // CHECK-MESSAGES: :[[@LINE-8]]:5: note: field 'item' has type 'Token', which is not Send
  // CHECK-MESSAGES: :[[@LINE-38]]:8: note: 'Token' is marked not Send here
  t.join();
}

void library_template_ok() {
  lib::BoxQueue<int> q;
  q.push(1);
  std::thread t([q = std::move(q)] {});
  t.join();
}
