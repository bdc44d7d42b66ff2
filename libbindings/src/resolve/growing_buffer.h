// Internal: a byte buffer that grows without copying, for the records a
// SnapshotBuilder stages while a store is read.
//
// A std::vector that grows to the ~60 MB of records of a million bindings
// copies them about once more and touches about twice their size in fresh
// pages (each larger copy is new memory the kernel must zero): a tenth of
// a load. This buffer is its own mapping, grown with mremap, which moves
// the pages instead of their bytes: every byte is written once, every page
// touched once.
#ifndef SSLBIND_SRC_RESOLVE_GROWING_BUFFER_H_
#define SSLBIND_SRC_RESOLVE_GROWING_BUFFER_H_

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

namespace sslbind::internal {

class GrowingBuffer {
 public:
  GrowingBuffer() = default;
  GrowingBuffer(const GrowingBuffer&) = delete;
  GrowingBuffer& operator=(const GrowingBuffer&) = delete;
  ~GrowingBuffer() { Clear(); }

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

  // Makes the buffer `more` bytes longer and returns the first of them
  // (uninitialised). Throws std::bad_alloc when the memory cannot be had.
  uint8_t* Grow(size_t more) {
    if (size_ + more > capacity_) Reserve(size_ + more);
    uint8_t* out = data_ + size_;
    size_ += more;
    return out;
  }

  // Gives the memory back; the buffer is empty.
  void Clear() {
    if (data_ != nullptr) munmap(data_, capacity_);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

 private:
  static constexpr size_t kFirstCapacity = size_t{64} << 10;

  void Reserve(size_t needed) {
    size_t capacity = capacity_ == 0 ? kFirstCapacity : capacity_;
    while (capacity < needed) capacity *= 2;
    void* p = data_ == nullptr
                  ? mmap(nullptr, capacity, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                  : mremap(data_, capacity_, capacity, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) throw std::bad_alloc();
    data_ = static_cast<uint8_t*>(p);
    capacity_ = capacity;
  }

  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_GROWING_BUFFER_H_
