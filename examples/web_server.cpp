// A small concurrent HTTP/1.1 server on the sendsync runtime.
//
//   example_web_server [--port N] [--threads N] [--max-connections N]
//                      [--head-timeout-ms N] [--body-timeout-ms N]
//                      [--idle-timeout-ms N] [--write-timeout-ms N]
//                      [--shutdown-timeout-ms N] [--linger-us N]
//
// It listens on 127.0.0.1 (port 8080 by default; 0 picks a free one) and
// prints "listening on 127.0.0.1:PORT". Routes:
//   GET  /        a greeting
//   GET  /stats   how many requests were answered, in total and by status
//   POST /echo    the request body
// Bad input gets an answer, never a crash or a stall: 400 for a malformed
// request, 431 for a head over 8 KiB, 413 for a body over 1 MiB, 408 for a
// request not received within its deadline, 404 for an unknown path, 503 for
// a connection over the cap. examples/web_server/README.md lists the options,
// their defaults and what each deadline measures.
//
// How the threads divide the work:
//   - the event loop (the main thread) owns every connection that is waiting
//     for its client: accepted and not yet sending, reading a request head or
//     body, idle between keep-alive requests, or taking a response the client
//     reads slowly. It watches them all with one epoll set, reads whatever
//     arrives, and enforces the deadlines;
//   - only a connection with a whole request buffered (or an error to answer,
//     such as an expired deadline) goes to a sendsync::ThreadPool worker,
//     moved into the task: a worker never waits for a client (beyond the
//     --linger-us below), so a thousand silent or byte-a-second clients cost
//     descriptors and memory, not workers;
//   - the worker answers every request buffered on its connection, sends
//     what the socket takes without blocking, and moves the connection back
//     to the loop through a sendsync::channel, waking it with an eventfd.
//     If no other connection waits for a worker, it first waits up to
//     --linger-us (50 us) for the keep-alive client's next request, which
//     saves a round trip through the loop per request on a busy connection;
//   - the hit counter is a sendsync::Mutex<Stats>, the only state the tasks
//     share besides the channel;
//   - the signal handler only sets an atomic flag and writes the eventfd, the
//     two things a handler can safely do.
// Everything a task needs travels into it by value: the connection (a moved
// unique_ptr) and a shared_ptr to the server's shared state, which is Sync.
// That is what sendsync-send checks at ThreadPool::execute.
//
// Out of descriptors (accept4 fails with EMFILE or ENFILE) the loop closes a
// descriptor it keeps in reserve, accepts the waiting client, closes it at
// once and reopens the reserve: the backlog drains instead of the listener
// reporting "readable" forever, which would spin a core. It says so once, on
// stderr. If the reserve cannot be reopened, it stops accepting for 100 ms.
//
// SIGINT or SIGTERM stops it gracefully: it accepts the connections already
// waiting in the kernel's backlog, closes the listening socket, answers every
// request already received (with "Connection: close"), gives a request head
// in progress 200 ms and a body its deadline, closes idle connections, then
// prints the count and exits 0 -- at the latest when --shutdown-timeout-ms
// has passed.
//
// examples/web_server/test_web_server.py and test_slow_clients.py drive it on
// loopback (ctest runs both).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <sendsync/channel.h>
#include <sendsync/mutex.h>
#include <sendsync/thread_pool.h>

#include "web_server/http.h"

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ---------------------------------------------------------------------------
// Shutdown and wake-ups: a flag and an eventfd
// ---------------------------------------------------------------------------

// Set once SIGINT or SIGTERM arrives. A lock-free atomic is safe to store
// from a signal handler, and every thread may read it.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// The eventfd that wakes the event loop's epoll_wait: written by the signal
// handler and by workers handing a connection back. Set once in main, before
// the signal handler is installed and any thread starts.
int wake_fd = -1;

void wake_loop() noexcept {
  // Nonblocking: if the counter is somehow full, a wake-up is pending anyway.
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t written = ::write(wake_fd, &one, sizeof one);
}

void on_stop_signal(int) {
  int saved_errno = errno;  // write() may change it under the interrupted code
  stop_requested.store(true);
  wake_loop();
  errno = saved_errno;
}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

struct Options {
  std::uint16_t port = 8080;
  std::size_t threads = 4;
  // Open client connections at most; one more gets a 503 and is closed.
  std::size_t max_connections = 1024;
  // From the accept (or, on a keep-alive connection, from the first byte of
  // the next request) to the blank line that ends the request head.
  milliseconds head_timeout{10000};
  // From the end of the head to the last byte of the body.
  milliseconds body_timeout{10000};
  // A keep-alive connection waiting for its next request.
  milliseconds idle_timeout{5000};
  // A response the client does not read.
  milliseconds write_timeout{10000};
  // From SIGTERM to exit, whatever is still in progress.
  milliseconds shutdown_timeout{5000};
  // How long a worker that has just answered on a keep-alive connection
  // waits for the next request before handing the connection back, and only
  // while no other connection waits for a worker (0: never).
  std::chrono::microseconds linger{50};
};

// After an error the client may still be sending (say, the body we refused).
// Closing a socket with unread input resets the connection, which can destroy
// the response before the client reads it; so the loop stops writing and
// discards input this long (or this much), until the client closes.
constexpr milliseconds linger_after_error{500};
constexpr std::size_t max_discard_bytes = 2 * http::max_body_bytes;
// On shutdown, a connection that has not sent a whole request head (and is
// not idle between keep-alive requests) gets this long to finish it: a client
// that connected just before the signal is answered, a slow one is not waited
// for. One that has sent a head gets its body deadline.
constexpr milliseconds head_grace_on_stop{200};
// How often the loop looks for expired deadlines.
constexpr milliseconds sweep_interval{50};

// ---------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------

// Owns a file descriptor and closes it. A descriptor may be used from any
// thread, so an Fd may be moved to one (it is Send).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }

  int get() const noexcept { return fd_; }
  void reset() noexcept {
    if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  }

 private:
  int fd_ = -1;
};

// What a connection waits for.
enum class Phase {
  head,      // the head of the next request (none of it yet if `in` is empty)
  body,      // the body of a request whose head is parsed
  ready,     // nothing: a whole request or an error is buffered (a worker's)
  writing,   // the client to take the rest of `out`
  draining,  // the client to close, after an error
};

// What follows once a response is sent.
enum class After { next_request, close, drain };

// A client connection. The loop and a worker never hold it at once: it moves
// between them inside a unique_ptr, through ThreadPool::execute one way and a
// channel the other.
struct Connection {
  Fd socket;
  std::string in;   // received, not yet answered (a client may pipeline)
  std::string out;  // responses not yet sent
  Phase phase = Phase::head;
  After after = After::next_request;
  std::optional<http::Request> request;  // the parsed head, in phase body/ready
  std::size_t head_bytes = 0;            // how much of `in` that head took
  int error_status = 0;                  // phase ready without a request
  Clock::time_point deadline;            // of the current phase
  bool idle = false;      // keep-alive, no byte of the next request yet
  std::size_t discarded = 0;  // phase draining
};

// Moves `c` on from phase head to body to ready as far as its buffered bytes
// go; true once a request, or an error to answer, is complete. Both the loop
// (after reading) and a worker (for pipelined requests) call it.
bool advance(Connection& c, Clock::time_point now, const Options& options) {
  auto fail = [&c](int status) {
    c.phase = Phase::ready;
    c.error_status = status;
    return true;
  };
  if (c.phase == Phase::head) {
    c.in.erase(0, http::leading_empty_lines(c.in));
    std::size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos)
      return c.in.size() > http::max_head_bytes ? fail(431) : false;
    if (end > http::max_head_bytes) return fail(431);
    http::ParseResult parsed =
        http::parse_head(std::string_view(c.in).substr(0, end));
    if (!parsed.request) return fail(parsed.error_status);
    if (parsed.request->chunked) return fail(501);
    c.request = std::move(parsed.request);
    c.head_bytes = end + 4;
    c.phase = Phase::body;
    c.deadline = now + options.body_timeout;
  }
  if (c.phase == Phase::body &&
      c.in.size() - c.head_bytes >= c.request->content_length) {
    c.phase = Phase::ready;
    return true;
  }
  return false;
}

// Sends as much of `c.out` as the socket takes without blocking. False if
// the client is gone (what was not sent is dropped).
bool send_some(Connection& c) {
  std::size_t done = 0;
  while (done < c.out.size()) {
    // MSG_NOSIGNAL: a client that hung up gives EPIPE, not a SIGPIPE that
    // would kill the server.
    ssize_t n = ::send(c.socket.get(), c.out.data() + done, c.out.size() - done,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else {
      c.out.clear();
      return false;
    }
  }
  c.out.erase(0, done);
  return true;
}

struct Stats {
  std::uint64_t requests = 0;
  std::map<int, std::uint64_t> by_status;
};

// What the loop and the workers share. Tasks hold it through a shared_ptr: a
// pool task may, as far as the compiler can tell, outlive any local of main.
struct Server {
  Server(Options o, sendsync::Sender<std::unique_ptr<Connection>> back)
      : options(o), returns(std::move(back)) {}

  const Options options;
  sendsync::Mutex<Stats> stats;
  // Where a worker hands a connection back once it has answered every
  // request buffered on it.
  const sendsync::Sender<std::unique_ptr<Connection>> returns;
  // Whether a wake-up of the loop is already on its way: under load most
  // hand-backs then skip the eventfd write (see EventLoop::collect_returned).
  std::atomic<bool> wake_pending{false};
  // Connections handed to the pool whose task has not started yet: a worker
  // lingers on its keep-alive connection only while this is 0.
  std::atomic<std::size_t> waiting_tasks{0};
};

// ---------------------------------------------------------------------------
// Answering (on a pool worker)
// ---------------------------------------------------------------------------

struct Response {
  int status = 200;
  std::string body;
  std::string extra_headers;
  bool is_stats = false;  // the body is filled in when the request is counted
};

Response route(const http::Request& req) {
  std::string_view path = req.target;
  path = path.substr(0, path.find('?'));
  auto only = [&req](std::string_view method) -> std::optional<Response> {
    if (req.method == method) return std::nullopt;
    return Response{405, "method not allowed\n",
                    "Allow: " + std::string(method) + "\r\n"};
  };
  if (path == "/") {
    if (auto refused = only("GET")) return *refused;
    return {200, "hello from sendsync\n", ""};
  }
  if (path == "/stats") {
    if (auto refused = only("GET")) return *refused;
    return {200, "", "", true};
  }
  if (path == "/echo") {
    if (auto refused = only("POST")) return *refused;
    return {200, req.body, ""};
  }
  return {404, "not found: " + std::string(path) + '\n', ""};
}

std::string format_stats(const Stats& stats) {
  std::string out = "requests: " + std::to_string(stats.requests) + '\n';
  for (auto [status, count] : stats.by_status)
    out += "status " + std::to_string(status) + ": " + std::to_string(count) + '\n';
  return out;
}

// Answers the request (or error) complete on `c`: appends the response to
// `c.out`, drops the request's bytes from `c.in`, and says what comes next.
void answer(Server& server, Connection& c) {
  Response res;
  if (c.request) {
    http::Request& req = *c.request;
    req.body.assign(c.in, c.head_bytes, req.content_length);
    c.in.erase(0, c.head_bytes + req.content_length);
    res = route(req);
  } else {
    res = {c.error_status, std::string(http::reason(c.error_status)) + '\n', "",
           false};
    c.in.clear();  // after an error the rest of the stream cannot be trusted
  }
  // Keep the connection only after a well-formed request, and not once the
  // server is stopping.
  bool keep_alive = c.request && c.request->keep_alive && !stop_requested.load();
  {
    auto stats = server.stats.lock();
    ++stats->requests;
    ++stats->by_status[res.status];
    if (res.is_stats) res.body = format_stats(*stats);  // counts itself
  }
  c.out += http::format_response(res.status, res.body, keep_alive,
                                 res.extra_headers);
  c.after = !c.request ? After::drain
            : keep_alive ? After::next_request
                         : After::close;
  c.request.reset();
  c.error_status = 0;
  c.phase = Phase::head;
}

// After a response is sent in full on a keep-alive connection, waits up to
// --linger-us for the next request, unless another connection waits for a
// worker. True if a whole request arrived. A client that keeps its
// connection busy then costs no round trip through the loop per request (a
// handoff each way, an eventfd write, two epoll events); one that does not
// costs the worker at most the linger, and never while others wait.
bool linger(Server& server, Connection& c) {
  if (server.options.linger.count() == 0 || c.after != After::next_request ||
      !c.out.empty() || !c.in.empty() || stop_requested.load() ||
      server.waiting_tasks.load(std::memory_order_relaxed) != 0)
    return false;
  pollfd p{c.socket.get(), POLLIN, 0};
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(server.options.linger);
  timespec wait{0, static_cast<long>(ns.count())};
  if (::ppoll(&p, 1, &wait, nullptr) != 1) return false;
  char chunk[16 * 1024];
  ssize_t n = ::recv(c.socket.get(), chunk, sizeof chunk, MSG_DONTWAIT);
  if (n <= 0) return false;  // the loop sees the close (or error) too
  c.in.append(chunk, static_cast<std::size_t>(n));
  return advance(c, Clock::now(), server.options);
}

// A pool task: answers every request buffered on the connection (pipelined
// ones included), sends what the socket takes now, and hands the connection
// back to the loop, which sends the rest and waits for the next request.
void serve(const std::shared_ptr<Server>& server,
           std::unique_ptr<Connection> conn) {
  server->waiting_tasks.fetch_sub(1, std::memory_order_relaxed);
  Connection& c = *conn;
  do {
    do {
      answer(*server, c);
    } while (c.after == After::next_request &&
             advance(c, Clock::now(), server->options));
    if (!send_some(c)) c.after = After::close;
  } while (linger(*server, c));
  // If the loop is gone (shutting down past its deadline), the connection
  // comes back in the error and is closed with it.
  if (auto sent = server->returns.send(std::move(conn));
      sent && !server->wake_pending.exchange(true, std::memory_order_acq_rel))
    wake_loop();
}

// ---------------------------------------------------------------------------
// The event loop
// ---------------------------------------------------------------------------

class EventLoop {
 public:
  // `wake` is the eventfd of wake_loop(), which the caller owns: workers
  // and the signal handler may still write it after the loop is gone.
  EventLoop(std::shared_ptr<Server> server, sendsync::ThreadPool& pool,
            Fd listener, int wake,
            sendsync::Receiver<std::unique_ptr<Connection>> returned)
      : server_(std::move(server)),
        options_(server_->options),
        pool_(pool),
        listener_(std::move(listener)),
        wake_(wake),
        returned_(std::move(returned)),
        epoll_(::epoll_create1(EPOLL_CLOEXEC)),
        reserve_(open_reserve()),
        scratch_(64 * 1024) {}

  // False if the epoll set cannot be set up.
  bool init() {
    if (epoll_.get() < 0) return false;
    return watch(wake_, EPOLLIN) && watch(listener_.get(), EPOLLIN);
  }

  // Serves until a stop signal, then shuts down (see the file comment).
  void run() {
    std::vector<epoll_event> events(256);
    auto next_sweep = Clock::now() + sweep_interval;
    for (;;) {
      auto now = Clock::now();
      if (!stopping_ && stop_requested.load()) begin_shutdown(now);
      if (stopping_ && (conns_.empty() || now >= shutdown_deadline_)) break;

      auto wake_at = next_sweep;
      if (accept_paused_) wake_at = std::min(wake_at, accept_resume_);
      if (stopping_) wake_at = std::min(wake_at, shutdown_deadline_);
      auto wait = std::chrono::ceil<milliseconds>(wake_at - now);
      int n = ::epoll_wait(epoll_.get(), events.data(),
                           static_cast<int>(events.size()),
                           static_cast<int>(std::max<std::int64_t>(wait.count(), 0)));
      if (n < 0 && errno != EINTR) {
        std::perror("epoll_wait");
        break;
      }
      now = Clock::now();
      for (int i = 0; i < n; ++i) {
        int fd = events[static_cast<std::size_t>(i)].data.fd;
        if (fd == wake_) {
          std::uint64_t count;
          [[maybe_unused]] ssize_t r = ::read(wake_, &count, sizeof count);
        } else if (fd == listener_.get()) {
          accept_all(now);
        } else {
          drive(fd, now);
        }
      }
      collect_returned(now);
      if (accept_paused_ && now >= accept_resume_) resume_accepting();
      if (now >= next_sweep || stopping_) {
        sweep(now);
        next_sweep = now + sweep_interval;
      }
    }
    // Past the deadline: what is left is closed as the loop's members go.
  }

  std::uint64_t shed() const { return shed_; }
  std::uint64_t refused() const { return refused_; }

 private:
  static Fd open_reserve() { return Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); }

  bool watch(int fd, std::uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    return ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) == 0;
  }

  // --- accepting -----------------------------------------------------------

  void accept_all(Clock::time_point now) {
    while (listener_.get() >= 0 && !accept_paused_) {
      int fd = ::accept4(listener_.get(), nullptr, nullptr,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        admit(Fd(fd), now);
        continue;
      }
      switch (errno) {
        case EAGAIN:
          return;  // the backlog is empty
        case EINTR:
        case ECONNABORTED:
        case EPROTO:
          continue;  // that client is gone; the next may be waiting
        case EMFILE:
        case ENFILE:
          if (!shed_one(errno, now)) return;
          continue;
        default:  // ENOBUFS, ENOMEM: wait for memory rather than spin
          pause_accepting(now);
          return;
      }
    }
  }

  // Out of descriptors: accepts the next waiting client on the reserve's
  // descriptor and closes it at once, so that it gets an immediate close
  // rather than a hang, and the listener does not stay readable. False when
  // there is nothing more to do now.
  bool shed_one(int error, Clock::time_point now) {
    if (!reported_out_of_fds_) {
      reported_out_of_fds_ = true;
      std::cerr << "web server: out of file descriptors (" << std::strerror(error)
                << "): closing new connections at once until some close "
                   "(reported once)"
                << std::endl;
    }
    if (reserve_.get() < 0) reserve_ = open_reserve();
    if (reserve_.get() < 0) {
      pause_accepting(now);
      return false;
    }
    reserve_.reset();
    int fd = ::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    int accept_errno = errno;
    if (fd >= 0) {
      ::close(fd);
      ++shed_;
    }
    reserve_ = open_reserve();
    if (fd >= 0) return true;
    if (accept_errno != EAGAIN) pause_accepting(now);
    return false;
  }

  void pause_accepting(Clock::time_point now) {
    if (listener_.get() < 0) return;
    epoll_event ev{};
    ev.data.fd = listener_.get();
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, listener_.get(), &ev);
    accept_paused_ = true;
    accept_resume_ = now + milliseconds(100);
  }

  void resume_accepting() {
    accept_paused_ = false;
    if (listener_.get() < 0) return;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listener_.get();
    ::epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, listener_.get(), &ev);
  }

  void admit(Fd fd, Clock::time_point now) {
    if (conns_.size() >= options_.max_connections) {
      // Best effort: the socket buffer of a new connection takes this at once.
      static const std::string busy =
          http::format_response(503, "too many connections\n", false);
      [[maybe_unused]] ssize_t n =
          ::send(fd.get(), busy.data(), busy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ++refused_;
      return;
    }
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // Edge-triggered, both directions, for the connection's whole life: no
    // epoll_ctl when it moves to a worker and back. Edges that fire while a
    // worker has it are ignored, and the loop reads (or writes) once when it
    // comes back, so none is lost.
    if (!watch(fd.get(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET)) return;
    auto c = std::make_unique<Connection>();
    c->deadline = now + options_.head_timeout;
    c->socket = std::move(fd);
    int key = c->socket.get();
    conns_.emplace(key, std::move(c));
  }

  // --- connections ---------------------------------------------------------

  using Slot = std::unordered_map<int, std::unique_ptr<Connection>>::iterator;

  // Does all the I/O connection `fd` allows now (edge-triggered: until the
  // socket would block).
  void drive(int fd, Clock::time_point now) {
    auto it = conns_.find(fd);
    if (it == conns_.end() || !it->second) return;  // a worker has it
    drive(it, now);
  }

  void drive(Slot it, Clock::time_point now) {
    Connection& c = *it->second;
    for (;;) {
      switch (c.phase) {
        case Phase::writing:
          if (!send_some(c)) return close(it);
          if (!c.out.empty()) return;  // wait for EPOLLOUT
          if (!after_response(c, now)) return close(it);
          continue;
        case Phase::head:
        case Phase::body: {
          ssize_t n = receive(c);
          if (n == 0) return close(it);
          if (n < 0) return;
          if (c.idle && !c.in.empty()) {
            // The next request's first bytes: its head deadline starts now.
            c.idle = false;
            c.deadline = now + options_.head_timeout;
          }
          if (advance(c, now, options_)) return dispatch(it);
          continue;
        }
        case Phase::draining: {
          ssize_t n = receive(c);
          if (n < 0) return;
          c.discarded += c.in.size();
          c.in.clear();
          if (n == 0 || c.discarded > max_discard_bytes) return close(it);
          continue;
        }
        case Phase::ready:
          return;  // unreachable: a ready connection is with a worker
      }
    }
  }

  // Reads one chunk into `c.in`: its size, 0 if the client closed (or reset
  // the connection), -1 if nothing is there now.
  ssize_t receive(Connection& c) {
    for (;;) {
      ssize_t n = ::recv(c.socket.get(), scratch_.data(), scratch_.size(), 0);
      if (n > 0) {
        c.in.append(scratch_.data(), static_cast<std::size_t>(n));
        return n;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return -1;
      return 0;
    }
  }

  // A response is sent: moves `c` on to what follows. False to close it.
  bool after_response(Connection& c, Clock::time_point now) {
    switch (c.after) {
      case After::close:
        return false;
      case After::drain:
        ::shutdown(c.socket.get(), SHUT_WR);
        c.phase = Phase::draining;
        c.deadline = now + linger_after_error;
        return true;
      case After::next_request:
        break;
    }
    if (c.request) {
      c.phase = Phase::body;  // a pipelined request's body is on its way
      c.deadline = now + options_.body_timeout;
    } else if (c.in.empty()) {
      // Idle. While stopping, the sweep closes it, but only after the loop
      // has read it once more: a request sent while a worker had the
      // connection is already received.
      c.phase = Phase::head;
      c.idle = true;
      c.deadline = now + options_.idle_timeout;
    } else {
      c.phase = Phase::head;
      c.deadline = now + options_.head_timeout;
    }
    return true;
  }

  void dispatch(Slot it) {
    // Everything the task needs moves into it: the connection and a
    // reference-counted handle on the shared state. The slot stays, empty,
    // until the connection comes back.
    server_->waiting_tasks.fetch_add(1, std::memory_order_relaxed);
    pool_.execute([server = server_, conn = std::move(it->second)]() mutable {
      serve(server, std::move(conn));
    });
  }

  void close(Slot it) { conns_.erase(it); }  // ~Fd closes; epoll forgets it

  // Takes back the connections the workers are done with.
  void collect_returned(Clock::time_point now) {
    // Clear the flag before draining: a worker that hands a connection back
    // after this either sees it clear and writes the eventfd, or sees it set
    // by a later worker that does. The exchange acquires what every worker
    // that set it sent before.
    server_->wake_pending.exchange(false, std::memory_order_acq_rel);
    while (auto back = returned_.try_recv()) {
      std::unique_ptr<Connection> conn = std::move(*back);
      auto it = conns_.find(conn->socket.get());
      if (it == conns_.end()) continue;  // unreachable: its slot waits for it
      it->second = std::move(conn);
      Connection& c = *it->second;
      if (!c.out.empty()) {
        c.phase = Phase::writing;
        c.deadline = now + options_.write_timeout;
      } else if (!after_response(c, now)) {
        close(it);
        continue;
      }
      drive(it, now);  // what arrived (or drained) while a worker had it
    }
  }

  // Acts on expired deadlines, and while stopping, closes idle connections.
  void sweep(Clock::time_point now) {
    std::vector<int> expired;
    for (auto& [fd, c] : conns_) {
      if (!c) continue;
      // Stopping: an idle keep-alive connection goes at once; one that has
      // not sent a whole request head gets a short grace to finish it.
      bool stopped = stopping_ && c->phase == Phase::head &&
                     (c->idle || now >= stop_started_ + head_grace_on_stop);
      if (c->deadline <= now || stopped) expired.push_back(fd);
    }
    for (int fd : expired) {
      auto it = conns_.find(fd);
      Connection& c = *it->second;
      bool started = (c.phase == Phase::head && !c.in.empty()) || c.phase == Phase::body;
      if (started) {
        // A request began but did not arrive in time: 408, from a worker.
        c.phase = Phase::ready;
        c.request.reset();
        c.error_status = 408;
        dispatch(it);
      } else {
        close(it);  // silent, idle, not reading its response, or done draining
      }
    }
  }

  void begin_shutdown(Clock::time_point now) {
    stopping_ = true;
    stop_started_ = now;
    shutdown_deadline_ = now + options_.shutdown_timeout;
    // The connections the kernel completed before the signal are clients
    // like any other: take them, then refuse new ones.
    accept_paused_ = false;
    accept_all(now);
    listener_.reset();
    // Whatever arrived on idle connections is a request already received.
    std::vector<int> fds;
    for (auto& [fd, c] : conns_)
      if (c) fds.push_back(fd);
    for (int fd : fds) drive(fd, now);
  }

  const std::shared_ptr<Server> server_;
  const Options& options_;
  sendsync::ThreadPool& pool_;
  Fd listener_;
  const int wake_;
  sendsync::Receiver<std::unique_ptr<Connection>> returned_;
  Fd epoll_;
  Fd reserve_;  // a spare descriptor, closed to accept one client when out of them
  std::vector<char> scratch_;
  // Every open client connection by descriptor; empty while a worker has it.
  std::unordered_map<int, std::unique_ptr<Connection>> conns_;
  bool accept_paused_ = false;
  Clock::time_point accept_resume_;
  bool reported_out_of_fds_ = false;
  std::uint64_t shed_ = 0;
  std::uint64_t refused_ = 0;
  bool stopping_ = false;
  Clock::time_point stop_started_;
  Clock::time_point shutdown_deadline_;
};

// ---------------------------------------------------------------------------
// Setup
// ---------------------------------------------------------------------------

// Binds a nonblocking listening socket to 127.0.0.1:port; returns it and the
// port actually bound (port 0 picks a free one).
std::optional<std::pair<Fd, std::uint16_t>> open_listener(std::uint16_t port) {
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return std::nullopt;
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  // The backlog is the kernel's limit (somaxconn): bursts of connections wait
  // there rather than being refused while the loop is busy.
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
      ::listen(fd.get(), SOMAXCONN) < 0)
    return std::nullopt;
  socklen_t len = sizeof addr;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) < 0)
    return std::nullopt;
  return std::pair{std::move(fd), ntohs(addr.sin_port)};
}

constexpr const char* usage_text =
    " [--port N] [--threads N] [--max-connections N]\n"
    "    [--head-timeout-ms N] [--body-timeout-ms N] [--idle-timeout-ms N]\n"
    "    [--write-timeout-ms N] [--shutdown-timeout-ms N] [--linger-us N]\n";

std::optional<Options> parse_args(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(argv[++i], &end, 10);
    if (*end != '\0' || errno != 0 || value < 0) return std::nullopt;
    auto ms = [&](milliseconds& field) {
      if (value < 1 || value > 24LL * 3600 * 1000) return false;
      field = milliseconds(value);
      return true;
    };
    bool ok = false;
    if (arg == "--port") {
      ok = value <= 65535;
      options.port = static_cast<std::uint16_t>(value);
    } else if (arg == "--threads") {
      ok = value >= 1 && value <= 256;
      options.threads = static_cast<std::size_t>(value);
    } else if (arg == "--max-connections") {
      ok = value >= 1 && value <= 10'000'000;
      options.max_connections = static_cast<std::size_t>(value);
    } else if (arg == "--head-timeout-ms") {
      ok = ms(options.head_timeout);
    } else if (arg == "--body-timeout-ms") {
      ok = ms(options.body_timeout);
    } else if (arg == "--idle-timeout-ms") {
      ok = ms(options.idle_timeout);
    } else if (arg == "--write-timeout-ms") {
      ok = ms(options.write_timeout);
    } else if (arg == "--shutdown-timeout-ms") {
      ok = ms(options.shutdown_timeout);
    } else if (arg == "--linger-us") {
      ok = value <= 999'999;
      options.linger = std::chrono::microseconds(value);
    }
    if (!ok) return std::nullopt;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> options = parse_args(argc, argv);
  if (!options) {
    std::cerr << "usage: " << argv[0] << usage_text;
    return 2;
  }

  Fd wake(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (wake.get() < 0) {
    std::perror("eventfd");
    return 1;
  }
  wake_fd = wake.get();
  struct sigaction action{};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);

  auto bound = open_listener(options->port);
  if (!bound) {
    std::perror("listening on 127.0.0.1");
    return 1;
  }
  auto [listener, port] = std::move(*bound);
  std::cout << "listening on 127.0.0.1:" << port << std::endl;

  auto [tx, rx] = sendsync::channel<std::unique_ptr<Connection>>();
  auto server = std::make_shared<Server>(*options, std::move(tx));
  std::uint64_t shed = 0, refused = 0;
  {
    sendsync::ThreadPool pool(options->threads);
    {
      // The loop runs on this thread; it borrows the pool, which outlives it.
      EventLoop loop(server, pool, std::move(listener), wake.get(),
                     std::move(rx));
      if (!loop.init()) {
        std::perror("epoll");
        return 1;
      }
      loop.run();
      shed = loop.shed();
      refused = loop.refused();
      std::cout << "shutting down: finishing requests in progress" << std::endl;
    }  // closes the connections left, if the deadline passed
  }  // ~ThreadPool runs every accepted task, then joins the workers

  std::cout << "served " << server->stats.lock()->requests << " requests"
            << std::endl;
  if (shed != 0)
    std::cout << "closed " << shed
              << " connections at once: out of file descriptors" << std::endl;
  if (refused != 0)
    std::cout << "refused " << refused
              << " connections: over --max-connections" << std::endl;
}
