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

std::vector<uint8_t> PackChanges(const std::vector<JournalKeyChange>& changes);

// Reads the packing back (IncompatibleStore if it is malformed); with
// `folded_key`, only that key's changes.
Status UnpackChanges(std::span<const uint8_t> data,
                     const std::string& folded_key,
                     std::vector<JournalKeyChange>* changes);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_JOURNAL_PACKING_H_
