-- 003: revisions and the change journal.
--
-- The store's revision is the change counter of 002: every committed write
-- moves it by exactly one, in the same transaction. Each revision has one
-- journal_revision row (when, who, why) and one journal_change row per
-- registry key it changed, with the key's values before and after (packed
-- as registry_key.vals; NULL: the key did not exist). Certificates are
-- journaled as their store, thumbprint (in the path) and subject only.
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
  reason   TEXT NOT NULL
);

CREATE TABLE journal_change (
  revision    INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  path_folded TEXT NOT NULL,
  path        TEXT NOT NULL,
  before      BLOB,
  after       BLOB,
  PRIMARY KEY (revision, seq)
) WITHOUT ROWID;

-- `history KEY`: the revisions that touched one key.
CREATE INDEX journal_change_by_key ON journal_change (path_folded, revision);

INSERT INTO store_meta (name, value)
  SELECT 'journal_start', value FROM store_meta WHERE name = 'change_counter';
