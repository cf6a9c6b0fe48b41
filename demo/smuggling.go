package demo

import (
	"fmt"
	"time"

	"github.com/rabta/rabta"
)

// smugglers is what the later networks reuse of the first: organisers and
// sub-agents pay through the hawala network, and victims' families are the
// depositors FMU sees.
type smugglers struct {
	organiser  *person // the Gujrat organiser: the demo's showcase subject
	istanbul   *person
	recruiters []*person
	drivers    []*person
	victims    []*victimCase
}

// victimCase is one smuggled person and what happened to them.
type victimCase struct {
	p         *person
	recruiter *person
	father    *person // the father as a subject of his own, when a record names him
	departed  time.Time
	form      string
	paid      int64 // PKR the family paid the sub-agent
	fia, ngo  bool  // which protection desks registered the victim
	police    bool
}

var exploitationForms = []string{
	"aggravated migrant smuggling: held for ransom in Iran",
	"aggravated migrant smuggling: abandoned in the desert near the border",
	"forced labour in Iran to pay off the journey",
	"debt bondage to the sub-agent",
	"migrant smuggling: deported from Iran via Taftan",
	"migrant smuggling: intercepted before departure",
}

// smuggling builds network 1: a migrant-smuggling network that recruits
// young men in Gujranwala, Gujrat and Mandi Bahauddin for Europe and moves
// them through Quetta and the Mand and Taftan crossings into Iran and on to
// Turkey. FIA's anti-human-trafficking circle works it; Punjab Police hold
// the FIRs the families lodged; the shelter and FIA's protection desk hold
// the victims.
func (b *builder) smuggling() {
	from, to := day(2025, 1, 15), day(2026, 2, 15)
	fia := b.desk(deskSpec{user: "fia.analyst", partners: []string{"PUNJAB-POLICE"}, prefix: "FIA/AHTC/GRW", from: from, to: to})
	pp := b.desk(deskSpec{user: "punjab-police.analyst", partners: []string{"FIA"}, prefix: "PP/GRW/INV", from: from, to: to, grading: "5x5x5", partnerPct: 0.3})
	ngo := b.desk(deskSpec{user: "ngo-shelter.protection", partners: []string{"FIA"}, prefix: "SSN/INTAKE", from: from, to: to, grading: "none", protection: true})
	ppVictims := b.desk(deskSpec{user: "punjab-police.protection", partners: []string{"FIA", "NGO-SHELTER"}, prefix: "PP/GRW/VPU", from: from, to: to, grading: "5x5x5", partnerPct: 0.3, protection: true})
	fiaVictims := b.desk(deskSpec{user: "fia.protection", partners: []string{"NGO-SHELTER"}, prefix: "FIA/AHTC/VPC", from: from, to: to, protection: true})

	// The people.
	n := &smugglers{}
	b.n1 = n
	o1 := b.newPerson(pspec{city: "Gujrat", born: [2]int{1968, 1975}, phones: 3, passport: true, email: true})
	o1.nick = "Haji"
	n.organiser = o1
	o2 := b.newPerson(pspec{city: "Quetta", born: [2]int{1972, 1980}, phones: 2})
	o3 := b.newPerson(pspec{city: "Gujrat", born: [2]int{1980, 1988}, phones: 2, passport: true, abroad: "tr"})
	n.istanbul = o3
	o4 := b.newPerson(pspec{city: "Turbat", born: [2]int{1975, 1985}, phones: 1, nationality: "ir", passport: true})
	var recruiters []*person
	for i, c := range []string{"Gujranwala", "Gujranwala", "Gujranwala", "Gujranwala", "Gujrat", "Gujrat", "Gujrat", "Gujrat", "Mandi Bahauddin", "Mandi Bahauddin", "Mandi Bahauddin", "Mandi Bahauddin"} {
		s := pspec{city: c, born: [2]int{1978, 1995}, phones: 1 + b.rng.IntN(2), email: b.chance(0.3)}
		switch i {
		case 4: // brothers: one father, one family, two men
			s.name, s.family, s.father = "Zubair Ahmed", "Warraich", "Bashir Ahmed"
		case 5:
			s.name, s.family, s.father = "Zahid Ahmed", "Warraich", "Bashir Ahmed"
		case 8: // the first of the demo's several men called Muhammad Asif
			s.name, s.family, s.father = "Muhammad Asif", "Gondal", "Muhammad Akram"
		case 11:
			s.female = true
		}
		r := b.newPerson(s)
		if b.chance(0.3) {
			r.nick = pick(b, nicknames)
		}
		recruiters = append(recruiters, r)
	}
	n.recruiters = recruiters
	forgers := []*person{
		b.newPerson(pspec{city: "Lahore", name: "Muhammad Imran", family: "Sheikh", father: "Abdul Majeed", born: [2]int{1975, 1985}, phones: 2}),
		b.newPerson(pspec{city: "Lahore", born: [2]int{1978, 1990}, phones: 1}),
		b.newPerson(pspec{city: "Rawalpindi", born: [2]int{1980, 1990}, phones: 1}),
	}
	var drivers []*person
	for _, c := range []string{"Quetta", "Quetta", "Quetta", "Quetta", "Turbat", "Turbat"} {
		drivers = append(drivers, b.newPerson(pspec{city: c, born: [2]int{1975, 1992}, phones: 1 + b.rng.IntN(2)}))
	}
	keepers := []*person{
		b.newPerson(pspec{city: "Quetta", born: [2]int{1970, 1985}, phones: 1}),
		b.newPerson(pspec{city: "Turbat", born: [2]int{1970, 1985}, phones: 1}),
	}
	n.drivers = drivers
	suspects := append(append(append(append([]*person{o1, o2, o3, o4}, recruiters...), forgers...), drivers...), keepers...)

	// The victims: 140 smuggled people, 20 of them children, each
	// recruited by a sub-agent of their district.
	byCity := map[string][]*person{}
	for _, r := range recruiters {
		byCity[r.city.name] = append(byCity[r.city.name], r)
	}
	for i := range 140 {
		c := weighted(b, []string{"Gujranwala", "Gujrat", "Mandi Bahauddin"}, []int{35, 35, 30})
		s := pspec{city: c, born: [2]int{1992, 2005}, phones: 1, passport: b.chance(0.8)} // adults when they left
		switch {
		case i%7 == 3:
			s.born, s.minor, s.passport = [2]int{2008, 2010}, true, b.chance(0.5)
		case i%14 == 6:
			s.female = true
		}
		if i == 40 { // a victim called Muhammad Asif, not the sub-agent of that name
			s.name, s.family, s.father = "Muhammad Asif", "-", "Ghulam Rasool"
		}
		v := &victimCase{p: b.newPerson(s), recruiter: pick(b, byCity[c]),
			departed: b.between(day(2024, 10, 1), day(2025, 9, 30)), form: pick(b, exploitationForms)}
		v.paid = int64(44+b.rng.IntN(33)) * 50_000
		if b.chance(0.5) {
			v.father = b.fatherOf(v.p)
		}
		v.fia, v.ngo, v.police = b.chance(0.72), b.chance(0.64), b.chance(0.12)
		if !v.fia && !v.ngo && !v.police {
			v.ngo = true
		}
		n.victims = append(n.victims, v)
	}

	// FIA: the whole network.
	fia.person(o1, withCNIC|withPhone, subject(rabta.SubjectSuspect), marked(rabta.Marking{
		Release: rabta.ReleaseAgencies, Agencies: []string{"FMU", "PUNJAB-POLICE"}, Handling: "P", Classification: rabta.Restricted}))
	b.examples = append(b.examples, Example{Username: "fia.analyst", Query: fmtCNIC(o1.cnic),
		Note: "the Gujrat organiser: FIA's own record and FMU's (shared with FIA) in full, and a pointer to Punjab Police, who hold him too"})
	for _, p := range suspects[1:] {
		cat := rabta.SubjectSuspect
		if p == o2 || p == forgers[1] {
			cat = rabta.SubjectConvicted // earlier convictions under the Emigration Ordinance
		}
		var f pflags
		if p == drivers[0] {
			f = withCNIC // ANF runs him as a source (see informants)
		}
		fia.person(p, f, subject(cat))
	}
	for _, p := range suspects {
		fia.phonesOf(p)
	}
	// Copies of CNICs verified with NADRA for the people at the centre.
	for _, p := range append([]*person{o1, o2}, recruiters...) {
		issued := b.between(day(2016, 1, 1), day(2024, 6, 30))
		fia.add("Identification", props{}.add("holder", fia.rec(p.key).ID).add("type", "CNIC").add("number", fmtCNIC(p.cnic)).
			add("country", "pk").add("authority", "NADRA").add("startDate", date(issued)).add("endDate", date(issued.AddDate(10, 0, -1))))
	}
	group := b.newGroup("Gujrat–Quetta migrant smuggling network", "GQ network")
	grp := fia.org(group, assessed)
	roles := map[*person]string{o1: "organiser", o2: "organiser (Balochistan logistics)", o3: "facilitator in Turkey", o4: "guide on the Iranian side"}
	for _, r := range recruiters {
		roles[r] = "sub-agent"
	}
	for _, f := range forgers {
		roles[f] = "document forger"
	}
	for _, d := range drivers {
		roles[d] = "transporter"
	}
	for _, k := range keepers {
		roles[k] = "safe-house keeper"
	}
	for _, p := range suspects {
		fia.link("Membership", fia.rec(p.key), grp, props{}.add("role", roles[p]).add("startDate", fmt.Sprint(2021+b.rng.IntN(4))), assessed)
	}
	agencies := []*company{
		b.newCompany("Manzil Overseas Consultants", "Manzil", "Gujrat", "travel agency"),
		b.newCompany("Sitara Travel & Tours", "Sitara Travels", "Gujranwala", "travel agency"),
		b.newCompany("Rahguzar Travels (Pvt) Ltd", "Rahguzar", "Mandi Bahauddin", "travel agency"),
	}
	for _, a := range agencies {
		fia.org(a)
	}
	fia.link("Directorship", fia.rec(o1.key), fia.rec(agencies[0].key), props{}.add("role", "proprietor").add("startDate", date(agencies[0].founded)))
	fia.link("Ownership", fia.rec(o1.key), fia.rec(agencies[2].key), props{}.add("role", "shareholder").add("percentage", "60"), assessed)
	fia.link("Directorship", fia.rec(recruiters[8].key), fia.rec(agencies[2].key), props{}.add("role", "director").add("startDate", date(agencies[2].founded)))
	for i, r := range []*person{recruiters[0], recruiters[1], recruiters[4], recruiters[6], recruiters[9]} {
		fia.link("Employment", fia.rec(r.key), fia.rec(agencies[i%3].key), props{}.add("role", "booking agent"))
	}
	// Vehicles: the transporters' vans and pickups, and the organiser's car.
	var vans []*vehicle
	for _, d := range drivers {
		v := b.newVehicle(d.city, pickStr(b, []string{"Toyota Hiace", "Toyota Hilux", "Toyota Hiace Grand Cabin"}), d.key)
		vans = append(vans, v)
		fia.vehicleRec(v)
	}
	for range 2 {
		v := b.newVehicle(o2.city, "Toyota Hiace", o2.key)
		vans = append(vans, v)
		fia.vehicleRec(v)
	}
	car := b.newVehicle(o1.city, "Toyota Land Cruiser", o1.key)
	fia.vehicleRec(car)
	// Safe houses.
	houses := []*rabta.Record{
		fia.place("Killi Ismail, Quetta", "Quetta", "Balochistan", "safe house: migrants held two to five nights before the border"),
		fia.place("Sariab Road, Quetta", "Quetta", "Balochistan", "safe house and vehicle yard"),
		fia.place("Mand Road, Turbat", "Turbat", "Balochistan", "staging point before the Mand crossing"),
		fia.place("Shadiwal Road, Gujrat", "Gujrat", "Punjab", "collection point: migrants assembled before the bus to Quetta"),
	}
	for i, k := range keepers {
		fia.link("UnknownLink", fia.rec(k.key), houses[i+1], props{}.add("role", "keeps safe house"), assessed)
	}
	fia.link("UnknownLink", fia.rec(o2.key), houses[0], props{}.add("role", "runs safe house"), assessed)
	fia.link("UnknownLink", fia.rec(o1.key), houses[3], props{}.add("role", "uses as collection point"), assessed)
	// Who knows whom.
	assoc := func(d *desk, a, c *person, rel string, mods ...mod) {
		d.link("Associate", d.rec(a.key), d.rec(c.key), props{}.add("relationship", rel), mods...)
	}
	assoc(fia, o1, o2, "business partner", assessed)
	assoc(fia, o1, o3, "associate: receives migrants in Istanbul")
	assoc(fia, o2, o4, "associate: hands migrants over at the border")
	for _, d := range drivers {
		assoc(fia, o2, d, "employs as driver")
	}
	for _, k := range keepers {
		assoc(fia, o2, k, "associate")
	}
	for _, r := range some(b, recruiters, 5) {
		assoc(fia, o1, r, "handles sub-agent", assessed)
	}
	for i, f := range forgers {
		for _, r := range some(b, recruiters, 2+i) {
			assoc(fia, f, r, "supplies forged documents", assessed)
		}
	}
	fia.link("Family", fia.rec(recruiters[4].key), fia.rec(recruiters[5].key), props{}.add("relationship", "brother"))
	fia.link("Family", fia.rec(o2.key), fia.rec(keepers[0].key), props{}.add("relationship", "brother-in-law"), assessed)

	// Calls from the call records FIA obtained: the organisers at the
	// centre, sub-agents calling victims' families.
	ties := []tie{{o1, o2, 30}, {o1, o3, 25}, {o2, o4, 25}, {o2, o3, 8}}
	for _, r := range recruiters {
		ties = append(ties, tie{o1, r, 8}, tie{r, pick(b, forgers), 3})
	}
	for _, d := range drivers {
		ties = append(ties, tie{o2, d, 10}, tie{d, pick(b, keepers), 5})
	}
	for _, k := range keepers {
		ties = append(ties, tie{o2, k, 8})
	}
	for _, v := range some(b, n.victims, 25) {
		ties = append(ties, tie{v.recruiter, v.p, 3})
	}
	fia.calls(ties, 320, from, to)

	// The journeys: convoys out of Quetta, crossings, arrivals.
	for range 16 {
		d := b.between(day(2024, 10, 1), day(2025, 9, 30))
		ds := some(b, drivers, 1+b.rng.IntN(2))
		pr := props{}
		pr.add("name", "Convoy Quetta–Mand").add("date", date(d)).add("location", "Quetta to Mand, District Kech, Balochistan")
		pr.add("summary", fmt.Sprintf("%d migrants moved in %d vehicles from the Killi Ismail safe house towards the Mand crossing.", 12+b.rng.IntN(25), len(ds)))
		pr.add("organizer", fia.rec(o2.key).ID)
		for _, x := range ds {
			pr.add("involved", fia.rec(x.key).ID)
		}
		pr.add("country", "pk")
		fia.add("Event", pr, maybe(b, 0.3, assessed))
	}
	for range 7 {
		d := b.between(day(2024, 10, 5), day(2025, 10, 10))
		pr := props{}
		pr.add("name", "Border crossing into Iran").add("date", date(d)).add("location", pickStr(b, []string{"near Taftan, District Chagai", "near Mand, District Kech", "near Panjgur"}))
		pr.add("summary", "Group handed over to the guide on the Iranian side; onward by road to Tehran.")
		pr.add("organizer", fia.rec(o4.key).ID).add("involved", fia.rec(o2.key).ID).add("country", "ir")
		fia.add("Event", pr, assessed)
	}
	for range 5 {
		d := b.between(day(2024, 11, 1), day(2025, 11, 30))
		pr := props{}
		pr.add("name", "Arrival in Van, Turkey").add("date", date(d)).add("location", "Van, Turkey")
		pr.add("summary", "Migrants received by the Istanbul facilitator's people after crossing from Iran.")
		pr.add("organizer", fia.rec(o3.key).ID).add("country", "tr")
		fia.add("Event", pr, assessed)
	}
	kase := fia.add("Case", props{}.add("title", "Gujrat–Quetta migrant smuggling network").
		add("caseNumber", "FIA/AHTC/GRW/ENQ-112/2025").add("category", "migrant smuggling").add("status", "under investigation").
		add("leadAgency", "FIA").add("openingDate", "2025-02-03"))
	offences := []struct{ statute, section, name string }{
		{"Prevention of Smuggling of Migrants Act, 2018", "s. 3", "Smuggling of migrants"},
		{"Prevention of Smuggling of Migrants Act, 2018", "s. 5", "Aggravated smuggling: endangering life"},
		{"Emigration Ordinance, 1979", "s. 22", "Unlawful emigration business"},
		{"Pakistan Penal Code", "ss. 420, 468, 471", "Cheating and forgery of travel documents"},
	}
	var offRecs []*rabta.Record
	for i, o := range offences {
		pr := props{}
		pr.add("name", o.name).add("statute", o.statute).add("section", o.section).add("case", kase.ID)
		accused := []*person{o1, o2}
		switch i {
		case 2:
			accused = append(accused, some(b, recruiters, 6)...)
		case 3:
			accused = forgers
		}
		for _, a := range accused {
			pr.add("accused", fia.rec(a.key).ID)
		}
		offRecs = append(offRecs, fia.add("Offence", pr))
	}
	for _, a := range []*person{recruiters[1], recruiters[6], recruiters[9], forgers[0], drivers[2]} {
		d := b.between(day(2025, 4, 1), day(2026, 1, 31))
		fia.add("Arrest", props{}.add("person", fia.rec(a.key).ID).add("date", date(d)).add("place", a.city.name).
			add("charge", "Prevention of Smuggling of Migrants Act, 2018, s. 3").add("case", kase.ID).add("offence", offRecs[0].ID).add("agency", "FIA"))
	}

	// Punjab Police: the FIRs families lodged against the sub-agents.
	pp.person(o1, withCNIC, subject(rabta.SubjectSuspect), marked(rabta.Marking{
		Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Confidential}))
	local := append(some(b, recruiters, 8), forgers[0])
	for _, p := range local {
		pp.person(p, 0, subject(rabta.SubjectSuspect))
		if b.chance(0.6) {
			pp.phonesOf(p)
		}
	}
	pp.vehicleRec(car)
	var witnesses []*victimCase
	for _, v := range n.victims {
		if v.father != nil && (v.police || len(witnesses) < 8 && b.chance(0.3)) {
			witnesses = append(witnesses, v)
		}
	}
	for i, v := range witnesses {
		ps := fmt.Sprintf("PS %s", pickStr(b, []string{"Saddar", "City", "Civil Lines", "Kotwali", "Satellite Town"}))
		fir := pp.add("Case", props{}.add("title", "Complaint against sub-agent: son sent abroad illegally").
			add("firNumber", fmt.Sprintf("FIR %d/2025 %s %s", 100+i*17+b.rng.IntN(15), ps, v.p.city.name)).
			add("category", "migrant smuggling").add("status", pickStr(b, []string{"under investigation", "challan submitted", "transferred to FIA"})).
			add("leadAgency", "PUNJAB-POLICE").add("openingDate", date(upTo(v.departed.AddDate(0, 2+b.rng.IntN(4), 0)))))
		w := pp.person(v.father, 0, subject(rabta.SubjectWitness))
		pp.link("UnknownLink", w, fir, props{}.add("role", "complainant"))
		if pp.known(v.recruiter) {
			pp.add("Offence", props{}.add("name", "Cheating and unlawful emigration business").
				add("statute", "Pakistan Penal Code; Emigration Ordinance, 1979").add("section", "s. 420 PPC; s. 22").
				add("case", fir.ID).add("accused", pp.rec(v.recruiter.key).ID))
		}
		b.policeFIR[v] = fir
	}
	for _, r := range local[:3] {
		assoc(pp, o1, r, "works for", assessed)
	}
	pp.calls([]tie{{o1, local[0], 5}, {o1, local[1], 5}, {local[0], local[2], 3}, {local[1], local[3], 3}}, 30, from, to)
	for _, a := range []*person{local[0], local[4]} {
		pp.add("Arrest", props{}.add("person", pp.rec(a.key).ID).add("date", date(b.between(day(2025, 3, 1), day(2025, 12, 31)))).
			add("place", a.city.name).add("charge", "ss. 420, 406 PPC; s. 22 Emigration Ordinance").add("agency", "PUNJAB-POLICE"))
	}

	// The shelter: victims it took in, the services it referred them to,
	// and what they said about the agents who sent them.
	shelter := b.newGroup("Sahara Shelter Network (demo)", "Sahara")
	shelter.phone, shelter.address = "042-35550707", "Shelter office, Lahore (address withheld)"
	ngoOrg := ngo.org(shelter, marked(rabta.Marking{Release: rabta.ReleaseAll, Handling: "P", Classification: rabta.Restricted}))
	for _, v := range n.victims {
		if !v.ngo {
			continue
		}
		vr := ngo.person(v.p, 0, subject(rabta.SubjectVictim), about(v.p))
		ngo.add("Victim", props{}.add("person", vr.ID).add("exploitationForm", v.form).
			add("identifiedDate", date(upTo(v.departed.AddDate(0, 1+b.rng.IntN(5), b.rng.IntN(28))))).add("nonPunishment", "yes").
			add("referredTo", shelter.name).add("case", kase.ID), subject(rabta.SubjectVictim), about(v.p))
		for range 1 + b.rng.IntN(2) {
			ngo.referral(vr, ngoOrg, v)
		}
		if b.chance(0.45) {
			// The victim named the agent who sent them and gave his number.
			agent := ngo.person(v.recruiter, nameOnly|withPhone, subject(rabta.SubjectSuspect), assessed, marked(rabta.Marking{
				Release: rabta.ReleaseAgencies, Agencies: []string{"FIA"}, Handling: "P", Classification: rabta.Restricted}))
			ngo.link("UnknownLink", vr, agent, props{}.add("role", "recruited by"), assessed)
		}
	}

	// Punjab Police's victim protection unit: the young men intercepted
	// before departure or deported back, whose fathers lodged FIRs.
	for _, v := range n.victims {
		if !v.police {
			continue
		}
		vr := ppVictims.person(v.p, 0, subject(rabta.SubjectVictim), about(v.p))
		pr := props{}.add("person", vr.ID).add("exploitationForm", v.form).
			add("identifiedDate", date(upTo(v.departed.AddDate(0, 2, b.rng.IntN(28))))).add("nonPunishment", "yes")
		if fir := b.policeFIR[v]; fir != nil {
			pr.add("case", fir.ID)
		}
		ppVictims.add("Victim", pr, subject(rabta.SubjectVictim), about(v.p))
		if v.father != nil && b.held["PUNJAB-POLICE"][v.father.key] != nil {
			rel := "son of"
			if v.p.female {
				rel = "daughter of"
			}
			ppVictims.link("Family", vr, ppVictims.rec(v.father.key), props{}.add("relationship", rel), about(v.p))
		}
		if b.chance(0.5) {
			ppVictims.referral(vr, ngoOrg, v)
		}
	}

	// FIA's protection desk: victims identified in the enquiry, their
	// passports, and who recruited them.
	for _, v := range n.victims {
		if !v.fia {
			continue
		}
		vr := fiaVictims.person(v.p, 0, subject(rabta.SubjectVictim), about(v.p))
		fiaVictims.add("Victim", props{}.add("person", vr.ID).add("exploitationForm", v.form).
			add("identifiedDate", date(upTo(v.departed.AddDate(0, 1+b.rng.IntN(6), b.rng.IntN(28))))).add("nonPunishment", "yes").
			add("case", kase.ID), subject(rabta.SubjectVictim), about(v.p))
		if v.p.passport != "" && b.chance(0.8) {
			issued := b.between(day(2022, 1, 1), v.departed.AddDate(0, -1, 0))
			fiaVictims.add("Passport", props{}.add("holder", vr.ID).add("number", v.p.passport).add("passportNumber", v.p.passport).
				add("type", "ordinary passport").add("country", "pk").add("authority", "Directorate General of Immigration & Passports").
				add("startDate", date(issued)).add("endDate", date(issued.AddDate(5, 0, -1))).
				add("givenName", joinLatin(v.p.given)).add("surname", surname(v.p)).add("birthDate", date(v.p.born)).add("gender", gender(v.p)),
				about(v.p))
		}
		fiaVictims.link("UnknownLink", vr, fiaVictims.rec(v.recruiter.key), props{}.add("role", "recruited by"))
		if b.chance(0.4) {
			fiaVictims.referral(vr, ngoOrg, v)
		}
	}
}

// fatherOf makes p's father a subject of his own, so records of the father
// (a complainant, a depositor) agree with the victim's father's name.
func (b *builder) fatherOf(p *person) *person {
	fam := "-"
	if p.family != nil && p.family != bibi {
		fam = p.family.latin
	}
	f := b.newPerson(pspec{city: p.city.name, born: [2]int{1952, 1975}, phones: 1, family: fam, name: joinLatin(p.father)})
	return f
}

func surname(p *person) string {
	if p.family != nil && p.family != bibi {
		return p.family.latin
	}
	return p.father[len(p.father)-1].latin
}

// referral records a referral of a victim to one of the shelter's services.
func (d *desk) referral(victimRec, provider *rabta.Record, v *victimCase) *rabta.Record {
	b := d.b
	start := upTo(v.departed.AddDate(0, 2+b.rng.IntN(5), b.rng.IntN(28)))
	pr := props{}
	pr.add("victim", victimRec.ID).add("provider", provider.ID)
	pr.add("service", pickStr(b, []string{"shelter", "medical care", "psychosocial counselling", "legal aid", "family tracing", "repatriation support", "vocational training"}))
	pr.add("status", weighted(b, []string{"requested", "accepted", "in progress", "completed", "declined"}, []int{10, 15, 30, 40, 5}))
	pr.add("startDate", date(start)).add("dueDate", date(start.AddDate(0, 0, 14+b.rng.IntN(60))))
	return d.add("Referral", pr, subject(rabta.SubjectVictim), about(v.p))
}

// newGroup is an organisation that is not a registered company: a
// criminal group as an agency has designated it, or an NGO.
func (b *builder) newGroup(name, short string) *company {
	b.companies++
	return &company{key: fmt.Sprintf("c%03d", b.companies), name: name, short: short, country: "pk", schema: "Organization"}
}

// place records an address as the desk's agency knows it.
func (d *desk) place(full, cityName, region, remarks string) *rabta.Record {
	key := "address:" + full
	if r, ok := d.b.held[d.agency][key]; ok {
		return r
	}
	r := d.add("Address", props{}.add("full", full).add("city", cityName).add("region", region).add("country", "pk").add("remarks", remarks), assessed)
	d.b.hold(d.agency, key, r)
	return r
}

// tie is a pair of people who call each other, with a weight: how much of
// the traffic is theirs.
type tie struct {
	a, b *person
	w    int
}

// calls draws n calls over the ties, between the phones of the two people.
// Phones of people the desk holds no record of appear as unattributed
// numbers, as they do in real call records.
func (d *desk) calls(ties []tie, n int, from, to time.Time) {
	b := d.b
	total := 0
	for _, t := range ties {
		total += t.w
	}
	phoneOf := func(p *person) *rabta.Record {
		num := pick(b, p.phones)
		return d.phone(num, d.b.held[d.agency][p.key], nil)
	}
	for range n {
		r := b.rng.IntN(total)
		var t tie
		for _, t = range ties {
			if r < t.w {
				break
			}
			r -= t.w
		}
		x, y := t.a, t.b
		if b.chance(0.5) {
			x, y = y, x
		}
		d.call(phoneOf(x), phoneOf(y), b.at(b.between(from, to)))
	}
}

// maybe applies m with chance p.
func maybe(b *builder, p float64, m mod) mod {
	if b.chance(p) {
		return m
	}
	return func(*rabta.Record) {}
}

func fmtCNIC(d string) string { return d[:5] + "-" + d[5:12] + "-" + d[12:] }
