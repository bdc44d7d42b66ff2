// Internal: the hash tables of a snapshot.
//
// A KeyTable maps a key -- a host name, address bytes or nothing, with a
// port -- to the offset of a record in the snapshot's arena. It stores only
// a 32-bit tag of each key's hash and the offset (8 bytes a slot); the
// caller's predicate compares the real keys, reading the record, only when
// the tags match. Open addressing, linear probing, at most half full, so a
// lookup is one cache line in the common case.
//
// A table is sized once (Reserve), filled (Insert), then only read: Find()
// is then thread-safe and allocates nothing. A table can also be a view of
// slots it does not own (View: a snapshot image's, mapped from its file).
#ifndef SSLBIND_SRC_RESOLVE_KEY_TABLE_H_
#define SSLBIND_SRC_RESOLVE_KEY_TABLE_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "resolve/huge_page_allocator.h"

namespace sslbind::internal {

// The 128-bit product of a and b, its halves folded together: every bit of
// either factor moves most bits of the result.
// (GCC's and Clang's 128-bit integer: __extension__ keeps -Wpedantic quiet.)
__extension__ using Uint128 = unsigned __int128;
inline uint64_t MultiplyFold(uint64_t a, uint64_t b) {
  const Uint128 product = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

// A 64-bit hash of a key's bytes and its port. With kFold, of the bytes
// with 0x20 set (ASCII letters in lower case): for a valid host name, the
// hash of its canonical form, read from the name as the client sent it.
//
// A lookup waits for this hash before it can read the index, so its words
// are mixed in pairs, the two pairs independently (two multiplications the
// processor runs at once), then once more together: three multiplications
// deep for a name of up to 32 bytes, where a word-after-word mix was five.
// The scheme is wyhash's (a 128-bit multiply folded to 64 bits).
template <bool kFold>
inline uint64_t HashKeyBytes(const void* data, size_t size, uint16_t port) {
  constexpr uint64_t kSecret0 = 0xa0761d6478bd642full;
  constexpr uint64_t kSecret1 = 0xe7037ed1a0b428dbull;
  constexpr uint64_t kSecret2 = 0x8ebc6af09c88c6e3ull;
  constexpr uint64_t kSecret3 = 0x589965cc75374cc3ull;
  constexpr uint64_t kFold64 = kFold ? 0x2020202020202020ull : 0;
  constexpr uint32_t kFold32 = kFold ? 0x20202020u : 0;
  constexpr unsigned kFold8 = kFold ? 0x20u : 0;
  const auto* p = static_cast<const unsigned char*>(data);
  const uint64_t seed = (uint64_t{port} << 32 | size) ^ kSecret0;
  auto read32 = [](const unsigned char* q) {
    uint32_t v;
    std::memcpy(&v, q, 4);
    return uint64_t{v | kFold32};
  };
  auto read64 = [p](size_t at) {
    uint64_t v;
    std::memcpy(&v, p + at, 8);
    return v | kFold64;
  };
  const size_t n = size;
  uint64_t a = 0, b = 0, c = 0, d = 0;
  if (n >= 8 && n <= 32) {
    // Four words, the last one ending at the last byte (overlapping the
    // one before), their offsets clamped: no branch on the length, which
    // varies from lookup to lookup.
    a = read64(0);
    b = read64(std::min<size_t>(8, n - 8));
    c = read64(std::min<size_t>(16, n - 8));
    d = read64(n - 8);
  } else if (n > 32) {
    uint64_t h = seed;
    size_t i = 0;
    for (; i + 16 < n; i += 16) {
      h = MultiplyFold(read64(i) ^ kSecret1 ^ h, read64(i + 8) ^ kSecret2);
    }
    // The bytes the pairs above left, [i, n), are at most 16: the last two
    // words hold them.
    a = h;
    c = read64(n - 16);
    d = read64(n - 8);
  } else if (n >= 4) {
    a = read32(p) << 32 | read32(p + n - 4);
  } else if (n > 0) {
    a = uint64_t{p[0] | kFold8} << 16 | uint64_t{p[n >> 1] | kFold8} << 8 |
        (p[n - 1] | kFold8);
  }
  const uint64_t h = MultiplyFold(a ^ seed, b ^ kSecret1) ^
                     MultiplyFold(c ^ kSecret2, d ^ kSecret3 ^ seed);
  // Both the slot index (low bits) and the tags (high bits) come from this
  // last product.
  return MultiplyFold(h ^ kSecret3, seed ^ kSecret1);
}

inline uint64_t HashKey(const void* data, size_t size, uint16_t port) {
  return HashKeyBytes<false>(data, size, port);
}

// HashKey of the canonical form of `name`, a host name in any case, without
// writing that form anywhere first: a lookup that hashes what it has just
// written waits until the writes reach the cache, behind the last lookup's
// miss. Equal to HashKey(canonical) when `name` is a valid host name.
inline uint64_t HashFoldedName(std::string_view name, uint16_t port) {
  return HashKeyBytes<true>(name.data(), name.size(), port);
}

class KeyTable {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  KeyTable() = default;
  // Moving keeps the slots where they are; a copy would not.
  KeyTable(KeyTable&&) = default;
  KeyTable& operator=(KeyTable&&) = default;
  KeyTable(const KeyTable&) = delete;
  KeyTable& operator=(const KeyTable&) = delete;

  struct Slot {
    uint32_t tag;
    uint32_t record;
  };

  // Makes room for `count` keys. Call once, before Insert().
  void Reserve(size_t count) {
    if (count == 0) return;
    size_t capacity = std::bit_ceil(count * 2);
    owned_.assign(capacity, Slot{0, kNone});
    slots_ = owned_.data();
    capacity_ = capacity;
    mask_ = capacity - 1;
  }

  // A table reading `capacity` slots (0 or a power of two, at least one of
  // them empty) holding `size` keys, owned by the caller, who keeps them
  // alive and unchanged while the table is used.
  static KeyTable View(const Slot* slots, size_t capacity, size_t size) {
    KeyTable t;
    t.slots_ = capacity == 0 ? nullptr : slots;
    t.capacity_ = capacity;
    t.mask_ = capacity == 0 ? 0 : capacity - 1;
    t.size_ = size;
    return t;
  }

  // The record of a key with this hash for which equal(record) holds, or
  // kNone.
  template <typename Equal>
  uint32_t Find(uint64_t hash, const Equal& equal) const {
    if (capacity_ == 0) return kNone;
    const auto tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.record == kNone) return kNone;
      if (slot.tag == tag && equal(slot.record)) return slot.record;
    }
  }

  // Adds `record` under `hash`, unless a record for which equal(record)
  // holds is there already: then returns that one and adds nothing.
  // Returns kNone when added. Precondition: fewer keys than reserved.
  template <typename Equal>
  uint32_t Insert(uint64_t hash, uint32_t record, const Equal& equal) {
    const auto tag = static_cast<uint32_t>(hash >> 32);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& slot = owned_[i];
      if (slot.record == kNone) {
        slot = Slot{tag, record};
        ++size_;
        return kNone;
      }
      if (slot.tag == tag && equal(slot.record)) return slot.record;
    }
  }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  // The slots, for writing them out (capacity() of them).
  const Slot* slots() const { return slots_; }
  size_t capacity() const { return capacity_; }
  // The heap the table owns (0 for a view).
  size_t MemoryUsage() const {
    return HugePageRoundUp(owned_.capacity() * sizeof(Slot));
  }

 private:
  std::vector<Slot, HugePageAllocator<Slot>> owned_;
  const Slot* slots_ = nullptr;
  size_t capacity_ = 0;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_KEY_TABLE_H_
