// A third-party library header, included as a system header (-isystem).
#pragma once
#include <thread>
namespace thirdparty {
struct Connection {
  void *raw_socket;
  int *refcount;
};
struct Context { int fd; };
// Its own crossing: must never be reported in the user's lint.
inline void start_background(Connection c) {
  std::thread t([c] {});
  t.detach();
}
} // namespace thirdparty
