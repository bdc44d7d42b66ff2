// SnapshotBuilder: bindings into records, records into tables.
#include <algorithm>
#include <limits>

#include "resolve/snapshot_rep.h"

namespace sslbind::internal {
namespace {

// The tables, in the order of SnapshotBuilder::table_counts_.
enum TableId : size_t {
  kIpTable,
  kSniTable,
  kWildcardTable,
  kScopedTable,
  kCcsTable
};

// How many profiles are compared one by one before hashing.
constexpr size_t kFewProfiles = 8;

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

SnapshotBuilder::SnapshotBuilder(SnapshotOptions options)
    : rep_(std::make_unique<SnapshotRep>()) {
  rep_->options = std::move(options);
}

uint32_t SnapshotBuilder::InternString(const std::optional<std::string>& text) {
  if (!text) return kNoString;
  auto [it, added] = string_ids_.try_emplace(
      *text, static_cast<uint32_t>(rep_->strings.size()));
  if (added) rep_->strings.push_back(*text);
  return it->second;
}

uint32_t SnapshotBuilder::InternProfile(const Binding& b) {
  // Most stores have a handful of profiles: compare with each of the first
  // few, then with the last one used, before hashing.
  const std::vector<Profile>& profiles = rep_->profiles;
  const size_t few = std::min(profiles.size(), kFewProfiles);
  for (size_t i = 0; i < few; ++i) {
    if (SameProfile(b, profiles[i], rep_->strings)) {
      return static_cast<uint32_t>(i);
    }
  }
  if (profiles.size() > kFewProfiles &&
      SameProfile(b, profiles[last_profile_], rep_->strings)) {
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
      profile_scratch_, static_cast<uint32_t>(rep_->profiles.size()));
  if (added) rep_->profiles.push_back(p);
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

  auto& arena = rep_->arena;
  const size_t offset = arena.size();
  const size_t size = RecordSize(h);
  if (offset + size > KeyTable::kNone) {
    return Status::InvalidArgument(
        "too many bindings for one snapshot (more than 4 GiB of records)");
  }
  arena.resize(offset + size);
  uint8_t* out = arena.data() + offset;
  std::memcpy(out, &h, sizeof h);
  out += sizeof h;
  if (!key_bytes.empty()) {  // a ccs key has none (and no data pointer)
    std::memcpy(out, key_bytes.data(), key_bytes.size());
    out += key_bytes.size();
  }
  if (!cert_hash.empty()) {
    std::memcpy(out, cert_hash.data(), cert_hash.size());
  }
  ++table_counts_[TableOf(key.kind(), key_bytes)];
  return Status::Ok();
}

Status SnapshotBuilder::IndexRecords() {
  SnapshotRep& rep = *rep_;
  rep.arena.shrink_to_fit();
  KeyTable* tables[] = {&rep.ip, &rep.sni, &rep.wildcard, &rep.scoped,
                        &rep.ccs};
  for (size_t i = 0; i < std::size(tables); ++i) {
    tables[i]->Reserve(table_counts_[i]);
  }
  for (size_t offset = 0; offset < rep.arena.size();) {
    const auto record = static_cast<uint32_t>(offset);
    const RecordHeader h = rep.Header(record);
    std::string_view key = rep.KeyText(record, h);
    const TableId id = TableOf(h.kind, key);
    // Wildcards are found by their parent name: skip the "*.".
    const size_t skip = id == kWildcardTable ? kWildcardPrefix.size() : 0;
    key.remove_prefix(skip);
    uint64_t hash = HashKey(key.data(), key.size(), h.port);
    uint32_t taken = tables[id]->Insert(hash, record, [&](uint32_t other) {
      RecordHeader o = rep.Header(other);
      return o.port == h.port && o.kind == h.kind &&
             rep.KeyText(other, o) == rep.KeyText(record, h);
    });
    if (taken != KeyTable::kNone) {
      return Status::InvalidArgument(RecordKey(rep, record).ToParam() +
                                     " is given twice");
    }
    offset += RecordSize(h);
  }
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

Result<std::shared_ptr<const Snapshot>> SnapshotBuilder::FinishOverlay(
    std::shared_ptr<const Snapshot> base) {
  Status s = IndexRecords();
  if (!s.ok()) return s;
  // The overlay's count: the base's, plus the keys it adds, minus the ones
  // it deletes.
  size_t count = base->size();
  const SnapshotRep& rep = *rep_;
  for (size_t offset = 0; offset < rep.arena.size();) {
    const auto record = static_cast<uint32_t>(offset);
    const RecordHeader h = rep.Header(record);
    const bool in_base = base->Find(RecordKey(rep, record)).has_value();
    if (rep.IsTombstone(record)) {
      count -= in_base ? 1 : 0;
    } else {
      count += in_base ? 0 : 1;
    }
    offset += RecordSize(h);
  }
  return std::shared_ptr<const Snapshot>(
      new Snapshot(std::move(rep_), std::move(base), count));
}

}  // namespace sslbind::internal
