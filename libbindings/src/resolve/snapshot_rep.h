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
// Profile: a million bindings have a handful. Five KeyTables index the
// records by the keys the resolution steps look for. A typical SNI binding
// costs about 56 bytes of arena and 16 of table.
#ifndef SSLBIND_SRC_RESOLVE_SNAPSHOT_REP_H_
#define SSLBIND_SRC_RESOLVE_SNAPSHOT_REP_H_

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
  uint8_t flags = 0;
  uint8_t reserved[2] = {};
};
inline constexpr uint8_t kTombstone = 1;
static_assert(sizeof(RecordHeader) == 12);

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

struct SnapshotRep {
  std::vector<uint8_t, HugePageAllocator<uint8_t>> arena;
  std::vector<Profile> profiles;
  std::vector<std::string> strings;
  size_t count = 0;

  KeyTable ip;        // ipport: address bytes (4 or 16) and port
  KeyTable sni;       // hostnameport, exact names
  KeyTable wildcard;  // hostnameport *.parent, by parent and port
  KeyTable scoped;    // scopedccs: name and port
  KeyTable ccs;       // ccs: port only

  SnapshotOptions options;

  RecordHeader Header(uint32_t offset) const {
    RecordHeader h;
    std::memcpy(&h, arena.data() + offset, sizeof h);
    return h;
  }
  const uint8_t* KeyBytes(uint32_t offset) const {
    return arena.data() + offset + sizeof(RecordHeader);
  }
  std::string_view KeyText(uint32_t offset, const RecordHeader& h) const {
    return {reinterpret_cast<const char*>(KeyBytes(offset)), h.key_size};
  }
  bool IsTombstone(uint32_t offset) const {
    return (arena[offset + offsetof(RecordHeader, flags)] & kTombstone) != 0;
  }

  // The record whose key, from byte `skip` on, is `key`, with that port,
  // in `table`; `hash` is HashKey(key, port). KeyTable::kNone if none.
  uint32_t Find(const KeyTable& table, std::string_view key, uint16_t port,
                uint64_t hash, size_t skip = 0) const {
    return table.Find(hash, [&](uint32_t offset) {
      RecordHeader h = Header(offset);
      // (memcmp must not see the null data of an empty key.)
      return h.port == port && h.key_size == key.size() + skip &&
             (key.empty() || std::memcmp(KeyBytes(offset) + skip, key.data(),
                                         key.size()) == 0);
    });
  }
  uint32_t Find(const KeyTable& table, std::string_view key,
                uint16_t port) const {
    return Find(table, key, port, HashKey(key.data(), key.size(), port));
  }
};

// The bytes a record takes in the arena, padding included.
inline size_t RecordSize(const RecordHeader& h) {
  return (sizeof(RecordHeader) + h.key_size + h.hash_size + 3) & ~size_t{3};
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

 private:
  Status AppendRecord(const BindingKey& key, uint32_t profile,
                      std::span<const uint8_t> cert_hash, uint8_t flags);
  Status IndexRecords();

  uint32_t InternProfile(const Binding& binding);
  uint32_t InternString(const std::optional<std::string>& text);

  std::unique_ptr<SnapshotRep> rep_;
  size_t table_counts_[5] = {};
  std::unordered_map<std::string, uint32_t> profile_ids_;
  std::unordered_map<std::string, uint32_t> string_ids_;
  std::string profile_scratch_;
  uint32_t last_profile_ = 0;  // the profile of the last binding added
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_RESOLVE_SNAPSHOT_REP_H_
