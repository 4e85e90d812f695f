// A small concurrent HTTP/1.1 server on the sendsync runtime.
//
//   example_web_server [--port N] [--threads N] [--read-timeout-ms N]
//
// It listens on 127.0.0.1 (port 8080 by default; 0 picks a free one) and
// prints "listening on 127.0.0.1:PORT". Routes:
//   GET  /        a greeting
//   GET  /stats   how many requests were answered, in total and by status
//   POST /echo    the request body
// Bad input gets an answer, never a crash or a stall: 400 for a malformed
// request, 431 for a head over 8 KiB, 413 for a body over 1 MiB, 408 for a
// client that stops sending mid-request (the read timeout), 404 for an
// unknown path. SIGINT or SIGTERM stops it gracefully: no new connections,
// requests in progress are finished, then it prints the count and exits 0.
//
// How the threads divide the work:
//   - the listener thread polls the listening socket, the idle keep-alive
//     connections and a self-pipe, and hands every connection with something
//     to read to the sendsync::ThreadPool;
//   - a pool task reads and answers requests on its connection until none is
//     buffered, then sends the connection back to the listener through a
//     sendsync::channel, so an idle client holds no worker;
//   - the hit counter is a sendsync::Mutex<Stats>, the only state the tasks
//     share besides the channel;
//   - the signal handler only sets an atomic flag and writes a byte to the
//     self-pipe, the two things a handler can safely do.
// Everything a task needs travels into it by value: the connection (moved)
// and a shared_ptr to the server's shared state, which is Sync. That is what
// sendsync-send checks at ThreadPool::execute and Scope::spawn.
//
// examples/web_server/test_web_server.py drives it on loopback (ctest runs
// it).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
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
#include <utility>
#include <vector>

#include <sendsync/channel.h>
#include <sendsync/mutex.h>
#include <sendsync/thread.h>
#include <sendsync/thread_pool.h>

#include "web_server/http.h"

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// ---------------------------------------------------------------------------
// Shutdown: a flag and a self-pipe, set from the signal handler
// ---------------------------------------------------------------------------

// Set once SIGINT or SIGTERM arrives. A lock-free atomic is safe to store
// from a signal handler, and every thread may read it.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// The write end of the self-pipe that wakes the listener's poll(). Set once
// in main, before the signal handler is installed and any thread starts.
int wake_fd = -1;

void wake_listener() noexcept {
  // The pipe is nonblocking: if it is full, a wake-up is already pending.
  char byte = 1;
  [[maybe_unused]] ssize_t written = ::write(wake_fd, &byte, 1);
}

void on_stop_signal(int) {
  int saved_errno = errno;  // write() may change it under the interrupted code
  stop_requested.store(true);
  wake_listener();
  errno = saved_errno;
}

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

// A client connection and the bytes received on it but not parsed yet (a
// client may send its next request before reading the previous response).
struct Connection {
  Fd socket;
  std::string buffer;
};

struct Options {
  std::uint16_t port = 8080;
  std::size_t threads = 4;
  // Bounds the wait for one request (head and body) and for the next request
  // on an idle keep-alive connection.
  milliseconds read_timeout{5000};
};

struct Stats {
  std::uint64_t requests = 0;
  std::map<int, std::uint64_t> by_status;
};

// What the listener and the connection tasks share. Tasks hold it through a
// shared_ptr: a pool task may, as far as the compiler can tell, outlive any
// local of main.
struct Server {
  Server(Options o, sendsync::Sender<Connection> idle)
      : options(o), idle_connections(std::move(idle)) {}

  const Options options;
  sendsync::Mutex<Stats> stats;
  // Where a task returns a keep-alive connection once it has answered every
  // buffered request; the listener watches it until the next one arrives.
  const sendsync::Sender<Connection> idle_connections;
};

// ---------------------------------------------------------------------------
// Reading and writing
// ---------------------------------------------------------------------------

enum class ReadStatus { ok, closed, timeout, stopping };

// Appends what arrives on `conn` to its buffer, waiting at most until
// `deadline`. Waits in short slices so that a shutdown does not wait out the
// timeout of a connection on which no request has started (`started` false).
ReadStatus receive_some(Connection& conn, Clock::time_point deadline,
                        bool started) {
  for (;;) {
    if (!started && stop_requested.load()) return ReadStatus::stopping;
    auto left = std::chrono::ceil<milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return ReadStatus::timeout;
    pollfd p{conn.socket.get(), POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 100)));
    if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
    if (ready < 0) return ReadStatus::closed;
    char chunk[16 * 1024];
    ssize_t n = ::recv(conn.socket.get(), chunk, sizeof chunk, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return ReadStatus::closed;  // EOF, or a reset connection
    conn.buffer.append(chunk, static_cast<std::size_t>(n));
    return ReadStatus::ok;
  }
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a client that hung up gives EPIPE, not a SIGPIPE that
    // would kill the server. SO_SNDTIMEO bounds a client that does not read.
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// The next request on `conn`, or the status of the error to answer with, or
// neither when the client left (or stayed silent) between requests.
struct Incoming {
  std::optional<http::Request> request;
  int error_status = 0;
};

Incoming read_request(Connection& conn, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  // Whether the client stopped mid-request (which deserves a 408) or between
  // requests (which deserves silence).
  auto failed = [&conn](ReadStatus s) {
    if (s == ReadStatus::timeout && !conn.buffer.empty()) return Incoming{{}, 408};
    return Incoming{};
  };

  std::size_t head_end;
  while ((head_end = conn.buffer.find("\r\n\r\n")) == std::string::npos) {
    if (conn.buffer.size() > http::max_head_bytes) return {{}, 431};
    ReadStatus s = receive_some(conn, deadline, !conn.buffer.empty());
    if (s != ReadStatus::ok) return failed(s);
  }
  if (head_end > http::max_head_bytes) return {{}, 431};
  http::ParseResult parsed =
      http::parse_head(std::string_view(conn.buffer).substr(0, head_end));
  conn.buffer.erase(0, head_end + 4);
  if (!parsed.request) return {{}, parsed.error_status};
  http::Request& req = *parsed.request;
  if (req.chunked) return {{}, 501};

  while (conn.buffer.size() < req.content_length) {
    if (ReadStatus s = receive_some(conn, deadline, true); s != ReadStatus::ok) {
      if (s == ReadStatus::timeout) return {{}, 408};
      return {};
    }
  }
  req.body = conn.buffer.substr(0, req.content_length);
  conn.buffer.erase(0, req.content_length);
  return {std::move(parsed.request), 0};
}

// After an error the client may still be sending (say, the body we refused).
// Closing a socket with unread input resets the connection, which can
// destroy the response before the client reads it; so stop writing, then
// discard input for a moment, until the client closes.
void close_after_error(Connection& conn) {
  ::shutdown(conn.socket.get(), SHUT_WR);
  const auto deadline = Clock::now() + milliseconds(500);
  std::size_t discarded = 0;
  while (discarded < 2 * http::max_body_bytes) {
    discarded += conn.buffer.size();
    conn.buffer.clear();
    if (receive_some(conn, deadline, false) != ReadStatus::ok) break;
  }
}

// ---------------------------------------------------------------------------
// Answering
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

// Answers the requests that arrive on `conn` (runs on a pool worker). Returns
// when the connection is closed or has been handed back to the listener.
void serve(const std::shared_ptr<Server>& server, Connection conn) {
  for (;;) {
    Incoming in = read_request(conn, server->options.read_timeout);
    if (!in.request && in.error_status == 0) return;  // client gone: close
    Response res = in.request
                       ? route(*in.request)
                       : Response{in.error_status,
                                  std::string(http::reason(in.error_status)) + '\n',
                                  "", false};
    // Keep the connection only after a well-formed request: after an error
    // the rest of the stream cannot be trusted.
    bool keep_alive =
        in.request && in.request->keep_alive && !stop_requested.load();
    {
      auto stats = server->stats.lock();
      ++stats->requests;
      ++stats->by_status[res.status];
      if (res.is_stats) res.body = format_stats(*stats);  // counts itself
    }
    std::string bytes =
        http::format_response(res.status, res.body, keep_alive, res.extra_headers);
    if (!send_all(conn.socket.get(), bytes)) return;
    if (!in.request) return close_after_error(conn);
    if (!keep_alive) return;
    if (conn.buffer.empty()) {
      // Nothing more buffered: let the listener wait for the next request.
      // If the listener is gone (shutting down), the connection comes back
      // in the error and is closed with it.
      if (auto sent = server->idle_connections.send(std::move(conn)))
        wake_listener();
      return;
    }
  }
}

// ---------------------------------------------------------------------------
// The listener thread
// ---------------------------------------------------------------------------

void configure_client_socket(int fd, milliseconds timeout) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  timeval tv{static_cast<time_t>(secs.count()),
             static_cast<suseconds_t>(
                 std::chrono::duration_cast<std::chrono::microseconds>(timeout - secs)
                     .count())};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

void run_listener(const std::shared_ptr<Server>& server, sendsync::ThreadPool& pool,
                  Fd listener, Fd wake_read,
                  sendsync::Receiver<Connection> returned) {
  struct Idle {
    Connection conn;
    Clock::time_point deadline;
  };
  std::vector<Idle> idle;
  const milliseconds timeout = server->options.read_timeout;

  // Everything the task needs moves into it: the connection and a
  // reference-counted handle on the shared state.
  auto dispatch = [&pool, &server](Connection conn) {
    pool.execute([server, conn = std::move(conn)]() mutable {
      serve(server, std::move(conn));
    });
  };

  std::vector<pollfd> fds;
  while (!stop_requested.load()) {
    fds.clear();
    fds.push_back({wake_read.get(), POLLIN, 0});
    fds.push_back({listener.get(), POLLIN, 0});
    auto now = Clock::now();
    milliseconds wait(1000);
    for (const Idle& i : idle) {
      fds.push_back({i.conn.socket.get(), POLLIN, 0});
      wait = std::min(wait, std::chrono::ceil<milliseconds>(i.deadline - now));
    }
    wait = std::max(wait, milliseconds(0));
    if (::poll(fds.data(), fds.size(), static_cast<int>(wait.count())) < 0) {
      if (errno == EINTR) continue;
      std::perror("poll");
      break;
    }
    if (fds[0].revents != 0) {
      char drain[64];
      while (::read(wake_read.get(), drain, sizeof drain) > 0) {
      }
    }
    if (stop_requested.load()) break;

    // Idle connections with a new request (or a hang-up) go to a worker;
    // those idle for longer than the timeout are closed.
    now = Clock::now();
    std::vector<Idle> still_idle;
    for (std::size_t k = 0; k < idle.size(); ++k) {
      if (fds[2 + k].revents != 0)
        dispatch(std::move(idle[k].conn));
      else if (idle[k].deadline > now)
        still_idle.push_back(std::move(idle[k]));
    }
    idle = std::move(still_idle);

    // Connections the tasks handed back since the last round.
    while (auto back = returned.try_recv())
      idle.push_back({std::move(*back), now + timeout});

    if (fds[1].revents != 0) {
      for (;;) {
        int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) break;  // EAGAIN: accepted them all (or a transient error)
        configure_client_socket(fd, timeout);
        dispatch(Connection{Fd(fd), {}});
      }
    }
  }
  // Returning closes the listening socket and the idle connections; the
  // connections being served are finished by the pool.
}

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
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
      ::listen(fd.get(), 128) < 0)
    return std::nullopt;
  socklen_t len = sizeof addr;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) < 0)
    return std::nullopt;
  return std::pair{std::move(fd), ntohs(addr.sin_port)};
}

std::optional<Options> parse_args(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    char* end = nullptr;
    long value = std::strtol(argv[++i], &end, 10);
    if (*end != '\0' || value < 0) return std::nullopt;
    if (arg == "--port" && value <= 65535) {
      options.port = static_cast<std::uint16_t>(value);
    } else if (arg == "--threads" && value >= 1 && value <= 256) {
      options.threads = static_cast<std::size_t>(value);
    } else if (arg == "--read-timeout-ms" && value >= 1) {
      options.read_timeout = milliseconds(value);
    } else {
      return std::nullopt;
    }
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<Options> options = parse_args(argc, argv);
  if (!options) {
    std::cerr << "usage: " << argv[0]
              << " [--port N] [--threads N] [--read-timeout-ms N]\n";
    return 2;
  }

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_NONBLOCK | O_CLOEXEC) < 0) {
    std::perror("pipe2");
    return 1;
  }
  Fd wake_read(pipe_fds[0]);
  Fd wake_write(pipe_fds[1]);
  wake_fd = wake_write.get();
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

  auto [tx, rx] = sendsync::channel<Connection>();
  auto server = std::make_shared<Server>(*options, std::move(tx));
  {
    sendsync::ThreadPool pool(options->threads);
    // The listener borrows the pool: the scope joins it before the pool dies.
    sendsync::scope([&](sendsync::Scope& s) {
      s.spawn([&pool, server, listener = std::move(listener),
               wake_read = std::move(wake_read), rx = std::move(rx)]() mutable {
        run_listener(server, pool, std::move(listener), std::move(wake_read),
                     std::move(rx));
      });
    });
    std::cout << "shutting down: finishing requests in progress" << std::endl;
  }  // ~ThreadPool runs every accepted task, then joins the workers

  std::cout << "served " << server->stats.lock()->requests << " requests"
            << std::endl;
}
