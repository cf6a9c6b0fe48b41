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
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/schema"
)

// PointerError is returned when the principal may know that a record exists
// but not what it says. It carries the pointer: the holding agency and whom
// to contact.
type PointerError struct{ Pointer rabta.Pointer }

func (e *PointerError) Error() string {
	return fmt.Sprintf("record held by %s: contact them for access", e.Pointer.Agency)
}

// meta is what the access decision needs of a record, plus what a pointer
// shows. It is loaded before anything else so no property is read for a
// record the principal may not see.
type meta struct {
	rid            int64
	id             string
	schema         string
	agency         string
	caption        string
	release        string
	relAgencies    string
	classification string
	categories     string
	shares         string // grants and case attachments: see encodeShare
}

const metaCols = "rid, id, schema, agency, caption, release, rel_agencies, classification, categories, shares"

func scanMeta(r scanner) (*meta, error) {
	var m meta
	err := r.Scan(&m.rid, &m.id, &m.schema, &m.agency, &m.caption, &m.release, &m.relAgencies, &m.classification, &m.categories, &m.shares)
	return &m, err
}

func (m *meta) marking() rabta.Marking {
	mk := rabta.Marking{Release: rabta.Release(m.release), Classification: rabta.Classification(m.classification)}
	mk.Agencies = splitList(m.relAgencies)
	for _, c := range splitList(m.categories) {
		mk.Categories = append(mk.Categories, rabta.Category(c))
	}
	return mk
}

// decide is rabta.Decide for this row at time now, with its live shares.
func (m *meta) decide(p rabta.Principal, now time.Time) rabta.Access {
	if m.shares == "" {
		return rabta.Decide(p, m.agency, m.marking())
	}
	var live []rabta.Share
	for _, e := range splitList(m.shares) {
		if sh, ok := decodeShare(e); ok && sh.Live(now) {
			live = append(live, sh)
		}
	}
	return rabta.Decide(p, m.agency, m.marking(), live...)
}

// via names the live share that makes the row full for p when its
// marking alone would not: "case:<id>" or "grant:<agency>"; "" otherwise.
func (m *meta) via(p rabta.Principal, now time.Time) string {
	if m.shares == "" || rabta.Decide(p, m.agency, m.marking()) == rabta.AccessFull {
		return ""
	}
	for _, e := range splitList(m.shares) {
		sh, ok := decodeShare(e)
		if !ok || !sh.Live(now) || rabta.Decide(p, m.agency, m.marking(), sh) != rabta.AccessFull {
			continue
		}
		if sh.Case != "" {
			return "case:" + sh.Case
		}
		return "grant:" + sh.Agency
	}
	return ""
}

// encodeShare writes a share as one list entry, "AGENCY/CASE/UNTIL" (case
// id or empty, until in microseconds or 0). records.shares is a copy, kept in the same
// transaction as the grants and case_records rows it is derived from (see
// refreshShares), so that every path deciding on a row has its shares
// without a join.
func encodeShare(sh rabta.Share) string {
	var until int64
	if !sh.Until.IsZero() {
		until = micros(sh.Until)
	}
	return fmt.Sprintf("%s/%s/%d", sh.Agency, sh.Case, until)
}

func decodeShare(e string) (rabta.Share, bool) {
	parts := strings.Split(e, "/")
	if len(parts) != 3 {
		return rabta.Share{}, false
	}
	u, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return rabta.Share{}, false
	}
	sh := rabta.Share{Agency: parts[0], Case: parts[1]}
	if u != 0 {
		sh.Until = fromMicros(u)
	}
	return sh, true
}

// joinList stores a list as ",a,b,": one text column for both databases,
// in which a member can be found without splitting.
func joinList[T ~string](xs []T) string {
	if len(xs) == 0 {
		return ""
	}
	ss := make([]string, len(xs))
	for i, x := range xs {
		ss[i] = string(x)
	}
	return "," + strings.Join(ss, ",") + ","
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// decide applies rabta.Decide to a row, and for links narrows it by the
// access to both ends (rabta.DecideLink), ends that are links themselves
// included.
func (s *Store) decide(ctx context.Context, p rabta.Principal, m *meta) (rabta.Access, error) {
	return s.decideDepth(ctx, p, m, 0)
}

func (s *Store) decideDepth(ctx context.Context, p rabta.Principal, m *meta, depth int) (rabta.Access, error) {
	a := m.decide(p, s.now())
	if a == rabta.AccessNone {
		return a, nil
	}
	sc, ok := schema.Get(m.schema)
	if !ok || !sc.IsEdge() {
		return a, nil
	}
	if depth > 4 {
		return rabta.AccessNone, nil // a chain of links this deep is not data anyone entered on purpose
	}
	ends, err := s.refMetas(ctx, []int64{m.rid}, sc.Edge.Source, sc.Edge.Target)
	if err != nil {
		return "", err
	}
	return s.decideEnds(ctx, p, a, ends[m.rid], depth)
}

// decideEnds narrows a link's own access a by its ends (the records its
// source and target properties name), for callers that loaded the ends in
// bulk; depth is the link's depth in a chain of links.
func (s *Store) decideEnds(ctx context.Context, p rabta.Principal, a rabta.Access, ends []*meta, depth int) (rabta.Access, error) {
	if len(ends) < 2 {
		return rabta.AccessNone, nil // an end is missing: show nothing rather than a dangling link
	}
	for _, e := range ends {
		ea, err := s.decideDepth(ctx, p, e, depth+1)
		if err != nil {
			return "", err
		}
		a = rabta.DecideLink(a, ea)
	}
	return a, nil
}

// refMetas returns, for each of the given records, the metas of the records
// its properties props refer to (all entity properties if props is empty).
func (s *Store) refMetas(ctx context.Context, rids []int64, props ...string) (map[int64][]*meta, error) {
	out := map[int64][]*meta{}
	if len(rids) == 0 {
		return out, nil
	}
	args := make([]any, 0, len(rids)+len(props))
	for _, r := range rids {
		args = append(args, r)
	}
	query := "SELECT f.rid, " + prefixCols("r.", metaCols) + " FROM record_refs f JOIN records r ON r.id = f.ref_id WHERE f.rid IN (" + placeholders(len(rids)) + ")"
	if len(props) > 0 {
		query += " AND f.prop IN (" + placeholders(len(props)) + ")"
		for _, p := range props {
			args = append(args, p)
		}
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var from int64
		var m meta
		if err := rows.Scan(&from, &m.rid, &m.id, &m.schema, &m.agency, &m.caption, &m.release, &m.relAgencies, &m.classification, &m.categories, &m.shares); err != nil {
			return nil, err
		}
		out[from] = append(out[from], &m)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// rowOf is a record ready to be stored, with the derived columns.
type rowOf struct {
	r       *rabta.Record
	props   string
	grading string
	search  string
	idents  []ident.Identifier
	refs    [][2]string // prop, id
}

// prepare normalises r and derives what is stored beside it.
func prepare(r *rabta.Record) (*rowOf, error) {
	if err := r.Normalize(); err != nil {
		return nil, err
	}
	sc, _ := schema.Get(r.Schema)
	props, _ := json.Marshal(r.Properties)
	grading, _ := json.Marshal(r.Grading)
	row := &rowOf{r: r, props: string(props), grading: string(grading), idents: r.Identifiers()}
	for _, name := range sortedKeys(r.Properties) {
		if p, ok := sc.Property(name); ok && p.Type == schema.TypeEntity {
			for _, v := range r.Properties[name] {
				row.refs = append(row.refs, [2]string{name, v})
			}
		}
	}
	texts := sc.SearchText(r.Properties)
	for _, id := range row.idents {
		texts = append(texts, id.Value)
	}
	row.search = searchText(texts)
	return row, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// checkRefs makes sure every entity reference of a record of schema sc
// names a record the principal may at least know of, of the schema the
// property's range asks for. A reference to a record the principal cannot
// see is refused exactly like one to a record that does not exist.
func (s *Store) checkRefs(ctx context.Context, q queryer, p rabta.Principal, sc string, refs [][2]string) error {
	for _, ref := range refs {
		m, err := scanMeta(q.QueryRowContext(ctx, s.q("SELECT "+metaCols+" FROM records WHERE id = ?"), ref[1]))
		if errors.Is(err, sql.ErrNoRows) || err == nil && m.decide(p, s.now()) == rabta.AccessNone {
			return rabta.Errorf(rabta.EInvalid, "properties.%s: no record %q", ref[0], ref[1])
		}
		if err != nil {
			return err
		}
		if err := checkRange(sc, ref[0], m.schema); err != nil {
			return err
		}
	}
	return nil
}

// checkRange refuses a reference from property prop of schema from to a
// record of schema to that the property's range does not admit (a Family
// link between a person and a bank account).
func checkRange(from, prop, to string) error {
	fs, ok1 := schema.Get(from)
	ts, ok2 := schema.Get(to)
	if !ok1 || !ok2 {
		return nil
	}
	pr, ok := fs.Property(prop)
	if !ok || pr.Range == "" || ts.IsA(pr.Range) {
		return nil
	}
	return rabta.Errorf(rabta.EInvalid, "properties.%s: must refer to a %s, not a %s", prop, pr.Range, to)
}

// checkReleasedTo refuses a marking that releases a record to an agency
// that does not exist: a typo would otherwise silently share nothing, or
// share with whoever registers that code later.
func (s *Store) checkReleasedTo(ctx context.Context, q queryer, codes []string, known map[string]bool) error {
	for _, c := range codes {
		if known[c] {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, s.q("SELECT count(*) FROM agencies WHERE code = ?"), c).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return rabta.Errorf(rabta.EInvalid, "marking.agencies: no agency %q", c)
		}
		known[c] = true
	}
	return nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// CreateRecord stores a new record of the principal's agency, authored by
// the principal. The record, its index entries, the hit/no-hit selectors,
// the hits it causes and the audit event are written in one transaction.
func (s *Store) CreateRecord(ctx context.Context, p rabta.Principal, r *rabta.Record) error {
	_, err := s.CreateRecordHits(ctx, p, r)
	return err
}

// CreateRecordHits is CreateRecord that also returns the hits the new
// record made on other agencies' records (what its author may learn).
func (s *Store) CreateRecordHits(ctx context.Context, p rabta.Principal, r *rabta.Record) ([]Hit, error) {
	if !p.CanWriteRecords() {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not allow recording intelligence")
	}
	r.Agency = p.Agency
	r.Provenance.Author = p.Username
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	r.ID = id.String()
	r.Version = 1
	r.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	r.UpdatedAt = r.CreatedAt
	row, err := prepare(r)
	if err != nil {
		return nil, err
	}
	k, err := s.keyer(ctx)
	if err != nil {
		return nil, err
	}
	sels := k.Record(r)
	var hits []Hit
	var rid int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkReleasedTo(ctx, tx, r.Marking.Agencies, map[string]bool{}); err != nil {
			return err
		}
		if err := s.checkRefs(ctx, tx, p, r.Schema, row.refs); err != nil {
			return err
		}
		var err error
		rid, err = s.insertRecord(ctx, tx, row)
		if err != nil {
			return err
		}
		if err := s.indexSelectors(ctx, tx, rid, sels); err != nil {
			return err
		}
		if hits, err = s.recordHits(ctx, tx, p, "record", r.ID, "recorded "+r.Schema+" "+r.ID, sels, rid); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, event(ctx, p, rabta.ActRecordCreate, r.ID))
	})
	if err != nil {
		return nil, err
	}
	// The record is stored; resolving it into a profile may fail without
	// losing it: ResolvePending finds records without a profile.
	_ = s.resolveRecords(ctx, []int64{rid}, false)
	return hits, nil
}

const insertRecordSQL = `INSERT INTO records (id, schema, agency, caption, properties, release, rel_agencies, handling, conditions,
	classification, categories, informant, grading, source_report, source_date, author, subject, basis, review_date,
	version, created_at, updated_at, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING rid`

func (row *rowOf) args() []any {
	r := row.r
	return []any{r.ID, r.Schema, r.Agency, r.Caption, row.props, string(r.Marking.Release), joinList(r.Marking.Agencies),
		r.Marking.Handling, r.Marking.Conditions, string(r.Marking.Classification), joinList(r.Marking.Categories),
		r.Marking.Has(rabta.CatInformant), row.grading, r.Provenance.SourceReport, r.Provenance.SourceDate, r.Provenance.Author,
		string(r.Subject), string(r.Basis), r.ReviewDate, r.Version, micros(r.CreatedAt), micros(r.UpdatedAt), row.search}
}

func (s *Store) insertRecord(ctx context.Context, tx *sql.Tx, row *rowOf) (int64, error) {
	var rid int64
	if err := tx.QueryRowContext(ctx, s.q(insertRecordSQL), row.args()...).Scan(&rid); err != nil {
		if isUniqueViolation(err) {
			return 0, rabta.Errorf(rabta.EConflict, "record %s already exists", row.r.ID)
		}
		if strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "foreign key") {
			return 0, rabta.Errorf(rabta.EInvalid, "agency: unknown agency %q", row.r.Agency)
		}
		return 0, err
	}
	if s.dialect == SQLite {
		for _, t := range []string{"records_fts", "records_words"} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+t+"(rowid, search) VALUES (?, ?)", rid, row.search); err != nil {
				return 0, err
			}
		}
	}
	return rid, s.insertIndex(ctx, tx, rid, row)
}

func (s *Store) insertIndex(ctx context.Context, tx *sql.Tx, rid int64, row *rowOf) error {
	for _, id := range row.idents {
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO record_identifiers (rid, kind, value) VALUES (?, ?, ?)"), rid, string(id.Kind), id.Value); err != nil {
			return err
		}
	}
	for _, ref := range row.refs {
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO record_refs (rid, prop, ref_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"), rid, ref[0], ref[1]); err != nil {
			return err
		}
	}
	return nil
}

// UpdateRecord replaces a record's content, marking and grading. Only the
// holding agency's users with full access may, and only from the version
// they read (r.Version): a concurrent edit is a conflict, not lost.
func (s *Store) UpdateRecord(ctx context.Context, p rabta.Principal, r *rabta.Record) error {
	if !p.CanWriteRecords() {
		return rabta.Errorf(rabta.EForbidden, "your roles do not allow recording intelligence")
	}
	// Work on a copy: on the way the record gains references the editor
	// may not know of (keepHiddenRefs), which must never reach the caller,
	// not even on failure.
	if _, err := s.keyer(ctx); err != nil { // loaded outside the transaction
		return err
	}
	w := *r
	w.Properties = make(map[string][]string, len(r.Properties))
	for k, v := range r.Properties {
		w.Properties[k] = append([]string(nil), v...)
	}
	if err := s.updateRecord(ctx, p, &w); err != nil {
		return err
	}
	// An edit may change whom the record matches (best effort, as on create).
	if ms, err := s.metas(ctx, "WHERE id = ?", w.ID); err == nil && len(ms) == 1 {
		_ = s.resolveRecords(ctx, []int64{ms[0].rid}, false)
	}
	if err := s.hideRefs(ctx, p, []*rabta.Record{&w}); err != nil {
		return err
	}
	*r = w
	return nil
}

// updateRecord decides and prepares outside the write transaction (the
// decision reads through the pool, which must not wait on a connection
// while holding SQLite's write lock), then writes only if the record is
// still at the version decided on.
func (s *Store) updateRecord(ctx context.Context, p rabta.Principal, r *rabta.Record) error {
	var m meta
	var version int
	var created int64
	var author string
	err := s.db.QueryRowContext(ctx, s.q("SELECT "+metaCols+", version, created_at, author FROM records WHERE id = ?"), r.ID).
		Scan(&m.rid, &m.id, &m.schema, &m.agency, &m.caption, &m.release, &m.relAgencies, &m.classification, &m.categories, &m.shares, &version, &created, &author)
	if errors.Is(err, sql.ErrNoRows) {
		return rabta.Errorf(rabta.ENotFound, "no record %q", r.ID)
	}
	if err != nil {
		return err
	}
	a, err := s.decide(ctx, p, &m)
	if err != nil {
		return err
	}
	switch {
	case a == rabta.AccessNone:
		return rabta.Errorf(rabta.ENotFound, "no record %q", r.ID)
	case a != rabta.AccessFull || m.agency != p.Agency:
		return rabta.Errorf(rabta.EForbidden, "only %s may change this record", m.agency)
	}
	conflict := rabta.Errorf(rabta.EConflict, "record %s was changed by someone else since you read it (you edited version %d): reload it", r.ID, r.Version)
	if r.Version != version {
		return conflict
	}
	if r.Schema != m.schema {
		return rabta.Errorf(rabta.EInvalid, "schema: a record's schema cannot change (%s)", m.schema)
	}
	kept, err := s.keepHiddenRefs(ctx, p, &m, r)
	if err != nil {
		return err
	}
	r.Agency = m.agency
	r.Provenance.Author = author
	r.Version = version + 1
	r.CreatedAt = fromMicros(created)
	r.UpdatedAt = s.now().UTC().Truncate(time.Microsecond)
	prep, err := prepare(r)
	if err != nil {
		return err
	}
	var added [][2]string // references already stored were checked when they were made
	for _, ref := range prep.refs {
		if !kept[ref] {
			added = append(added, ref)
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.checkRefs(ctx, tx, p, r.Schema, added); err != nil {
			return err
		}
		if err := s.checkReleasedTo(ctx, tx, r.Marking.Agencies, map[string]bool{}); err != nil {
			return err
		}
		args := prep.args()
		res, err := tx.ExecContext(ctx, s.q(`UPDATE records SET caption = ?, properties = ?, release = ?, rel_agencies = ?, handling = ?, conditions = ?,
			classification = ?, categories = ?, informant = ?, grading = ?, source_report = ?, source_date = ?, subject = ?, basis = ?,
			review_date = ?, version = ?, updated_at = ?, search = ? WHERE rid = ? AND version = ?`),
			args[3], args[4], args[5], args[6], args[7], args[8], args[9], args[10], args[11], args[12], args[13], args[14],
			args[16], args[17], args[18], args[19], args[21], args[22], m.rid, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict // changed between the decision and the write
		}
		for _, t := range []string{"record_identifiers", "record_refs"} {
			if _, err := tx.ExecContext(ctx, s.q("DELETE FROM "+t+" WHERE rid = ?"), m.rid); err != nil {
				return err
			}
		}
		if err := s.insertIndex(ctx, tx, m.rid, prep); err != nil {
			return err
		}
		if err := s.reindexSelectors(ctx, tx, p, m.rid, r); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, event(ctx, p, rabta.ActRecordUpdate, r.ID))
	})
}

const recordCols = "properties, handling, conditions, grading, source_report, source_date, author, subject, basis, review_date, version, created_at, updated_at"

// Record returns the record with the given id if the principal may see it in
// full. With pointer access it returns a *PointerError; with no access, or
// for an id that does not exist, the same not-found error — both paths do the
// same work, so neither answer nor timing tells them apart. The read is
// logged either way.
func (s *Store) Record(ctx context.Context, p rabta.Principal, id string) (*rabta.Record, error) {
	r, access, via, err := s.loadRecord(ctx, p, id)
	if err != nil {
		return nil, err
	}
	e := event(ctx, p, rabta.ActRecordRead, id)
	switch access {
	case rabta.AccessFull:
		e.Count = 1
		if via != "" {
			// Seen through a case or a grant: that is the purpose on record.
			e.Purpose = strings.TrimSuffix(via+"; "+e.Purpose, "; ")
		}
	case rabta.AccessPointer:
		e.Outcome = "pointer"
	default:
		e.Outcome = "not_found"
	}
	if err := s.Audit(ctx, e); err != nil {
		return nil, err
	}
	switch access {
	case rabta.AccessFull:
		return r, nil
	case rabta.AccessPointer:
		contacts, err := s.contacts(ctx)
		if err != nil {
			return nil, err
		}
		return nil, &PointerError{Pointer: rabta.Pointer{ID: r.ID, Schema: r.Schema, Agency: r.Agency, Contact: contacts[r.Agency]}}
	}
	return nil, rabta.Errorf(rabta.ENotFound, "no record %q", id)
}

// loadRecord decides first and reads the content only for full access.
// via names the share that makes the record full for p, when only a share
// does: "case:<id>" or "grant:<agency>".
func (s *Store) loadRecord(ctx context.Context, p rabta.Principal, id string) (r *rabta.Record, access rabta.Access, via string, err error) {
	m, err := scanMeta(s.db.QueryRowContext(ctx, s.q("SELECT "+metaCols+" FROM records WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rabta.AccessNone, "", nil
	}
	if err != nil {
		return nil, "", "", err
	}
	access, err = s.decide(ctx, p, m)
	if err != nil {
		return nil, "", "", err
	}
	r = &rabta.Record{ID: m.id, Schema: m.schema, Agency: m.agency}
	if access != rabta.AccessFull {
		return r, access, "", nil
	}
	r, err = s.readFull(ctx, m)
	if err != nil {
		return nil, "", "", err
	}
	if err := s.hideRefs(ctx, p, []*rabta.Record{r}); err != nil {
		return nil, "", "", err
	}
	return r, access, m.via(p, s.now()), nil
}

func (s *Store) readFull(ctx context.Context, m *meta) (*rabta.Record, error) {
	r := &rabta.Record{ID: m.id, Schema: m.schema, Agency: m.agency, Caption: m.caption, Marking: m.marking()}
	var props, grading, subject, basis string
	var created, updated int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT "+recordCols+" FROM records WHERE rid = ?"), m.rid).Scan(
		&props, &r.Marking.Handling, &r.Marking.Conditions, &grading, &r.Provenance.SourceReport, &r.Provenance.SourceDate,
		&r.Provenance.Author, &subject, &basis, &r.ReviewDate, &r.Version, &created, &updated)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(props), &r.Properties); err != nil {
		return nil, fmt.Errorf("record %s: stored properties: %w", m.id, err)
	}
	if err := json.Unmarshal([]byte(grading), &r.Grading); err != nil {
		return nil, fmt.Errorf("record %s: stored grading: %w", m.id, err)
	}
	if r.Marking.Agencies == nil {
		r.Marking.Agencies = []string{}
	}
	if r.Marking.Categories == nil {
		r.Marking.Categories = []rabta.Category{}
	}
	r.Subject, r.Basis = rabta.SubjectCategory(subject), rabta.Basis(basis)
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return r, nil
}

// keepHiddenRefs puts back into an edited record the references its editor
// could not see (hideRefs removed them from what the editor read), so that
// an edit never silently drops them. It returns the references the record
// already had.
func (s *Store) keepHiddenRefs(ctx context.Context, p rabta.Principal, m *meta, r *rabta.Record) (map[[2]string]bool, error) {
	old, err := s.readFull(ctx, m)
	if err != nil {
		return nil, err
	}
	had := map[[2]string]bool{}
	shown := &rabta.Record{Schema: old.Schema, Properties: map[string][]string{}}
	for k, v := range old.Properties {
		shown.Properties[k] = append([]string(nil), v...)
	}
	if err := s.hideRefs(ctx, p, []*rabta.Record{shown}); err != nil {
		return nil, err
	}
	if r.Properties == nil {
		r.Properties = map[string][]string{}
	}
	sc, _ := schema.Get(old.Schema)
	for name, vals := range old.Properties {
		prop, ok := sc.Property(name)
		if !ok || prop.Type != schema.TypeEntity {
			continue
		}
		for _, v := range vals {
			had[[2]string{name, v}] = true
			if !slices.Contains(shown.Properties[name], v) && !slices.Contains(r.Properties[name], v) {
				r.Properties[name] = append(r.Properties[name], v)
			}
		}
	}
	return had, nil
}

// hideRefs removes from full records the references to records the
// principal may not know of, so that "none" stays indistinguishable from
// absence even through another record's properties.
func (s *Store) hideRefs(ctx context.Context, p rabta.Principal, rs []*rabta.Record) error {
	for _, r := range rs {
		sc, ok := schema.Get(r.Schema)
		if !ok {
			continue
		}
		for name, vals := range r.Properties {
			prop, ok := sc.Property(name)
			if !ok || prop.Type != schema.TypeEntity {
				continue
			}
			kept := vals[:0:0]
			for _, v := range vals {
				m, err := scanMeta(s.db.QueryRowContext(ctx, s.q("SELECT "+metaCols+" FROM records WHERE id = ?"), v))
				if errors.Is(err, sql.ErrNoRows) {
					continue
				}
				if err != nil {
					return err
				}
				if m.decide(p, s.now()) != rabta.AccessNone {
					kept = append(kept, v)
				}
			}
			if len(kept) == 0 {
				delete(r.Properties, name)
			} else {
				r.Properties[name] = kept
			}
		}
	}
	return nil
}

// prefixCols qualifies a column list with a table alias.
func prefixCols(prefix, cols string) string {
	parts := strings.Split(cols, ", ")
	for i := range parts {
		parts[i] = prefix + parts[i]
	}
	return strings.Join(parts, ", ")
}

// Related returns the records that refer to record id — links to and from
// it, and records naming it in an entity property — as the principal may
// know of them. A link appears only if it and both its ends may be seen
// (the access decision narrows it). Asking about a record the principal may
// not know of returns the same empty answer as asking about a missing one.
func (s *Store) Related(ctx context.Context, p rabta.Principal, id string) ([]SearchHit, error) {
	var hits []SearchHit
	m, err := scanMeta(s.db.QueryRowContext(ctx, s.q("SELECT "+metaCols+" FROM records WHERE id = ?"), id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, err
	default:
		a, err := s.decide(ctx, p, m)
		if err != nil {
			return nil, err
		}
		if a == rabta.AccessFull {
			rids, err := s.ridsOf(ctx, s.db, s.q("SELECT DISTINCT rid FROM record_refs WHERE ref_id = ? ORDER BY rid LIMIT 1000"), id)
			if err != nil {
				return nil, err
			}
			if hits, err = s.decideHits(ctx, p, rids, ""); err != nil {
				return nil, err
			}
		}
	}
	e := event(ctx, p, rabta.ActRecordRelated, id)
	for _, h := range hits {
		e.Objects = append(e.Objects, h.ID)
	}
	e.Count = len(hits)
	return hits, s.Audit(ctx, e)
}

// Summaries returns, for the given record ids, what the principal may know
// of each — the caption for full access, the holder and contact for a
// pointer — in the order given; records the principal may not know of are
// left out, like missing ones. Used to show a record's references by name.
// The read is logged.
func (s *Store) Summaries(ctx context.Context, p rabta.Principal, ids []string) ([]SearchHit, error) {
	var hits []SearchHit
	if len(ids) > 0 {
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		ms, err := s.metas(ctx, "WHERE id IN ("+placeholders(len(ids))+")", args...)
		if err != nil {
			return nil, err
		}
		byID := map[string]int64{}
		for _, m := range ms {
			byID[m.id] = m.rid
		}
		var rids []int64
		for _, id := range ids {
			if rid, ok := byID[id]; ok {
				rids = append(rids, rid)
			}
		}
		if hits, err = s.decideHits(ctx, p, rids, ""); err != nil {
			return nil, err
		}
	}
	e := event(ctx, p, rabta.ActRecordSummaries)
	for _, h := range hits {
		e.Objects = append(e.Objects, h.ID)
	}
	e.Count = len(hits)
	return hits, s.Audit(ctx, e)
}
