#pragma once
// libc++ declares the standard library in the inline namespace std::__1.
namespace std {
inline namespace __1 {
template <class T> class shared_ptr { T *p_; void *ctrl_; };
template <class T> class vector { T *b_, *e_, *c_; };
class mutex { long opaque_[5]; };
template <class M> class unique_lock { M *m_; bool owns_; };
template <class F, class... A> void async(F &&, A &&...) {}
class thread {
public:
  template <class F, class... A> explicit thread(F &&, A &&...) {}
  void join() {}
private:
  unsigned long id_;
};
} // namespace __1
} // namespace std
