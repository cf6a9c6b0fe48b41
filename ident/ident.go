// Package ident is the one place where Rabta normalises identifiers: CNICs,
// phone numbers, IBANs, passport numbers, e-mail addresses, vehicle plates,
// NTNs, IMEIs and crypto wallet addresses.
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
//
// Normalize says only valid or not; Check gives an analyst the whole
// verdict, with warnings about inputs that are valid but odd (a FATA CNIC,
// a plate with I, O or U, an IMEI without its check digit). Warnings never
// block anything.
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
	NTN      Kind = "ntn"    // FBR National Tax Number
	IMEI     Kind = "imei"   // handset identity
	Wallet   Kind = "wallet" // crypto wallet address (Bitcoin, Ethereum/EVM, TRON)
)

// Kinds lists every kind in a stable order.
func Kinds() []Kind {
	return []Kind{CNIC, Phone, IBAN, Passport, Email, Plate, NTN, IMEI, Wallet}
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	switch k {
	case CNIC, Phone, IBAN, Passport, Email, Plate, NTN, IMEI, Wallet:
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
	names := make([]string, 0, 9)
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
//   - passport: the upper-case number without separators, e.g. AB1234567,
//     without the issuing country (see ParsePassport and PassportNumber.Key)
//   - email: the lower-cased bare address, e.g. asif@example.com
//   - plate: letters then digits, no separators or year, e.g. LEA1234
//     (see ParsePlate for the year and the issuing province)
//   - ntn: the 7 digits without the check digit, e.g. 4174941 for
//     4174941-3; a CNIC given as an NTN keeps its 13 digits (see Implied)
//   - imei: the 15 digits with a correct Luhn check digit, e.g.
//     357805023984942, also when given as 14 digits, as 15 with the spare 0
//     that network records carry in place of the check digit, or as a
//     16-digit IMEISV (the software version is dropped)
//   - wallet: Bitcoin base58 (1…, 3…) and TRON (T…) exactly as given, since
//     base58 is case-sensitive; Bitcoin bc1… in lower case; Ethereum and
//     other EVM chains 0x and 40 lower-case hex digits (see WalletChain)
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
	case NTN:
		return normalizeNTN(raw)
	case IMEI:
		return normalizeIMEI(raw)
	case Wallet:
		return normalizeWallet(raw)
	}
	return "", newError(kind, raw, "unknown identifier kind (want one of %s)", kindList())
}

// Implied returns the other identifiers that id also is, for indexing
// alongside it. An individual's NTN is their CNIC, so a 13-digit NTN
// implies the CNIC: a record that gives a person's CNIC only as a tax
// number must still meet a search or another agency's record by CNIC.
// id must be in normal form.
func Implied(id Identifier) []Identifier {
	if id.Kind == NTN && len(id.Value) == 13 {
		return []Identifier{{Kind: CNIC, Value: id.Value}}
	}
	return nil
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
//     IBAN; all-digit passport numbers are not guessed at all;
//   - a wallet address is recognised by its prefix and checksum, and is then
//     the only result (all-lower or all-upper 0x… has no checksum, but 0x
//     and 40 hex digits is an EVM address by its form alone);
//   - an NTN is proposed only in its printed form with the check digit,
//     1234567-8, and is then the only result: 7 or 8 bare digits are as
//     likely a phone, account or reference number, and a CNIC-as-NTN is
//     found through the CNIC (see Implied);
//   - an IMEI must have 15 digits, a correct Luhn check digit and an
//     allocated reporting body (35…, 86…, 01…), so a 13-digit CNIC or a
//     phone number is not also an IMEI.
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
	if v, err := normalizeWallet(q); err == nil {
		return []Identifier{{Kind: Wallet, Value: v}}
	}
	if ntnDashed(q) {
		if v, err := normalizeNTN(q); err == nil {
			return []Identifier{{Kind: NTN, Value: v}}
		}
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
	if v, ok := detectIMEI(q); ok {
		add(IMEI, v)
	}
	return out
}

// FromProperty maps a FollowTheMoney property and its value to an
// identifier for record indexing. It returns false when the property is not
// an identifier property or the value does not normalise.
//
// idNumber and nationalId are free-form in FtM (any country's ID), so they
// are indexed only when the value is a valid CNIC; likewise taxNumber only
// when it is a valid NTN (or CNIC-as-NTN), publicKey (CryptoWallet) only
// when it is a Bitcoin, EVM or TRON address, and imei (Phone, Call) only
// when it is a valid IMEI. "number" (on Passport, Identification,
// BankAccount...) is ambiguous without the schema and is not mapped.
// registrationNumber is read as a vehicle plate; on companies it will
// mostly fail to normalise and be skipped.
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
	case "taxNumber":
		k = NTN
	case "publicKey":
		k = Wallet
	case "imei":
		k = IMEI
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

// reasonOf returns the Reason of an *Error, or the error text otherwise.
func reasonOf(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Reason
	}
	return err.Error()
}
