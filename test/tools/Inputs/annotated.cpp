// Uses every macro of annotations.h in the positions the docs give.
#include <sendsync/annotations.h>

class SENDSYNC_NOT_SEND Handle { public: int fd = 0; };
class SENDSYNC_NOT_SYNC Cell { public: int v = 0; };
class SENDSYNC_UNSAFE_SEND Raw { public: void *p = nullptr; };
class SENDSYNC_UNSAFE_SYNC Table { public: int *p = nullptr; };
class SENDSYNC_THREAD_SAFE Registry { public: int n = 0; };
template <class T> class SENDSYNC_SEND_IF("T: Send") Owner { public: T *p = nullptr; };
template <class T>
class SENDSYNC_SYNC_IF("T: Send") SENDSYNC_THREAD_SAFE_IF("T: Send") Locked {
public:
  T value{};
};
template <class F> void post(SENDSYNC_CROSSES_THREAD F &&f) { f(); }
template <class F> void run_scoped(SENDSYNC_CROSSES_THREAD_SCOPED F &&f) { f(); }

int main() {
  Handle h; Cell c; Raw r; Table t; Registry g; Owner<int> o; Locked<int> l;
  (void)h; (void)c; (void)r; (void)t; (void)g; (void)o; (void)l;
  post([] {});
  run_scoped([] {});
  return 0;
}
