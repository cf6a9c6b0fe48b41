package match

import (
	"slices"

	"github.com/rabta/rabta/dates"
	"github.com/rabta/rabta/names"
)

// A feature compares one aspect of two records into a discrete level.
// Level 0 is always "missing" (one side has no value): it weighs nothing.
// Level 1 is the strongest agreement; the last is disagreement.
type feature struct {
	name   string
	levels []string
	cmp    func(c *comparer, a, b *entity) int
	// tf, when set, appends hashes of the values two records agree on at
	// level 1, so that agreeing on a common value (Muhammad Khan, a
	// call-centre number) counts for less than agreeing on a rare one.
	tf func(c *comparer, e *entity, hs []uint64) []uint64
	// strong marks identifiers that decide a match on their own unless
	// sex or birth date contradict (CNIC, passport), and whose
	// disagreement is strong evidence against.
	strong bool
	// ordinal marks features whose levels go from the strongest agreement
	// to disagreement, so that their weights may not rise along them.
	ordinal bool
}

// comparer holds what comparisons need besides the two records: the run's
// vocabulary, and room to spell two records' words out in it. Each
// goroutine has its own (fork). Token weights are stored in the vocabulary
// (names.Freq.Weight), so the Weights here are nil unless a caller
// overrides them.
type comparer struct {
	vocab        []names.Token
	nameW, addrW names.Weights
	ta, tb       []names.Token
}

func (c *comparer) fork() *comparer {
	return &comparer{vocab: c.vocab, nameW: c.nameW, addrW: c.addrW}
}

// similarity compares part i of a with part j of b.
func (c *comparer) similarity(a *entity, i int, b *entity, j int, w names.Weights) float64 {
	c.ta = spell(c.ta[:0], c.vocab, a.part(i))
	c.tb = spell(c.tb[:0], c.vocab, b.part(j))
	return names.Similarity(c.ta, c.tb, w)
}

// spell appends the tokens of words to ts.
func spell(ts, vocab []names.Token, words []int32) []names.Token {
	for _, w := range words {
		ts = append(ts, vocab[w])
	}
	return ts
}

func nameLevel(s float64) int {
	switch {
	case s >= 0.999:
		return 1
	case s >= 0.92:
		return 2
	case s >= 0.8:
		return 3
	case s >= 0.65:
		return 4
	case s >= 0.45:
		return 5
	}
	return 6
}

var nameLevels = []string{"missing", "exact", "≥0.92", "≥0.80", "≥0.65", "≥0.45", "different"}

func bestNameSim(c *comparer, a, b *entity) float64 {
	best := 0.0
	for i := range int(a.nNames) {
		for j := range int(b.nNames) {
			if s := c.similarity(a, i, b, j, c.nameW); s > best {
				best = s
				if best >= 0.999 {
					return best
				}
			}
		}
	}
	return best
}

func levelOfStrings(a, b string, close bool) int {
	switch {
	case a == "" || b == "":
		return 0
	case a == b:
		return 1
	case !close || names.JaroWinklerBound(a, b) < 0.8:
		return 4
	}
	switch jw := names.JaroWinkler(a, b); {
	case jw >= 0.92:
		return 2
	case jw >= 0.8:
		return 3
	}
	return 4
}

var stringLevels = []string{"missing", "exact", "≥0.92", "≥0.80", "different"}

// idLevel compares identifier sets: exact if they share a value, close if
// two values differ by one typing error (one character changed, dropped,
// added, or two swapped), else different.
func idLevel(a, b []string) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	level := 3
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return 1
			}
			if len(x) >= 5 && oneEdit(x, y) {
				level = 2
			}
		}
	}
	return level
}

var idLevels = []string{"missing", "exact", "one typo", "different"}

// oneEdit reports whether a and b are one substitution, insertion,
// deletion or adjacent transposition apart.
func oneEdit(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		diff := -1
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				if diff >= 0 {
					// a second difference: only a swap of neighbours
					return diff == i-1 && a[diff] == b[i] && a[i] == b[diff] && a[i+1:] == b[i+1:]
				}
				diff = i
			}
		}
		return true
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}

// features returns the features that apply given which properties occur
// in the data: a property no record has would only ever be missing.
func features(have map[string]bool) []feature {
	var fs []feature
	fs = append(fs, feature{
		name:    "name",
		levels:  nameLevels,
		ordinal: true,
		cmp: func(c *comparer, a, b *entity) int {
			if a.nNames == 0 || b.nNames == 0 {
				return 0
			}
			return nameLevel(bestNameSim(c, a, b))
		},
		tf: func(c *comparer, e *entity, hs []uint64) []uint64 {
			for k := range int(e.nNames) {
				hs = append(hs, tokenHash(c.vocab, e.part(k)))
			}
			return hs
		},
	})
	if have["fatherName"] || have["name"] {
		fs = append(fs, feature{
			name:    "fatherName",
			levels:  nameLevels,
			ordinal: true,
			cmp: func(c *comparer, a, b *entity) int {
				if len(a.part(partFather)) == 0 || len(b.part(partFather)) == 0 {
					return 0
				}
				return nameLevel(c.similarity(a, partFather, b, partFather, c.nameW))
			},
			tf: func(c *comparer, e *entity, hs []uint64) []uint64 {
				if f := e.part(partFather); len(f) > 0 {
					hs = append(hs, tokenHash(c.vocab, f))
				}
				return hs
			},
		})
	}
	if have["birthDate"] {
		fs = append(fs, feature{
			name:   "birthDate",
			levels: dateLevels,
			cmp:    func(_ *comparer, a, b *entity) int { return dateLevel(a.dob, b.dob) },
			tf: func(_ *comparer, e *entity, hs []uint64) []uint64 {
				for _, d := range e.dob {
					hs = append(hs, uint64(newHash().add(d.String())))
				}
				return hs
			},
		})
	}
	if have["gender"] {
		fs = append(fs, feature{
			name:   "gender",
			levels: []string{"missing", "same", "different"},
			cmp: func(_ *comparer, a, b *entity) int {
				switch {
				case a.gender == 0 || b.gender == 0:
					return 0
				case a.gender == b.gender:
					return 1
				}
				return 2
			},
		})
	}
	for k, prop := range idProps {
		if !have[prop] {
			continue
		}
		fs = append(fs, feature{
			name:    prop,
			levels:  idLevels,
			cmp:     func(_ *comparer, a, b *entity) int { return idLevel(a.idsOf(k), b.idsOf(k)) },
			tf:      func(_ *comparer, e *entity, hs []uint64) []uint64 { return appendHashes(hs, e.idsOf(k)...) },
			strong:  k == idNumber || k == idPassport,
			ordinal: true,
		})
	}
	if have["address"] || have["street"] {
		fs = append(fs, feature{
			name:    "address",
			levels:  []string{"missing", "exact", "≥0.90", "≥0.70", "≥0.50", "different"},
			ordinal: true,
			cmp: func(c *comparer, a, b *entity) int {
				if len(a.part(partAddress)) == 0 || len(b.part(partAddress)) == 0 {
					return 0
				}
				s := c.similarity(a, partAddress, b, partAddress, c.addrW)
				switch {
				case s >= 0.999:
					return 1
				case s >= 0.9:
					return 2
				case s >= 0.7:
					return 3
				case s >= 0.5:
					return 4
				}
				return 5
			},
		})
	}
	str := func(name string, get func(e *entity) string, close bool) feature {
		return feature{
			name:    name,
			levels:  stringLevels,
			ordinal: true,
			cmp:     func(_ *comparer, a, b *entity) int { return levelOfStrings(get(a), get(b), close) },
			tf: func(_ *comparer, e *entity, hs []uint64) []uint64 {
				if v := get(e); v != "" {
					return appendHashes(hs, v)
				}
				return hs
			},
		}
	}
	if have["city"] {
		fs = append(fs, str("city", func(e *entity) string { return e.city }, true))
	}
	if have["postalCode"] {
		fs = append(fs, feature{
			name:    "postalCode",
			levels:  idLevels,
			ordinal: true,
			cmp: func(_ *comparer, a, b *entity) int {
				if a.postal == "" || b.postal == "" {
					return 0
				}
				if a.postal == b.postal {
					return 1
				}
				if oneEdit(a.postal, b.postal) {
					return 2
				}
				return 3
			},
			tf: func(_ *comparer, e *entity, hs []uint64) []uint64 {
				if e.postal == "" {
					return hs
				}
				return appendHashes(hs, e.postal)
			},
		})
	}
	if have["region"] {
		fs = append(fs, str("region", func(e *entity) string { return e.region }, false))
	}
	if have["birthPlace"] {
		fs = append(fs, str("birthPlace", func(e *entity) string { return e.place }, true))
	}
	if have["country"] || have["nationality"] {
		fs = append(fs, feature{
			name:   "country",
			levels: []string{"missing", "shared", "different"},
			cmp: func(_ *comparer, a, b *entity) int {
				if len(a.country) == 0 || len(b.country) == 0 {
					return 0
				}
				for _, x := range a.country {
					for _, y := range b.country {
						if x == y {
							return 1
						}
					}
				}
				return 2
			},
		})
	}
	if have["employer"] {
		fs = append(fs, feature{
			name:    "employer",
			levels:  []string{"missing", "≥0.90", "≥0.60", "different"},
			ordinal: true,
			cmp: func(c *comparer, a, b *entity) int {
				if len(a.part(partEmployer)) == 0 || len(b.part(partEmployer)) == 0 {
					return 0
				}
				s := c.similarity(a, partEmployer, b, partEmployer, c.nameW)
				switch {
				case s >= 0.9:
					return 1
				case s >= 0.6:
					return 2
				}
				return 3
			},
		})
	}
	return fs
}

var dateLevels = []string{"missing", "exact", "day/month swapped", "one typo", "same year and month", "same year", "within 2 years", "different"}

// dateLevel compares the best pair of birth dates.
func dateLevel(a, b []dates.Date) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	best := 0
	for _, x := range a {
		for _, y := range b {
			var l int
			switch dates.Compare(x, y) {
			case dates.Exact:
				l = 1
			case dates.Transposed:
				l = 2
			case dates.Typo:
				l = 3
			case dates.SameYearMonth:
				l = 4
			case dates.SameYear:
				l = 5
			case dates.NearYear:
				l = 6
			case dates.Missing:
				continue
			default:
				l = 7
			}
			if best == 0 || l < best {
				best = l
			}
		}
	}
	return best
}

// tokenHash hashes a name's words in sorted order: the value for term
// frequencies of whole names, whatever the order of the words.
func tokenHash(vocab []names.Token, ids []int32) uint64 {
	var buf [8]string
	words := buf[:0]
	for _, id := range ids {
		words = append(words, vocab[id].Text)
	}
	slices.Sort(words)
	h := newHash()
	for _, w := range words {
		h = h.add(w)
	}
	return uint64(h)
}

func appendHashes(hs []uint64, vs ...string) []uint64 {
	for _, v := range vs {
		hs = append(hs, uint64(newHash().add(v)))
	}
	return hs
}
