// Internal: how a revision's changed keys are packed into one byte string
// (journal_revision.changes), the same for every backend.
#ifndef SSLBIND_SRC_STORAGE_JOURNAL_PACKING_H_
#define SSLBIND_SRC_STORAGE_JOURNAL_PACKING_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "storage/registry_backend.h"

namespace sslbind::internal {

// The key index of the journal (schema/004_journal_key.sql): a revision
// that changed at most this many keys has one index row per key; a larger
// one (an import) has one row "look inside" (hash kJournalAnyKey).
inline constexpr size_t kJournalIndexedKeysMax = 1000;
inline constexpr int64_t kJournalAnyKey = 0;

// A 63-bit hash of a path as registry names compare (ASCII case folded),
// never kJournalAnyKey; the same on every backend.
int64_t JournalKeyHash(std::string_view path);

// Packs `changes` (in the order given: put siblings next to each other)
// into *out; Internal if a value list is not a well-formed PackValues list.
Status PackChanges(const std::vector<JournalKeyChange>& changes,
                   std::vector<uint8_t>* out);

// Reads the packing back (IncompatibleStore if it is malformed); with
// `folded_key`, only that key's changes.
Status UnpackChanges(std::span<const uint8_t> data,
                     const std::string& folded_key,
                     std::vector<JournalKeyChange>* changes);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_JOURNAL_PACKING_H_
