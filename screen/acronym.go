package screen

import (
	"slices"
	"strings"
	"unicode"
)

// Organisations go by the initials of their names: LRA for the Lord's
// Resistance Army, LeT for Lashkar-e-Tayyiba, MAEI for the Ministry of
// Atomic Energy Industry. Each organisation's name is indexed under its
// acronyms (acronymsOf), and a query of one short word written as an
// acronym (queryAcronym) finds the names whose initials spell it. No word
// of the two names agrees, so such a match scores modestly (acronymScore):
// enough to come first when nothing else does, never to outrank a name
// whose words agree.

// acronymParticles are words an acronym may or may not keep: the stop
// words, and the particles of Arabic, Urdu and Persian names (Harakat-ul
// Jihad Islami is HuJI, Al-Qaida in Iraq AQI).
var acronymParticles = map[string]bool{"al": true, "el": true, "ul": true, "ud": true, "ur": true, "e": true, "i": true, "a": true, "wal": true}

// acronymsOf lists the acronyms a name may go by, lower case: the
// initials of all its words, of the words other than stop words and
// particles, and of those other than legal forms too. A parenthesised part
// (an acronym given with the name) is left out. Names of fewer than three
// words, and acronyms of fewer than three letters or more than eight, are
// not listed.
func acronymsOf(name string) []string {
	if i := strings.IndexByte(name, '('); i > 0 {
		name = name[:i]
	}
	words := strings.FieldsFunc(strings.ToLower(prepare(name)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) < 3 {
		return nil
	}
	var all, content, core []rune
	for _, w := range words {
		r := []rune(w)[0]
		if r >= 0x80 {
			return nil // initials are Latin letters
		}
		all = append(all, r)
		if stopWords[w] || acronymParticles[w] {
			continue
		}
		content = append(content, r)
		if !legalForms[w] && !legalFormWords[w] {
			core = append(core, r)
		}
	}
	var out []string
	for _, a := range [][]rune{all, content, core} {
		if s := string(a); len(a) >= 3 && len(a) <= 8 && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// legalFormWords are the legal forms as written in full, which legalForms
// holds in canonical form only.
var legalFormWords = map[string]bool{"co": true, "ltd": true, "corp": true, "inc": true, "pvt": true}

// queryAcronym returns the query, lower case, if it may be an acronym: one
// word of three to eight Latin letters, written in capitals (LRA, or LeT
// with a capital inside), or any such word when the query is known to be
// an organisation's name. Otherwise it returns "".
func queryAcronym(q string, kind byte) string {
	q = strings.TrimFunc(q, func(r rune) bool { return !unicode.IsLetter(r) })
	n := len(q)
	if n < 3 || n > 8 {
		return ""
	}
	inner := false
	for i := 0; i < n; i++ {
		c := q[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if i > 0 {
				inner = true
			}
		case c >= 'a' && c <= 'z':
		default:
			return ""
		}
	}
	if !inner && kind != 'o' {
		return ""
	}
	return strings.ToLower(q)
}

// acronymScore is the name score of a query acronym against a name whose
// initials spell it: a little more for longer acronyms, which few names
// spell by chance.
func acronymScore(a string) float64 {
	return min(0.7, 0.5+0.05*float64(len(a)-3))
}
