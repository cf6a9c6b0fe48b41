package demo

import (
	"fmt"
	"time"

	"github.com/rabta/rabta"
)

// ctrThreshold is the cash amount (PKR) from which banks report a currency
// transaction to FMU; structuring keeps each deposit just under it.
const ctrThreshold = 2_000_000

// hawala builds network 3: a hawala and money-laundering network run from
// Peshawar, Karachi and Lahore with a counterpart in Dubai. It moves the
// smugglers' fees and the heroin ring's proceeds. FMU sees it through
// suspicious transaction reports: cash deposits structured under the
// reporting threshold, collection accounts fed by many (fan-in) and
// emptied to many (fan-out), and money going round a ring of companies.
// FIA's anti-money-laundering circle holds the part it investigates.
func (b *builder) hawala() {
	from, to := day(2025, 1, 10), day(2026, 2, 20)
	fmu := b.desk(deskSpec{user: "fmu.analyst", partners: []string{"FIA"}, prefix: "FMU/STR", from: from, to: to})
	fmuDrugs := b.desk(deskSpec{user: "fmu.analyst", partners: []string{"ANF", "FIA"}, prefix: "FMU/DISS", from: from, to: to})
	fmuForeign := b.desk(deskSpec{user: "fmu.analyst", partners: []string{"FIA"}, prefix: "FMU/EGM", from: from, to: to, grading: "admiralty", partnerPct: 0.5})
	fia := b.desk(deskSpec{user: "fia.analyst", partners: []string{"FMU"}, prefix: "FIA/AML/PSH", from: from, to: to})

	h1 := b.newPerson(pspec{city: "Peshawar", born: [2]int{1962, 1972}, phones: 2, passport: true})
	h2 := b.newPerson(pspec{city: "Peshawar", born: [2]int{1970, 1980}, phones: 2})
	h3 := b.newPerson(pspec{city: "Karachi", born: [2]int{1965, 1978}, phones: 2, passport: true})
	h4 := b.newPerson(pspec{city: "Lahore", born: [2]int{1968, 1978}, phones: 2})
	h5 := b.newPerson(pspec{city: "Peshawar", born: [2]int{1972, 1982}, phones: 2, passport: true, abroad: "ae"})
	h5.address = fmt.Sprintf("Flat %d, Al Murar, Deira, Dubai", 100+b.rng.IntN(900))
	hawaladars := []*person{h1, h2, h3, h4, h5}
	for _, h := range hawaladars {
		h.nick = pickStr(b, []string{"Haji", "Seth", "Lala", "Khan Sahib"})
	}
	munshis := []*person{
		b.newPerson(pspec{city: "Peshawar", name: "Muhammad Imran", family: "Mohmand", father: "Gul Muhammad", born: [2]int{1985, 1995}, phones: 1}),
		b.newPerson(pspec{city: "Peshawar", born: [2]int{1985, 1998}, phones: 1}),
		b.newPerson(pspec{city: "Karachi", born: [2]int{1985, 1998}, phones: 1}),
	}
	// h1's shop phone is on his record and his clerk's: a shared number
	// that does not make them one man.
	shop := b.landline(cities["Peshawar"])
	h1.phones = append(h1.phones, shop)
	munshis[0].phones = append(munshis[0].phones, shop)
	var mules []*person
	for i, c := range []string{"Lahore", "Lahore", "Lahore", "Lahore", "Lahore", "Peshawar", "Peshawar", "Peshawar", "Peshawar", "Peshawar", "Peshawar", "Peshawar", "Karachi", "Karachi", "Karachi", "Karachi", "Karachi", "Karachi"} {
		s := pspec{city: c, born: [2]int{1975, 2004}, phones: 1}
		switch i {
		case 0: // yet another Muhammad Asif: an account holder in Lahore
			s.name, s.family, s.father = "Muhammad Asif", "Butt", "Muhammad Akbar"
		case 3, 9, 14:
			s.female = true
		}
		mules = append(mules, b.newPerson(s))
	}
	var dirs []*person
	for _, c := range []string{"Peshawar", "Peshawar", "Lahore", "Karachi"} {
		dirs = append(dirs, b.newPerson(pspec{city: c, born: [2]int{1965, 1985}, phones: 1, email: true}))
	}
	cos := []*company{
		b.newCompany("Noor-e-Sahar General Traders", "Noor-e-Sahar", "Peshawar", "general trading"),
		b.newCompany("Zarghoon Mobile Zone", "Zarghoon Mobiles", "Peshawar", "mobile phones retail"),
		b.newCompany("Shah Alam Cloth House", "", "Lahore", "cloth wholesale"),
		b.newCompany("Pearl Creek Builders & Developers (Pvt) Ltd", "Pearl Creek", "Karachi", "real estate"),
	}
	gulf := b.newCompany("Gulf Star General Trading LLC", "Gulf Star", "Karachi", "general trading")
	gulf.country, gulf.reg, gulf.ntn, gulf.legalForm = "ae", "", "", "limited liability company"
	gulf.address = fmt.Sprintf("Office %d, Al Ras, Deira, Dubai", 200+b.rng.IntN(800))
	gulf.phone = b.foreignMobile("+9714", 7)

	// Accounts, as the banks reported them.
	accts := map[string][]*account{}
	open := func(key, country, kind string, n int) {
		for range n {
			accts[key] = append(accts[key], b.newAccount(key, country, kind))
		}
	}
	for _, h := range hawaladars[:4] {
		open(h.key, "pk", "current", 2)
	}
	open(h5.key, "ae", "current", 2)
	for _, m := range munshis {
		open(m.key, "pk", "savings", 1)
	}
	for i, m := range mules {
		open(m.key, "pk", pickStr(b, []string{"savings", "Asaan account", "current"}), 1+i%4/3)
	}
	for _, c := range cos {
		open(c.key, "pk", "current", 1+b.rng.IntN(2))
	}
	open(gulf.key, "ae", "current", 1)
	n1, n2 := b.n1, b.n2
	open(n1.organiser.key, "pk", "current", 1)
	open(n1.istanbul.key, "tr", "current", 1)
	for _, r := range n1.recruiters {
		open(r.key, "pk", "savings", 1)
	}
	for _, f := range n2.financiers {
		open(f.key, "pk", "current", 1)
	}
	for _, c := range n2.fronts[:2] {
		open(c.key, "pk", "current", 1)
	}
	var fathers []*victimCase
	for _, v := range n1.victims {
		if v.father != nil {
			fathers = append(fathers, v)
			open(v.father.key, "pk", pickStr(b, []string{"savings", "current"}), 1)
		}
	}

	// The money.
	var txns []*txn
	ref := func(when string) string {
		return fmt.Sprintf("FT%s%06d", when[2:4]+when[5:7]+when[8:10], b.rng.IntN(1_000_000))
	}
	add := func(payer, benef string, pa, ba *account, amount int64, cur, method, purpose string, when time.Time) *txn {
		w := b.at(when)
		t := &txn{payer: payer, benef: benef, payerAcct: pa, benefAcct: ba, amount: amount, currency: cur, method: method, purpose: purpose, when: w, ref: ref(w)}
		txns = append(txns, t)
		return t
	}
	// Fan-in: families pay the sub-agent who promised their son a job in Europe.
	for _, v := range fathers {
		left := v.paid
		when := v.departed.AddDate(0, 0, -30-b.rng.IntN(60))
		for left > 0 {
			amt := left
			if left > 1_500_000 && b.chance(0.6) {
				amt = left / 2 / 50_000 * 50_000
			}
			left -= amt
			method := pickStr(b, []string{"IBFT", "cash deposit", "cheque"})
			var pa *account
			if method != "cash deposit" {
				pa = accts[v.father.key][0]
			}
			add(v.father.key, v.recruiter.key, pa, accts[v.recruiter.key][0], amt, "PKR", method,
				pickStr(b, []string{"visa processing", "file charges", "job in Italy", "ticket and visa", "foreign employment"}), when)
			when = when.AddDate(0, 0, 5+b.rng.IntN(20))
		}
	}
	// The sub-agents and the organiser pass the takings to the Lahore hawaladar.
	for _, r := range append([]*person{n1.organiser}, n1.recruiters...) {
		for range 2 + b.rng.IntN(3) {
			add(r.key, h4.key, accts[r.key][0], pick(b, accts[h4.key]), int64(10+b.rng.IntN(40))*100_000, "PKR", "IBFT",
				pickStr(b, []string{"business payment", "cloth purchase", "loan repayment"}), b.between(from, to))
		}
	}
	// Settlement abroad: Dubai pays the Istanbul facilitator (from a partner FIU).
	for range 12 {
		add(h5.key, n1.istanbul.key, accts[h5.key][0], accts[n1.istanbul.key][0], int64(8+b.rng.IntN(30))*1_000, "EUR", "wire transfer",
			"consultancy services", b.between(from, to))
	}
	// Structuring: runners deposit cash just under the reporting threshold
	// into the collection accounts.
	collect := [][]*account{accts[h1.key], accts[h2.key], accts[h3.key]}
	for i, m := range mules {
		coll := collect[i%3]
		for range 8 + b.rng.IntN(7) {
			amt := int64(ctrThreshold - 5_000 - b.rng.IntN(30)*5_000)
			owner := []string{h1.key, h2.key, h3.key}[i%3]
			add(m.key, owner, nil, pick(b, coll), amt, "PKR", "cash deposit", "", b.between(from, to))
		}
	}
	// Fan-out: the collection accounts pay out to many small accounts, which
	// are emptied in cash the same day.
	for i, h := range []*person{h1, h2} {
		for range 60 {
			m := mules[(i*9+b.rng.IntN(9))%len(mules)]
			add(h.key, m.key, pick(b, accts[h.key]), accts[m.key][0], int64(30+b.rng.IntN(66))*10_000, "PKR", "IBFT",
				pickStr(b, []string{"", "salary", "family support", "goods"}), b.between(from, to))
		}
	}
	// Trade-based: the heroin ring's fronts pay Dubai "for machinery", and
	// the financier feeds the Karachi hawaladar.
	for range 16 {
		c := pick(b, n2.fronts[:2])
		add(c.key, gulf.key, accts[c.key][0], accts[gulf.key][0], int64(40+b.rng.IntN(140))*1_000, "USD", "wire transfer",
			"advance payment for imported machinery", b.between(from, to))
	}
	for range 10 {
		f := pick(b, n2.financiers)
		add(f.key, h3.key, accts[f.key][0], accts[h3.key][0], int64(50+b.rng.IntN(200))*100_000, "PKR", "IBFT", "property advance", b.between(from, to))
	}
	// Round-tripping: the same money round a ring of companies.
	for range 8 {
		amt := int64(30+b.rng.IntN(60)) * 100_000
		when := b.between(from, to.AddDate(0, 0, -20))
		for j := range 3 {
			x, y := cos[j], cos[(j+1)%3]
			amt = amt * int64(97+b.rng.IntN(6)) / 100 / 1000 * 1000
			add(x.key, y.key, accts[x.key][0], accts[y.key][0], amt, "PKR", "IBFT", "payment against invoice", when)
			when = when.AddDate(0, 0, 1+b.rng.IntN(4))
		}
	}

	// FMU: everyone with an account it had a report on, the accounts and
	// the transfers.
	kyc := func(d *desk, p *person, cat rabta.SubjectCategory) {
		d.person(p, withCNIC, subject(cat))
		for _, a := range accts[p.key] {
			d.bankAccount(a)
		}
	}
	showcase := rabta.Marking{Release: rabta.ReleaseAgencies, Agencies: []string{"FIA"}, Handling: "P", Classification: rabta.Confidential}
	fmu.person(n1.organiser, withCNIC, subject(rabta.SubjectSuspect), marked(showcase))
	kyc(fmu, n1.organiser, rabta.SubjectSuspect)
	for _, r := range n1.recruiters {
		kyc(fmu, r, rabta.SubjectSuspect)
	}
	for _, h := range hawaladars {
		kyc(fmu, h, rabta.SubjectSuspect)
	}
	for _, m := range munshis {
		kyc(fmu, m, rabta.SubjectSuspect)
	}
	for _, m := range mules {
		kyc(fmu, m, pick(b, []rabta.SubjectCategory{rabta.SubjectSuspect, rabta.SubjectOther}))
	}
	for _, v := range fathers {
		kyc(fmu, v.father, rabta.SubjectOther)
	}
	kyc(fmuForeign, n1.istanbul, rabta.SubjectSuspect)
	for _, f := range n2.financiers {
		kyc(fmuDrugs, f, rabta.SubjectSuspect)
	}
	for _, c := range append(append([]*company{}, cos...), gulf) {
		d := fmu
		if c == gulf {
			d = fmuDrugs
		}
		d.org(c)
		for _, a := range accts[c.key] {
			d.bankAccount(a)
		}
	}
	for _, c := range n2.fronts[:2] {
		fmuDrugs.org(c)
		for _, a := range accts[c.key] {
			fmuDrugs.bankAccount(a)
		}
	}
	for i, d := range dirs {
		fmu.person(d, withCNIC, subject(rabta.SubjectOther))
		fmu.link("Directorship", fmu.rec(d.key), fmu.rec(cos[i].key), props{}.add("role", "proprietor"))
	}
	fmuDrugs.link("Directorship", fmuDrugs.rec(h5.key), fmuDrugs.rec(gulf.key), props{}.add("role", "manager"), assessed)
	for _, t := range txns {
		d := fmu
		switch {
		case t.currency == "EUR":
			d = fmuForeign
		case t.benef == gulf.key || t.benef == h3.key && (t.payer == n2.financiers[0].key || t.payer == n2.financiers[1].key):
			d = fmuDrugs
		}
		d.pay(t)
	}

	// FIA: the hawaladars, their clerks and runners it has identified, and
	// the transfers in the bank statements it obtained.
	group := fia.org(b.newGroup("Peshawar–Dubai hawala network", "Chowk Yadgar network"), assessed)
	for _, p := range append(append(append([]*person{}, hawaladars...), munshis...), some(b, mules, 8)...) {
		fia.person(p, 0, subject(rabta.SubjectSuspect))
		fia.phonesOf(p)
		role := "runner"
		switch {
		case p == h1 || p == h2 || p == h3 || p == h4 || p == h5:
			role = "hawaladar"
		case p == munshis[0] || p == munshis[1] || p == munshis[2]:
			role = "munshi (book-keeper)"
		}
		fia.link("Membership", fia.rec(p.key), group, props{}.add("role", role), assessed)
		for _, a := range accts[p.key] {
			fia.bankAccount(a)
		}
	}
	for _, p := range append([]*person{n1.organiser}, n1.recruiters[:4]...) {
		for _, a := range accts[p.key] {
			fia.bankAccount(a)
		}
	}
	for _, t := range txns {
		if t.currency == "PKR" && fia.sees(t) && b.chance(0.75) {
			fia.pay(t)
		}
	}
	assoc := func(a, c *person, rel string) {
		fia.link("Associate", fia.rec(a.key), fia.rec(c.key), props{}.add("relationship", rel))
	}
	assoc(h1, h2, "partners in the Chowk Yadgar business")
	assoc(h1, h4, "settles accounts with")
	assoc(h4, h5, "settles accounts with")
	assoc(h3, h5, "settles accounts with")
	for i, m := range munshis {
		assoc(hawaladars[[]int{0, 1, 2}[i]], m, "employs as munshi")
	}
	assoc(h4, n1.organiser, "moves money for")
	ties := []tie{{h1, h2, 20}, {h1, h4, 15}, {h4, h5, 20}, {h3, h5, 15}, {h1, h5, 10}, {h4, n1.organiser, 6}}
	for i, m := range munshis {
		ties = append(ties, tie{hawaladars[i], m, 12})
	}
	fia.calls(ties, 140, from, to)
	b.examples = append(b.examples, Example{Username: "fmu.analyst", Query: accts[h1.key][0].iban,
		Note: "a collection account fed by structured cash deposits: FMU's record, and FIA holds the same account"})
}
