//===- sendsync/detail/thread_annotations.h - Clang TSA macros --*- C++ -*-===//
//
// Internal. Clang Thread Safety Analysis attributes for the runtime's own
// locks and the state they guard:
//
//   SENDSYNC_CAPABILITY(name)       on a lock class (raw_mutex, raw_rwlock)
//   SENDSYNC_SCOPED_CAPABILITY      on an RAII class that holds one
//   SENDSYNC_GUARDED_BY(mu)         on a member read and written under `mu`
//   SENDSYNC_PT_GUARDED_BY(mu)      on a pointer whose pointee is
//   SENDSYNC_REQUIRES(mu)           on a function called with `mu` held
//   SENDSYNC_ACQUIRE(...), SENDSYNC_RELEASE(...), SENDSYNC_TRY_ACQUIRE(...)
//   and their _SHARED forms         on the functions that lock and unlock
//   SENDSYNC_NO_THREAD_SAFETY_ANALYSIS   where the analysis cannot follow
//                                   (each use says why)
//
// Why attributes rather than `// guarded by mu_` comments: `-Wthread-safety`
// proves every access holds the lock, and the sendsync checker counts a
// GUARDED_BY member as ThreadSafe (docs/model.md, rule 4), so it infers the
// Send/Sync/ThreadSafe of the channel and pool internals instead of relying
// on hand-written overrides.
//
// Why prefixed and here, not in include/sendsync/annotations.h: that header
// is the checker's Send/Sync contract, and the checker reads Clang's own
// attributes, not these names; unprefixed GUARDED_BY would collide with the
// macro of the same name that many user code bases define. Under compilers
// other than Clang every macro expands to nothing (GCC would warn about the
// unknown attributes).
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_DETAIL_THREAD_ANNOTATIONS_H
#define SENDSYNC_DETAIL_THREAD_ANNOTATIONS_H

#if defined(__clang__)
#define SENDSYNC_TSA_(...) __attribute__((__VA_ARGS__))
#else
#define SENDSYNC_TSA_(...)
#endif

#define SENDSYNC_CAPABILITY(name) SENDSYNC_TSA_(capability(name))
#define SENDSYNC_SCOPED_CAPABILITY SENDSYNC_TSA_(scoped_lockable)
#define SENDSYNC_GUARDED_BY(mu) SENDSYNC_TSA_(guarded_by(mu))
#define SENDSYNC_PT_GUARDED_BY(mu) SENDSYNC_TSA_(pt_guarded_by(mu))
#define SENDSYNC_REQUIRES(...) SENDSYNC_TSA_(requires_capability(__VA_ARGS__))
#define SENDSYNC_ACQUIRE(...) SENDSYNC_TSA_(acquire_capability(__VA_ARGS__))
#define SENDSYNC_ACQUIRE_SHARED(...)                                           \
  SENDSYNC_TSA_(acquire_shared_capability(__VA_ARGS__))
#define SENDSYNC_RELEASE(...) SENDSYNC_TSA_(release_capability(__VA_ARGS__))
#define SENDSYNC_RELEASE_SHARED(...)                                           \
  SENDSYNC_TSA_(release_shared_capability(__VA_ARGS__))
#define SENDSYNC_TRY_ACQUIRE(...)                                              \
  SENDSYNC_TSA_(try_acquire_capability(__VA_ARGS__))
#define SENDSYNC_TRY_ACQUIRE_SHARED(...)                                       \
  SENDSYNC_TSA_(try_acquire_shared_capability(__VA_ARGS__))
#define SENDSYNC_NO_THREAD_SAFETY_ANALYSIS                                     \
  SENDSYNC_TSA_(no_thread_safety_analysis)

#endif  // SENDSYNC_DETAIL_THREAD_ANNOTATIONS_H
