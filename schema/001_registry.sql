-- 001: the registry hive (docs/reference.md, "Registry layout").
--
-- One row per registry key. Paths are backslash-separated from the hive
-- root; path_folded is the ASCII-lower-case path, which is how registry
-- names compare, and the primary key, so a subtree is one range scan
-- (every path below P sorts between 'P\' and 'P]').
--
-- A key's values are packed into one BLOB (see
-- libbindings/src/storage/value_codec.h): a binding is read and written as
-- one row, which keeps a million-binding snapshot to a million row reads.
CREATE TABLE registry_key (
  path_folded TEXT PRIMARY KEY NOT NULL,
  path        TEXT NOT NULL,
  vals        BLOB NOT NULL
) WITHOUT ROWID;

-- 'SSLB': marks the file as an sslbind store.
PRAGMA application_id = 1397967938;
