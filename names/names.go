// Package names turns names into comparable parts. For now it holds the
// tokeniser and the consonant skeleton used by search; the entity-resolution
// work extends it with transliteration, variants and honorifics.
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

// digraphs are letter pairs that transliterate one sound.
var digraphs = strings.NewReplacer("ph", "f", "dh", "z", "zh", "z", "kh", "k", "gh", "g", "sh", "s", "ch", "c", "th", "t")

// Skeleton returns the consonant skeleton of one Latin-script word: letters
// that sound alike are merged (v/w, q/c/k, z/dh, ph/f), vowels and h after a
// consonant dropped except at the start, and doubles collapsed — so
// Muhammad, Mohammed and Muhamad share "mhmd", and Kowalski and Kovalsky
// share "kwlsk". Words in other scripts, and words with digits, have no
// skeleton ("").
func Skeleton(word string) string {
	var b strings.Builder
	w := strings.ToLower(word)
	w = digraphs.Replace(w)
	var last rune
	for i, r := range w {
		if r > unicode.MaxASCII || unicode.IsDigit(r) {
			return ""
		}
		switch r {
		case 'v':
			r = 'w'
		case 'q', 'c':
			r = 'k'
		case 'y':
			if i > 0 {
				continue
			}
		}
		if strings.ContainsRune("aeiou", r) || r == 'h' && i > 0 {
			if i > 0 {
				continue
			}
			r = 'a' // an initial vowel is kept as a marker: Umar/Omar → amr
		}
		if r == last {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}
