-- 004: journal entries packed value by value (version 3): the SQLite
-- store's schema/006 (see that file). No table changes.
SELECT 1;
