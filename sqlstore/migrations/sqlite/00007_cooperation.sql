-- +goose Up
-- Cooperation between agencies (cases and joint teams, requests and
-- grants, planned operations, notifications). Ids are UUIDv7 text, times
-- microseconds since the epoch, lists ",a,b," as elsewhere.

-- What widens a record beyond its marking, copied from grants and
-- case_records in the same transaction (see sqlstore.refreshShares).
ALTER TABLE records ADD COLUMN shares TEXT NOT NULL DEFAULT '';

CREATE TABLE cases (
  id          TEXT PRIMARY KEY,
  number      TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  lead_agency TEXT NOT NULL REFERENCES agencies(code),
  status      TEXT NOT NULL,
  offences    TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX cases_lead ON cases(lead_agency, created_at);

CREATE TABLE case_members (
  case_id  TEXT NOT NULL REFERENCES cases(id),
  user_id  BIGINT NOT NULL REFERENCES users(id),
  agency   TEXT NOT NULL REFERENCES agencies(code),
  role     TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_members_user ON case_members(user_id);

-- A record attached to a case. widens: attached by its holding agency,
-- so members of the case may see it as its marking otherwise allows.
CREATE TABLE case_records (
  case_id  TEXT NOT NULL REFERENCES cases(id),
  rid      BIGINT NOT NULL REFERENCES records(rid),
  widens   BOOLEAN NOT NULL,
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, rid)
);
CREATE INDEX case_records_rid ON case_records(rid);

-- Legal milestones: FIR, arrest, seizure (quantity, unit), charge sheet,
-- trial, conviction, acquittal, assets frozen or confiscated (amount).
CREATE TABLE case_milestones (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES cases(id),
  kind        TEXT NOT NULL,
  on_date     TEXT NOT NULL,
  details     TEXT NOT NULL,
  quantity    DOUBLE PRECISION NOT NULL,
  unit        TEXT NOT NULL,
  amount      DOUBLE PRECISION NOT NULL,
  currency    TEXT NOT NULL,
  agency      TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at BIGINT NOT NULL
);
CREATE INDEX case_milestones_case ON case_milestones(case_id, on_date);

CREATE TABLE case_tasks (
  id         TEXT PRIMARY KEY,
  case_id    TEXT NOT NULL REFERENCES cases(id),
  title      TEXT NOT NULL,
  assignee   TEXT NOT NULL,
  due        TEXT NOT NULL,
  status     TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX case_tasks_case ON case_tasks(case_id);

CREATE TABLE case_notes (
  id             TEXT PRIMARY KEY,
  case_id        TEXT NOT NULL REFERENCES cases(id),
  author         TEXT NOT NULL,
  agency         TEXT NOT NULL,
  body           TEXT NOT NULL,
  classification TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes(case_id, created_at);

-- Content-addressed attachment bodies: one copy per SHA-256.
CREATE TABLE blobs (
  sha256  TEXT PRIMARY KEY,
  size    BIGINT NOT NULL,
  content BLOB NOT NULL
);

-- An attachment of a case or of a request's reply, with its own marking.
CREATE TABLE attachments (
  id             TEXT PRIMARY KEY,
  case_id        TEXT REFERENCES cases(id),
  reply_id       TEXT,
  name           TEXT NOT NULL,
  media_type     TEXT NOT NULL,
  sha256         TEXT NOT NULL REFERENCES blobs(sha256),
  size           BIGINT NOT NULL,
  agency         TEXT NOT NULL,
  handling       TEXT NOT NULL,
  classification TEXT NOT NULL,
  categories     TEXT NOT NULL,
  added_by       TEXT NOT NULL,
  added_at       BIGINT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);
CREATE INDEX attachments_reply ON attachments(reply_id);

-- Requests between agencies: rfi, access, assistance.
CREATE TABLE requests (
  id              TEXT PRIMARY KEY,
  type            TEXT NOT NULL,
  from_agency     TEXT NOT NULL REFERENCES agencies(code),
  to_agency       TEXT NOT NULL REFERENCES agencies(code),
  case_id         TEXT REFERENCES cases(id),
  created_by      TEXT NOT NULL,
  subjects        TEXT NOT NULL,
  justification   TEXT NOT NULL,
  urgency         TEXT NOT NULL,
  deadline        BIGINT NOT NULL,
  state           TEXT NOT NULL,
  reason          TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  acknowledged_at BIGINT NOT NULL,
  closed_at       BIGINT NOT NULL,
  closed_by       TEXT NOT NULL,
  overdue_sent    BOOLEAN NOT NULL
);
CREATE INDEX requests_from ON requests(from_agency, created_at);
CREATE INDEX requests_to ON requests(to_agency, created_at);
CREATE INDEX requests_open ON requests(state, deadline);

-- The records an access request names (by rid: ids may not leak back).
CREATE TABLE request_records (
  request_id TEXT NOT NULL REFERENCES requests(id),
  rid        BIGINT NOT NULL REFERENCES records(rid),
  PRIMARY KEY (request_id, rid)
);

CREATE TABLE request_replies (
  id             TEXT PRIMARY KEY,
  request_id     TEXT NOT NULL REFERENCES requests(id),
  author         TEXT NOT NULL,
  agency         TEXT NOT NULL,
  body           TEXT NOT NULL,
  handling       TEXT NOT NULL,
  conditions     TEXT NOT NULL,
  classification TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX request_replies_request ON request_replies(request_id, created_at);

-- A grant: records made visible to an agency (or to its members of one
-- case) by an approved access request, until a date or revocation.
CREATE TABLE grants (
  id          TEXT PRIMARY KEY,
  request_id  TEXT NOT NULL REFERENCES requests(id),
  holder      TEXT NOT NULL REFERENCES agencies(code),
  grantee     TEXT NOT NULL REFERENCES agencies(code),
  case_id     TEXT REFERENCES cases(id),
  until       BIGINT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  revoked_at  BIGINT NOT NULL,
  revoked_by  TEXT NOT NULL,
  expiry_sent BOOLEAN NOT NULL
);
CREATE INDEX grants_grantee ON grants(grantee, created_at);
CREATE TABLE grant_records (
  grant_id TEXT NOT NULL REFERENCES grants(id),
  rid      BIGINT NOT NULL REFERENCES records(rid),
  PRIMARY KEY (grant_id, rid)
);
CREATE INDEX grant_records_rid ON grant_records(rid);

-- Planned operations and the conflicts between them.
CREATE TABLE operations (
  id          TEXT PRIMARY KEY,
  agency      TEXT NOT NULL REFERENCES agencies(code),
  type        TEXT NOT NULL,
  title       TEXT NOT NULL,
  lat         DOUBLE PRECISION NOT NULL,
  lon         DOUBLE PRECISION NOT NULL,
  radius_m    DOUBLE PRECISION NOT NULL,
  district    TEXT NOT NULL,
  starts_at   BIGINT NOT NULL,
  ends_at     BIGINT NOT NULL,
  contact     TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  cancelled   BOOLEAN NOT NULL
);
CREATE INDEX operations_window ON operations(ends_at, starts_at);

CREATE TABLE conflicts (
  id          TEXT PRIMARY KEY,
  op_a        TEXT NOT NULL REFERENCES operations(id),
  op_b        TEXT NOT NULL REFERENCES operations(id),
  agency_a    TEXT NOT NULL,
  agency_b    TEXT NOT NULL,
  distance_m  DOUBLE PRECISION NOT NULL,
  overlap_m   DOUBLE PRECISION NOT NULL,
  from_at     BIGINT NOT NULL,
  to_at       BIGINT NOT NULL,
  found_at    BIGINT NOT NULL,
  resolution  TEXT NOT NULL,
  resolved_by TEXT NOT NULL,
  resolved_at BIGINT NOT NULL,
  note        TEXT NOT NULL
);
CREATE INDEX conflicts_a ON conflicts(agency_a, found_at);
CREATE INDEX conflicts_b ON conflicts(agency_b, found_at);

-- The in-app inbox. A notification is addressed to one user, or to an
-- agency's users holding a role ('' for all of them).
CREATE TABLE notifications (
  id       TEXT PRIMARY KEY,
  at       BIGINT NOT NULL,
  agency   TEXT NOT NULL,
  username TEXT NOT NULL,
  role     TEXT NOT NULL,
  kind     TEXT NOT NULL,
  title    TEXT NOT NULL,
  object   TEXT NOT NULL
);
CREATE INDEX notifications_agency ON notifications(agency, at);
CREATE TABLE notification_reads (
  notification_id TEXT NOT NULL REFERENCES notifications(id),
  username        TEXT NOT NULL,
  read_at         BIGINT NOT NULL,
  PRIMARY KEY (notification_id, username)
);

-- Optional e-mail for an agency's notifications (the SMTP server is the
-- platform's; see serve --smtp).
CREATE TABLE agency_mail (
  agency  TEXT PRIMARY KEY REFERENCES agencies(code),
  address TEXT NOT NULL
);
ALTER TABLE deliveries ADD COLUMN channel TEXT NOT NULL DEFAULT 'webhook';

-- +goose Down
ALTER TABLE deliveries DROP COLUMN channel;
DROP TABLE agency_mail;
DROP TABLE notification_reads;
DROP TABLE notifications;
DROP TABLE conflicts;
DROP TABLE operations;
DROP TABLE grant_records;
DROP TABLE grants;
DROP TABLE request_replies;
DROP TABLE request_records;
DROP TABLE requests;
DROP TABLE attachments;
DROP TABLE blobs;
DROP TABLE case_notes;
DROP TABLE case_tasks;
DROP TABLE case_milestones;
DROP TABLE case_records;
DROP TABLE case_members;
DROP TABLE cases;
ALTER TABLE records DROP COLUMN shares;
