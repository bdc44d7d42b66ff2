// Internal: the SQLite store's registry keys from schema 005 on
// (schema/005_compact_keys.sql): one row per key, named by its parent's id
// and its own name, its values in the compact packing (value_codec.h).
//
// A key with children (a "folder": the kind keys, a certificate store) has
// an id; every other key has none. A full path is never stored: a lookup
// walks from the root (one primary-key probe per path component; in a
// write transaction one probe below a folder it has seen) and a scan
// builds each key's path from its folder's.
#ifndef SSLBIND_SRC_STORAGE_SQLITE_KEY_TABLE_H_
#define SSLBIND_SRC_STORAGE_SQLITE_KEY_TABLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sslbind/status.h"
#include "storage/registry_backend.h"
#include "storage/sqlite_db.h"

namespace sslbind::internal {

// The first schema version with this layout; older stores keep
// registry_key (path_folded, path, vals) until a writer migrates them.
inline constexpr int kKeyTableVersion = 5;

// The first schema version whose binding keys are named by BLOBs in
// `show` order (schema/007_show_order_keys.sql, storage/binding_order.h);
// before it every name_folded is the key's folded name.
inline constexpr int kShowOrderKeysVersion = 7;

// Registers the SQL functions migrations 005 and 007 call (sslbind_parent,
// sslbind_leaf, sslbind_compact_values, sslbind_node_name) on the
// connection.
Status RegisterKeyTableMigrationFunctions(sqlite3* db);

// The reads take the store's schema version (kKeyTableVersion or later):
// it says how the names are stored.
Result<std::optional<RegistryKey>> KeyTableGet(SqliteDb& db,
                                               std::string_view path,
                                               int version);
// The key at `path`, then its subtree depth first, siblings in the
// table's order: by folded name (a key's subtree comes before a sibling
// whose name extends the key's with a character below a backslash: a\x
// before a.b), except that from schema 007 the bindings of a kind follow
// their folder's other keys in `show` order. One read transaction (or the
// caller's).
Status KeyTableScan(SqliteDb& db, std::string_view path, int version,
                    const KeyVisitor& visit);
// The key at `path`, then its subtree depth first, siblings by folded
// name: the order of a .reg file (RegistryOrderOfPath). Before schema 007
// that is KeyTableScan; from 007 each folder's children are sorted (the
// bindings are kept in `show` order). One read transaction.
Status KeyTableScanInRegistryOrder(SqliteDb& db, std::string_view path,
                                   int version, const KeyVisitor& visit);
// The keys of the subtree to which `order` gives a place, in that order
// (SQLite's sorter: bounded memory). One read transaction.
Status KeyTableScanOrdered(SqliteDb& db, std::string_view path, int version,
                           const OrderKey& order, const KeyVisitor& visit);
// From schema 007: KeyTableScanOrdered(kHttpParametersPath, ShowOrderOfPath)
// without sorting the bindings: each kind's folder read in primary-key
// order, kind after kind; then the few keys below a kind whose names do not
// parse, sorted. One read transaction.
Status KeyTableScanInShowOrder(SqliteDb& db, const KeyVisitor& visit);

// The reads and writes of one write transaction (a store at the latest
// schema): remembers the folders it made or found, so that a batch of 100k
// siblings looks their parent up once -- for each key's old values as for
// the key itself -- and a key is one probe instead of one per component.
class KeyTableWriter {
 public:
  explicit KeyTableWriter(SqliteDb& db) : db_(db) {}
  // KeyTableGet, and whether a key exists, as this transaction sees the
  // store.
  Result<std::optional<RegistryKey>> Get(std::string_view path);
  Result<bool> Exists(std::string_view path);
  // Creates the key's missing ancestors, then inserts the key (`replace`:
  // or replaces its values). Returns whether a row was written.
  Result<bool> Write(const RegistryKey& key, bool replace);
  // Deletes the key and its subtree; returns whether it existed.
  Result<bool> Delete(std::string_view path);

 private:
  struct KnownFolder {
    int64_t id;
    std::string path;  // the stored spelling of every component
  };

  // The key at `path`; its values only with `want_values`.
  Result<std::optional<RegistryKey>> Find(std::string_view path,
                                          bool want_values);
  // The folder at `folded` (a folded path), or null if there is none (or
  // the key there has no children).
  Result<const KnownFolder*> FindFolder(std::string_view folded);
  // The folder at `path` (`folded` its folded form), creating it and its
  // ancestors or giving an existing key an id as needed.
  Result<const KnownFolder*> EnsureFolder(std::string_view folded,
                                          std::string_view path);

  SqliteDb& db_;
  // By folded path; cleared by Delete. Only folders that exist: nothing is
  // known of a path that has none until it is made.
  std::unordered_map<std::string, KnownFolder> folders_;
  std::vector<uint8_t> packed_;
};

}  // namespace sslbind::internal

#endif  // SSLBIND_SRC_STORAGE_SQLITE_KEY_TABLE_H_
