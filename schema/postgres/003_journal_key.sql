-- 003: an index of the journal by key, for `history KEY`: the SQLite
-- store's schema/004 (see that file for what the rows mean).
CREATE TABLE journal_key (
  key_hash BIGINT NOT NULL,
  revision BIGINT NOT NULL,
  PRIMARY KEY (key_hash, revision)
);

INSERT INTO journal_key (key_hash, revision)
  SELECT 0, revision FROM journal_revision;
