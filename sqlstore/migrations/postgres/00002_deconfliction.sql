-- +goose Up
-- The hit/no-hit index: HMAC-SHA256 hashes (package selector) of every
-- strong identifier and likely-same-person key, by record. Without the
-- index key the table reveals nothing.
CREATE TABLE selectors (
  hash BYTEA NOT NULL,
  rid  BIGINT NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  PRIMARY KEY (hash, rid)
);
CREATE INDEX selectors_rid ON selectors(rid);

-- Hits: a check, search or new record of one agency met records of another.
-- The searcher's side sees holder agency, strength and matched_on; the
-- holder's side also sees who asked, why, and its own records (rids).
-- silent: an informant record; the holder is told, the searcher is not.
CREATE TABLE hits (
  id              BIGSERIAL PRIMARY KEY,
  at              BIGINT NOT NULL,
  origin          TEXT NOT NULL,
  searcher_agency TEXT NOT NULL REFERENCES agencies(code),
  searcher_user   TEXT NOT NULL,
  purpose         TEXT NOT NULL,
  subject         TEXT NOT NULL,
  holder_agency   TEXT NOT NULL REFERENCES agencies(code),
  rids            TEXT NOT NULL,
  strength        TEXT NOT NULL,
  matched_on      TEXT NOT NULL,
  silent          BOOLEAN NOT NULL
);
CREATE INDEX hits_searcher ON hits(searcher_agency, id);
CREATE INDEX hits_holder ON hits(holder_agency, id);

-- Keys the platform generated for itself when none was configured.
CREATE TABLE platform_keys (
  name  TEXT PRIMARY KEY,
  value BYTEA NOT NULL
);

-- An agency's webhook: events (hits now, more later) are POSTed to url,
-- signed with HMAC-SHA256 under secret.
CREATE TABLE webhooks (
  agency     TEXT PRIMARY KEY REFERENCES agencies(code),
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- The outbox: one row per event per agency webhook, written in the same
-- transaction as the event, delivered with retries until it succeeds (or
-- is given up after days), so a target that is down loses nothing.
CREATE TABLE deliveries (
  id           BIGSERIAL PRIMARY KEY,
  agency       TEXT NOT NULL REFERENCES agencies(code),
  event        TEXT NOT NULL,
  payload      TEXT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_at      BIGINT NOT NULL,
  delivered_at BIGINT NOT NULL DEFAULT 0,
  failed       BOOLEAN NOT NULL DEFAULT FALSE,
  last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_due ON deliveries(delivered_at, failed, next_at);

-- +goose Down
DROP TABLE deliveries;
DROP TABLE webhooks;
DROP TABLE platform_keys;
DROP TABLE hits;
DROP TABLE selectors;
