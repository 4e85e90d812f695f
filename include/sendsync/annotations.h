//===- sendsync/annotations.h - Send/Sync annotations -----------*- C++ -*-===//
//
// The contract between user code and the sendsync checker.
//
// Class annotations go between the class key and the name:
//
//   class SENDSYNC_NOT_SEND Handle { ... };
//   template <class T>
//   class SENDSYNC_SYNC_IF("T: Send") SENDSYNC_THREAD_SAFE_IF("T: Send") Mutex;
//
// Crossing annotations go on the function parameter whose argument runs on,
// or is moved to, another thread:
//
//   template <class F> void post(SENDSYNC_CROSSES_THREAD F &&task);
//
// Under Clang (and so under clang-tidy) every macro expands to
// [[clang::annotate("sendsync::...")]]; under other compilers it expands to
// nothing, so the header costs nothing and warns about nothing there.
//
// The three facts (see docs/model.md):
//   Send        a value may be moved or copied into another thread.
//   Sync        a `const T&` may be used from several threads at once.
//   ThreadSafe  a plain `T&` may be used from several threads at once
//               (implies Sync).
//
// Annotations win over every other source of truth. A negative annotation is
// Rust's `impl !Send`; a positive one is `unsafe impl Send`: the author
// asserts it, the checker believes it.
//
// Conditional forms take bounds in Rust's spelling, over the class's own
// template parameter names: "T: Send", "K: Send + Sync, V: Send",
// "Ts: Send" (a pack: every element). The fact holds iff every bound holds,
// like `unsafe impl<T: Send> Sync for Mutex<T>`.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_ANNOTATIONS_H
#define SENDSYNC_ANNOTATIONS_H

#if defined(__clang__)
#define SENDSYNC_ANNOTATE_(...) [[clang::annotate(__VA_ARGS__)]]
#else
#define SENDSYNC_ANNOTATE_(...)
#endif

/// The type is not Send: a value must stay on the thread that made it.
#define SENDSYNC_NOT_SEND SENDSYNC_ANNOTATE_("sendsync::not_send")
/// The type is not Sync (and so not ThreadSafe): no concurrent const access.
#define SENDSYNC_NOT_SYNC SENDSYNC_ANNOTATE_("sendsync::not_sync")
/// The author asserts the type is Send, whatever its members say.
#define SENDSYNC_UNSAFE_SEND SENDSYNC_ANNOTATE_("sendsync::unsafe_send")
/// The author asserts the type is Sync, whatever its members say.
#define SENDSYNC_UNSAFE_SYNC SENDSYNC_ANNOTATE_("sendsync::unsafe_sync")
/// The author asserts the type is ThreadSafe (and so Sync): every member
/// function may be called concurrently, e.g. because it locks internally.
#define SENDSYNC_THREAD_SAFE SENDSYNC_ANNOTATE_("sendsync::thread_safe")

/// Send iff the bounds hold, e.g. SENDSYNC_SEND_IF("T: Send").
#define SENDSYNC_SEND_IF(bounds) SENDSYNC_ANNOTATE_("sendsync::send_if", bounds)
/// Sync iff the bounds hold, e.g. SENDSYNC_SYNC_IF("T: Send + Sync").
#define SENDSYNC_SYNC_IF(bounds) SENDSYNC_ANNOTATE_("sendsync::sync_if", bounds)
/// ThreadSafe iff the bounds hold, e.g. SENDSYNC_THREAD_SAFE_IF("T: Send").
#define SENDSYNC_THREAD_SAFE_IF(bounds)                                        \
  SENDSYNC_ANNOTATE_("sendsync::thread_safe_if", bounds)

/// On a parameter: its argument is moved to, or runs on, another thread that
/// may outlive the call (std::thread-like). Values passed must be Send; objects
/// reached by reference must outlive the thread.
#define SENDSYNC_CROSSES_THREAD SENDSYNC_ANNOTATE_("sendsync::crosses_thread")
/// On a parameter: as SENDSYNC_CROSSES_THREAD, but the other thread is joined
/// before the call returns (std::thread::scope-like), so borrowing locals is
/// allowed.
#define SENDSYNC_CROSSES_THREAD_SCOPED                                         \
  SENDSYNC_ANNOTATE_("sendsync::crosses_thread_scoped")

/// On a member function of an executor: it returns only once every task
/// given to this object through its crossing parameters has finished (a
/// pool's wait(), a task group's join). What the caller does after the call
/// no longer runs beside those tasks, and locals they borrowed may end.
#define SENDSYNC_JOINS SENDSYNC_ANNOTATE_("sendsync::joins")

/// On a parameter: its callable argument is invoked by many threads at once
/// (a parallel for_each, tbb::parallel_for), every invocation finished before
/// the call returns. The callable must be Sync; what it writes through its
/// captures is written concurrently with itself; locals may be borrowed.
#define SENDSYNC_RUNS_CONCURRENTLY                                             \
  SENDSYNC_ANNOTATE_("sendsync::runs_concurrently")

/// On an awaiter class (the type `co_await` suspends on): awaiting it may
/// resume the coroutine on another thread (a pool's schedule(), a timer
/// serviced by another thread). Every local of the awaiting coroutine that
/// lives across the co_await must then be Send, as Rust asks of a future
/// spawned on a multi-threaded executor.
#define SENDSYNC_RESUMES_ELSEWHERE                                             \
  SENDSYNC_ANNOTATE_("sendsync::resumes_elsewhere")

#endif // SENDSYNC_ANNOTATIONS_H
