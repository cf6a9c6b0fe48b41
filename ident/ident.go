// Package ident is the one place where Rabta normalises identifiers: CNICs,
// phone numbers, IBANs, passport numbers, e-mail addresses and vehicle
// plates.
//
// Search, record indexing and cross-agency hit/no-hit deconfliction all
// compare identifiers by their normal form, so two agencies that typed the
// same CNIC as "35202-1234567-1" and "3520212345671" get a match. Any code
// that stores or compares an identifier must go through Normalize (or
// Detect / FromProperty); a second, slightly different normaliser elsewhere
// would silently turn hits into no-hits.
//
// Every normal form is a fixed point: Normalize(k, Normalize(k, x)) returns
// the same value, so normal forms can be re-normalised safely.
package ident

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is a type of identifier.
type Kind string

// The identifier kinds. The string values are stored in the database and
// sent over the API; do not change them.
const (
	CNIC     Kind = "cnic"
	Phone    Kind = "phone"
	IBAN     Kind = "iban"
	Passport Kind = "passport"
	Email    Kind = "email"
	Plate    Kind = "plate"
)

// Kinds lists every kind in a stable order.
func Kinds() []Kind {
	return []Kind{CNIC, Phone, IBAN, Passport, Email, Plate}
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	switch k {
	case CNIC, Phone, IBAN, Passport, Email, Plate:
		return true
	}
	return false
}

// ParseKind parses a kind name (case-insensitive) or returns an error.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToLower(strings.TrimSpace(s)))
	if !k.Valid() {
		return "", fmt.Errorf("ident: unknown identifier kind %q (want one of %s)", s, kindList())
	}
	return k, nil
}

func kindList() string {
	names := make([]string, 0, 6)
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// Identifier is one identifier in normal form.
type Identifier struct {
	Kind  Kind   `json:"type"`
	Value string `json:"value"`
}

// String returns "kind:value", usable as a map or index key.
func (id Identifier) String() string { return string(id.Kind) + ":" + id.Value }

// Error reports why an input is not a valid identifier of a kind.
type Error struct {
	Kind   Kind
	Input  string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Kind, clip(e.Input), e.Reason)
}

// clip shortens very long inputs so that a pasted document does not end up
// verbatim in an error message or a log line.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func newError(k Kind, raw, format string, args ...any) *Error {
	return &Error{Kind: k, Input: raw, Reason: fmt.Sprintf(format, args...)}
}

// Normalize returns the normal form of raw as kind, or an *Error naming what
// is wrong (e.g. `cnic "35202-123": must have 13 digits, has 8`). It never
// panics.
//
// Normal forms:
//   - cnic: the 13 digits, e.g. 3520212345671
//   - phone: E.164, e.g. +923001234567 (numbers without a country code are
//     read as Pakistani)
//   - iban: upper case without spaces, e.g. PK36SCBL0000001123456702
//   - passport: the upper-case number without separators, e.g. AB1234567
//     (see ParsePassport for the issuing country)
//   - email: the lower-cased bare address, e.g. asif@example.com
//   - plate: letters then digits, no separators or year, e.g. LEA1234
//     (see ParsePlate for the year)
func Normalize(kind Kind, raw string) (string, error) {
	switch kind {
	case CNIC:
		return normalizeCNIC(raw)
	case Phone:
		return normalizePhone(raw)
	case IBAN:
		return normalizeIBAN(raw)
	case Passport:
		p, err := ParsePassport(raw, "")
		return p.Number, err
	case Email:
		return normalizeEmail(raw)
	case Plate:
		p, err := ParsePlate(raw)
		return p.Number, err
	}
	return "", newError(kind, raw, "unknown identifier kind (want one of %s)", kindList())
}

// maxDetect bounds the query length Detect looks at; no identifier is
// anywhere near this long.
const maxDetect = 256

// Detect returns every identifier that the free text q could be, in normal
// form, de-duplicated, in Kinds order. The whole of q is read as one
// identifier (it is not split into words), so "0300 1234567" is a phone
// number, not two numbers.
//
// Detect is deliberately conservative, because each result becomes an
// identifier search that may reveal a hit to another agency:
//   - a plain name ("Muhammad Asif") yields nothing;
//   - anything with an @ is only ever an e-mail address;
//   - a phone number is proposed only if the text is digits and phone
//     punctuation and phonenumbers says the number is valid, so a 13-digit
//     CNIC is not also a phone number unless it really could be one;
//   - a plate needs at least 2 letters and 2 digits ("F-16" is not a plate);
//   - a passport needs letters and digits, with no more letters than digits,
//     and is not proposed when the text already reads as a plate or a valid
//     IBAN; all-digit passport numbers are not guessed at all.
func Detect(q string) []Identifier {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > maxDetect {
		return nil
	}
	var out []Identifier
	add := func(k Kind, v string) {
		for _, id := range out {
			if id.Kind == k && id.Value == v {
				return
			}
		}
		out = append(out, Identifier{Kind: k, Value: v})
	}

	if strings.ContainsRune(q, '@') {
		if v, err := normalizeEmail(q); err == nil {
			add(Email, v)
		}
		return out
	}

	if v, err := normalizeCNIC(q); err == nil {
		add(CNIC, v)
	}
	if countDigits(q) >= 7 {
		if v, err := normalizePhone(q); err == nil {
			add(Phone, v)
		}
	}
	iban, ibanErr := normalizeIBAN(q)
	if ibanErr == nil {
		add(IBAN, iban)
	}
	plate, plateErr := ParsePlate(q)
	isPlate := plateErr == nil && plate.letters() >= 2 && len(plate.Number)-plate.letters() >= 2
	if ibanErr != nil && !isPlate {
		if p, err := ParsePassport(q, ""); err == nil {
			letters := countLetters(p.Number)
			if letters > 0 && letters <= len(p.Number)-letters {
				add(Passport, p.Number)
			}
		}
	}
	if isPlate {
		add(Plate, plate.Number)
	}
	return out
}

// FromProperty maps a FollowTheMoney property and its value to an
// identifier for record indexing. It returns false when the property is not
// an identifier property or the value does not normalise.
//
// idNumber and nationalId are free-form in FtM (any country's ID), so they
// are indexed only when the value is a valid CNIC. "number" (on Passport,
// Identification, BankAccount...) is ambiguous without the schema and is not
// mapped. registrationNumber is read as a vehicle plate; on companies it
// will mostly fail to normalise and be skipped.
func FromProperty(prop, value string) (Identifier, bool) {
	var k Kind
	switch prop {
	case "idNumber", "nationalId":
		k = CNIC
	case "phone":
		k = Phone
	case "email":
		k = Email
	case "iban":
		k = IBAN
	case "passportNumber":
		k = Passport
	case "registrationNumber":
		k = Plate
	default:
		return Identifier{}, false
	}
	v, err := Normalize(k, value)
	if err != nil {
		return Identifier{}, false
	}
	return Identifier{Kind: k, Value: v}, true
}

// asciiDigits replaces Arabic-Indic (٠-٩) and Extended Arabic-Indic (۰-۹)
// digits with ASCII ones: Urdu keyboards and scanned forms produce them, and
// the same CNIC must match either way.
func asciiDigits(s string) string {
	if !strings.ContainsFunc(s, isArabicDigit) {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '\u0660' && r <= '\u0669':
			return '0' + r - '\u0660'
		case r >= '\u06F0' && r <= '\u06F9':
			return '0' + r - '\u06F0'
		}
		return r
	}, s)
}

func isArabicDigit(r rune) bool {
	return (r >= '\u0660' && r <= '\u0669') || (r >= '\u06F0' && r <= '\u06F9')
}

func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
func isSpace(r rune) bool  { return unicode.IsSpace(r) }
func isLetter(r rune) bool { return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') }

// upper upper-cases ASCII letters only; identifiers are Latin-script, and
// Unicode case mapping would turn e.g. "ı" into "I" and accept it.
func upper(r rune) rune {
	if r >= 'a' && r <= 'z' {
		return r - 'a' + 'A'
	}
	return r
}

func countDigits(s string) int {
	n := 0
	for _, r := range asciiDigits(s) {
		if isDigit(r) {
			n++
		}
	}
	return n
}

func countLetters(s string) int {
	n := 0
	for _, r := range s {
		if isLetter(r) {
			n++
		}
	}
	return n
}

// describe names a rejected character in an error message.
func describe(r rune) string {
	if unicode.IsPrint(r) {
		return fmt.Sprintf("%q", r)
	}
	return fmt.Sprintf("%U", r)
}
