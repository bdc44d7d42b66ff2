// Internal: the storage seam. Everything above it (the model, Store, the
// resolver, the CLI) speaks registry keys; everything below it is one
// backend's SQL. A second backend (PostgreSQL for server farms) implements
// these two interfaces and nothing else.
#ifndef SSLBIND_SRC_STORAGE_REGISTRY_BACKEND_H_
#define SSLBIND_SRC_STORAGE_REGISTRY_BACKEND_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sslbind/registry.h"
#include "sslbind/status.h"
#include "sslbind/store.h"

namespace sslbind::internal {

// Calls back with each key, in path order; a non-OK status stops the scan
// and is returned. The visitor may move from the key; a backend may refill
// the same object for the next key when the visitor did not.
using KeyVisitor = std::function<Status(RegistryKey&& key)>;

// A key's place in an order, from its path: bytes compared as unsigned
// chars; nullopt for a key not to visit.
using OrderKey =
    std::function<std::optional<std::string>(std::string_view path)>;

// The operations allowed inside one write transaction. Paths compare
// case-insensitively.
class RegistryTxn {
 public:
  virtual ~RegistryTxn() = default;

  virtual Result<std::optional<RegistryKey>> GetKey(std::string_view path) = 0;
  virtual Result<bool> KeyExists(std::string_view path) = 0;
  // Creates the key (and any missing ancestor, empty) or replaces all of
  // its values.
  virtual Status PutKey(const RegistryKey& key) = 0;
  // Creates the key (and any missing ancestor, empty) if there is none at
  // its path and returns true; returns false, changing nothing, if there is.
  // (KeyExists and PutKey in one step: an import of 100k bindings does it
  // 100k times.)
  virtual Result<bool> AddKey(const RegistryKey& key) = 0;
  // Deletes the key and everything below it; returns whether it existed.
  virtual Result<bool> DeleteKey(std::string_view path) = 0;
  // Visits the key at `path` (if it exists) and every key below it, as this
  // transaction sees them.
  virtual Status ScanSubtree(std::string_view path,
                             const KeyVisitor& visit) = 0;
};

class RegistryBackend {
 public:
  virtual ~RegistryBackend() = default;

  virtual Result<std::optional<RegistryKey>> GetKey(std::string_view path) = 0;
  // Visits the key at `path` (if it exists) and every key below it.
  virtual Status ScanSubtree(std::string_view path,
                             const KeyVisitor& visit) = 0;
  // Visits the keys below `path` to which `order` gives a place, in that
  // order, from one read transaction. Memory stays bounded however many
  // keys there are: the sort spills to temporary files.
  virtual Status ScanSubtreeOrdered(std::string_view path,
                                    const OrderKey& order,
                                    const KeyVisitor& visit) = 0;
  virtual Result<uint64_t> ChangeCounter() = 0;
  // Runs `body` in one transaction, waiting for other writers first. Commits
  // (and moves the change counter) if body returns OK; otherwise rolls back
  // and returns body's status. Refused with AccessDenied on a read-only
  // backend.
  virtual Status WriteTransaction(
      const std::function<Status(RegistryTxn&)>& body) = 0;
};

// Opens the SQLite backend (see store.h for the statuses): the file
// `resolved_path` (see storage/store_files.h), named `path` in messages.
Result<std::unique_ptr<RegistryBackend>> OpenSqliteBackend(
    const std::string& path, const std::string& resolved_path,
    const StoreOptions& options);

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_REGISTRY_BACKEND_H_
