package demo

import (
	"fmt"

	"github.com/rabta/rabta"
)

// informants adds a handful of informant records to each intelligence
// agency: the person, the phone the handler calls, and links to the
// suspects they report on. Only the holding agency's cleared intelligence
// staff know these exist. Two informants are people another agency holds
// as a suspect, so a search there must find the suspect record and
// nothing of the informant.
func (b *builder) informants() {
	from, to := day(2025, 1, 1), day(2026, 2, 20)
	plan := []struct {
		user, prefix, city string
		code               string // the handler's codename series
		n                  int
		twin               *person // a person another agency holds as a suspect
		reports            []*person
	}{
		{"fia.analyst", "FIA/AHTC/HUMINT", "Gujrat", "GJT", 3, b.n2.drivers[4], b.n1.recruiters},
		{"anf.analyst", "ANF/RD-S/HUMINT", "Karachi", "KHI", 3, b.n1.drivers[0], b.n2.financiers},
		{"customs.analyst", "CUSTOMS/MCC-PQ/HUMINT", "Karachi", "PQ", 3, nil, b.n2.agents},
		{"punjab-police.analyst", "PP/GRW/SB", "Gujranwala", "GRW", 3, nil, b.n1.recruiters},
		{"fmu.analyst", "FMU/TIP", "Peshawar", "PSH", 2, nil, b.n1.recruiters},
	}
	for _, p := range plan {
		d := b.desk(deskSpec{user: p.user, prefix: p.prefix, from: from, to: to})
		for i := range p.n {
			src := p.twin
			if i > 0 || src == nil {
				src = b.newPerson(pspec{city: p.city, born: [2]int{1970, 1995}, phones: 1})
			}
			r := d.add("Person", d.render(src, withCNIC|withPhone), informant, subject(rabta.SubjectOther))
			r.Properties["weakAlias"] = []string{fmt.Sprintf("Source %s-%02d", p.code, 3+i*7)}
			b.truth[r.ID] = src.key
			ph := d.add("Phone", props{}.add("number", src.phones[0]).add("user", r.ID).add("provider", network(src.phones[0])), informant)
			b.truth[ph.ID] = phoneKey(src.phones[0])
			// What the source reports on: suspects the agency already holds.
			var known []*person
			for _, s := range p.reports {
				if d.known(s) {
					known = append(known, s)
				}
			}
			for _, s := range some(b, known, 2) {
				d.link("Associate", r, d.rec(s.key), props{}.add("relationship", "reports on"), informant)
			}
		}
	}
}
