// Internal: the mark of a replica, a file beside its store file,
// <store>.replica, holding the source's URI (its password written as ***)
// and a newline. While it exists the store takes changes only from
// `sslbind replicate` (store/replica.cc); every other writer is refused.
#ifndef SSLBIND_SRC_STORAGE_REPLICA_MARKER_H_
#define SSLBIND_SRC_STORAGE_REPLICA_MARKER_H_

#include <optional>
#include <string>

#include "sslbind/status.h"

namespace sslbind::internal {

// `resolved_store`: the store file's path (storage/store_files.h).
std::string ReplicaMarkerPath(const std::string& resolved_store);

// The source named by the mark, or nullopt if the store is no replica.
Result<std::optional<std::string>> ReadReplicaMarker(
    const std::string& resolved_store);

// Writes the mark (whole or not at all, mode 0644), replacing any.
Status WriteReplicaMarker(const std::string& resolved_store,
                          const std::string& source);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_REPLICA_MARKER_H_
