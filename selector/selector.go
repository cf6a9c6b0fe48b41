// Package selector makes the keys of the hit/no-hit deconfliction index:
// every strong identifier of a record, and the likely-same-person keys of
// a person (name with father's name, name with birth date), each hashed
// with HMAC-SHA256 under the platform's index key. The index holds only
// these hashes, so a copy of it reveals nothing without the key; a check
// hashes its selectors the same way and looks them up.
//
// Names are keyed by their phonetic skeletons (names.Skeleton) after
// variants and titles are resolved, so "Mohd. Asif s/o Abdur Rahman" and
// "Muhammad Asif", father "Abdul Rehman", meet, as do Latin and Urdu
// spellings.
package selector

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"slices"
	"strings"
	"sync"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/dates"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/names"
	"github.com/rabta/rabta/schema"
)

// Selector kinds beyond the identifier kinds (ident.Kind values).
const (
	NameFather = "name+fatherName"
	NameBirth  = "name+birthDate"
)

// HashSize is the length of a selector hash: 128 bits keep collisions out
// of reach for any realistic index while halving its size.
const HashSize = 16

// Selector is one keyed entry of the index.
type Selector struct {
	Kind string
	Hash [HashSize]byte
}

// Strength of a hit on a selector kind: identifiers that belong to one
// person are strong; shareable ones (a phone, an e-mail, a car) and name
// keys are medium.
func Strength(kind string) string {
	switch ident.Kind(kind) {
	case ident.CNIC, ident.Passport, ident.IBAN, ident.IMEI, ident.Wallet, ident.NTN:
		return "strong"
	}
	return "medium"
}

// Stronger reports whether strength a outranks b.
func Stronger(a, b string) bool { return a == "strong" && b != "strong" }

// MinKey is the shortest index key accepted, in bytes.
const MinKey = 32

// Keyer hashes selectors under one key.
type Keyer struct {
	key  []byte
	dict *names.Dictionary
	macs sync.Pool // hash.Hash: HMACs keep their padded key state across Reset
}

// NewKeyer returns a Keyer for key (at least MinKey bytes).
func NewKeyer(key []byte) *Keyer {
	k := &Keyer{key: slices.Clone(key), dict: names.Default()}
	k.macs.New = func() any { return hmac.New(sha256.New, k.key) }
	return k
}

func (k *Keyer) hash(kind, value string) Selector {
	m := k.macs.Get().(hash.Hash)
	m.Reset()
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	var sum [sha256.Size]byte
	s := Selector{Kind: kind}
	copy(s.Hash[:], m.Sum(sum[:0]))
	k.macs.Put(m)
	return s
}

// Identifier keys one identifier in normal form.
func (k *Keyer) Identifier(id ident.Identifier) Selector {
	return k.hash(string(id.Kind), id.Value)
}

// Person keys a person's name with the father's name and with the birth
// date. A name of one word, or without father and full birth date, gives
// no key: too many people share it for a hit to mean anything. Names of
// three words or more are also keyed by their first and last word, since
// agencies often drop a middle name.
func (k *Keyer) Person(name, father, birth string) []Selector {
	n := k.dict.Parse(name)
	fatherTokens := n.Relative
	if father != "" {
		fatherTokens = k.dict.Parse(father).Tokens
	}
	return k.person(nameKeys(n), fatherTokens, birth)
}

// nameKeys are the keys of a parsed name: all its skeletons, and the first
// and last of three or more. None for a name of one word.
func nameKeys(n names.Name) []string {
	sk := skeletons(n.Tokens)
	if len(sk) < 2 {
		return nil
	}
	keys := []string{joinSorted(sk)}
	if len(sk) >= 3 {
		keys = append(keys, joinSorted([]string{sk[0], sk[len(sk)-1]}))
	}
	return keys
}

func (k *Keyer) person(nameKeys []string, fatherTokens []names.Token, birth string) []Selector {
	if len(nameKeys) == 0 {
		return nil
	}
	var out []Selector
	if fk := skeletons(fatherTokens); len(fk) > 0 {
		f := joinSorted(fk)
		for _, nk := range nameKeys {
			out = append(out, k.hash(NameFather, nk+"|"+f))
		}
	}
	if d, ok := dates.Parse(birth); ok && d.Day != 0 && d.ToYear == 0 {
		days := []string{d.String()}
		if d.Ambiguous && d.Day <= 12 {
			days = append(days, dates.Date{Year: d.Year, Month: d.Day, Day: d.Month}.String())
		}
		for _, nk := range nameKeys {
			for _, day := range days {
				out = append(out, k.hash(NameBirth, nk+"|"+strings.TrimRight(day, "?~%")))
			}
		}
	}
	return out
}

func skeletons(ts []names.Token) []string {
	var out []string
	for _, t := range ts {
		if t.Initial || t.Key == "" {
			continue
		}
		if !slices.Contains(out, t.Key) {
			out = append(out, t.Key)
		}
	}
	return out
}

func joinSorted(ss []string) string {
	c := slices.Clone(ss)
	slices.Sort(c)
	return strings.Join(c, " ")
}

// personSchemata are the schemata whose records describe one person.
var personSchemata = map[string]bool{"Person": true, "Victim": true}

// Record returns the selectors of a record: its identifiers (as the
// record indexes them) and, for a person, the name keys of every name
// with its father's name and birth dates.
func (k *Keyer) Record(r *rabta.Record) []Selector {
	return k.RecordWith(r, r.Identifiers())
}

// RecordWith is Record with the record's identifiers given (as stored),
// for records read back rather than just normalised.
//
// Links (calls, payments, memberships) have none: the numbers and
// accounts they name are those of the records at their ends, which are
// keyed themselves, and keying every call by both numbers would answer a
// check on a busy phone with hundreds of calls instead of the phone.
func (k *Keyer) RecordWith(r *rabta.Record, ids []ident.Identifier) []Selector {
	if s, ok := schema.Get(r.Schema); ok && s.IsEdge() {
		return nil
	}
	var out []Selector
	for _, id := range ids {
		out = append(out, k.Identifier(id))
	}
	if personSchemata[r.Schema] {
		// Each name and father's name is parsed once, then keyed with
		// every combination (as Person would key them one by one).
		p := r.Properties
		var fathers [][]names.Token
		for _, f := range p["fatherName"] {
			fathers = append(fathers, k.dict.Parse(f).Tokens)
		}
		births := append([]string{""}, p["birthDate"]...)
		for _, name := range append(append([]string(nil), p["name"]...), p["alias"]...) {
			n := k.dict.Parse(name)
			keys := nameKeys(n)
			for _, f := range append([][]names.Token{n.Relative}, fathers...) {
				for _, b := range births {
					out = append(out, k.person(keys, f, b)...)
				}
			}
		}
	}
	return dedupe(out)
}

func dedupe(ss []Selector) []Selector {
	slices.SortFunc(ss, func(a, b Selector) int {
		if c := strings.Compare(string(a.Hash[:]), string(b.Hash[:])); c != 0 {
			return c
		}
		return strings.Compare(a.Kind, b.Kind)
	})
	return slices.CompactFunc(ss, func(a, b Selector) bool { return a.Hash == b.Hash })
}

// Query is what a deconfliction check asks about.
type Query struct {
	Selectors  []ident.Identifier
	Name       string
	FatherName string
	BirthDate  string
}

// Query returns the selectors of a check.
func (k *Keyer) Query(q Query) []Selector {
	var out []Selector
	for _, id := range q.Selectors {
		out = append(out, k.Identifier(id))
	}
	if q.Name != "" {
		out = append(out, k.Person(q.Name, q.FatherName, q.BirthDate)...)
	}
	return dedupe(out)
}
