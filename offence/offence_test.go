package offence

import (
	"bytes"
	"strings"
	"testing"
)

// TestEmbedded guards the panic in Builtin: the shipped file must load.
func TestEmbedded(t *testing.T) {
	c, err := Load(bytes.NewReader(offencesCSV), "offences.csv")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.All()); n < 100 {
		t.Errorf("embedded catalogue has %d offences, want at least 100", n)
	}
	for code, title := range map[string]string{
		"PPC-302":         "Punishment of qatl-i-amd",
		"PPC-365-A":       "Kidnapping or abducting for extorting property, valuable security, etc.",
		"CNSA-9":          "Punishment for contravention of sections 6, 7 and 8",
		"PTPA-3":          "Trafficking in persons",
		"PSMA-3":          "Smuggling of migrants",
		"AMLA-3":          "Offence of money laundering",
		"PECA-14":         "Electronic fraud",
		"CUSTOMS-156-1-8": "Smuggling of goods into or out of Pakistan",
	} {
		o, ok := c.Get(code)
		if !ok || o.Title != title {
			t.Errorf("Get(%q) = %+v, %v; want title %q", code, o, ok, title)
		}
	}
}

func TestGetIgnoresCase(t *testing.T) {
	c := Builtin()
	o, ok := c.Get(" ppc-120-b ")
	if !ok || o.Code != "PPC-120-B" || o.Section != "120-B" {
		t.Fatalf("Get(ppc-120-b) = %+v, %v", o, ok)
	}
	if _, ok := c.Get("PPC-99999"); ok {
		t.Error("Get found a code that is not in the catalogue")
	}
}

func TestOrderAndLaws(t *testing.T) {
	c := Builtin()
	all := c.All()
	if all[0].Code != "PPC-34" || all[len(all)-1].Code != "PASSPORTS-4" {
		t.Errorf("All() not in file order: first %s, last %s", all[0].Code, all[len(all)-1].Code)
	}
	want := []string{
		"Pakistan Penal Code, 1860",
		"Control of Narcotic Substances Act, 1997",
		"Prevention of Trafficking in Persons Act, 2018",
		"Prevention of Smuggling of Migrants Act, 2018",
		"Anti-Money Laundering Act, 2010",
		"Prevention of Electronic Crimes Act, 2016",
		"Emigration Ordinance, 1979",
		"Customs Act, 1969",
		"Passports Act, 1974",
	}
	if got := c.Laws(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Laws() = %q\nwant %q", got, want)
	}
	all[0].Title = "changed"
	if o, _ := c.Get("PPC-34"); o.Title == "changed" {
		t.Error("All() exposes the catalogue's own slice")
	}
}

func TestLoadErrors(t *testing.T) {
	const head = "code,law,section,title\n"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", `ext.csv: empty file`},
		{"header", "code,law,title\n", `ext.csv:1: header is "code,law,title"`},
		{"fields", head + "X-1,Some Act,1\n", `ext.csv:2: 3 fields, want 4`},
		{"lowercase code", head + "ppc-1,Some Act,1,T\n", `ext.csv:2: code "ppc-1": code does not match`},
		{"no section part", head + "PPC,Some Act,1,T\n", `ext.csv:2: code "PPC": code does not match`},
		{"space in code", head + "PPC-1 A,Some Act,1,T\n", `ext.csv:2: code "PPC-1 A": code does not match`},
		{"empty law", head + "X-1, ,1,T\n", `ext.csv:2: code "X-1": law is empty`},
		{"empty section", head + "X-1,Some Act,,T\n", `ext.csv:2: code "X-1": section is empty`},
		{"empty title", head + "X-1,Some Act,1,\n", `ext.csv:2: code "X-1": title is empty`},
		{"duplicate", head + "X-1a,Some Act,1,T\nX-2,Some Act,2,U\nX-1A,Some Act,1,T\n", `ext.csv:4: code "X-1A": duplicate of line 2`},
		{"quoting", head + "X-1,\"Some Act,1,T\n", `ext.csv:2: extraneous or missing " in quoted-field`},
	} {
		_, err := Load(strings.NewReader(tc.in), "ext.csv")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want prefix %q", tc.name, err, tc.want)
		}
	}
}

func TestLoadAcceptsBOMAndQuotes(t *testing.T) {
	in := "\ufeffcode,law,section,title\r\nFA-14,\"Foreigners Act, 1946\",14,\"Penalty for contravention of provisions of the Act, etc.\"\r\n"
	c, err := Load(strings.NewReader(in), "ext.csv")
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := c.Get("fa-14"); !ok || o.Law != "Foreigners Act, 1946" {
		t.Errorf("Get(fa-14) = %+v, %v", o, ok)
	}
}

func TestMerge(t *testing.T) {
	c := Builtin()
	n := len(c.All())
	ext, err := Load(strings.NewReader("code,law,section,title\n"+
		"PPC-302,\"Pakistan Penal Code, 1860\",302,Punishment of qatl-i-amd\n"+ // identical: skipped
		"FA-14,\"Foreigners Act, 1946\",14,Penalty for contravention of provisions of the Act\n"), "ext.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Merge(ext); err != nil {
		t.Fatal(err)
	}
	all := c.All()
	if len(all) != n+1 || all[n].Code != "FA-14" {
		t.Fatalf("after Merge: %d offences, last %v; want %d, last FA-14", len(all), all[len(all)-1], n+1)
	}
	if _, ok := Builtin().Get("FA-14"); ok {
		t.Error("Merge into one copy changed the built-in catalogue")
	}
	if err := c.Merge(ext); err != nil || len(c.All()) != n+1 {
		t.Errorf("merging twice: err %v, %d offences; want nil, %d", err, len(c.All()), n+1)
	}
}

func TestMergeConflict(t *testing.T) {
	c := Builtin()
	n := len(c.All())
	ext, err := Load(strings.NewReader("code,law,section,title\n"+
		"ZZ-1,Some Act,1,New offence\n"+
		"PPC-302,\"Pakistan Penal Code, 1860\",302,Murder\n"), "ext.csv")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Merge(ext)
	if err == nil || !strings.Contains(err.Error(), `code "PPC-302"`) || !strings.Contains(err.Error(), `"Murder"`) {
		t.Fatalf("Merge conflicting title: err = %v, want one naming PPC-302", err)
	}
	if len(c.All()) != n {
		t.Error("a failed Merge changed the catalogue")
	}
}
