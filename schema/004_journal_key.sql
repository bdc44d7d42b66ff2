-- 004: an index of the journal by key, for `history KEY`.
--
-- One row per (key, revision) for each key a revision changed, the key
-- named by key_hash: a 63-bit hash of its ASCII-folded path
-- (JournalKeyHash in libbindings/src/storage/journal_packing.h), never 0.
-- A revision that changed many keys (an import) is not indexed key by key:
-- it has one row with key_hash 0, "look inside", and so has every revision
-- journaled before this migration. A key's history is then the revisions
-- of its hash and of hash 0, newest first, each read and filtered by the
-- exact path (hashes may collide).
CREATE TABLE journal_key (
  key_hash INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  PRIMARY KEY (key_hash, revision)
) WITHOUT ROWID;

INSERT INTO journal_key (key_hash, revision)
  SELECT 0, revision FROM journal_revision;
