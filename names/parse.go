package names

import (
	"strings"
	"unicode/utf8"
)

// Token is one word of a name in comparable form.
type Token struct {
	Text    string // canonical spelling (variants merged); for Arabic script, the skeleton
	Key     string // phonetic skeleton, comparable across scripts
	Initial bool   // a single letter standing for a word (M. Asif)
	Arabic  bool   // written in Arabic script: only Key is comparable with Latin
	// Weight, when above zero, is the token's rarity weight, set once by a
	// caller that compares the same names many times (Freq.Set) so that
	// Similarity with nil Weights need not look it up per comparison.
	Weight float64
}

// Relation is how a name's relative (after s/o, d/o, w/o, bin…) relates.
type Relation string

const (
	RelNone   Relation = ""
	RelFather Relation = "father" // s/o, d/o, son of, bin, bint, ibn, ولد, بنت
	RelSpouse Relation = "spouse" // w/o, wife of, زوجہ
)

// Name is a personal or organisation name parsed into comparable parts.
type Name struct {
	Tokens   []Token  // the name itself, in written order
	Titles   []string // titles and honorifics set apart (canonical)
	Relation Relation
	Relative []Token // the father's or spouse's name
	Script   Script
}

// Empty reports whether the name has no tokens.
func (n Name) Empty() bool { return len(n.Tokens) == 0 }

// String renders the parsed name for explanations: "asif muhammad [s/o abdul rehman]".
func (n Name) String() string {
	var b strings.Builder
	for i, t := range n.Tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Text)
	}
	if len(n.Relative) > 0 {
		b.WriteString(" [" + string(n.Relation) + ":")
		for _, t := range n.Relative {
			b.WriteString(" " + t.Text)
		}
		b.WriteString("]")
	}
	return b.String()
}

// relation markers: a sequence of folded tokens and the relation it opens.
// "bin"/"ibn" keep the following words in the name too (Arab names carry
// the father's name as part of the person's own), the s/o forms do not.
var relationMarkers = []struct {
	words []string
	rel   Relation
	keep  bool
}{
	{[]string{"s", "o"}, RelFather, false},
	{[]string{"d", "o"}, RelFather, false},
	{[]string{"w", "o"}, RelSpouse, false},
	{[]string{"son", "of"}, RelFather, false},
	{[]string{"daughter", "of"}, RelFather, false},
	{[]string{"wife", "of"}, RelSpouse, false},
	{[]string{"widow", "of"}, RelSpouse, false},
	{[]string{"ولد"}, RelFather, false},
	{[]string{"دختر"}, RelFather, false},
	{[]string{"زوجہ"}, RelSpouse, false},
	{[]string{"bin"}, RelFather, true},
	{[]string{"bint"}, RelFather, true},
	{[]string{"binti"}, RelFather, true},
	{[]string{"ibn"}, RelFather, true},
	{[]string{"بن"}, RelFather, true},
	{[]string{"بنت"}, RelFather, true},
}

// particles join names (Zia-ul-Haq, Abd al-Rahman) and carry no identity.
// So do the bin and ibn of a chain of forefathers once the first has opened
// the relative's name.
var particles = map[string]bool{"al": true, "el": true, "ul": true, "ur": true, "ud": true, "us": true, "ad": true, "ar": true, "as": true, "an": true, "ال": true,
	"bin": true, "bint": true, "binti": true, "ibn": true, "بن": true, "بنت": true}

// Parse parses a name with the dictionary: titles set apart, the
// patronymic split off, compounds split (Abdulrehman → abdul rehman,
// Saifullah → saif ullah, Nizamuddin → nizam din) and variants merged.
func (d *Dictionary) Parse(s string) Name {
	raw := Tokens(s)
	n := Name{Script: ScriptOf(s)}
	own := raw
	for i := 0; i < len(raw); i++ {
		for _, m := range relationMarkers {
			if i == 0 || i+len(m.words) >= len(raw) || !hasAt(raw, i, m.words) {
				continue
			}
			n.Relation = m.rel
			n.Relative = d.tokens(raw[i+len(m.words):], false)
			if m.keep {
				own = append(append([]string(nil), raw[:i]...), raw[i+len(m.words):]...)
			} else {
				own = raw[:i]
			}
			i = len(raw)
			break
		}
	}
	// Titles lead a name (Haji Muhammad Asif) or close it (Asif sahib).
	for len(own) > 1 && d.IsTitle(own[0]) {
		n.Titles = append(n.Titles, d.Canonical(own[0]))
		own = own[1:]
	}
	for len(own) > 1 && (own[len(own)-1] == "sahib" || own[len(own)-1] == "sb") {
		n.Titles = append(n.Titles, own[len(own)-1])
		own = own[:len(own)-1]
	}
	n.Tokens = d.tokens(own, true)
	return n
}

func hasAt(raw []string, i int, words []string) bool {
	for k, w := range words {
		if raw[i+k] != w {
			return false
		}
	}
	return true
}

// tokens turns folded words into Tokens: compounds split, particles
// dropped (unless nothing else is left), variants merged.
func (d *Dictionary) tokens(words []string, keepTitles bool) []Token {
	out := make([]Token, 0, len(words)+1)
	for _, w := range words {
		if particles[w] && len(words) > 1 {
			continue
		}
		if !keepTitles && d.IsTitle(w) && len(words) > 1 {
			continue
		}
		for _, part := range splitCompound(w) {
			out = append(out, d.token(part))
		}
	}
	return out
}

func (d *Dictionary) token(w string) Token {
	if w == "عبد" {
		w = "abdul" // so that it meets the Latin spellings (Abd, Abdul, Abdur)
	}
	if w[0] >= utf8.RuneSelf && ScriptOf(w) == ScriptArabic {
		k := Skeleton(w)
		return Token{Text: k, Key: k, Arabic: true}
	}
	c := d.Canonical(w)
	return Token{Text: c, Key: Skeleton(c), Initial: len(w) == 1}
}

// splitCompound splits names written as one word that are also written as
// two: Abdulrehman, Abdurrahman, Saifullah, Nizamuddin. Both halves must be
// substantial, so Abdul or Ullah alone stay whole.
func splitCompound(w string) []string {
	// Arabic script joins Abd to the divine name it serves, with the
	// article: عبدالرحمان is Abdul Rehman.
	if rest, ok := strings.CutPrefix(w, "عبد"); ok && utf8.RuneCountInString(rest) >= 3 {
		rest = strings.TrimPrefix(rest, "ال")
		return []string{"عبد", rest}
	}
	for _, suf := range [...]string{"ullah", "ulla", "uddin", "uddeen", "udin"} {
		if len(w) >= len(suf)+3 && strings.HasSuffix(w, suf) {
			stem := w[:len(w)-len(suf)]
			if suf[1] == 'l' {
				return append(splitCompound(stem), "ullah")
			}
			return append(splitCompound(stem), "din")
		}
	}
	for _, pre := range [...]string{"abdul", "abdur", "abdus", "abdun", "abdel", "abdal"} {
		if len(w) >= len(pre)+3 && strings.HasPrefix(w, pre) {
			return []string{pre, w[len(pre):]}
		}
	}
	return []string{w}
}
