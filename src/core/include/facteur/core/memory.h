// Process-wide allocator settings for a program that handles documents of a few KB to tens of MB.
#pragma once

namespace facteur::core {

/// Large blocks the allocator keeps for reuse instead of returning them to the kernel (bytes).
/// glibc maps every block above its mmap threshold (128 KiB at start, raised only after a free)
/// with fresh, zeroed pages and unmaps it when freed; a 3.3 MB invoice then costs ~800 page
/// faults per copy of its text, each one an exit to the hypervisor on a VM. Below these sizes
/// freed memory stays in the heap and is reused by the next document. 32 MiB is glibc's own
/// ceiling for the mmap threshold.
inline constexpr unsigned long kHeapBlockMax = 32UL << 20;
/// Free memory at the top of a heap above which the allocator gives it back to the kernel.
inline constexpr unsigned long kHeapRetainMax = 64UL << 20;

/// Sets the allocator so that blocks up to kHeapBlockMax come from the heap and up to
/// kHeapRetainMax of freed memory stays there for reuse (glibc: M_MMAP_THRESHOLD,
/// M_TRIM_THRESHOLD). Call once at start, before threads are created; memory stays bounded by
/// what the documents in flight need plus kHeapRetainMax per heap. A no-op without glibc's
/// allocator: under tcmalloc, which build/facteur links by default (docs/adr/0005-allocator.md),
/// `mallopt` is tcmalloc's own no-op, and tcmalloc keeps freed spans for reuse by itself (the
/// 3.3 MB UBL example converts as fast as with the tuned glibc: docs/benchmarks.md, session 9).
/// Errors: none (an allocator that refuses a setting keeps its defaults).
void tune_allocator() noexcept;

}  // namespace facteur::core
