-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE agencies (
  code          TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  desk          TEXT NOT NULL DEFAULT '',
  phone         TEXT NOT NULL DEFAULT '',
  email         TEXT NOT NULL DEFAULT '',
  totp_optional BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    BIGINT NOT NULL
);

CREATE TABLE users (
  id            BIGSERIAL PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL DEFAULT '',
  agency        TEXT NOT NULL REFERENCES agencies(code),
  roles         TEXT NOT NULL,
  clearance     TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  totp_secret   TEXT NOT NULL DEFAULT '',
  disabled      BOOLEAN NOT NULL DEFAULT FALSE,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  locked_until  BIGINT NOT NULL DEFAULT 0,
  created_at    BIGINT NOT NULL
);

CREATE TABLE tokens (
  hash       TEXT PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users(id),
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_used  BIGINT NOT NULL DEFAULT 0,
  revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE records (
  rid            BIGSERIAL PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  schema         TEXT NOT NULL,
  agency         TEXT NOT NULL REFERENCES agencies(code),
  caption        TEXT NOT NULL,
  properties     TEXT NOT NULL,
  release        TEXT NOT NULL,
  rel_agencies   TEXT NOT NULL,
  handling       TEXT NOT NULL,
  conditions     TEXT NOT NULL,
  classification TEXT NOT NULL,
  categories     TEXT NOT NULL,
  informant      BOOLEAN NOT NULL,
  grading        TEXT NOT NULL,
  source_report  TEXT NOT NULL,
  source_date    TEXT NOT NULL,
  author         TEXT NOT NULL,
  subject        TEXT NOT NULL,
  basis          TEXT NOT NULL,
  review_date    TEXT NOT NULL,
  version        INTEGER NOT NULL,
  created_at     BIGINT NOT NULL,
  updated_at     BIGINT NOT NULL,
  search         TEXT NOT NULL,
  search_words   tsvector GENERATED ALWAYS AS (to_tsvector('simple', search)) STORED
);
CREATE INDEX records_agency ON records(agency, rid);
CREATE INDEX records_schema ON records(schema, rid);
-- Whole words (full text) for names, trigrams for substrings.
CREATE INDEX records_search_words ON records USING GIN (search_words);
CREATE INDEX records_search_trgm ON records USING GIN (search gin_trgm_ops);

CREATE TABLE record_identifiers (
  rid   BIGINT NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  kind  TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (value, kind, rid)
);
CREATE INDEX record_identifiers_rid ON record_identifiers(rid);

CREATE TABLE record_refs (
  rid    BIGINT NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  prop   TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  PRIMARY KEY (rid, prop, ref_id)
);
CREATE INDEX record_refs_ref ON record_refs(ref_id);

CREATE TABLE audit_events (
  seq       BIGINT PRIMARY KEY,
  at        BIGINT NOT NULL,
  user_id   BIGINT NOT NULL,
  username  TEXT NOT NULL,
  agency    TEXT NOT NULL,
  action    TEXT NOT NULL,
  objects   TEXT NOT NULL,
  query     TEXT NOT NULL,
  purpose   TEXT NOT NULL,
  client    TEXT NOT NULL,
  count     INTEGER NOT NULL,
  outcome   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX audit_user ON audit_events(username, seq);
CREATE INDEX audit_agency ON audit_events(agency, seq);
CREATE INDEX audit_action ON audit_events(action, seq);
CREATE INDEX audit_at ON audit_events(at);

-- The head of the chain, updated in the same transaction as every append. Its
-- row lock serialises appends across instances, and verify compares it with
-- the last event, so cutting events off the end is detected too.
CREATE TABLE audit_head (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   BIGINT NOT NULL,
  hash  TEXT NOT NULL,
  keyed BOOLEAN NOT NULL DEFAULT FALSE,
  key_check TEXT NOT NULL DEFAULT ''
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- +goose StatementBegin
CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP FUNCTION audit_append_only;
DROP TABLE record_refs;
DROP TABLE record_identifiers;
DROP TABLE records;
DROP TABLE tokens;
DROP TABLE users;
DROP TABLE agencies;
