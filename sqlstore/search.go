package sqlstore

import (
	"context"
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
	MatchedOn string         `json:"matched_on,omitempty"` // "identifier" or "text" (full hits only)
	score     float64
	rid       int64
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

	scores := map[int64]float64{}
	matched := map[int64]string{}
	var order []int64
	addCand := func(rid int64, score float64, how string) {
		if _, ok := scores[rid]; !ok {
			order = append(order, rid)
			matched[rid] = how
		}
		scores[rid] = max(scores[rid], score)
	}
	capped := false
	found := false
	for _, id := range ident.Detect(q) {
		rids, err := s.ridsOf(ctx, s.q("SELECT rid FROM record_identifiers WHERE value = ? AND kind = ? LIMIT ?"), id.Value, string(id.Kind), maxCandidates)
		if err != nil {
			return nil, err
		}
		for _, rid := range rids {
			found = true
			addCand(rid, 10, "identifier")
		}
	}
	// A whole identifier that was found needs no text search; one that was
	// not may be a fragment or an odd format, so text search goes on.
	if !found {
		rids, err := s.textCandidates(ctx, q, maxCandidates+1)
		if err != nil {
			return nil, err
		}
		if len(rids) > maxCandidates {
			rids, capped = rids[:maxCandidates], true
		}
		for i, rid := range rids {
			// Candidates arrive best first; keep that order as the score.
			addCand(rid, 1-float64(i)/float64(len(rids)+1), "text")
		}
	}

	hits, err := s.decideHits(ctx, p, order, sq.Schema)
	if err != nil {
		return nil, err
	}
	for i := range hits {
		hits[i].score = scores[hits[i].rid]
		if hits[i].Access == rabta.AccessFull {
			hits[i].MatchedOn = matched[hits[i].rid]
		}
	}
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	res := &SearchResult{Total: len(hits), Capped: capped, Results: []SearchHit{}}
	if sq.Offset < len(hits) {
		res.Results = hits[sq.Offset:min(len(hits), sq.Offset+sq.Limit)]
	}
	e := event(ctx, p, rabta.ActSearch)
	e.Query = q
	e.Count = res.Total
	for _, h := range res.Results {
		e.Objects = append(e.Objects, h.ID)
	}
	if err := s.Audit(ctx, e); err != nil {
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

// textCandidates returns the rids of records matching the words of q, best
// first. Every word must match, as itself, by skeleton (spelling variants),
// or — the last word, which may still be being typed — as a prefix. Only if
// no record matches that way does it look for the words as substrings (the
// trigram indexes), for fragments such as part of a number.
func (s *Store) textCandidates(ctx context.Context, q string, limit int) ([]int64, error) {
	terms := wordTerms(q)
	if len(terms) == 0 {
		return nil, nil
	}
	var rids []int64
	var err error
	if s.dialect == Postgres {
		var parts []string
		for i, t := range terms {
			p := t.word
			if i == len(terms)-1 {
				p += ":*"
			}
			if t.skeleton != "" {
				p = "(" + p + " | " + t.skeleton + ")"
			}
			parts = append(parts, p)
		}
		rids, err = s.ridsOf(ctx, `SELECT rid FROM records, to_tsquery('simple', $1) query WHERE search_words @@ query
			ORDER BY ts_rank(search_words, query) DESC, rid LIMIT $2`, strings.Join(parts, " & "), limit)
	} else {
		var parts []string
		for i, t := range terms {
			p := ftsQuote(t.word)
			if i == len(terms)-1 {
				p += "*"
			}
			if t.skeleton != "" {
				p = "(" + p + " OR " + ftsQuote(t.skeleton) + ")"
			}
			parts = append(parts, p)
		}
		rids, err = s.ridsOf(ctx, "SELECT rowid FROM records_words WHERE records_words MATCH ? ORDER BY rank LIMIT ?", strings.Join(parts, " AND "), limit)
	}
	if err != nil || len(rids) > 0 {
		return rids, err
	}
	return s.substringCandidates(ctx, terms, limit)
}

// substringCandidates finds records whose search text holds every word of
// three or more characters as a substring (trigram indexes).
func (s *Store) substringCandidates(ctx context.Context, terms []term, limit int) ([]int64, error) {
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
			conds = append(conds, "search ILIKE ?")
			args = append(args, "%"+likeEscape(w)+"%")
		}
		args = append(args, strings.Join(words, " "), limit)
		return s.ridsOf(ctx, s.q("SELECT rid FROM records WHERE "+strings.Join(conds, " AND ")+
			" ORDER BY word_similarity(?, search) DESC, rid LIMIT ?"), args...)
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = ftsQuote(w)
	}
	return s.ridsOf(ctx, "SELECT rowid FROM records_fts WHERE records_fts MATCH ? ORDER BY rank LIMIT ?", strings.Join(quoted, " AND "), limit)
}

func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (s *Store) ridsOf(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
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
			h.Caption = m.caption
		case rabta.AccessPointer:
			c := contacts[m.agency]
			h.Contact = &c
		}
		hits = append(hits, h)
	}
	return hits, nil
}
