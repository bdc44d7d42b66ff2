-- 002: a counter moved by every committed write, from any process, so that
-- a server holding a resolver snapshot can ask cheaply whether to rebuild.
CREATE TABLE store_meta (
  name  TEXT PRIMARY KEY NOT NULL,
  value INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO store_meta (name, value) VALUES ('change_counter', 0);
