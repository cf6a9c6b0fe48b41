// Package match finds records that describe the same person or
// organisation: candidate pairs by blocking, a comparison vector per pair,
// Fellegi–Sunter scoring with m and u probabilities estimated from the data
// itself (u from random pairs, m by expectation–maximisation), rules for
// strong identifiers, an explanation for every score, and clustering that
// resists chaining through hubs.
//
// It knows nothing of storage or access: the platform and `rabta link`
// hand it records and take back pairs and clusters.
package match

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/rabta/rabta/dates"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/names"
)

// Props are the properties a record may carry (the `rabta link --map`
// contract). Names follow FollowTheMoney where it has one.
var Props = []string{
	"name", "firstName", "middleName", "lastName", "fatherName", "alias",
	"birthDate", "birthPlace", "gender", "nationality",
	"idNumber", "passportNumber", "taxNumber", "phone", "email",
	"address", "street", "city", "postalCode", "region", "country",
	"employer", "schema",
}

// ValidProp reports whether p is one of Props.
func ValidProp(p string) bool { return slices.Contains(Props, p) }

// Record is one input record: an identifier, the source it came from (a
// file; pairs within and across sources are both found) and its values by
// property.
type Record struct {
	ID     string
	Source int
	Values map[string][]string
}

// Add appends a value to a property, skipping blanks.
func (r *Record) Add(prop, value string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	if r.Values == nil {
		r.Values = map[string][]string{}
	}
	r.Values[prop] = append(r.Values[prop], value)
}

// entity is a record prepared for comparison: every value parsed once.
// It is compact, and what every comparison reads comes first: a million
// records do not fit in a cache, so each candidate pair waits on memory
// for every cache line of its second record.
type entity struct {
	kind    byte  // 'p' person, 'o' organisation, 0 unknown
	gender  byte  // 'm', 'f' or 0
	strong  uint8 // bit k set: every identifier of kind k is a valid CNIC or passport number (validStrong)
	nNames  uint8
	idEnd   [nID]uint16    // the identifiers of kind k are ids[idEnd[k-1]:idEnd[k]]
	wordEnd [nParts]uint16 // the words of part k are words[wordEnd[k-1]:wordEnd[k]]
	words   []int32        // ids in the run's vocabulary (see part)
	ids     []string       // normalised
	dob     []dates.Date
	city    string
	postal  string
	place   string
	region  string
	country []string
}

// touch reads the entity and the start of its arrays and returns a sum of
// what it read, to be kept so that the reads are not left out. Comparing a
// record with its candidates waits on memory for each of them: touching
// them all first lets the processor fetch them at once, not one by one.
func (e *entity) touch() int {
	n := int(e.nNames)
	if len(e.words) > 0 {
		n += int(e.words[0])
	}
	if len(e.dob) > 0 {
		n += e.dob[0].Day
	}
	for _, id := range e.ids {
		n += int(id[0])
	}
	return n
}

// The parts of an entity's words after its names (part 0 to maxNames-1).
const (
	partFather = maxNames + iota
	partEmployer
	partAddress
	nParts
)

// part returns the words of part k: name k (the primary name first, then
// aliases), the father's name, employer or address.
func (e *entity) part(k int) []int32 {
	lo := uint16(0)
	if k > 0 {
		lo = e.wordEnd[k-1]
	}
	return e.words[lo:e.wordEnd[k]]
}

// idsOf returns the identifiers of kind k.
func (e *entity) idsOf(k int) []string {
	lo := uint16(0)
	if k > 0 {
		lo = e.idEnd[k-1]
	}
	return e.ids[lo:e.idEnd[k]]
}

// The identifier properties, in order.
const (
	idNumber = iota
	idPassport
	idTax
	idPhone
	idEmail
	nID
)

var idProps = [nID]string{"idNumber", "passportNumber", "taxNumber", "phone", "email"}

// maxNames bounds the names (primary and aliases) compared per record, so
// a record with hundreds of aliases cannot make comparisons quadratic.
const maxNames = 6

// maxValues bounds the words and the identifiers kept per record (their
// ends are 16-bit).
const maxValues = math.MaxUint16

// preparer prepares records; each goroutine has its own. It numbers the
// words of names (see vocabulary) and interns places.
type preparer struct {
	d     *names.Dictionary
	ids   map[word]int32
	words []word
	strs  map[string]string
	renum []int32 // from this preparer's numbers to the run's
}

// word is a token of a name as the vocabulary tells them apart. Words of
// addresses are numbered apart from those of names: their rarity differs.
type word struct {
	names.Token
	addr bool
}

func newPreparer(d *names.Dictionary) *preparer {
	return &preparer{d: d, ids: map[word]int32{}, strs: map[string]string{}}
}

func (pr *preparer) id(t names.Token, addr bool) int32 {
	w := word{t, addr}
	if id, ok := pr.ids[w]; ok {
		return id
	}
	// clones: the words are pieces of whole names
	w.Text, w.Key = strings.Clone(w.Text), strings.Clone(w.Key)
	id := int32(len(pr.words))
	pr.ids[w] = id
	pr.words = append(pr.words, w)
	return id
}

func (pr *preparer) intern(s string) string {
	if t, ok := pr.strs[s]; ok {
		return t
	}
	s = strings.Clone(s)
	pr.strs[s] = s
	return s
}

func (pr *preparer) prepare(r *Record) entity {
	var e entity
	d := pr.d
	v := r.Values
	var parts [nParts][]names.Token
	addName := func(s string) {
		if e.nNames >= maxNames {
			return
		}
		n := d.Parse(s)
		if n.Empty() {
			return
		}
		for _, m := range parts[:e.nNames] {
			if sameTokens(m, n.Tokens) {
				return
			}
		}
		if n.Relation == names.RelFather && parts[partFather] == nil {
			parts[partFather] = n.Relative
		}
		parts[e.nNames] = n.Tokens
		e.nNames++
	}
	for _, s := range v["name"] {
		addName(s)
	}
	if full := joinNonEmpty(first(v["firstName"]), first(v["middleName"]), first(v["lastName"])); full != "" {
		addName(full)
	}
	for _, s := range v["alias"] {
		addName(s)
	}
	for _, s := range v["fatherName"] {
		if parts[partFather] == nil {
			parts[partFather] = d.Parse(s).Tokens
		}
	}
	for _, s := range v["birthDate"] {
		if dt, ok := dates.Parse(s); ok {
			e.dob = append(e.dob, dt)
		}
	}
	for _, s := range v["gender"] {
		e.gender = parseGender(s)
	}
	for _, s := range v["schema"] {
		e.kind = parseKind(s)
	}
	for k, prop := range idProps {
		lo := len(e.ids)
		for _, s := range v[prop] {
			if n := normID(k, s); n != "" && !slices.Contains(e.ids[lo:], n) && len(e.ids) < maxValues {
				e.ids = append(e.ids, n)
			}
		}
		e.idEnd[k] = uint16(len(e.ids))
	}
	var addr []string
	addr = append(addr, v["street"]...)
	addr = append(addr, v["address"]...)
	if len(addr) > 0 {
		parts[partAddress] = d.Parse(strings.Join(addr, " ")).Tokens
	}
	e.city = pr.intern(foldJoin(v["city"]))
	e.place = pr.intern(foldJoin(v["birthPlace"]))
	e.postal = pr.intern(strings.ReplaceAll(foldJoin(v["postalCode"]), " ", ""))
	e.region = pr.intern(foldJoin(v["region"]))
	for _, s := range append(append([]string(nil), v["country"]...), v["nationality"]...) {
		c := strings.ToLower(strings.TrimSpace(s))
		if code, ok := ident.NormalizeCountry(s); ok {
			c = code
		}
		if c != "" && !slices.Contains(e.country, c) {
			e.country = append(e.country, c)
		}
	}
	if len(v["employer"]) > 0 {
		parts[partEmployer] = d.Parse(strings.Join(v["employer"], " ")).Tokens
	}
	for k := range idPassport + 1 {
		if validStrong(k, e.idsOf(k)) {
			e.strong |= 1 << k
		}
	}
	n := 0
	for _, ts := range parts {
		n += len(ts)
	}
	e.words = make([]int32, 0, min(n, maxValues))
	for k, ts := range parts {
		for _, t := range ts[:min(len(ts), maxValues-len(e.words))] {
			e.words = append(e.words, pr.id(t, k == partAddress))
		}
		e.wordEnd[k] = uint16(len(e.words))
	}
	return e
}

// vocabulary numbers the words of all preparers in one sequence, in
// order, and tells each preparer how its numbers map (renum). It returns
// the words as tokens, and which are words of addresses.
func vocabulary(preps []*preparer) ([]names.Token, []bool) {
	ids := map[word]int32{}
	var vocab []names.Token
	var addr []bool
	for _, pr := range preps {
		pr.renum = make([]int32, len(pr.words))
		for k, w := range pr.words {
			id, ok := ids[w]
			if !ok {
				id = int32(len(vocab))
				ids[w] = id
				vocab = append(vocab, w.Token)
				addr = append(addr, w.addr)
			}
			pr.renum[k] = id
		}
	}
	return vocab, addr
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " ")
}

func foldJoin(vs []string) string {
	var out []string
	for _, v := range vs {
		if t := names.Tokens(v); len(t) > 0 {
			out = append(out, strings.Join(t, " "))
		}
	}
	return strings.Join(out, " ")
}

func sameTokens(a, b []names.Token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Text != b[i].Text {
			return false
		}
	}
	return true
}

func parseGender(s string) byte {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "m", "male", "man", "boy", "mr", "مرد", "ذکر":
		return 'm'
	case "f", "female", "woman", "girl", "mrs", "ms", "عورت", "خاتون":
		return 'f'
	}
	return 0
}

func parseKind(s string) byte {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "person", "individual", "people", "natural person", "p", "i":
		return 'p'
	case "organization", "organisation", "company", "legalentity", "legal entity", "entity", "o", "c", "e", "business":
		return 'o'
	}
	return 0
}

// normID normalises an identifier value. Known kinds go through package
// ident, so a CNIC with and without dashes is one value; anything that does
// not parse is kept as its letters and digits upper-cased, because foreign
// ID numbers and social-security numbers must still compare.
func normID(k int, s string) string {
	switch k {
	case idNumber:
		if n, err := ident.Normalize(ident.CNIC, s); err == nil {
			return n
		}
	case idPassport:
		if n, err := ident.Normalize(ident.Passport, s); err == nil {
			return n
		}
	case idPhone:
		if n, err := ident.Normalize(ident.Phone, s); err == nil {
			return n
		}
	case idEmail:
		if n, err := ident.Normalize(ident.Email, s); err == nil {
			return n
		}
		return strings.ToLower(strings.TrimSpace(s))
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// String is for debugging.
func (e *entity) String() string {
	return fmt.Sprintf("words=%v dob=%v ids=%v", e.words, e.dob, e.ids)
}
