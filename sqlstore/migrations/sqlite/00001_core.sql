-- +goose Up
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
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
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
  user_id    INTEGER NOT NULL REFERENCES users(id),
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_used  BIGINT NOT NULL DEFAULT 0,
  revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX tokens_user ON tokens(user_id);

CREATE TABLE records (
  rid            INTEGER PRIMARY KEY,
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
  search         TEXT NOT NULL
);
CREATE INDEX records_agency ON records(agency, rid);
CREATE INDEX records_schema ON records(schema, rid);

-- Identifiers in normal form (package ident): exact search now, hit/no-hit later.
CREATE TABLE record_identifiers (
  rid   INTEGER NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  kind  TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (value, kind, rid)
);
CREATE INDEX record_identifiers_rid ON record_identifiers(rid);

-- Entity references (link ends and other entity properties), for the
-- "a link is visible only if both ends are" rule and for graph traversal.
CREATE TABLE record_refs (
  rid    INTEGER NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  prop   TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  PRIMARY KEY (rid, prop, ref_id)
);
CREATE INDEX record_refs_ref ON record_refs(ref_id);

-- Two full-text indexes over the same search text: whole words (names and
-- their skeleton keys; fast for common names) and trigrams (substrings of
-- any length of three or more, for partial identifiers and fragments).
CREATE VIRTUAL TABLE records_words USING fts5(search, content='records', content_rowid='rid', tokenize='unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE records_fts USING fts5(search, content='records', content_rowid='rid', tokenize='trigram remove_diacritics 1');
-- New rows are indexed by the store itself (one row at a time on create,
-- in one statement at the end of a bulk import: a trigger would make FTS5
-- flush its buffer after every statement and slow imports tenfold).
-- +goose StatementBegin
CREATE TRIGGER records_fts_del AFTER DELETE ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, search) VALUES ('delete', old.rid, old.search);
  INSERT INTO records_words(records_words, rowid, search) VALUES ('delete', old.rid, old.search);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER records_fts_upd AFTER UPDATE OF search ON records BEGIN
  INSERT INTO records_fts(records_fts, rowid, search) VALUES ('delete', old.rid, old.search);
  INSERT INTO records_fts(rowid, search) VALUES (new.rid, new.search);
  INSERT INTO records_words(records_words, rowid, search) VALUES ('delete', old.rid, old.search);
  INSERT INTO records_words(rowid, search) VALUES (new.rid, new.search);
END;
-- +goose StatementEnd

CREATE TABLE audit_events (
  seq       INTEGER PRIMARY KEY,
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

-- The log is append-only inside the database too: the application never
-- updates or deletes audit rows, and these triggers refuse it to anyone
-- going through SQL without dropping them first (which verify then detects).
-- +goose StatementBegin
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP TABLE records_fts;
DROP TABLE records_words;
DROP TABLE record_refs;
DROP TABLE record_identifiers;
DROP TABLE records;
DROP TABLE tokens;
DROP TABLE users;
DROP TABLE agencies;
