package selector

import (
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestPersonKeysMeetAcrossSpellings(t *testing.T) {
	k := NewKeyer(key)
	meet := func(a, b []Selector) bool {
		for _, x := range a {
			for _, y := range b {
				if x.Hash == y.Hash && x.Kind == y.Kind {
					return true
				}
			}
		}
		return false
	}
	base := k.Person("Muhammad Asif", "Abdul Rehman", "1985-03-12")
	for _, c := range []struct {
		name, father, birth string
		want                bool
	}{
		{"Mohd. Asif s/o Abdur Rahman", "", "", true},          // variants, s/o in the name
		{"محمد آصف", "عبدالرحمان", "", true},                   // Urdu script
		{"Asif Muhammad", "", "12/03/1985", true},              // order, D/M/Y
		{"Haji Muhammad Ali Asif", "Abdul Rehman", "", true},   // title, middle name
		{"Muhammad Arif", "Abdul Rehman", "1985-03-12", false}, // another man
		{"Muhammad Asif", "Ghulam Nabi", "1990-01-01", false},  // a namesake
		{"Asif", "Abdul Rehman", "1985-03-12", false},          // one word: too common to key
	} {
		if got := meet(base, k.Person(c.name, c.father, c.birth)); got != c.want {
			t.Errorf("%q/%q/%q meets = %v, want %v", c.name, c.father, c.birth, got, c.want)
		}
	}
}

func TestKeysDependOnKeyAndKind(t *testing.T) {
	a := NewKeyer(key).Identifier(ident.Identifier{Kind: ident.CNIC, Value: "3520212345671"})
	b := NewKeyer([]byte("another-key-another-key-another!!")).Identifier(ident.Identifier{Kind: ident.CNIC, Value: "3520212345671"})
	c := NewKeyer(key).Identifier(ident.Identifier{Kind: ident.NTN, Value: "3520212345671"})
	if a.Hash == b.Hash || a.Hash == c.Hash {
		t.Errorf("hashes must differ by key and by kind")
	}
	if Strength("cnic") != "strong" || Strength("phone") != "medium" || Strength(NameFather) != "medium" {
		t.Errorf("strengths")
	}
}

// A record's keys are those of Person for every name (and alias) with every
// father's name and birth date, the name alone included.
func TestRecordKeysEveryCombination(t *testing.T) {
	k := NewKeyer(key)
	r := &rabta.Record{Schema: "Person", Properties: map[string][]string{
		"name":       {"Mohd. Asif s/o Abdur Rahman"},
		"alias":      {"Asif Ali Khan"},
		"fatherName": {"Ghulam Nabi", "Abdul Rehman"},
		"birthDate":  {"03/04/1985", "1985"},
	}}
	var want []Selector
	for _, n := range []string{"Mohd. Asif s/o Abdur Rahman", "Asif Ali Khan"} {
		for _, f := range []string{"", "Ghulam Nabi", "Abdul Rehman"} {
			for _, b := range []string{"", "03/04/1985", "1985"} {
				want = append(want, k.Person(n, f, b)...)
			}
		}
	}
	want = dedupe(want)
	got := k.Record(r)
	if len(got) != len(want) || len(got) < 10 {
		t.Fatalf("got %d keys, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("key %d differs", i)
		}
	}
}
