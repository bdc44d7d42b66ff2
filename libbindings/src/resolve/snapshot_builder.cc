// SnapshotBuilder: bindings into records, records into tables.
#include <algorithm>
#include <limits>

#include "resolve/snapshot_rep.h"

namespace sslbind::internal {
namespace {

// How many profiles are compared one by one before hashing.
constexpr size_t kFewProfiles = 8;

// Whether a record of table `id` lies in a cell (the rest lie after the
// cells).
bool InCell(TableId id, const RecordHeader& h) {
  return id == kSniTable && RecordSize(h) <= kCellSize;
}

bool IsWildcardName(std::string_view name) {
  return name.starts_with(kWildcardPrefix);
}

TableId TableOf(BindingKind kind, std::string_view name) {
  switch (kind) {
    case BindingKind::kIpPort: return kIpTable;
    case BindingKind::kHostnamePort:
      return IsWildcardName(name) ? kWildcardTable : kSniTable;
    case BindingKind::kScopedCcs: return kScopedTable;
    case BindingKind::kCcs: return kCcsTable;
  }
  return kIpTable;
}

// Whether the binding's shared parameters are those of the profile.
bool SameProfile(const Binding& b, const Profile& p,
                 const std::vector<std::string>& strings) {
  auto same = [&](const std::optional<std::string>& text, uint32_t id) {
    return text ? id != kNoString && strings[id] == *text : id == kNoString;
  };
  return b.app_id == p.app_id && b.check_mode == p.check_mode &&
         b.revocation_freshness_time == p.revocation_freshness_time &&
         b.url_retrieval_timeout == p.url_retrieval_timeout &&
         b.flags == p.flags && same(b.cert_store_name, p.cert_store_name) &&
         same(b.ctl_identifier, p.ctl_identifier) &&
         same(b.ctl_store_name, p.ctl_store_name);
}

}  // namespace

// What a built snapshot's views point into.
struct SnapshotBuilder::Built : SnapshotStorage {
  std::vector<uint8_t, HugePageAllocator<uint8_t>> arena;
  std::vector<uint8_t> control;
  std::vector<Profile> profiles;
  std::vector<StringRef> strings;
  std::string string_bytes;
};

SnapshotBuilder::SnapshotBuilder(SnapshotOptions options)
    : rep_(std::make_unique<SnapshotRep>()) {
  rep_->options = std::move(options);
}

uint32_t SnapshotBuilder::InternString(const std::optional<std::string>& text) {
  if (!text) return kNoString;
  auto [it, added] =
      string_ids_.try_emplace(*text, static_cast<uint32_t>(strings_.size()));
  if (added) strings_.push_back(*text);
  return it->second;
}

uint32_t SnapshotBuilder::InternProfile(const Binding& b) {
  // Most stores have a handful of profiles: compare with each of the first
  // few, then with the last one used, before hashing.
  const std::vector<Profile>& profiles = profiles_;
  const size_t few = std::min(profiles.size(), kFewProfiles);
  for (size_t i = 0; i < few; ++i) {
    if (SameProfile(b, profiles[i], strings_)) {
      return static_cast<uint32_t>(i);
    }
  }
  if (profiles.size() > kFewProfiles &&
      SameProfile(b, profiles[last_profile_], strings_)) {
    return last_profile_;
  }
  Profile p;
  p.app_id = b.app_id;
  p.check_mode = b.check_mode;
  p.revocation_freshness_time = b.revocation_freshness_time;
  p.url_retrieval_timeout = b.url_retrieval_timeout;
  p.flags = b.flags;
  p.cert_store_name = InternString(b.cert_store_name);
  p.ctl_identifier = InternString(b.ctl_identifier);
  p.ctl_store_name = InternString(b.ctl_store_name);
  static_assert(std::has_unique_object_representations_v<Profile>,
                "Profile's bytes must identify it");
  profile_scratch_.assign(reinterpret_cast<const char*>(&p), sizeof p);
  auto [it, added] = profile_ids_.try_emplace(
      profile_scratch_, static_cast<uint32_t>(profiles_.size()));
  if (added) profiles_.push_back(p);
  last_profile_ = it->second;
  return last_profile_;
}

Status SnapshotBuilder::Add(const Binding& binding) {
  Status s =
      AppendRecord(binding.key, InternProfile(binding), binding.cert_hash, 0);
  if (s.ok()) ++rep_->count;
  return s;
}

Status SnapshotBuilder::AddTombstone(const BindingKey& key) {
  return AppendRecord(key, 0, {}, kTombstone);
}

Status SnapshotBuilder::AppendRecord(const BindingKey& key, uint32_t profile,
                                     std::span<const uint8_t> cert_hash,
                                     uint8_t flags) {
  std::string_view key_bytes;
  switch (key.kind()) {
    case BindingKind::kIpPort:
      key_bytes = {reinterpret_cast<const char*>(key.address().bytes.data()),
                   key.address().is_v6() ? size_t{16} : size_t{4}};
      break;
    case BindingKind::kHostnamePort:
    case BindingKind::kScopedCcs: key_bytes = key.hostname(); break;
    case BindingKind::kCcs: break;
  }
  if (key_bytes.size() > kMaxHostnameLength) {
    return Status::InvalidArgument(key.ToParam() +
                                   ": the name is longer than 253 characters");
  }
  if (cert_hash.size() > std::numeric_limits<uint8_t>::max()) {
    return Status::InvalidArgument(key.ToParam() +
                                   ": the certificate hash is too long");
  }
  RecordHeader h;
  h.profile = profile;
  h.port = key.port();
  h.kind = key.kind();
  h.key_size = static_cast<uint8_t>(key_bytes.size());
  h.hash_size = static_cast<uint8_t>(cert_hash.size());
  h.flags = flags;

  const size_t size = RecordSize(h);
  // (The cells come before the records in the end: leave them room.)
  if (staging_.size() + size +
          CellCount(table_counts_[kSniTable] + 1) * kCellSize >
      KeyTable::kNone) {
    return Status::InvalidArgument(
        "too many bindings for one snapshot (more than 4 GiB of records)");
  }
  uint8_t* out = staging_.Grow(size);
  uint8_t* const end = out + size;
  std::memcpy(out, &h, sizeof h);
  out += sizeof h;
  if (!key_bytes.empty()) {  // a ccs key has none (and no data pointer)
    std::memcpy(out, key_bytes.data(), key_bytes.size());
    out += key_bytes.size();
  }
  if (!cert_hash.empty()) {
    std::memcpy(out, cert_hash.data(), cert_hash.size());
    out += cert_hash.size();
  }
  std::memset(out, 0, static_cast<size_t>(end - out));  // the padding
  const TableId id = TableOf(key.kind(), key_bytes);
  ++table_counts_[id];
  if (!InCell(id, h)) after_cells_ += size;
  return Status::Ok();
}

Status SnapshotBuilder::IndexRecords() {
  SnapshotRep& rep = *rep_;
  auto built = std::make_shared<Built>();
  // The staged records: where each goes, and how much room the ones after
  // the cells need.
  auto staged_header = [&](size_t offset) {
    RecordHeader h;
    std::memcpy(&h, staging_.data() + offset, sizeof h);
    return h;
  };
  auto staged_key = [&](size_t offset, const RecordHeader& h) {
    return std::string_view(
        reinterpret_cast<const char*>(staging_.data() + offset + sizeof h),
        h.key_size);
  };
  const size_t cells = CellCount(table_counts_[kSniTable]);
  // Zeroed: every cell starts empty.
  built->arena.resize(cells * kCellSize + after_cells_);
  rep.arena = built->arena.data();
  rep.arena_size = built->arena.size();
  rep.cells = cells;
  built->control.assign(ControlSize(cells), kEmptyCell);
  uint8_t* control = built->control.data();
  rep.control = control;
  for (size_t i = 0; i < kTableCount; ++i) {
    if (i != kSniTable) rep.tables[i].Reserve(table_counts_[i]);
  }

  uint8_t* arena = built->arena.data();
  size_t next = cells * kCellSize;
  auto twice = [&](uint32_t record) {
    return Status::InvalidArgument(RecordKey(rep, record).ToParam() +
                                   " is given twice");
  };
  // Placing a name in its cell is a cache miss (the cells of a million
  // names are 100 MB, reached in random order): fetch the home cell of the
  // name kAhead records on while this one is placed.
  constexpr int kAhead = 16;
  size_t ahead = 0;
  auto fetch_ahead = [&] {
    if (ahead >= staging_.size()) return;
    const RecordHeader a = staged_header(ahead);
    const std::string_view name = staged_key(ahead, a);
    if (TableOf(a.kind, name) == kSniTable) {
      const uint64_t hash = HashKey(name.data(), name.size(), a.port);
      __builtin_prefetch(arena + HomeCell(hash, cells) * kCellSize, 1);
    }
    ahead += RecordSize(a);
  };
  for (int i = 0; i < kAhead; ++i) fetch_ahead();
  for (size_t offset = 0; offset < staging_.size();) {
    fetch_ahead();
    RecordHeader h = staged_header(offset);
    const size_t size = RecordSize(h);
    std::string_view key = staged_key(offset, h);
    const TableId id = TableOf(h.kind, key);
    // Wildcards are found by their parent name: skip the "*.".
    const size_t skip = id == kWildcardTable ? kWildcardPrefix.size() : 0;
    key.remove_prefix(skip);
    const uint64_t hash = HashKey(key.data(), key.size(), h.port);
    if (id == kSniTable) {
      // One walk from the home cell: past the cells in use (none may hold
      // the name already; only those with the name's control byte can) to
      // the first free one.
      const uint8_t byte = ControlByte(hash);
      size_t cell = HomeCell(hash, cells);
      for (; control[cell] != kEmptyCell;
           cell = cell + 1 == cells ? 0 : cell + 1) {
        if (control[cell] != byte) continue;
        const uint32_t record = rep.CellRecord(cell, hash);
        if (record != KeyTable::kNone && rep.Matches(record, key, h.port)) {
          return twice(record);
        }
      }
      control[cell] = byte;
      uint8_t* out = arena + cell * kCellSize;
      if (InCell(id, h)) {
        std::memcpy(out, staging_.data() + offset, size);
        out[offsetof(RecordHeader, flags)] |= kCellUsed;
      } else {
        IndirectCell c{};
        c.header.flags = kCellUsed | kCellIndirect;
        c.tag = static_cast<uint32_t>(hash >> 32);
        c.record = static_cast<uint32_t>(next);
        std::memcpy(out, &c, sizeof c);
        std::memcpy(arena + next, staging_.data() + offset, size);
        next += size;
      }
    } else {
      const auto record = static_cast<uint32_t>(next);
      std::memcpy(arena + next, staging_.data() + offset, size);
      next += size;
      uint32_t taken = rep.tables[id].Insert(hash, record, [&](uint32_t other) {
        RecordHeader o = rep.Header(other);
        return o.port == h.port && o.kind == h.kind &&
               rep.KeyText(other, o) == rep.KeyText(record, h);
      });
      if (taken != KeyTable::kNone) return twice(record);
    }
    offset += size;
  }
  staging_.Clear();
  // The group of a cell near the end reads on into the first cells' bytes.
  for (size_t i = cells; i < ControlSize(cells); ++i) {
    control[i] = control[i - cells];
  }
  rep.IndexAddresses();

  built->profiles = std::move(profiles_);
  for (const std::string& text : strings_) {
    built->strings.push_back({static_cast<uint32_t>(built->string_bytes.size()),
                              static_cast<uint32_t>(text.size())});
    built->string_bytes += text;
  }
  rep.profiles = built->profiles;
  rep.strings = built->strings;
  rep.string_bytes = built->string_bytes.data();
  rep.storage = std::move(built);
  profile_ids_.clear();
  string_ids_.clear();
  return Status::Ok();
}

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::Finish() {
  Status s = IndexRecords();
  if (!s.ok()) return s;
  return std::shared_ptr<const Snapshot>(
      new Snapshot(std::move(rep_), nullptr, 0));
}

std::shared_ptr<const Snapshot> SnapshotBuilder::Wrap(
    std::unique_ptr<const SnapshotRep> rep) {
  return std::shared_ptr<const Snapshot>(
      new Snapshot(std::move(rep), nullptr, 0));
}

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::FinishOverlay(
    std::shared_ptr<const Snapshot> base) {
  Status s = IndexRecords();
  if (!s.ok()) return s;
  // The overlay's count: the base's, plus the keys it adds, minus the ones
  // it deletes.
  size_t count = base->size();
  const SnapshotRep& rep = *rep_;
  rep.ForEachRecord([&](uint32_t record) {
    const bool in_base = base->Find(RecordKey(rep, record)).has_value();
    if (rep.IsTombstone(record)) {
      count -= in_base ? 1 : 0;
    } else {
      count += in_base ? 0 : 1;
    }
  });
  return std::shared_ptr<const Snapshot>(
      new Snapshot(std::move(rep_), std::move(base), count));
}

}  // namespace sslbind::internal
