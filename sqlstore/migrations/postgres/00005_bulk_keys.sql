-- +goose Up
-- A bulk import writes several index rows per record, and PostgreSQL checks
-- a foreign key with one query per row: about half of an import's time in
-- these three tables. Their rows are only ever written together with their
-- record, in its transaction, so on insert the check proves nothing; what
-- the keys also did — take a record's rows away with it — is done by one
-- statement-level trigger.
ALTER TABLE selectors DROP CONSTRAINT selectors_rid_fkey;
ALTER TABLE record_identifiers DROP CONSTRAINT record_identifiers_rid_fkey;
ALTER TABLE record_refs DROP CONSTRAINT record_refs_rid_fkey;

-- +goose StatementBegin
CREATE FUNCTION records_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM selectors WHERE rid IN (SELECT rid FROM gone);
  DELETE FROM record_identifiers WHERE rid IN (SELECT rid FROM gone);
  DELETE FROM record_refs WHERE rid IN (SELECT rid FROM gone);
  RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER records_cascade AFTER DELETE ON records
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION records_cascade();

-- +goose Down
DROP TRIGGER records_cascade ON records;
DROP FUNCTION records_cascade();
ALTER TABLE record_refs ADD CONSTRAINT record_refs_rid_fkey FOREIGN KEY (rid) REFERENCES records(rid) ON DELETE CASCADE;
ALTER TABLE record_identifiers ADD CONSTRAINT record_identifiers_rid_fkey FOREIGN KEY (rid) REFERENCES records(rid) ON DELETE CASCADE;
ALTER TABLE selectors ADD CONSTRAINT selectors_rid_fkey FOREIGN KEY (rid) REFERENCES records(rid) ON DELETE CASCADE;
