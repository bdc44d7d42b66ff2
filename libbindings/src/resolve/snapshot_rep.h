// Internal: the memory layout of a Snapshot, and the builder that lays it
// out.
//
// Bindings are not kept as Binding objects (each would cost about 300 bytes
// with its strings and vector). Each is a record in one byte arena:
//
//   RecordHeader (12 bytes) | key bytes | certificate hash | padding to 4
//
// where the key bytes are the canonical host name (hostnameport, scopedccs),
// the 4 or 16 address bytes (ipport) or nothing (ccs). What bindings share
// -- application id, store names, check mode, flags -- is interned as a
// Profile: a million bindings have a handful.
//
// The exact host names (hostnameport without a wildcard), nearly every
// binding of a large host, are found with one cache miss: the arena starts
// with their hash table, an array of 64-byte cells (open addressing, linear
// probing, at most 60% full), and a record of at most 64 bytes -- a name of
// up to 32 characters with a SHA-1 hash -- lies in its cell itself. A longer
// one lies after the cells, its cell holding the hash's tag and the
// record's offset. Beside the cells, one control byte a cell
// (resolve/cell_control.h: empty, or 7 bits of the name's hash; 1.7 MB for
// a million names, which stays in the processor's cache) tells a lookup
// which cell to read: one in 99.4% of exact hits, none for most names that
// are not there. The other keys -- addresses, wildcards, scopedccs, ccs --
// are records after the cells, found through four KeyTables (8 bytes a
// slot). A typical SNI binding costs about 108 bytes (65 / 0.6).
//
// The arrays are views: of the builder's memory, or of a snapshot image
// mapped from its file (resolve/snapshot_image.cc) -- the same layout, so
// an image needs no work to be used.
#ifndef SSLBIND_SRC_RESOLVE_SNAPSHOT_REP_H_
#define SSLBIND_SRC_RESOLVE_SNAPSHOT_REP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/host_name.h"  // kWildcardPrefix
#include "resolve/cell_control.h"
#include "resolve/growing_buffer.h"
#include "resolve/huge_page_allocator.h"
#include "resolve/key_table.h"
#include "sslbind/binding.h"
#include "sslbind/snapshot.h"

namespace sslbind::internal {

struct RecordHeader {
  uint32_t profile;  // index into SnapshotRep::profiles
  uint16_t port;
  BindingKind kind;
  uint8_t key_size;   // bytes of key after the header
  uint8_t hash_size;  // bytes of certificate hash after the key
  // kTombstone in an overlay: the key was deleted (no profile, no hash).
  // kCellUsed on a cell of the exact-name table that holds a record, with
  // kCellIndirect when it holds only a tag and the offset of a record
  // after the cells.
  uint8_t flags = 0;
  uint8_t reserved[2] = {};
};
inline constexpr uint8_t kTombstone = 1;
inline constexpr uint8_t kCellUsed = 2;
inline constexpr uint8_t kCellIndirect = 4;
static_assert(sizeof(RecordHeader) == 12);

inline constexpr size_t kCellSize = 64;
// An indirect cell: header, then the tag and the offset.
struct IndirectCell {
  RecordHeader header;
  uint32_t tag;
  uint32_t record;
};
static_assert(sizeof(IndirectCell) <= kCellSize);

// The cells for `count` exact names: at most 60% full, at least one empty,
// at least a group of them (so that a group never holds a cell twice).
inline size_t CellCount(size_t count) {
  return count == 0 ? 0 : std::max(count * 5 / 3 + 1, kGroupWidth);
}

// The bytes of the control array of `cells` cells.
inline size_t ControlSize(size_t cells) {
  return cells == 0 ? 0 : cells + kGroupWidth;
}

// The cell a hash starts probing at (Lemire's multiply-shift: any count).
inline size_t HomeCell(uint64_t hash, size_t cells) {
  return static_cast<size_t>(((hash & 0xffffffffu) * cells) >> 32);
}

// Whether `name`, a host name in any case as a client sent it, is the
// canonical name `canonical` (of name.size() bytes): every byte of `name`
// with 0x20 set is canonical's byte, and none is a control byte (0x00-0x1f,
// which 0x20 would turn into a digit, '-' or '.'). A canonical name holds
// only a-z, 0-9, '-' and '.', so an equal name is a valid host name and
// `canonical` its canonical form: the lookup needs no separate check. Reads
// whole words, none outside either name.
inline bool EqualsFolded(const uint8_t* canonical, std::string_view name) {
  const auto* in = reinterpret_cast<const unsigned char*>(name.data());
  const size_t n = name.size();
  // 0 when the word of the name folds to the canonical word and has no
  // control byte ((b & 0x60) + 0x60 has bit 7 set unless b & 0x60 is 0).
  auto differs64 = [](const unsigned char* a, const uint8_t* c) {
    constexpr uint64_t kFold = 0x2020202020202020ull;
    constexpr uint64_t kCase = 0x6060606060606060ull;
    constexpr uint64_t kHigh = 0x8080808080808080ull;
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, c, 8);
    return ((x | kFold) ^ y) | ((((x & kCase) + kCase) & kHigh) ^ kHigh);
  };
  auto differs32 = [](const unsigned char* a, const uint8_t* c) {
    constexpr uint32_t kFold = 0x20202020u, kCase = 0x60606060u;
    constexpr uint32_t kHigh = 0x80808080u;
    uint32_t x, y;
    std::memcpy(&x, a, 4);
    std::memcpy(&y, c, 4);
    return ((x | kFold) ^ y) | ((((x & kCase) + kCase) & kHigh) ^ kHigh);
  };
  if (n >= 8) {
    // As HashKeyBytes reads: four words up to 32 bytes, without a branch.
    uint64_t diff = differs64(in + n - 8, canonical + n - 8);
    if (n <= 32) {
      const size_t second = std::min<size_t>(8, n - 8);
      const size_t third = std::min<size_t>(16, n - 8);
      diff |= differs64(in, canonical) |
              differs64(in + second, canonical + second) |
              differs64(in + third, canonical + third);
    } else {
      for (size_t i = 0; i + 8 < n; i += 8) {
        diff |= differs64(in + i, canonical + i);
      }
    }
    return diff == 0;
  }
  if (n >= 4) {
    return (differs32(in, canonical) |
            differs32(in + n - 4, canonical + n - 4)) == 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if ((in[i] | 0x20u) != canonical[i] || (in[i] & 0x60u) == 0) return false;
  }
  return true;
}

// Whether `name` is the canonical name `canonical` (of name.size() bytes)
// byte for byte: EqualsFolded for a name sent in lower case, as clients
// nearly always send it, in fewer instructions. Reads as EqualsFolded.
inline bool EqualsExactly(const uint8_t* canonical, std::string_view name) {
  const auto* in = reinterpret_cast<const unsigned char*>(name.data());
  const size_t n = name.size();
  auto differs64 = [](const unsigned char* a, const uint8_t* c) {
    uint64_t x, y;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, c, 8);
    return x ^ y;
  };
  if (n < 8 || n > 32) return false;  // EqualsFolded decides
  const size_t second = std::min<size_t>(8, n - 8);
  const size_t third = std::min<size_t>(16, n - 8);
  return (differs64(in, canonical) |
          differs64(in + second, canonical + second) |
          differs64(in + third, canonical + third) |
          differs64(in + n - 8, canonical + n - 8)) == 0;
}

// Writes the canonical form of `name`, a valid host name in any case, to
// out[0, name.size()) a word at a time (each byte with 0x20 set).
inline void FoldName(std::string_view name, char* out) {
  const size_t n = name.size();
  auto fold64 = [&](size_t i) {
    uint64_t x;
    std::memcpy(&x, name.data() + i, 8);
    x |= 0x2020202020202020ull;
    std::memcpy(out + i, &x, 8);
  };
  if (n >= 8) {
    if (n <= 32) {
      fold64(0);
      fold64(std::min<size_t>(8, n - 8));
      fold64(std::min<size_t>(16, n - 8));
    } else {
      for (size_t i = 0; i + 8 < n; i += 8) fold64(i);
    }
    fold64(n - 8);
    return;
  }
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(name[i] | 0x20);
}

inline constexpr uint32_t kNoString = UINT32_MAX;

struct Profile {
  Guid app_id;
  uint32_t check_mode = 0;
  uint32_t revocation_freshness_time = 0;
  uint32_t url_retrieval_timeout = 0;
  uint32_t flags = 0;
  // Indexes into SnapshotRep::strings, or kNoString when absent.
  uint32_t cert_store_name = kNoString;
  uint32_t ctl_identifier = kNoString;
  uint32_t ctl_store_name = kNoString;

  friend bool operator==(const Profile&, const Profile&) = default;
};

// Where an interned string lies in SnapshotRep::string_bytes.
struct StringRef {
  uint32_t offset;
  uint32_t size;
};

// The tables, by the keys the resolution steps look for.
enum TableId : size_t {
  kIpTable,        // ipport: address bytes (4 or 16) and port
  kSniTable,       // hostnameport, exact names: the cells
  kWildcardTable,  // hostnameport *.parent, by parent and port
  kScopedTable,    // scopedccs: name and port
  kCcsTable,       // ccs: port only
  kTableCount
};

// The memory a snapshot owns (a built one), or the mapping it reads (an
// image); the views of SnapshotRep point into it.
struct SnapshotStorage {
  virtual ~SnapshotStorage() = default;
};

struct SnapshotRep {
  // Views, valid while `storage` lives.
  const uint8_t* arena = nullptr;
  size_t arena_size = 0;
  size_t cells = 0;  // the exact-name cells at the start of the arena
  // Their control bytes (resolve/cell_control.h): cells + kGroupWidth.
  const uint8_t* control = nullptr;
  std::span<const Profile> profiles;
  std::span<const StringRef> strings;
  const char* string_bytes = nullptr;
  size_t count = 0;

  // Indexed by TableId; tables[kSniTable] is unused (the cells).
  KeyTable tables[kTableCount];
  // One bit per tag of tables[kIpTable] (the high half of HashKey), for
  // FindAddress; set by IndexAddresses().
  std::vector<uint64_t> address_filter;
  size_t address_filter_mask = 0;

  // Fills address_filter from tables[kIpTable]: about 32 bits an address,
  // at most 1 Mbit (128 KiB), at least one word.
  void IndexAddresses() {
    const KeyTable& table = tables[kIpTable];
    size_t bits = 64;
    while (bits < table.size() * 32 && bits < (size_t{1} << 20)) bits *= 2;
    address_filter.assign(bits / 64, 0);
    address_filter_mask = bits - 1;
    for (size_t i = 0; i < table.capacity(); ++i) {
      const KeyTable::Slot& slot = table.slots()[i];
      if (slot.record == KeyTable::kNone) continue;
      const size_t bit = slot.tag & address_filter_mask;
      address_filter[bit / 64] |= uint64_t{1} << (bit % 64);
    }
  }

  SnapshotOptions options;
  std::shared_ptr<const SnapshotStorage> storage;

  RecordHeader Header(uint32_t offset) const {
    RecordHeader h;
    std::memcpy(&h, arena + offset, sizeof h);
    return h;
  }
  // One field of the header at `offset`, read in place (the lookup path:
  // no copy of the whole header on the stack).
  template <typename T>
  T Field(uint32_t offset, size_t field) const {
    T value;
    std::memcpy(&value, arena + offset + field, sizeof value);
    return value;
  }
  const uint8_t* KeyBytes(uint32_t offset) const {
    return arena + offset + sizeof(RecordHeader);
  }
  std::string_view KeyText(uint32_t offset, const RecordHeader& h) const {
    return {reinterpret_cast<const char*>(KeyBytes(offset)), h.key_size};
  }
  bool IsTombstone(uint32_t offset) const {
    return (arena[offset + offsetof(RecordHeader, flags)] & kTombstone) != 0;
  }
  std::string_view String(uint32_t id) const {
    return {string_bytes + strings[id].offset, strings[id].size};
  }
  // The first byte after the cells: where the other records start.
  size_t RecordsStart() const { return cells * kCellSize; }

  // Whether the record at `offset` has this port and, from byte `skip` on,
  // this key.
  bool Matches(uint32_t offset, std::string_view key, uint16_t port,
               size_t skip = 0) const {
    RecordHeader h = Header(offset);
    // (memcmp must not see the null data of an empty key.)
    return h.port == port && h.key_size == key.size() + skip &&
           (key.empty() ||
            std::memcmp(KeyBytes(offset) + skip, key.data(), key.size()) == 0);
  }

  // The record whose key, from byte `skip` on, is `key`, with that port,
  // in table `id`; `hash` is HashKey(key, port). KeyTable::kNone if none.
  uint32_t Find(TableId id, std::string_view key, uint16_t port, uint64_t hash,
                size_t skip = 0) const {
    if (id == kSniTable) return FindCell(key, port, hash);
    return tables[id].Find(hash, [&](uint32_t offset) {
      return Matches(offset, key, port, skip);
    });
  }
  uint32_t Find(TableId id, std::string_view key, uint16_t port) const {
    return Find(id, key, port, HashKey(key.data(), key.size(), port));
  }

  // The ipport record of these address bytes (4 or 16) and port, or
  // KeyTable::kNone: Find(kIpTable, ...) with the comparison inlined.
  // Most connections come to an address without a binding of its own:
  // AddressFilter() rules them out with one bit, where the table's probe
  // would end at a slot that is empty half of the time -- a branch the
  // processor cannot predict.
  uint32_t FindAddress(const uint8_t* bytes, size_t size, uint16_t port) const {
    const KeyTable& table = tables[kIpTable];
    if (table.empty()) return KeyTable::kNone;
    const uint64_t hash = HashKey(bytes, size, port);
    const auto bit = static_cast<size_t>(hash >> 32) & address_filter_mask;
    if ((address_filter[bit / 64] >> (bit % 64) & 1) == 0) {
      return KeyTable::kNone;
    }
    return table.Find(hash, [&](uint32_t offset) {
      const RecordHeader h = Header(offset);
      return h.port == port && h.key_size == size &&
             (size == 4 ? std::memcmp(KeyBytes(offset), bytes, 4)
                        : std::memcmp(KeyBytes(offset), bytes, 16)) == 0;
    });
  }

  // Whether the record at `offset` has this port and, as its key, the
  // canonical form of `name`, a host name in any case (EqualsFolded).
  bool MatchesFolded(uint32_t offset, std::string_view name,
                     uint16_t port) const {
    return Field<uint16_t>(offset, offsetof(RecordHeader, port)) == port &&
           Field<uint8_t>(offset, offsetof(RecordHeader, key_size)) ==
               name.size() &&
           (EqualsExactly(KeyBytes(offset), name) ||
            EqualsFolded(KeyBytes(offset), name));
  }

  // The exact-name lookup: the home cell holds the record in the common
  // case.
  uint32_t FindCell(std::string_view key, uint16_t port, uint64_t hash) const {
    return ProbeCells(
        hash, [&](uint32_t offset) { return Matches(offset, key, port); });
  }
  // The same for a name in any case, as a client sent it (no trailing
  // dot), with hash HashFoldedName(name, port): found only when the name is
  // a valid host name whose canonical form is a key.
  uint32_t FindCellFolded(std::string_view name, uint16_t port,
                          uint64_t hash) const {
    return ProbeCells(hash, [&](uint32_t offset) {
      return MatchesFolded(offset, name, port);
    });
  }
  // Fetches what a lookup of this hash reads first: its control bytes and
  // its home cell (where the name is most often), so that a lookup can start
  // both before it needs them.
  void PrefetchCells(uint64_t hash) const {
    if (cells == 0) return;
    const size_t home = HomeCell(hash, cells);
    __builtin_prefetch(control + home);
    __builtin_prefetch(arena + home * kCellSize);
  }

  // The record of the cells probed from the hash's home cell for which
  // matches(record) holds, or KeyTable::kNone. The control bytes say which
  // cells to compare: in the common case one, wherever it is.
  template <typename Matches>
  [[gnu::always_inline]] uint32_t ProbeCells(uint64_t hash,
                                             const Matches& matches) const {
    if (cells == 0) return KeyTable::kNone;
    const uint8_t byte = ControlByte(hash);
    size_t first = HomeCell(hash, cells);
    // (Bounded: a table always has an empty cell, but an image's control
    // bytes are only as good as its checksum.)
    for (size_t groups = cells / kGroupWidth + 1; groups > 0; --groups) {
      const ControlGroup group(control, first);
      for (uint64_t m = group.Matches(byte); m != 0; m &= m - 1) {
        size_t cell = first + ControlGroup::Lowest(m);
        if (cell >= cells) cell -= cells;
        const uint32_t record = CellRecord(cell, hash);
        if (record != KeyTable::kNone && matches(record)) return record;
      }
      if (group.HasEmpty()) return KeyTable::kNone;
      first += kGroupWidth;
      if (first >= cells) first -= cells;
    }
    return KeyTable::kNone;
  }

  // The record a used cell holds or points to (an indirect cell only when
  // its tag is the hash's), else KeyTable::kNone.
  uint32_t CellRecord(size_t cell, uint64_t hash) const {
    const auto offset = static_cast<uint32_t>(cell * kCellSize);
    const auto flags = Field<uint8_t>(offset, offsetof(RecordHeader, flags));
    if ((flags & kCellIndirect) == 0) {
      return (flags & kCellUsed) != 0 ? offset : KeyTable::kNone;
    }
    if (Field<uint32_t>(offset, offsetof(IndirectCell, tag)) !=
        static_cast<uint32_t>(hash >> 32)) {
      return KeyTable::kNone;
    }
    return Field<uint32_t>(offset, offsetof(IndirectCell, record));
  }

  // Calls visit(offset) for every record (not for indirect cells).
  template <typename Visit>
  void ForEachRecord(const Visit& visit) const {
    for (size_t i = 0; i < cells; ++i) {
      const auto offset = static_cast<uint32_t>(i * kCellSize);
      const uint8_t flags = Header(offset).flags;
      if ((flags & kCellUsed) != 0 && (flags & kCellIndirect) == 0) {
        visit(offset);
      }
    }
    for (size_t offset = RecordsStart(); offset < arena_size;) {
      const RecordHeader h = Header(static_cast<uint32_t>(offset));
      visit(static_cast<uint32_t>(offset));
      offset += RecordSize(h);
    }
  }

  static size_t RecordSize(const RecordHeader& h) {
    return (sizeof(RecordHeader) + h.key_size + h.hash_size + 3) & ~size_t{3};
  }
};

// The bytes a record takes in the arena, padding included.
inline size_t RecordSize(const RecordHeader& h) {
  return SnapshotRep::RecordSize(h);
}

// The key of the record at `offset` (allocates for named keys).
BindingKey RecordKey(const SnapshotRep& rep, uint32_t offset);

// Lays out a snapshot binding by binding (so that a store of a million
// bindings is never held as a million Binding objects), then indexes it.
class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(SnapshotOptions options);

  // Appends one binding. InvalidArgument if it cannot be held (a hash longer
  // than 255 bytes) or the arena would pass 4 GiB.
  Status Add(const Binding& binding);
  // An overlay's record of a deleted key: hides the base's binding.
  Status AddTombstone(const BindingKey& key);
  // Indexes what was added. InvalidArgument naming the key if two bindings
  // have the same key. The builder is spent afterwards.
  Result<std::shared_ptr<const Snapshot>> Finish();
  // As Finish, for an overlay over `base` (a snapshot without one): lookups
  // try the overlay's records first -- a tombstone answers "none" -- then
  // the base's. Bindings and tombstones name distinct keys.
  Result<std::shared_ptr<const Snapshot>> FinishOverlay(
      std::shared_ptr<const Snapshot> base);

  // A snapshot of a laid-out rep (a mapped image's), and the rep of one.
  static std::shared_ptr<const Snapshot> Wrap(
      std::unique_ptr<const SnapshotRep> rep);
  static const SnapshotRep& RepOf(const Snapshot& snapshot) {
    return *snapshot.rep_;
  }

 private:
  struct Built;

  Status AppendRecord(const BindingKey& key, uint32_t profile,
                      std::span<const uint8_t> cert_hash, uint8_t flags);
  // Lays the records out (cells, then the others) and indexes them.
  Status IndexRecords();

  uint32_t InternProfile(const Binding& binding);
  uint32_t InternString(const std::optional<std::string>& text);

  std::unique_ptr<SnapshotRep> rep_;
  // The records as added, before IndexRecords lays them out.
  GrowingBuffer staging_;
  std::vector<Profile> profiles_;
  std::vector<std::string> strings_;
  size_t table_counts_[kTableCount] = {};
  size_t after_cells_ = 0;  // bytes of the records that lie after the cells
  std::unordered_map<std::string, uint32_t> profile_ids_;
  std::unordered_map<std::string, uint32_t> string_ids_;
  std::string profile_scratch_;
  uint32_t last_profile_ = 0;  // the profile of the last binding added
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_SNAPSHOT_REP_H_
