package tabular

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	m := Mapping{ID: "id", Columns: map[string][]string{"First": {"firstName"}, "addr1": {"street"}, "addr2": {"street"}, "absent": {"city"}}}
	in := "\xef\xbb\xbfid; first ;addr1;addr2\n1;Asif;12 Mall Road;Lahore\n\n2; Bilal ;;Karachi\n"
	rows, err := Read(strings.NewReader(in), "people.csv", m)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].ID != "1" || rows[1].Line != 4 {
		t.Fatalf("rows = %+v", rows)
	}
	if got := rows[0].Values["street"]; len(got) != 2 || got[0] != "12 Mall Road" && got[1] != "12 Mall Road" {
		t.Errorf("two columns to one property: %q", got)
	}
	if rows[1].Values["firstName"][0] != "Bilal" {
		t.Errorf("values are trimmed and columns found case-insensitively: %+v", rows[1].Values)
	}
}

func TestReadErrors(t *testing.T) {
	m := Mapping{ID: "id", Columns: map[string][]string{"name": {"name"}}}
	for _, c := range []struct{ in, want string }{
		{"", "x.csv: the file is empty"},
		{"  \n\n", "x.csv: the file is empty"},
		{"id,name\n", "x.csv: no records after the header"},
		{"ref,name\n1,a\n", `x.csv:1: no column "id" for --id (columns: ref, name)`},
		{"id,other\n1,a\n", "x.csv:1: none of the mapped columns is in the file (columns: id, other)"},
		{"id,name\n1,a\n2,b,c\n", "x.csv:3: 3 fields, the header has 2"},
		{"id,name\n1,a\n,b\n", `x.csv:3: column "id" (--id) is empty`},
		{"id,name\n1,a\n1,b\n", `x.csv:3: column "id": id "1" already used on line 2`},
		{"id,name\n1,\"a\n", `x.csv:2: at character 6: extraneous or missing " in quoted-field`},
		{"id,name\n1,a\"b\n", `x.csv:2: at character 4: bare " in non-quoted-field`},
		{"id,name,id\n", `x.csv:1: column "id" appears twice (columns 1 and 3)`},
		{"id\x00,name\n", "x.csv: not a text file"},
	} {
		_, err := Read(strings.NewReader(c.in), "x.csv", m)
		if err == nil || err.Error() != c.want {
			t.Errorf("Read(%q) error = %v, want %q", c.in, err, c.want)
		}
	}
}

func TestParseMap(t *testing.T) {
	valid := func(p string) bool { return p == "name" || p == "phone" }
	got, err := ParseMap([]string{"a=name,b=phone", "c = name"}, valid, []string{"name", "phone"})
	if err != nil || len(got) != 3 || got["c"][0] != "name" {
		t.Fatalf("ParseMap = %v, %v", got, err)
	}
	for arg, want := range map[string]string{
		"a=nme": `--map "a=nme": unknown property "nme" (want one of name, phone)`,
		"a":     `--map "a": want COLUMN=PROPERTY`,
		"=name": `--map "=name": want COLUMN=PROPERTY`,
	} {
		if _, err := ParseMap([]string{arg}, valid, []string{"name", "phone"}); err == nil || err.Error() != want {
			t.Errorf("ParseMap(%q) = %v, want %q", arg, err, want)
		}
	}
}

// An unterminated quote is an error naming the line, not a panic.
func TestReadUnterminatedQuote(t *testing.T) {
	_, err := Read(strings.NewReader("id,name\n1,\"Asif\n"), "q.csv", Mapping{ID: "id", Columns: map[string][]string{"name": {"name"}}})
	if err == nil || !strings.Contains(err.Error(), "q.csv:2") {
		t.Fatalf("err = %v", err)
	}
}
