-- +goose Up
-- Saved link charts. A chart keeps only record ids, where they stood and
-- the view's filters (state, JSON) — never captions or properties: opening
-- it loads every node and link again through the access decision of
-- whoever opens it. case_ref is reserved for the case a chart is saved to,
-- once cases exist; it stays NULL until then.
CREATE TABLE charts (
  id         TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  agency     TEXT NOT NULL REFERENCES agencies(code),
  title      TEXT NOT NULL,
  case_ref   TEXT,
  created_at BIGINT NOT NULL,
  nodes      INTEGER NOT NULL,
  state      TEXT NOT NULL
);
CREATE INDEX charts_agency ON charts(agency, created_at);

-- +goose Down
DROP TABLE charts;
