package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/rabta/rabta/sanctions"
)

// sanctionsList is the demo's sanctions list: a few synthetic entries in
// the UN list's shape (the real list is public, but the demo carries no
// real people), one of them a financier of the demo's hawala network
// under a spelling of his own, so that screening raises an alert.
func sanctionsList(ds *Dataset) (*sanctions.List, string) {
	l := &sanctions.List{Source: "un-sc", Generated: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	add := func(id, schema, name string, aliases []string, born int, nat string) {
		e := sanctions.Entry{ID: id, Schema: schema, Name: name, ListType: "DEMO (synthetic)", ListedOn: "2025-06-30",
			Names: []sanctions.Name{{Value: name, Kind: sanctions.KindPrimary}}}
		for _, a := range aliases {
			e.Names = append(e.Names, sanctions.Name{Value: a, Kind: sanctions.KindAlias, Quality: sanctions.QualityGood})
		}
		if born != 0 {
			e.BirthDates = []sanctions.BirthDate{{Type: sanctions.DateExact, Year: born}}
		}
		if nat != "" {
			e.Nationalities = []string{nat}
		}
		l.Entries = append(l.Entries, e)
	}
	add("QDi.901", "Person", "QARI ZAHOOR UL HAQ", []string{"Zahoor Haqqani"}, 1969, "Afghanistan")
	add("QDi.902", "Person", "DILAWAR KHAN NOORZAI", nil, 1975, "Pakistan")
	add("QDe.903", "Organization", "AL-FURQAN WELFARE TRUST", []string{"Furqan Relief Foundation"}, 0, "")
	// The financier: the first FMU person record of the hawala network.
	target := ""
	for _, b := range ds.Batches {
		if b.Username != "fmu.analyst" {
			continue
		}
		for _, r := range b.Records {
			if r.Schema == "Person" && len(r.Properties["name"]) > 0 && len(r.Properties["birthDate"]) > 0 {
				name := r.Properties["name"][0]
				var year int
				fmt.Sscanf(r.Properties["birthDate"][0], "%d", &year)
				add("QDi.904", "Person", spellOtherwise(name), nil, year, "Pakistan")
				target = name
				break
			}
		}
		if target != "" {
			break
		}
	}
	return l, target
}

// spellOtherwise respells a name the way another clerk might: other
// vowels, capitals, and "Last, First" turned round.
func spellOtherwise(name string) string {
	respell := map[string]string{"muhammad": "mohammad", "mohammad": "muhammad", "hassan": "hasan", "hussain": "husain",
		"ahmed": "ahmad", "yousaf": "yusuf", "chaudhry": "choudhary"}
	last, first, comma := strings.Cut(name, ",")
	if comma {
		name = first + " " + last
	}
	words := strings.Fields(strings.ToLower(name))
	for i, w := range words {
		if r, ok := respell[w]; ok {
			words[i] = r
		}
	}
	return strings.ToUpper(strings.Join(words, " "))
}
