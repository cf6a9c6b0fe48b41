package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/selector"
)

// indexKeys caches the hit/no-hit index key per store.
type indexKeys struct {
	mu     sync.Mutex
	keyer  *selector.Keyer
	config []byte // set by SetIndexKey
}

// SetIndexKey sets the key of the hit/no-hit index (at least
// selector.MinKey bytes). Without one the platform generates a key on
// first use and keeps it in the database, which protects the index only
// against a leak of the index table alone; production sets the key from a
// file or the environment, the same on every instance.
func (s *Store) SetIndexKey(key []byte) error {
	if len(key) < selector.MinKey {
		return fmt.Errorf("index key: at least %d bytes, got %d", selector.MinKey, len(key))
	}
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	s.index.config = slices.Clone(key)
	s.index.keyer = nil
	return nil
}

// keyer returns the index's Keyer. A configured key is checked against
// the check value stored with the index, so that an instance with another
// key cannot silently turn every hit into a no-hit.
func (s *Store) keyer(ctx context.Context) (*selector.Keyer, error) {
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	if s.index.keyer != nil {
		return s.index.keyer, nil
	}
	key := s.index.config
	if key == nil {
		// A generated key: the first instance to need one stores it.
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		if _, err := s.db.ExecContext(ctx, s.q("INSERT INTO platform_keys (name, value) VALUES ('index', ?) ON CONFLICT DO NOTHING"), fresh); err != nil {
			return nil, err
		}
		if err := s.db.QueryRowContext(ctx, "SELECT value FROM platform_keys WHERE name = 'index'").Scan(&key); err != nil {
			return nil, err
		}
	}
	check := indexKeyCheck(key)
	if _, err := s.db.ExecContext(ctx, s.q("INSERT INTO platform_keys (name, value) VALUES ('index_check', ?) ON CONFLICT DO NOTHING"), check); err != nil {
		return nil, err
	}
	var stored []byte
	if err := s.db.QueryRowContext(ctx, "SELECT value FROM platform_keys WHERE name = 'index_check'").Scan(&stored); err != nil {
		return nil, err
	}
	if !hmac.Equal(stored, check) {
		return nil, errors.New("index key: not the key this database's hit/no-hit index was built with")
	}
	s.index.keyer = selector.NewKeyer(key)
	return s.index.keyer, nil
}

// indexKeyCheck is the value stored with the index to recognise its key
// without storing the key.
func indexKeyCheck(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("rabta index key check"))
	return []byte(hex.EncodeToString(m.Sum(nil)))
}

// indexSelectors files a record's selectors in the hit/no-hit index.
func (s *Store) indexSelectors(ctx context.Context, tx *sql.Tx, rid int64, sels []selector.Selector) error {
	for _, sel := range sels {
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO selectors (hash, rid, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING"), sel.Hash[:], rid, sel.Kind); err != nil {
			return err
		}
	}
	return nil
}

// Hit is what a deconfliction check tells the searcher: which agency holds
// something, how strong the match is, on what it matched, and whom to
// contact. Never the record.
type Hit struct {
	Agency    string        `json:"agency"`
	Contact   rabta.Contact `json:"contact"`
	Strength  string        `json:"strength"`
	MatchedOn []string      `json:"matched_on"`
}

// DeconflictQuery is a check: identifiers and/or a person's name with
// father's name or birth date, and why it is made.
type DeconflictQuery struct {
	Selectors  []ident.Identifier
	Name       string
	FatherName string
	BirthDate  string
	Purpose    string
}

// Deconflict checks selectors against the other agencies' records. Each
// holding agency is recorded as a hit for both sides: the searcher learns
// the agency, strength, what matched and the contact; the holder's desk
// learns who asked, when and why. A hit on records the searcher may not
// know of (informants) is recorded for the holder only. Selectors must be
// in normal form (ident.Normalize).
func (s *Store) Deconflict(ctx context.Context, p rabta.Principal, q DeconflictQuery) ([]Hit, error) {
	if !p.CanWriteRecords() && !p.Has(rabta.RoleProtection) {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not allow deconfliction checks")
	}
	q.Purpose = strings.TrimSpace(q.Purpose)
	if q.Purpose == "" {
		return nil, rabta.Errorf(rabta.EInvalid, "purpose: say why the check is made; the holder is told")
	}
	k, err := s.keyer(ctx)
	if err != nil {
		return nil, err
	}
	sels := k.Query(selector.Query{Selectors: q.Selectors, Name: q.Name, FatherName: q.FatherName, BirthDate: q.BirthDate})
	if len(sels) == 0 {
		return nil, rabta.Errorf(rabta.EInvalid, "selectors: give at least one identifier, or a name of two words or more with the father's name or full birth date")
	}
	var hits []Hit
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		hits, err = s.recordHits(ctx, tx, p, "check", "", q.Purpose, sels, 0)
		if err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActDeconflict)
		e.Purpose = q.Purpose
		e.Query = describeSelectors(sels)
		e.Count = len(hits)
		return s.appendAudit(ctx, tx, e)
	})
	return hits, err
}

// describeSelectors names the kinds checked, for the audit log; the
// values stay out of it, as they stay out of the index.
func describeSelectors(sels []selector.Selector) string {
	var kinds []string
	for _, s := range sels {
		if !slices.Contains(kinds, s.Kind) {
			kinds = append(kinds, s.Kind)
		}
	}
	return "deconflict: " + strings.Join(kinds, ", ")
}

// recordHits looks up sels in the index among other agencies' records
// (leaving out record self), records one hit per holding agency and
// returns those the searcher may learn of.
func (s *Store) recordHits(ctx context.Context, tx *sql.Tx, p rabta.Principal, origin, subject, purpose string, sels []selector.Selector, self int64) ([]Hit, error) {
	if len(sels) == 0 {
		return nil, nil
	}
	fs, err := s.lookup(ctx, tx, sels, p.Agency, self)
	if err != nil {
		return nil, err
	}
	return s.insertHits(ctx, tx, p, origin, subject, purpose, fs)
}

// lookup finds the index entries of sels that belong to other agencies'
// records than agency's (and are not record self), by agency and record.
func (s *Store) lookup(ctx context.Context, q rowsQueryer, sels []selector.Selector, agency string, self int64) ([]found, error) {
	args := make([]any, 0, len(sels)+2)
	for _, sel := range sels {
		args = append(args, sel.Hash[:])
	}
	args = append(args, agency, self)
	rows, err := q.QueryContext(ctx, s.q("SELECT s.kind, "+prefixCols("r.", metaCols)+" FROM selectors s JOIN records r ON r.rid = s.rid WHERE s.hash IN ("+
		placeholders(len(sels))+") AND r.agency <> ? AND r.rid <> ? ORDER BY r.agency, r.rid"), args...)
	if err != nil {
		return nil, err
	}
	return scanFound(rows, false)
}

// found is one index entry of another agency's record that a selector met.
type found struct {
	kind string
	m    *meta
	from string // the searcher's own record that met it (imports)
}

func scanFound(rows *sql.Rows, withFrom bool) ([]found, error) {
	defer rows.Close()
	var fs []found
	for rows.Next() {
		var f found
		var m meta
		dest := []any{&f.kind, &m.rid, &m.id, &m.schema, &m.agency, &m.caption, &m.release, &m.relAgencies, &m.classification, &m.categories, &m.shares}
		if withFrom {
			dest = append(dest, &f.from)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		f.m = &m
		fs = append(fs, f)
	}
	return fs, rows.Err()
}

// insertHits records one hit per holding agency of fs and returns those
// the searcher may learn of.
func (s *Store) insertHits(ctx context.Context, tx *sql.Tx, p rabta.Principal, origin, subject, purpose string, fs []found) ([]Hit, error) {
	type agg struct {
		rids      []int64
		ids       []string // record ids the holder's systems may be told (not informants)
		matched   []string
		strength  string
		silent    bool
		anyVisibl bool
	}
	byAgency := map[string]*agg{}
	var order []string
	for _, f := range fs {
		a := byAgency[f.m.agency]
		if a == nil {
			a = &agg{strength: "medium"}
			byAgency[f.m.agency] = a
			order = append(order, f.m.agency)
		}
		if !slices.Contains(a.rids, f.m.rid) {
			a.rids = append(a.rids, f.m.rid)
			if !f.m.marking().Has(rabta.CatInformant) {
				a.ids = append(a.ids, f.m.id)
			}
		}
		if !slices.Contains(a.matched, f.kind) {
			a.matched = append(a.matched, f.kind)
		}
		if selector.Stronger(selector.Strength(f.kind), a.strength) {
			a.strength = "strong"
		}
		// The searcher learns of a holder only through records it may
		// know exist: pointer or full, by the one access decision — which
		// also hides a link (a call naming a number) whose end is an
		// informant's. Informant records answer nothing.
		acc, err := s.decide(ctx, p, f.m)
		if err != nil {
			return nil, err
		}
		if acc != rabta.AccessNone {
			a.anyVisibl = true
		}
	}
	var err error
	var contacts map[string]rabta.Contact
	var hits []Hit
	now := micros(s.now())
	for _, ag := range order {
		a := byAgency[ag]
		// Name and father, and name and birth date, together make a
		// strong likely-same-person hit.
		if slices.Contains(a.matched, selector.NameFather) && slices.Contains(a.matched, selector.NameBirth) {
			a.strength = "strong"
		}
		a.silent = !a.anyVisibl
		slices.Sort(a.matched)
		rids := make([]string, len(a.rids))
		for i, r := range a.rids {
			rids[i] = strconv.FormatInt(r, 10)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO hits (at, origin, searcher_agency, searcher_user, purpose, subject, holder_agency, rids, strength, matched_on, silent)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), now, origin, p.Agency, p.Username, purpose, subject, ag, ","+strings.Join(rids, ",")+",", a.strength, strings.Join(a.matched, ","), a.silent).Scan(&id); err != nil {
			return nil, err
		}
		if contacts == nil {
			if contacts, err = s.contacts(ctx); err != nil {
				return nil, err
			}
		}
		at := fromMicros(now).Format("2006-01-02T15:04:05Z")
		// The holder's systems learn what its desk learns, except which
		// informant records were met: only their handlers see that, in Rabta.
		if err := s.enqueue(ctx, tx, ag, "hit", hitEvent{Event: "hit", Direction: "received", ID: id, At: at, Origin: origin,
			Agency: p.Agency, Contact: contacts[p.Agency], Strength: a.strength, MatchedOn: a.matched, AskedBy: p.Username,
			Purpose: purpose, Records: a.ids, Restricted: len(a.rids) - len(a.ids)}); err != nil {
			return nil, err
		}
		// The holder's duty desk finds it in the inbox; /hits shows each
		// reader what they may see of it.
		in := toAgency(ag, rabta.RoleSupervisor, NoteHit, fmt.Sprintf("Hit: %s matched your agency's records (%s, %s)", p.Agency, a.strength, strings.Join(a.matched, ", ")), "hits")
		if err := s.file(ctx, tx, &in); err != nil {
			return nil, err
		}
		if a.silent {
			continue
		}
		out := toUser(p.Agency, p.Username, NoteHit, fmt.Sprintf("Hit: %s holds something on your subject (%s); contact %s", ag, a.strength, contacts[ag].Desk), "hits")
		if err := s.file(ctx, tx, &out); err != nil {
			return nil, err
		}
		h := Hit{Agency: ag, Contact: contacts[ag], Strength: a.strength, MatchedOn: a.matched}
		if err := s.enqueue(ctx, tx, p.Agency, "hit", hitEvent{Event: "hit", Direction: "sent", ID: id, At: at, Origin: origin,
			Agency: ag, Contact: h.Contact, Strength: h.Strength, MatchedOn: h.MatchedOn, AskedBy: p.Username, Subject: subject}); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, nil
}

// hitEvent is a hit as a webhook delivers it.
type hitEvent struct {
	Event      string        `json:"event"`
	Direction  string        `json:"direction"`
	ID         int64         `json:"id"`
	At         string        `json:"at"`
	Origin     string        `json:"origin"`
	Agency     string        `json:"agency"` // the other side
	Contact    rabta.Contact `json:"contact"`
	Strength   string        `json:"strength"`
	MatchedOn  []string      `json:"matched_on"`
	AskedBy    string        `json:"asked_by"`
	Purpose    string        `json:"purpose,omitempty"`    // received only
	Records    []string      `json:"records,omitempty"`    // received only: our records met
	Restricted int           `json:"restricted,omitempty"` // received only: informant records met (see Rabta)
	Subject    string        `json:"subject,omitempty"`    // sent only: our record that met theirs
}

// HitView is one hit in an agency's inbox.
type HitView struct {
	ID        int64         `json:"id"`
	At        string        `json:"at"`
	Direction string        `json:"direction"` // "sent": we asked; "received": we hold
	Origin    string        `json:"origin"`    // check, search, record, import
	Agency    string        `json:"agency"`    // the other side
	Contact   rabta.Contact `json:"contact"`
	Strength  string        `json:"strength"`
	MatchedOn []string      `json:"matched_on"`
	// Received hits only: who asked and why, and which of our records.
	AskedBy string   `json:"asked_by,omitempty"`
	Purpose string   `json:"purpose,omitempty"`
	Records []string `json:"records,omitempty"`
}

// Hits returns the principal's agency's hit inbox, newest first: hits it
// caused (never silent ones) and hits on its records. A received hit is
// shown only to users who may see at least one of the records it is
// about, and lists only those records — an informant hit reaches only the
// informant's handlers.
func (s *Store) Hits(ctx context.Context, p rabta.Principal, limit int) ([]HitView, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, at, origin, searcher_agency, searcher_user, purpose, holder_agency, rids, strength, matched_on, silent
		FROM hits WHERE (searcher_agency = ? AND NOT silent) OR holder_agency = ? ORDER BY id DESC LIMIT ?`), p.Agency, p.Agency, limit)
	if err != nil {
		return nil, err
	}
	type row struct {
		v       HitView
		holder  string
		rids    string
		searchA string
	}
	var rs []row
	for rows.Next() {
		var r row
		var at int64
		var matched string
		var silent bool
		if err := rows.Scan(&r.v.ID, &at, &r.v.Origin, &r.searchA, &r.v.AskedBy, &r.v.Purpose, &r.holder, &r.rids, &r.v.Strength, &matched, &silent); err != nil {
			rows.Close()
			return nil, err
		}
		r.v.At = fromMicros(at).Format("2006-01-02T15:04:05Z")
		r.v.MatchedOn = strings.Split(matched, ",")
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	contacts, err := s.contacts(ctx)
	if err != nil {
		return nil, err
	}
	var out []HitView
	for _, r := range rs {
		v := r.v
		if r.holder == p.Agency && r.searchA != p.Agency {
			v.Direction = "received"
			v.Agency = r.searchA
			var ids []int64
			for _, x := range splitList(r.rids) {
				if n, err := strconv.ParseInt(x, 10, 64); err == nil {
					ids = append(ids, n)
				}
			}
			visible, err := s.visibleIDs(ctx, p, ids)
			if err != nil {
				return nil, err
			}
			if len(visible) == 0 {
				continue
			}
			v.Records = visible
			v.AskedBy = v.AskedBy + " (" + r.searchA + ")"
		} else {
			v.Direction = "sent"
			v.Agency = r.holder
			v.AskedBy, v.Purpose = "", ""
		}
		v.Contact = contacts[v.Agency]
		out = append(out, v)
	}
	if err := s.Audit(ctx, &rabta.AuditEvent{UserID: p.UserID, Username: p.Username, Agency: p.Agency, Action: rabta.ActHitsRead,
		Purpose: requestOf(ctx).Purpose, Client: requestOf(ctx).Client, Count: len(out), Outcome: "ok"}); err != nil {
		return nil, err
	}
	return out, nil
}

// visibleIDs returns the ids of the records among rids that p may see at
// all, by the access decision.
func (s *Store) visibleIDs(ctx context.Context, p rabta.Principal, rids []int64) ([]string, error) {
	if len(rids) == 0 {
		return nil, nil
	}
	args := make([]any, len(rids))
	for i, r := range rids {
		args[i] = r
	}
	ms, err := s.metas(ctx, "WHERE rid IN ("+placeholders(len(rids))+")", args...)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range ms {
		a, err := s.decide(ctx, p, m)
		if err != nil {
			return nil, err
		}
		if a != rabta.AccessNone {
			out = append(out, m.id)
		}
	}
	slices.Sort(out)
	return out, nil
}

// reindexSelectors replaces a record's selectors after an edit; only
// selectors the record did not have before can cause new hits, so an edit
// does not alert the same holders again.
func (s *Store) reindexSelectors(ctx context.Context, tx *sql.Tx, p rabta.Principal, rid int64, r *rabta.Record) error {
	k := s.keyerIfReady()
	if k == nil {
		return errors.New("index key not loaded") // callers load it before the transaction
	}
	sels := k.Record(r)
	old := map[[selector.HashSize]byte]bool{}
	rows, err := tx.QueryContext(ctx, s.q("SELECT hash FROM selectors WHERE rid = ?"), rid)
	if err != nil {
		return err
	}
	for rows.Next() {
		var h []byte
		if err := rows.Scan(&h); err != nil {
			rows.Close()
			return err
		}
		var key [selector.HashSize]byte
		copy(key[:], h)
		old[key] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q("DELETE FROM selectors WHERE rid = ?"), rid); err != nil {
		return err
	}
	if err := s.indexSelectors(ctx, tx, rid, sels); err != nil {
		return err
	}
	var added []selector.Selector
	for _, sel := range sels {
		if !old[sel.Hash] {
			added = append(added, sel)
		}
	}
	_, err = s.recordHits(ctx, tx, p, "record", r.ID, "edited "+r.Schema+" "+r.ID, added, rid)
	return err
}

// keyerIfReady returns the loaded Keyer, or nil.
func (s *Store) keyerIfReady() *selector.Keyer {
	s.index.mu.Lock()
	defer s.index.mu.Unlock()
	return s.index.keyer
}

// importHits records the hits an import's records (scope, over selectors
// n) make on other agencies' records: one per imported record and holding
// agency, found with one join rather than a lookup per record.
func (s *Store) importHits(ctx context.Context, tx *sql.Tx, p rabta.Principal, scope string, scopeArgs []any) error {
	args := append(append([]any(nil), scopeArgs...), p.Agency)
	rows, err := tx.QueryContext(ctx, s.q("SELECT o.kind, "+prefixCols("r.", metaCols)+", nr.id FROM selectors n JOIN selectors o ON o.hash = n.hash "+
		"JOIN records r ON r.rid = o.rid JOIN records nr ON nr.rid = n.rid WHERE "+scope+" AND r.agency <> ? ORDER BY nr.id, r.agency, r.rid"), args...)
	if err != nil {
		return err
	}
	fs, err := scanFound(rows, true)
	if err != nil {
		return err
	}
	for start := 0; start < len(fs); {
		end := start + 1
		for end < len(fs) && fs[end].from == fs[start].from {
			end++
		}
		from := fs[start].from
		if _, err := s.insertHits(ctx, tx, p, "import", from, "imported record "+from, fs[start:end]); err != nil {
			return err
		}
		start = end
	}
	return nil
}

// searchHits writes a search's audit event, and, when the query holds
// complete identifiers that meet other agencies' records, the hits — in
// one transaction. A search repeated within searchHitWindow (live search
// sends one per keystroke) does not alert the same holder again.
func (s *Store) searchHits(ctx context.Context, p rabta.Principal, q string, e *rabta.AuditEvent) error {
	ids := ident.Detect(q)
	if len(ids) == 0 || !p.CanWriteRecords() && !p.Has(rabta.RoleProtection) {
		return s.Audit(ctx, e)
	}
	k, err := s.keyer(ctx)
	if err != nil {
		return err
	}
	sels := k.Query(selector.Query{Selectors: ids})
	purpose := e.Purpose
	if purpose == "" {
		purpose = "search (no purpose given)"
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		fs, err := s.lookup(ctx, tx, sels, p.Agency, 0)
		if err != nil {
			return err
		}
		// Leave out holders this user was told about by a search lately.
		since := micros(s.now().Add(-searchHitWindow))
		var fresh []found
		recent := map[string]bool{}
		for _, f := range fs {
			key := f.m.agency + "/" + strconv.FormatInt(f.m.rid, 10)
			if _, seen := recent[key]; !seen {
				var n int
				if err := tx.QueryRowContext(ctx, s.q("SELECT count(*) FROM hits WHERE searcher_user = ? AND holder_agency = ? AND origin = 'search' AND at >= ? AND rids LIKE ?"),
					p.Username, f.m.agency, since, "%,"+strconv.FormatInt(f.m.rid, 10)+",%").Scan(&n); err != nil {
					return err
				}
				recent[key] = n > 0
			}
			if !recent[key] {
				fresh = append(fresh, f)
			}
		}
		if _, err := s.insertHits(ctx, tx, p, "search", "", purpose, fresh); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, e)
	})
}

// searchHitWindow is how long a search hit on the same record is not
// repeated for the same user.
const searchHitWindow = 15 * time.Minute

// RebuildIndex recomputes the whole hit/no-hit index with the configured
// key and the current name dictionary, in one transaction, and records the
// key's check value: what a new index key or name-variant file needs.
func (s *Store) RebuildIndex(ctx context.Context, by rabta.Principal) (int, error) {
	s.index.mu.Lock()
	key := s.index.config
	s.index.mu.Unlock()
	if key == nil {
		if err := s.db.QueryRowContext(ctx, "SELECT value FROM platform_keys WHERE name = 'index'").Scan(&key); err != nil && err != sql.ErrNoRows {
			return 0, err
		}
	}
	if key == nil {
		return 0, errors.New("index key: none configured and none generated yet; nothing to rebuild")
	}
	k := selector.NewKeyer(key)
	rids, err := s.ridsOf(ctx, s.db, "SELECT rid FROM records ORDER BY rid")
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM selectors"); err != nil {
			return err
		}
		for start := 0; start < len(rids); start += 1000 {
			chunk := rids[start:min(len(rids), start+1000)]
			recs, err := s.fullByRid(ctx, tx, chunk)
			if err != nil {
				return err
			}
			ids, err := s.storedIdentifiers(ctx, tx, chunk)
			if err != nil {
				return err
			}
			for rid, r := range recs {
				sels := k.RecordWith(r, ids[rid])
				if err := s.indexSelectors(ctx, tx, rid, sels); err != nil {
					return err
				}
				n += len(sels)
			}
		}
		check := indexKeyCheck(key)
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM platform_keys WHERE name = 'index_check'")); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO platform_keys (name, value) VALUES ('index_check', ?)"), check); err != nil {
			return err
		}
		e := event(ctx, by, rabta.ActIndexRebuild)
		e.Count = n
		return s.appendAudit(ctx, tx, e)
	})
	if err != nil {
		return 0, err
	}
	s.index.mu.Lock()
	s.index.keyer = k
	s.index.mu.Unlock()
	return n, nil
}

// storedIdentifiers reads records' identifiers as indexed.
func (s *Store) storedIdentifiers(ctx context.Context, tx *sql.Tx, rids []int64) (map[int64][]ident.Identifier, error) {
	args := make([]any, len(rids))
	for i, r := range rids {
		args[i] = r
	}
	rows, err := tx.QueryContext(ctx, s.q("SELECT rid, kind, value FROM record_identifiers WHERE rid IN ("+placeholders(len(rids))+")"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]ident.Identifier{}
	for rows.Next() {
		var rid int64
		var id ident.Identifier
		if err := rows.Scan(&rid, &id.Kind, &id.Value); err != nil {
			return nil, err
		}
		out[rid] = append(out[rid], id)
	}
	return out, rows.Err()
}
