// The registry_node table of schema 005: see sqlite_key_table.h.
#include "storage/sqlite_key_table.h"

#include <algorithm>
#include <memory>

#include "model/registry_codec.h"
#include "storage/binding_order.h"
#include "storage/value_codec.h"

namespace sslbind::internal {
namespace {

constexpr const char* kFindNode =
    "SELECT id, name, vals FROM registry_node "
    "WHERE parent = ?1 AND name_folded = ?2";
constexpr const char* kChildren =
    "SELECT name_folded, name, vals, id FROM registry_node WHERE parent = ?1 "
    "ORDER BY name_folded";
constexpr const char* kFolders =
    "SELECT parent, name_folded, name, id FROM registry_node "
    "WHERE id IS NOT NULL";
constexpr const char* kPutNode =
    "INSERT INTO registry_node (parent, name_folded, name, vals) "
    "VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (parent, name_folded) DO UPDATE SET vals = excluded.vals";
constexpr const char* kAddNode =
    "INSERT INTO registry_node (parent, name_folded, name, vals) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (parent, name_folded) DO NOTHING";
constexpr const char* kAddFolder =
    "INSERT INTO registry_node (parent, name_folded, name, id, vals) "
    "VALUES (?1, ?2, ?3, ?4, x'')";
constexpr const char* kSetFolderId =
    "UPDATE registry_node SET id = ?3 WHERE parent = ?1 AND name_folded = ?2";
constexpr const char* kNextFolderId =
    "SELECT coalesce(max(id), 0) + 1 FROM registry_node WHERE id IS NOT NULL";
constexpr const char* kDeleteChildren =
    "DELETE FROM registry_node WHERE parent = ?1";
constexpr const char* kDeleteNode =
    "DELETE FROM registry_node WHERE parent = ?1 AND name_folded = ?2";
// A folder's keys by folded name (sslbind_folded_leaf: registered by
// KeyTableScanInRegistryOrder).
constexpr const char* kChildrenByName =
    "SELECT name_folded, name, vals, id FROM registry_node WHERE parent = ?1 "
    "ORDER BY sslbind_folded_leaf(name_folded)";
// A binding folder's keys named by BLOBs (binding_order.h): in show order.
constexpr const char* kBindingsInOrder =
    "SELECT name_folded, name, vals FROM registry_node "
    "WHERE parent = ?1 AND name_folded >= x'' ORDER BY name_folded";

std::string_view ColumnText(sqlite3_stmt* stmt, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
  return p ? std::string_view(p, sqlite3_column_bytes(stmt, i))
           : std::string_view();
}

std::span<const uint8_t> ColumnBlob(sqlite3_stmt* stmt, int i) {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, i));
  return std::span<const uint8_t>(p, sqlite3_column_bytes(stmt, i));
}

// The folded name of a row's key from its name_folded column: TEXT as it
// is, a binding's BLOB (schema 007, binding_order.h) decoded into *scratch.
Result<std::string_view> FoldedLeaf(sqlite3_stmt* stmt, int folded_col,
                                    std::string* scratch) {
  if (sqlite3_column_type(stmt, folded_col) != SQLITE_BLOB)
    return ColumnText(stmt, folded_col);
  std::span<const uint8_t> blob = ColumnBlob(stmt, folded_col);
  Result<std::string> leaf = FoldedLeafOfBindingNodeName(std::string_view(
      reinterpret_cast<const char*>(blob.data()), blob.size()));
  if (!leaf.ok()) return leaf.status();
  *scratch = std::move(*leaf);
  return std::string_view(*scratch);
}

// The stored spelling of a name: the name column, NULL when it is the
// folded name.
Result<std::string_view> NameOf(sqlite3_stmt* stmt, int name_col,
                                int folded_col, std::string* scratch) {
  if (sqlite3_column_type(stmt, name_col) != SQLITE_NULL)
    return ColumnText(stmt, name_col);
  return FoldedLeaf(stmt, folded_col, scratch);
}

// What the name_folded column holds for the key `folded_leaf` below the
// folder `folded_parent`: from schema 007 (`encoded`) a binding's BLOB,
// else the folded name.
struct NodeName {
  std::string bytes;
  bool blob = false;
};

NodeName NameInTable(std::string_view folded_parent,
                     std::string_view folded_leaf, bool encoded) {
  if (encoded) {
    std::optional<std::string> blob =
        BindingNodeName(folded_parent, folded_leaf);
    if (blob) return {std::move(*blob), true};
  }
  return {std::string(folded_leaf), false};
}

void BindNodeName(sqlite3_stmt* stmt, int i, const NodeName& name) {
  if (name.blob) {
    sqlite3_bind_blob(stmt, i, name.bytes.data(),
                      static_cast<int>(name.bytes.size()), SQLITE_TRANSIENT);
  } else {
    sqlite3_bind_text(stmt, i, name.bytes.data(),
                      static_cast<int>(name.bytes.size()), SQLITE_TRANSIENT);
  }
}

// The folded path of the folder holding the key whose folded path is
// `folded` and whose leaf starts at `begin`.
std::string_view ParentOf(std::string_view folded, size_t begin) {
  return folded.substr(0, begin == 0 ? 0 : begin - 1);
}

void BindName(Statement& stmt, int i, std::string_view name,
              std::string_view folded) {
  if (name == folded) {
    sqlite3_bind_null(stmt.get(), i);
  } else {
    stmt.BindText(i, name);
  }
}

// A statement of its own (finalized when done): scans nest (`check` reads
// certificates while it walks the bindings), so a cached one may be busy.
using OwnStatement = std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>;

Result<OwnStatement> PrepareOwn(SqliteDb& db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw, nullptr);
  OwnStatement stmt(raw, sqlite3_finalize);
  if (rc != SQLITE_OK)
    return SqliteStatus(db.get(), rc, "cannot read the store");
  return stmt;
}

struct Node {
  int64_t parent = 0;
  std::optional<int64_t> id;
  std::string path;  // the stored spelling of every component
  std::vector<uint8_t> vals;
};

// Walks from the root to the key at `path`: nullopt if it does not exist.
Result<std::optional<Node>> FindNode(SqliteDb& db, std::string_view path,
                                     bool want_vals, bool encoded) {
  if (path.empty()) return std::optional<Node>();
  const std::string folded = FoldCase(path);
  Result<sqlite3_stmt*> prepared = db.Prepare(kFindNode);
  if (!prepared.ok()) return prepared.status();
  Node node;
  size_t begin = 0;
  while (true) {
    const size_t end = std::min(folded.find('\\', begin), folded.size());
    const bool last = end == folded.size();
    Statement stmt(*prepared);
    sqlite3_bind_int64(stmt.get(), 1, node.parent);
    BindNodeName(
        stmt.get(), 2,
        NameInTable(ParentOf(folded, begin),
                    std::string_view(folded).substr(begin, end - begin),
                    encoded));
    int rc = stmt.Step();
    if (rc == SQLITE_DONE) return std::optional<Node>();
    if (rc != SQLITE_ROW)
      return SqliteStatus(db.get(), rc, "cannot read the store");
    const bool folder = sqlite3_column_type(stmt.get(), 0) != SQLITE_NULL;
    if (begin > 0) node.path += '\\';
    node.path += sqlite3_column_type(stmt.get(), 1) == SQLITE_NULL
                     ? std::string_view(folded).substr(begin, end - begin)
                     : ColumnText(stmt.get(), 1);
    if (last) {
      if (folder) node.id = sqlite3_column_int64(stmt.get(), 0);
      if (want_vals) {
        std::span<const uint8_t> vals = ColumnBlob(stmt.get(), 2);
        node.vals.assign(vals.begin(), vals.end());
      }
      return std::optional<Node>(std::move(node));
    }
    if (!folder) return std::optional<Node>();  // it has no children
    node.parent = sqlite3_column_int64(stmt.get(), 0);
    begin = end + 1;
  }
}

struct Folder {
  int64_t id;
  std::string folded;
  std::string path;
};

// The folders of the subtree of `root` (itself first), by folded path.
Result<std::vector<Folder>> SubtreeFolders(SqliteDb& db, const Folder& root) {
  std::string scratch;
  struct Child {
    int64_t id;
    std::string folded_name, name;
  };
  std::unordered_map<int64_t, std::vector<Child>> children;
  Result<sqlite3_stmt*> prepared = db.Prepare(kFolders);
  if (!prepared.ok()) return prepared.status();
  {
    Statement stmt(*prepared);
    int rc;
    while ((rc = stmt.Step()) == SQLITE_ROW) {
      Result<std::string_view> folded = FoldedLeaf(stmt.get(), 1, &scratch);
      if (!folded.ok()) return folded.status();
      Child child{sqlite3_column_int64(stmt.get(), 3), std::string(*folded),
                  ""};
      Result<std::string_view> name = NameOf(stmt.get(), 2, 1, &scratch);
      if (!name.ok()) return name.status();
      child.name = *name;
      children[sqlite3_column_int64(stmt.get(), 0)].push_back(std::move(child));
    }
    if (rc != SQLITE_DONE)
      return SqliteStatus(db.get(), rc, "cannot read the store");
  }
  std::vector<Folder> folders{root};
  for (size_t i = 0; i < folders.size(); ++i) {
    auto it = children.find(folders[i].id);
    if (it == children.end()) continue;
    for (const Child& c : it->second) {
      folders.push_back({c.id, folders[i].folded + '\\' + c.folded_name,
                         folders[i].path + '\\' + c.name});
    }
    children.erase(it);  // a damaged store with a cycle ends here
  }
  std::sort(
      folders.begin(), folders.end(),
      [](const Folder& a, const Folder& b) { return a.folded < b.folded; });
  return folders;
}

// The folder of a found node that has an id.
Folder FolderOf(const Node& node) {
  return {*node.id, FoldCase(node.path), node.path};
}

Status VisitNode(Node& node, const KeyVisitor& visit) {
  RegistryKey key;
  key.path = std::move(node.path);
  Status s = UnpackValuesCompactInto(node.vals, &key.values);
  if (!s.ok()) return s.WithContext(key.path);
  return visit(std::move(key));
}

// sslbind_node_order(parent, name, name_folded): the OrderKey of the scan
// running for the key's full path, as a BLOB (NULL for keys it leaves out).
struct OrderContext {
  const OrderKey* order;
  const std::unordered_map<int64_t, std::string>* paths;
  std::string path;  // scratch
};

void NodeOrderFunction(sqlite3_context* context, int, sqlite3_value** args) {
  auto* ctx = static_cast<OrderContext*>(sqlite3_user_data(context));
  auto it = ctx->paths->find(sqlite3_value_int64(args[0]));
  if (it == ctx->paths->end()) {
    sqlite3_result_null(context);
    return;
  }
  ctx->path = it->second;
  if (!ctx->path.empty()) ctx->path += '\\';
  if (sqlite3_value_type(args[1]) != SQLITE_NULL) {
    ctx->path.append(reinterpret_cast<const char*>(sqlite3_value_text(args[1])),
                     sqlite3_value_bytes(args[1]));
  } else if (sqlite3_value_type(args[2]) == SQLITE_BLOB) {
    Result<std::string> leaf = FoldedLeafOfBindingNodeName(
        std::string_view(static_cast<const char*>(sqlite3_value_blob(args[2])),
                         sqlite3_value_bytes(args[2])));
    if (!leaf.ok()) {
      sqlite3_result_error(context, leaf.status().message().c_str(), -1);
      return;
    }
    ctx->path += *leaf;
  } else {
    const auto* text =
        reinterpret_cast<const char*>(sqlite3_value_text(args[2]));
    if (text == nullptr) {
      sqlite3_result_null(context);
      return;
    }
    ctx->path.append(text, sqlite3_value_bytes(args[2]));
  }
  std::optional<std::string> place = (*ctx->order)(ctx->path);
  if (!place) {
    sqlite3_result_null(context);
    return;
  }
  sqlite3_result_blob(context, place->data(), static_cast<int>(place->size()),
                      SQLITE_TRANSIENT);
}

// Migration 005's helpers.
void ParentFunction(sqlite3_context* context, int, sqlite3_value** args) {
  std::string_view path(
      reinterpret_cast<const char*>(sqlite3_value_text(args[0])),
      sqlite3_value_bytes(args[0]));
  size_t slash = path.rfind('\\');
  if (slash == std::string_view::npos) {
    sqlite3_result_null(context);
    return;
  }
  sqlite3_result_text(context, path.data(), static_cast<int>(slash),
                      SQLITE_TRANSIENT);
}

void LeafFunction(sqlite3_context* context, int, sqlite3_value** args) {
  std::string_view path(
      reinterpret_cast<const char*>(sqlite3_value_text(args[0])),
      sqlite3_value_bytes(args[0]));
  size_t slash = path.rfind('\\');
  path.remove_prefix(slash == std::string_view::npos ? 0 : slash + 1);
  sqlite3_result_text(context, path.data(), static_cast<int>(path.size()),
                      SQLITE_TRANSIENT);
}

void CompactValuesFunction(sqlite3_context* context, int,
                           sqlite3_value** args) {
  const auto* p = static_cast<const uint8_t*>(sqlite3_value_blob(args[0]));
  std::vector<RegistryValue> values;
  Status s = UnpackValuesInto(
      std::span<const uint8_t>(p, sqlite3_value_bytes(args[0])), &values);
  if (!s.ok()) {
    sqlite3_result_error(context, s.message().c_str(), -1);
    return;
  }
  std::vector<uint8_t> packed;
  PackValuesCompactInto(values, &packed);
  // (Never a null pointer: that would be NULL, not an empty BLOB.)
  static const uint8_t kEmpty = 0;
  sqlite3_result_blob(context, packed.empty() ? &kEmpty : packed.data(),
                      static_cast<int>(packed.size()), SQLITE_TRANSIENT);
}

// Migration 007's: sslbind_node_name(folded parent path, name_folded) is
// what name_folded holds from schema 007 on (NameInTable).
void NodeNameFunction(sqlite3_context* context, int, sqlite3_value** args) {
  if (sqlite3_value_type(args[1]) != SQLITE_TEXT ||
      sqlite3_value_type(args[0]) != SQLITE_TEXT) {
    sqlite3_result_value(context, args[1]);
    return;
  }
  const std::string_view parent(
      reinterpret_cast<const char*>(sqlite3_value_text(args[0])),
      sqlite3_value_bytes(args[0]));
  const std::string_view leaf(
      reinterpret_cast<const char*>(sqlite3_value_text(args[1])),
      sqlite3_value_bytes(args[1]));
  NodeName name = NameInTable(parent, leaf, true);
  if (!name.blob) {
    sqlite3_result_value(context, args[1]);
    return;
  }
  sqlite3_result_blob(context, name.bytes.data(),
                      static_cast<int>(name.bytes.size()), SQLITE_TRANSIENT);
}

}  // namespace

Status RegisterKeyTableMigrationFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  int rc =
      sqlite3_create_function_v2(db, "sslbind_parent", 1, kFlags, nullptr,
                                 ParentFunction, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "sslbind_leaf", 1, kFlags, nullptr,
                                    LeafFunction, nullptr, nullptr, nullptr);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "sslbind_compact_values", 1, kFlags,
                                    nullptr, CompactValuesFunction, nullptr,
                                    nullptr, nullptr);
  }
  if (rc == SQLITE_OK) {
    rc =
        sqlite3_create_function_v2(db, "sslbind_node_name", 2, kFlags, nullptr,
                                   NodeNameFunction, nullptr, nullptr, nullptr);
  }
  if (rc != SQLITE_OK)
    return SqliteStatus(db, rc, "cannot prepare the schema upgrade");
  return Status::Ok();
}

Result<std::optional<RegistryKey>> KeyTableGet(SqliteDb& db,
                                               std::string_view path,
                                               int version) {
  Result<std::optional<Node>> node =
      FindNode(db, path, true, version >= kShowOrderKeysVersion);
  if (!node.ok()) return node.status();
  if (!*node) return std::optional<RegistryKey>();
  RegistryKey key;
  key.path = std::move((*node)->path);
  Status s = UnpackValuesCompactInto((*node)->vals, &key.values);
  if (!s.ok()) return s.WithContext(key.path);
  return std::optional<RegistryKey>(std::move(key));
}

namespace {

// Appends the row's key to `key`: its path (`parent`, a backslash, the
// stored spelling of its name; name and name_folded in columns name_col and
// folded_col) and its values (column vals_col).
Status ReadRowInto(sqlite3_stmt* stmt, std::string_view parent, int name_col,
                   int folded_col, int vals_col, std::string* scratch,
                   RegistryKey* key) {
  key->path.assign(parent);
  if (!parent.empty()) key->path += '\\';
  Result<std::string_view> name = NameOf(stmt, name_col, folded_col, scratch);
  if (!name.ok()) return name.status().WithContext(key->path);
  key->path += *name;
  Status s = UnpackValuesCompactInto(ColumnBlob(stmt, vals_col), &key->values);
  if (!s.ok()) return s.WithContext(key->path);
  return Status::Ok();
}

// Visits the children of the folder `id` at `path`, each folder among
// them followed by its own subtree: depth first, siblings in primary-key
// order. `level` holds a statement per depth (the outer ones are still
// stepping).
Status ScanFolder(SqliteDb& db, const char* children_sql, int64_t id,
                  const std::string& path, size_t depth,
                  std::vector<OwnStatement>& level, RegistryKey& key,
                  const KeyVisitor& visit) {
  constexpr size_t kMaxDepth = 512;  // a damaged store with a cycle ends
  if (depth == kMaxDepth) {
    return Status::IncompatibleStore("the store's keys nest too deep at '" +
                                     path + "'");
  }
  if (level.size() == depth) {
    Result<OwnStatement> stmt = PrepareOwn(db, children_sql);
    if (!stmt.ok()) return stmt.status();
    level.push_back(std::move(*stmt));
  }
  sqlite3_stmt* children = level[depth].get();
  sqlite3_reset(children);
  sqlite3_bind_int64(children, 1, id);
  std::string scratch;
  int rc;
  while ((rc = sqlite3_step(children)) == SQLITE_ROW) {
    Status s = ReadRowInto(children, path, 1, 0, 2, &scratch, &key);
    if (!s.ok()) return s;
    const bool folder = sqlite3_column_type(children, 3) != SQLITE_NULL;
    std::string folder_path = folder ? key.path : std::string();
    const int64_t folder_id = folder ? sqlite3_column_int64(children, 3) : 0;
    s = visit(std::move(key));
    if (!s.ok()) return s;
    if (folder) {
      s = ScanFolder(db, children_sql, folder_id, folder_path, depth + 1, level,
                     key, visit);
      if (!s.ok()) return s;
    }
  }
  if (rc != SQLITE_DONE)
    return SqliteStatus(db.get(), rc, "cannot read the store");
  return Status::Ok();
}

// The key at `path`, then its subtree depth first, each folder's children
// read with `children_sql`.
Status ScanDepthFirst(SqliteDb& db, std::string_view path, bool encoded,
                      const char* children_sql, const KeyVisitor& visit) {
  Result<std::optional<Node>> found = FindNode(db, path, true, encoded);
  if (!found.ok()) return found.status();
  if (!*found) return Status::Ok();
  Node& node = **found;
  const std::optional<int64_t> id = node.id;
  const std::string node_path = node.path;
  Status s = VisitNode(node, visit);
  if (!s.ok() || !id) return s;
  std::vector<OwnStatement> level;
  // One key object refilled row after row (see ScanSubtree).
  RegistryKey key;
  return ScanFolder(db, children_sql, *id, node_path, 0, level, key, visit);
}

// sslbind_folded_leaf(name_folded): the folded name (FoldedLeaf).
void FoldedLeafFunction(sqlite3_context* context, int, sqlite3_value** args) {
  if (sqlite3_value_type(args[0]) != SQLITE_BLOB) {
    sqlite3_result_value(context, args[0]);
    return;
  }
  Result<std::string> leaf = FoldedLeafOfBindingNodeName(
      std::string_view(static_cast<const char*>(sqlite3_value_blob(args[0])),
                       sqlite3_value_bytes(args[0])));
  if (!leaf.ok()) {
    sqlite3_result_error(context, leaf.status().message().c_str(), -1);
    return;
  }
  sqlite3_result_text(context, leaf->data(), static_cast<int>(leaf->size()),
                      SQLITE_TRANSIENT);
}

// KeyTableScanOrdered; with text_names_only, only the keys named by their
// folded name (not a binding key's BLOB of schema 007).
Status ScanOrdered(SqliteDb& db, std::string_view path, const OrderKey& order,
                   const KeyVisitor& visit, bool encoded,
                   bool text_names_only) {
  Result<std::optional<Node>> found = FindNode(db, path, false, encoded);
  if (!found.ok()) return found.status();
  if (!*found) return Status::Ok();
  const Node& node = **found;
  // The folders whose children are read, by id, with their paths; the
  // node's own parent too, for the node alone.
  std::unordered_map<int64_t, std::string> paths;
  const size_t slash = node.path.rfind('\\');
  paths[node.parent] =
      slash == std::string::npos ? "" : node.path.substr(0, slash);
  std::string ids;
  if (node.id) {
    Result<std::vector<Folder>> folders = SubtreeFolders(db, FolderOf(node));
    if (!folders.ok()) return folders.status();
    for (const Folder& f : *folders) {
      if (!ids.empty()) ids += ',';
      ids += std::to_string(f.id);
      paths[f.id] = f.path;
    }
  }
  OrderContext context{&order, &paths, {}};
  int rc = sqlite3_create_function_v2(
      db.get(), "sslbind_node_order", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
      &context, NodeOrderFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db.get(), rc, "cannot sort keys");
  // (TEXT sorts before every BLOB: "< x''" is a range of the primary key.)
  const std::string sql =
      "SELECT parent, name_folded, name, vals FROM (SELECT parent, "
      "name_folded, name, vals, sslbind_node_order(parent, name, "
      "name_folded) AS o FROM registry_node WHERE (parent IN (" +
      ids + ")" + (text_names_only ? " AND name_folded < x''" : "") +
      ") OR (parent = ?1 AND name_folded = ?2)) WHERE o IS NOT NULL "
      "ORDER BY o";
  Result<OwnStatement> stmt = PrepareOwn(db, sql);
  if (!stmt.ok()) return stmt.status();
  sqlite3_stmt* rows = stmt->get();
  const std::string folded = FoldCase(node.path);
  const size_t begin = slash == std::string::npos ? 0 : slash + 1;
  sqlite3_bind_int64(rows, 1, node.parent);
  BindNodeName(rows, 2,
               NameInTable(ParentOf(folded, begin),
                           std::string_view(folded).substr(begin), encoded));
  RegistryKey key;
  std::string scratch;
  while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
    Status s = ReadRowInto(rows, paths[sqlite3_column_int64(rows, 0)], 2, 1, 3,
                           &scratch, &key);
    if (!s.ok()) return s;
    s = visit(std::move(key));
    if (!s.ok()) return s;
  }
  if (rc != SQLITE_DONE)
    return SqliteStatus(db.get(), rc, "cannot read the store");
  return Status::Ok();
}

}  // namespace

Status KeyTableScan(SqliteDb& db, std::string_view path, int version,
                    const KeyVisitor& visit) {
  ReadTransaction read(db);
  return ScanDepthFirst(db, path, version >= kShowOrderKeysVersion, kChildren,
                        visit);
}

Status KeyTableScanInRegistryOrder(SqliteDb& db, std::string_view path,
                                   int version, const KeyVisitor& visit) {
  ReadTransaction read(db);
  // Before schema 007 the table's order is this order.
  if (version < kShowOrderKeysVersion)
    return ScanDepthFirst(db, path, false, kChildren, visit);
  int rc = sqlite3_create_function_v2(
      db.get(), "sslbind_folded_leaf", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
      nullptr, FoldedLeafFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db.get(), rc, "cannot sort keys");
  return ScanDepthFirst(db, path, true, kChildrenByName, visit);
}

Status KeyTableScanOrdered(SqliteDb& db, std::string_view path, int version,
                           const OrderKey& order, const KeyVisitor& visit) {
  ReadTransaction read(db);
  return ScanOrdered(db, path, order, visit, version >= kShowOrderKeysVersion,
                     false);
}

Status KeyTableScanInShowOrder(SqliteDb& db, const KeyVisitor& visit) {
  ReadTransaction read(db);
  Result<sqlite3_stmt*> prepared = db.Prepare(kBindingsInOrder);
  if (!prepared.ok()) return prepared.status();
  RegistryKey key;
  std::string scratch;
  for (BindingKind kind : kAllBindingKinds) {
    Result<std::optional<Node>> folder =
        FindNode(db, KindKeyPath(kind), false, true);
    if (!folder.ok()) return folder.status();
    if (!*folder || !(*folder)->id) continue;
    Statement rows(*prepared);
    sqlite3_bind_int64(rows.get(), 1, *(*folder)->id);
    int rc;
    while ((rc = rows.Step()) == SQLITE_ROW) {
      Status s =
          ReadRowInto(rows.get(), (*folder)->path, 1, 0, 2, &scratch, &key);
      if (!s.ok()) return s;
      s = visit(std::move(key));
      if (!s.ok()) return s;
    }
    if (rc != SQLITE_DONE)
      return SqliteStatus(db.get(), rc, "cannot read the store");
  }
  // Then the keys below a kind whose names do not parse, after every
  // binding (ShowOrderOfPath), sorted: they are few.
  return ScanOrdered(db, kHttpParametersPath, ShowOrderOfPath, visit, true,
                     true);
}

Result<std::optional<RegistryKey>> KeyTableWriter::Get(std::string_view path) {
  return Find(path, true);
}

Result<bool> KeyTableWriter::Exists(std::string_view path) {
  Result<std::optional<RegistryKey>> key = Find(path, false);
  if (!key.ok()) return key.status();
  return key->has_value();
}

Result<std::optional<RegistryKey>> KeyTableWriter::Find(std::string_view path,
                                                        bool want_values) {
  const std::string folded = FoldCase(path);
  const size_t slash = folded.rfind('\\');
  if (slash == std::string::npos) {  // a key at the root: one probe anyway
    return KeyTableGet(db_, path, kShowOrderKeysVersion);
  }
  Result<const KnownFolder*> folder =
      FindFolder(std::string_view(folded).substr(0, slash));
  if (!folder.ok()) return folder.status();
  if (*folder == nullptr) return std::optional<RegistryKey>();
  const std::string_view leaf = std::string_view(folded).substr(slash + 1);
  Result<sqlite3_stmt*> prepared = db_.Prepare(kFindNode);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  sqlite3_bind_int64(stmt.get(), 1, (*folder)->id);
  BindNodeName(stmt.get(), 2,
               NameInTable(ParentOf(folded, slash + 1), leaf, true));
  int rc = stmt.Step();
  if (rc == SQLITE_DONE) return std::optional<RegistryKey>();
  if (rc != SQLITE_ROW)
    return SqliteStatus(db_.get(), rc, "cannot read the store");
  RegistryKey key;
  key.path.reserve((*folder)->path.size() + 1 + leaf.size());
  key.path = (*folder)->path;
  key.path += '\\';
  key.path += sqlite3_column_type(stmt.get(), 1) == SQLITE_NULL
                  ? leaf
                  : ColumnText(stmt.get(), 1);
  if (want_values) {
    Status s = UnpackValuesCompactInto(ColumnBlob(stmt.get(), 2), &key.values);
    if (!s.ok()) return s.WithContext(key.path);
  }
  return std::optional<RegistryKey>(std::move(key));
}

Result<const KeyTableWriter::KnownFolder*> KeyTableWriter::FindFolder(
    std::string_view folded) {
  auto known = folders_.find(std::string(folded));
  if (known != folders_.end()) return &known->second;
  Result<std::optional<Node>> node = FindNode(db_, folded, false, true);
  if (!node.ok()) return node.status();
  if (!*node || !(*node)->id) return nullptr;
  auto added = folders_.emplace(
      std::string(folded), KnownFolder{*(*node)->id, std::move((*node)->path)});
  return &added.first->second;
}

Result<const KeyTableWriter::KnownFolder*> KeyTableWriter::EnsureFolder(
    std::string_view folded, std::string_view path) {
  auto known = folders_.find(std::string(folded));
  if (known != folders_.end()) return &known->second;
  const size_t slash = folded.rfind('\\');
  const KnownFolder* parent = nullptr;
  if (slash != std::string_view::npos) {
    Result<const KnownFolder*> p =
        EnsureFolder(folded.substr(0, slash), path.substr(0, slash));
    if (!p.ok()) return p;
    parent = *p;
  }
  const int64_t parent_id = parent ? parent->id : 0;
  const size_t begin = slash == std::string_view::npos ? 0 : slash + 1;
  const std::string_view leaf_folded = folded.substr(begin);
  const std::string_view leaf = path.substr(begin);
  const NodeName name = NameInTable(ParentOf(folded, begin), leaf_folded, true);
  std::optional<int64_t> id;
  bool exists = false;
  std::string spelled(leaf);  // the leaf as the table has it
  {
    Result<sqlite3_stmt*> prepared = db_.Prepare(kFindNode);
    if (!prepared.ok()) return prepared.status();
    Statement stmt(*prepared);
    sqlite3_bind_int64(stmt.get(), 1, parent_id);
    BindNodeName(stmt.get(), 2, name);
    int rc = stmt.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return SqliteStatus(db_.get(), rc, "cannot read the store");
    exists = rc == SQLITE_ROW;
    if (exists) {
      if (sqlite3_column_type(stmt.get(), 0) != SQLITE_NULL)
        id = sqlite3_column_int64(stmt.get(), 0);
      spelled = sqlite3_column_type(stmt.get(), 1) == SQLITE_NULL
                    ? leaf_folded
                    : ColumnText(stmt.get(), 1);
    }
  }
  if (!id) {
    Result<sqlite3_stmt*> next = db_.Prepare(kNextFolderId);
    if (!next.ok()) return next.status();
    {
      Statement stmt(*next);
      int rc = stmt.Step();
      if (rc != SQLITE_ROW)
        return SqliteStatus(db_.get(), rc, "cannot read the store");
      id = sqlite3_column_int64(stmt.get(), 0);
    }
    Result<sqlite3_stmt*> write =
        db_.Prepare(exists ? kSetFolderId : kAddFolder);
    if (!write.ok()) return write.status();
    Statement stmt(*write);
    sqlite3_bind_int64(stmt.get(), 1, parent_id);
    BindNodeName(stmt.get(), 2, name);
    if (exists) {
      sqlite3_bind_int64(stmt.get(), 3, *id);
    } else {
      BindName(stmt, 3, leaf, leaf_folded);
      sqlite3_bind_int64(stmt.get(), 4, *id);
    }
    int rc = stmt.Step();
    if (rc != SQLITE_DONE)
      return SqliteStatus(db_.get(), rc, "cannot write the store");
  }
  KnownFolder made{*id, parent ? parent->path + '\\' + spelled : spelled};
  auto added = folders_.emplace(std::string(folded), std::move(made));
  return &added.first->second;
}

Result<bool> KeyTableWriter::Write(const RegistryKey& key, bool replace) {
  const std::string folded = FoldCase(key.path);
  const size_t slash = folded.rfind('\\');
  int64_t parent = 0;
  if (slash != std::string::npos) {
    Result<const KnownFolder*> p =
        EnsureFolder(std::string_view(folded).substr(0, slash),
                     std::string_view(key.path).substr(0, slash));
    if (!p.ok()) return p.status();
    parent = (*p)->id;
  }
  const size_t begin = slash == std::string::npos ? 0 : slash + 1;
  Result<sqlite3_stmt*> prepared = db_.Prepare(replace ? kPutNode : kAddNode);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  PackValuesCompactInto(key.values, &packed_);
  sqlite3_bind_int64(stmt.get(), 1, parent);
  BindNodeName(stmt.get(), 2,
               NameInTable(ParentOf(folded, begin),
                           std::string_view(folded).substr(begin), true));
  BindName(stmt, 3, std::string_view(key.path).substr(begin),
           std::string_view(folded).substr(begin));
  static const uint8_t kEmpty = 0;  // an empty BLOB, not NULL
  stmt.BindBlob(4, packed_.empty() ? &kEmpty : packed_.data(), packed_.size());
  int rc = stmt.Step();
  if (rc != SQLITE_DONE)
    return SqliteStatus(db_.get(), rc, "cannot write the store");
  return sqlite3_changes(db_.get()) > 0;
}

Result<bool> KeyTableWriter::Delete(std::string_view path) {
  Result<std::optional<Node>> found = FindNode(db_, path, false, true);
  if (!found.ok()) return found.status();
  if (!*found) return false;
  const Node& node = **found;
  if (node.id) {
    Result<std::vector<Folder>> folders = SubtreeFolders(db_, FolderOf(node));
    if (!folders.ok()) return folders.status();
    Result<sqlite3_stmt*> prepared = db_.Prepare(kDeleteChildren);
    if (!prepared.ok()) return prepared.status();
    for (const Folder& f : *folders) {
      Statement stmt(*prepared);
      sqlite3_bind_int64(stmt.get(), 1, f.id);
      int rc = stmt.Step();
      if (rc != SQLITE_DONE)
        return SqliteStatus(db_.get(), rc, "cannot write the store");
    }
  }
  Result<sqlite3_stmt*> prepared = db_.Prepare(kDeleteNode);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  const std::string folded = FoldCase(node.path);
  const size_t slash = folded.rfind('\\');
  const size_t begin = slash == std::string::npos ? 0 : slash + 1;
  sqlite3_bind_int64(stmt.get(), 1, node.parent);
  BindNodeName(stmt.get(), 2,
               NameInTable(ParentOf(folded, begin),
                           std::string_view(folded).substr(begin), true));
  int rc = stmt.Step();
  if (rc != SQLITE_DONE)
    return SqliteStatus(db_.get(), rc, "cannot write the store");
  folders_.clear();  // what this removed no longer exists
  return true;
}

}  // namespace sslbind::internal
