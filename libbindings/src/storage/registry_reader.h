// Internal: the one way registry keys are read. A backend implements it
// (each call its own consistent read of the committed store), and so does a
// write transaction (RegistryTxn, OverlayTxn: reads that see the
// transaction's own earlier writes). Code that only reads -- the
// certificates layer, the checks run inside a write -- takes a
// RegistryReader and does not care which of the two it is given.
#ifndef SSLBIND_SRC_STORAGE_REGISTRY_READER_H_
#define SSLBIND_SRC_STORAGE_REGISTRY_READER_H_

#include <functional>
#include <optional>
#include <string_view>

#include "sslbind/registry.h"
#include "sslbind/status.h"

namespace sslbind::internal {

// Calls back with each key, in path order; a non-OK status stops the scan
// and is returned. The visitor may move from the key; a reader may refill
// the same object for the next key when the visitor did not.
using KeyVisitor = std::function<Status(RegistryKey&& key)>;

// Paths compare case-insensitively (FoldCase); keys come back with their
// paths as written. Not thread-safe: one caller at a time.
class RegistryReader {
 public:
  virtual ~RegistryReader() = default;

  // The key at `path` with its values; nullopt if there is none.
  virtual Result<std::optional<RegistryKey>> GetKey(std::string_view path) = 0;
  // Visits the key at `path` (if it exists) and every key below it, in path
  // order: folded paths compared as unsigned bytes (PostgreSQL, overlays),
  // or depth first with siblings by folded name (SQLite). The two differ
  // only where a key has children and a sibling whose name is its name and
  // more, sorting below a backslash ("...\a\x" and "...\a!"): no store sslbind writes
  // has such keys. A key beside it whose name starts with its name
  // ("...\ab" beside "...\a") is not visited.
  virtual Status ScanSubtree(std::string_view path,
                             const KeyVisitor& visit) = 0;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_REGISTRY_READER_H_
