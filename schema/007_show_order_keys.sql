-- 007: bindings stored in `show` order (docs/reference.md, "Registry
-- layout"; docs/performance.md, "Listings and exports stream").
--
-- registry_node's primary key is (parent, name_folded). Until now a
-- binding's name_folded was its folded name ('10.0.0.1:443'), whose text
-- order is not `show` order ('9.0.0.1:443' sorts after it, 'a.com:443'
-- after 'a.com.b:443'), so every listing sorted a million rows. From now on
-- a key directly below one of the four binding kind keys whose name is a
-- key of that kind is named by a BLOB that sorts as `show` sorts: a tag,
-- the address or host name and the port (big-endian), and the folded name
-- itself only when it is not the key's canonical name
-- (libbindings/src/storage/binding_order.h). Every other key keeps its
-- folded name (TEXT, which SQLite sorts before any BLOB). The BLOB is
-- shorter than the text for IPv4 (7 bytes) and no longer for host names
-- (the name and 4 bytes); 19 bytes for IPv6, which is longer only for
-- short addresses such as '[::1]:443': the store does not grow. sslbind_node_name is
-- registered by sslbind before it runs this
-- (libbindings/src/storage/sqlite_key_table.cc).

-- Every folder's folded path (a damaged store's cycle ends at depth 64).
CREATE TEMP TABLE folder_007 (
  id   INTEGER PRIMARY KEY,
  path TEXT NOT NULL
);
INSERT INTO folder_007 (id, path)
  WITH RECURSIVE folder(id, path, depth) AS (
    SELECT id, name_folded, 1 FROM registry_node
      WHERE parent = 0 AND id IS NOT NULL
    UNION
    SELECT n.id, f.path || '\' || n.name_folded, f.depth + 1
      FROM registry_node n JOIN folder f ON n.parent = f.id
      WHERE n.id IS NOT NULL AND f.depth < 64)
  SELECT id, min(path) FROM folder GROUP BY id;

UPDATE registry_node
  SET name_folded = sslbind_node_name(
        (SELECT path FROM folder_007 WHERE id = registry_node.parent),
        name_folded)
  WHERE parent IN (SELECT id FROM folder_007
                   WHERE path IN (
                     'system\currentcontrolset\services\http\parameters\sslbindinginfo',
                     'system\currentcontrolset\services\http\parameters\sslsnibindinginfo',
                     'system\currentcontrolset\services\http\parameters\sslccsbindinginfo',
                     'system\currentcontrolset\services\http\parameters\sslscopedccsbindinginfo'));

DROP TABLE temp.folder_007;
