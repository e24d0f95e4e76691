#include "facteur/core/memory.h"

#include <cstdlib>
#include <cstring>

#include <gtest/gtest.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace facteur::core {
namespace {

#if defined(__GLIBC__)
// After tune_allocator(), a block the size of a large invoice (4 MiB, above glibc's default
// 128 KiB mmap threshold) comes from the heap: no new mmapped block, and once freed its memory
// stays in the process for the next document instead of going back to the kernel.
TEST(TuneAllocator, LargeBlocksComeFromTheHeapAndAreKept) {
    tune_allocator();
    const int mapped_before = static_cast<int>(mallinfo2().hblks);
    constexpr std::size_t kSize = std::size_t{4} << 20;
    void* block = std::malloc(kSize);
    ASSERT_NE(block, nullptr);
    std::memset(block, 0x5a, kSize);
    EXPECT_EQ(static_cast<int>(mallinfo2().hblks), mapped_before) << "the 4 MiB block was mmapped";
    std::free(block);
    EXPECT_GE(mallinfo2().fordblks, kSize) << "the freed 4 MiB went back to the kernel";
    // Above kHeapBlockMax glibc still maps the block on its own.
    void* huge = std::malloc(static_cast<std::size_t>(kHeapBlockMax) + 1);
    ASSERT_NE(huge, nullptr);
    EXPECT_EQ(static_cast<int>(mallinfo2().hblks), mapped_before + 1);
    std::free(huge);
}
#endif

}  // namespace
}  // namespace facteur::core
