// The journal's packing of a revision's changes.
#include "storage/journal_packing.h"

#include <algorithm>

#include "storage/value_codec.h"

namespace sslbind::internal {
namespace {

// journal_revision.changes. Version 3 (written since schema 006, and
// PostgreSQL's 004):
//   u32 0xffffffff | u8 3 | then per changed key:
//   varint shared | varint length | path bytes | u8 which (1: before,
//   2: after) | [side] before | [side] after
// where the key's path is the first `shared` bytes of the previous key's
// path followed by the path bytes (a batch's keys are mostly siblings), and
// a side is a value list written against the previous key's list of the
// same side (before or after; empty for the first):
//   varint count | per value i, a tag and what it needs:
//     0 (kSame): value i of the previous list, unchanged;
//     1 (kNewData): its name and type, then varint length | data bytes;
//     2 (kNewValue): the value in the compact packing's form
//       (storage/value_codec.h: a name code or the name, type, data).
// Siblings' lists differ in a value or two (a thumbprint), so an import
// journals little more than the paths and those values. Varints: LEB128.
//
// Version 2 (schema 004 and 005, still read): the same header with 2, and
//   u32 shared | u32 length | path bytes | u8 which | [delta] before |
//   [delta] after
// where a delta is a PackValues list against the previous one of its
// side: u32 prefix | u32 suffix | u32 length | middle bytes -- the
// previous list's first `prefix` bytes, the middle bytes, its last
// `suffix` bytes.
//
// Version 1 (schema 003, still read): no header; as version 2 but each
// side is u32 length | the PackValues list. Its first key's `shared` is 0,
// so a version 1 packing never starts with the header.
constexpr uint8_t kHasBefore = 1;
constexpr uint8_t kHasAfter = 2;
constexpr uint32_t kHeaderMark = 0xffffffff;
constexpr uint8_t kVersion = 3;
constexpr uint8_t kSame = 0;
constexpr uint8_t kNewData = 1;
constexpr uint8_t kNewValue = 2;

void PutU32(std::vector<uint8_t>& out, size_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

bool SameBytes(std::span<const uint8_t> a, std::span<const uint8_t> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// `list` against `previous` (both views of PackValues lists).
void PutSide(std::vector<uint8_t>& out,
             const std::vector<PackedValueView>& previous,
             const std::vector<PackedValueView>& list) {
  PutVarint(out, list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const PackedValueView& v = list[i];
    if (i < previous.size() && previous[i].type == v.type &&
        SameBytes(previous[i].name, v.name)) {
      if (SameBytes(previous[i].data, v.data)) {
        out.push_back(kSame);
      } else {
        out.push_back(kNewData);
        PutVarint(out, v.data.size());
        out.insert(out.end(), v.data.begin(), v.data.end());
      }
    } else {
      out.push_back(kNewValue);
      AppendCompactValue(v, &out);
    }
  }
}

}  // namespace

int64_t JournalKeyHash(std::string_view path) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (char c : path) {
    const auto u = static_cast<unsigned char>(c);
    h = (h ^ (u >= 'A' && u <= 'Z' ? u + 32u : u)) * 0x100000001b3ull;
  }
  h &= static_cast<uint64_t>(INT64_MAX);
  return h == static_cast<uint64_t>(kJournalAnyKey) ? 1
                                                    : static_cast<int64_t>(h);
}

void ChangePacker::Clear() {
  out_.clear();
  PutU32(out_, kHeaderMark);
  out_.push_back(kVersion);
  count_ = 0;
  previous_path_.clear();
  previous_before_.clear();
  previous_after_.clear();
  before_views_.clear();
  after_views_.clear();
}

std::vector<uint8_t> ChangePacker::Take() {
  std::vector<uint8_t> packed = std::move(out_);
  Clear();
  return packed;
}

Status ChangePacker::Add(const JournalKeyChange& c) {
  const Status malformed =
      Status::Internal("a journaled value list is malformed");
  // Checked before anything is written: a refused change leaves no trace.
  if ((c.before && !ViewPackedValues(*c.before, &scratch_)) ||
      (c.after && !ViewPackedValues(*c.after, &scratch_))) {
    return malformed;
  }
  size_t shared = 0;
  while (shared < previous_path_.size() && shared < c.path.size() &&
         previous_path_[shared] == c.path[shared]) {
    ++shared;
  }
  PutVarint(out_, shared);
  PutVarint(out_, c.path.size() - shared);
  out_.insert(out_.end(), c.path.begin() + static_cast<ptrdiff_t>(shared),
              c.path.end());
  previous_path_ = c.path;
  out_.push_back(static_cast<uint8_t>((c.before ? kHasBefore : 0) |
                                      (c.after ? kHasAfter : 0)));
  // Each side against the previous key's list of that side, kept as a
  // copy (the caller's change may go once added).
  auto side = [&](const PackedValues& list, PackedValues* previous,
                  std::vector<PackedValueView>* views) {
    ViewPackedValues(list, &scratch_);
    PutSide(out_, *views, scratch_);
    *previous = list;
    ViewPackedValues(*previous, views);
  };
  if (c.before) side(*c.before, &previous_before_, &before_views_);
  if (c.after) side(*c.after, &previous_after_, &after_views_);
  ++count_;
  return Status::Ok();
}

Status PackChanges(const std::vector<JournalKeyChange>& changes,
                   std::vector<uint8_t>* out) {
  ChangePacker packer;
  for (const JournalKeyChange& c : changes) {
    Status s = packer.Add(c);
    if (!s.ok()) return s;
  }
  *out = packer.Take();
  return Status::Ok();
}

Status JournalRowOf(const JournalRecord& record, std::vector<uint8_t>* storage,
                    std::span<const uint8_t>* changes,
                    std::vector<int64_t>* key_hashes) {
  key_hashes->clear();
  size_t count = record.changes.size();
  if (record.packed) {
    *changes = record.packed->bytes;
    count = record.packed->count;
    if (count <= kJournalIndexedKeysMax) *key_hashes = record.packed->key_hashes;
  } else {
    Status s = PackChanges(record.changes, storage);
    if (!s.ok()) return s;
    *changes = *storage;
    if (count <= kJournalIndexedKeysMax) {
      for (const JournalKeyChange& c : record.changes) {
        key_hashes->push_back(JournalKeyHash(c.path));
      }
    }
  }
  if (count > kJournalIndexedKeysMax) key_hashes->assign(1, kJournalAnyKey);
  return Status::Ok();
}

Status UnpackChanges(std::span<const uint8_t> data,
                     const std::string& folded_key,
                     std::vector<JournalKeyChange>* changes) {
  size_t at = 0;
  int version = 1;
  if (data.size() >= 5 && data[0] == 0xff && data[1] == 0xff &&
      data[2] == 0xff && data[3] == 0xff) {
    version = data[4];
    at = 5;
  }
  const Status corrupt =
      Status::IncompatibleStore("a journal entry is malformed");
  if (version < 1 || version > kVersion) return corrupt;
  // A length: u32 before version 3, a varint since.
  auto length = [&](size_t* out) {
    if (version >= 3) {
      uint64_t n = 0;
      if (!GetVarint(data, &at, &n) || n > data.size()) return false;
      *out = static_cast<size_t>(n);
      return true;
    }
    if (data.size() - at < 4) return false;
    size_t n = 0;
    for (int i = 0; i < 4; ++i) n |= size_t{data[at + i]} << (8 * i);
    at += 4;
    *out = n;
    return true;
  };
  auto bytes = [&](std::span<const uint8_t>* out) {
    size_t n = 0;
    if (!length(&n) || data.size() - at < n) return false;
    *out = data.subspan(at, n);
    at += n;
    return true;
  };
  // One side's value list: whole (version 1), a byte delta against
  // *previous (version 2), or value by value against its values `views`
  // (version 3; views of *previous, updated with it).
  std::vector<PackedValueView> scratch;
  auto side = [&](PackedValues* previous,
                  std::vector<PackedValueView>* views) {
    if (version == 1) {
      std::span<const uint8_t> list;
      if (!bytes(&list)) return false;
      previous->assign(list.begin(), list.end());
      return true;
    }
    PackedValues list;
    if (version == 2) {
      size_t prefix = 0, suffix = 0;
      std::span<const uint8_t> middle;
      if (!length(&prefix) || !length(&suffix) || !bytes(&middle) ||
          prefix > previous->size() || suffix > previous->size() - prefix) {
        return false;
      }
      list.reserve(prefix + middle.size() + suffix);
      list.insert(list.end(), previous->begin(),
                  previous->begin() + static_cast<ptrdiff_t>(prefix));
      list.insert(list.end(), middle.begin(), middle.end());
      list.insert(list.end(),
                  previous->end() - static_cast<ptrdiff_t>(suffix),
                  previous->end());
      *previous = std::move(list);
      return true;
    }
    size_t count = 0;
    if (!length(&count)) return false;
    for (size_t i = 0; i < count; ++i) {
      if (at >= data.size()) return false;
      const uint8_t tag = data[at++];
      if (tag == kNewValue) {
        if (!ReadCompactValueInto(data, &at, &list).ok()) return false;
        continue;
      }
      if (i >= views->size()) return false;
      const PackedValueView& old = (*views)[i];
      std::span<const uint8_t> value = old.data;
      if (tag == kNewData) {
        if (!bytes(&value)) return false;
      } else if (tag != kSame) {
        return false;
      }
      AppendPackedValue(old.name, old.type, value, &list);
    }
    *previous = std::move(list);
    // (Views of the list just built; the old ones pointed into the last.)
    if (!ViewPackedValues(*previous, &scratch)) return false;
    views->swap(scratch);
    return true;
  };
  std::string path;  // the current key's, built on the previous one's
  PackedValues before, after;  // the current key's, built on the previous
  std::vector<PackedValueView> before_views, after_views;
  while (at < data.size()) {
    std::span<const uint8_t> rest;
    size_t shared = 0;
    if (!length(&shared) || shared > path.size() || !bytes(&rest) ||
        at >= data.size()) {
      return corrupt;
    }
    path.resize(shared);
    path.append(reinterpret_cast<const char*>(rest.data()), rest.size());
    const uint8_t which = data[at++];
    if ((which & kHasBefore) && !side(&before, &before_views)) return corrupt;
    if ((which & kHasAfter) && !side(&after, &after_views)) return corrupt;
    if (!folded_key.empty() && !NamesEqual(path, folded_key)) continue;
    JournalKeyChange change;
    change.path = path;
    if (which & kHasBefore) change.before = before;
    if (which & kHasAfter) change.after = after;
    changes->push_back(std::move(change));
  }
  return Status::Ok();
}

}  // namespace sslbind::internal
