// Internal: an allocator for the large arrays of a snapshot, backed by huge
// pages where the kernel offers them.
//
// A lookup in a snapshot of a million bindings touches two places in tens
// of megabytes (a table slot, then the record): with 4 KiB pages both also
// miss the TLB, which costs as much as the cache misses themselves. Arrays
// of 2 MiB or more are therefore allocated 2 MiB-aligned, in whole 2 MiB
// units, and marked MADV_HUGEPAGE before they are first touched
// (transparent huge pages in "madvise" mode, Debian's default). Smaller
// arrays, and kernels without THP, get ordinary memory.
#ifndef SSLBIND_SRC_RESOLVE_HUGE_PAGE_ALLOCATOR_H_
#define SSLBIND_SRC_RESOLVE_HUGE_PAGE_ALLOCATOR_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdlib>
#include <new>

namespace sslbind::internal {

inline constexpr size_t kHugePageSize = size_t{2} << 20;
inline constexpr size_t kHugePageThreshold = size_t{8} << 20;

// The bytes an array of `bytes` really takes with HugePageAllocator.
inline size_t HugePageRoundUp(size_t bytes) {
  if (bytes < kHugePageThreshold) return bytes;
  return (bytes + kHugePageSize - 1) & ~(kHugePageSize - 1);
}

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageThreshold) {
      return static_cast<T*>(::operator new(bytes));
    }
    void* p = std::aligned_alloc(kHugePageSize, HugePageRoundUp(bytes));
    if (!p) throw std::bad_alloc();
    // Advice only: without THP the memory is ordinary memory.
    madvise(p, HugePageRoundUp(bytes), MADV_HUGEPAGE);
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePageThreshold) {
      ::operator delete(p);
    } else {
      std::free(p);
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_HUGE_PAGE_ALLOCATOR_H_
