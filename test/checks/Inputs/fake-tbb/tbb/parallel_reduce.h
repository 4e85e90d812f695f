// As <tbb/parallel_reduce.h>: see parallel_for.h.
#include "parallel_for.h"
