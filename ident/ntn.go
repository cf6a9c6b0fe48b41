package ident

import "strings"

// normalizeNTN reads an FBR National Tax Number. Companies and firms have
// 7 digits, often printed with a check digit as 4174941-3; individuals file
// under their CNIC (Income Tax Rules 2002), so a valid 13-digit CNIC is also
// a valid NTN.
//
// The normal form of a 7-digit NTN is the 7 digits, whether or not the check
// digit was given: "4174941", "4174941-3" and "41749413" are one taxpayer,
// and keeping the check digit in the key would make the first a no-hit
// against the other two. The check digit carries no identity of its own (it
// is computed from the 7), and no public algorithm to verify it is known, so
// dropping it loses nothing that could be checked. A CNIC given as an NTN
// keeps its 13 digits; Implied pairs it with the CNIC itself.
//
// Separators are not enforced (digits, dashes and spaces, like a CNIC); the
// number of digits decides: 7, 8 (7 and a check digit) or 13.
func normalizeNTN(raw string) (string, error) {
	s := strings.TrimSpace(asciiDigits(raw))
	if s == "" {
		return "", newError(NTN, raw, "is empty")
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case isDigit(r):
			b.WriteRune(r)
		case r == '-' || isSpace(r):
		default:
			return "", newError(NTN, raw, "may contain only digits, dashes and spaces, found %s", describe(r))
		}
	}
	d := b.String()
	switch len(d) {
	case 7:
		return d, nil
	case 8:
		return d[:7], nil
	case 13:
		c, err := normalizeCNIC(d)
		if err != nil {
			return "", newError(NTN, raw, "has 13 digits but is not a valid CNIC: %s", reasonOf(err))
		}
		return c, nil
	}
	return "", newError(NTN, raw, "must have 7 digits (4174941), 7 and a check digit (4174941-3) or a CNIC's 13, has %d", len(d))
}

// ntnDashed reports whether q is written exactly as an NTN with its check
// digit, 1234567-8: the only NTN form Detect proposes, since 7 or 8 bare
// digits are as likely a phone, account or reference number.
func ntnDashed(q string) bool {
	q = asciiDigits(q)
	if len(q) != 9 || q[7] != '-' {
		return false
	}
	for i := 0; i < len(q); i++ {
		if i != 7 && !isDigit(rune(q[i])) {
			return false
		}
	}
	return true
}
