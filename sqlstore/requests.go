package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rabta/rabta"
)

// Requests between agencies and the grants that approved access requests
// create. A request is seen by the users of its two agencies who work
// with records; the receiving agency's supervisors decide it.

func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		panic(err) // only if the system's random source fails
	}
	return id.String()
}

// worksRecords reports whether p deals with intelligence records at all
// (and so may see its agency's requests).
func worksRecords(p rabta.Principal) bool { return p.CanWriteRecords() }

// CreateRequest files r from p's agency. Records must be ones p knows of
// (pointer or better) held by the receiving agency; hits must be p's
// agency's own sent hits on that agency, and stand for the records they met
// (which p does not learn). The receiving agency's supervisors are told.
func (s *Store) CreateRequest(ctx context.Context, p rabta.Principal, r *rabta.Request) error {
	if !worksRecords(p) {
		return rabta.Errorf(rabta.EForbidden, "your roles do not allow requests to other agencies")
	}
	now := s.now()
	r.From = p.Agency
	if err := r.Validate(now); err != nil {
		return err
	}
	if _, err := s.Agency(ctx, r.To); err != nil {
		return rabta.Errorf(rabta.EInvalid, "to: no agency %q", r.To)
	}
	if r.Case != "" && !slices.Contains(p.Cases, r.Case) {
		return rabta.Errorf(rabta.EInvalid, "case: no case %q of yours", r.Case)
	}
	rids, err := s.requestRecords(ctx, p, r)
	if err != nil {
		return err
	}
	subjects, err := json.Marshal(r.Subjects)
	if err != nil {
		return err
	}
	r.ID, r.CreatedBy, r.CreatedAt, r.State = newID(), p.Username, now, rabta.StateSubmitted
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO requests (id, type, from_agency, to_agency, case_id, created_by, subjects, justification, urgency,
			deadline, state, reason, created_at, acknowledged_at, closed_at, closed_by, overdue_sent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, 0, 0, '', ?)`),
			r.ID, string(r.Type), r.From, r.To, nullable(r.Case), r.CreatedBy, string(subjects), r.Justification, string(r.Urgency),
			micros(r.Deadline), string(r.State), micros(now), false); err != nil {
			return err
		}
		for _, rid := range rids {
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO request_records (request_id, rid) VALUES (?, ?)"), r.ID, rid); err != nil {
				return err
			}
		}
		title := fmt.Sprintf("%s request from %s (%s): due %s", strings.ToUpper(string(r.Type)), r.From, r.Urgency, r.Deadline.UTC().Format("2006-01-02 15:04 MST"))
		if err := s.notify(ctx, tx, toAgency(r.To, rabta.RoleSupervisor, NoteRequestReceived, title, "request:"+r.ID)); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActRequestCreate, append([]string{"request:" + r.ID}, r.Subjects.Records...)...)
		e.Query = string(r.Type) + " to " + r.To
		e.Count = len(rids)
		return s.appendAudit(ctx, tx, e)
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// requestRecords resolves the records an access request asks for, and
// checks every named record and hit.
func (s *Store) requestRecords(ctx context.Context, p rabta.Principal, r *rabta.Request) ([]int64, error) {
	var rids []int64
	for i, id := range r.Subjects.Records {
		ms, err := s.metas(ctx, "WHERE id = ?", id)
		if err != nil {
			return nil, err
		}
		a := rabta.AccessNone
		if len(ms) == 1 {
			if a, err = s.decide(ctx, p, ms[0]); err != nil {
				return nil, err
			}
		}
		switch {
		case a == rabta.AccessNone:
			return nil, rabta.Errorf(rabta.EInvalid, "records[%d]: no record %q", i, id)
		case ms[0].agency != r.To:
			return nil, rabta.Errorf(rabta.EInvalid, "records[%d]: record %q is held by %s, not %s", i, id, ms[0].agency, r.To)
		case a == rabta.AccessFull && r.Type == rabta.RequestAccess:
			return nil, rabta.Errorf(rabta.EInvalid, "records[%d]: you already see record %q in full", i, id)
		}
		rids = append(rids, ms[0].rid)
	}
	for i, h := range r.Subjects.Hits {
		var holder, list string
		err := s.db.QueryRowContext(ctx, s.q("SELECT holder_agency, rids FROM hits WHERE id = ? AND searcher_agency = ? AND NOT silent"), h, p.Agency).Scan(&holder, &list)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, rabta.Errorf(rabta.EInvalid, "hits[%d]: no hit %d of your agency", i, h)
		}
		if err != nil {
			return nil, err
		}
		if holder != r.To {
			return nil, rabta.Errorf(rabta.EInvalid, "hits[%d]: hit %d is on records of %s, not %s", i, h, holder, r.To)
		}
		var met []any
		for _, x := range splitList(list) {
			if n, err := strconv.ParseInt(x, 10, 64); err == nil {
				met = append(met, n)
			}
		}
		// Only the records the requester may know of: a hit that also met
		// an informant's record must not carry it into the request (or
		// into its count).
		ms, err := s.metas(ctx, "WHERE rid IN ("+placeholders(len(met))+")", met...)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if a, err := s.decide(ctx, p, m); err != nil {
				return nil, err
			} else if a != rabta.AccessNone {
				rids = append(rids, m.rid)
			}
		}
	}
	slices.Sort(rids)
	return slices.Compact(rids), nil
}

const requestCols = "id, type, from_agency, to_agency, coalesce(case_id, ''), created_by, subjects, justification, urgency, deadline, state, reason, created_at, acknowledged_at, closed_at, closed_by"

func (s *Store) scanRequest(sc scanner) (*rabta.Request, error) {
	var r rabta.Request
	var subjects string
	var deadline, created, acked, closed int64
	if err := sc.Scan(&r.ID, &r.Type, &r.From, &r.To, &r.Case, &r.CreatedBy, &subjects, &r.Justification, &r.Urgency,
		&deadline, &r.State, &r.Reason, &created, &acked, &closed, &r.ClosedBy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(subjects), &r.Subjects); err != nil {
		return nil, fmt.Errorf("request %s: subjects: %w", r.ID, err)
	}
	r.Deadline, r.CreatedAt = fromMicros(deadline), fromMicros(created)
	r.AcknowledgedAt, r.ClosedAt = optMicros(acked), optMicros(closed)
	r.Overdue = r.State.Open() && s.now().After(r.Deadline)
	return &r, nil
}

// optMicros is fromMicros for optional times, stored as 0 when unset.
func optMicros(us int64) *time.Time {
	if us == 0 {
		return nil
	}
	t := fromMicros(us)
	return &t
}

// loadRequest reads a request p may see; any other answers not found.
func (s *Store) loadRequest(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, p rabta.Principal, id string) (*rabta.Request, error) {
	r, err := s.scanRequest(q.QueryRowContext(ctx, s.q("SELECT "+requestCols+" FROM requests WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !(worksRecords(p) && (r.From == p.Agency || r.To == p.Agency)) {
		return nil, rabta.Errorf(rabta.ENotFound, "no request %q", id)
	}
	return r, err
}

// Request returns a request with its replies (those p is not cleared for
// withheld) and its grant, and logs the read.
func (s *Store) Request(ctx context.Context, p rabta.Principal, id string) (*rabta.Request, error) {
	r, err := s.loadRequest(ctx, s.db, p, id)
	if rabta.ErrorCode(err) == rabta.ENotFound {
		// A probe for a request one may not see is logged like a read of
		// a record that is not there.
		e := event(ctx, p, rabta.ActRequestRead, "request:"+id)
		e.Outcome = "not_found"
		if aerr := s.Audit(ctx, e); aerr != nil {
			return nil, aerr
		}
	}
	if err != nil {
		return nil, err
	}
	if r.Replies, err = s.replies(ctx, p, r.ID); err != nil {
		return nil, err
	}
	// The records an access request stands for (its hits resolved), as far
	// as the reader may know of them: the holder's supervisor decides on
	// these.
	ms, err := s.metas(ctx, "WHERE rid IN (SELECT rid FROM request_records WHERE request_id = ?) ORDER BY rid", r.ID)
	if err != nil {
		return nil, err
	}
	r.Asked = []string{}
	if r.To != p.Agency {
		// The requester named its records; what its hits met stays the
		// holder's to tell.
		ms = nil
	}
	for _, m := range ms {
		if a, err := s.decide(ctx, p, m); err != nil {
			return nil, err
		} else if a != rabta.AccessNone {
			r.Asked = append(r.Asked, m.id)
		}
	}
	gs, err := s.grants(ctx, p, "g.request_id = ?", r.ID)
	if err != nil {
		return nil, err
	}
	if len(gs) > 0 {
		r.Grant = &gs[0]
	}
	return r, s.Audit(ctx, event(ctx, p, rabta.ActRequestRead, "request:"+r.ID))
}

// RequestFilter selects requests: Box "in" (received), "out" (sent) or ""
// (both); State a state, "open", "overdue" or "".
type RequestFilter struct {
	Box   string
	State string
	Limit int
}

// Requests lists p's agency's requests, newest first.
func (s *Store) Requests(ctx context.Context, p rabta.Principal, f RequestFilter) ([]rabta.Request, error) {
	if !worksRecords(p) {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not deal with requests")
	}
	where, args := "(from_agency = ? OR to_agency = ?)", []any{p.Agency, p.Agency}
	switch f.Box {
	case "in":
		where, args = "to_agency = ?", []any{p.Agency}
	case "out":
		where, args = "from_agency = ?", []any{p.Agency}
	case "":
	default:
		return nil, rabta.Errorf(rabta.EInvalid, "box: %q is not in or out", f.Box)
	}
	switch f.State {
	case "":
	case "open":
		where += " AND state IN ('submitted', 'acknowledged')"
	case "overdue":
		where += " AND state IN ('submitted', 'acknowledged') AND deadline < ?"
		args = append(args, micros(s.now()))
	case "submitted", "acknowledged", "answered", "refused", "withdrawn":
		where += " AND state = ?"
		args = append(args, f.State)
	default:
		return nil, rabta.Errorf(rabta.EInvalid, "state: %q is not a request state", f.State)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 200
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+requestCols+" FROM requests WHERE "+where+" ORDER BY created_at DESC, id DESC LIMIT ?"), append(args, f.Limit)...)
	if err != nil {
		return nil, err
	}
	var out []rabta.Request
	for rows.Next() {
		r, err := s.scanRequest(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	e := event(ctx, p, rabta.ActRequestList)
	e.Query, e.Count = "box="+f.Box+" state="+f.State, len(out)
	return out, s.Audit(ctx, e)
}

func (s *Store) replies(ctx context.Context, p rabta.Principal, requestID string) ([]rabta.Reply, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT id, author, agency, body, handling, conditions, classification, created_at FROM request_replies WHERE request_id = ? ORDER BY created_at, id"), requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rabta.Reply
	for rows.Next() {
		var rp rabta.Reply
		var at int64
		if err := rows.Scan(&rp.ID, &rp.Author, &rp.Agency, &rp.Body, &rp.Handling, &rp.Conditions, &rp.Classification, &at); err != nil {
			return nil, err
		}
		rp.CreatedAt = fromMicros(at)
		if !p.Clearance.Covers(rp.Classification) {
			rp.Body, rp.Conditions, rp.Withheld = "", "", true
		}
		out = append(out, rp)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		if out[i].Attachments, err = s.attachments(ctx, p, "reply_id = ?", out[i].ID); err != nil {
			return nil, err
		}
		if out[i].Withheld {
			// A reply the reader is not cleared for shows that it exists
			// and nothing more: its files neither.
			for j := range out[i].Attachments {
				a := &out[i].Attachments[j]
				a.Name, a.SHA256, a.MediaType, a.Withheld = "", "", "", true
			}
		}
	}
	return out, nil
}

// updateRequest runs fn on a request p may see, inside a transaction, and
// logs what was done.
func (s *Store) updateRequest(ctx context.Context, p rabta.Principal, id, what string, fn func(tx *sql.Tx, r *rabta.Request) error) (*rabta.Request, error) {
	var out *rabta.Request
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.loadRequest(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := fn(tx, r); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActRequestUpdate, "request:"+r.ID)
		e.Query = what
		out = r
		return s.appendAudit(ctx, tx, e)
	})
	return out, s.auditDenied(ctx, p, rabta.ActRequestUpdate, what, err, "request:"+id)
}

// auditDenied logs a refused attempt (err forbidden) in a transaction of
// its own, since the attempt's own rolled back: the auditor sees who
// tried to decide, answer or revoke what they may not. Returns err.
func (s *Store) auditDenied(ctx context.Context, p rabta.Principal, action, what string, err error, objects ...string) error {
	if rabta.ErrorCode(err) != rabta.EForbidden {
		return err
	}
	e := event(ctx, p, action, objects...)
	e.Query, e.Outcome = what, "denied"
	if aerr := s.Audit(ctx, e); aerr != nil {
		return aerr
	}
	return err
}

func (s *Store) setState(ctx context.Context, tx *sql.Tx, r *rabta.Request, by string, to rabta.RequestState, reason string) error {
	now := micros(s.now())
	var res sql.Result
	var err error
	if to == rabta.StateAcknowledged {
		res, err = tx.ExecContext(ctx, s.q("UPDATE requests SET state = ?, acknowledged_at = ? WHERE id = ? AND state = ?"), string(to), now, r.ID, string(r.State))
	} else {
		res, err = tx.ExecContext(ctx, s.q("UPDATE requests SET state = ?, reason = ?, closed_at = ?, closed_by = ? WHERE id = ? AND state = ?"), string(to), reason, now, by, r.ID, string(r.State))
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return rabta.Errorf(rabta.EConflict, "request %s changed meanwhile: reload it", r.ID)
	}
	r.State, r.Reason = to, reason
	return nil
}

func mustBeOpen(r *rabta.Request) error {
	if !r.State.Open() {
		return rabta.Errorf(rabta.EConflict, "request %s is %s already", r.ID, r.State)
	}
	return nil
}

func mustDecide(p rabta.Principal, r *rabta.Request) error {
	if r.To != p.Agency || !p.DecidesRequests() {
		return rabta.Errorf(rabta.EForbidden, "only a supervisor of %s decides this request", r.To)
	}
	return nil
}

// AcknowledgeRequest: the receiving agency has seen the request and works on it.
func (s *Store) AcknowledgeRequest(ctx context.Context, p rabta.Principal, id string) (*rabta.Request, error) {
	return s.updateRequest(ctx, p, id, "acknowledge", func(tx *sql.Tx, r *rabta.Request) error {
		if r.To != p.Agency {
			return rabta.Errorf(rabta.EForbidden, "only %s acknowledges this request", r.To)
		}
		if r.State != rabta.StateSubmitted {
			return rabta.Errorf(rabta.EConflict, "request %s is %s, not submitted", r.ID, r.State)
		}
		return s.setState(ctx, tx, r, p.Username, rabta.StateAcknowledged, "")
	})
}

// ReplyRequest adds a reply. final (a supervisor of the receiving agency,
// on an rfi or assistance request) answers the request; otherwise the
// reply is a note from either side and the state stays.
func (s *Store) ReplyRequest(ctx context.Context, p rabta.Principal, id string, rp rabta.Reply, final bool) (*rabta.Request, error) {
	rp.Body = strings.TrimSpace(rp.Body)
	if rp.Body == "" || len(rp.Body) > 20000 {
		return nil, rabta.Errorf(rabta.EInvalid, "body: write the reply (at most 20,000 characters)")
	}
	if rp.Classification == "" {
		rp.Classification = rabta.Restricted
	}
	if !rp.Classification.Valid() {
		return nil, rabta.Errorf(rabta.EInvalid, "marking.classification: unknown level %q", rp.Classification)
	}
	if !p.Clearance.Covers(rp.Classification) {
		return nil, rabta.Errorf(rabta.EInvalid, "marking.classification: %s is above your clearance", rp.Classification)
	}
	switch rp.Handling {
	case "":
		rp.Handling = "P"
	case "P", "C":
	default:
		return nil, rabta.Errorf(rabta.EInvalid, "marking.handling: %q is not P or C", rp.Handling)
	}
	if rp.Handling == "C" && strings.TrimSpace(rp.Conditions) == "" {
		return nil, rabta.Errorf(rabta.EInvalid, "marking.conditions: handling C needs its conditions")
	}
	what := "reply"
	if final {
		what = "answer"
	}
	return s.updateRequest(ctx, p, id, what, func(tx *sql.Tx, r *rabta.Request) error {
		if final {
			if err := mustDecide(p, r); err != nil {
				return err
			}
			if r.Type == rabta.RequestAccess {
				return rabta.Errorf(rabta.EInvalid, "an access request is answered by approving or refusing it")
			}
			if err := mustBeOpen(r); err != nil {
				return err
			}
		}
		rp.ID, rp.Author, rp.Agency, rp.CreatedAt = newID(), p.Username, p.Agency, s.now()
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO request_replies (id, request_id, author, agency, body, handling, conditions, classification, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
			rp.ID, r.ID, rp.Author, rp.Agency, rp.Body, rp.Handling, rp.Conditions, string(rp.Classification), micros(rp.CreatedAt)); err != nil {
			return err
		}
		other := r.To
		if p.Agency == r.To {
			other = r.From
		}
		if final {
			if err := s.setState(ctx, tx, r, p.Username, rabta.StateAnswered, ""); err != nil {
				return err
			}
			return s.notify(ctx, tx, toUser(r.From, r.CreatedBy, NoteRequestAnswered, fmt.Sprintf("%s answered your %s request", r.To, r.Type), "request:"+r.ID))
		}
		return s.notify(ctx, tx, toAgency(other, "", NoteRequestReceived, fmt.Sprintf("%s replied on a %s request", p.Agency, r.Type), "request:"+r.ID))
	})
}

// RefuseRequest closes a request with a reason the requester is told.
func (s *Store) RefuseRequest(ctx context.Context, p rabta.Principal, id, reason string) (*rabta.Request, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 4000 {
		return nil, rabta.Errorf(rabta.EInvalid, "reason: say why the request is refused (at most 4,000 characters)")
	}
	return s.updateRequest(ctx, p, id, "refuse", func(tx *sql.Tx, r *rabta.Request) error {
		if err := mustDecide(p, r); err != nil {
			return err
		}
		if err := mustBeOpen(r); err != nil {
			return err
		}
		if err := s.setState(ctx, tx, r, p.Username, rabta.StateRefused, reason); err != nil {
			return err
		}
		return s.notify(ctx, tx, toUser(r.From, r.CreatedBy, NoteRequestAnswered, fmt.Sprintf("%s refused your %s request", r.To, r.Type), "request:"+r.ID))
	})
}

// WithdrawRequest: the requesting agency no longer needs an answer.
func (s *Store) WithdrawRequest(ctx context.Context, p rabta.Principal, id string) (*rabta.Request, error) {
	return s.updateRequest(ctx, p, id, "withdraw", func(tx *sql.Tx, r *rabta.Request) error {
		if r.From != p.Agency || !(r.CreatedBy == p.Username || p.Has(rabta.RoleSupervisor)) {
			return rabta.Errorf(rabta.EForbidden, "only its author or a supervisor of %s withdraws this request", r.From)
		}
		if err := mustBeOpen(r); err != nil {
			return err
		}
		if err := s.setState(ctx, tx, r, p.Username, rabta.StateWithdrawn, ""); err != nil {
			return err
		}
		return s.notify(ctx, tx, toAgency(r.To, rabta.RoleSupervisor, NoteRequestAnswered, fmt.Sprintf("%s withdrew its %s request", r.From, r.Type), "request:"+r.ID))
	})
}

// Approval is how an access request is granted. Records, if set, grant
// only some of the records asked for (ids); Until, if set, ends the grant.
type Approval struct {
	Records []string
	Until   time.Time
}

// ApproveRequest grants an access request: the records it names (or the
// subset in a) become visible to the requesting agency (or only to its
// members of the request's case) as their markings otherwise allow. The
// approver must see every granted record in full: nobody discloses what
// they cannot see.
func (s *Store) ApproveRequest(ctx context.Context, p rabta.Principal, id string, a Approval) (*rabta.Grant, error) {
	now := s.now()
	if !a.Until.IsZero() && !a.Until.After(now) {
		return nil, rabta.Errorf(rabta.EInvalid, "until: %s is in the past", a.Until.Format(time.RFC3339))
	}
	var g *rabta.Grant
	_, err := s.updateRequest(ctx, p, id, "approve", func(tx *sql.Tx, r *rabta.Request) error {
		if err := mustDecide(p, r); err != nil {
			return err
		}
		if r.Type != rabta.RequestAccess {
			return rabta.Errorf(rabta.EInvalid, "only access requests are approved; answer an %s request with a reply", r.Type)
		}
		if err := mustBeOpen(r); err != nil {
			return err
		}
		ms, err := s.metasIn(ctx, tx, "WHERE rid IN (SELECT rid FROM request_records WHERE request_id = ?) ORDER BY rid", r.ID)
		if err != nil {
			return err
		}
		if len(a.Records) > 0 {
			var keep []*meta
			for i, rec := range a.Records {
				j := slices.IndexFunc(ms, func(m *meta) bool { return m.id == rec })
				if j < 0 {
					return rabta.Errorf(rabta.EInvalid, "records[%d]: %q is not one of the records this request asks for", i, rec)
				}
				keep = append(keep, ms[j])
			}
			ms = keep
		}
		if len(ms) == 0 {
			return rabta.Errorf(rabta.EInvalid, "records: nothing to grant")
		}
		var rids []int64
		var ids []string
		for _, m := range ms {
			a, err := s.decide(ctx, p, m) // links narrowed by their ends
			if err != nil {
				return err
			}
			if m.agency != p.Agency || a != rabta.AccessFull {
				return rabta.Errorf(rabta.EForbidden, "record %s: you do not see it in full, so you cannot disclose it", m.id)
			}
			rids, ids = append(rids, m.rid), append(ids, m.id)
		}
		g = &rabta.Grant{ID: newID(), Request: r.ID, Holder: r.To, Grantee: r.From, Case: r.Case, Records: ids, CreatedBy: p.Username, CreatedAt: now, Active: true}
		var until int64
		if !a.Until.IsZero() {
			until = micros(a.Until)
			g.Until = &a.Until
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO grants (id, request_id, holder, grantee, case_id, until, created_by, created_at, revoked_at, revoked_by, expiry_sent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?)`), g.ID, r.ID, g.Holder, g.Grantee, nullable(g.Case), until, g.CreatedBy, micros(now), false); err != nil {
			return err
		}
		for _, rid := range rids {
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO grant_records (grant_id, rid) VALUES (?, ?)"), g.ID, rid); err != nil {
				return err
			}
		}
		if err := s.refreshShares(ctx, tx, rids); err != nil {
			return err
		}
		if err := s.setState(ctx, tx, r, p.Username, rabta.StateAnswered, ""); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, toUser(r.From, r.CreatedBy, NoteRequestAnswered, fmt.Sprintf("%s granted access to %d record(s)", r.To, len(ids)), "request:"+r.ID)); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActGrantCreate, append([]string{"grant:" + g.ID, "request:" + r.ID}, ids...)...)
		e.Query, e.Count = "to "+g.Grantee, len(ids)
		return s.appendAudit(ctx, tx, e)
	})
	return g, err
}

// RevokeGrant ends a grant at once: the records fall back to what their
// markings allow in the same transaction.
func (s *Store) RevokeGrant(ctx context.Context, p rabta.Principal, id string) (*rabta.Grant, error) {
	var g *rabta.Grant
	err := s.tx(ctx, func(tx *sql.Tx) error {
		gs, err := s.grantsIn(ctx, tx, p, "g.id = ?", id)
		if err != nil {
			return err
		}
		if len(gs) == 0 {
			return rabta.Errorf(rabta.ENotFound, "no grant %q", id)
		}
		g = &gs[0]
		if g.Holder != p.Agency || !p.DecidesRequests() {
			return rabta.Errorf(rabta.EForbidden, "only a supervisor of %s revokes this grant", g.Holder)
		}
		if g.RevokedAt != nil {
			return rabta.Errorf(rabta.EConflict, "grant %s was revoked already", g.ID)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, s.q("UPDATE grants SET revoked_at = ?, revoked_by = ? WHERE id = ?"), micros(now), p.Username, g.ID); err != nil {
			return err
		}
		g.RevokedAt, g.RevokedBy, g.Active = &now, p.Username, false
		var rids []int64
		rows, err := tx.QueryContext(ctx, s.q("SELECT rid FROM grant_records WHERE grant_id = ?"), g.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				rows.Close()
				return err
			}
			rids = append(rids, rid)
		}
		rows.Close()
		if err := s.refreshShares(ctx, tx, rids); err != nil {
			return err
		}
		if err := s.notify(ctx, tx, toAgency(g.Grantee, "", NoteGrantRevoked, fmt.Sprintf("%s revoked a grant of %d record(s)", g.Holder, len(rids)), "request:"+g.Request)); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActGrantRevoke, append([]string{"grant:" + g.ID, "request:" + g.Request}, g.Records...)...)
		e.Count = len(rids)
		return s.appendAudit(ctx, tx, e)
	})
	return g, s.auditDenied(ctx, p, rabta.ActGrantRevoke, "revoke", err, "grant:"+id)
}

// Grants lists the grants p's agency gave or received, newest first.
func (s *Store) Grants(ctx context.Context, p rabta.Principal) ([]rabta.Grant, error) {
	if !worksRecords(p) {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not deal with grants")
	}
	gs, err := s.grants(ctx, p, "(g.holder = ? OR g.grantee = ?)", p.Agency, p.Agency)
	if err != nil {
		return nil, err
	}
	e := event(ctx, p, rabta.ActGrantList)
	e.Count = len(gs)
	return gs, s.Audit(ctx, e)
}

func (s *Store) grants(ctx context.Context, p rabta.Principal, where string, args ...any) ([]rabta.Grant, error) {
	return s.grantsIn(ctx, s.db, p, where, args...)
}

// grantsIn loads the grants matching where that p's agency is party to.
// The grantee sees the ids of the granted records it may see now.
func (s *Store) grantsIn(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, p rabta.Principal, where string, args ...any) ([]rabta.Grant, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT g.id, g.request_id, g.holder, g.grantee, coalesce(g.case_id, ''), g.until, g.created_by, g.created_at, g.revoked_at, g.revoked_by
		FROM grants g WHERE `+where+` AND (g.holder = ? OR g.grantee = ?) ORDER BY g.created_at DESC, g.id DESC LIMIT 500`), append(args, p.Agency, p.Agency)...)
	if err != nil {
		return nil, err
	}
	var out []rabta.Grant
	now := s.now()
	for rows.Next() {
		var g rabta.Grant
		var until, created, revoked int64
		if err := rows.Scan(&g.ID, &g.Request, &g.Holder, &g.Grantee, &g.Case, &until, &g.CreatedBy, &created, &revoked, &g.RevokedBy); err != nil {
			rows.Close()
			return nil, err
		}
		g.CreatedAt = fromMicros(created)
		g.Until, g.RevokedAt = optMicros(until), optMicros(revoked)
		g.Active = revoked == 0 && (until == 0 || now.Before(fromMicros(until)))
		out = append(out, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		ms, err := s.metasIn(ctx, q, "WHERE rid IN (SELECT rid FROM grant_records WHERE grant_id = ?) ORDER BY rid", out[i].ID)
		if err != nil {
			return nil, err
		}
		out[i].Records = []string{}
		for _, m := range ms {
			a, err := s.decide(ctx, p, m) // links narrowed by their ends
			if err != nil {
				return nil, err
			}
			if a != rabta.AccessNone {
				out[i].Records = append(out[i].Records, m.id)
			}
		}
	}
	return out, nil
}

// refreshShares rewrites records.shares for rids from the live grants and
// the widening case attachments, inside the transaction that changed them.
func (s *Store) refreshShares(ctx context.Context, tx *sql.Tx, rids []int64) error {
	for start := 0; start < len(rids); start += 500 {
		chunk := rids[start:min(len(rids), start+500)]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		in := placeholders(len(chunk))
		if s.dialect == Postgres {
			// Lock the rows first, in rid order (NO KEY: inserting grant or
			// case rows holds key-share locks on them already): two
			// transactions changing one record's grants or attachments take turns, and the
			// second reads what the first committed (READ COMMITTED) instead
			// of overwriting it with a stale list. SQLite writers take
			// turns anyway.
			if _, err := tx.ExecContext(ctx, s.q("SELECT rid FROM records WHERE rid IN ("+in+") ORDER BY rid FOR NO KEY UPDATE"), args...); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, s.q(`SELECT gr.rid, g.grantee, coalesce(g.case_id, ''), g.until FROM grant_records gr JOIN grants g ON g.id = gr.grant_id
			LEFT JOIN cases c ON c.id = g.case_id
			WHERE g.revoked_at = 0 AND (g.case_id IS NULL OR c.status = 'open') AND gr.rid IN (`+in+`)
			UNION ALL SELECT rid, '', case_id, 0 FROM case_records WHERE widens AND rid IN (`+in+`)`), append(args, args...)...)
		if err != nil {
			return err
		}
		shares := map[int64][]string{}
		for rows.Next() {
			var rid, until int64
			var sh rabta.Share
			if err := rows.Scan(&rid, &sh.Agency, &sh.Case, &until); err != nil {
				rows.Close()
				return err
			}
			if until != 0 {
				sh.Until = fromMicros(until)
			}
			shares[rid] = append(shares[rid], encodeShare(sh))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, rid := range chunk {
			list := shares[rid]
			slices.Sort(list)
			if _, err := tx.ExecContext(ctx, s.q("UPDATE records SET shares = ? WHERE rid = ?"), joinList(slices.Compact(list)), rid); err != nil {
				return err
			}
		}
	}
	return nil
}

// SweepDue raises the notifications that time causes: requests past their
// deadline (both sides, once) and grants lapsing within three days (both
// sides, once). Any instance may run it; the flags make it happen once.
func (s *Store) SweepDue(ctx context.Context) error {
	now := s.now()
	return s.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, s.q("SELECT id, type, from_agency, to_agency, created_by FROM requests WHERE state IN ('submitted', 'acknowledged') AND deadline < ? AND NOT overdue_sent"), micros(now))
		if err != nil {
			return err
		}
		type due struct{ id, typ, from, to, by string }
		var ds []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.typ, &d.from, &d.to, &d.by); err != nil {
				rows.Close()
				return err
			}
			ds = append(ds, d)
		}
		rows.Close()
		for _, d := range ds {
			// Only the sweep that flips the flag tells anyone: another
			// instance sweeping at the same time finds it set.
			if once, err := s.flipOnce(ctx, tx, "UPDATE requests SET overdue_sent = ? WHERE id = ? AND NOT overdue_sent", d.id); err != nil || !once {
				if err != nil {
					return err
				}
				continue
			}
			if err := s.notify(ctx, tx, toUser(d.from, d.by, NoteRequestOverdue, fmt.Sprintf("Your %s request to %s is overdue", d.typ, d.to), "request:"+d.id)); err != nil {
				return err
			}
			if err := s.notify(ctx, tx, toAgency(d.to, rabta.RoleSupervisor, NoteRequestOverdue, fmt.Sprintf("A %s request from %s is overdue", d.typ, d.from), "request:"+d.id)); err != nil {
				return err
			}
		}
		rows, err = tx.QueryContext(ctx, s.q("SELECT id, request_id, holder, grantee FROM grants WHERE revoked_at = 0 AND until > 0 AND until < ? AND NOT expiry_sent"), micros(now.Add(72*time.Hour)))
		if err != nil {
			return err
		}
		var gs []due
		for rows.Next() {
			var d due
			if err := rows.Scan(&d.id, &d.typ, &d.to, &d.from); err != nil {
				rows.Close()
				return err
			}
			gs = append(gs, d)
		}
		rows.Close()
		for _, d := range gs {
			if once, err := s.flipOnce(ctx, tx, "UPDATE grants SET expiry_sent = ? WHERE id = ? AND NOT expiry_sent", d.id); err != nil || !once {
				if err != nil {
					return err
				}
				continue
			}
			for _, agency := range []string{d.from, d.to} {
				if err := s.notify(ctx, tx, toAgency(agency, "", NoteGrantExpiring, fmt.Sprintf("A grant from %s to %s lapses within three days", d.to, d.from), "request:"+d.typ)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// UserCases returns the ids of the cases a user is a member of.
func (s *Store) UserCases(ctx context.Context, userID int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT case_id FROM case_members WHERE user_id = ? ORDER BY case_id"), userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// flipOnce sets a notice flag and reports whether this call set it.
func (s *Store) flipOnce(ctx context.Context, tx *sql.Tx, update, id string) (bool, error) {
	res, err := tx.ExecContext(ctx, s.q(update), true, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
