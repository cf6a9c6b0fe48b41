package match

import (
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
	// tf, when set, returns the value two records agree on at level 1, so
	// that agreeing on a common value (Muhammad Khan, a call-centre
	// number) counts for less than agreeing on a rare one.
	tf func(e *entity) []string
	// strong marks identifiers that decide a match on their own unless
	// sex or birth date contradict (CNIC, passport), and whose
	// disagreement is strong evidence against.
	strong bool
}

// comparer holds what comparisons need besides the two records. Token
// weights are stored in the tokens themselves (names.Freq.Set), so the
// Weights here are nil unless a caller overrides them.
type comparer struct {
	nameW, addrW names.Weights
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
	for i := range a.names {
		for j := range b.names {
			if s := names.Similarity(a.names[i].Tokens, b.names[j].Tokens, c.nameW); s > best {
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
	case close && names.JaroWinkler(a, b) >= 0.92:
		return 2
	case close && names.JaroWinkler(a, b) >= 0.8:
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
		name:   "name",
		levels: nameLevels,
		cmp: func(c *comparer, a, b *entity) int {
			if len(a.names) == 0 || len(b.names) == 0 {
				return 0
			}
			return nameLevel(bestNameSim(c, a, b))
		},
		tf: func(e *entity) []string {
			var out []string
			for _, n := range e.names {
				out = append(out, tokenKey(n.Tokens))
			}
			return out
		},
	})
	if have["fatherName"] || have["name"] {
		fs = append(fs, feature{
			name:   "fatherName",
			levels: nameLevels,
			cmp: func(c *comparer, a, b *entity) int {
				if len(a.father) == 0 || len(b.father) == 0 {
					return 0
				}
				return nameLevel(names.Similarity(a.father, b.father, c.nameW))
			},
			tf: func(e *entity) []string {
				if len(e.father) == 0 {
					return nil
				}
				return []string{tokenKey(e.father)}
			},
		})
	}
	if have["birthDate"] {
		fs = append(fs, feature{
			name:   "birthDate",
			levels: dateLevels,
			cmp:    func(_ *comparer, a, b *entity) int { return dateLevel(a.dob, b.dob) },
			tf: func(e *entity) []string {
				var out []string
				for _, d := range e.dob {
					out = append(out, d.String())
				}
				return out
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
			name:   prop,
			levels: idLevels,
			cmp:    func(_ *comparer, a, b *entity) int { return idLevel(a.ids[k], b.ids[k]) },
			tf:     func(e *entity) []string { return e.ids[k] },
			strong: k == idNumber || k == idPassport,
		})
	}
	if have["address"] || have["street"] {
		fs = append(fs, feature{
			name:   "address",
			levels: []string{"missing", "exact", "≥0.90", "≥0.70", "≥0.50", "different"},
			cmp: func(c *comparer, a, b *entity) int {
				if len(a.address) == 0 || len(b.address) == 0 {
					return 0
				}
				s := names.Similarity(a.address, b.address, c.addrW)
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
			name:   name,
			levels: stringLevels,
			cmp:    func(_ *comparer, a, b *entity) int { return levelOfStrings(get(a), get(b), close) },
			tf: func(e *entity) []string {
				if v := get(e); v != "" {
					return []string{v}
				}
				return nil
			},
		}
	}
	if have["city"] {
		fs = append(fs, str("city", func(e *entity) string { return e.city }, true))
	}
	if have["postalCode"] {
		fs = append(fs, feature{
			name:   "postalCode",
			levels: idLevels,
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
			tf: func(e *entity) []string {
				if e.postal == "" {
					return nil
				}
				return []string{e.postal}
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
			name:   "employer",
			levels: []string{"missing", "≥0.90", "≥0.60", "different"},
			cmp: func(c *comparer, a, b *entity) int {
				if len(a.employ) == 0 || len(b.employ) == 0 {
					return 0
				}
				s := names.Similarity(a.employ, b.employ, c.nameW)
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

// tokenKey is a name's tokens in sorted order: the value for term
// frequencies of whole names.
func tokenKey(ts []names.Token) string {
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.Text
	}
	sortStrings(keys)
	n := 0
	for _, k := range keys {
		n += len(k) + 1
	}
	b := make([]byte, 0, n)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, k...)
	}
	return string(b)
}
