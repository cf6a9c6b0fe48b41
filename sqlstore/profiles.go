package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/schema"
)

// PairScorer scores two records as the same subject (package match does).
type PairScorer interface {
	Score(a, b *rabta.Record) (probability float64, explanation string)
}

// resolver is the store's profile matcher and its zones.
type resolver struct {
	mu                sync.RWMutex
	scorer            PairScorer
	threshold, review float64
}

// SetPairScorer sets the matcher that resolves records into profiles:
// pairs at or above threshold are the same subject, pairs between review
// and threshold go to the analysts' review queue.
func (s *Store) SetPairScorer(ps PairScorer, threshold, review float64) {
	s.resolve.mu.Lock()
	defer s.resolve.mu.Unlock()
	s.resolve.scorer, s.resolve.threshold, s.resolve.review = ps, threshold, review
}

func (s *Store) pairScorer() (PairScorer, float64, float64) {
	s.resolve.mu.RLock()
	defer s.resolve.mu.RUnlock()
	return s.resolve.scorer, s.resolve.threshold, s.resolve.review
}

// matchThreshold is the threshold of the configured matcher, or 0.5 when
// none is set (judgements still cluster without one).
func (s *Store) matchThreshold() float64 {
	if _, t, _ := s.pairScorer(); t > 0 {
		return t
	}
	return 0.5
}

// Judgement verdicts.
const (
	VerdictSame    = "same"
	VerdictNotSame = "not_same"
	VerdictUnsure  = "unsure"
)

// resolvable are the schemata whose records resolve into profiles.
func resolvable(sc string) bool {
	s, ok := schema.Get(sc)
	return ok && (s.IsA("Person") || s.IsA("LegalEntity") || s.IsA("Victim"))
}

// fullByRid reads records' schema and properties by rid, for the matcher
// only: nothing read here leaves the store without an access decision.
func (s *Store) fullByRid(ctx context.Context, q rowsQueryer, rids []int64) (map[int64]*rabta.Record, error) {
	out := map[int64]*rabta.Record{}
	for start := 0; start < len(rids); start += 500 {
		chunk := rids[start:min(len(rids), start+500)]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		rows, err := q.QueryContext(ctx, s.q("SELECT rid, id, schema, agency, properties FROM records WHERE rid IN ("+placeholders(len(chunk))+")"), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var rid int64
			var r rabta.Record
			var props string
			if err := rows.Scan(&rid, &r.ID, &r.Schema, &r.Agency, &props); err != nil {
				rows.Close()
				return nil, err
			}
			if err := json.Unmarshal([]byte(props), &r.Properties); err != nil {
				rows.Close()
				return nil, err
			}
			out[rid] = &r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ResolvableRecords returns up to limit stored records of the schemata
// that resolve into profiles, for estimating the matcher's model. It is
// for the platform itself (no principal): what it returns must never be
// shown to anyone.
func (s *Store) ResolvableRecords(ctx context.Context, limit int) ([]*rabta.Record, error) {
	rids, err := s.ridsOf(ctx, s.db, s.q("SELECT rid FROM records ORDER BY rid DESC LIMIT ?"), limit*2)
	if err != nil {
		return nil, err
	}
	byRid, err := s.fullByRid(ctx, s.db, rids)
	if err != nil {
		return nil, err
	}
	var out []*rabta.Record
	for _, rid := range rids {
		if r := byRid[rid]; r != nil && resolvable(r.Schema) && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

// CountResolvable counts the records of the schemata that resolve into
// profiles.
func (s *Store) CountResolvable(ctx context.Context) (int, error) {
	var names []any
	for _, sc := range schema.All() {
		if resolvable(sc.Name) {
			names = append(names, sc.Name)
		}
	}
	var n int
	err := s.db.QueryRowContext(ctx, s.q("SELECT count(*) FROM records WHERE schema IN ("+placeholders(len(names))+")"), names...).Scan(&n)
	return n, err
}

// ResolvePending resolves up to limit records that have no profile yet
// (new ones, or ones a failed resolution left behind) and returns how many
// it did. Records arrive resolved when created one by one; imports and
// restarts leave work here, which `rabta serve` picks up in the background.
func (s *Store) ResolvePending(ctx context.Context, limit int) (int, error) {
	if sc, _, _ := s.pairScorer(); sc == nil {
		return 0, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.rid, r.schema FROM records r LEFT JOIN profile_members m ON m.rid = r.rid
		WHERE m.rid IS NULL ORDER BY r.rid LIMIT ?`), limit*4)
	if err != nil {
		return 0, err
	}
	var rids, skip []int64
	for rows.Next() {
		var rid int64
		var sc string
		if err := rows.Scan(&rid, &sc); err != nil {
			rows.Close()
			return 0, err
		}
		if resolvable(sc) {
			if len(rids) < limit {
				rids = append(rids, rid)
			}
		} else {
			skip = append(skip, rid)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// Records that never resolve (links, phones…) are marked so they are
	// not looked at again: a profile of their own, named after nothing.
	if len(skip) > 0 {
		if err := s.tx(ctx, func(tx *sql.Tx) error {
			for _, rid := range skip {
				if _, err := tx.ExecContext(ctx, s.q("INSERT INTO profile_members (rid, profile) VALUES (?, '') ON CONFLICT DO NOTHING"), rid); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, err
		}
	}
	return len(rids), s.resolveRecords(ctx, rids, true)
}

// resolveRecords scores each record against its candidates (records that
// share a hit/no-hit selector: an identifier, or name with father's name
// or birth date), keeps the pairs that reach the review zone, and
// re-clusters the profiles they touch. With audited, the run is logged as
// the platform's own write (a record's creation
// already logs its first resolution).
func (s *Store) resolveRecords(ctx context.Context, rids []int64, audited bool) error {
	sc, threshold, review := s.pairScorer()
	if sc == nil || len(rids) == 0 {
		return nil
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, rid := range rids {
			cands, err := s.ridsOf(ctx, tx, s.q(`SELECT DISTINCT o.rid FROM selectors n JOIN selectors o ON o.hash = n.hash
				WHERE n.rid = ? AND o.rid <> ? ORDER BY o.rid LIMIT 200`), rid, rid)
			if err != nil {
				return err
			}
			recs, err := s.fullByRid(ctx, tx, append(cands, rid))
			if err != nil {
				return err
			}
			me := recs[rid]
			if me == nil || !resolvable(me.Schema) {
				continue
			}
			for _, c := range cands {
				other := recs[c]
				if other == nil || !resolvable(other.Schema) {
					continue
				}
				p, expl := sc.Score(me, other)
				a, b := min(rid, c), max(rid, c)
				if p < review {
					if _, err := tx.ExecContext(ctx, s.q("DELETE FROM match_pairs WHERE a = ? AND b = ?"), a, b); err != nil {
						return err
					}
					continue
				}
				if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO match_pairs (a, b, probability, explanation, at) VALUES (?, ?, ?, ?, ?)
					ON CONFLICT (a, b) DO UPDATE SET probability = excluded.probability, explanation = excluded.explanation, at = excluded.at`),
					a, b, p, expl, micros(s.now())); err != nil {
					return err
				}
			}
			if err := s.recluster(ctx, tx, []int64{rid}, threshold); err != nil {
				return err
			}
		}
		if !audited {
			return nil
		}
		e := event(ctx, System, rabta.ActResolve)
		e.Count = len(rids)
		return s.appendAudit(ctx, tx, e)
	})
}

// maxComponent bounds the records re-clustered at once: a component this
// large is a hub, and it is cut off rather than merged.
const maxComponent = 2000

// recluster recomputes the profiles of the records connected to seeds by
// match edges (probability ≥ threshold) or "same" judgements. Two records
// judged not the same are never put in one profile; edges are merged
// strongest first, judgements before the matcher. Profile ids are kept
// where most of a profile's records already had one.
func (s *Store) recluster(ctx context.Context, tx *sql.Tx, seeds []int64, threshold float64) error {
	type edge struct {
		a, b int64
		p    float64
	}
	seen := map[int64]bool{}
	queue := append([]int64(nil), seeds...)
	for _, r := range seeds {
		seen[r] = true
	}
	var edges []edge
	cannot := map[[2]int64]bool{}
	edgeSeen := map[[2]int64]bool{}
	for len(queue) > 0 && len(seen) < maxComponent {
		r := queue[0]
		queue = queue[1:]
		rows, err := tx.QueryContext(ctx, s.q("SELECT a, b, probability FROM match_pairs WHERE (a = ? OR b = ?) AND probability >= ?"), r, r, threshold)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e edge
			if err := rows.Scan(&e.a, &e.b, &e.p); err != nil {
				rows.Close()
				return err
			}
			if !edgeSeen[[2]int64{e.a, e.b}] {
				edgeSeen[[2]int64{e.a, e.b}] = true
				edges = append(edges, e)
			}
		}
		rows.Close()
		rows, err = tx.QueryContext(ctx, s.q("SELECT a, b, verdict FROM judgements WHERE (a = ? OR b = ?) AND retracted_at = 0"), r, r)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a, b int64
			var v string
			if err := rows.Scan(&a, &b, &v); err != nil {
				rows.Close()
				return err
			}
			switch v {
			case VerdictSame:
				edges = append(edges, edge{a, b, 2}) // above any probability
			case VerdictNotSame:
				cannot[[2]int64{a, b}] = true
			}
		}
		rows.Close()
		for _, e := range edges {
			for _, x := range []int64{e.a, e.b} {
				if !seen[x] {
					seen[x] = true
					queue = append(queue, x)
				}
			}
		}
	}
	// Judgements win over the matcher: a not-same pair's match edge goes.
	edges = slices.DeleteFunc(edges, func(e edge) bool { return e.p <= 1 && cannot[[2]int64{e.a, e.b}] })
	slices.SortFunc(edges, func(x, y edge) int {
		if c := cmp.Compare(y.p, x.p); c != 0 {
			return c
		}
		if x.a != y.a {
			return cmp.Compare(x.a, y.a)
		}
		return cmp.Compare(x.b, y.b)
	})
	parent := map[int64]int64{}
	members := map[int64][]int64{}
	var find func(int64) int64
	find = func(x int64) int64 {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for r := range seen {
		parent[r] = r
		members[r] = []int64{r}
	}
	for _, e := range edges {
		ra, rb := find(e.a), find(e.b)
		if ra == rb || !seen[e.a] || !seen[e.b] {
			continue
		}
		ok := true
		for _, x := range members[ra] {
			for _, y := range members[rb] {
				if cannot[[2]int64{min(x, y), max(x, y)}] {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		parent[rb] = ra
		members[ra] = append(members[ra], members[rb]...)
		delete(members, rb)
	}
	// Keep profile ids stable: a cluster takes the id most of its records
	// had, unless a larger cluster took it first.
	all := make([]int64, 0, len(seen))
	for r := range seen {
		all = append(all, r)
	}
	current := map[int64]string{}
	for start := 0; start < len(all); start += 500 {
		chunk := all[start:min(len(all), start+500)]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		rows, err := tx.QueryContext(ctx, s.q("SELECT rid, profile FROM profile_members WHERE rid IN ("+placeholders(len(chunk))+")"), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var rid int64
			var prof string
			if err := rows.Scan(&rid, &prof); err != nil {
				rows.Close()
				return err
			}
			current[rid] = prof
		}
		rows.Close()
	}
	clusters := make([][]int64, 0, len(members))
	for _, m := range members {
		slices.Sort(m)
		clusters = append(clusters, m)
	}
	slices.SortFunc(clusters, func(a, b []int64) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return cmp.Compare(a[0], b[0])
	})
	taken := map[string]bool{}
	for _, c := range clusters {
		votes := map[string]int{}
		for _, r := range c {
			if p := current[r]; p != "" {
				votes[p]++
			}
		}
		best := ""
		for p, n := range votes {
			if !taken[p] && (best == "" || n > votes[best] || n == votes[best] && p < best) {
				best = p
			}
		}
		if best == "" {
			id, err := uuid.NewV7()
			if err != nil {
				return err
			}
			best = id.String()
		}
		taken[best] = true
		for _, r := range c {
			if current[r] == best {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO profile_members (rid, profile) VALUES (?, ?)
				ON CONFLICT (rid) DO UPDATE SET profile = excluded.profile`), r, best); err != nil {
				return err
			}
		}
	}
	return nil
}

// ProfileMember is one record of a profile as the viewer may see it: in
// full (id, schema, caption, agency) or as a pointer (agency and contact).
type ProfileMember struct {
	ID      string         `json:"id"`
	Schema  string         `json:"schema"`
	Caption string         `json:"caption,omitempty"`
	Agency  string         `json:"agency"`
	Access  rabta.Access   `json:"access"`
	Contact *rabta.Contact `json:"contact,omitempty"`
}

// ProfileView is a profile built only from what the viewer may see.
type ProfileView struct {
	ID      string          `json:"id"`
	Members []ProfileMember `json:"records"`
	// Pairs are the matcher's reasons and analysts' judgements between
	// records the viewer sees in full.
	Pairs []ProfilePair `json:"pairs"`
}

// ProfilePair is the evidence between two records of a profile.
type ProfilePair struct {
	A           string  `json:"a"`
	B           string  `json:"b"`
	Probability float64 `json:"probability"`
	Explanation string  `json:"explanation,omitempty"`
	Verdict     string  `json:"verdict,omitempty"`
	JudgedBy    string  `json:"judged_by,omitempty"`
	Judgement   int64   `json:"judgement,omitempty"`
}

// Profile returns profile id as the principal may see it: records in full
// or as pointers by the access decision, the rest left out. A profile
// none of whose records the principal may know of does not exist for it.
func (s *Store) Profile(ctx context.Context, p rabta.Principal, id string) (*ProfileView, error) {
	notFound := rabta.Errorf(rabta.ENotFound, "profile not found")
	v := &ProfileView{ID: id}
	access := map[int64]rabta.Access{}
	ids := map[int64]string{}
	if id != "" {
		ms, err := s.metas(ctx, "WHERE rid IN (SELECT rid FROM profile_members WHERE profile = ?) ORDER BY rid", id)
		if err != nil {
			return nil, err
		}
		var contacts map[string]rabta.Contact
		for _, m := range ms {
			a, err := s.decide(ctx, p, m)
			if err != nil {
				return nil, err
			}
			if a == rabta.AccessNone {
				continue
			}
			access[m.rid], ids[m.rid] = a, m.id
			pm := ProfileMember{ID: m.id, Schema: m.schema, Agency: m.agency, Access: a}
			if a == rabta.AccessFull {
				pm.Caption = m.caption
			} else {
				if contacts == nil {
					if contacts, err = s.contacts(ctx); err != nil {
						return nil, err
					}
				}
				c := contacts[m.agency]
				pm.Contact = &c
			}
			v.Members = append(v.Members, pm)
		}
	}
	e := event(ctx, p, rabta.ActProfileRead, "profile:"+id)
	e.Count = len(v.Members)
	if len(v.Members) == 0 {
		e.Outcome = "not_found"
		if err := s.Audit(ctx, e); err != nil {
			return nil, err
		}
		return nil, notFound
	}
	// Evidence between records seen in full.
	var full []any
	for rid, a := range access {
		if a == rabta.AccessFull {
			full = append(full, rid)
		}
	}
	if len(full) >= 2 {
		ph := placeholders(len(full))
		rows, err := s.db.QueryContext(ctx, s.q("SELECT a, b, probability, explanation FROM match_pairs WHERE a IN ("+ph+") AND b IN ("+ph+") ORDER BY a, b"), append(full, full...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a, b int64
			var pp ProfilePair
			if err := rows.Scan(&a, &b, &pp.Probability, &pp.Explanation); err != nil {
				rows.Close()
				return nil, err
			}
			pp.A, pp.B = ids[a], ids[b]
			v.Pairs = append(v.Pairs, pp)
		}
		rows.Close()
		rows, err = s.db.QueryContext(ctx, s.q("SELECT id, a, b, verdict, username, agency FROM judgements WHERE retracted_at = 0 AND a IN ("+ph+") AND b IN ("+ph+") ORDER BY id"), append(full, full...)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a, b int64
			var pp ProfilePair
			var user, agency string
			if err := rows.Scan(&pp.Judgement, &a, &b, &pp.Verdict, &user, &agency); err != nil {
				rows.Close()
				return nil, err
			}
			pp.A, pp.B, pp.JudgedBy, pp.Probability = ids[a], ids[b], user+" ("+agency+")", -1
			v.Pairs = append(v.Pairs, pp)
		}
		rows.Close()
	}
	for _, m := range v.Members {
		e.Objects = append(e.Objects, m.ID)
	}
	if err := s.Audit(ctx, e); err != nil {
		return nil, err
	}
	return v, nil
}

// ProfileOf returns the profile id of a record the principal may know of
// ("" if it is not resolved).
func (s *Store) ProfileOf(ctx context.Context, p rabta.Principal, recordID string) (string, error) {
	ms, err := s.metas(ctx, "WHERE id = ?", recordID)
	if err != nil {
		return "", err
	}
	if len(ms) == 0 {
		return "", rabta.Errorf(rabta.ENotFound, "record not found")
	}
	if a, err := s.decide(ctx, p, ms[0]); err != nil || a == rabta.AccessNone {
		return "", rabta.Errorf(rabta.ENotFound, "record not found")
	}
	var prof string
	err = s.db.QueryRowContext(ctx, s.q("SELECT profile FROM profile_members WHERE rid = ?"), ms[0].rid).Scan(&prof)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return prof, err
}

// fullPair loads two records' metas by id and requires that p sees both in
// full: a judgement or a review compares their content.
func (s *Store) fullPair(ctx context.Context, p rabta.Principal, aID, bID string) (*meta, *meta, error) {
	if !p.CanWriteRecords() {
		return nil, nil, rabta.Errorf(rabta.EForbidden, "your roles do not allow judging records")
	}
	if aID == bID {
		return nil, nil, rabta.Errorf(rabta.EInvalid, "b: a record is always the same as itself")
	}
	var out [2]*meta
	for i, id := range []string{aID, bID} {
		ms, err := s.metas(ctx, "WHERE id = ?", id)
		if err != nil {
			return nil, nil, err
		}
		if len(ms) == 0 {
			return nil, nil, rabta.Errorf(rabta.ENotFound, "record not found")
		}
		a, err := s.decide(ctx, p, ms[0])
		if err != nil {
			return nil, nil, err
		}
		if a != rabta.AccessFull {
			return nil, nil, rabta.Errorf(rabta.ENotFound, "record not found") // pointer or none: judging needs both in full
		}
		out[i] = ms[0]
	}
	if out[0].rid > out[1].rid {
		out[0], out[1] = out[1], out[0]
	}
	return out[0], out[1], nil
}

// Judge records an analyst's judgement on two records (same, not_same,
// unsure), replacing the pair's earlier judgement, and re-clusters the
// profiles at once. It returns the judgement's id.
func (s *Store) Judge(ctx context.Context, p rabta.Principal, aID, bID, verdict, reason string) (int64, error) {
	if verdict != VerdictSame && verdict != VerdictNotSame && verdict != VerdictUnsure {
		return 0, rabta.Errorf(rabta.EInvalid, "verdict: %q, want same, not_same or unsure", verdict)
	}
	a, b, err := s.fullPair(ctx, p, aID, bID)
	if err != nil {
		return 0, err
	}
	threshold := s.matchThreshold()
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := micros(s.now())
		if _, err := tx.ExecContext(ctx, s.q("UPDATE judgements SET retracted_at = ?, retracted_by = ? WHERE a = ? AND b = ? AND retracted_at = 0"), now, p.Username, a.rid, b.rid); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, s.q("INSERT INTO judgements (a, b, verdict, username, agency, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id"),
			a.rid, b.rid, verdict, p.Username, p.Agency, strings.TrimSpace(reason), now).Scan(&id); err != nil {
			return err
		}
		if err := s.recluster(ctx, tx, []int64{a.rid, b.rid}, threshold); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActJudge, a.id, b.id)
		e.Query = verdict + ": " + strings.TrimSpace(reason)
		return s.appendAudit(ctx, tx, e)
	})
	return id, err
}

// RetractJudgement withdraws a judgement (the matcher decides the pair
// again) and re-clusters. The judgement stays in the history.
func (s *Store) RetractJudgement(ctx context.Context, p rabta.Principal, id int64) error {
	var a, b int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT a, b FROM judgements WHERE id = ? AND retracted_at = 0"), id).Scan(&a, &b)
	if err == sql.ErrNoRows {
		return rabta.Errorf(rabta.ENotFound, "judgement not found")
	}
	if err != nil {
		return err
	}
	ms, err := s.metas(ctx, "WHERE rid IN (?, ?) ORDER BY rid", a, b)
	if err != nil || len(ms) != 2 {
		return rabta.Errorf(rabta.ENotFound, "judgement not found")
	}
	if _, _, err := s.fullPair(ctx, p, ms[0].id, ms[1].id); err != nil {
		if rabta.ErrorCode(err) == rabta.ENotFound {
			return rabta.Errorf(rabta.ENotFound, "judgement not found")
		}
		return err
	}
	threshold := s.matchThreshold()
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("UPDATE judgements SET retracted_at = ?, retracted_by = ? WHERE id = ?"), micros(s.now()), p.Username, id); err != nil {
			return err
		}
		if err := s.recluster(ctx, tx, []int64{a, b}, threshold); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActJudge, ms[0].id, ms[1].id)
		e.Query = "retract judgement " + strconv.FormatInt(id, 10)
		return s.appendAudit(ctx, tx, e)
	})
}

// ReviewItem is one pair for an analyst to judge.
type ReviewItem struct {
	A           ProfileMember `json:"a"`
	B           ProfileMember `json:"b"`
	Probability float64       `json:"probability"`
	Explanation string        `json:"explanation"`
}

// ReviewQueue returns pairs in the review zone that nobody has judged, most
// likely first, among those whose two records p sees in full.
func (s *Store) ReviewQueue(ctx context.Context, p rabta.Principal, limit int) ([]ReviewItem, error) {
	if !p.CanWriteRecords() {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not allow judging records")
	}
	threshold := s.matchThreshold()
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a, b, probability, explanation FROM match_pairs mp WHERE probability < ?
		AND NOT EXISTS (SELECT 1 FROM judgements j WHERE j.a = mp.a AND j.b = mp.b AND j.retracted_at = 0)
		ORDER BY probability DESC, a, b LIMIT 2000`), threshold)
	if err != nil {
		return nil, err
	}
	type pr struct {
		a, b int64
		p    float64
		expl string
	}
	var prs []pr
	for rows.Next() {
		var x pr
		if err := rows.Scan(&x.a, &x.b, &x.p, &x.expl); err != nil {
			rows.Close()
			return nil, err
		}
		prs = append(prs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []ReviewItem
	metaOf := map[int64]*meta{}
	for _, x := range prs {
		if len(out) == limit {
			break
		}
		ok := true
		var pair [2]ProfileMember
		for i, rid := range []int64{x.a, x.b} {
			m := metaOf[rid]
			if m == nil {
				ms, err := s.metas(ctx, "WHERE rid = ?", rid)
				if err != nil {
					return nil, err
				}
				if len(ms) == 0 {
					ok = false
					break
				}
				m = ms[0]
				metaOf[rid] = m
			}
			a, err := s.decide(ctx, p, m)
			if err != nil {
				return nil, err
			}
			if a != rabta.AccessFull {
				ok = false
				break
			}
			pair[i] = ProfileMember{ID: m.id, Schema: m.schema, Caption: m.caption, Agency: m.agency, Access: a}
		}
		if ok {
			out = append(out, ReviewItem{A: pair[0], B: pair[1], Probability: x.p, Explanation: x.expl})
		}
	}
	e := event(ctx, p, rabta.ActReviewRead)
	e.Count = len(out)
	for _, it := range out {
		e.Objects = append(e.Objects, it.A.ID, it.B.ID)
	}
	if err := s.Audit(ctx, e); err != nil {
		return nil, err
	}
	return out, nil
}
