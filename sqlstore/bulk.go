package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rabta/rabta"
)

// ImportOptions control a bulk import.
type ImportOptions struct {
	// Wrap adds the file name and line to an error about the record just
	// read (the reader knows them; the store does not).
	Wrap func(error) error
	// Progress, if set, is called with the number of records written so far.
	Progress func(n int)
}

// Import writes every record next returns (until io.EOF) for the
// principal's agency, in one transaction: a file is imported whole or not
// at all, so a crash or a bad line halfway leaves nothing behind. Records
// keep their ids; references may point to records later in the same
// import. The import is logged as one event per 1,000 records with their ids.
func (s *Store) Import(ctx context.Context, p rabta.Principal, next func() (*rabta.Record, error), opt ImportOptions) (int, error) {
	if !p.CanWriteRecords() {
		return 0, rabta.Errorf(rabta.EForbidden, "your roles do not allow recording intelligence")
	}
	wrap := opt.Wrap
	if wrap == nil {
		wrap = func(err error) error { return err }
	}
	var n int
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var firstRid int64 = -1
		stmt, err := tx.PrepareContext(ctx, s.q(insertRecordSQL))
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := s.now().UTC().Truncate(time.Microsecond)
		var ids []string
		flush := func() error {
			if len(ids) == 0 {
				return nil
			}
			e := event(ctx, p, rabta.ActImport, ids...)
			e.Count = len(ids)
			ids = ids[:0]
			return s.appendAudit(ctx, tx, e)
		}
		for {
			r, err := next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return err
			}
			r.Agency = p.Agency
			if r.Provenance.Author == "" {
				r.Provenance.Author = p.Username
			}
			r.Version = 1
			r.CreatedAt, r.UpdatedAt = now, now
			row, err := prepare(r)
			if err != nil {
				return wrap(err)
			}
			var rid int64
			if err := stmt.QueryRowContext(ctx, row.args()...).Scan(&rid); err != nil {
				if isUniqueViolation(err) {
					return wrap(rabta.Errorf(rabta.EConflict, "id: record %q already exists", r.ID))
				}
				return wrap(err)
			}
			if firstRid < 0 {
				firstRid = rid
			}
			if err := s.insertIndex(ctx, tx, rid, row); err != nil {
				return wrap(err)
			}
			n++
			ids = append(ids, r.ID)
			if len(ids) == 1000 {
				if err := flush(); err != nil {
					return err
				}
			}
			if opt.Progress != nil && n%10000 == 0 {
				opt.Progress(n)
			}
		}
		if firstRid >= 0 {
			if err := s.checkImportRefs(ctx, tx, p, firstRid); err != nil {
				return err
			}
		}
		return flush()
	})
	if err != nil {
		return 0, err
	}
	if opt.Progress != nil {
		opt.Progress(n)
	}
	return n, nil
}

// checkImportRefs makes sure every reference made by the imported records
// (rid >= firstRid) names a record that exists and that the importer may
// know of.
func (s *Store) checkImportRefs(ctx context.Context, tx *sql.Tx, p rabta.Principal, firstRid int64) error {
	var from, prop, ref string
	err := tx.QueryRowContext(ctx, s.q(`SELECT r.id, f.prop, f.ref_id FROM record_refs f JOIN records r ON r.rid = f.rid
		WHERE f.rid >= ? AND NOT EXISTS (SELECT 1 FROM records t WHERE t.id = f.ref_id) LIMIT 1`), firstRid).Scan(&from, &prop, &ref)
	if err == nil {
		return rabta.Errorf(rabta.EInvalid, "record %s: properties.%s: no record %q", from, prop, ref)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	rows, err := tx.QueryContext(ctx, s.q(`SELECT DISTINCT r.id, f.prop, `+prefixCols("t.", metaCols)+` FROM record_refs f
		JOIN records r ON r.rid = f.rid JOIN records t ON t.id = f.ref_id WHERE f.rid >= ? AND t.rid < ?`), firstRid, firstRid)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m meta
		if err := rows.Scan(&from, &prop, &m.rid, &m.id, &m.schema, &m.agency, &m.caption, &m.release, &m.relAgencies, &m.classification, &m.categories); err != nil {
			return err
		}
		if rabta.Decide(p, m.agency, m.marking()) == rabta.AccessNone {
			return rabta.Errorf(rabta.EInvalid, "record %s: properties.%s: no record %q", from, prop, m.id)
		}
	}
	return rows.Err()
}

// Export calls fn for every record the principal may see in full, in the
// order they were stored, and logs the export: one event per 1,000 records
// naming them. Records the principal sees only as pointers are not
// exported. It returns the number exported.
func (s *Store) Export(ctx context.Context, p rabta.Principal, fn func(*rabta.Record) error) (int, error) {
	n := 0
	var ids []string
	flush := func() error {
		if len(ids) == 0 {
			return nil
		}
		e := event(ctx, p, rabta.ActExport, ids...)
		e.Count = len(ids)
		ids = ids[:0]
		return s.Audit(ctx, e)
	}
	var after int64
	for {
		page, last, err := s.fullPage(ctx, p, after, 1000)
		if err != nil {
			return n, err
		}
		if last == after {
			break
		}
		after = last
		// Log before handing the records out: nothing leaves unlogged.
		for _, r := range page {
			ids = append(ids, r.ID)
		}
		if err := flush(); err != nil {
			return n, err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// fullPage returns the records after rid `after` that the principal sees in
// full (up to limit rows examined), and the last rid examined.
func (s *Store) fullPage(ctx context.Context, p rabta.Principal, after int64, limit int) ([]*rabta.Record, int64, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+metaCols+" FROM records WHERE rid > ? ORDER BY rid LIMIT ?"), after, limit)
	if err != nil {
		return nil, after, err
	}
	var metas []*meta
	for rows.Next() {
		m, err := scanMeta(rows)
		if err != nil {
			rows.Close()
			return nil, after, err
		}
		metas = append(metas, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, after, err
	}
	last := after
	var out []*rabta.Record
	for _, m := range metas {
		last = m.rid
		a, err := s.decide(ctx, p, m)
		if err != nil {
			return nil, after, err
		}
		if a != rabta.AccessFull {
			continue
		}
		r, err := s.readFull(ctx, m)
		if err != nil {
			return nil, after, err
		}
		out = append(out, r)
	}
	if err := s.hideRefs(ctx, p, out); err != nil {
		return nil, after, err
	}
	return out, last, nil
}

// Counts are the numbers of records a principal may know of, by access.
type Counts struct {
	Full    int `json:"full"`
	Pointer int `json:"pointer"`
}

// Count counts the records of a schema (all if "") that the principal may
// know of. Records with access none are not counted: counts must not
// reveal them either. The count is logged.
func (s *Store) Count(ctx context.Context, p rabta.Principal, schemaName string) (Counts, error) {
	var c Counts
	query, args := "SELECT "+metaCols+" FROM records", []any{}
	if schemaName != "" {
		query, args = query+" WHERE schema = ?", append(args, schemaName)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return c, err
	}
	var metas []*meta
	for rows.Next() {
		m, err := scanMeta(rows)
		if err != nil {
			rows.Close()
			return c, err
		}
		metas = append(metas, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, err
	}
	for _, m := range metas {
		a, err := s.decide(ctx, p, m)
		if err != nil {
			return c, err
		}
		switch a {
		case rabta.AccessFull:
			c.Full++
		case rabta.AccessPointer:
			c.Pointer++
		}
	}
	e := event(ctx, p, "record.count")
	e.Query = "schema=" + schemaName
	e.Count = c.Full + c.Pointer
	return c, s.Audit(ctx, e)
}

// ListQuery selects records for browsing, newest first.
type ListQuery struct {
	Schema string
	Agency string // holding agency
	Before string // id: only records stored before this one (paging)
	Limit  int
}

// List returns records the principal may know of, newest first, as hits
// (caption for full access, contact for pointers). The listing is logged.
func (s *Store) List(ctx context.Context, p rabta.Principal, lq ListQuery) ([]SearchHit, error) {
	if lq.Limit <= 0 || lq.Limit > 200 {
		lq.Limit = 50
	}
	var where []string
	var args []any
	if lq.Schema != "" {
		where, args = append(where, "schema = ?"), append(args, lq.Schema)
	}
	if lq.Agency != "" {
		where, args = append(where, "agency = ?"), append(args, lq.Agency)
	}
	if lq.Before != "" {
		where, args = append(where, "rid < (SELECT rid FROM records WHERE id = ?)"), append(args, lq.Before)
	}
	query := "SELECT rid FROM records"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	// Examine more rows than asked for, as some will be dropped by the
	// access decision; a page may then be short, never wrong.
	query += fmt.Sprintf(" ORDER BY rid DESC LIMIT %d", lq.Limit*4)
	rids, err := s.ridsOf(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	hits, err := s.decideHits(ctx, p, rids, "")
	if err != nil {
		return nil, err
	}
	if len(hits) > lq.Limit {
		hits = hits[:lq.Limit]
	}
	e := event(ctx, p, rabta.ActRecordList)
	e.Query = fmt.Sprintf("schema=%s agency=%s", lq.Schema, lq.Agency)
	for _, h := range hits {
		e.Objects = append(e.Objects, h.ID)
	}
	e.Count = len(hits)
	return hits, s.Audit(ctx, e)
}
