-- 005: a smaller key table (docs/reference.md, "Registry layout").
--
-- registry_key stored each key's full path twice (folded and as written)
-- and its value names in full: 552 bytes a binding. registry_node names a
-- key by its parent's id and its own folded name (the primary key, so a
-- folder's children are one range scan), keeps its spelling only when it
-- is not the folded name, and packs the values compactly (value names as
-- one-byte codes, lengths as varints: PackValuesCompactInto in
-- libbindings/src/storage/value_codec.h). Only keys with children
-- ("folders": Parameters, the four kind keys, certificate stores) have an
-- id; parent 0 is the root. The sslbind_* functions are registered by
-- sslbind before it runs this (libbindings/src/storage/sqlite_key_table.cc).
CREATE TABLE registry_node (
  parent      INTEGER NOT NULL,
  name_folded TEXT NOT NULL,
  name        TEXT,
  id          INTEGER,
  vals        BLOB NOT NULL,
  PRIMARY KEY (parent, name_folded)
) WITHOUT ROWID;

CREATE UNIQUE INDEX registry_node_folder ON registry_node (id)
  WHERE id IS NOT NULL;

-- Every key with children, and every ancestor of one, numbered in path
-- order.
CREATE TEMP TABLE folder_005 (
  path_folded TEXT PRIMARY KEY NOT NULL,
  id          INTEGER NOT NULL
);
INSERT INTO folder_005 (path_folded, id)
  WITH RECURSIVE ancestor(path_folded) AS (
    SELECT DISTINCT sslbind_parent(path_folded) FROM registry_key
    UNION
    SELECT sslbind_parent(path_folded) FROM ancestor
      WHERE path_folded IS NOT NULL)
  SELECT path_folded, row_number() OVER (ORDER BY path_folded)
    FROM ancestor WHERE path_folded IS NOT NULL;

INSERT INTO registry_node (parent, name_folded, name, id, vals)
  SELECT coalesce(p.id, 0), sslbind_leaf(k.path_folded),
         nullif(sslbind_leaf(k.path), sslbind_leaf(k.path_folded)), f.id,
         sslbind_compact_values(k.vals)
    FROM registry_key k
    LEFT JOIN folder_005 p ON p.path_folded = sslbind_parent(k.path_folded)
    LEFT JOIN folder_005 f ON f.path_folded = k.path_folded;

-- An ancestor missing from registry_key (never written by sslbind, which
-- creates every ancestor of a key it writes) becomes an empty key.
INSERT INTO registry_node (parent, name_folded, name, id, vals)
  SELECT coalesce(p.id, 0), sslbind_leaf(f.path_folded), NULL, f.id, x''
    FROM folder_005 f
    LEFT JOIN folder_005 p ON p.path_folded = sslbind_parent(f.path_folded)
    WHERE NOT EXISTS (SELECT 1 FROM registry_key k
                      WHERE k.path_folded = f.path_folded);

DROP TABLE registry_key;
DROP TABLE temp.folder_005;
