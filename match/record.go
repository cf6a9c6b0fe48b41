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
type entity struct {
	names   []names.Name // the primary name first, then aliases
	father  []names.Token
	dob     []dates.Date
	gender  byte // 'm', 'f' or 0
	kind    byte // 'p' person, 'o' organisation, 0 unknown
	ids     [nID][]string
	address []names.Token
	city    string
	place   string
	postal  string
	region  string
	country []string
	employ  []names.Token
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

func prepare(r *Record, d *names.Dictionary) entity {
	var e entity
	v := r.Values
	addName := func(s string) {
		if len(e.names) >= maxNames {
			return
		}
		n := d.Parse(s)
		if n.Empty() {
			return
		}
		for _, m := range e.names {
			if sameTokens(m.Tokens, n.Tokens) {
				return
			}
		}
		if n.Relation == names.RelFather && e.father == nil {
			e.father = n.Relative
		}
		e.names = append(e.names, n)
	}
	for _, s := range v["name"] {
		addName(s)
	}
	if parts := joinNonEmpty(first(v["firstName"]), first(v["middleName"]), first(v["lastName"])); parts != "" {
		addName(parts)
	}
	for _, s := range v["alias"] {
		addName(s)
	}
	for _, s := range v["fatherName"] {
		if e.father == nil {
			e.father = d.Parse(s).Tokens
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
		for _, s := range v[prop] {
			if n := normID(k, s); n != "" && !slices.Contains(e.ids[k], n) {
				e.ids[k] = append(e.ids[k], n)
			}
		}
	}
	var addr []string
	addr = append(addr, v["street"]...)
	addr = append(addr, v["address"]...)
	if len(addr) > 0 {
		e.address = d.Parse(strings.Join(addr, " ")).Tokens
	}
	e.city = foldJoin(v["city"])
	e.place = foldJoin(v["birthPlace"])
	e.postal = strings.ReplaceAll(foldJoin(v["postalCode"]), " ", "")
	e.region = foldJoin(v["region"])
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
		e.employ = d.Parse(strings.Join(v["employer"], " ")).Tokens
	}
	return e
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
	return fmt.Sprintf("%v dob=%v ids=%v", e.names, e.dob, e.ids)
}
