-- 002: private keys and the CCS password, which a store file keeps as 0600
-- files in its key folder. One row per secret, named as the file would be
-- (THUMBPRINT.ID.key, ccs.ID.password), sealed with the farm key
-- (libbindings/src/certs/farm_key.h): the database never holds a secret in
-- clear. Written in the write transaction that references it; rows no key
-- references are removed by the next writer.
CREATE TABLE secret (
  name TEXT COLLATE "C" PRIMARY KEY NOT NULL,
  data BYTEA NOT NULL
);
