package ident

import (
	"strings"

	"golang.org/x/text/language"
)

// PassportNumber is a passport number with its optional issuing country.
//
// Passport numbers are unique only per issuing state, so Key qualifies the
// number with the country when it is known. The hit/no-hit index and
// Normalize(Passport, ...) use the bare Number all the same: most records
// do not say who issued the passport, and a country-qualified key would make
// every record that omits the country a no-hit against one that gives it. A
// false hit between two states' passports that share a number costs a
// phone call; a missed hit can cost two agencies raiding the same house.
// Use Key to compare or show two passports whose issuers are both known.
type PassportNumber struct {
	// Country is the issuing state as an upper-case ISO 3166-1 alpha-2
	// code (PK), or "" if unknown.
	Country string `json:"country,omitempty"`
	// Number is the normal form: upper-case letters and digits only.
	Number string `json:"number"`
}

// Key returns "CC:NUMBER" (PK:AB1234567) when the issuing country is known
// and NUMBER otherwise.
func (p PassportNumber) Key() string {
	if p.Country == "" {
		return p.Number
	}
	return p.Country + ":" + p.Number
}

// Pakistani reports whether the number has the shape of a Pakistani
// passport; see LooksPakistaniPassport.
func (p PassportNumber) Pakistani() bool { return LooksPakistaniPassport(p.Number) }

// LooksPakistaniPassport reports whether a normalised passport number has
// the Pakistani shape: 2 letters and 7 digits (AB1234567). It is a hint, not
// a rule: other countries' numbers can share the shape.
func LooksPakistaniPassport(number string) bool {
	if len(number) != 9 {
		return false
	}
	for i, r := range number {
		if (i < 2 && !(r >= 'A' && r <= 'Z')) || (i >= 2 && !isDigit(r)) {
			return false
		}
	}
	return true
}

// ParsePassport normalises a passport number and, if country is not empty,
// its issuing country (ISO 3166-1 alpha-2 or alpha-3, any case). The number
// is upper-cased with spaces, dashes and dots removed and must then be 5-20
// Latin letters and digits including at least one digit: every issuing
// state's numbers contain digits, and an all-letter value is almost always a
// name typed into the wrong field. When the country is Pakistan the number
// must have the shape of Pakistani passport numbers, 2 letters and 7 digits
// (AB1234567).
func ParsePassport(raw, country string) (PassportNumber, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(asciiDigits(raw)) {
		switch {
		case isDigit(r) || isLetter(r):
			b.WriteRune(upper(r))
		case r == '-' || r == '.' || isSpace(r):
		default:
			return PassportNumber{}, newError(Passport, raw, "may contain only letters, digits, spaces, dashes and dots, found %s", describe(r))
		}
	}
	n := b.String()
	switch {
	case n == "":
		return PassportNumber{}, newError(Passport, raw, "is empty")
	case len(n) < 5 || len(n) > 20:
		return PassportNumber{}, newError(Passport, raw, "must have 5-20 letters and digits, has %d", len(n))
	case countLetters(n) == len(n):
		return PassportNumber{}, newError(Passport, raw, "has no digits")
	}
	p := PassportNumber{Number: n}
	if strings.TrimSpace(country) != "" {
		cc, ok := NormalizeCountry(country)
		if !ok {
			return PassportNumber{}, newError(Passport, raw, "unknown issuing country %q", clip(country))
		}
		p.Country = cc
	}
	if p.Country == "PK" && !p.Pakistani() {
		return PassportNumber{}, newError(Passport, raw, "a Pakistani passport number is 2 letters and 7 digits, like AB1234567")
	}
	return p, nil
}

// NormalizeCountry returns the upper-case ISO 3166-1 alpha-2 code for an
// alpha-2 or alpha-3 country code in any case, and false if s is not a
// country. Numeric and macro-region codes are rejected.
func NormalizeCountry(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	switch s {
	case "UK": // common, but reserved; ISO uses GB
		return "GB", true
	case "D": // German passports' MRZ issuing-state code
		return "DE", true
	}
	if len(s) != 2 && len(s) != 3 {
		return "", false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return "", false
		}
	}
	r, err := language.ParseRegion(s)
	// ISO3 is ZZZ for regions that are not ISO countries (e.g. UN).
	if err != nil || !r.IsCountry() || r.ISO3() == "ZZZ" {
		return "", false
	}
	return r.String(), true
}
