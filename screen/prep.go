package screen

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/rabta/rabta/names"
)

// tok is one word of a name as screening compares it.
type tok struct {
	names.Token
	loose string // the skeleton with confusable consonants merged, for retrieval
	minor bool   // a title, honorific or legal form (Haji, Mullah, Ltd): compared, but weighs little
	id    int32  // the distinct word's number in the index (-1 for query words), for memoising
}

// minorWeight is the weight of a title or legal form: shared, it is a
// little evidence (Hafiz Muhammad is more likely the listed Hafiz Muhammad
// Saeed than another Muhammad); missing from one name, it costs little.
const minorWeight = 0.5

// extraTitles are titles and honorifics found in sanctions lists (the UN
// Taliban and Al-Qaida lists above all) that the shipped dictionary does
// not set apart. Left in the name they would match each other across
// unrelated people ("Maulawi Rajab", "Maulawi Ahmed Shah").
const extraTitles = "maulawi maulavi moulavi moulvi molvi mollah molah mulah mullah sheik shaik shaykh sheikh " +
	"hajj hadji kari ustad ustaz emir commander cmdr engineer saheb sahab"

// orgVariants are the abbreviations of organisation names, merged with
// the words they stand for (variant groups, canonical form first).
const orgVariants = `company co comp cie
limited ltd
corporation corp
incorporated inc
international intl
private pvt
brothers bros
establishment est
`

// stopWords join the words of organisation names and identify nothing.
var stopWords = map[string]bool{"the": true, "of": true, "and": true, "in": true, "for": true, "on": true,
	"at": true, "to": true, "de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "wa": true, "y": true}

// legalForms say what kind of organisation a name belongs to, not which.
var legalForms = map[string]bool{"company": true, "limited": true, "corporation": true, "incorporated": true,
	"llc": true, "plc": true, "private": true, "jsc": true, "gmbh": true, "sa": true, "sarl": true, "fze": true,
	"fzco": true, "llp": true, "ag": true, "bv": true}

var (
	dictOnce sync.Once
	dict     *names.Dictionary
)

func defaultDictionary() *names.Dictionary {
	dictOnce.Do(func() { dict = NewDictionary() })
	return dict
}

// NewDictionary returns a fresh copy of the dictionary screening uses by
// default: names.NewDictionary with the titles of sanctions lists
// (extraTitles) and the abbreviations of organisation names (orgVariants)
// added. Extend it (AddVariants, LoadFile) and pass it in Options.
func NewDictionary() *names.Dictionary {
	d := names.NewDictionary()
	if err := d.AddTitles(strings.NewReader(extraTitles), "extraTitles"); err != nil {
		panic(err)
	}
	if err := d.AddVariants(strings.NewReader(orgVariants), "orgVariants"); err != nil {
		panic(err)
	}
	return d
}

// tokens parses one name into the words compared: the name's own words and
// its relative's (a listed "X Ould Y" or "X bin Y" carries the father's
// name as part of the person's), then its titles. Titles and legal forms
// are minor words; stop words are dropped.
func (ix *Index) tokens(s string) []tok {
	n := ix.dict.Parse(prepare(s))
	ts := n.Tokens
	// A title closing a name (Agha Saheb) is set apart as a leading one is.
	for len(ts) > 1 && ix.dict.IsTitle(ts[len(ts)-1].Text) {
		n.Titles = append(n.Titles, ts[len(ts)-1].Text)
		ts = ts[:len(ts)-1]
	}
	if len(n.Relative) > 0 && !hasSuffix(ts, n.Relative) {
		ts = append(ts[:len(ts):len(ts)], n.Relative...)
	}
	out := make([]tok, 0, len(ts))
	for _, t := range ts {
		if t.Key == "" && t.Text == "" || stopWords[t.Text] && len(ts) > 1 {
			continue
		}
		out = append(out, tok{Token: t, loose: looseKey(t.Key), minor: legalForms[t.Text], id: -1})
	}
	for _, t := range n.Titles {
		out = append(out, tok{Token: names.Token{Text: t, Key: names.Skeleton(t)}, minor: true, id: -1})
	}
	return out
}

func hasSuffix(ts, rel []names.Token) bool {
	if len(rel) > len(ts) {
		return false
	}
	for i, r := range rel {
		if ts[len(ts)-len(rel)+i].Text != r.Text {
			return false
		}
	}
	return true
}

// prepare rewrites a name so that the parser sees the same words however
// the list or the clerk wrote them: Cyrillic is transliterated to Latin,
// apostrophes inside Latin words are dropped (Sab’awi, Ch’o’l, Ba'asyir
// are one word each), the French "dj" is read as "j" (Djamel, جمال) and
// "c" before e, i and y as "s", Arabic presentation forms become ordinary
// letters and Pashto letters their Urdu neighbours, and the Arabic
// definite article joined to a word is separated (see arabicArticles).
func prepare(s string) string {
	simple := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c == '\'' || c == '`' || c == 'd' || c == 'D' || c == 'c' || c == 'C' {
			simple = false
			break
		}
	}
	if simple {
		return patronyms(s)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isApostrophe(r):
			// Inside a word it is a letter the Latin alphabet lacks
			// (hamza, ayn) or a Korean aspiration mark: drop it. Elsewhere
			// it is punctuation.
			if i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsLetter(rs[i+1]) {
				continue
			}
			b.WriteByte(' ')
		case (r == 'd' || r == 'D') && i+1 < len(rs) && (rs[i+1] == 'j' || rs[i+1] == 'J'):
			// Djamel, Abdeldjalil: French spelling of ج.
		case (r == 'c' || r == 'C') && i+1 < len(rs) && strings.ContainsRune("eiyEIY", rs[i+1]):
			// c before e, i, y is s in the French, Spanish and Italian
			// spellings of names (Lounici, لونيسي; Cecilia).
			if r == 'C' {
				b.WriteByte('S')
			} else {
				b.WriteByte('s')
			}
		case r >= 0x0600 && r <= 0x06ff:
			if u, ok := pashto[r]; ok {
				r = u
			}
			b.WriteRune(r)
		case r >= 0xfb50 && r <= 0xfdff || r >= 0xfe70 && r <= 0xfeff:
			// Arabic presentation forms (ﻤﺤﻤﺪ), as some lists were typed:
			// their compatibility decomposition is the ordinary letter.
			b.WriteString(norm.NFKC.String(string(r)))
		case unicode.Is(unicode.Cyrillic, r):
			lower := unicode.ToLower(r)
			if t, ok := cyrillic[lower]; ok {
				if lower != r && t != "" {
					t = strings.ToUpper(t[:1]) + t[1:]
				}
				b.WriteString(t)
			} else {
				b.WriteRune(r)
			}
		default:
			b.WriteRune(r)
		}
	}
	return arabicArticles(patronyms(b.String()))
}

// patronyms reads the Maghreb and Mauritanian "ben" and "ould" (son of)
// inside a name as the "bin" the parser knows: Seifallah ben Omar ben
// Mohamed is سيف الله بن عمر بن محمد.
func patronyms(s string) string {
	words := strings.Fields(s)
	if len(words) < 3 {
		return s
	}
	changed := false
	for i := 1; i < len(words)-1; i++ {
		switch strings.ToLower(words[i]) {
		case "ben", "ould", "ould.":
			words[i] = "bin"
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(words, " ")
}

// pashto maps the letters Pashto adds to the Arabic alphabet to the
// Urdu or Arabic letter for the nearest sound, which the skeleton knows.
var pashto = map[rune]rune{
	'ځ': 'ز', 'څ': 'س', 'ښ': 'ش', 'ږ': 'ژ', 'ګ': 'گ', 'ڼ': 'ن', 'ډ': 'ڈ', 'ټ': 'ٹ', 'ړ': 'ڑ',
}

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', 'ʼ', 'ʻ', '´', 'ʹ', 'ʾ', 'ʿ':
		return true
	}
	return false
}

// cyrillic transliterates Russian (and the Ukrainian, Belarusian, Kazakh
// and Uzbek letters found in Central Asian names) the way Latin-script
// lists spell such names: Хаматович → khamatovich, Магомед → magomed.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya", 'і': "i", 'ї': "yi", 'є': "ye", 'ґ': "g", 'ў': "u", 'қ': "k", 'ғ': "gh",
	'ң': "ng", 'ө': "o", 'ү': "u", 'ұ': "u", 'һ': "h", 'ә': "a", 'ҳ': "h",
}

// arabicArticles separates the definite article that Arabic script writes
// joined to a name (العزاوي; the Latin al-Azzawi has "al" as a word of its
// own, which the parser drops), so that both scripts have the same words.
// عبد (Abd) takes the article of the word after it, as the Latin Abdul
// does: عبد الرحمن and عبدالرحمن become عبدال رحمن, like Abdul Rahman;
// عبدالله becomes عبدال الله, like Abdullah (Abdul-ullah to the parser).
func arabicArticles(s string) string {
	if !strings.ContainsRune(s, 'ا') && !strings.Contains(s, "عبد") {
		return s
	}
	words := strings.Fields(s)
	out := make([]string, 0, len(words)+1)
	changed := false
	article := func(rs []rune) bool { return len(rs) >= 4 && rs[0] == 'ا' && rs[1] == 'ل' }
	for i := 0; i < len(words); i++ {
		rs := []rune(words[i])
		switch {
		case string(rs) == "عبد":
			out = append(out, "عبدال")
			if i+1 < len(words) {
				if next := []rune(words[i+1]); article(next) && !isAllah(next[2:]) {
					out = append(out, string(next[2:]))
					i++
				}
			}
			changed = true
		case len(rs) >= 6 && string(rs[:5]) == "عبدال":
			if isAllah(rs[5:]) {
				out = append(out, "عبدال", string(rs[3:]))
			} else {
				out = append(out, "عبدال", string(rs[5:]))
			}
			changed = true
		case len(rs) >= 5 && article(rs) && !isAllah(rs[2:]):
			out = append(out, string(rs[2:]))
			changed = true
		default:
			out = append(out, words[i])
		}
	}
	if !changed {
		return s
	}
	return strings.Join(out, " ")
}

func isAllah(rest []rune) bool {
	s := string(rest)
	return s == "له" || s == "لہ" || s == "لّه" || s == "لة"
}

// looseKey merges the consonants that transliterations confuse — b/p/f,
// d/t and the sibilants and affricates (ض ظ ذ written d, dh or z; ث
// written th or s; ش written sh or the French ch; ج written j, dj or g),
// g/k/q — for retrieving candidates whose skeletons differ only in such
// letters.
func looseKey(k string) string {
	if len(k) < 2 {
		return ""
	}
	var buf [48]byte
	b := buf[:0]
	for i := 0; i < len(k); i++ {
		c := looseClass(k[i])
		if len(b) > 0 && b[len(b)-1] == c {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// looseClass is the class of a skeleton letter in looseKey.
func looseClass(c byte) byte {
	switch c {
	case 'b', 'f':
		return 'p'
	case 'd', 'z', 's', 'x', 'j':
		return 't'
	case 'g', 'q':
		return 'k'
	}
	return c
}
