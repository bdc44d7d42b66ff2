// The journal's packing of a revision's changes.
#include "storage/journal_packing.h"

#include <algorithm>

namespace sslbind::internal {
namespace {

// journal_revision.changes, little-endian. Version 2 (written since schema
// 004):
//   u32 0xffffffff | u8 2 | then per changed key:
//   u32 shared | u32 length | path bytes | u8 which (1: before, 2: after) |
//   [delta] before | [delta] after
// where the key's path is the first `shared` bytes of the previous key's
// path followed by the path bytes (a batch's keys are mostly siblings), and
// a delta is a value list (storage/value_codec.h) written against the
// previous key's list of the same side (before or after; empty for the
// first): u32 prefix | u32 suffix | u32 length | middle bytes -- the list
// is the previous one's first `prefix` bytes, the middle bytes, and its
// last `suffix` bytes. Siblings' lists differ in a few bytes (a thumbprint),
// so an import of 100k bindings journals about a fifth of their bytes.
//
// Version 1 (schema 003, still read): no header, and each side is
//   u32 length | the value list.
// Its first key's `shared` is 0, so a version 1 packing never starts with
// the version 2 header.
constexpr uint8_t kHasBefore = 1;
constexpr uint8_t kHasAfter = 2;
constexpr uint32_t kHeaderMark = 0xffffffff;
constexpr uint8_t kVersion = 2;

void PutU32(std::vector<uint8_t>& out, size_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void PutBytes(std::vector<uint8_t>& out, const void* data, size_t size) {
  PutU32(out, size);
  const auto* p = static_cast<const uint8_t*>(data);
  out.insert(out.end(), p, p + size);
}

// `list` as a delta against `previous`.
void PutDelta(std::vector<uint8_t>& out, const PackedValues& previous,
              const PackedValues& list) {
  const size_t limit = std::min(previous.size(), list.size());
  size_t prefix = 0;
  while (prefix < limit && previous[prefix] == list[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < limit - prefix &&
         previous[previous.size() - 1 - suffix] ==
             list[list.size() - 1 - suffix]) {
    ++suffix;
  }
  PutU32(out, prefix);
  PutU32(out, suffix);
  PutBytes(out, list.data() + prefix, list.size() - prefix - suffix);
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

std::vector<uint8_t> PackChanges(const std::vector<JournalKeyChange>& changes) {
  size_t size = 5;
  for (const JournalKeyChange& c : changes) {
    size += 13 + c.path.size() + (c.before ? c.before->size() / 4 + 12 : 0) +
            (c.after ? c.after->size() / 4 + 12 : 0);
  }
  std::vector<uint8_t> out;
  out.reserve(size);
  PutU32(out, kHeaderMark);
  out.push_back(kVersion);
  std::string_view previous;
  static const PackedValues kNone;
  const PackedValues* previous_before = &kNone;
  const PackedValues* previous_after = &kNone;
  for (const JournalKeyChange& c : changes) {
    size_t shared = 0;
    while (shared < previous.size() && shared < c.path.size() &&
           previous[shared] == c.path[shared]) {
      ++shared;
    }
    PutU32(out, shared);
    PutBytes(out, c.path.data() + shared, c.path.size() - shared);
    previous = c.path;
    out.push_back(static_cast<uint8_t>((c.before ? kHasBefore : 0) |
                                       (c.after ? kHasAfter : 0)));
    if (c.before) {
      PutDelta(out, *previous_before, *c.before);
      previous_before = &*c.before;
    }
    if (c.after) {
      PutDelta(out, *previous_after, *c.after);
      previous_after = &*c.after;
    }
  }
  return out;
}

Status UnpackChanges(std::span<const uint8_t> data,
                     const std::string& folded_key,
                     std::vector<JournalKeyChange>* changes) {
  size_t at = 0;
  auto u32 = [&](size_t* out) {
    if (data.size() - at < 4) return false;
    size_t n = 0;
    for (int i = 0; i < 4; ++i) n |= size_t{data[at + i]} << (8 * i);
    at += 4;
    *out = n;
    return true;
  };
  auto bytes = [&](std::span<const uint8_t>* out) {
    size_t n = 0;
    if (!u32(&n) || data.size() - at < n) return false;
    *out = data.subspan(at, n);
    at += n;
    return true;
  };
  int version = 1;
  if (data.size() >= 5 && data[0] == 0xff && data[1] == 0xff &&
      data[2] == 0xff && data[3] == 0xff) {
    version = data[4];
    at = 5;
  }
  const Status corrupt =
      Status::IncompatibleStore("a journal entry is malformed");
  if (version != 1 && version != kVersion) return corrupt;
  // One side's value list: whole (version 1) or against `previous`.
  auto side = [&](PackedValues* previous) {
    if (version == 1) {
      std::span<const uint8_t> list;
      if (!bytes(&list)) return false;
      previous->assign(list.begin(), list.end());
      return true;
    }
    size_t prefix = 0, suffix = 0;
    std::span<const uint8_t> middle;
    if (!u32(&prefix) || !u32(&suffix) || !bytes(&middle) ||
        prefix > previous->size() || suffix > previous->size() - prefix) {
      return false;
    }
    PackedValues list;
    list.reserve(prefix + middle.size() + suffix);
    list.insert(list.end(), previous->begin(),
                previous->begin() + static_cast<ptrdiff_t>(prefix));
    list.insert(list.end(), middle.begin(), middle.end());
    list.insert(list.end(),
                previous->end() - static_cast<ptrdiff_t>(suffix),
                previous->end());
    *previous = std::move(list);
    return true;
  };
  std::string path;  // the current key's, built on the previous one's
  PackedValues before, after;  // the current key's, built on the previous
  while (at < data.size()) {
    std::span<const uint8_t> rest;
    size_t shared = 0;
    if (!u32(&shared) || shared > path.size() || !bytes(&rest) ||
        at >= data.size()) {
      return corrupt;
    }
    path.resize(shared);
    path.append(reinterpret_cast<const char*>(rest.data()), rest.size());
    const uint8_t which = data[at++];
    if ((which & kHasBefore) && !side(&before)) return corrupt;
    if ((which & kHasAfter) && !side(&after)) return corrupt;
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
