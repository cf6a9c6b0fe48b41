// Package names turns personal and organisation names into comparable
// parts, for search, entity resolution and screening: tokens with marks
// folded, phonetic skeletons that compare Latin and Arabic script (Urdu
// names are written in both), a dictionary of spelling variants, titles and
// honorifics set apart, s/o-d/o-w/o patronymics parsed, and a token-aligned
// similarity weighted by how rare each word is.
package names

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold strips diacritics in any script (Józef → Jozef, آصف → اصف), so that
// search and matching do not depend on how a clerk typed accents or marks.
// A transformer holds state, so each call makes its own; ASCII text, the
// common case, skips it.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return s
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		return s
	}
	return folded
}

// Tokens splits a name or query into lower-case words of letters and digits,
// diacritics removed, in any script.
func Tokens(s string) []string {
	return strings.FieldsFunc(strings.ToLower(Fold(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
