// A library's container, as a header would ship it: its verdict comes from
// its element type, through members the user never names.
#pragma once
#include <memory>

namespace lib {
template <class T> class BoxQueue {
  struct Node {
    T value;
    std::unique_ptr<Node> next;
  };
  std::unique_ptr<Node> head_;

public:
  void push(T v) { head_.reset(new Node{std::move(v), std::move(head_)}); }
};
} // namespace lib
