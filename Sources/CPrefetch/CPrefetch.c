// The module's one function is `static inline` in its header; this file gives the target its translation unit.
#include "CPrefetch.h"
