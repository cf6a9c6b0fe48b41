package ident

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		kind     Kind
		in       string
		normal   string // "" for an invalid verdict
		warnings []string
		reason   string
	}{
		{CNIC, "35202-1234567-1", "3520212345671", nil, ""},
		{CNIC, "21101-1234567-9", "2110112345679", []string{"first digit 2 is FATA, merged into Khyber Pakhtunkhwa in 2018; the card is still valid"}, ""},
		{CNIC, "3520-21234567-1", "3520212345671", []string{"dashes are not where the card prints them (XXXXX-XXXXXXX-X); check the digits"}, ""},
		{CNIC, "35202-123", "", nil, "must have 13 digits, has 8"},
		{Phone, "0300 1234567", "+923001234567", nil, ""},
		{Phone, "+44 20 7946 0958", "+442079460958", []string{"is not a Pakistani number (+44, GB)"}, ""},
		{Phone, "+971 50 123 4567", "+971501234567", []string{"is not a Pakistani number (+971, AE)"}, ""},
		{IBAN, "PK36SCBL0000001123456702", "PK36SCBL0000001123456702", nil, ""},
		{IBAN, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432", []string{"is not a Pakistani IBAN (GB)"}, ""},
		{IBAN, "LC55 HEMM 0001 0001 0012 0012 0002 3015", "LC55HEMM000100010012001200023015", []string{"is not a Pakistani IBAN (LC)", "the length is not checked for LC IBANs, only the checksum"}, ""},
		{Passport, "AB1234567", "AB1234567", nil, ""},
		{Email, "asif.khan@example.com", "asif.khan@example.com", nil, ""},
		{Email, "Asif.Khan+work@Gmail.com", "asif.khan+work@gmail.com", []string{"has a +tag; the same mailbox may be recorded without it", "Gmail ignores dots in the name; the same mailbox may be recorded with other dots or none"}, ""},
		{Plate, "LEA-1234-07", "LEA1234", nil, ""},
		{Plate, "RIZ 3725", "RIZ3725", nil, ""},
		{Plate, "IDA 123", "IDA123", nil, ""},
		{Plate, "AOB-123", "AOB123", []string{"letters I, O and U are not issued on Pakistani plates (misread 1, 0 or V?)"}, ""},
		{Plate, "LEU 1234", "LEU1234", []string{"letters I, O and U are not issued on Pakistani plates (misread 1, 0 or V?)"}, ""},
		{NTN, "4174941-3", "4174941", nil, ""},
		{NTN, "35202-1234567-1", "3520212345671", []string{"is a CNIC: individuals file under their CNIC as NTN"}, ""},
		{IMEI, "490154203237518", "490154203237518", nil, ""},
		{IMEI, "49015420323751", "490154203237518", []string{"given without its check digit; computed as 8"}, ""},
		{IMEI, "490154203237510", "490154203237518", []string{"ends in 0 where the check digit is 8: read as the spare digit network records carry; if copied from the handset, check for a typo"}, ""},
		{IMEI, "4901542032375199", "490154203237518", []string{"is an IMEISV; its 2-digit software version is dropped and the check digit computed"}, ""},
		{IMEI, "001234567890128", "001234567890128", []string{"reporting body 00 is reserved for test IMEIs, not sold handsets"}, ""},
		{IMEI, "490154203237519", "", nil, "check digit is 9, but the Luhn check digit of the first 14 digits is 8 (mistyped?)"},
		{Wallet, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", nil, ""},
		{Wallet, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", []string{"an EVM address: the same address exists on Ethereum, BNB Smart Chain, Polygon and other EVM chains"}, ""},
		{Wallet, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", []string{"an EVM address: the same address exists on Ethereum, BNB Smart Chain, Polygon and other EVM chains", "written in one case, so it carries no EIP-55 checksum and a typo cannot be detected"}, ""},
		{Kind("nic"), "1", "", nil, "unknown identifier kind (want one of cnic, phone, iban, passport, email, plate, ntn, imei, wallet)"},
	} {
		got := Check(c.kind, c.in)
		want := Verdict{Kind: c.kind, Input: c.in, Normal: c.normal, Valid: c.normal != "", Warnings: c.warnings, Reason: c.reason}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Check(%s, %q) =\n\t%+v\nwant\n\t%+v", c.kind, c.in, got, want)
		}
	}
}

func TestCheckUnallocatedReportingBody(t *testing.T) {
	got := Check(IMEI, "77123456789012"+string(luhnDigit("77123456789012")))
	want := []string{"first two digits 77 are not an allocated reporting body (cloned or made-up IMEI?)"}
	if !got.Valid || !reflect.DeepEqual(got.Warnings, want) {
		t.Errorf("Check(imei, 77…) = %+v, want warnings %q", got, want)
	}
}

func TestVerdictJSON(t *testing.T) {
	b, err := json.Marshal(Check(CNIC, "21101-1234567-9"))
	want := `{"kind":"cnic","input":"21101-1234567-9","normal":"2110112345679","valid":true,"warnings":["first digit 2 is FATA, merged into Khyber Pakhtunkhwa in 2018; the card is still valid"]}`
	if err != nil || string(b) != want {
		t.Errorf("json = %s, %v\nwant %s", b, err, want)
	}
	b, _ = json.Marshal(Check(CNIC, "1"))
	if want := `{"kind":"cnic","input":"1","valid":false,"reason":"must have 13 digits, has 1"}`; string(b) != want {
		t.Errorf("json = %s\nwant %s", b, want)
	}
}

func TestCheckCNICSex(t *testing.T) {
	for _, c := range []struct{ cnic, sex, want string }{
		{"35202-1234567-1", "male", ""},
		{"35202-1234567-1", "M", ""},
		{"35202-1234567-2", " Female ", ""},
		{"35202-1234567-2", "f", ""},
		{"35202-1234567-2", "male", "CNIC 35202-1234567-2 ends in an even digit, which NADRA gives women, but the recorded sex is male"},
		{"3520212345671", "F", "CNIC 35202-1234567-1 ends in an odd digit, which NADRA gives men, but the recorded sex is female"},
		{"35202-1234567-2", "", ""},
		{"35202-1234567-2", "other", ""},
		{"35202-1234567-2", "unknown", ""},
		{"35202-123", "male", ""}, // not a CNIC: Check says so, not this
	} {
		if got := CheckCNICSex(c.cnic, c.sex); got != c.want {
			t.Errorf("CheckCNICSex(%q, %q) = %q, want %q", c.cnic, c.sex, got, c.want)
		}
	}
}
