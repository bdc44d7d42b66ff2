// Internal: the library's own way to a Store's backend (the journal reads
// it directly).
#ifndef SSLBIND_SRC_STORE_ACCESS_H_
#define SSLBIND_SRC_STORE_ACCESS_H_

#include "certs/key_folder.h"
#include "sslbind/store.h"
#include "storage/registry_backend.h"

namespace sslbind::internal {

struct StoreAccess {
  static RegistryBackend& Backend(const Store& store);
  // Where the store's private keys and CCS password are: its key folder, or
  // for a store in PostgreSQL the database. `in_memory`: for dry runs,
  // writes stay in memory.
  static KeyFolder Keys(const Store& store, bool in_memory = false);
  // AccessDenied, naming the source, if the store is a replica
  // (storage/replica_marker.h): only `sslbind replicate` changes it.
  static Status RefuseIfReplica(const Store& store);
  // The store file SQLite opened; empty for a store in PostgreSQL.
  static const std::string& ResolvedPath(const Store& store);
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORE_ACCESS_H_
