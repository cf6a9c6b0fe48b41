package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rabta/rabta"
)

type requestKey struct{}

// Request describes the request a store call serves, for the audit log: the
// purpose the client gave (a case reference or a justification) and its
// network address.
type Request struct {
	Purpose string
	Client  string
}

// WithRequest attaches request details to ctx; store methods copy them into
// the audit events they write.
func WithRequest(ctx context.Context, r Request) context.Context {
	return context.WithValue(ctx, requestKey{}, r)
}

func requestOf(ctx context.Context) Request {
	r, _ := ctx.Value(requestKey{}).(Request)
	return r
}

// event builds an audit event for principal p from the request in ctx.
func event(ctx context.Context, p rabta.Principal, action string, objects ...string) *rabta.AuditEvent {
	r := requestOf(ctx)
	return &rabta.AuditEvent{
		UserID: p.UserID, Username: p.Username, Agency: p.Agency, Action: action,
		Objects: objects, Purpose: r.Purpose, Client: r.Client, Outcome: "ok",
	}
}

// Audit appends one event to the log in a transaction of its own. If it
// fails the caller must fail the request: nothing is served unlogged.
func (s *Store) Audit(ctx context.Context, e *rabta.AuditEvent) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.appendAudit(ctx, tx, e) })
}

// appendAudit chains e onto the log inside tx. The head row is locked (FOR
// UPDATE on PostgreSQL; SQLite transactions are IMMEDIATE, so the whole
// database is), so appends from any number of instances form one chain.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, e *rabta.AuditEvent) error {
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var prev, keyCheck string
	var keyed bool
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash, keyed, key_check FROM audit_head WHERE id = 1"+lock).Scan(&seq, &prev, &keyed, &keyCheck); err != nil {
		return fmt.Errorf("audit: read head: %w", err)
	}
	// Every instance must write the chain the same way: one without the
	// key, or with another, would break it for good. Refuse loudly.
	if seq > 0 && (keyed != (s.auditKey != nil) || keyCheck != s.keyCheck()) {
		return fmt.Errorf("audit: this instance's audit key does not match the log's (keyed log: %v): set the same RABTA_AUDIT_KEY on every instance", keyed)
	}
	e.Seq = seq + 1
	e.At = s.now().UTC().Truncate(time.Microsecond)
	e.PrevHash = prev
	if e.Objects == nil {
		e.Objects = []string{}
	}
	if e.Outcome == "" {
		e.Outcome = "ok"
	}
	e.Hash = e.ChainHash(s.auditKey)
	objects, _ := json.Marshal(e.Objects)
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO audit_events
		(seq, at, user_id, username, agency, action, objects, query, purpose, client, count, outcome, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		e.Seq, micros(e.At), e.UserID, e.Username, e.Agency, e.Action, string(objects), e.Query, e.Purpose,
		e.Client, e.Count, e.Outcome, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("audit: append: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q("UPDATE audit_head SET seq = ?, hash = ?, keyed = ?, key_check = ? WHERE id = 1"), e.Seq, e.Hash, s.auditKey != nil, s.keyCheck()); err != nil {
		return fmt.Errorf("audit: move head: %w", err)
	}
	return nil
}

// AuditFilter selects events from the log. Zero fields match everything.
type AuditFilter struct {
	Username  string
	Agency    string
	Action    string
	Object    string
	Since     time.Time
	Until     time.Time
	BeforeSeq int64 // for paging backwards: only events with seq < BeforeSeq
	Limit     int
}

// AuditEvents returns events matching f, newest first. Only the auditor
// role may read the log; the read is itself logged.
func (s *Store) AuditEvents(ctx context.Context, p rabta.Principal, f AuditFilter) ([]rabta.AuditEvent, error) {
	if !p.Has(rabta.RoleAuditor) {
		return nil, rabta.Errorf(rabta.EForbidden, "only the auditor role reads the audit log")
	}
	var where []string
	var args []any
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if f.Username != "" {
		add("username = ?", strings.ToLower(f.Username))
	}
	if f.Agency != "" {
		add("agency = ?", strings.ToUpper(f.Agency))
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Object != "" {
		// objects is a JSON array of strings; ids contain no quotes.
		add("objects LIKE ?", "%\""+strings.ReplaceAll(f.Object, "\"", "")+"\"%")
	}
	if !f.Since.IsZero() {
		add("at >= ?", micros(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < ?", micros(f.Until))
	}
	if f.BeforeSeq > 0 {
		add("seq < ?", f.BeforeSeq)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	query := "SELECT seq, at, user_id, username, agency, action, objects, query, purpose, client, count, outcome, prev_hash, hash FROM audit_events"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", f.Limit)
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rabta.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ev := event(ctx, p, rabta.ActAuditRead)
	ev.Query = describeAuditFilter(f)
	ev.Count = len(out)
	return out, s.Audit(ctx, ev)
}

func describeAuditFilter(f AuditFilter) string {
	var parts []string
	for k, v := range map[string]string{"user": f.Username, "agency": f.Agency, "action": f.Action, "object": f.Object} {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	if !f.Since.IsZero() {
		parts = append(parts, "since="+f.Since.UTC().Format(time.RFC3339))
	}
	if !f.Until.IsZero() {
		parts = append(parts, "until="+f.Until.UTC().Format(time.RFC3339))
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

type scanner interface{ Scan(dest ...any) error }

func scanAudit(r scanner) (*rabta.AuditEvent, error) {
	var e rabta.AuditEvent
	var at int64
	var objects string
	if err := r.Scan(&e.Seq, &at, &e.UserID, &e.Username, &e.Agency, &e.Action, &objects, &e.Query, &e.Purpose,
		&e.Client, &e.Count, &e.Outcome, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	e.At = fromMicros(at)
	if err := json.Unmarshal([]byte(objects), &e.Objects); err != nil {
		// A row whose objects column is not JSON was altered outside the
		// application; keep the raw text so the hash check reports it.
		e.Objects = []string{objects}
	}
	return &e, nil
}

// VerifyError says where the audit chain breaks.
type VerifyError struct {
	Seq    int64
	Reason string
}

func (e *VerifyError) Error() string {
	return fmt.Sprintf("audit chain broken at event %d: %s", e.Seq, e.Reason)
}

// VerifyAudit walks the log in order and checks every link of the chain
// and the head. It returns the number of events when the chain is intact,
// or a *VerifyError naming the first bad event. With an audit key every
// event must carry its HMAC, whatever the head says. It may run while other
// instances append: it reads the head first and checks the chain up to it
// (events appended meanwhile are left for the next run).
func (s *Store) VerifyAudit(ctx context.Context) (int64, error) {
	var headSeq int64
	var headHash, keyCheck string
	var keyed bool
	if err := s.db.QueryRowContext(ctx, "SELECT seq, hash, keyed, key_check FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash, &keyed, &keyCheck); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, &VerifyError{Seq: 1, Reason: "the chain head is missing (row removed)"}
		}
		return 0, fmt.Errorf("reading the audit log (is this a Rabta database?): %w", err)
	}
	switch {
	case keyed && s.auditKey == nil:
		return 0, fmt.Errorf("the audit log is an HMAC chain: give its key (RABTA_AUDIT_KEY or --audit-key-file) to verify it")
	case keyed && keyCheck != s.keyCheck():
		return 0, fmt.Errorf("the audit key given is not the key this log was written with")
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT seq, at, user_id, username, agency, action, objects, query, purpose, client, count, outcome, prev_hash, hash FROM audit_events WHERE seq <= ? ORDER BY seq"), headSeq)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	prev := rabta.GenesisHash
	var n int64
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return n, &VerifyError{Seq: n + 1, Reason: "unreadable row: " + err.Error()}
		}
		n++
		switch {
		case e.Seq != n:
			return n, &VerifyError{Seq: n, Reason: fmt.Sprintf("expected event %d, found %d (events removed or renumbered)", n, e.Seq)}
		case e.PrevHash != prev:
			return n, &VerifyError{Seq: n, Reason: "does not follow the event before it (events removed, reordered or altered)"}
		case e.ChainHash(s.auditKey) != e.Hash:
			return n, &VerifyError{Seq: n, Reason: "content does not match its hash (event altered)"}
		}
		prev = e.Hash
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if headSeq != n || headHash != prev {
		return n, &VerifyError{Seq: n + 1, Reason: fmt.Sprintf("the head records %d events but %d remain (events cut off the end)", headSeq, n)}
	}
	return n, nil
}

// AuditCheck is the outcome of an auditor's check of the chain.
type AuditCheck struct {
	OK       bool   `json:"ok"`
	Events   int64  `json:"events"`
	FirstBad int64  `json:"first_bad,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// CheckAudit verifies the chain for an auditor and logs the check (with
// outcome "broken" when it fails). Only the auditor role may.
func (s *Store) CheckAudit(ctx context.Context, p rabta.Principal) (*AuditCheck, error) {
	if !p.Has(rabta.RoleAuditor) {
		return nil, rabta.Errorf(rabta.EForbidden, "only the auditor role verifies the audit log")
	}
	n, verr := s.VerifyAudit(ctx)
	e := event(ctx, p, rabta.ActAuditVerify)
	e.Count = int(n)
	var ve *VerifyError
	if errors.As(verr, &ve) {
		e.Outcome = "broken"
	}
	if err := s.Audit(ctx, e); err != nil {
		return nil, err
	}
	switch {
	case ve != nil:
		return &AuditCheck{Events: n, FirstBad: ve.Seq, Reason: ve.Reason}, nil
	case verr != nil:
		return nil, verr
	}
	return &AuditCheck{OK: true, Events: n}, nil
}

// keyCheck is what the head stores to recognise the audit key: an HMAC of
// a fixed text, which does not reveal the key.
func (s *Store) keyCheck() string {
	if s.auditKey == nil {
		return ""
	}
	m := hmac.New(sha256.New, s.auditKey)
	m.Write([]byte("rabta audit key check"))
	return hex.EncodeToString(m.Sum(nil))
}
