//===- sendsync/runtime.h - Every sendsync runtime primitive ----*- C++ -*-===//
//
// Umbrella header: includes every primitive of the runtime library.
//
//===----------------------------------------------------------------------===//
#ifndef SENDSYNC_RUNTIME_H
#define SENDSYNC_RUNTIME_H

#include "sendsync/annotations.h"
#include "sendsync/channel.h"
#include "sendsync/condvar.h"
#include "sendsync/mutex.h"
#include "sendsync/once.h"
#include "sendsync/result.h"
#include "sendsync/rwlock.h"
#include "sendsync/select.h"
#include "sendsync/task.h"
#include "sendsync/thread.h"
#include "sendsync/thread_pool.h"

#endif  // SENDSYNC_RUNTIME_H
