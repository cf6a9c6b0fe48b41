package demo

import (
	"github.com/rabta/rabta"
)

// background adds what every agency holds besides the three networks:
// people from other cases, some of them known to a second agency, and more
// men with the commonest names. Without it every search would land in a
// network, and a matcher would have nothing to tell apart.
func (b *builder) background() {
	from, to := day(2025, 1, 1), day(2026, 2, 20)
	type plan struct {
		user, prefix string
		partners     []string
		cities       []string
		n            int
		grading      string
	}
	plans := []plan{
		{"fia.analyst", "FIA/CCW/LHR", []string{"PUNJAB-POLICE", "FMU"}, []string{"Lahore", "Rawalpindi", "Islamabad", "Gujranwala"}, 60, ""},
		{"punjab-police.analyst", "PP/LHR/CIA", []string{"FIA"}, []string{"Lahore", "Gujranwala", "Sialkot", "Rawalpindi"}, 60, "5x5x5"},
		{"anf.analyst", "ANF/RD-N/RWP", []string{"CUSTOMS", "PUNJAB-POLICE"}, []string{"Rawalpindi", "Peshawar", "Islamabad", "Quetta"}, 40, ""},
		{"customs.analyst", "CUSTOMS/MCC-APP", []string{"ANF"}, []string{"Karachi", "Lahore", "Peshawar"}, 25, "admiralty"},
		{"fmu.analyst", "FMU/CTR", []string{"FIA"}, []string{"Karachi", "Lahore", "Islamabad", "Peshawar"}, 40, ""},
	}
	desks := make([]*desk, len(plans))
	local := make([][]*person, len(plans))
	for i, p := range plans {
		desks[i] = b.desk(deskSpec{user: p.user, partners: p.partners, prefix: p.prefix, from: from, to: to, grading: p.grading, partnerPct: 0.3})
	}
	common := []string{"Muhammad Imran", "Muhammad Asif", "Ali Raza", "Bilal Ahmed", "Muhammad Usman", "Muhammad Bilal"}
	cats := []rabta.SubjectCategory{rabta.SubjectSuspect, rabta.SubjectSuspect, rabta.SubjectSuspect, rabta.SubjectSuspect,
		rabta.SubjectConvicted, rabta.SubjectOther, rabta.SubjectOther, rabta.SubjectWitness}
	for i, p := range plans {
		d := desks[i]
		for j := range p.n {
			s := pspec{city: pickStr(b, p.cities), born: [2]int{1960, 2002}, phones: 1 + b.rng.IntN(2), passport: b.chance(0.3), email: b.chance(0.15)}
			if j%9 == 4 {
				s.name = pickStr(b, common)
			}
			s.female = s.name == "" && b.chance(0.08)
			x := b.newPerson(s)
			local[i] = append(local[i], x)
			r := d.person(x, 0, subject(pick(b, cats)))
			if b.chance(0.5) {
				d.phone(pick(b, x.phones), r, nil)
			}
		}
		// A few pairs of associates, as other cases link people.
		for range p.n / 6 {
			xs := some(b, local[i], 2)
			d.link("Associate", d.rec(xs[0].key), d.rec(xs[1].key), props{}.add("relationship", pickStr(b, []string{"associate", "co-accused", "business partner", "relative"})), maybe(b, 0.3, assessed))
		}
	}
	// Some of those people are known to a second agency: the street dealer
	// the police arrested and ANF profiled, the fraudster FIA and FMU both
	// hold.
	for _, pair := range [][2]int{{0, 1}, {1, 0}, {2, 1}, {4, 0}, {3, 2}} {
		from, to := pair[0], pair[1]
		for _, x := range some(b, local[from], 9) {
			desks[to].person(x, 0, subject(rabta.SubjectSuspect))
		}
	}
}
