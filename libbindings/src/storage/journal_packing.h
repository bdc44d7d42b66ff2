// Internal: how a revision's changed keys are packed into one byte string
// (journal_revision.changes), the same for every backend.
#ifndef SSLBIND_SRC_STORAGE_JOURNAL_PACKING_H_
#define SSLBIND_SRC_STORAGE_JOURNAL_PACKING_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "storage/registry_backend.h"
#include "storage/value_codec.h"

namespace sslbind::internal {

// The key index of the journal (schema/004_journal_key.sql): a revision
// that changed at most this many keys has one index row per key; a larger
// one (an import) has one row "look inside" (hash kJournalAnyKey).
inline constexpr size_t kJournalIndexedKeysMax = 1000;
inline constexpr int64_t kJournalAnyKey = 0;

// A 63-bit hash of a path as registry names compare (ASCII case folded),
// never kJournalAnyKey; the same on every backend.
int64_t JournalKeyHash(std::string_view path);

// Packs changes one at a time, in the order given (siblings next to each
// other pack best), as PackChanges packs a list.
class ChangePacker {
 public:
  ChangePacker() { Clear(); }
  // Internal if a value list is not a well-formed PackValues list (the
  // packing then holds the changes before it).
  Status Add(const JournalKeyChange& change);
  size_t count() const { return count_; }
  // The packing of the changes added since the last Take; starts afresh.
  std::vector<uint8_t> Take();

 private:
  void Clear();

  std::vector<uint8_t> out_;
  size_t count_ = 0;
  std::string previous_path_;
  // The previous key's value lists of each side, and views of them.
  PackedValues previous_before_, previous_after_;
  std::vector<PackedValueView> before_views_, after_views_, scratch_;
};

// Packs `changes` into *out (ChangePacker); Internal if a value list is not
// a well-formed PackValues list.
Status PackChanges(const std::vector<JournalKeyChange>& changes,
                   std::vector<uint8_t>* out);

// What a backend writes of `record`: the changes column (*changes, which
// points into record.packed or into *storage) and the rows of the key
// index (*key_hashes: a hash per key, {kJournalAnyKey} for a revision of
// more than kJournalIndexedKeysMax keys, none for a revision without).
Status JournalRowOf(const JournalRecord& record, std::vector<uint8_t>* storage,
                    std::span<const uint8_t>* changes,
                    std::vector<int64_t>* key_hashes);

// Reads the packing back (IncompatibleStore if it is malformed); with
// `folded_key`, only that key's changes.
Status UnpackChanges(std::span<const uint8_t> data,
                     const std::string& folded_key,
                     std::vector<JournalKeyChange>* changes);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_JOURNAL_PACKING_H_
