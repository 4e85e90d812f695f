// As <tbb/parallel_for_each.h>: see parallel_for.h.
#include "parallel_for.h"
