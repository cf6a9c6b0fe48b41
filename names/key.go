package names

import (
	"strings"
	"unicode"
)

// Script is the writing system of a name or word.
type Script int

const (
	ScriptNone   Script = iota // no letters
	ScriptLatin                // Latin letters only
	ScriptArabic               // Arabic-script letters only (Urdu, Arabic, Persian, Pashto)
	ScriptOther                // letters of another script (Cyrillic, Han, …)
	ScriptMixed                // letters of more than one script
)

func (s Script) String() string {
	return [...]string{"none", "latin", "arabic", "other", "mixed"}[s]
}

// ScriptOf reports the script of the letters in s.
func ScriptOf(s string) Script {
	got := ScriptNone
	for _, r := range s {
		var k Script
		switch {
		case !unicode.IsLetter(r):
			continue
		case r < 0x250:
			k = ScriptLatin
		case unicode.Is(unicode.Arabic, r):
			k = ScriptArabic
		default:
			k = ScriptOther
		}
		if got == ScriptNone {
			got = k
		} else if got != k {
			return ScriptMixed
		}
	}
	return got
}

// Skeleton returns the phonetic key of one word, comparable across Latin and
// Arabic script: consonants are mapped to one letter per sound as Urdu
// speakers pronounce them (q/k/c, v/w, ph/f, kh/k, sh/s, th/t, dh/z; ث س ص →
// s, ذ ز ض ظ → z, ت ط ٹ → t…), vowels and the weak letters y and w are
// dropped except at the start (an initial vowel becomes "a"), a final h is
// dropped, and doubled letters collapse. So Muhammad, Mohammed and محمد
// share "mhmd"; Yousaf, Yusuf and یوسف share "ysf"; Umar, Omar and عمر
// share "amr"; Hussain and حسین share "hsn".
//
// Arabic script writes no short vowels, so a key must not depend on them;
// that is why Latin vowels are dropped rather than compared. Words in other
// scripts, and words with digits, have no skeleton ("").
func Skeleton(word string) string {
	var out [48]byte
	b := out[:0]
	var last byte
	first := true
	rs := []rune(strings.ToLower(word))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		var c byte // the consonant class; 0 drops the letter
		vowel := false
		if r < 0x80 {
			switch r {
			case 'a', 'e', 'i', 'o', 'u':
				vowel = true
			case 'y', 'w', 'v':
				if !first {
					continue
				}
				c = byte(r)
				if r == 'v' {
					c = 'w'
				}
			case 'q', 'k', 'x':
				c = 'k'
			case 'c':
				c = 'k'
				if next == 'h' {
					c = 'x' // ch as in Chaudhry, چ
				}
			case 'p':
				c = 'p'
				if next == 'h' {
					c = 'f'
				}
			case 'h':
				if i == len(rs)-1 && !first {
					continue // final h: Shah/شاہ, Abdullah/عبداللہ
				}
				c = 'h'
			default:
				switch {
				case r >= 'b' && r <= 'z':
					c = byte(r)
				case r >= '0' && r <= '9':
					return ""
				default:
					continue
				}
			}
			// An h after a consonant marks aspiration or a digraph (kh, sh,
			// th, dh, bh): Urdu script writes it with the consonant or not
			// at all, so it is not a letter of its own.
			if !vowel && r != 'h' && next == 'h' {
				i++
			}
		} else {
			var ok bool
			c, vowel, ok = arabicLetter(r, next, first, i == len(rs)-1)
			if !ok {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					return ""
				}
				continue // marks, tatweel, joiners
			}
			if c == 0 && !vowel {
				continue
			}
		}
		if vowel {
			if !first {
				continue
			}
			c = 'a'
		}
		first = false
		if c == last {
			continue
		}
		b = append(b, c)
		last = c
	}
	return string(b)
}

// arabicLetter maps one Arabic-script letter to its consonant class, or
// reports it as a vowel carrier. ok is false for letters outside the
// Arabic block; c == 0 && !vowel drops the letter.
func arabicLetter(r, next rune, first, final bool) (c byte, vowel, ok bool) {
	switch r {
	case 'ا', 'آ', 'أ', 'إ', 'ٱ', 'ع', 'ء', 'ئ', 'ؤ', 'ى', 'ے', 'ۓ':
		return 0, true, true
	case 'ب':
		return 'b', false, true
	case 'پ':
		return 'p', false, true
	case 'ت', 'ط', 'ٹ':
		return 't', false, true
	case 'ث', 'س', 'ص', 'ش':
		return 's', false, true
	case 'ج':
		return 'j', false, true
	case 'چ':
		return 'x', false, true
	case 'ح':
		return 'h', false, true
	case 'ه', 'ہ', 'ۂ', 'ھ', 'ة':
		if final && !first || r == 'ھ' || r == 'ة' {
			return 0, false, true // final or aspiration marker (بھٹو = Bhutto)
		}
		return 'h', false, true
	case 'خ', 'ق', 'ک', 'ك':
		return 'k', false, true
	case 'د', 'ڈ':
		return 'd', false, true
	case 'ذ', 'ز', 'ض', 'ظ', 'ژ':
		return 'z', false, true
	case 'ر', 'ڑ':
		return 'r', false, true
	case 'غ', 'گ':
		return 'g', false, true
	case 'ف':
		return 'f', false, true
	case 'ل':
		return 'l', false, true
	case 'م':
		return 'm', false, true
	case 'ن', 'ں':
		return 'n', false, true
	case 'و':
		if first {
			return 'w', false, true
		}
		return 0, false, true
	case 'ی', 'ي', 'ې', 'ۍ':
		if first {
			return 'y', false, true
		}
		return 0, false, true
	}
	if unicode.Is(unicode.Arabic, r) {
		if unicode.IsLetter(r) {
			return 0, false, true // a letter we do not know: skip, keep the rest
		}
		return 0, false, true
	}
	return 0, false, false
}
