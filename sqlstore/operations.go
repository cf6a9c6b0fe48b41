package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/gazetteer"
)

// Event deconfliction: planned operations and the conflicts between them.
// An agency sees its own operations; of another agency's, only what a
// conflict reveals (agency, contact, overlap).

// plansOperations reports whether p may register and see its agency's
// operations.
func plansOperations(p rabta.Principal) bool {
	return p.ReadsIntelligence()
}

const operationCols = "id, agency, type, title, lat, lon, radius_m, district, starts_at, ends_at, contact, created_by, created_at, cancelled"

func scanOperation(sc scanner) (*rabta.Operation, error) {
	var o rabta.Operation
	var start, end, created int64
	var contact string
	if err := sc.Scan(&o.ID, &o.Agency, &o.Type, &o.Title, &o.Lat, &o.Lon, &o.RadiusM, &o.District, &start, &end, &contact, &o.CreatedBy, &created, &o.Cancelled); err != nil {
		return nil, err
	}
	o.Start, o.End, o.CreatedAt = fromMicros(start), fromMicros(end), fromMicros(created)
	if err := json.Unmarshal([]byte(contact), &o.Contact); err != nil {
		return nil, fmt.Errorf("operation %s: contact: %w", o.ID, err)
	}
	return &o, nil
}

// CreateOperation registers a planned operation of p's agency and raises a
// conflict with every live operation of another agency whose area and
// window overlap it. A district (from the gazetteer) may stand for the
// place; explicit coordinates and radius win over it. Both agencies'
// planners and duty desks (supervisors) are told.
func (s *Store) CreateOperation(ctx context.Context, p rabta.Principal, o *rabta.Operation) error {
	if !plansOperations(p) {
		return rabta.Errorf(rabta.EForbidden, "your roles do not plan operations")
	}
	if o.District != "" {
		d, ok := gazetteer.Lookup(o.District)
		if !ok {
			return rabta.Errorf(rabta.EInvalid, "district: no district %q in the gazetteer", o.District)
		}
		o.District = d.Code
		if o.Lat == 0 && o.Lon == 0 {
			o.Lat, o.Lon = d.Lat, d.Lon
		}
		if o.RadiusM == 0 {
			o.RadiusM = d.RadiusM
		}
	}
	now := s.now()
	if err := o.Validate(now); err != nil {
		return err
	}
	if o.Contact.Name == "" {
		o.Contact.Name = p.Username
	}
	if len(o.Contact.Name) > 200 || len(o.Contact.Phone) > 50 {
		return rabta.Errorf(rabta.EInvalid, "contact: name at most 200 and phone at most 50 characters")
	}
	contact, err := json.Marshal(o.Contact)
	if err != nil {
		return err
	}
	o.ID, o.Agency, o.CreatedBy, o.CreatedAt, o.Conflicts = newID(), p.Agency, p.Username, now, []rabta.Conflict{}
	desks, err := s.contacts(ctx)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if s.dialect == Postgres {
			// Two overlapping registrations at once must see each other:
			// they take turns (SQLite transactions do anyway).
			if _, err := tx.ExecContext(ctx, "LOCK TABLE operations IN SHARE ROW EXCLUSIVE MODE"); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, s.q("SELECT "+operationCols+" FROM operations WHERE NOT cancelled AND agency <> ? AND starts_at < ? AND ends_at > ? ORDER BY created_at, id"),
			o.Agency, micros(o.End), micros(o.Start))
		if err != nil {
			return err
		}
		var others []*rabta.Operation
		for rows.Next() {
			x, err := scanOperation(rows)
			if err != nil {
				rows.Close()
				return err
			}
			others = append(others, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO operations ("+operationCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
			o.ID, o.Agency, string(o.Type), o.Title, o.Lat, o.Lon, o.RadiusM, o.District, micros(o.Start), micros(o.End), string(contact), o.CreatedBy, micros(now), false); err != nil {
			return err
		}
		objects := []string{"operation:" + o.ID}
		for _, x := range others {
			ov, ok := rabta.Conflicts(o, x, gazetteer.Distance(o.Lat, o.Lon, x.Lat, x.Lon))
			if !ok {
				continue
			}
			id := newID()
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO conflicts (id, op_a, op_b, agency_a, agency_b, distance_m, overlap_m, from_at, to_at, found_at, resolution, resolved_by, resolved_at, note)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', '', 0, '')`), id, o.ID, x.ID, o.Agency, x.Agency, ov.DistanceM, ov.OverlapM, micros(ov.From), micros(ov.To), micros(now)); err != nil {
				return err
			}
			o.Conflicts = append(o.Conflicts, rabta.Conflict{ID: id, Operation: o.ID, Agency: x.Agency, Contact: x.Contact, Desk: desks[x.Agency], Overlap: ov, FoundAt: now})
			objects = append(objects, "conflict:"+id)
			title := func(other string) string {
				return fmt.Sprintf("Operation conflict with %s: %s to %s, areas overlap by %.0f m", other,
					ov.From.In(rabta.PKT).Format("2006-01-02 15:04"), ov.To.In(rabta.PKT).Format("2006-01-02 15:04 MST"), ov.OverlapM)
			}
			for _, n := range []Notification{
				toUser(o.Agency, o.CreatedBy, NoteConflict, title(x.Agency), "conflict:"+id),
				toAgency(o.Agency, rabta.RoleSupervisor, NoteConflict, title(x.Agency), "conflict:"+id),
				toUser(x.Agency, x.CreatedBy, NoteConflict, title(o.Agency), "conflict:"+id),
				toAgency(x.Agency, rabta.RoleSupervisor, NoteConflict, title(o.Agency), "conflict:"+id),
			} {
				if err := s.notify(ctx, tx, n); err != nil {
					return err
				}
			}
		}
		e := event(ctx, p, rabta.ActOperationAdd, objects...)
		e.Query, e.Count = string(o.Type), len(o.Conflicts)
		return s.appendAudit(ctx, tx, e)
	})
}

// Operations lists p's agency's operations that have not ended (all, with
// ended), newest first, each with its conflicts.
func (s *Store) Operations(ctx context.Context, p rabta.Principal, ended bool) ([]rabta.Operation, error) {
	if !plansOperations(p) {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not plan operations")
	}
	where, args := "agency = ?", []any{p.Agency}
	if !ended {
		where, args = where+" AND ends_at > ?", append(args, micros(s.now()))
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+operationCols+" FROM operations WHERE "+where+" ORDER BY starts_at DESC, id LIMIT 500"), args...)
	if err != nil {
		return nil, err
	}
	var out []rabta.Operation
	for rows.Next() {
		o, err := scanOperation(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, *o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cs, err := s.conflicts(ctx, p, "")
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Conflicts = []rabta.Conflict{}
		for _, c := range cs {
			if c.Operation == out[i].ID {
				out[i].Conflicts = append(out[i].Conflicts, c)
			}
		}
	}
	e := event(ctx, p, rabta.ActOperationRead)
	e.Count = len(out)
	return out, s.Audit(ctx, e)
}

// Conflicts lists the conflicts p's agency is party to, newest first.
func (s *Store) Conflicts(ctx context.Context, p rabta.Principal) ([]rabta.Conflict, error) {
	if !plansOperations(p) {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not plan operations")
	}
	cs, err := s.conflicts(ctx, p, "")
	if err != nil {
		return nil, err
	}
	e := event(ctx, p, rabta.ActOperationRead)
	e.Query, e.Count = "conflicts", len(cs)
	return cs, s.Audit(ctx, e)
}

// conflicts loads p's agency's side of its conflicts (one, with id).
func (s *Store) conflicts(ctx context.Context, p rabta.Principal, id string) ([]rabta.Conflict, error) {
	where, args := "(c.agency_a = ? OR c.agency_b = ?)", []any{p.Agency, p.Agency}
	if id != "" {
		where, args = where+" AND c.id = ?", append(args, id)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT c.id, c.op_a, c.op_b, c.agency_a, c.agency_b, c.distance_m, c.overlap_m, c.from_at, c.to_at, c.found_at,
		c.resolution, c.resolved_by, c.note, a.contact, b.contact, a.cancelled OR b.cancelled FROM conflicts c JOIN operations a ON a.id = c.op_a JOIN operations b ON b.id = c.op_b
		WHERE `+where+` ORDER BY c.found_at DESC, c.id LIMIT 500`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	desks, err := s.contacts(ctx)
	if err != nil {
		return nil, err
	}
	var out []rabta.Conflict
	for rows.Next() {
		var c rabta.Conflict
		var opA, opB, agA, agB, contactA, contactB string
		var from, to, found int64
		if err := rows.Scan(&c.ID, &opA, &opB, &agA, &agB, &c.Overlap.DistanceM, &c.Overlap.OverlapM, &from, &to, &found,
			&c.Resolution, &c.ResolvedBy, &c.Note, &contactA, &contactB, &c.Cancelled); err != nil {
			return nil, err
		}
		c.Overlap.From, c.Overlap.To, c.FoundAt = fromMicros(from), fromMicros(to), fromMicros(found)
		theirs := contactB
		c.Operation, c.Agency = opA, agB
		if agB == p.Agency {
			c.Operation, c.Agency, theirs = opB, agA, contactA
		}
		if err := json.Unmarshal([]byte(theirs), &c.Contact); err != nil {
			return nil, err
		}
		c.Desk = desks[c.Agency]
		out = append(out, c)
	}
	return out, rows.Err()
}

// ResolveConflict records how a conflict is settled (proceed, joint,
// delay, cancel); a supervisor of either agency decides, and the other is
// told. A later decision replaces an earlier one and is logged as well.
func (s *Store) ResolveConflict(ctx context.Context, p rabta.Principal, id string, res rabta.Resolution, note string) (*rabta.Conflict, error) {
	if !slices.Contains(rabta.Resolutions, res) {
		return nil, rabta.Errorf(rabta.EInvalid, "resolution: %q is not one of proceed, joint, delay, cancel", res)
	}
	note = strings.TrimSpace(note)
	if len(note) > 2000 {
		return nil, rabta.Errorf(rabta.EInvalid, "note: at most 2,000 characters")
	}
	cs, err := s.conflicts(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 || !plansOperations(p) {
		return nil, rabta.Errorf(rabta.ENotFound, "no conflict %q", id)
	}
	if !p.Has(rabta.RoleSupervisor) {
		return nil, s.auditDenied(ctx, p, rabta.ActConflictSolve, string(res), rabta.Errorf(rabta.EForbidden, "the duty desk (a supervisor) resolves conflicts"), "conflict:"+id)
	}
	c := &cs[0]
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("UPDATE conflicts SET resolution = ?, resolved_by = ?, resolved_at = ?, note = ? WHERE id = ?"),
			string(res), p.Username+" ("+p.Agency+")", micros(s.now()), note, id); err != nil {
			return err
		}
		c.Resolution, c.ResolvedBy, c.Note = res, p.Username+" ("+p.Agency+")", note
		if res == rabta.ResolveCancel {
			// Cancel withdraws the deciding agency's own operation.
			if _, err := tx.ExecContext(ctx, s.q("UPDATE operations SET cancelled = ? WHERE id = ? AND agency = ?"), true, c.Operation, p.Agency); err != nil {
				return err
			}
		}
		if err := s.notify(ctx, tx, toAgency(c.Agency, rabta.RoleSupervisor, NoteConflictResolved,
			fmt.Sprintf("%s resolved an operation conflict: %s", p.Agency, res), "conflict:"+id)); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActConflictSolve, "conflict:"+id, "operation:"+c.Operation)
		e.Query = string(res)
		return s.appendAudit(ctx, tx, e)
	})
	return c, err
}

// CancelOperation withdraws an operation of p's agency; its conflicts stay
// on record but no new one is raised against it.
func (s *Store) CancelOperation(ctx context.Context, p rabta.Principal, id string) error {
	if !plansOperations(p) {
		return rabta.Errorf(rabta.EForbidden, "your roles do not plan operations")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q("UPDATE operations SET cancelled = ? WHERE id = ? AND agency = ?"), true, id, p.Agency)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rabta.Errorf(rabta.ENotFound, "no operation %q", id)
		}
		// The other side of each conflict learns that this one is off.
		rows, err := tx.QueryContext(ctx, s.q(`SELECT c.id, CASE WHEN c.op_a = ? THEN c.agency_b ELSE c.agency_a END,
			CASE WHEN c.op_a = ? THEN b.created_by ELSE a.created_by END
			FROM conflicts c JOIN operations a ON a.id = c.op_a JOIN operations b ON b.id = c.op_b WHERE c.op_a = ? OR c.op_b = ?`), id, id, id, id)
		if err != nil {
			return err
		}
		type other struct{ conflict, agency, planner string }
		var others []other
		for rows.Next() {
			var o other
			if err := rows.Scan(&o.conflict, &o.agency, &o.planner); err != nil {
				rows.Close()
				return err
			}
			others = append(others, o)
		}
		rows.Close()
		objects := []string{"operation:" + id}
		for _, o := range others {
			title := fmt.Sprintf("%s called off an operation that conflicted with yours", p.Agency)
			for _, n := range []Notification{toUser(o.agency, o.planner, NoteConflictResolved, title, "conflict:"+o.conflict),
				toAgency(o.agency, rabta.RoleSupervisor, NoteConflictResolved, title, "conflict:"+o.conflict)} {
				if err := s.notify(ctx, tx, n); err != nil {
					return err
				}
			}
			objects = append(objects, "conflict:"+o.conflict)
		}
		e := event(ctx, p, rabta.ActOperationAdd, objects...)
		e.Query = "cancel"
		return s.appendAudit(ctx, tx, e)
	})
}
