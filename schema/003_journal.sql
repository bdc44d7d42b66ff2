-- 003: revisions and the change journal.
--
-- The store's revision is the change counter of 002: every committed write
-- moves it by exactly one, in the same transaction. Each revision has one
-- journal_revision row (when, who, why) whose `changes` BLOB holds every
-- registry key it changed with the key's values before and after (see
-- libbindings/src/storage/sqlite_journal.cc for the packing). One row per
-- revision, not per key: an import of 100k bindings appends one long BLOB
-- instead of 100k index entries. Certificates are journaled as their store,
-- thumbprint (in the path) and subject only.
--
-- journal_start is the oldest revision whose bindings the journal can
-- rebuild: a store older than the journal starts from its revision of the
-- day it was upgraded (the baseline), and compaction moves it forward.
CREATE TABLE journal_revision (
  revision INTEGER PRIMARY KEY NOT NULL,
  time_ms  INTEGER NOT NULL,
  user     TEXT NOT NULL,
  uid      INTEGER NOT NULL,
  host     TEXT NOT NULL,
  pid      INTEGER NOT NULL,
  command  TEXT NOT NULL,
  reason   TEXT NOT NULL,
  changes  BLOB NOT NULL
);

INSERT INTO store_meta (name, value)
  SELECT 'journal_start', value FROM store_meta WHERE name = 'change_counter';
