-- The stored versions of this import's cases (the newest import wins), in `_import_old_cases`:
-- run by metrics/aggregates.find_replaced when the import's ids may be among the stored ones.
--
-- The hash table is built on this import's ids and the store's ids only stream past it:
-- the store may hold a hundred times as many cases as the file. First the ids alone: read
-- with every column, the pass over a 100M-case store took 2.5 s, the ids alone 1.5 s; the
-- stored cases themselves are read only when some are replaced (a join with nothing to
-- match reads nothing).
CREATE OR REPLACE TEMP TABLE _import_old_ids AS
SELECT c.case_id FROM cases c SEMI JOIN _import_new_cases n ON n.case_id = c.case_id;

CREATE OR REPLACE TEMP TABLE _import_old_cases AS
SELECT c.* FROM cases c SEMI JOIN _import_old_ids o ON o.case_id = c.case_id;

DROP TABLE _import_old_ids;
