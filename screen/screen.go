// Package screen finds people and organisations on a sanctions list: the
// UN Security Council consolidated list and national lists in its shape
// (package sanctions reads them). Every name of every entry is indexed —
// the primary name, the name in its original script, aliases of either
// quality and former names — and a query (a name, optionally a birth date,
// a nationality and whether it is a person or an organisation) returns the
// entries most likely to be the same subject, each with the name that
// matched and a score in [0, 1].
//
// # Words
//
// Names are parsed by package names (titles set apart, spellings merged,
// phonetic skeletons that compare Latin and Arabic script), after prepare
// has evened out how lists and clerks write them: Cyrillic transliterated,
// apostrophes inside words dropped, the Arabic article separated, Arabic
// presentation forms and Pashto letters normalised, "ben" and "ould" read
// as "bin". Each word weighs by its rarity among the list's names (inverse
// document frequency), so "Muhammad" and "Khan" count for little and
// "Zulfiqar" for much; titles and legal forms weigh little, stop words
// nothing. Two words compare with names.TokenSim, made stricter (a shared
// prefix is not a shared name) and looser where transliteration needs it
// (consonants that transliterations confuse, one name written as one word
// or as two): see tokSim and align.
//
// # Scoring
//
// Two names are aligned word to word, in any order, as names.Similarity
// does, and their score is
//
//	similarity × √coverage(query) × ∜coverage(listed) × (1 − e^(−evidence/scale))
//
// where coverage is the share of a name's weight the aligned words account
// for, evidence sums over the aligned pairs their similarity times the
// lesser of their weights, and scale is 0.6 × the weight of a word seen once
// (8.3 on the UN list). Words of the query that nothing matches cost most:
// a Muhammad Asif Khan is not a listed Muhammad Khan. Words of the listed
// name that the query lacks cost less, since lists give fuller names than
// those a person goes by — but a query "Muhammad Khan" still scores below
// 0.5 against a listed "Muhammad Zulfiqar Khan", whose one identifying word
// it lacks, and every name made only of common words scores low however
// exactly it agrees. Matches on an alias the UN grades low quality (a
// kunya, a single word) count 0.85 of their score.
//
// An entry's name score is that of its best-matching name. A birth date
// then raises it when it agrees with one of the entry's (exact, year-only
// or a range, compared with dates.Compare) and lowers it by a fifth when
// it contradicts all of them; a nationality does the same, more gently.
// Neither can make a candidate of an entry whose names do not match: they
// reorder and rescale candidates found by name. Candidates are ordered by
// score, then list ID.
//
// # Retrieval
//
// Candidates come from an inverted index on each word's skeleton, its
// deletion neighbourhood (every form with one letter left out, for
// spelling differences), a key with confusable consonants merged, and the
// skeletons of adjacent words joined; hits accumulate by word weight, and
// only the best MaxCandidates names are scored in full. A query thus costs
// the postings of its own words, not a scan of the list. A query of one
// word written as an acronym (LRA, LeT) also finds the organisations whose
// initials spell it (see acronym.go).
package screen

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/rabta/rabta/dates"
	"github.com/rabta/rabta/names"
	"github.com/rabta/rabta/sanctions"
)

// Query is one subject to screen. Only Name is required.
type Query struct {
	Name string `json:"name"`
	// Aliases are further names of the same subject (other spellings, a
	// name in another script); the best-matching one counts.
	Aliases []string `json:"aliases,omitempty"`
	// BirthDate in any format dates.Parse reads; unreadable dates are
	// ignored (check them with dates.Parse before screening).
	BirthDate string `json:"birth_date,omitempty"`
	// Nationality as a code, a name or an adjective ("PK", "Pakistan",
	// "Pakistani"); several are separated by ";".
	Nationality string `json:"nationality,omitempty"`
	// Schema restricts the candidates to persons ("Person") or
	// organisations ("Organization", "Company", "Entity"); empty or
	// anything else screens against both.
	Schema string `json:"schema,omitempty"`
}

// Candidate is one listed entry that may be the queried subject.
type Candidate struct {
	ListID  string  `json:"list_id"` // the entry's reference number, e.g. "QDi.123"
	Name    string  `json:"name"`    // the entry's primary name
	Matched string  `json:"matched"` // the entry's name that matched best
	Score   float64 `json:"score"`   // in [0, 1], rounded to 4 decimals

	// Explanation, not part of the JSON contract.
	Kind      string      `json:"-"` // the kind of the matched name (sanctions.KindAlias …)
	Quality   string      `json:"-"` // its quality, for aliases
	NameScore float64     `json:"-"` // the score of the names alone
	BirthDate dates.Level `json:"-"` // how the birth dates agree (dates.Missing when either is unknown)
	Nation    int         `json:"-"` // +1 a nationality agrees, -1 all disagree, 0 unknown
}

// Options tune an Index. The zero value is the default.
type Options struct {
	// Dictionary parses names; nil is NewDictionary(): names.Default()
	// with the titles and abbreviations of sanctions lists added.
	Dictionary *names.Dictionary
	// MaxCandidates is how many names, best first by the weight of their
	// words shared with the query, are scored in full per query; 0 is 80.
	MaxCandidates int
}

// Index is a searchable sanctions list. It is safe for concurrent use.
type Index struct {
	dict    *names.Dictionary
	freq    *names.Freq
	entries []entry
	names   []indexed
	post    map[string][]int32 // retrieval key → indexes into names, ascending
	words   int                // distinct words (tok.id)
	scale   float64            // evidenceScale × the weight of a word seen once
	maxCand int
	scratch sync.Pool
	acr     map[string][]int32 // acronym → indexes into names of organisations (acronymsOf)
}

type entry struct {
	id, name string
	kind     byte // 'p' person, 'o' organisation
	dobs     []dates.Date
	nations  []string // nationKey of each nationality
}

type indexed struct {
	entry   int32
	value   string
	kind    string
	quality string
	name    pname // words with weights set
}

// Weight of a match on an alias the list grades low quality.
const lowQualityFactor = 0.85

// New indexes every name of every entry of l.
func New(l *sanctions.List, o Options) *Index {
	ix := &Index{dict: o.Dictionary, freq: names.NewFreq(), post: map[string][]int32{}, maxCand: o.MaxCandidates}
	if ix.dict == nil {
		ix.dict = defaultDictionary()
	}
	if ix.maxCand <= 0 {
		ix.maxCand = 80
	}
	for i := range l.Entries {
		e := &l.Entries[i]
		en := entry{id: e.ID, name: e.Name, kind: 'p'}
		if e.Schema == sanctions.SchemaOrganization {
			en.kind = 'o'
		}
		for _, b := range e.BirthDates {
			if d, ok := listDate(b); ok {
				en.dobs = append(en.dobs, d)
			}
		}
		for _, n := range e.Nationalities {
			if blankNation[foldCountry(n)] {
				continue
			}
			if k := nationKey(n); k != "" && !slices.Contains(en.nations, k) {
				en.nations = append(en.nations, k)
			}
		}
		ix.entries = append(ix.entries, en)
		for _, n := range e.Names {
			toks := ix.tokens(n.Value)
			if len(toks) == 0 {
				continue
			}
			ix.freq.Add(names.Name{Tokens: plain(toks)})
			ix.names = append(ix.names, indexed{entry: int32(i), value: n.Value, kind: n.Kind, quality: n.Quality, name: pname{toks: toks}})
		}
	}
	ids := map[tokIdent]int32{}
	for i := range ix.names {
		nm := &ix.names[i]
		ix.setWeights(nm.name.toks)
		nm.name.runs = runsOf(nm.name.toks)
		intern := func(t *tok) {
			k := tokIdent{t.Text, t.Key, t.Initial, t.Arabic, t.minor}
			id, ok := ids[k]
			if !ok {
				id = int32(len(ids))
				ids[k] = id
			}
			t.id = id
		}
		for j := range nm.name.toks {
			intern(&nm.name.toks[j])
		}
		for j := range nm.name.runs {
			intern(&nm.name.runs[j].t)
		}
		for _, k := range retrievalKeys(nm.name, nil) {
			p := ix.post[k.key]
			if len(p) == 0 || p[len(p)-1] != int32(i) {
				ix.post[k.key] = append(p, int32(i))
			}
		}
	}
	ix.words = len(ids)
	ix.acr = map[string][]int32{}
	for i := range ix.names {
		nm := &ix.names[i]
		if ix.entries[nm.entry].kind != 'o' {
			continue
		}
		for _, a := range acronymsOf(nm.value) {
			ix.acr[a] = append(ix.acr[a], int32(i))
		}
	}
	ix.scale = evidenceScale * math.Log(float64(ix.freq.Names())+1)
	return ix
}

// tokIdent is what makes two words the same for tokSim.
type tokIdent struct {
	text, key              string
	initial, arabic, minor bool
}

// blankNation holds what lists write for an unknown nationality (folded):
// the UN list's "na" is "not available", not Namibia.
var blankNation = map[string]bool{"na": true, "n a": true, "unknown": true, "none": true, "not known": true}

// listDate turns a list's birth date into a dates.Date.
func listDate(b sanctions.BirthDate) (dates.Date, bool) {
	var d dates.Date
	switch {
	case b.Date != "":
		var ok bool
		if d, ok = dates.Parse(b.Date); !ok {
			return d, false
		}
	case b.Type == sanctions.DateBetween && b.From != 0 && b.To > b.From:
		d = dates.Date{Year: b.From, ToYear: b.To}
	case b.Year != 0:
		d = dates.Date{Year: b.Year}
	case b.From != 0:
		d = dates.Date{Year: b.From}
	default:
		return d, false
	}
	d.Approx = b.Type == sanctions.DateApproximately
	return d, true
}

// plain returns the words of a name without its titles, for counting.
func plain(ts []tok) []names.Token {
	out := make([]names.Token, 0, len(ts))
	for _, t := range ts {
		if !t.minor {
			out = append(out, t.Token)
		}
	}
	return out
}

// setWeights sets each word's rarity weight from the list's names.
func (ix *Index) setWeights(ts []tok) {
	for i := range ts {
		if ts[i].minor {
			ts[i].Weight = minorWeight
		} else {
			ts[i].Weight = ix.freq.Weight(ts[i].Token)
		}
	}
}

// Len is the number of entries indexed.
func (ix *Index) Len() int { return len(ix.entries) }

// Names is the number of names indexed.
func (ix *Index) Names() int { return len(ix.names) }

// A retrieval key: the key, the weight a hit on it adds (the word's
// rarity weight, discounted for a looser key), and the word it comes from
// (a run of joined words counts as its first word).
type rkey struct {
	key  string
	w    float64
	word int
}

// retrievalKeys lists the index keys of a name's words: the skeleton
// itself; its deletion neighbourhood (the skeleton and every form with one
// letter left out, so that two skeletons one edit apart share a key:
// Mochammad and Muhammad, Akhwan and Achwan); the loose key, for
// skeletons that differ in confusable consonants (looseKey); and the
// skeletons of adjacent words joined (Nam Chon Gang, Namchongang).
func retrievalKeys(n pname, buf []rkey) []rkey {
	for i, t := range n.toks {
		if t.Initial || t.minor {
			continue
		}
		k := t.Key
		if k == "" {
			buf = append(buf, rkey{"t" + t.Text, t.Weight, i})
			continue
		}
		buf = append(buf, rkey{"k" + k, t.Weight, i})
		if t.loose != "" && t.loose != k {
			buf = append(buf, rkey{"l" + t.loose, 0.4 * t.Weight, i})
		}
		if len(k) >= 3 && len(k) <= 24 {
			buf = append(buf, rkey{"d" + k, 0.5 * t.Weight, i})
			for j := 0; j < len(k); j++ {
				if j > 0 && k[j] == k[j-1] {
					continue // the same form as the previous deletion
				}
				buf = append(buf, rkey{"d" + k[:j] + k[j+1:], 0.5 * t.Weight, i})
			}
		}
	}
	for _, r := range n.runs {
		buf = append(buf, rkey{"k" + r.t.Key, 0.8 * r.t.Weight, r.j})
	}
	return buf
}

type scratch struct {
	acc     []float64
	credit  []int32 // the query word (+1) that last credited each name
	touched []int32
	memo    *memo
	// retrieved is how many names the last retrieve found before keeping
	// the best maxCand (for tests).
	retrieved int
}

// Screen returns up to top candidates for q, best first (score descending,
// then list ID). A query without a name returns nothing.
func (ix *Index) Screen(q Query, top int) []Candidate {
	if top <= 0 {
		return nil
	}
	var qnames []pname
	for _, s := range append([]string{q.Name}, q.Aliases...) {
		if toks := ix.tokens(s); len(toks) > 0 {
			ix.setWeights(toks)
			qnames = append(qnames, pname{toks, runsOf(toks)})
		}
	}
	if len(qnames) == 0 {
		return nil
	}
	kind := schemaKind(q.Schema)
	sc, _ := ix.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{acc: make([]float64, len(ix.names)), credit: make([]int32, len(ix.names)), memo: newMemo(ix.words)}
	}
	defer ix.scratch.Put(sc)
	cands := ix.retrieve(sc, qnames, kind)

	var dob dates.Date
	if q.BirthDate != "" {
		dob, _ = dates.Parse(q.BirthDate)
	}
	var nations []string
	for _, s := range strings.Split(q.Nationality, ";") {
		if k := nationKey(s); k != "" {
			nations = append(nations, k)
		}
	}

	scores := make([]float64, len(cands))
	for _, qt := range qnames {
		for k, ni := range cands {
			scores[k] = max(scores[k], nameScore(qt, ix.names[ni].name, sc.memo, ix.scale))
		}
		sc.memo.reset()
	}
	// A query written as an acronym (LRA) finds the organisations whose
	// initials spell it, when their words do not match better.
	for _, s := range append([]string{q.Name}, q.Aliases...) {
		a := queryAcronym(s, kind)
		if a == "" {
			continue
		}
		for _, ni := range ix.acr[a] {
			if kind != 0 && ix.entries[ix.names[ni].entry].kind != kind {
				continue
			}
			if k := slices.Index(cands, ni); k >= 0 {
				scores[k] = max(scores[k], acronymScore(a))
			} else {
				cands = append(cands, ni)
				scores = append(scores, acronymScore(a))
			}
		}
	}
	best := map[int32]Candidate{}
	for k, ni := range cands {
		nm := &ix.names[ni]
		s := scores[k]
		if nm.quality == sanctions.QualityLow {
			s *= lowQualityFactor
		}
		if s <= 0 {
			continue
		}
		if c, ok := best[nm.entry]; ok && c.NameScore >= s {
			continue
		}
		best[nm.entry] = Candidate{Matched: nm.value, Kind: nm.kind, Quality: nm.quality, NameScore: s}
	}
	out := make([]Candidate, 0, len(best))
	for ei, c := range best {
		e := &ix.entries[ei]
		c.ListID, c.Name = e.id, e.name
		c.Score = c.NameScore
		if !dob.IsZero() {
			c.BirthDate = bestDate(dob, e.dobs)
			c.Score = adjustDate(c.Score, c.BirthDate)
		}
		if len(nations) > 0 && len(e.nations) > 0 {
			c.Nation = -1
			for _, n := range nations {
				if slices.Contains(e.nations, n) {
					c.Nation = 1
				}
			}
			if c.Nation > 0 {
				c.Score += (1 - c.Score) * 0.15 * c.Score
			} else {
				c.Score *= 0.9
			}
		}
		c.Score = math.Round(c.Score*1e4) / 1e4
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.Score != b.Score {
			return cmp.Compare(b.Score, a.Score)
		}
		return strings.Compare(a.ListID, b.ListID)
	})
	if len(out) > top {
		out = out[:top]
	}
	return out
}

// schemaKind reads a query's schema: 'p', 'o' or 0 for either.
func schemaKind(s string) byte {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person", "individual", "people", "p":
		return 'p'
	case "organization", "organisation", "company", "entity", "o":
		return 'o'
	}
	return 0
}

// retrieve returns the names worth scoring in full: those sharing a
// retrieval key with a query name, the best maxCand by the weight of the
// query words they share.
func (ix *Index) retrieve(sc *scratch, qnames []pname, kind byte) []int32 {
	var keys []rkey
	word := int32(0)
	// A common word (Muhammad) finds its names by its own skeleton; its
	// looser keys would add hundreds of names for nothing.
	common := max(50, len(ix.names)/50)
	for _, n := range qnames {
		keys = retrievalKeys(n, keys[:0])
		keys = slices.DeleteFunc(keys, func(k rkey) bool {
			return (k.key[0] == 'd' || k.key[0] == 'l') && len(ix.post["k"+n.toks[k.word].Key]) > common
		})
		// The heaviest key of a word first, so that a name credited by
		// it is not credited again, less, by a looser key of the same word.
		slices.SortStableFunc(keys, func(a, b rkey) int {
			if a.word != b.word {
				return a.word - b.word
			}
			return cmp.Compare(b.w, a.w)
		})
		last := -1
		for _, k := range keys {
			if k.word != last {
				word++
				last = k.word
			}
			post := ix.post[k.key]
			// A key many names share says little, however rare the query
			// word: its credit is capped by its own rarity.
			w := min(k.w, math.Log(float64(len(ix.names)+1)/float64(max(1, len(post)))))
			for _, ni := range post {
				if sc.credit[ni] == word {
					continue
				}
				if kind != 0 && ix.entries[ix.names[ni].entry].kind != kind {
					continue
				}
				if sc.credit[ni] == 0 {
					sc.touched = append(sc.touched, ni)
				}
				sc.credit[ni] = word
				sc.acc[ni] += w
			}
		}
	}
	cands := slices.Clone(sc.touched)
	sc.retrieved = len(cands)
	if len(cands) > ix.maxCand {
		slices.SortFunc(cands, func(a, b int32) int {
			if sc.acc[a] != sc.acc[b] {
				return cmp.Compare(sc.acc[b], sc.acc[a])
			}
			return int(a - b)
		})
		cands = cands[:ix.maxCand]
	}
	for _, ni := range sc.touched {
		sc.acc[ni], sc.credit[ni] = 0, 0
	}
	sc.touched = sc.touched[:0]
	return cands
}

// bestDate is the best agreement between a query date and any of an
// entry's dates.
func bestDate(q dates.Date, ds []dates.Date) dates.Level {
	best := dates.Missing
	for _, d := range ds {
		l := dates.Compare(q, d)
		if best == dates.Missing || l < best {
			best = l
		}
	}
	return best
}

// adjustDate moves a name score by the birth-date evidence: agreement
// closes part of the gap to 1, in proportion to the name score (a date
// shared by chance cannot lift a weak name match), and a contradiction
// takes a fifth off. Listed people often have several dates, some false,
// so a wrong date lowers a strong name match without hiding it.
func adjustDate(s float64, l dates.Level) float64 {
	switch l {
	case dates.Exact:
		return s + (1-s)*0.5*s
	case dates.Transposed, dates.Typo, dates.SameYearMonth:
		return s + (1-s)*0.3*s
	case dates.SameYear:
		return s + (1-s)*0.25*s
	case dates.NearYear:
		return s
	case dates.Different:
		return s * 0.8
	}
	return s
}
