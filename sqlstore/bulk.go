package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/schema"
	"github.com/rabta/rabta/selector"
)

// ImportOptions control a bulk import.
type ImportOptions struct {
	// Where, if set, is called right after each record is read and returns
	// where it came from ("people.jsonl:17"); errors about the record start
	// with it.
	Where func() string
	// Progress, if set, is called with the number of records written so far.
	Progress func(n int)
	// SkipExisting skips records whose id the agency already holds, or
	// that came earlier in the same import, instead of failing: for
	// sources that overlap, such as successive call-record exports.
	SkipExisting bool
}

// importBatch is the unit of the import pipeline: records read in order,
// then normalised in parallel.
const importBatch = 4096

type importItem struct {
	r       *rabta.Record
	where   string
	row     *rowOf
	sels    []selector.Selector
	err     error
	readErr bool // err came from reading: it already says where
}

// Import writes every record next returns (until io.EOF) for the
// principal's agency, in one transaction: a file is imported whole or not
// at all, so a crash or a bad line halfway leaves nothing behind. Records
// keep their ids; references may point to records earlier or later in the
// same import or already stored. The import is logged as one audit event
// per 1,000 records, naming them.
//
// Reading and normalising run ahead of writing, normalisation on every
// core; rows are written with multi-row INSERTs on SQLite and COPY on
// PostgreSQL, and the SQLite full-text index is built in one pass at the end.
func (s *Store) Import(ctx context.Context, p rabta.Principal, next func() (*rabta.Record, error), opt ImportOptions) (int, error) {
	if !p.CanWriteRecords() {
		return 0, rabta.Errorf(rabta.EForbidden, "your roles do not allow recording intelligence")
	}
	k, err := s.keyer(ctx)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan []importItem, 1)
	go func() {
		defer close(batches)
		s.readBatches(ctx, p, k, next, opt.Where, batches)
	}()
	// On every way out, stop the reader and wait for it, so that it never
	// calls next after Import has returned.
	defer func() {
		cancel()
		for range batches {
		}
	}()

	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var agencies int
	if err := conn.QueryRowContext(ctx, s.q("SELECT count(*) FROM agencies WHERE code = ?"), p.Agency).Scan(&agencies); err != nil {
		return 0, err
	}
	if agencies == 0 {
		return 0, rabta.Errorf(rabta.EInvalid, "agency: no agency %q", p.Agency)
	}
	if s.dialect == SQLite {
		// The hit/no-hit index is keyed by hashes, so an import writes
		// all over its B-tree: a larger page cache for this connection
		// keeps those pages in memory instead of re-reading them.
		// Foreign keys are off for the import: every row it writes hangs
		// off a record written in the same batch, and the agency was
		// checked above, so the per-row checks would prove nothing — and
		// they would force SQLite to journal every statement.
		for _, pragma := range []string{"PRAGMA cache_size = -262144", "PRAGMA foreign_keys = OFF"} {
			if _, err := conn.ExecContext(ctx, pragma); err != nil {
				return 0, err
			}
		}
		defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
		defer conn.ExecContext(context.Background(), "PRAGMA cache_size = -32768")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := s.writeImport(ctx, conn, tx, p, batches, opt)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	if opt.Progress != nil {
		opt.Progress(n)
	}
	return n, nil
}

// readBatches reads records in order and normalises each batch in parallel.
// A read error travels as the last item of the last batch, after the
// records read before it, so errors are reported in the file's order.
func (s *Store) readBatches(ctx context.Context, p rabta.Principal, k *selector.Keyer, next func() (*rabta.Record, error), where func() string, out chan<- []importItem) {
	now := s.now().UTC().Truncate(time.Microsecond)
	for done := false; !done; {
		batch := make([]importItem, 0, importBatch)
		for len(batch) < importBatch {
			if ctx.Err() != nil {
				return
			}
			r, err := next()
			if errors.Is(err, io.EOF) {
				done = true
				break
			}
			if err != nil {
				batch = append(batch, importItem{err: err, readErr: true})
				done = true
				break
			}
			it := importItem{r: r}
			if where != nil {
				it.where = where()
			}
			if r.ID == "" {
				id, err := uuid.NewV7()
				if err != nil {
					batch = append(batch, importItem{err: err, readErr: true})
					done = true
					break
				}
				r.ID = id.String()
			}
			r.Agency = p.Agency
			if r.Provenance.Author == "" {
				r.Provenance.Author = p.Username
			}
			r.Version = 1
			r.CreatedAt, r.UpdatedAt = now, now
			batch = append(batch, it)
		}
		if len(batch) == 0 {
			return
		}
		workers := runtime.GOMAXPROCS(0)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				for i := w; i < len(batch); i += workers {
					if batch[i].r != nil {
						batch[i].row, batch[i].err = prepare(batch[i].r)
						if batch[i].err == nil {
							batch[i].sels = k.Record(batch[i].r)
						}
					}
				}
			}(w)
		}
		wg.Wait()
		select {
		case out <- batch:
		case <-ctx.Done():
			return
		}
	}
}

// locate prefixes an error about one record with where it came from.
func locate(it *importItem, err error) error {
	if it.where == "" || it.readErr {
		return err
	}
	return &rabta.Error{Code: rabta.ErrorCode(err), Message: it.where + ": " + rabta.ErrorMessage(err)}
}

func (s *Store) writeImport(ctx context.Context, conn *sql.Conn, tx *sql.Tx, p rabta.Principal, batches <-chan []importItem, opt ImportOptions) (int, error) {
	// scope selects this import's rows in record_refs (alias f). SQLite has
	// one writer, so they are the rids from firstRid on; on PostgreSQL
	// other sessions draw from the same sequence meanwhile, so the rids
	// are kept in a temporary table.
	var firstRid, nextRid int64
	scope, before := "f.rid >= ?", "t.rid < ?"
	if s.dialect == SQLite {
		if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(rid), 0) FROM records").Scan(&nextRid); err != nil {
			return 0, err
		}
		firstRid = nextRid + 1
	} else {
		if _, err := tx.ExecContext(ctx, "CREATE TEMPORARY TABLE import_rids (rid BIGINT PRIMARY KEY) ON COMMIT DROP"); err != nil {
			return 0, err
		}
		scope, before = "f.rid IN (SELECT rid FROM import_rids)", "t.rid NOT IN (SELECT rid FROM import_rids)"
	}
	seen := map[string]bool{}
	agencies := map[string]bool{}
	var ids []string
	var pending []selectorRow
	n := 0
	for batch := range batches {
		if opt.SkipExisting {
			var err error
			if batch, err = s.dropExisting(ctx, tx, p, batch, seen); err != nil {
				return 0, err
			}
			if len(batch) == 0 {
				continue
			}
		}
		for i := range batch {
			it := &batch[i]
			if it.err != nil {
				return 0, locate(it, it.err)
			}
			if seen[it.r.ID] {
				return 0, locate(it, rabta.Errorf(rabta.EConflict, "id: %q appears twice in this import", it.r.ID))
			}
			seen[it.r.ID] = true
			if err := s.checkReleasedTo(ctx, tx, it.r.Marking.Agencies, agencies); err != nil {
				return 0, locate(it, err)
			}
		}
		rids := make([]int64, len(batch))
		if s.dialect == Postgres {
			got, err := s.ridsOf(ctx, tx, "SELECT nextval('records_rid_seq') FROM generate_series(1, $1)", len(batch))
			if err != nil {
				return 0, err
			}
			copy(rids, got)
			// A savepoint lets a duplicate id be named after COPY fails.
			if _, err := tx.ExecContext(ctx, "SAVEPOINT import_batch"); err != nil {
				return 0, err
			}
			if err := s.copyBatch(ctx, conn, batch, rids); err != nil {
				if isUniqueViolation(err) {
					if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_batch"); rerr == nil {
						if derr := s.checkNewIDs(ctx, tx, batch); derr != nil {
							return 0, derr
						}
					}
				}
				return 0, err
			}
			if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT import_batch"); err != nil {
				return 0, err
			}
		} else {
			for i := range rids {
				nextRid++
				rids[i] = nextRid
			}
			if err := s.insertBatch(ctx, tx, batch, rids); err != nil {
				// OR ROLLBACK has ended the transaction: look at what is
				// committed.
				if isUniqueViolation(err) {
					if derr := s.checkNewIDs(ctx, s.db, batch); derr != nil {
						return 0, derr
					}
				}
				return 0, err
			}
		}
		for i := range batch {
			ids = append(ids, batch[i].r.ID)
			for _, sel := range batch[i].sels {
				pending = append(pending, selectorRow{sel.Hash, rids[i], sel.Kind})
			}
		}
		if len(pending) >= selectorRun {
			if err := s.writeSelectors(ctx, conn, tx, pending); err != nil {
				return 0, err
			}
			pending = pending[:0]
		}
		n += len(batch)
		if opt.Progress != nil {
			opt.Progress(n)
		}
	}
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	if n == 0 {
		return 0, nil
	}
	if err := s.writeSelectors(ctx, conn, tx, pending); err != nil {
		return 0, err
	}
	if s.dialect == SQLite {
		for _, t := range []string{"records_fts", "records_words"} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+t+"(rowid, search) SELECT rid, search FROM records WHERE rid >= ?", firstRid); err != nil {
				return 0, err
			}
		}
	}
	var scopeArgs []any
	if s.dialect == SQLite {
		scopeArgs = []any{firstRid}
	}
	if err := s.checkImportRefs(ctx, tx, p, scope, before, scopeArgs); err != nil {
		return 0, err
	}
	if err := s.importHits(ctx, tx, p, strings.ReplaceAll(scope, "f.rid", "n.rid"), scopeArgs); err != nil {
		return 0, err
	}
	// The audit events go last, just before the commit: appending takes the
	// chain's head lock, which every other request of every instance needs.
	for len(ids) > 0 {
		k := min(len(ids), 1000)
		e := event(ctx, p, rabta.ActImport, ids[:k]...)
		e.Count = k
		if err := s.appendAudit(ctx, tx, e); err != nil {
			return 0, err
		}
		ids = ids[k:]
	}
	return n, nil
}

// selectorRow is one hit/no-hit index entry of an import, waiting to be
// written.
type selectorRow struct {
	hash [selector.HashSize]byte
	rid  int64
	kind string
}

// selectorRun is how many index entries an import gathers before writing
// them. The index is keyed by hash, so entries written as records arrive
// land all over its B-tree; gathered and sorted, long runs of them fall on
// neighbouring pages (on a fresh index, at its end). A million entries hold
// about 50 MB.
const selectorRun = 1 << 20

// writeSelectors writes index entries in key order, within the import's
// transaction.
func (s *Store) writeSelectors(ctx context.Context, conn *sql.Conn, tx *sql.Tx, rows []selectorRow) error {
	if len(rows) == 0 {
		return nil
	}
	slices.SortFunc(rows, func(a, b selectorRow) int {
		if c := bytes.Compare(a.hash[:], b.hash[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.rid, b.rid)
	})
	cols := []string{"hash", "rid", "kind"}
	if s.dialect == Postgres {
		return conn.Raw(func(dc any) error {
			src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
				return []any{rows[i].hash[:], rows[i].rid, rows[i].kind}, nil
			})
			if _, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"selectors"}, cols, src); err != nil {
				return fmt.Errorf("copy into selectors: %w", err)
			}
			return nil
		})
	}
	const chunk = 1 << 14
	args := make([][]any, 0, chunk)
	for start := 0; start < len(rows); start += chunk {
		args = args[:0]
		for i := start; i < min(len(rows), start+chunk); i++ {
			args = append(args, []any{rows[i].hash[:], rows[i].rid, rows[i].kind})
		}
		if err := multiInsert(ctx, tx, "INSERT OR ROLLBACK INTO selectors", cols, args); err != nil {
			return err
		}
	}
	return nil
}

// dropExisting removes from a batch the records the agency already holds
// and those seen earlier in the import. An id held by another agency stays
// and fails the import as a duplicate would.
func (s *Store) dropExisting(ctx context.Context, tx *sql.Tx, p rabta.Principal, batch []importItem, seen map[string]bool) ([]importItem, error) {
	held := map[string]bool{}
	for start := 0; start < len(batch); start += 500 {
		var args []any
		for _, it := range batch[start:min(len(batch), start+500)] {
			if it.r != nil {
				args = append(args, it.r.ID)
			}
		}
		if len(args) == 0 {
			continue
		}
		rows, err := tx.QueryContext(ctx, s.q("SELECT id FROM records WHERE agency = ? AND id IN ("+placeholders(len(args))+")"), append([]any{p.Agency}, args...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			held[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := batch[:0]
	inBatch := map[string]bool{}
	for _, it := range batch {
		if it.r != nil && it.err == nil {
			if held[it.r.ID] || seen[it.r.ID] || inBatch[it.r.ID] {
				continue
			}
			inBatch[it.r.ID] = true
		}
		out = append(out, it)
	}
	return out, nil
}

// checkNewIDs finds the first id of a batch that is already stored and
// names it. It runs only after an insert failed on the unique index: as a
// check before every batch it would cost a query per batch.
func (s *Store) checkNewIDs(ctx context.Context, tx interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, batch []importItem) error {
	for start := 0; start < len(batch); start += 500 {
		chunk := batch[start:min(len(batch), start+500)]
		args := make([]any, len(chunk))
		for i := range chunk {
			args[i] = chunk[i].r.ID
		}
		rows, err := tx.QueryContext(ctx, s.q("SELECT id FROM records WHERE id IN ("+placeholders(len(chunk))+")"), args...)
		if err != nil {
			return err
		}
		stored := map[string]bool{}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			stored[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range chunk { // the first in the file's order
			if stored[chunk[i].r.ID] {
				return locate(&chunk[i], rabta.Errorf(rabta.EConflict, "id: record %q already exists", chunk[i].r.ID))
			}
		}
	}
	return nil
}

var recordColumns = []string{"rid", "id", "schema", "agency", "caption", "properties", "release", "rel_agencies", "handling", "conditions",
	"classification", "categories", "informant", "grading", "source_report", "source_date", "author", "subject", "basis", "review_date",
	"version", "created_at", "updated_at", "search"}

// insertBatch writes a batch with multi-row INSERTs (SQLite).
func (s *Store) insertBatch(ctx context.Context, tx *sql.Tx, batch []importItem, rids []int64) error {
	var recs, idents, refs [][]any
	for i := range batch {
		row := batch[i].row
		recs = append(recs, append([]any{rids[i]}, row.args()...))
		for _, id := range row.idents {
			idents = append(idents, []any{rids[i], string(id.Kind), id.Value})
		}
		for _, ref := range row.refs {
			refs = append(refs, []any{rids[i], ref[0], ref[1]})
		}
	}
	// OR ROLLBACK (a duplicate fails the whole import anyway) and OR
	// IGNORE (a reference listed twice) spare SQLite a statement journal
	// for every multi-row INSERT.
	if err := multiInsert(ctx, tx, "INSERT OR ROLLBACK INTO records", recordColumns, recs); err != nil {
		return err
	}
	if err := multiInsert(ctx, tx, "INSERT OR ROLLBACK INTO record_identifiers", []string{"rid", "kind", "value"}, idents); err != nil {
		return err
	}
	return multiInsert(ctx, tx, "INSERT OR IGNORE INTO record_refs", []string{"rid", "prop", "ref_id"}, refs)
}

// multiInsert inserts rows with as many rows per statement as SQLite's
// variable limit allows, reusing one prepared statement for full chunks.
func multiInsert(ctx context.Context, tx *sql.Tx, insert string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, 30000/len(cols))
	per = min(per, 500)
	stmtFor := func(k int) string {
		one := "(" + placeholders(len(cols)) + ")"
		return insert + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", k), ",")
	}
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, per*len(cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(len(rows), start+per)]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		var err error
		if len(chunk) == per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, stmtFor(per)); err != nil {
					return err
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, stmtFor(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", insert, err)
		}
	}
	return nil
}

func ridRows(rids []int64) [][]any {
	out := make([][]any, len(rids))
	for i, r := range rids {
		out[i] = []any{r}
	}
	return out
}

// copyBatch writes a batch with COPY (PostgreSQL), on the connection that
// holds the import's transaction, so the rows commit or vanish with it.
func (s *Store) copyBatch(ctx context.Context, conn *sql.Conn, batch []importItem, rids []int64) error {
	var recs, idents, refs [][]any
	seenRef := map[string]bool{}
	for i := range batch {
		row := batch[i].row
		recs = append(recs, append([]any{rids[i]}, row.args()...))
		for _, id := range row.idents {
			idents = append(idents, []any{rids[i], string(id.Kind), id.Value})
		}
		for _, ref := range row.refs {
			key := fmt.Sprint(rids[i], ref[0], ref[1])
			if !seenRef[key] {
				seenRef[key] = true
				refs = append(refs, []any{rids[i], ref[0], ref[1]})
			}
		}
	}
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"records", recordColumns, recs},
			{"record_identifiers", []string{"rid", "kind", "value"}, idents},
			{"record_refs", []string{"rid", "prop", "ref_id"}, refs},
			{"import_rids", []string{"rid"}, ridRows(rids)},
		} {
			if len(t.rows) == 0 {
				continue
			}
			if _, err := pc.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy into %s: %w", t.table, err)
			}
		}
		return nil
	})
}

// checkImportRefs makes sure every reference made by the imported records
// (scope, over record_refs f) names a record that exists, that the importer may know
// of, and whose schema the property's range admits.
func (s *Store) checkImportRefs(ctx context.Context, tx *sql.Tx, p rabta.Principal, scope, before string, scopeArgs []any) error {
	var from, prop, ref string
	err := tx.QueryRowContext(ctx, s.q(`SELECT r.id, f.prop, f.ref_id FROM record_refs f JOIN records r ON r.rid = f.rid
		WHERE `+scope+` AND NOT EXISTS (SELECT 1 FROM records t WHERE t.id = f.ref_id) LIMIT 1`), scopeArgs...).Scan(&from, &prop, &ref)
	if err == nil {
		return rabta.Errorf(rabta.EInvalid, "record %s: properties.%s: no record %q", from, prop, ref)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	// Every distinct (schema, property, target schema) once, for the ranges;
	// then the targets stored before this import, for the access decision.
	rows, err := tx.QueryContext(ctx, s.q(`SELECT r.schema, f.prop, t.schema, min(r.id) FROM record_refs f
		JOIN records r ON r.rid = f.rid JOIN records t ON t.id = f.ref_id WHERE `+scope+` GROUP BY r.schema, f.prop, t.schema`), scopeArgs...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var fromSchema, toSchema string
		if err := rows.Scan(&fromSchema, &prop, &toSchema, &from); err != nil {
			rows.Close()
			return err
		}
		if err := checkRange(fromSchema, prop, toSchema); err != nil {
			rows.Close()
			return rabta.Errorf(rabta.EInvalid, "record %s: %s", from, rabta.ErrorMessage(err))
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, s.q(`SELECT DISTINCT r.id, f.prop, `+prefixCols("t.", metaCols)+` FROM record_refs f
		JOIN records r ON r.rid = f.rid JOIN records t ON t.id = f.ref_id WHERE `+scope+` AND `+before+``), append(append([]any{}, scopeArgs...), scopeArgs...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m meta
		if err := rows.Scan(&from, &prop, &m.rid, &m.id, &m.schema, &m.agency, &m.caption, &m.release, &m.relAgencies, &m.classification, &m.categories, &m.shares); err != nil {
			return err
		}
		if m.decide(p, s.now()) == rabta.AccessNone {
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
	if n == 0 {
		// An export that found nothing is still an export to account for.
		return 0, s.Audit(ctx, event(ctx, p, rabta.ActExport))
	}
	return n, nil
}

// fullPage returns the records after rid `after` that the principal sees in
// full (up to limit rows examined), and the last rid examined.
func (s *Store) fullPage(ctx context.Context, p rabta.Principal, after int64, limit int) ([]*rabta.Record, int64, error) {
	metas, err := s.metas(ctx, "WHERE rid > ? ORDER BY rid LIMIT ?", after, limit)
	if err != nil {
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
// know of. Records with access none are not counted: counts must not reveal
// them either. Records are grouped by what the access decision reads
// (holding agency and marking), so the decision runs once per group, not
// once per record; links, whose access depends on their ends, are decided
// one by one. The count is logged.
func (s *Store) Count(ctx context.Context, p rabta.Principal, schemaName string) (Counts, error) {
	var c Counts
	query, args := "SELECT agency, release, rel_agencies, classification, categories, shares, schema, count(*) FROM records", []any{}
	if schemaName != "" {
		query, args = query+" WHERE schema = ?", append(args, schemaName)
	}
	query += " GROUP BY agency, release, rel_agencies, classification, categories, shares, schema"
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return c, err
	}
	type group struct {
		m meta
		n int
	}
	var groups []group
	for rows.Next() {
		var g group
		if err := rows.Scan(&g.m.agency, &g.m.release, &g.m.relAgencies, &g.m.classification, &g.m.categories, &g.m.shares, &g.m.schema, &g.n); err != nil {
			rows.Close()
			return c, err
		}
		groups = append(groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return c, err
	}
	add := func(a rabta.Access, n int) {
		switch a {
		case rabta.AccessFull:
			c.Full += n
		case rabta.AccessPointer:
			c.Pointer += n
		}
	}
	for _, g := range groups {
		a := g.m.decide(p, s.now())
		if sc, ok := schema.Get(g.m.schema); !ok || !sc.IsEdge() || a == rabta.AccessNone {
			add(a, g.n)
			continue
		}
		metas, err := s.metas(ctx, "WHERE agency = ? AND release = ? AND rel_agencies = ? AND classification = ? AND categories = ? AND shares = ? AND schema = ?",
			g.m.agency, g.m.release, g.m.relAgencies, g.m.classification, g.m.categories, g.m.shares, g.m.schema)
		if err != nil {
			return c, err
		}
		for _, m := range metas {
			a, err := s.decide(ctx, p, m)
			if err != nil {
				return c, err
			}
			add(a, 1)
		}
	}
	e := event(ctx, p, rabta.ActRecordCount)
	e.Query = "schema=" + schemaName
	e.Count = c.Full + c.Pointer
	return c, s.Audit(ctx, e)
}

// metas loads the metas of the records matching a WHERE clause.
func (s *Store) metas(ctx context.Context, where string, args ...any) ([]*meta, error) {
	return s.metasIn(ctx, s.db, where, args...)
}

// metasIn is metas inside a transaction (or on any other queryer).
func (s *Store) metasIn(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, where string, args ...any) ([]*meta, error) {
	rows, err := q.QueryContext(ctx, s.q("SELECT "+metaCols+" FROM records "+where), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*meta
	for rows.Next() {
		m, err := scanMeta(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
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
		// The page starts after a record the principal must be able to
		// know of: paging from a hidden id answers like paging from a
		// missing one.
		ms, err := s.metas(ctx, "WHERE id = ?", lq.Before)
		if err != nil {
			return nil, err
		}
		before := int64(0)
		if len(ms) == 1 {
			a, err := s.decide(ctx, p, ms[0])
			if err != nil {
				return nil, err
			}
			if a != rabta.AccessNone {
				before = ms[0].rid
			}
		}
		where, args = append(where, "rid < ?"), append(args, before)
	}
	// Fetch in rounds until the page is full or the table ends: some rows
	// are dropped by the access decision, so one round may not fill it.
	hidden, hiddenArgs := hiddenFilter(p)
	where = append(where, hidden)
	args = append(args, hiddenArgs...)
	var hits []SearchHit
	cursor := int64(-1)
	for len(hits) < lq.Limit {
		w, a := where, args
		if cursor >= 0 {
			w, a = append(append([]string{}, where...), "rid < ?"), append(append([]any{}, args...), cursor)
		}
		query := "SELECT rid FROM records r WHERE " + strings.Join(w, " AND ") + fmt.Sprintf(" ORDER BY rid DESC LIMIT %d", lq.Limit*2)
		rids, err := s.ridsOf(ctx, s.db, s.q(query), a...)
		if err != nil {
			return nil, err
		}
		if len(rids) == 0 {
			break
		}
		cursor = rids[len(rids)-1]
		got, err := s.decideHits(ctx, p, rids, "")
		if err != nil {
			return nil, err
		}
		hits = append(hits, got...)
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
