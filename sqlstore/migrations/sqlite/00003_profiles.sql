-- +goose Up
-- Profiles: the resolved subjects. Each resolved record belongs to one
-- profile (an opaque id); a record without a row is not resolved yet.
CREATE TABLE profile_members (
  rid     INTEGER PRIMARY KEY REFERENCES records(rid) ON DELETE CASCADE,
  profile TEXT NOT NULL
);
CREATE INDEX profile_members_profile ON profile_members(profile);

-- The matcher's opinion of candidate pairs (a < b) at or above the review
-- threshold, with its explanation.
CREATE TABLE match_pairs (
  a           INTEGER NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  b           INTEGER NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  probability REAL NOT NULL,
  explanation TEXT NOT NULL,
  at          BIGINT NOT NULL,
  PRIMARY KEY (a, b)
);
CREATE INDEX match_pairs_b ON match_pairs(b);

-- Analysts' judgements (same, not_same, unsure) override the matcher; a
-- judgement is never deleted, only retracted.
CREATE TABLE judgements (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  a            INTEGER NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  b            INTEGER NOT NULL REFERENCES records(rid) ON DELETE CASCADE,
  verdict      TEXT NOT NULL,
  username     TEXT NOT NULL,
  agency       TEXT NOT NULL,
  reason       TEXT NOT NULL,
  at           BIGINT NOT NULL,
  retracted_at BIGINT NOT NULL DEFAULT 0,
  retracted_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX judgements_pair ON judgements(a, b);

-- The matcher's estimated model, shared by every instance.
CREATE TABLE match_model (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  model TEXT NOT NULL,
  at    BIGINT NOT NULL
);

-- +goose Down
DROP TABLE match_model;
DROP TABLE judgements;
DROP TABLE match_pairs;
DROP TABLE profile_members;
