package schema

import (
	"strings"
	"testing"
)

type normCase struct {
	in, want string // want "" means the value is refused
}

func checkNormalize(t *testing.T, typ Type, cases []normCase) {
	t.Helper()
	for _, c := range cases {
		got, err := NormalizeValue(typ, c.in)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("%s %q: accepted as %q, want refused", typ, c.in, got)
		case c.want != "" && err != nil:
			t.Errorf("%s %q: %v", typ, c.in, err)
		case c.want != "" && got != c.want:
			t.Errorf("%s %q = %q, want %q", typ, c.in, got, c.want)
		}
	}
}

func TestDates(t *testing.T) {
	checkNormalize(t, TypeDate, []normCase{
		{"1980", "1980"},
		{"1980-02", "1980-02"},
		{"1980-02-29", "1980-02-29"},
		{" 2024-01-31 ", "2024-01-31"},
		{"2024-01-31T10", "2024-01-31T10"},
		{"2024-01-31T10:30", "2024-01-31T10:30"},
		{"2024-01-31T10:30:15", "2024-01-31T10:30:15"},
		{"2024-01-31T10:30:15Z", "2024-01-31T10:30:15"},
		{"2024-01-31T10:30:15.123456Z", "2024-01-31T10:30:15"},
		{"2024-01-01T02:30:15+05:00", "2023-12-31T21:30:15"},
		{"2024-01-31T23:30:00-03:00", "2024-02-01T02:30:00"},

		{"31/02/1980", ""},
		{"2020-13-01", ""},
		{"1980-02-30", ""},
		{"2021-02-29", ""},
		{"2020-00", ""},
		{"2020-1-5", ""},
		{"20200105", ""},
		{"0000", ""},
		{"80", ""},
		{"2024-01-31 10:30", ""},
		{"2024-01-31T24:00", ""},
		{"2024-01-31T10:30:15+0500", ""},
		{"0001-01-01T00:00:00+05:00", ""}, // year 0 once in UTC
		{"yesterday", ""},
		{"", ""},
	})
	_, err := NormalizeValue(TypeDate, "31/02/1980")
	if err == nil || err.Error() != `"31/02/1980" is not a date (use YYYY-MM-DD)` {
		t.Errorf("message: %v", err)
	}
}

func TestNumbers(t *testing.T) {
	checkNormalize(t, TypeNumber, []normCase{
		{"42", "42"}, {"-3.5", "-3.5"}, {"+7", "+7"}, {"0.25", "0.25"}, {"1000000", "1000000"},
		{"12 kg", ""}, {"1,000", ""}, {"1e5", ""}, {".5", ""}, {"5.", ""}, {"NaN", ""}, {"--1", ""}, {"١٢", ""},
	})
}

func TestCountries(t *testing.T) {
	checkNormalize(t, TypeCountry, []normCase{
		{"pk", "pk"}, {"PK", "pk"}, {" Af ", "af"}, {"xk", "xk"},
		{"Pakistan", ""}, {"PAK", ""}, {"xx", ""}, {"p", ""},
	})
}

func TestSimpleTypes(t *testing.T) {
	checkNormalize(t, TypeGender, []normCase{{"male", "male"}, {"Female", "female"}, {"OTHER", "other"}, {"m", ""}, {"unknown", ""}})
	checkNormalize(t, TypeEntity, []normCase{
		{"01HZX3K9", "01HZX3K9"}, {" rec-1 ", "rec-1"}, {"a:b/c.d", "a:b/c.d"},
		{"a b", ""}, {"a\u00a0b", ""}, {strings.Repeat("x", 129), ""},
	})
	checkNormalize(t, TypeURL, []normCase{
		{"https://example.pk/a?b=c", "https://example.pk/a?b=c"}, {"HTTP://Example.pk", "HTTP://Example.pk"},
		{"ftp://example.pk", ""}, {"javascript:alert(1)", ""}, {"example.pk", ""}, {"http://", ""}, {"https://exa mple.pk", ""},
	})
	checkNormalize(t, TypeEmail, []normCase{
		{"Ali.Khan@Example.PK", "Ali.Khan@example.pk"},
		{"ali", ""}, {"ali@pk", ""}, {"@x.pk", ""}, {"ali@", ""}, {"a b@x.pk", ""}, {"Ali <ali@x.pk>", ""}, {"a@x..pk", ""},
	})
	checkNormalize(t, TypePhone, []normCase{
		{"+92 300 1234567", "+923001234567"},
		{"0300-1234567", "03001234567"},
		{"0092 (300) 123.4567", "+923001234567"},
		{"123", ""}, {"call me", ""}, {"+92 300 1234567 ext 5", ""}, {"3+3", ""}, {"+1234567890123456", ""},
	})
	checkNormalize(t, TypeIBAN, []normCase{
		{"PK36SCBL0000001123456702", "PK36SCBL0000001123456702"},
		{"gb82 west 1234 5698 7654 32", "GB82WEST12345698765432"},
		{"GB82WEST12345698765433", ""}, {"PK36", ""}, {"QQ82WEST12345698765432", ""}, {"PK36-SCBL-0000-0011-2345-6702", ""},
	})
	checkNormalize(t, TypeLanguage, []normCase{{"urd", "urd"}, {"PUS", "pus"}, {"ur", ""}, {"urdu", ""}})
	checkNormalize(t, TypeTopic, []normCase{{"crime.traffick.drug", "crime.traffick.drug"}, {"Sanction", "sanction"}, {"drugs", ""}})
	checkNormalize(t, TypeName, []normCase{{" Ali \t Khan ", "Ali Khan"}, {"Ali\nKhan", ""}})
	checkNormalize(t, TypeString, []normCase{{" S/O Abdul ", "S/O Abdul"}, {"a\x00b", ""}, {"a\x1bb", ""}})
	checkNormalize(t, TypeText, []normCase{{"line 1\r\nline\t2", "line 1\r\nline\t2"}, {"a\x00b", ""}})
	checkNormalize(t, TypeIdentifier, []normCase{{"35202-1234567-1", "35202-1234567-1"}})
	checkNormalize(t, TypeAddress, []normCase{{"House 12, Street 4, F-7/2, Islamabad", "House 12, Street 4, F-7/2, Islamabad"}})
}

func TestNormalizeValueUnknownType(t *testing.T) {
	if _, err := NormalizeValue("colour", "blue"); err == nil {
		t.Error("unknown type accepted")
	}
	for _, typ := range Types() {
		if !knownTypes[typ] {
			t.Errorf("Types lists unknown %s", typ)
		}
	}
	if len(Types()) != len(knownTypes) {
		t.Error("Types and knownTypes disagree")
	}
}
