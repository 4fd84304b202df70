-- The cases as they will be after this import, when everything is rebuilt (a first import,
-- a calendar change): built beside the live table and swapped in by the import's
-- transaction. Every earlier case this file does not replace, then the accepted rows
-- (`_import_new_cases`, from cases_new.sql).
INSERT INTO _import_next_cases
SELECT * FROM cases old
WHERE NOT EXISTS (SELECT 1 FROM _import_new_cases n WHERE n.case_id = old.case_id);

INSERT INTO _import_next_cases SELECT * FROM _import_new_cases;
