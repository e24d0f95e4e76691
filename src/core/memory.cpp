#include "facteur/core/memory.h"

#include <cstdlib>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace facteur::core {

void tune_allocator() noexcept {
#if defined(__GLIBC__)
    // Setting M_MMAP_THRESHOLD also turns off glibc's dynamic threshold, so the behaviour no
    // longer depends on which sizes happened to be freed first.
    mallopt(M_MMAP_THRESHOLD, static_cast<int>(kHeapBlockMax));
    mallopt(M_TRIM_THRESHOLD, static_cast<int>(kHeapRetainMax));
#endif
}

}  // namespace facteur::core
