// As <tbb/blocked_range.h>: see parallel_for.h.
#include "parallel_for.h"
