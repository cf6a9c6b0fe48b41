package ident

import "strings"

// ibanLengths is the IBAN length per country (SWIFT IBAN registry; IR is
// national usage). Countries not listed get only the generic 15-34 length
// and MOD-97 checks.
var ibanLengths = map[string]int{
	// Pakistan and the Gulf.
	"PK": 24, "AE": 23, "SA": 24, "QA": 29, "BH": 22, "KW": 30, "OM": 23,
	// Wider region.
	"TR": 26, "IR": 26, "IQ": 23, "JO": 30, "LB": 28, "EG": 29, "AZ": 28,
	"GE": 22, "KZ": 20, "IL": 23, "PS": 29, "LY": 25, "SD": 18,
	// Europe.
	"GB": 22, "DE": 22, "FR": 27, "AD": 24, "AL": 28, "AT": 20, "BA": 20,
	"BE": 16, "BG": 22, "BY": 28, "CH": 21, "CY": 28, "CZ": 24, "DK": 18,
	"EE": 20, "ES": 24, "FI": 18, "FO": 18, "GI": 23, "GL": 18, "GR": 27,
	"HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20,
	"LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MT": 31,
	"NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24,
	"SI": 19, "SK": 24, "SM": 27, "UA": 29, "VA": 22, "XK": 20,
	// Elsewhere.
	"BR": 29, "CR": 22, "DO": 28, "GT": 28, "MR": 27, "MU": 30, "SC": 31,
	"TN": 24, "VG": 24,
}

// normalizeIBAN strips spaces (IBANs are printed in groups of four) and
// dashes, upper-cases, and checks the structure, the country length, the
// check-digit range and the ISO 7064 MOD-97 checksum.
func normalizeIBAN(raw string) (string, error) {
	var b strings.Builder
	for _, r := range raw {
		switch {
		case isDigit(r) || isLetter(r):
			b.WriteRune(upper(r))
		case r == '-' || isSpace(r):
		default:
			return "", newError(IBAN, raw, "may contain only letters, digits, spaces and dashes, found %s", describe(r))
		}
	}
	s := b.String()
	if s == "" {
		return "", newError(IBAN, raw, "is empty")
	}
	if len(s) < 15 || len(s) > 34 {
		return "", newError(IBAN, raw, "must have 15-34 characters, has %d", len(s))
	}
	cc := s[:2]
	if !isLetter(rune(s[0])) || !isLetter(rune(s[1])) {
		return "", newError(IBAN, raw, "must start with a two-letter country code")
	}
	if !isDigit(rune(s[2])) || !isDigit(rune(s[3])) {
		return "", newError(IBAN, raw, "characters 3-4 must be check digits")
	}
	if want, ok := ibanLengths[cc]; ok && len(s) != want {
		return "", newError(IBAN, raw, "%s IBANs have %d characters, this has %d", cc, want, len(s))
	}
	if cc == "PK" && !pkBBAN(s[4:]) {
		return "", newError(IBAN, raw, "PK IBANs are PK, 2 check digits, a 4-letter bank code and 16 digits")
	}
	// MOD-97 maps check digits 99 to the same remainder as 02, so a typo
	// there would pass the checksum; ISO 13616 only issues 02-98.
	if ck := s[2:4]; ck == "00" || ck == "01" || ck == "99" {
		return "", newError(IBAN, raw, "check digits %s are outside 02-98", ck)
	}
	if mod97(s[4:]+s[:4]) != 1 {
		return "", newError(IBAN, raw, "fails the MOD-97 checksum (mistyped?)")
	}
	return s, nil
}

// pkBBAN checks the Pakistani BBAN: a 4-letter bank code and 16 digits.
func pkBBAN(bban string) bool {
	if len(bban) != 20 {
		return false
	}
	for i, r := range bban {
		if (i < 4 && !isLetter(r)) || (i >= 4 && !isDigit(r)) {
			return false
		}
	}
	return true
}

// mod97 computes the ISO 7064 MOD 97-10 remainder of s with letters
// expanded to 10-35, digit by digit so no big integers are needed. s must be
// upper-case alphanumeric.
func mod97(s string) int {
	rem := 0
	for _, r := range s {
		if isDigit(r) {
			rem = (rem*10 + int(r-'0')) % 97
		} else {
			rem = (rem*100 + int(r-'A') + 10) % 97
		}
	}
	return rem
}
