package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/names"
)

// maxCandidates bounds the work of one search: at most this many matching
// records are access-checked and ranked. A query that matches more reports
// the total as capped; the user refines it.
const maxCandidates = 2000

// SearchQuery is a search over names and identifiers.
type SearchQuery struct {
	Q      string
	Schema string // only records of this schema
	Limit  int    // results per page, default 20, at most 200
	Offset int
}

// SearchHit is one result. A pointer hit carries the holding agency, its
// contact and the schema, and nothing else of the record.
type SearchHit struct {
	ID        string         `json:"id"`
	Schema    string         `json:"schema"`
	Caption   string         `json:"caption,omitempty"`
	Agency    string         `json:"agency"`
	Access    rabta.Access   `json:"access"`
	Contact   *rabta.Contact `json:"contact,omitempty"`
	MatchedOn string         `json:"matched_on,omitempty"` // identifier, name, prefix or substring (full hits only)
	score     float64
	tier      int // the stage that found it: identifier before name before substring
	rid       int64
	via       string // the case or grant that makes it full, if only that does (meta.via)
}

// SearchResult is a page of results and the number of records the
// principal may know of that match.
type SearchResult struct {
	Results []SearchHit `json:"results"`
	Total   int         `json:"total"`
	Capped  bool        `json:"total_capped"` // more matched than were examined
}

// Search finds records by name or identifier. Identifiers in the query are
// matched in normal form (ident.Detect); words are matched as substrings and
// by consonant skeleton (names.Skeleton), so spelling variants meet. Every
// candidate goes through the access decision; records the principal may not
// know of are dropped before counting. The search is logged.
func (s *Store) Search(ctx context.Context, p rabta.Principal, sq SearchQuery) (*SearchResult, error) {
	if sq.Limit <= 0 {
		sq.Limit = 20
	}
	sq.Limit = min(sq.Limit, 200)
	sq.Offset = max(sq.Offset, 0)
	q := strings.TrimSpace(sq.Q)
	if utf8.RuneCountInString(q) > 500 {
		return nil, rabta.Errorf(rabta.EInvalid, "q: a search is at most 500 characters")
	}

	var hits []SearchHit
	seen := map[int64]bool{}
	capped := false
	// stage adds the candidates of one kind of match, after the access
	// decision; pointerOK picks the pointer hits whose match is strong
	// enough to tell the searcher that another agency holds the record
	// (nil: none is).
	stage := func(rids []int64, how string, tier int, pointerOK func([]SearchHit) (map[int64]bool, error)) error {
		if len(rids) > maxCandidates {
			rids, capped = rids[:maxCandidates], true
		}
		var fresh []int64
		for _, rid := range rids {
			if !seen[rid] {
				seen[rid] = true
				fresh = append(fresh, rid)
			}
		}
		got, err := s.decideHits(ctx, p, fresh, sq.Schema)
		if err != nil {
			return err
		}
		rank := map[int64]int{}
		for i, rid := range fresh {
			rank[rid] = i
		}
		var pointers []SearchHit
		for _, h := range got {
			if h.Access == rabta.AccessPointer {
				pointers = append(pointers, h)
			}
		}
		allowed := map[int64]bool{}
		if len(pointers) > 0 && pointerOK != nil {
			if allowed, err = pointerOK(pointers); err != nil {
				return err
			}
		}
		for _, h := range got {
			if h.Access == rabta.AccessPointer && !allowed[h.rid] {
				continue
			}
			// Candidates arrive best first; keep that order within a stage.
			h.tier = tier
			h.score = -float64(rank[h.rid])
			if h.Access == rabta.AccessFull {
				h.MatchedOn = how
			}
			hits = append(hits, h)
		}
		return nil
	}

	hidden, hiddenArgs := hiddenFilter(p)
	// 1. Identifiers, in normal form: an exact identifier is strong enough
	// for a pointer (hit/no-hit).
	for _, id := range ident.Detect(q) {
		rids, err := s.ridsOf(ctx, s.db, s.q("SELECT i.rid FROM record_identifiers i JOIN records r ON r.rid = i.rid WHERE i.value = ? AND i.kind = ? AND "+hidden+" LIMIT ?"),
			append(append([]any{id.Value, string(id.Kind)}, hiddenArgs...), maxCandidates+1)...)
		if err != nil {
			return nil, err
		}
		if err := stage(rids, "identifier", 30, allPointers); err != nil {
			return nil, err
		}
	}
	// A whole identifier the searcher may know of needs no text search; one
	// that is not found may be a fragment or an odd format.
	if len(hits) == 0 {
		terms := wordTerms(q)
		// 2. Whole words and their spelling variants, the last word also as
		// a prefix (the searcher may still be typing). A pointer needs a
		// name of at least two whole words, not a syllable or a prefix, so
		// that nobody can spell out another agency's record guess by guess.
		rids, err := s.wordCandidates(ctx, terms, hidden, hiddenArgs)
		if err != nil {
			return nil, err
		}
		var wholeName func([]SearchHit) (map[int64]bool, error)
		if len(terms) >= 2 {
			wholeName = func(ps []SearchHit) (map[int64]bool, error) { return s.haveWholeWords(ctx, ps, terms) }
		}
		if err := stage(rids, "name", 20, wholeName); err != nil {
			return nil, err
		}
		// 4. Substrings (part of a number, a fragment of a name): records
		// seen in full only.
		if len(hits) == 0 {
			rids, err := s.substringCandidates(ctx, terms, hidden, hiddenArgs)
			if err != nil {
				return nil, err
			}
			if err := stage(rids, "substring", 0, nil); err != nil {
				return nil, err
			}
		}
	}
	// Stronger matches first; within a stage, what the searcher may read
	// before pointers to what others hold; then the index's ranking.
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		if c := cmp.Compare(b.tier, a.tier); c != 0 {
			return c
		}
		if af, bf := a.Access == rabta.AccessFull, b.Access == rabta.AccessFull; af != bf {
			if af {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.score, a.score)
	})
	res := &SearchResult{Total: len(hits), Capped: capped, Results: []SearchHit{}}
	if sq.Offset < len(hits) {
		res.Results = hits[sq.Offset:min(len(hits), sq.Offset+sq.Limit)]
	}
	e := event(ctx, p, rabta.ActSearch)
	e.Query = q
	e.Count = res.Total
	var vias []string
	for _, h := range res.Results {
		e.Objects = append(e.Objects, h.ID)
		if h.via != "" && !slices.Contains(vias, h.via) {
			vias = append(vias, h.via)
		}
	}
	if len(vias) > 0 {
		// Records seen only through a case or a grant: that is the purpose
		// on record, as for a read of one of them.
		e.Purpose = strings.TrimSuffix(strings.Join(vias, ", ")+"; "+e.Purpose, "; ")
	}
	if err := s.searchHits(ctx, p, q, e); err != nil {
		return nil, err
	}
	return res, nil
}

// term is one query word: the word itself and its consonant skeleton.
type term struct{ word, skeleton string }

// wordTerms turns a query into whole-word terms. Single letters (initials,
// the s and o of "s/o") are left out: they match nearly everything.
func wordTerms(q string) []term {
	var out []term
	for _, w := range names.Tokens(q) {
		if utf8.RuneCountInString(w) < 2 {
			continue
		}
		t := term{word: w}
		if sk := names.Skeleton(w); len(sk) >= 2 && sk != w {
			t.skeleton = sk
		}
		out = append(out, t)
	}
	return out
}

// skeletonMark brackets skeleton keys in the search text, so that a
// substring search never meets them inside a word, while word indexes see
// them as words of their own.
const skeletonMark = "~"

// searchText builds the indexed text of a record from its name-like values:
// the values themselves, then the skeleton key of every word.
func searchText(values []string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, v := range values {
		b.WriteString(v)
		b.WriteString(" \u2022 ")
		// Query words are folded (names.Tokens), so the folded form is
		// indexed too where it differs: full-text indexes do not fold
		// marks outside Latin script.
		if f := names.Fold(v); f != v {
			b.WriteString(f)
			b.WriteString(" \u2022 ")
		}
	}
	for _, v := range values {
		for _, w := range names.Tokens(v) {
			sk := names.Skeleton(w)
			if len(sk) < 2 || seen[sk] {
				continue
			}
			seen[sk] = true
			b.WriteString(skeletonMark + sk + skeletonMark + " ")
		}
	}
	return strings.TrimSpace(b.String())
}

// allPointers lets every pointer hit through (exact identifiers).
func allPointers(ps []SearchHit) (map[int64]bool, error) {
	m := make(map[int64]bool, len(ps))
	for _, p := range ps {
		m[p.rid] = true
	}
	return m, nil
}

// haveWholeWords returns the hits whose search text holds every term as a
// whole word or by skeleton — not merely as a prefix. The search text is
// index data: it is read here and never leaves the store.
func (s *Store) haveWholeWords(ctx context.Context, hits []SearchHit, terms []term) (map[int64]bool, error) {
	args := make([]any, len(hits))
	for i, h := range hits {
		args[i] = h.rid
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT rid, search FROM records WHERE rid IN ("+placeholders(len(hits))+")"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ok := map[int64]bool{}
	for rows.Next() {
		var rid int64
		var text string
		if err := rows.Scan(&rid, &text); err != nil {
			return nil, err
		}
		words := map[string]bool{}
		for _, w := range names.Tokens(text) {
			words[w] = true
		}
		all := true
		for _, t := range terms {
			if !words[t.word] && (t.skeleton == "" || !words[t.skeleton]) {
				all = false
				break
			}
		}
		ok[rid] = all
	}
	return ok, rows.Err()
}

// hiddenFilter is an SQL condition on records r that leaves out records the
// principal can never know of — informant records outside the holder's
// cleared intelligence staff — before candidates are counted or cut off, so
// that neither a cap nor a fallback depends on them. It only narrows:
// every candidate still goes through the access decision.
func hiddenFilter(p rabta.Principal) (string, []any) {
	intel := p.Has(rabta.RoleAnalyst) || p.Has(rabta.RoleInvestigator) || p.Has(rabta.RoleSupervisor)
	switch {
	case !intel && !p.Has(rabta.RoleProtection):
		return "1 = 0", nil // reads no records at all
	case !intel:
		return "r.informant = FALSE", nil
	}
	var levels []any
	for _, c := range []rabta.Classification{rabta.Unclassified, rabta.Restricted, rabta.Confidential, rabta.Secret} {
		if p.Clearance.Covers(c) {
			levels = append(levels, string(c))
		}
	}
	if len(levels) == 0 {
		return "r.informant = FALSE", nil
	}
	return "(r.informant = FALSE OR (r.agency = ? AND r.classification IN (" + placeholders(len(levels)) + ")))", append([]any{p.Agency}, levels...)
}

// wordCandidates returns the rids of records in which every term occurs as
// a whole word or by skeleton (spelling variant) — the last term also as
// the start of a word — best first.
func (s *Store) wordCandidates(ctx context.Context, terms []term, hidden string, hiddenArgs []any) ([]int64, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	var parts []string
	for i, t := range terms {
		last := i == len(terms)-1
		if s.dialect == Postgres {
			p := t.word
			if last {
				p += ":*"
			}
			if t.skeleton != "" {
				p = "(" + p + " | " + t.skeleton + ")"
			}
			parts = append(parts, p)
			continue
		}
		p := ftsQuote(t.word)
		if last {
			p += "*"
		}
		if t.skeleton != "" {
			p = "(" + p + " OR " + ftsQuote(t.skeleton) + ")"
		}
		parts = append(parts, p)
	}
	if s.dialect == Postgres {
		args := append([]any{strings.Join(parts, " & ")}, hiddenArgs...)
		return s.ridsOf(ctx, s.db, s.q(`SELECT r.rid FROM records r, to_tsquery('simple', ?) query WHERE r.search_words @@ query AND `+hidden+`
			ORDER BY ts_rank(r.search_words, query) DESC, r.rid LIMIT ?`), append(args, maxCandidates+1)...)
	}
	args := append([]any{strings.Join(parts, " AND ")}, hiddenArgs...)
	return s.ridsOf(ctx, s.db, "SELECT f.rowid FROM records_words f JOIN records r ON r.rid = f.rowid WHERE records_words MATCH ? AND "+hidden+
		" ORDER BY f.rank LIMIT ?", append(args, maxCandidates+1)...)
}

// substringCandidates finds records whose search text holds every word of
// three or more characters as a substring (trigram indexes).
func (s *Store) substringCandidates(ctx context.Context, terms []term, hidden string, hiddenArgs []any) ([]int64, error) {
	var words []string
	for _, t := range terms {
		if utf8.RuneCountInString(t.word) >= 3 {
			words = append(words, t.word)
		}
	}
	if len(words) == 0 {
		return nil, nil
	}
	if s.dialect == Postgres {
		var conds []string
		var args []any
		for _, w := range words {
			conds = append(conds, "r.search ILIKE ?")
			args = append(args, "%"+likeEscape(w)+"%")
		}
		args = append(append(args, hiddenArgs...), strings.Join(words, " "), maxCandidates+1)
		return s.ridsOf(ctx, s.db, s.q("SELECT r.rid FROM records r WHERE "+strings.Join(conds, " AND ")+" AND "+hidden+
			" ORDER BY word_similarity(?, r.search) DESC, r.rid LIMIT ?"), args...)
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = ftsQuote(w)
	}
	args := append([]any{strings.Join(quoted, " AND ")}, hiddenArgs...)
	return s.ridsOf(ctx, s.db, "SELECT f.rowid FROM records_fts f JOIN records r ON r.rid = f.rowid WHERE records_fts MATCH ? AND "+hidden+
		" ORDER BY f.rank LIMIT ?", append(args, maxCandidates+1)...)
}

func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Store) ridsOf(ctx context.Context, q rowsQueryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var rid int64
		if err := rows.Scan(&rid); err != nil {
			return nil, err
		}
		out = append(out, rid)
	}
	return out, rows.Err()
}

// rowsQueryer is a database or a transaction.
type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// decideHits loads the metas of the given records, in the given order, and
// turns each into a hit according to the access decision; records the
// principal may not know of are dropped here, before anything is counted.
func (s *Store) decideHits(ctx context.Context, p rabta.Principal, rids []int64, schemaFilter string) ([]SearchHit, error) {
	metas := make(map[int64]*meta, len(rids))
	for start := 0; start < len(rids); start += 500 {
		chunk := rids[start:min(len(rids), start+500)]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		rows, err := s.db.QueryContext(ctx, s.q("SELECT "+metaCols+" FROM records WHERE rid IN ("+placeholders(len(chunk))+")"), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			m, err := scanMeta(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			metas[m.rid] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	contacts, err := s.contacts(ctx)
	if err != nil {
		return nil, err
	}
	hits := make([]SearchHit, 0, len(rids))
	for _, rid := range rids {
		m := metas[rid]
		if m == nil || schemaFilter != "" && m.schema != schemaFilter {
			continue
		}
		a, err := s.decide(ctx, p, m)
		if err != nil {
			return nil, err
		}
		h := SearchHit{ID: m.id, Schema: m.schema, Agency: m.agency, Access: a, rid: rid}
		switch a {
		case rabta.AccessNone:
			continue
		case rabta.AccessFull:
			h.Caption, h.via = m.caption, m.via(p, s.now())
		case rabta.AccessPointer:
			c := contacts[m.agency]
			h.Contact = &c
		}
		hits = append(hits, h)
	}
	return hits, nil
}
