package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/rabta/rabta"
)

// traffickers is what the hawala network reuses of the heroin ring: the
// financiers move the proceeds, the front companies pay for "goods".
type traffickers struct {
	financiers []*person
	fronts     []*company
	drivers    []*person
	agents     []*person
}

// shipment is an export consignment through Port Qasim or Karachi port.
type shipment struct {
	container, gd string
	exporter      *company
	agent         *person
	clearing      *company
	driver        *person
	truck         *vehicle
	goods         string
	kg            int
	dest          string
	on            time.Time
	flagged       bool // ANF took an interest
}

// heroin builds network 2: a ring that ships Afghan heroin out of Port
// Qasim and Karachi port hidden in export consignments of front
// companies, with clearing agents who know what they clear. Customs holds
// the trade side (companies, goods declarations, trucks at the gate); ANF
// holds the people, their phones and the seizures.
func (b *builder) heroin() {
	from, to := day(2025, 2, 1), day(2026, 2, 10)
	customs := b.desk(deskSpec{user: "customs.analyst", partners: []string{"ANF"}, prefix: "CUSTOMS/MCC-PQ", from: from, to: to, grading: "admiralty", partnerPct: 0.35})
	anf := b.desk(deskSpec{user: "anf.analyst", partners: []string{"CUSTOMS"}, prefix: "ANF/RD-S/KHI", from: from, to: to})

	f1 := b.newPerson(pspec{city: "Karachi", born: [2]int{1965, 1972}, phones: 3, passport: true, email: true})
	f1.nick = "Seth"
	f2 := b.newPerson(pspec{city: "Karachi", family: "Durrani", born: [2]int{1970, 1980}, phones: 2, passport: true})
	f2.nick = "Haji"
	s1 := b.newPerson(pspec{city: "Quetta", born: [2]int{1968, 1978}, phones: 2})
	s2 := b.newPerson(pspec{city: "Quetta", name: "Wali Jan", family: "-", father: "Gul Muhammad", nationality: "af", born: [2]int{1970, 1980}, phones: 1, passport: true})
	s2.address = "Kandahar, Afghanistan"
	var agents, proxies, drivers, keepers []*person
	for i := range 5 {
		s := pspec{city: "Karachi", born: [2]int{1975, 1990}, phones: 1 + b.rng.IntN(2), email: b.chance(0.5)}
		if i == 2 {
			s.name, s.family, s.father = "Muhammad Imran", "Memon", "Abdul Sattar"
		}
		agents = append(agents, b.newPerson(s))
	}
	for range 6 {
		proxies = append(proxies, b.newPerson(pspec{city: "Karachi", born: [2]int{1970, 1995}, phones: 1}))
	}
	for i, c := range []string{"Karachi", "Karachi", "Karachi", "Karachi", "Quetta", "Quetta"} {
		s := pspec{city: c, born: [2]int{1972, 1994}, phones: 1}
		if i == 1 { // another Muhammad Asif: a driver, not the sub-agent or the victim
			s.name, s.family, s.father = "Muhammad Asif", "Khan", "Abdul Ghaffar"
		}
		drivers = append(drivers, b.newPerson(s))
	}
	for range 2 {
		keepers = append(keepers, b.newPerson(pspec{city: "Karachi", born: [2]int{1975, 1990}, phones: 1}))
	}
	fronts := []*company{
		b.newCompany("Indus Rock Salt Exports (Pvt) Ltd", "Indus Rock Salt", "Karachi", "export of salt products"),
		b.newCompany("Crescent Home Textiles (Pvt) Ltd", "Crescent Textiles", "Karachi", "export of home textiles"),
		b.newCompany("Baltoro Marble & Onyx Traders", "Baltoro Onyx", "Karachi", "export of marble and onyx handicrafts"),
		b.newCompany("Zarin Dry Fruit Company", "Zarin Dry Fruit", "Karachi", "dry fruit trade"),
	}
	clearing := []*company{
		b.newCompany("Bahria Clearing & Forwarding Agency", "Bahria C&F", "Karachi", "customs clearing and forwarding"),
		b.newCompany("Seaport Logistics Services (Pvt) Ltd", "Seaport Logistics", "Karachi", "customs clearing and forwarding"),
		b.newCompany("Anchor Line Customs Agents", "Anchor Line", "Karachi", "customs clearing and forwarding"),
	}
	transport := b.newCompany("Khyber–Sindh Goods Transport Company", "KS Goods", "Karachi", "road haulage")
	b.n2 = &traffickers{financiers: []*person{f1, f2}, fronts: fronts, drivers: drivers, agents: agents}

	var trucks []*vehicle
	for range 6 {
		trucks = append(trucks, b.newVehicle(cities["Karachi"], pickStr(b, []string{"Hino 700", "Isuzu Giga", "Nissan Diesel CWM"}), transport.key))
	}
	goods := map[string]string{fronts[0].key: "Himalayan pink salt lamps", fronts[1].key: "bed linen and towels", fronts[2].key: "onyx handicrafts", fronts[3].key: "dried apricots and raisins (Afghan transit)"}
	var ships []*shipment
	for i := range 70 {
		exp := fronts[weightedIndex(b, []int{35, 30, 20, 15})]
		ci := b.rng.IntN(len(clearing))
		s := &shipment{container: b.container(), exporter: exp, clearing: clearing[ci], agent: agents[(ci*2+b.rng.IntN(2))%len(agents)],
			driver: pick(b, drivers[:4]), truck: pick(b, trucks), goods: goods[exp.key], kg: 12_000 + b.rng.IntN(14_000),
			dest: pickStr(b, []string{"Mombasa", "Durban", "Colombo", "Rotterdam", "Antwerp", "Jebel Ali", "Dar es Salaam"}),
			on:   b.between(day(2025, 1, 10), day(2026, 1, 31))}
		s.gd = fmt.Sprintf("KPEX-SB-%06d-%s", 10_000+b.rng.IntN(90_000), s.on.Format("02012006"))
		s.flagged = i%4 == 1 || i == 6 || i == 30
		ships = append(ships, s)
	}

	// Customs: the companies, the people on their papers, the trucks at
	// the gate and every goods declaration.
	for _, c := range append(append(append([]*company{}, fronts...), clearing...), transport) {
		customs.org(c)
	}
	directors := []struct {
		p *person
		c *company
	}{{proxies[0], fronts[0]}, {proxies[1], fronts[1]}, {proxies[2], fronts[2]}, {f2, fronts[3]}, {proxies[3], fronts[2]}, {proxies[4], transport}, {proxies[5], fronts[1]}}
	for _, d := range directors {
		customs.person(d.p, withCNIC, subject(rabta.SubjectOther))
		customs.link("Directorship", customs.rec(d.p.key), customs.rec(d.c.key), props{}.add("role", "director").add("startDate", date(d.c.founded)))
	}
	for i, a := range agents {
		customs.person(a, withCNIC, subject(rabta.SubjectOther))
		customs.link("Employment", customs.rec(a.key), customs.rec(clearing[i*len(clearing)/len(agents)].key), props{}.add("role", "licensed customs agent"))
	}
	for _, d := range drivers[:3] {
		customs.person(d, 0, subject(rabta.SubjectOther))
	}
	for _, t := range trucks {
		customs.vehicleRec(t)
	}
	for _, s := range ships {
		pr := props{}
		pr.add("name", "Container "+s.container).add("date", date(s.on)).add("recordId", s.gd)
		pr.add("location", pickStr(b, []string{"Port Qasim, Karachi", "Qasim International Container Terminal, Port Qasim", "Karachi International Container Terminal, Karachi port"}))
		pr.add("summary", fmt.Sprintf("GD %s: %s, %s kg, for %s.", s.gd, s.goods, thousands(int64(s.kg)), s.dest))
		pr.add("organizer", customs.rec(s.exporter.key).ID)
		pr.add("involved", customs.rec(s.clearing.key).ID, customs.rec(s.agent.key).ID)
		if customs.known(s.driver) {
			pr.add("involved", customs.rec(s.driver.key).ID)
		}
		pr.add("country", "pk")
		ev := customs.add("Event", pr)
		if s.flagged || b.chance(0.3) {
			customs.link("UnknownLink", customs.rec(vehicleKey(s.truck)), ev, props{}.add("role", "carried the container to the port").add("date", date(s.on)))
		}
	}

	// ANF: the people behind the papers, their phones and the seizures.
	anf.person(f1, withPhone, subject(rabta.SubjectSuspect))
	anf.person(f2, 0, subject(rabta.SubjectSuspect))
	anf.person(s1, 0, subject(rabta.SubjectConvicted))
	anf.person(s2, 0, subject(rabta.SubjectSuspect))
	people := []*person{f1, f2, s1, s2}
	for _, p := range append(append(append(append([]*person{}, keepers...), drivers...), agents[:3]...), proxies[:3]...) {
		var f pflags
		if p == drivers[4] {
			f = withCNIC // FIA runs him as a source (see informants): ANF must hold what FIA's record would match
		}
		anf.person(p, f, subject(rabta.SubjectSuspect))
		people = append(people, p)
	}
	for _, p := range people {
		anf.phonesOf(p)
	}
	for _, c := range fronts[:3] {
		anf.org(c)
	}
	ring := anf.org(b.newGroup("Karachi port heroin ring", "Seth group"), assessed)
	for _, p := range people {
		role := "member"
		switch p {
		case f1, f2:
			role = "financier"
		case s1, s2:
			role = "supplier"
		}
		anf.link("Membership", anf.rec(p.key), ring, props{}.add("role", role), assessed)
	}
	anf.link("Ownership", anf.rec(f1.key), anf.rec(fronts[0].key), props{}.add("role", "beneficial owner").add("ownershipType", "undisclosed"), assessed)
	anf.link("Ownership", anf.rec(f1.key), anf.rec(fronts[1].key), props{}.add("role", "beneficial owner").add("ownershipType", "undisclosed"), assessed)
	for i, p := range proxies[:3] {
		anf.link("Directorship", anf.rec(p.key), anf.rec(fronts[i].key), props{}.add("role", "nominee director"))
	}
	assoc := func(a, c *person, rel string, mods ...mod) {
		anf.link("Associate", anf.rec(a.key), anf.rec(c.key), props{}.add("relationship", rel), mods...)
	}
	assoc(f1, f2, "partners")
	assoc(f1, s1, "buys from", assessed)
	assoc(s1, s2, "supplier across the border", assessed)
	for _, p := range proxies[:3] {
		assoc(f1, p, "front man", assessed)
	}
	for _, k := range keepers {
		assoc(f2, k, "runs warehouse for")
	}
	anf.link("Family", anf.rec(f1.key), anf.rec(proxies[1].key), props{}.add("relationship", "brother-in-law"))
	for _, t := range trucks[:4] {
		anf.vehicleRec(t)
	}
	anf.vehicleRec(b.newVehicle(cities["Karachi"], "Toyota Land Cruiser", f1.key))
	anf.vehicleRec(b.newVehicle(cities["Quetta"], "Toyota Hilux", s1.key))

	ties := []tie{{f1, f2, 30}, {f1, s1, 20}, {s1, s2, 20}}
	for _, a := range agents[:3] {
		ties = append(ties, tie{f1, a, 10}, tie{a, pick(b, drivers[:4]), 3})
	}
	for _, k := range keepers {
		ties = append(ties, tie{f2, k, 10})
		for _, d := range drivers[:4] {
			ties = append(ties, tie{k, d, 4})
		}
	}
	for _, p := range proxies[:3] {
		ties = append(ties, tie{f1, p, 4})
	}
	anf.calls(ties, 460, from, to)

	var flagged []*shipment
	for _, s := range ships {
		if !s.flagged {
			continue
		}
		flagged = append(flagged, s)
		pr := props{}
		pr.add("name", "Container "+strings.ReplaceAll(s.container, " ", "")).add("date", date(s.on)).add("location", "Port Qasim, Karachi")
		pr.add("summary", fmt.Sprintf("Export consignment (%s) under watch: stuffed at a Korangi warehouse, cleared by %s.", s.goods, s.clearing.short))
		// ANF refers to Customs' record of an exporter it holds none of.
		if anf.holds(s.exporter.key) {
			pr.add("organizer", anf.rec(s.exporter.key).ID)
		} else {
			pr.add("organizer", customs.rec(s.exporter.key).ID)
		}
		if anf.known(s.agent) {
			pr.add("involved", anf.rec(s.agent.key).ID)
		}
		pr.add("involved", anf.rec(s.driver.key).ID, anf.rec(pick(b, keepers).key).ID)
		anf.add("Event", pr, maybe(b, 0.4, assessed))
	}
	cases := []*rabta.Record{
		anf.add("Case", props{}.add("title", "Heroin in salt-lamp consignment, Port Qasim").add("caseNumber", "ANF/RD-S/KHI/37/2025").
			add("firNumber", "FIR 37/2025 PS ANF Karachi").add("category", "drug trafficking").add("status", "under trial").
			add("leadAgency", "ANF").add("openingDate", "2025-06-18")),
		anf.add("Case", props{}.add("title", "Heroin in onyx handicrafts, Port Qasim").add("caseNumber", "ANF/RD-S/KHI/88/2025").
			add("firNumber", "FIR 88/2025 PS ANF Karachi").add("category", "drug trafficking").add("status", "under investigation").
			add("leadAgency", "ANF").add("openingDate", "2025-10-02")),
	}
	seizures := []struct {
		s        *shipment
		kg, date string
		item     string
	}{
		{flagged[2], "42.6", "2025-06-18", "heroin concealed in the bases of salt lamps"},
		{flagged[7], "18.2", "2025-10-02", "heroin in false bottoms of onyx handicraft boxes"},
	}
	for i, z := range seizures {
		pr := props{}
		pr.add("name", fmt.Sprintf("Seizure of %s kg heroin, container %s", z.kg, z.s.container)).add("item", z.item)
		pr.add("quantity", z.kg).add("unit", "kg").add("place", "Port Qasim, Karachi").add("date", z.date).add("case", cases[i].ID)
		pr.add("agency", "ANF")
		if anf.holds(z.s.exporter.key) {
			pr.add("seizedFrom", anf.rec(z.s.exporter.key).ID)
		} else {
			pr.add("seizedFrom", customs.rec(z.s.exporter.key).ID)
		}
		anf.add("Seizure", pr)
		if i == 1 {
			// Customs examined the container with ANF and records the seizure too.
			customs.add("Seizure", props{}.add("name", "Joint examination: narcotics in export consignment "+z.s.gd).
				add("item", z.item).add("quantity", z.kg).add("unit", "kg").add("place", "Port Qasim, Karachi").add("date", z.date).
				add("seizedFrom", customs.rec(z.s.exporter.key).ID).add("agency", "CUSTOMS"))
		}
	}
	off := anf.add("Offence", props{}.add("name", "Trafficking of narcotic substances").add("statute", "Control of Narcotic Substances Act, 1997").
		add("section", "s. 9(c)").add("case", cases[0].ID).add("accused", anf.rec(f1.key).ID, anf.rec(f2.key).ID, anf.rec(agents[0].key).ID))
	anf.add("Offence", props{}.add("name", "Financing of narcotics trafficking").add("statute", "Control of Narcotic Substances Act, 1997").
		add("section", "s. 15").add("case", cases[1].ID).add("accused", anf.rec(f1.key).ID))
	anf.add("Offence", props{}.add("name", "Money laundering").add("statute", "Anti-Money Laundering Act, 2010").
		add("section", "s. 3").add("case", cases[0].ID).add("accused", anf.rec(f1.key).ID, anf.rec(f2.key).ID), assessed)
	for i, a := range []*person{agents[0], drivers[1], keepers[0], proxies[0], drivers[2]} {
		kase := cases[i%2]
		anf.add("Arrest", props{}.add("person", anf.rec(a.key).ID).add("date", pick(b, []string{"2025-06-18", "2025-06-19", "2025-10-02", "2025-10-04"})).
			add("place", "Karachi").add("charge", "CNSA 1997 s. 9(c)").add("case", kase.ID).add("offence", off.ID).add("agency", "ANF"))
	}
	b.examples = append(b.examples, Example{Username: "anf.analyst", Query: "Muhammad Asif",
		Note: "several different men of that name across agencies, with different fathers and CNICs: look-alikes, not one person"})
}

// holds reports whether the desk's agency holds a record with subject key.
func (d *desk) holds(key string) bool {
	_, ok := d.b.held[d.agency][key]
	return ok
}

func vehicleKey(v *vehicle) string { return "plate:" + strings.ReplaceAll(v.plate, "-", "") }

func weightedIndex(b *builder, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := b.rng.IntN(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

// thousands writes n with thousands separators: 1,950,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
