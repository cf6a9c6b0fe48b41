-- +goose Up
-- Sanctions lists as loaded: every version is kept (history); one per
-- source is current. Entries are stored as the reader gives them (JSON).
CREATE TABLE sanction_lists (
  version    BIGSERIAL PRIMARY KEY,
  source     TEXT NOT NULL,
  generated  BIGINT NOT NULL,
  loaded_at  BIGINT NOT NULL,
  loaded_by  TEXT NOT NULL,
  entries    INTEGER NOT NULL,
  added      INTEGER NOT NULL,
  removed    INTEGER NOT NULL,
  changed    INTEGER NOT NULL,
  current    BOOLEAN NOT NULL
);
CREATE TABLE sanction_entries (
  version BIGINT NOT NULL REFERENCES sanction_lists(version),
  ref     TEXT NOT NULL,
  change  TEXT NOT NULL,
  data    TEXT NOT NULL,
  PRIMARY KEY (version, ref)
);

-- Which records were screened against which list version, and the alerts
-- screening raised (evidence as the screener explains it).
CREATE TABLE screenings (
  rid     BIGINT PRIMARY KEY REFERENCES records(rid) ON DELETE CASCADE,
  version BIGINT NOT NULL
);
CREATE TABLE screen_alerts (
  id       BIGSERIAL PRIMARY KEY,
  at       BIGINT NOT NULL,
  rid      BIGINT NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  version  BIGINT NOT NULL,
  ref      TEXT NOT NULL,
  name     TEXT NOT NULL,
  matched  TEXT NOT NULL,
  score    DOUBLE PRECISION NOT NULL,
  evidence TEXT NOT NULL,
  UNIQUE (rid, ref)
);
CREATE INDEX screen_alerts_rid ON screen_alerts(rid);

-- +goose Down
DROP TABLE screen_alerts;
DROP TABLE screenings;
DROP TABLE sanction_entries;
DROP TABLE sanction_lists;
