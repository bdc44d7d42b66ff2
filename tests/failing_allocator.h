// A global operator new that throws std::bad_alloc at a chosen allocation,
// for the tests that prove a failure anywhere in a write changes nothing.
// Replaces operator new for the whole binary: include it in exactly one
// file of a binary of its own, so that the other tests are not touched.
#ifndef SSLBIND_TESTS_FAILING_ALLOCATOR_H_
#define SSLBIND_TESTS_FAILING_ALLOCATOR_H_

#include <cstddef>
#include <cstdlib>
#include <new>

namespace sslbind::testing {

// While armed, the allocation numbered `fail_at` (from 0) on this thread
// throws, once; `failed` says whether it was reached.
inline thread_local bool alloc_armed = false;
inline thread_local size_t alloc_count = 0;
inline thread_local size_t alloc_fail_at = 0;
inline thread_local bool alloc_failed = false;

inline void* AllocateOrFail(size_t size) {
  if (alloc_armed && alloc_count++ == alloc_fail_at) {
    alloc_armed = false;  // the code handling the failure may allocate again
    alloc_failed = true;
    throw std::bad_alloc();
  }
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

// Runs `f` with allocation number `n` failing; false if `f` made fewer than
// n + 1 allocations (nothing failed).
template <typename F>
bool WithAllocationFailing(size_t n, const F& f) {
  alloc_count = 0;
  alloc_fail_at = n;
  alloc_failed = false;
  alloc_armed = true;
  f();
  alloc_armed = false;
  return alloc_failed;
}

}  // namespace sslbind::testing

void* operator new(size_t size) {
  return sslbind::testing::AllocateOrFail(size);
}
void* operator new[](size_t size) {
  return sslbind::testing::AllocateOrFail(size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }

#endif  // SSLBIND_TESTS_FAILING_ALLOCATOR_H_
