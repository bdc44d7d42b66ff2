// The journal's packing of a revision's changes.
#include "storage/journal_packing.h"

namespace sslbind::internal {
namespace {

// journal_revision.changes: per changed key, little-endian,
//   u32 shared | u32 length | path bytes | u8 which (1: before, 2: after) |
//   [u32 length | packed values] before | [u32 length | packed values] after
// where the key's path is the first `shared` bytes of the previous key's
// path followed by the path bytes (a batch's keys are mostly siblings).
constexpr uint8_t kHasBefore = 1;
constexpr uint8_t kHasAfter = 2;

void PutU32(std::vector<uint8_t>& out, size_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void PutBytes(std::vector<uint8_t>& out, const void* data, size_t size) {
  PutU32(out, size);
  const auto* p = static_cast<const uint8_t*>(data);
  out.insert(out.end(), p, p + size);
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
  size_t size = 0;
  for (const JournalKeyChange& c : changes) {
    size += 13 + c.path.size() + (c.before ? c.before->size() : 0) +
            (c.after ? c.after->size() : 0);
  }
  std::vector<uint8_t> out;
  out.reserve(size + 4 * changes.size());
  std::string_view previous;
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
    if (c.before) PutBytes(out, c.before->data(), c.before->size());
    if (c.after) PutBytes(out, c.after->data(), c.after->size());
  }
  return out;
}

Status UnpackChanges(std::span<const uint8_t> data,
                     const std::string& folded_key,
                     std::vector<JournalKeyChange>* changes) {
  size_t at = 0;
  auto bytes = [&](std::span<const uint8_t>* out) {
    if (data.size() - at < 4) return false;
    size_t n = 0;
    for (int i = 0; i < 4; ++i) n |= size_t{data[at + i]} << (8 * i);
    at += 4;
    if (data.size() - at < n) return false;
    *out = data.subspan(at, n);
    at += n;
    return true;
  };
  const Status corrupt =
      Status::IncompatibleStore("a journal entry is malformed");
  std::string path;  // the current key's, built on the previous one's
  while (at < data.size()) {
    std::span<const uint8_t> rest, before, after;
    if (data.size() - at < 4) return corrupt;
    size_t shared = 0;
    for (int i = 0; i < 4; ++i) shared |= size_t{data[at + i]} << (8 * i);
    at += 4;
    if (shared > path.size() || !bytes(&rest) || at >= data.size()) {
      return corrupt;
    }
    path.resize(shared);
    path.append(reinterpret_cast<const char*>(rest.data()), rest.size());
    const uint8_t which = data[at++];
    if ((which & kHasBefore) && !bytes(&before)) return corrupt;
    if ((which & kHasAfter) && !bytes(&after)) return corrupt;
    if (!folded_key.empty() && !NamesEqual(path, folded_key)) continue;
    JournalKeyChange change;
    change.path = path;
    if (which & kHasBefore) change.before.emplace(before.begin(), before.end());
    if (which & kHasAfter) change.after.emplace(after.begin(), after.end());
    changes->push_back(std::move(change));
  }
  return Status::Ok();
}

}  // namespace sslbind::internal
