-- 001: the registry hive, the change counter and the journal, for a store
-- in PostgreSQL (the SQLite store's schema/001..003 in one step; see those
-- files for what each table means).
--
-- path_folded uses the "C" collation: byte order, as SQLite compares, so a
-- subtree is one range of the primary key (every path below P sorts between
-- 'P\' and 'P]').
CREATE TABLE sslbind_schema (
  version INTEGER NOT NULL
);
INSERT INTO sslbind_schema (version) VALUES (0);

CREATE TABLE registry_key (
  path_folded TEXT COLLATE "C" PRIMARY KEY NOT NULL,
  path        TEXT NOT NULL,
  vals        BYTEA NOT NULL
);

-- change_counter is the revision: writers lock its row first (SELECT ...
-- FOR UPDATE), so they queue, and move it by one in the same transaction.
CREATE TABLE store_meta (
  name  TEXT PRIMARY KEY NOT NULL,
  value BIGINT NOT NULL
);
INSERT INTO store_meta (name, value) VALUES ('change_counter', 0);
INSERT INTO store_meta (name, value) VALUES ('journal_start', 0);

-- changes: the same packing as the SQLite journal
-- (libbindings/src/storage/journal_packing.h).
CREATE TABLE journal_revision (
  revision BIGINT PRIMARY KEY NOT NULL,
  time_ms  BIGINT NOT NULL,
  "user"   TEXT NOT NULL,
  uid      BIGINT NOT NULL,
  host     TEXT NOT NULL,
  pid      BIGINT NOT NULL,
  command  TEXT NOT NULL,
  reason   TEXT NOT NULL,
  changes  BYTEA NOT NULL
);
