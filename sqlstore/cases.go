package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/offence"
	"github.com/rabta/rabta/schema"
)

// Cases and joint investigation teams. A case is seen by its members and
// by the supervisors of its lead agency; to everyone else it does not
// exist. Records attached by their holding agency widen to the members
// (rabta.Share); every read through a case names the case in the audit log.

// SetOffences replaces the offence catalogue cases are checked against
// (the built-in one merged with an agency's extension, say).
func (s *Store) SetOffences(c *offence.Catalogue) { s.offences = c }

var builtinOffences = sync.OnceValue(offence.Builtin)

// Offences returns the catalogue cases are checked against.
func (s *Store) Offences() *offence.Catalogue { return s.offenceCatalogue() }

func (s *Store) offenceCatalogue() *offence.Catalogue {
	if s.offences != nil {
		return s.offences
	}
	return builtinOffences()
}

// caseAccess is what p may do in a case.
type caseAccess struct {
	role     rabta.CaseRole // "" if not a member
	lead     string         // the case's lead agency
	status   rabta.CaseStatus
	manager  bool // a lead member, or a supervisor of the lead agency
	readable bool
}

func (s *Store) caseAccessOf(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, p rabta.Principal, id string) (caseAccess, error) {
	var a caseAccess
	var role sql.NullString
	err := q.QueryRowContext(ctx, s.q(`SELECT c.lead_agency, c.status, (SELECT m.role FROM case_members m WHERE m.case_id = c.id AND m.user_id = ?)
		FROM cases c WHERE c.id = ?`), p.UserID, id).Scan(&a.lead, &a.status, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return a, rabta.Errorf(rabta.ENotFound, "no case %q", id)
	}
	if err != nil {
		return a, err
	}
	a.role = rabta.CaseRole(role.String)
	leadSupervisor := p.Agency == a.lead && p.Has(rabta.RoleSupervisor)
	a.manager = a.role == rabta.CaseLead || leadSupervisor
	a.readable = a.role != "" || leadSupervisor
	if !a.readable {
		return a, rabta.Errorf(rabta.ENotFound, "no case %q", id)
	}
	return a, nil
}

// works reports whether the member may add to the case (not an observer).
func (a caseAccess) works() bool { return a.manager || a.role == rabta.CaseWorker }

// CreateCase opens a case led by p's agency, with p as its lead.
func (s *Store) CreateCase(ctx context.Context, p rabta.Principal, c *rabta.Case) error {
	if !p.ReadsIntelligence() {
		return rabta.Errorf(rabta.EForbidden, "your roles do not open cases")
	}
	c.Title = strings.TrimSpace(c.Title)
	if c.Title == "" || len(c.Title) > 300 {
		return rabta.Errorf(rabta.EInvalid, "title: required, at most 300 characters")
	}
	if err := s.checkOffences(c.Offences); err != nil {
		return err
	}
	now := s.now()
	c.ID, c.Lead, c.Status, c.CreatedBy, c.CreatedAt, c.UpdatedAt = newID(), p.Agency, rabta.CaseOpen, p.Username, now, now
	c.Number = strings.TrimSpace(c.Number)
	if len(c.Number) > 64 {
		return rabta.Errorf(rabta.EInvalid, "number: at most 64 characters")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if c.Number == "" {
			// <AGENCY>-<year>-<n>: the agency's next case of the year.
			prefix := fmt.Sprintf("%s-%d-", p.Agency, now.In(rabta.PKT).Year())
			var n int
			if err := tx.QueryRowContext(ctx, s.q("SELECT count(*) FROM cases WHERE number LIKE ?"), prefix+"%").Scan(&n); err != nil {
				return err
			}
			c.Number = fmt.Sprintf("%s%04d", prefix, n+1)
		}
		var dup int
		if err := tx.QueryRowContext(ctx, s.q("SELECT count(*) FROM cases WHERE number = ?"), c.Number).Scan(&dup); err != nil {
			return err
		}
		if dup > 0 {
			return rabta.Errorf(rabta.EConflict, "number: case %s exists already", c.Number)
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO cases (id, number, title, lead_agency, status, offences, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
			c.ID, c.Number, c.Title, c.Lead, string(c.Status), joinList(c.Offences), c.CreatedBy, micros(now), micros(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO case_members (case_id, user_id, agency, role, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)"),
			c.ID, p.UserID, p.Agency, string(rabta.CaseLead), p.Username, micros(now)); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActCaseCreate, "case:"+c.ID)
		e.Query = c.Number
		return s.appendAudit(ctx, tx, e)
	})
}

func (s *Store) checkOffences(codes []string) error {
	cat := s.offenceCatalogue()
	for i, code := range codes {
		o, ok := cat.Get(code)
		if !ok {
			return rabta.Errorf(rabta.EInvalid, "offences[%d]: %q is not in the offence catalogue", i, code)
		}
		codes[i] = o.Code
	}
	slices.Sort(codes)
	if len(slices.Compact(slices.Clone(codes))) != len(codes) {
		return rabta.Errorf(rabta.EInvalid, "offences: listed twice")
	}
	return nil
}

// caseUpdate runs fn on a case p may read, in a transaction, and logs what
// was done (with the case as the purpose).
func (s *Store) caseUpdate(ctx context.Context, p rabta.Principal, id, what string, fn func(tx *sql.Tx, a caseAccess) ([]string, error)) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if s.dialect == Postgres {
			// Changes to one case take turns: an attachment racing the
			// case's closing must see the closed status (or be seen by it).
			if _, err := tx.ExecContext(ctx, s.q("SELECT id FROM cases WHERE id = ? FOR UPDATE"), id); err != nil {
				return err
			}
		}
		a, err := s.caseAccessOf(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if a.status == rabta.CaseClosed && what != "status" {
			return rabta.Errorf(rabta.EConflict, "case %s is closed: reopen it first", id)
		}
		objects, err := fn(tx, a)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("UPDATE cases SET updated_at = ? WHERE id = ?"), micros(s.now()), id); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActCaseUpdate, append([]string{"case:" + id}, objects...)...)
		e.Query = what
		return s.appendAudit(ctx, tx, e)
	})
	return s.auditDenied(ctx, p, rabta.ActCaseUpdate, what, err, "case:"+id)
}

// AddCaseMember adds a user (of any agency: that makes the case joint) to
// a case, or changes the member's role. Only the case's managers do.
func (s *Store) AddCaseMember(ctx context.Context, p rabta.Principal, caseID, username string, role rabta.CaseRole) error {
	if !slices.Contains(rabta.CaseRoles, role) {
		return rabta.Errorf(rabta.EInvalid, "role: %q is not one of lead, member, observer", role)
	}
	username = strings.ToLower(strings.TrimSpace(username))
	return s.caseUpdate(ctx, p, caseID, "member "+username+" "+string(role), func(tx *sql.Tx, a caseAccess) ([]string, error) {
		if !a.manager {
			return nil, rabta.Errorf(rabta.EForbidden, "only the case's lead or a supervisor of %s adds members", a.lead)
		}
		// Only a case's managers learn whether a user exists, and then
		// only in one answer for "no such user" and "cannot work cases".
		u, _, err := s.UserByName(ctx, username)
		if err != nil || u.Disabled || !slices.ContainsFunc(u.Roles, func(r rabta.Role) bool {
			return r == rabta.RoleAnalyst || r == rabta.RoleInvestigator || r == rabta.RoleSupervisor || r == rabta.RoleProtection || r == rabta.RoleCoordinator
		}) {
			return nil, rabta.Errorf(rabta.EInvalid, "username: no user %q who can work on cases", username)
		}
		res, err := tx.ExecContext(ctx, s.q("UPDATE case_members SET role = ? WHERE case_id = ? AND user_id = ?"), string(role), caseID, u.ID)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO case_members (case_id, user_id, agency, role, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)"),
				caseID, u.ID, u.Agency, string(role), p.Username, micros(s.now())); err != nil {
				return nil, err
			}
			if err := s.notify(ctx, tx, toUser(u.Agency, u.Username, NoteCaseMember, fmt.Sprintf("%s added you to a case (%s)", p.Agency, role), "case:"+caseID)); err != nil {
				return nil, err
			}
		}
		return []string{"user:" + u.Username}, nil
	})
}

// RemoveCaseMember removes a member; the last lead stays.
func (s *Store) RemoveCaseMember(ctx context.Context, p rabta.Principal, caseID, username string) error {
	u, _, err := s.UserByName(ctx, username)
	if err != nil {
		return rabta.Errorf(rabta.EInvalid, "username: no user %q", username)
	}
	return s.caseUpdate(ctx, p, caseID, "remove member "+u.Username, func(tx *sql.Tx, a caseAccess) ([]string, error) {
		if !a.manager {
			return nil, rabta.Errorf(rabta.EForbidden, "only the case's lead or a supervisor of %s removes members", a.lead)
		}
		var leads int
		if err := tx.QueryRowContext(ctx, s.q("SELECT count(*) FROM case_members WHERE case_id = ? AND role = 'lead' AND user_id <> ?"), caseID, u.ID).Scan(&leads); err != nil {
			return nil, err
		}
		if leads == 0 {
			return nil, rabta.Errorf(rabta.EInvalid, "username: %s is the case's last lead; name another lead first", u.Username)
		}
		res, err := tx.ExecContext(ctx, s.q("DELETE FROM case_members WHERE case_id = ? AND user_id = ?"), caseID, u.ID)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil, rabta.Errorf(rabta.EInvalid, "username: %s is not a member", u.Username)
		}
		return []string{"user:" + u.Username}, nil
	})
}

// AttachRecord attaches a record to a case. The member must see it in
// full; attached by its holding agency it widens to every member (as its
// marking otherwise allows), attached by anyone else it is a reference that
// each member sees as they would anyway.
func (s *Store) AttachRecord(ctx context.Context, p rabta.Principal, caseID, recordID string) error {
	ms, err := s.metas(ctx, "WHERE id = ?", recordID)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return rabta.Errorf(rabta.EInvalid, "record: no record %q", recordID)
	}
	a, err := s.decide(ctx, p, ms[0])
	if err != nil {
		return err
	}
	switch a {
	case rabta.AccessNone:
		return rabta.Errorf(rabta.EInvalid, "record: no record %q", recordID)
	case rabta.AccessPointer:
		return rabta.Errorf(rabta.EForbidden, "record %s: you see only a pointer; ask %s for access first", recordID, ms[0].agency)
	}
	m := ms[0]
	widens := m.agency == p.Agency
	return s.caseUpdate(ctx, p, caseID, "attach record", func(tx *sql.Tx, ca caseAccess) ([]string, error) {
		if !ca.works() {
			return nil, rabta.Errorf(rabta.EForbidden, "observers do not attach records")
		}
		var n int
		if err := tx.QueryRowContext(ctx, s.q("SELECT count(*) FROM case_records WHERE case_id = ? AND rid = ?"), caseID, m.rid).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, rabta.Errorf(rabta.EConflict, "record %s is attached already", recordID)
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO case_records (case_id, rid, widens, added_by, added_at) VALUES (?, ?, ?, ?, ?)"),
			caseID, m.rid, widens && ca.status == rabta.CaseOpen, p.Username, micros(s.now())); err != nil {
			return nil, err
		}
		return []string{recordID}, s.refreshShares(ctx, tx, []int64{m.rid})
	})
}

// DetachRecord removes a record from a case; its widening ends at once.
// Its holding agency, or the case's managers, detach it.
func (s *Store) DetachRecord(ctx context.Context, p rabta.Principal, caseID, recordID string) error {
	return s.caseUpdate(ctx, p, caseID, "detach record", func(tx *sql.Tx, ca caseAccess) ([]string, error) {
		var rid int64
		var agency, by string
		notAttached := rabta.Errorf(rabta.EInvalid, "record: %q is not attached to this case", recordID)
		err := tx.QueryRowContext(ctx, s.q("SELECT r.rid, r.agency, c.added_by FROM case_records c JOIN records r ON r.rid = c.rid WHERE c.case_id = ? AND r.id = ?"), caseID, recordID).Scan(&rid, &agency, &by)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notAttached
		}
		if err != nil {
			return nil, err
		}
		// A record p may not know of is not attached, as far as p can tell.
		ms, err := s.metas(ctx, "WHERE rid = ?", rid)
		if err != nil || len(ms) == 0 {
			return nil, cmp.Or[error](err, notAttached)
		}
		if a, err := s.decide(ctx, p, ms[0]); err != nil {
			return nil, err
		} else if a == rabta.AccessNone {
			return nil, notAttached
		}
		if !ca.manager && agency != p.Agency && by != p.Username {
			return nil, rabta.Errorf(rabta.EForbidden, "the holding agency, who attached it, or the case's lead detaches a record")
		}
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM case_records WHERE case_id = ? AND rid = ?"), caseID, rid); err != nil {
			return nil, err
		}
		return []string{recordID}, s.refreshShares(ctx, tx, []int64{rid})
	})
}

// SetCaseStatus opens, suspends or closes a case (its managers). Only an
// open case widens: suspending or closing ends the members' need to know,
// so the shares of its records, and the grants made only to it, lapse
// (and return if it is reopened).
func (s *Store) SetCaseStatus(ctx context.Context, p rabta.Principal, caseID string, st rabta.CaseStatus) error {
	if !slices.Contains(rabta.CaseStatuses, st) {
		return rabta.Errorf(rabta.EInvalid, "status: %q is not one of open, suspended, closed", st)
	}
	return s.caseUpdate(ctx, p, caseID, "status", func(tx *sql.Tx, a caseAccess) ([]string, error) {
		if !a.manager {
			return nil, rabta.Errorf(rabta.EForbidden, "only the case's lead or a supervisor of %s changes its status", a.lead)
		}
		if _, err := tx.ExecContext(ctx, s.q("UPDATE cases SET status = ? WHERE id = ?"), string(st), caseID); err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, s.q("UPDATE case_records SET widens = ? WHERE case_id = ? AND rid IN (SELECT c.rid FROM case_records c JOIN records r ON r.rid = c.rid JOIN users u ON u.username = c.added_by WHERE c.case_id = ? AND u.agency = r.agency)"),
			st == rabta.CaseOpen, caseID, caseID); err != nil {
			return nil, err
		}
		// The case's own records, and those granted only to the case.
		rows, err := tx.QueryContext(ctx, s.q("SELECT rid FROM case_records WHERE case_id = ? UNION SELECT gr.rid FROM grant_records gr JOIN grants g ON g.id = gr.grant_id WHERE g.case_id = ?"), caseID, caseID)
		if err != nil {
			return nil, err
		}
		var rids []int64
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				rows.Close()
				return nil, err
			}
			rids = append(rids, rid)
		}
		rows.Close()
		return []string{string(st)}, s.refreshShares(ctx, tx, rids)
	})
}

// AddMilestone records a legal step of the case.
func (s *Store) AddMilestone(ctx context.Context, p rabta.Principal, caseID string, m *rabta.Milestone) error {
	if err := m.Validate(s.now().In(rabta.PKT)); err != nil {
		return err
	}
	m.ID, m.Agency, m.RecordedBy, m.RecordedAt = newID(), p.Agency, p.Username, s.now()
	return s.caseUpdate(ctx, p, caseID, "milestone "+string(m.Kind), func(tx *sql.Tx, a caseAccess) ([]string, error) {
		if !a.works() {
			return nil, rabta.Errorf(rabta.EForbidden, "observers do not record milestones")
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO case_milestones (id, case_id, kind, on_date, details, quantity, unit, amount, currency, agency, recorded_by, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), m.ID, caseID, string(m.Kind), m.Date, m.Details, m.Quantity, m.Unit, m.Amount, m.Currency, m.Agency, m.RecordedBy, micros(m.RecordedAt))
		return []string{"milestone:" + m.ID}, err
	})
}

// AddTask assigns work to a member of the case, who is told.
func (s *Store) AddTask(ctx context.Context, p rabta.Principal, caseID string, t *rabta.Task) error {
	t.Title = strings.TrimSpace(t.Title)
	if t.Title == "" || len(t.Title) > 500 {
		return rabta.Errorf(rabta.EInvalid, "title: required, at most 500 characters")
	}
	if t.Due != "" {
		if _, err := time.Parse("2006-01-02", t.Due); err != nil {
			return rabta.Errorf(rabta.EInvalid, "due: %q is not a date (YYYY-MM-DD)", t.Due)
		}
	}
	t.ID, t.Status, t.CreatedBy, t.CreatedAt = newID(), rabta.TaskOpen, p.Username, s.now()
	t.Assignee = strings.ToLower(strings.TrimSpace(t.Assignee))
	return s.caseUpdate(ctx, p, caseID, "task", func(tx *sql.Tx, a caseAccess) ([]string, error) {
		if !a.works() {
			return nil, rabta.Errorf(rabta.EForbidden, "observers do not assign tasks")
		}
		var agency string
		err := tx.QueryRowContext(ctx, s.q("SELECT m.agency FROM case_members m JOIN users u ON u.id = m.user_id WHERE m.case_id = ? AND u.username = ?"), caseID, t.Assignee).Scan(&agency)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, rabta.Errorf(rabta.EInvalid, "assignee: %q is not a member of the case", t.Assignee)
		}
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO case_tasks (id, case_id, title, assignee, due, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
			t.ID, caseID, t.Title, t.Assignee, t.Due, string(t.Status), t.CreatedBy, micros(t.CreatedAt), micros(t.CreatedAt)); err != nil {
			return nil, err
		}
		due := ""
		if t.Due != "" {
			due = ", due " + t.Due
		}
		return []string{"task:" + t.ID}, s.notify(ctx, tx, toUser(agency, t.Assignee, NoteTaskAssigned, fmt.Sprintf("%s assigned you a task%s", p.Username, due), "case:"+caseID))
	})
}

// SetTaskStatus marks a task done or cancelled (or open again): its
// assignee or the case's managers.
func (s *Store) SetTaskStatus(ctx context.Context, p rabta.Principal, caseID, taskID string, st rabta.TaskStatus) error {
	if !slices.Contains([]rabta.TaskStatus{rabta.TaskOpen, rabta.TaskDone, rabta.TaskCancelled}, st) {
		return rabta.Errorf(rabta.EInvalid, "status: %q is not one of open, done, cancelled", st)
	}
	return s.caseUpdate(ctx, p, caseID, "task "+string(st), func(tx *sql.Tx, a caseAccess) ([]string, error) {
		var assignee string
		err := tx.QueryRowContext(ctx, s.q("SELECT assignee FROM case_tasks WHERE id = ? AND case_id = ?"), taskID, caseID).Scan(&assignee)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, rabta.Errorf(rabta.ENotFound, "no task %q in this case", taskID)
		}
		if err != nil {
			return nil, err
		}
		if assignee != p.Username && !a.manager {
			return nil, rabta.Errorf(rabta.EForbidden, "the assignee or the case's lead changes a task")
		}
		_, err = tx.ExecContext(ctx, s.q("UPDATE case_tasks SET status = ?, updated_at = ? WHERE id = ?"), string(st), micros(s.now()), taskID)
		return []string{"task:" + taskID}, err
	})
}

// AddNote writes a note in the case.
func (s *Store) AddNote(ctx context.Context, p rabta.Principal, caseID string, n *rabta.Note) error {
	n.Body = strings.TrimSpace(n.Body)
	if n.Body == "" || len(n.Body) > 20000 {
		return rabta.Errorf(rabta.EInvalid, "body: required, at most 20,000 characters")
	}
	if n.Classification == "" {
		n.Classification = rabta.Restricted
	}
	if !n.Classification.Valid() || !p.Clearance.Covers(n.Classification) {
		return rabta.Errorf(rabta.EInvalid, "classification: %q is unknown or above your clearance", n.Classification)
	}
	n.ID, n.Author, n.Agency, n.CreatedAt = newID(), p.Username, p.Agency, s.now()
	return s.caseUpdate(ctx, p, caseID, "note", func(tx *sql.Tx, a caseAccess) ([]string, error) {
		if !a.works() {
			return nil, rabta.Errorf(rabta.EForbidden, "observers do not write notes")
		}
		_, err := tx.ExecContext(ctx, s.q("INSERT INTO case_notes (id, case_id, author, agency, body, classification, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
			n.ID, caseID, n.Author, n.Agency, n.Body, string(n.Classification), micros(n.CreatedAt))
		return []string{"note:" + n.ID}, err
	})
}

// AddAttachment stores a file in the case under its own marking. The body
// is kept once per SHA-256, whoever attaches it again.
func (s *Store) AddAttachment(ctx context.Context, p rabta.Principal, caseID string, at *rabta.Attachment, content []byte) error {
	if err := s.checkAttachment(p, at, content); err != nil {
		return err
	}
	return s.caseUpdate(ctx, p, caseID, "attachment", func(tx *sql.Tx, a caseAccess) ([]string, error) {
		if !a.works() {
			return nil, rabta.Errorf(rabta.EForbidden, "observers do not attach files")
		}
		return []string{"attachment:" + at.ID}, s.putAttachment(ctx, tx, at, content, caseID, "")
	})
}

// AttachmentContent returns an attachment's file if p may open it; the
// download is logged with the case as its purpose.
func (s *Store) AttachmentContent(ctx context.Context, p rabta.Principal, caseID, id string) (*rabta.Attachment, []byte, error) {
	if _, err := s.caseAccessOf(ctx, s.db, p, caseID); err != nil {
		return nil, nil, err
	}
	ats, err := s.attachments(ctx, p, "case_id = ? AND id = ?", caseID, id)
	if err != nil {
		return nil, nil, err
	}
	if len(ats) == 0 || ats[0].Withheld {
		return nil, nil, rabta.Errorf(rabta.ENotFound, "no attachment %q you may open", id)
	}
	content, err := s.blob(ctx, ats[0].SHA256)
	if err != nil {
		return nil, nil, err
	}
	e := event(ctx, p, rabta.ActCaseRead, "case:"+caseID, "attachment:"+id)
	e.Purpose = strings.TrimSuffix("case:"+caseID+"; "+e.Purpose, "; ")
	e.Count = 1
	return &ats[0], content, s.Audit(ctx, e)
}

// Case returns a case as p may see it and logs the read (the case is the
// purpose). Attached records are decided one by one: full ones with their
// caption, pointers with the holder's contact, hidden ones left out.
func (s *Store) Case(ctx context.Context, p rabta.Principal, id string) (*rabta.Case, error) {
	if _, err := s.caseAccessOf(ctx, s.db, p, id); err != nil {
		if rabta.ErrorCode(err) == rabta.ENotFound {
			// A probe for a case one may not see is logged like a read of
			// a record that is not there.
			e := event(ctx, p, rabta.ActCaseRead, "case:"+id)
			e.Outcome = "not_found"
			if aerr := s.Audit(ctx, e); aerr != nil {
				return nil, aerr
			}
		}
		return nil, err
	}
	cs, err := s.cases(ctx, "c.id = ?", id)
	if err != nil {
		return nil, err
	}
	c := &cs[0]
	if err := s.fillCase(ctx, p, c); err != nil {
		return nil, err
	}
	objects := []string{"case:" + id}
	for _, r := range c.Records {
		if r.Access == rabta.AccessFull {
			objects = append(objects, r.ID)
		}
	}
	e := event(ctx, p, rabta.ActCaseRead, objects...)
	e.Purpose = strings.TrimSuffix("case:"+id+"; "+e.Purpose, "; ")
	e.Count = len(objects) - 1
	return c, s.Audit(ctx, e)
}

// Cases lists the cases p is a member of, and those its agency leads if p
// is a supervisor, newest first.
func (s *Store) Cases(ctx context.Context, p rabta.Principal) ([]rabta.Case, error) {
	where, args := "c.id IN (SELECT case_id FROM case_members WHERE user_id = ?)", []any{p.UserID}
	if p.Has(rabta.RoleSupervisor) {
		where, args = "("+where+" OR c.lead_agency = ?)", append(args, p.Agency)
	}
	cs, err := s.cases(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	e := event(ctx, p, rabta.ActCaseList)
	e.Count = len(cs)
	return cs, s.Audit(ctx, e)
}

func (s *Store) cases(ctx context.Context, where string, args ...any) ([]rabta.Case, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT c.id, c.number, c.title, c.lead_agency, c.status, c.offences, c.created_by, c.created_at, c.updated_at
		FROM cases c WHERE `+where+` ORDER BY c.updated_at DESC, c.id LIMIT 500`), args...)
	if err != nil {
		return nil, err
	}
	var out []rabta.Case
	for rows.Next() {
		var c rabta.Case
		var offences string
		var created, updated int64
		if err := rows.Scan(&c.ID, &c.Number, &c.Title, &c.Lead, &c.Status, &offences, &c.CreatedBy, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		c.Offences = append([]string{}, splitList(offences)...)
		c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		ags, err := s.db.QueryContext(ctx, s.q("SELECT DISTINCT agency FROM case_members WHERE case_id = ? ORDER BY agency"), out[i].ID)
		if err != nil {
			return nil, err
		}
		for ags.Next() {
			var a string
			if err := ags.Scan(&a); err != nil {
				ags.Close()
				return nil, err
			}
			out[i].Agencies = append(out[i].Agencies, a)
		}
		ags.Close()
		out[i].Joint = len(out[i].Agencies) > 1
	}
	return out, nil
}

// fillCase loads a case's members, records, milestones, tasks, notes,
// attachments and timeline as p may see them.
func (s *Store) fillCase(ctx context.Context, p rabta.Principal, c *rabta.Case) error {
	c.Members, c.Records, c.Milestones, c.Tasks, c.Notes = []rabta.CaseMember{}, []rabta.CaseRecord{}, []rabta.Milestone{}, []rabta.Task{}, []rabta.Note{}
	q := func(query string, scan func(*sql.Rows) error) error {
		rows, err := s.db.QueryContext(ctx, s.q(query), c.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	var tl []rabta.Happening
	tl = append(tl, rabta.Happening{At: c.CreatedAt, Kind: "created", What: "case " + c.Number + " opened", By: c.CreatedBy})
	err := q("SELECT u.username, u.name, m.agency, m.role, m.added_by, m.added_at FROM case_members m JOIN users u ON u.id = m.user_id WHERE m.case_id = ? ORDER BY m.added_at, u.username", func(r *sql.Rows) error {
		var m rabta.CaseMember
		var at int64
		if err := r.Scan(&m.Username, &m.Name, &m.Agency, &m.Role, &m.AddedBy, &at); err != nil {
			return err
		}
		m.AddedAt = fromMicros(at)
		c.Members = append(c.Members, m)
		if m.AddedBy != c.CreatedBy || m.Username != c.CreatedBy {
			tl = append(tl, rabta.Happening{At: m.AddedAt, Kind: "member", What: fmt.Sprintf("%s (%s) joined as %s", m.Username, m.Agency, m.Role), By: m.AddedBy})
		}
		return nil
	})
	if err != nil {
		return err
	}
	type attached struct {
		rid     int64
		widens  bool
		by      string
		addedAt int64
	}
	var atts []attached
	if err := q("SELECT rid, widens, added_by, added_at FROM case_records WHERE case_id = ? ORDER BY added_at, rid", func(r *sql.Rows) error {
		var a attached
		if err := r.Scan(&a.rid, &a.widens, &a.by, &a.addedAt); err != nil {
			return err
		}
		atts = append(atts, a)
		return nil
	}); err != nil {
		return err
	}
	contacts, err := s.contacts(ctx)
	if err != nil {
		return err
	}
	metas, err := s.metas(ctx, "WHERE rid IN (SELECT rid FROM case_records WHERE case_id = ?)", c.ID)
	if err != nil {
		return err
	}
	byRid := make(map[int64]*meta, len(metas))
	for _, m := range metas {
		byRid[m.rid] = m
	}
	for _, a := range atts {
		m := byRid[a.rid]
		if m == nil {
			continue
		}
		acc, err := s.decide(ctx, p, m)
		if err != nil {
			return err
		}
		if acc == rabta.AccessNone {
			continue
		}
		cr := rabta.CaseRecord{ID: m.id, Schema: m.schema, Agency: m.agency, Access: acc, AddedBy: a.by, Widens: a.widens, AddedAt: fromMicros(a.addedAt)}
		if acc == rabta.AccessFull {
			cr.Caption = m.caption
		} else {
			ct := contacts[m.agency]
			cr.Contact = &ct
		}
		c.Records = append(c.Records, cr)
		tl = append(tl, rabta.Happening{At: cr.AddedAt, Kind: "record", What: fmt.Sprintf("%s record of %s attached", cr.Schema, cr.Agency), By: a.by})
	}
	if err := q("SELECT id, kind, on_date, details, quantity, unit, amount, currency, agency, recorded_by, recorded_at FROM case_milestones WHERE case_id = ? ORDER BY on_date, recorded_at", func(r *sql.Rows) error {
		var m rabta.Milestone
		var at int64
		if err := r.Scan(&m.ID, &m.Kind, &m.Date, &m.Details, &m.Quantity, &m.Unit, &m.Amount, &m.Currency, &m.Agency, &m.RecordedBy, &at); err != nil {
			return err
		}
		m.RecordedAt = fromMicros(at)
		c.Milestones = append(c.Milestones, m)
		when, _ := time.ParseInLocation("2006-01-02", m.Date, rabta.PKT)
		tl = append(tl, rabta.Happening{At: when, Kind: "milestone", What: milestoneText(m), By: m.RecordedBy})
		return nil
	}); err != nil {
		return err
	}
	today := s.now().In(rabta.PKT).Format("2006-01-02")
	if err := q("SELECT id, title, assignee, due, status, created_by, created_at FROM case_tasks WHERE case_id = ? ORDER BY created_at, id", func(r *sql.Rows) error {
		var t rabta.Task
		var at int64
		if err := r.Scan(&t.ID, &t.Title, &t.Assignee, &t.Due, &t.Status, &t.CreatedBy, &at); err != nil {
			return err
		}
		t.CreatedAt = fromMicros(at)
		t.Overdue = t.Status == rabta.TaskOpen && t.Due != "" && t.Due < today
		c.Tasks = append(c.Tasks, t)
		tl = append(tl, rabta.Happening{At: t.CreatedAt, Kind: "task", What: "task for " + t.Assignee + ": " + t.Title, By: t.CreatedBy})
		return nil
	}); err != nil {
		return err
	}
	if err := q("SELECT id, author, agency, body, classification, created_at FROM case_notes WHERE case_id = ? ORDER BY created_at, id", func(r *sql.Rows) error {
		var n rabta.Note
		var at int64
		if err := r.Scan(&n.ID, &n.Author, &n.Agency, &n.Body, &n.Classification, &at); err != nil {
			return err
		}
		n.CreatedAt = fromMicros(at)
		if !p.Clearance.Covers(n.Classification) {
			n.Body, n.Withheld = "", true
		}
		c.Notes = append(c.Notes, n)
		tl = append(tl, rabta.Happening{At: n.CreatedAt, Kind: "note", What: "note by " + n.Author + " (" + n.Agency + ")", By: n.Author})
		return nil
	}); err != nil {
		return err
	}
	if c.Attachments, err = s.attachments(ctx, p, "case_id = ?", c.ID); err != nil {
		return err
	}
	if c.Attachments == nil {
		c.Attachments = []rabta.Attachment{}
	}
	for _, at := range c.Attachments {
		tl = append(tl, rabta.Happening{At: at.AddedAt, Kind: "attachment", What: "file attached by " + at.Agency, By: at.AddedBy})
	}
	sort.SliceStable(tl, func(i, j int) bool { return tl[i].At.Before(tl[j].At) })
	c.Timeline = tl
	return nil
}

func milestoneText(m rabta.Milestone) string {
	what := strings.ReplaceAll(string(m.Kind), "_", " ")
	switch {
	case m.Quantity > 0:
		what += fmt.Sprintf(": %g %s", m.Quantity, m.Unit)
	case m.Amount > 0:
		what += fmt.Sprintf(": %.2f %s", m.Amount, m.Currency)
	}
	if m.Details != "" {
		what += " — " + m.Details
	}
	return what
}

// CaseRecordIDs returns the ids of a case's records that p sees in full,
// links left out (the network brings in the links among them that p may
// see): the seeds of an analysis over the case.
func (s *Store) CaseRecordIDs(ctx context.Context, p rabta.Principal, caseID string) ([]string, error) {
	if _, err := s.caseAccessOf(ctx, s.db, p, caseID); err != nil {
		return nil, err
	}
	ms, err := s.metas(ctx, "WHERE rid IN (SELECT rid FROM case_records WHERE case_id = ?) ORDER BY rid", caseID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, m := range ms {
		a, err := s.decide(ctx, p, m)
		if err != nil {
			return nil, err
		}
		if sc, ok := schema.Get(m.schema); a == rabta.AccessFull && ok && !sc.IsEdge() {
			ids = append(ids, m.id)
		}
	}
	return ids, nil
}

// AttachProfile attaches to a case the records of a profile (a resolved
// subject) that p sees in full and that are not attached yet, each by the
// rule of AttachRecord. It returns how many were attached.
func (s *Store) AttachProfile(ctx context.Context, p rabta.Principal, caseID, profileID string) (int, error) {
	v, err := s.Profile(ctx, p, profileID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range v.Members {
		if m.Access != rabta.AccessFull {
			continue
		}
		switch err := s.AttachRecord(ctx, p, caseID, m.ID); rabta.ErrorCode(err) {
		case "":
			n++
		case rabta.EConflict: // attached already
		default:
			return n, err
		}
	}
	if n == 0 {
		return 0, rabta.Errorf(rabta.EInvalid, "profile: nothing of profile %q that you see in full is left to attach", profileID)
	}
	return n, nil
}
