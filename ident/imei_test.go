package ident

import (
	"strings"
	"testing"
)

// Known answers for the Luhn check digit: the ISO/IEC 7812 example used
// everywhere (7992739871 → 3), the IMEI examples of Wikipedia
// (49015420323751 → 8) and of 3GPP-style walk-throughs (35780502398494 → 2).
func TestLuhn(t *testing.T) {
	for _, c := range []struct {
		payload string
		check   byte
	}{
		{"7992739871", '3'},
		{"49015420323751", '8'},
		{"35780502398494", '2'},
		{"35693803564380", '9'},
		{"0", '0'},
		{"", '0'},
	} {
		if got := luhnDigit(c.payload); got != c.check {
			t.Errorf("luhnDigit(%q) = %c, want %c", c.payload, got, c.check)
		}
		if !luhnValid(c.payload+string(c.check)) && c.payload != "" {
			t.Errorf("luhnValid(%q) = false", c.payload+string(c.check))
		}
	}
	for _, s := range []string{"79927398710", "79927398713" + "0", "490154203237517", "1"} {
		if luhnValid(s) {
			t.Errorf("luhnValid(%q) = true", s)
		}
	}
}

func TestIMEIErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"357805023984943", `imei "357805023984943": check digit is 3, but the Luhn check digit of the first 14 digits is 2 (mistyped?)`},
		{"3578050239849", `imei "3578050239849": must have 15 digits (or 14 without the check digit, or 16 for an IMEISV), has 13`},
		{"000000000000000", `imei "000000000000000": is all zeros, a placeholder for a missing IMEI`},
		{"35780502398494A", `imei "35780502398494A": may contain only digits, spaces, dashes and slashes, found 'A'`},
		{" ", `imei " ": is empty`},
	} {
		_, err := Normalize(IMEI, c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("Normalize(imei, %q) error = %v\n\twant %s", c.in, err, c.want)
		}
	}
}

func TestNTNErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"417494", `ntn "417494": must have 7 digits (4174941), 7 and a check digit (4174941-3) or a CNIC's 13, has 6`},
		{"85202-1234567-1", `ntn "85202-1234567-1": has 13 digits but is not a valid CNIC: first digit must be a province code 1-7, is 8`},
		{"NTN 4174941-3", `ntn "NTN 4174941-3": may contain only digits, dashes and spaces, found 'N'`},
	} {
		_, err := Normalize(NTN, c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("Normalize(ntn, %q) error = %v\n\twant %s", c.in, err, c.want)
		}
	}
}

func TestImplied(t *testing.T) {
	if got := Implied(Identifier{NTN, "3520212345671"}); len(got) != 1 || got[0] != (Identifier{CNIC, "3520212345671"}) {
		t.Errorf("Implied(CNIC-as-NTN) = %v", got)
	}
	for _, id := range []Identifier{{NTN, "4174941"}, {CNIC, "3520212345671"}, {Phone, "+923001234567"}} {
		if got := Implied(id); got != nil {
			t.Errorf("Implied(%v) = %v, want nil", id, got)
		}
	}
}

func TestDetectIMEI(t *testing.T) {
	// Every 15-digit Luhn-valid string with an allocated reporting body is
	// detected, in any accepted spelling; nothing else with 15 digits is.
	for _, q := range []string{"490154203237518", "35-780502-398494-2", "35 780502 398494 2", "863456789012341"} {
		if v, ok := detectIMEI(q); !ok || len(v) != 15 {
			t.Errorf("detectIMEI(%q) = %q, %v", q, v, ok)
		}
	}
	for _, q := range []string{
		"357805023984940",  // spare digit: valid, but not a confident guess
		"35780502398494",   // 14 digits
		"3578050239849421", // IMEISV
		"001234567890128",  // test IMEI / 00-prefixed phone
		"378282246310005",  // an American Express test card number
		"3520212345671",    // CNIC
		"+357805023984942",
	} {
		if v, ok := detectIMEI(q); ok {
			t.Errorf("detectIMEI(%q) = %q, want no IMEI", q, v)
		}
	}
	if !luhnValid("001234567890128") || !luhnValid("378282246310005") {
		t.Fatal("the negative cases above must pass Luhn to test anything")
	}
	if strings.Contains(Detect("863456789012341")[0].Value, " ") {
		t.Error("Detect returned a non-normal IMEI")
	}
}
