// The registry_node table of schema 005: see sqlite_key_table.h.
#include "storage/sqlite_key_table.h"

#include <algorithm>
#include <memory>

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

std::string_view ColumnText(sqlite3_stmt* stmt, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
  return p ? std::string_view(p, sqlite3_column_bytes(stmt, i))
           : std::string_view();
}

std::span<const uint8_t> ColumnBlob(sqlite3_stmt* stmt, int i) {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt, i));
  return std::span<const uint8_t>(p, sqlite3_column_bytes(stmt, i));
}

// The stored spelling of a name: the name column, NULL when it is the
// folded name.
std::string_view NameOf(sqlite3_stmt* stmt, int name_col, int folded_col) {
  return sqlite3_column_type(stmt, name_col) == SQLITE_NULL
             ? ColumnText(stmt, folded_col)
             : ColumnText(stmt, name_col);
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
  if (rc != SQLITE_OK) return SqliteStatus(db.get(), rc, "cannot read the store");
  return stmt;
}

// A read transaction around a scan of several statements, so that they
// read one commit; nothing when the caller has a transaction open.
class ReadTransaction {
 public:
  explicit ReadTransaction(SqliteDb& db) : db_(db) {
    if (sqlite3_get_autocommit(db_.get())) {
      began_ = sqlite3_exec(db_.get(), "BEGIN", nullptr, nullptr, nullptr) ==
               SQLITE_OK;
    }
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction() {
    if (began_ && !sqlite3_get_autocommit(db_.get())) {
      sqlite3_exec(db_.get(), "COMMIT", nullptr, nullptr, nullptr);
    }
  }

 private:
  SqliteDb& db_;
  bool began_ = false;
};

struct Node {
  int64_t parent = 0;
  std::optional<int64_t> id;
  std::string path;  // the stored spelling of every component
  std::vector<uint8_t> vals;
};

// Walks from the root to the key at `path`: nullopt if it does not exist.
Result<std::optional<Node>> FindNode(SqliteDb& db, std::string_view path,
                                     bool want_vals) {
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
    stmt.BindText(2, std::string_view(folded).substr(begin, end - begin));
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
      children[sqlite3_column_int64(stmt.get(), 0)].push_back(
          {sqlite3_column_int64(stmt.get(), 3),
           std::string(ColumnText(stmt.get(), 1)),
           std::string(NameOf(stmt.get(), 2, 1))});
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
  std::sort(folders.begin(), folders.end(),
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

// sslbind_node_order(parent, name): the OrderKey of the scan running for
// the key's full path, as a BLOB (NULL for keys it leaves out).
struct OrderContext {
  const OrderKey* order;
  const std::unordered_map<int64_t, std::string>* paths;
  std::string path;  // scratch
};

void NodeOrderFunction(sqlite3_context* context, int, sqlite3_value** args) {
  auto* ctx = static_cast<OrderContext*>(sqlite3_user_data(context));
  auto it = ctx->paths->find(sqlite3_value_int64(args[0]));
  const auto* name = reinterpret_cast<const char*>(sqlite3_value_text(args[1]));
  if (it == ctx->paths->end() || name == nullptr) {
    sqlite3_result_null(context);
    return;
  }
  ctx->path = it->second;
  if (!ctx->path.empty()) ctx->path += '\\';
  ctx->path.append(name, sqlite3_value_bytes(args[1]));
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

}  // namespace

Status RegisterKeyTableMigrationFunctions(sqlite3* db) {
  constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
  int rc = sqlite3_create_function_v2(db, "sslbind_parent", 1, kFlags, nullptr,
                                      ParentFunction, nullptr, nullptr,
                                      nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "sslbind_leaf", 1, kFlags, nullptr,
                                    LeafFunction, nullptr, nullptr, nullptr);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "sslbind_compact_values", 1, kFlags,
                                    nullptr, CompactValuesFunction, nullptr,
                                    nullptr, nullptr);
  }
  if (rc != SQLITE_OK)
    return SqliteStatus(db, rc, "cannot prepare the schema upgrade");
  return Status::Ok();
}

Result<std::optional<RegistryKey>> KeyTableGet(SqliteDb& db,
                                               std::string_view path) {
  Result<std::optional<Node>> node = FindNode(db, path, true);
  if (!node.ok()) return node.status();
  if (!*node) return std::optional<RegistryKey>();
  RegistryKey key;
  key.path = std::move((*node)->path);
  Status s = UnpackValuesCompactInto((*node)->vals, &key.values);
  if (!s.ok()) return s.WithContext(key.path);
  return std::optional<RegistryKey>(std::move(key));
}

Result<bool> KeyTableExists(SqliteDb& db, std::string_view path) {
  Result<std::optional<Node>> node = FindNode(db, path, false);
  if (!node.ok()) return node.status();
  return node->has_value();
}

namespace {

// Visits the children of the folder `id` at `path`, each folder among
// them followed by its own subtree: depth first, siblings by folded name.
// `level` holds a statement per depth (the outer ones are still stepping).
Status ScanFolder(SqliteDb& db, int64_t id, const std::string& path,
                  size_t depth, std::vector<OwnStatement>& level,
                  RegistryKey& key, const KeyVisitor& visit) {
  constexpr size_t kMaxDepth = 512;  // a damaged store with a cycle ends
  if (depth == kMaxDepth) {
    return Status::IncompatibleStore("the store's keys nest too deep at '" +
                                     path + "'");
  }
  if (level.size() == depth) {
    Result<OwnStatement> stmt = PrepareOwn(db, kChildren);
    if (!stmt.ok()) return stmt.status();
    level.push_back(std::move(*stmt));
  }
  sqlite3_stmt* children = level[depth].get();
  sqlite3_reset(children);
  sqlite3_bind_int64(children, 1, id);
  int rc;
  while ((rc = sqlite3_step(children)) == SQLITE_ROW) {
    key.path.assign(path);
    key.path += '\\';
    key.path += NameOf(children, 1, 0);
    Status s = UnpackValuesCompactInto(ColumnBlob(children, 2), &key.values);
    if (!s.ok()) return s.WithContext(key.path);
    const bool folder = sqlite3_column_type(children, 3) != SQLITE_NULL;
    std::string folder_path = folder ? key.path : std::string();
    const int64_t folder_id = folder ? sqlite3_column_int64(children, 3) : 0;
    s = visit(std::move(key));
    if (!s.ok()) return s;
    if (folder) {
      s = ScanFolder(db, folder_id, folder_path, depth + 1, level, key, visit);
      if (!s.ok()) return s;
    }
  }
  if (rc != SQLITE_DONE)
    return SqliteStatus(db.get(), rc, "cannot read the store");
  return Status::Ok();
}

}  // namespace

Status KeyTableScan(SqliteDb& db, std::string_view path,
                    const KeyVisitor& visit) {
  ReadTransaction read(db);
  Result<std::optional<Node>> found = FindNode(db, path, true);
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
  return ScanFolder(db, *id, node_path, 0, level, key, visit);
}

Status KeyTableScanOrdered(SqliteDb& db, std::string_view path,
                           const OrderKey& order, const KeyVisitor& visit) {
  ReadTransaction read(db);
  Result<std::optional<Node>> found = FindNode(db, path, false);
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
      db.get(), "sslbind_node_order", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
      &context, NodeOrderFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db.get(), rc, "cannot sort keys");
  const std::string sql =
      "SELECT parent, name_folded, name, vals FROM (SELECT parent, "
      "name_folded, name, vals, sslbind_node_order(parent, coalesce(name, "
      "name_folded)) AS o FROM registry_node WHERE parent IN (" +
      ids +
      ") OR (parent = ?1 AND name_folded = ?2)) WHERE o IS NOT NULL "
      "ORDER BY o";
  Result<OwnStatement> stmt = PrepareOwn(db, sql);
  if (!stmt.ok()) return stmt.status();
  sqlite3_stmt* rows = stmt->get();
  const std::string folded = FoldCase(node.path);
  const std::string leaf =
      slash == std::string::npos ? folded : folded.substr(slash + 1);
  sqlite3_bind_int64(rows, 1, node.parent);
  sqlite3_bind_text(rows, 2, leaf.data(), static_cast<int>(leaf.size()),
                    SQLITE_STATIC);
  RegistryKey key;
  while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
    const std::string& parent = paths[sqlite3_column_int64(rows, 0)];
    key.path.assign(parent);
    if (!parent.empty()) key.path += '\\';
    key.path += NameOf(rows, 2, 1);
    Status s = UnpackValuesCompactInto(ColumnBlob(rows, 3), &key.values);
    if (!s.ok()) return s.WithContext(key.path);
    s = visit(std::move(key));
    if (!s.ok()) return s;
  }
  if (rc != SQLITE_DONE)
    return SqliteStatus(db.get(), rc, "cannot read the store");
  return Status::Ok();
}

Result<int64_t> KeyTableWriter::EnsureFolder(std::string_view folded,
                                             std::string_view path) {
  auto known = folders_.find(std::string(folded));
  if (known != folders_.end()) return known->second;
  const size_t slash = folded.rfind('\\');
  int64_t parent = 0;
  if (slash != std::string_view::npos) {
    Result<int64_t> p =
        EnsureFolder(folded.substr(0, slash), path.substr(0, slash));
    if (!p.ok()) return p;
    parent = *p;
  }
  const size_t begin = slash == std::string_view::npos ? 0 : slash + 1;
  const std::string_view leaf_folded = folded.substr(begin);
  const std::string_view leaf = path.substr(begin);
  std::optional<int64_t> id;
  bool exists = false;
  {
    Result<sqlite3_stmt*> prepared = db_.Prepare(kFindNode);
    if (!prepared.ok()) return prepared.status();
    Statement stmt(*prepared);
    sqlite3_bind_int64(stmt.get(), 1, parent);
    stmt.BindText(2, leaf_folded);
    int rc = stmt.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      return SqliteStatus(db_.get(), rc, "cannot read the store");
    exists = rc == SQLITE_ROW;
    if (exists && sqlite3_column_type(stmt.get(), 0) != SQLITE_NULL)
      id = sqlite3_column_int64(stmt.get(), 0);
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
    sqlite3_bind_int64(stmt.get(), 1, parent);
    stmt.BindText(2, leaf_folded);
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
  folders_.emplace(std::string(folded), *id);
  return *id;
}

Result<bool> KeyTableWriter::Write(const RegistryKey& key, bool replace) {
  const std::string folded = FoldCase(key.path);
  const size_t slash = folded.rfind('\\');
  int64_t parent = 0;
  if (slash != std::string::npos) {
    Result<int64_t> p = EnsureFolder(std::string_view(folded).substr(0, slash),
                                     std::string_view(key.path).substr(0, slash));
    if (!p.ok()) return p.status();
    parent = *p;
  }
  const size_t begin = slash == std::string::npos ? 0 : slash + 1;
  Result<sqlite3_stmt*> prepared = db_.Prepare(replace ? kPutNode : kAddNode);
  if (!prepared.ok()) return prepared.status();
  Statement stmt(*prepared);
  PackValuesCompactInto(key.values, &packed_);
  sqlite3_bind_int64(stmt.get(), 1, parent);
  stmt.BindText(2, std::string_view(folded).substr(begin));
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
  Result<std::optional<Node>> found = FindNode(db_, path, false);
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
  sqlite3_bind_int64(stmt.get(), 1, node.parent);
  stmt.BindText(2, slash == std::string::npos ? std::string_view(folded)
                                              : std::string_view(folded).substr(slash + 1));
  int rc = stmt.Step();
  if (rc != SQLITE_DONE)
    return SqliteStatus(db_.get(), rc, "cannot write the store");
  folders_.clear();  // what this removed no longer exists
  return true;
}

}  // namespace sslbind::internal
