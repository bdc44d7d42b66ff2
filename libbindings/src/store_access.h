// Internal: the library's own way to a Store's backend (the journal reads
// it directly).
#ifndef SSLBIND_SRC_STORE_ACCESS_H_
#define SSLBIND_SRC_STORE_ACCESS_H_

#include "sslbind/store.h"
#include "storage/registry_backend.h"

namespace sslbind::internal {

struct StoreAccess {
  static RegistryBackend& Backend(const Store& store);
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORE_ACCESS_H_
