// Includes every public runtime header, so that the build (and the
// runtime.headers_gcc_werror test) proves each one is self-contained and
// clean under -Wall -Wextra -Werror -pedantic.
#include "sendsync/runtime.h"
#include "sendsync/mutex.h"
#include "sendsync/condvar.h"
#include "sendsync/rwlock.h"
#include "sendsync/once.h"
#include "sendsync/thread.h"
#include "sendsync/result.h"
#include "sendsync/channel.h"
#include "sendsync/thread_pool.h"
