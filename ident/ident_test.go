package ident

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

type normCase struct {
	kind Kind
	in   string
	want string // "" means the input must be rejected
}

var normCases = []normCase{
	// CNIC
	{CNIC, "35202-1234567-1", "3520212345671"},
	{CNIC, "3520212345671", "3520212345671"},
	{CNIC, "35202 1234567 1", "3520212345671"},
	{CNIC, " 61101-1234567-2\t", "6110112345672"},
	{CNIC, "۳۵۲۰۲-۱۲۳۴۵۶۷-۱", "3520212345671"},
	{CNIC, "71501-7654321-8", "7150176543218"},
	{CNIC, "35202-123", ""},
	{CNIC, "35202-1234567-12", ""},
	{CNIC, "85202-1234567-1", ""},
	{CNIC, "05202-1234567-1", ""},
	{CNIC, "95202-1234567-1", ""},
	{CNIC, "35202_1234567_1", ""},
	{CNIC, "3520A-1234567-1", ""},
	{CNIC, "", ""},
	{CNIC, "Muhammad Asif", ""},

	// Phone
	{Phone, "0300 1234567", "+923001234567"},
	{Phone, "03001234567", "+923001234567"},
	{Phone, "+92 300 1234567", "+923001234567"},
	{Phone, "0092-300-1234567", "+923001234567"},
	{Phone, "92 300 1234567", "+923001234567"},
	{Phone, "+92 (0) 300 1234567", "+923001234567"},
	{Phone, "٠٣٠٠١٢٣٤٥٦٧", "+923001234567"},
	{Phone, "042 35761234", "+924235761234"},
	{Phone, "(042) 3576-1234", "+924235761234"},
	{Phone, "+44 20 7946 0958", "+442079460958"},
	{Phone, "+971 50 123 4567", "+971501234567"},
	{Phone, "+1 202 555 0123", "+12025550123"},
	{Phone, "0300 123456", ""},
	{Phone, "12345", ""},
	{Phone, "3520212345671", ""},
	{Phone, "+999 1234567", ""},
	{Phone, "0300-CALLNOW", ""},
	{Phone, "0300 1234567 ext 5", ""},
	{Phone, "0300+1234567", ""},
	{Phone, "123456789012345678", ""},
	{Phone, "+", ""},
	{Phone, "", ""},

	// IBAN
	{IBAN, "PK36SCBL0000001123456702", "PK36SCBL0000001123456702"},
	{IBAN, "pk36 scbl 0000 0011 2345 6702", "PK36SCBL0000001123456702"},
	{IBAN, "GB82WEST12345698765432", "GB82WEST12345698765432"},
	{IBAN, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"},
	{IBAN, "DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
	{IBAN, "FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"},
	{IBAN, "SA03 8000 0000 6080 1016 7519", "SA0380000000608010167519"},
	{IBAN, "AE07 0331 2345 6789 0123 456", "AE070331234567890123456"},
	{IBAN, "TR33 0006 1005 1978 6457 8413 26", "TR330006100519786457841326"},
	{IBAN, "NO93 8601 1117 947", "NO9386011117947"},
	// LC is not in the length table: only the generic checks apply.
	{IBAN, "LC55 HEMM 0001 0001 0012 0012 0002 3015", "LC55HEMM000100010012001200023015"},
	{IBAN, "PK36SCBL0000001123456703", ""},  // checksum
	{IBAN, "PK36SCBL000000112345670", ""},   // PK length
	{IBAN, "PK36SCBL00000011234567021", ""}, // PK length
	{IBAN, "PK3612340000001123456702", ""},  // bank code not letters
	{IBAN, "GB82WEST1234569876543", ""},     // GB length
	{IBAN, "GB99WEST12345698765432", ""},    // check digits out of range
	{IBAN, "GBXXWEST12345698765432", ""},
	{IBAN, "1282WEST12345698765432", ""},
	{IBAN, "PK36-SCBL/0000001123456702", ""},
	{IBAN, "PK36SCBL", ""},
	{IBAN, "", ""},

	// Passport
	{Passport, "AB1234567", "AB1234567"},
	{Passport, "ab 123-4567", "AB1234567"},
	{Passport, "A.B.1234567", "AB1234567"},
	{Passport, "C01X00T47", "C01X00T47"},
	{Passport, "123456789", "123456789"},
	{Passport, "AB123", "AB123"},
	{Passport, "AB12", ""},
	{Passport, "AB123456789012345678901", ""},
	{Passport, "ABCDEFGH", ""},
	{Passport, "AB#1234567", ""},
	{Passport, "ÄB1234567", ""},
	{Passport, "", ""},

	// Email
	{Email, "asif.khan@example.com", "asif.khan@example.com"},
	{Email, "  Asif.Khan@Gmail.COM ", "asif.khan@gmail.com"},
	{Email, "a+tag@example.com.pk", "a+tag@example.com.pk"},
	{Email, "asif", ""},
	{Email, "asif@localhost", ""},
	{Email, "Asif <asif@example.com>", ""},
	{Email, "<asif@example.com>", ""},
	{Email, "asif@example.com (Asif)", ""},
	{Email, `"asif khan"@example.com`, ""},
	{Email, "asif@[10.0.0.1]", ""},
	{Email, "asif@@example.com", ""},
	{Email, "asif@example..com", ""},
	{Email, "", ""},

	// Plate
	{Plate, "LEA-1234", "LEA1234"},
	{Plate, "LEA 1234", "LEA1234"},
	{Plate, "lea1234", "LEA1234"},
	{Plate, "RIZ 3725", "RIZ3725"},
	{Plate, "AAA-001", "AAA001"},
	{Plate, "BKP-123", "BKP123"},
	{Plate, "LEA-1234-07", "LEA1234"},
	{Plate, "LEA 07 1234", "LEA1234"},
	{Plate, "GS-12-07", "GS12"},
	{Plate, "L EA 1234", "LEA1234"},
	{Plate, "A-1", "A1"},
	{Plate, "LEA123407", ""},
	{Plate, "ABCDE-123", ""},
	{Plate, "1234-LEA", ""},
	{Plate, "LEA", ""},
	{Plate, "1234", ""},
	{Plate, "LEA-1234-AB", ""},
	{Plate, "LEA-123-456", ""},
	{Plate, "LEA-12-34-56", ""},
	{Plate, "LEA#1234", ""},
	{Plate, "لاہور 1234", ""},
	{Plate, "", ""},
	{Plate, "RIZ 3725", "RIZ3725"},
	{Plate, "MNE-6762-07", "MNE6762"},
	{Plate, "AOU-123", "AOU123"}, // valid, with a warning from Check

	// NTN: the check digit is dropped, a CNIC keeps its 13 digits.
	{NTN, "4174941-3", "4174941"},
	{NTN, "41749413", "4174941"},
	{NTN, "4174941", "4174941"},
	{NTN, " 0123456-7 ", "0123456"},
	{NTN, "۴۱۷۴۹۴۱-۳", "4174941"},
	{NTN, "35202-1234567-1", "3520212345671"},
	{NTN, "3520212345671", "3520212345671"},
	{NTN, "85202-1234567-1", ""}, // 13 digits but no CNIC
	{NTN, "417494", ""},
	{NTN, "4174941-34", ""},
	{NTN, "A174941-3", ""},
	{NTN, "4174941/3", ""},
	{NTN, "", ""},

	// IMEI
	{IMEI, "490154203237518", "490154203237518"},
	{IMEI, "49-015420-323751-8", "490154203237518"},
	{IMEI, "35 780502 398494 2", "357805023984942"},
	{IMEI, "357805/02/398494/2", "357805023984942"},
	{IMEI, "35780502398494", "357805023984942"},      // no check digit
	{IMEI, "357805023984940", "357805023984942"},     // network spare digit
	{IMEI, "3578050239849401", "357805023984942"},    // IMEISV
	{IMEI, "35-780502-398494-17", "357805023984942"}, // IMEISV
	{IMEI, "٣٥٧٨٠٥٠٢٣٩٨٤٩٤٢", "357805023984942"},
	{IMEI, "357805023984943", ""}, // bad check digit
	{IMEI, "490154203237517", ""},
	{IMEI, "3578050239849", ""},
	{IMEI, "35780502398494201", ""},
	{IMEI, "000000000000000", ""},
	{IMEI, "00000000000000", ""},
	{IMEI, "35780502398494A", ""},
	{IMEI, "+357805023984942", ""},
	{IMEI, "", ""},

	// Wallet: Bitcoin base58 as given, bech32 lower case, EVM lower case.
	{Wallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"},
	{Wallet, " 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy ", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"},
	{Wallet, "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"},
	{Wallet, "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"},
	{Wallet, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"},
	{Wallet, "0X52908400098527886E0F7030069857D2E4169EE7", "0x52908400098527886e0f7030069857d2e4169ee7"},
	{Wallet, "0xde709f2102306220921060314715629080e2fb77", "0xde709f2102306220921060314715629080e2fb77"},
	{Wallet, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"},
	{Wallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", ""},                             // checksum
	{Wallet, "1a1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", ""},                             // case matters
	{Wallet, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", ""},                     // EIP-55
	{Wallet, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", ""},                      // 39 hex
	{Wallet, "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", ""},                       // no 0x
	{Wallet, "0x0000000000000000000000000000000000000000", ""},                     // zero address
	{Wallet, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", ""},                     // checksum
	{Wallet, "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", ""}, // testnet
	{Wallet, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T", ""},
	{Wallet, "LUEweDxDA4WhvWiNXXSxjM9CYzHPJv4QQF", ""}, // Litecoin
	{Wallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7Div-fNa", ""},
	{Wallet, "", ""},
}

func TestNormalize(t *testing.T) {
	for _, c := range normCases {
		got, err := Normalize(c.kind, c.in)
		if c.want == "" {
			if err == nil {
				t.Errorf("Normalize(%s, %q) = %q, want error", c.kind, c.in, got)
				continue
			}
			var e *Error
			if !errors.As(err, &e) || e.Kind != c.kind || e.Input != c.in || e.Reason == "" {
				t.Errorf("Normalize(%s, %q) error = %#v, want *Error for the kind and input", c.kind, c.in, err)
			}
			if got != "" {
				t.Errorf("Normalize(%s, %q) = %q with error, want \"\"", c.kind, c.in, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Normalize(%s, %q) = %q, %v; want %q", c.kind, c.in, got, err, c.want)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	for _, c := range []struct {
		kind Kind
		in   string
		want string
	}{
		{CNIC, "35202-123", `cnic "35202-123": must have 13 digits, has 8`},
		{CNIC, "85202-1234567-1", `cnic "85202-1234567-1": first digit must be a province code 1-7, is 8`},
		{Phone, "+999 1234567", `phone "+999 1234567": has an unknown country code`},
		{Phone, "0300 123456", `phone "0300 123456": is not a valid number for +92 (PK): no such number range`},
		{IBAN, "PK36SCBL0000001123456703", `iban "PK36SCBL0000001123456703": fails the MOD-97 checksum (mistyped?)`},
		{IBAN, "GB82WEST1234569876543", `iban "GB82WEST1234569876543": GB IBANs have 22 characters, this has 21`},
		{Plate, "ABCDE-123", `plate "ABCDE-123": has 5 letters, at most 4`},
		{Kind("nic"), "1", `nic "1": unknown identifier kind (want one of cnic, phone, iban, passport, email, plate, ntn, imei, wallet)`},
	} {
		_, err := Normalize(c.kind, c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("Normalize(%s, %q) error = %v, want %s", c.kind, c.in, err, c.want)
		}
	}
	long := strings.Repeat("9", 1000)
	if _, err := Normalize(CNIC, long); err == nil || len(err.Error()) > 200 {
		t.Errorf("long input: error %v not clipped", err)
	}
}

func TestCNICInfo(t *testing.T) {
	for _, c := range []struct{ in, province, sex, formatted string }{
		{"3520212345671", "Punjab", Male, "35202-1234567-1"},
		{"42101-1234567-2", "Sindh", Female, "42101-1234567-2"},
		{"1730112345678", "Khyber Pakhtunkhwa", Female, "17301-1234567-8"},
		{"2110112345679", "FATA", Male, "21101-1234567-9"},
		{"5440012345670", "Balochistan", Female, "54400-1234567-0"},
		{"6110112345673", "Islamabad", Male, "61101-1234567-3"},
		{"7150112345674", "Gilgit-Baltistan", Female, "71501-1234567-4"},
		{"8520212345671", "", "", ""},
		{"35202", "", "", ""},
	} {
		p, s := CNICInfo(c.in)
		if p != c.province || s != c.sex {
			t.Errorf("CNICInfo(%q) = %q, %q; want %q, %q", c.in, p, s, c.province, c.sex)
		}
		if f := FormatCNIC(c.in); f != c.formatted {
			t.Errorf("FormatCNIC(%q) = %q, want %q", c.in, f, c.formatted)
		}
	}
}

func TestParsePlate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want PlateNumber
	}{
		{"LEA-1234", PlateNumber{Number: "LEA1234", Jurisdiction: "Punjab", Issuer: "Lahore"}},
		{"LEA-1234-07", PlateNumber{Number: "LEA1234", Year: "07", Jurisdiction: "Punjab", Issuer: "Lahore"}},
		{"lea 07 1234", PlateNumber{Number: "LEA1234", Year: "07", Jurisdiction: "Punjab", Issuer: "Lahore"}},
		{"LEA/1234/07", PlateNumber{Number: "LEA1234", Year: "07", Jurisdiction: "Punjab", Issuer: "Lahore"}},
		{"LEB 5678", PlateNumber{Number: "LEB5678", Jurisdiction: "Punjab", Issuer: "Lahore"}},
		{"RIZ 3725", PlateNumber{Number: "RIZ3725", Jurisdiction: "Punjab", Issuer: "Rawalpindi"}},
		{"MNE-6762", PlateNumber{Number: "MNE6762", Jurisdiction: "Punjab", Issuer: "Multan"}},
		{"IDA-123", PlateNumber{Number: "IDA123", Jurisdiction: "Islamabad"}},
		{"GS-12-07", PlateNumber{Number: "GS12", Year: "07", Jurisdiction: "Sindh", Issuer: "Sindh Government"}},
		{"GP 1234", PlateNumber{Number: "GP1234", Jurisdiction: "Sindh", Issuer: "Sindh Government"}},
		{"SP-123", PlateNumber{Number: "SP123", Jurisdiction: "Sindh", Issuer: "Sindh Police"}},
		{"HC 12", PlateNumber{Number: "HC12", Jurisdiction: "Sindh", Issuer: "High Court"}},
		{"AAA-001", PlateNumber{Number: "AAA001", Jurisdiction: "Sindh"}},
		{"BKP-123", PlateNumber{Number: "BKP123", Jurisdiction: "Sindh"}},
		// No jurisdiction when the letters do not say: an unknown city
		// code, a 4-digit number after A/B letters, a single letter.
		{"FDA 1234", PlateNumber{Number: "FDA1234"}},
		{"ABC 1234", PlateNumber{Number: "ABC1234"}},
		{"A-1", PlateNumber{Number: "A1"}},
		{"XYZ-123", PlateNumber{Number: "XYZ123"}},
	} {
		got, err := ParsePlate(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParsePlate(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func TestParsePassport(t *testing.T) {
	for _, c := range []struct {
		in, country string
		want        PassportNumber
		key         string
		pakistani   bool
	}{
		{"ab1234567", "", PassportNumber{"", "AB1234567"}, "AB1234567", true},
		{"AB1234567", "pak", PassportNumber{"PK", "AB1234567"}, "PK:AB1234567", true},
		{"AB1234567", "PK", PassportNumber{"PK", "AB1234567"}, "PK:AB1234567", true},
		{"123456789", "GBR", PassportNumber{"GB", "123456789"}, "GB:123456789", false},
		{"123456789", "uk", PassportNumber{"GB", "123456789"}, "GB:123456789", false},
		{"C01X00T47", "D", PassportNumber{"DE", "C01X00T47"}, "DE:C01X00T47", false},
		{"P01234567", " afg ", PassportNumber{"AF", "P01234567"}, "AF:P01234567", false},
	} {
		got, err := ParsePassport(c.in, c.country)
		if err != nil || got != c.want || got.Key() != c.key || got.Pakistani() != c.pakistani {
			t.Errorf("ParsePassport(%q, %q) = %+v (key %q, pakistani %v), %v; want %+v, %q, %v",
				c.in, c.country, got, got.Key(), got.Pakistani(), err, c.want, c.key, c.pakistani)
		}
	}
	for _, country := range []string{"XYZ", "ZZ", "586", "EU", "UN", "P", "PAKI"} {
		if got, err := ParsePassport("AB1234567", country); err == nil {
			t.Errorf("ParsePassport(_, %q) = %+v, want error", country, got)
		}
	}
	// Issued by Pakistan, the number must have the Pakistani shape.
	for _, n := range []string{"123456789", "A1234567", "AB123456", "AB12345678", "ABC123456"} {
		_, err := ParsePassport(n, "PK")
		want := `passport "` + n + `": a Pakistani passport number is 2 letters and 7 digits, like AB1234567`
		if err == nil || err.Error() != want {
			t.Errorf("ParsePassport(%q, PK) error = %v, want %s", n, err, want)
		}
		if _, err := ParsePassport(n, ""); err != nil {
			t.Errorf("ParsePassport(%q, \"\") = %v; the shape is checked only for PK", n, err)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []Identifier
	}{
		{"35202-1234567-1", []Identifier{{CNIC, "3520212345671"}}},
		{"3520212345671", []Identifier{{CNIC, "3520212345671"}}},
		{"0300 1234567", []Identifier{{Phone, "+923001234567"}}},
		{"+92 300 1234567", []Identifier{{Phone, "+923001234567"}}},
		{"0092-300-1234567", []Identifier{{Phone, "+923001234567"}}},
		{"042 35761234", []Identifier{{Phone, "+924235761234"}}},
		{" Asif.Khan@Gmail.com ", []Identifier{{Email, "asif.khan@gmail.com"}}},
		{"PK36 SCBL 0000 0011 2345 6702", []Identifier{{IBAN, "PK36SCBL0000001123456702"}}},
		{"NO93 8601 1117 947", []Identifier{{IBAN, "NO9386011117947"}}},
		{"AB1234567", []Identifier{{Passport, "AB1234567"}}},
		{"ab 123 4567", []Identifier{{Passport, "AB1234567"}}},
		{"C01X00T47", []Identifier{{Passport, "C01X00T47"}}},
		{"LEA-1234", []Identifier{{Plate, "LEA1234"}}},
		{"lea 1234 07", []Identifier{{Plate, "LEA1234"}}},
		{"RIZ 3725", []Identifier{{Plate, "RIZ3725"}}},
		{"490154203237518", []Identifier{{IMEI, "490154203237518"}}},
		{"35-780502-398494-2", []Identifier{{IMEI, "357805023984942"}}},
		{"35 780502 398494 2", []Identifier{{IMEI, "357805023984942"}}},
		{"4174941-3", []Identifier{{NTN, "4174941"}}},
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", []Identifier{{Wallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}}},
		{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", []Identifier{{Wallet, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"}}},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", []Identifier{{Wallet, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}}},
		{" 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed ", []Identifier{{Wallet, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}}},
		{"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", []Identifier{{Wallet, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"}}},

		// Negative cases: nothing absurd.
		{"Muhammad Asif", nil},
		{"Muhammad Asif 1990", nil},
		{"Block 17", nil},
		{"Karachi", nil},
		{"F-16", nil},
		{"12345", nil},
		{"123456789", nil},
		{"asif@", nil},
		{"Asif <asif@example.com>", nil},
		{"35202-123", nil},
		{"PK36SCBL0000001123456703", nil},
		// A CNIC is not an IMEI or NTN, nor a phone an IMEI; an NTN is
		// proposed only as 1234567-8; 14-digit IMEIs and spare digits are
		// not guessed; mistyped wallets are nothing.
		{"4174941", nil},
		{"41749413", nil},
		{"35780502398494", nil},
		{"357805023984940", nil},
		{"357805023984943", nil},
		{"001234567890128", nil},
		{"378282246310005", nil},
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", nil},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", nil},
		{"5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", nil},
		{"", nil},
		{"   ", nil},
		{strings.Repeat("1", 10000), nil},
	} {
		got := Detect(c.in)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Detect(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestFromProperty(t *testing.T) {
	for _, c := range []struct {
		prop, value string
		want        Identifier
		ok          bool
	}{
		{"idNumber", "35202-1234567-1", Identifier{CNIC, "3520212345671"}, true},
		{"nationalId", "3520212345671", Identifier{CNIC, "3520212345671"}, true},
		{"idNumber", "X1234567", Identifier{}, false}, // foreign ID, not a CNIC
		{"phone", "0300 1234567", Identifier{Phone, "+923001234567"}, true},
		{"email", "Asif@Example.com", Identifier{Email, "asif@example.com"}, true},
		{"iban", "PK36 SCBL 0000 0011 2345 6702", Identifier{IBAN, "PK36SCBL0000001123456702"}, true},
		{"passportNumber", "AB-1234567", Identifier{Passport, "AB1234567"}, true},
		{"registrationNumber", "LEA-1234-07", Identifier{Plate, "LEA1234"}, true},
		{"registrationNumber", "0012345", Identifier{}, false}, // company number
		{"taxNumber", "4174941-3", Identifier{NTN, "4174941"}, true},
		{"taxNumber", "35202-1234567-1", Identifier{NTN, "3520212345671"}, true},
		{"taxNumber", "12-3456789", Identifier{}, false}, // a US EIN
		{"publicKey", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", Identifier{Wallet, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"}, true},
		{"publicKey", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", Identifier{Wallet, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}, true},
		{"publicKey", "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A", Identifier{}, false}, // Monero
		{"imei", "35-780502-398494-2", Identifier{IMEI, "357805023984942"}, true},
		{"imei", "357805023984940", Identifier{IMEI, "357805023984942"}, true},
		{"imei", "0", Identifier{}, false},
		{"number", "AB1234567", Identifier{}, false},
		{"name", "Muhammad Asif", Identifier{}, false},
		{"phone", "not a phone", Identifier{}, false},
	} {
		got, ok := FromProperty(c.prop, c.value)
		if got != c.want || ok != c.ok {
			t.Errorf("FromProperty(%q, %q) = %v, %v; want %v, %v", c.prop, c.value, got, ok, c.want, c.ok)
		}
	}
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds() {
		for _, s := range []string{string(k), strings.ToUpper(string(k)), " " + string(k) + " "} {
			if got, err := ParseKind(s); err != nil || got != k {
				t.Errorf("ParseKind(%q) = %q, %v; want %q", s, got, err, k)
			}
		}
	}
	for _, s := range []string{"", "nic", "mobile", "cnic2"} {
		if got, err := ParseKind(s); err == nil {
			t.Errorf("ParseKind(%q) = %q, want error", s, got)
		}
	}
	want := []Kind{CNIC, Phone, IBAN, Passport, Email, Plate, NTN, IMEI, Wallet}
	if got := Kinds(); !reflect.DeepEqual(got, want) {
		t.Errorf("Kinds() = %v, want %v", got, want)
	}
	Kinds()[0] = "mutated"
	if Kinds()[0] != CNIC {
		t.Error("Kinds() returns a shared slice")
	}
}

func TestIdentifierJSON(t *testing.T) {
	b, err := json.Marshal(Identifier{CNIC, "3520212345671"})
	if err != nil || string(b) != `{"type":"cnic","value":"3520212345671"}` {
		t.Errorf("json = %s, %v", b, err)
	}
	if s := (Identifier{Phone, "+923001234567"}).String(); s != "phone:+923001234567" {
		t.Errorf("String() = %q", s)
	}
}

// FuzzNormalize checks that no input panics, that every normal form is a
// fixed point for every kind, and that Detect only returns normal forms.
// The seeds run under plain go test.
func FuzzNormalize(f *testing.F) {
	for _, c := range normCases {
		f.Add(c.in)
	}
	for _, s := range []string{"LEA 07 1234", "+92", "00", "@", "a@b.c", "PK00", "٠", "L-1-22", "ı@ı.ı",
		"0x", "bc1", "BC1", "1", "T", "3", "tb1", "bc1qqqqqqq", "11111111111111111111111111", "0X" + strings.Repeat("F", 40),
		"1234567-8", "12345678901234", "1234567890123456", "00000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, k := range Kinds() {
			v, err := Normalize(k, raw)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Kind != k {
					t.Fatalf("Normalize(%s, %q) error %v is not an *Error for the kind", k, raw, err)
				}
				continue
			}
			if v == "" {
				t.Fatalf("Normalize(%s, %q) = \"\" without error", k, raw)
			}
			again, err := Normalize(k, v)
			if err != nil || again != v {
				t.Fatalf("Normalize(%s, %q) = %q, but Normalize(%s, %q) = %q, %v", k, raw, v, k, v, again, err)
			}
		}
		for _, k := range Kinds() {
			v, err := Normalize(k, raw)
			c := Check(k, raw)
			if c.Valid != (err == nil) || c.Normal != v || c.Valid == (c.Reason != "") {
				t.Fatalf("Check(%s, %q) = %+v disagrees with Normalize = %q, %v", k, raw, c, v, err)
			}
			for _, id := range Implied(Identifier{k, v}) {
				if c.Valid {
					if w, err := Normalize(id.Kind, id.Value); err != nil || w != id.Value {
						t.Fatalf("Implied(%s:%s) gave %v, which normalises to %q, %v", k, v, id, w, err)
					}
				}
			}
		}
		for _, id := range Detect(raw) {
			if v, err := Normalize(id.Kind, id.Value); err != nil || v != id.Value {
				t.Fatalf("Detect(%q) gave %v, which normalises to %q, %v", raw, id, v, err)
			}
		}
	})
}

// TestFastPakistaniMobile checks the fast path for Pakistani mobiles
// against the full parser for every four-digit range start, with many
// numbers in each: validity must depend on the start alone.
func TestFastPakistaniMobile(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for start := 3000; start <= 3999; start++ {
		var want *bool
		for i := 0; i < 40; i++ {
			national := fmt.Sprintf("%d%06d", start, rng.IntN(1_000_000))
			num, err := parsePhone("+92" + national)
			full := err == nil && phonenumbers.IsValidNumber(num)
			if want == nil {
				want = &full
			} else if full != *want {
				t.Fatalf("range %d: validity differs within the range (%s)", start, national)
			}
			for _, form := range []string{"0" + national, "+92" + national, "0092" + national, "0" + national[:3] + "-" + national[3:]} {
				e164, ok := fastPakistaniMobile(form)
				if ok != full || ok && e164 != "+92"+national {
					t.Fatalf("%s: fast path says %q %v, the parser valid=%v", form, e164, ok, full)
				}
			}
		}
	}
}
