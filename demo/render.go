package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
)

// style is how an agency's records write people down: which spellings,
// which identifiers, in which form. The differences between styles are the
// whole point of the demo: the same subject is held by several agencies
// and none of them writes him the same way.
type style struct {
	variant  float64 // a name part in another spelling
	father   float64 // "s/o <father>" in the name itself
	upper    float64 // bank and passport style: SURNAME, GIVEN NAMES
	urdu     float64 // an Urdu-script alias
	dashed   float64 // CNIC as 35202-1234567-1 rather than 3520212345671
	intl     float64 // mobile as +92 300 1234567 rather than 0300-1234567
	cnic     float64 // each of these is on record with this chance
	phone    float64
	passport float64
	email    float64
	dob      float64
	yearOnly float64 // only the birth year is known (an age in an FIR)
}

var styles = map[string]style{
	"FIA":           {variant: .3, father: .3, upper: .05, urdu: .25, dashed: .7, intl: .2, cnic: .92, phone: .85, passport: .6, email: .3, dob: .85, yearOnly: .1},
	"PUNJAB-POLICE": {variant: .45, father: .8, urdu: .4, dashed: .5, intl: .05, cnic: .8, phone: .75, passport: .1, email: .05, dob: .6, yearOnly: .5},
	"CUSTOMS":       {variant: .25, father: .1, upper: .6, urdu: .05, dashed: .2, intl: .6, cnic: .9, phone: .6, passport: .5, email: .4, dob: .8},
	"ANF":           {variant: .35, father: .45, upper: .05, urdu: .2, dashed: .6, intl: .15, cnic: .75, phone: .95, passport: .3, email: .1, dob: .7, yearOnly: .3},
	"FMU":           {variant: .2, father: .05, upper: .7, dashed: .1, intl: .5, cnic: 1, phone: .85, passport: .2, email: .5, dob: .95},
	"NGO-SHELTER":   {variant: .5, father: .35, urdu: .3, dashed: .5, intl: .1, cnic: .55, phone: .85, passport: .25, email: .05, dob: .5, yearOnly: .6},
}

// pflags force what a record of a person carries, whatever the style.
type pflags uint8

const (
	withCNIC  pflags = 1 << iota // the CNIC is on record
	withPhone                    // at least one phone is
	nameOnly                     // a name and no identifiers (but withPhone): what a victim can tell
)

func (b *builder) spell(p *part, chance float64) string {
	if len(p.variants) > 0 && b.chance(chance) {
		return pick(b, p.variants)
	}
	return p.latin
}

// person returns the desk's agency's record of p, making it the first time.
func (d *desk) person(p *person, f pflags, mods ...mod) *rabta.Record {
	if r, ok := d.b.held[d.agency][p.key]; ok {
		return r
	}
	r := d.add("Person", d.render(p, f), mods...)
	d.b.hold(d.agency, p.key, r)
	return r
}

// render writes p as the desk's agency would.
func (d *desk) render(p *person, f pflags) props {
	b := d.b
	st := styles[d.agency]
	pr := props{}

	given := make([]string, len(p.given))
	for i, g := range p.given {
		given[i] = b.spell(g, st.variant)
	}
	fam := ""
	if p.family != nil && (p.family == bibi || b.chance(0.88)) {
		fam = b.spell(p.family, st.variant)
	}
	father := make([]string, len(p.father))
	for i, g := range p.father {
		father[i] = b.spell(g, st.variant)
	}
	fatherName := strings.Join(father, " ")
	if p.family != nil && p.family != bibi && b.chance(0.3) {
		fatherName += " " + b.spell(p.family, st.variant)
	}

	g := strings.Join(given, " ")
	var name string
	upper := b.chance(st.upper)
	switch {
	case upper:
		name = strings.ToUpper(g)
		if fam != "" {
			name = strings.ToUpper(fam) + ", " + name
		}
	case fam != "" && p.family.prefix && b.chance(0.5):
		name = fam + " " + g
	case fam != "":
		name = g + " " + fam
	default:
		name = g
	}
	if b.chance(st.father) {
		rel := "s/o"
		if p.female {
			rel = "d/o"
		}
		if upper {
			name += " " + strings.ToUpper(rel+" "+fatherName)
		} else {
			name += " " + rel + " " + fatherName
		}
		if b.chance(0.5) {
			pr.add("fatherName", fatherName)
		}
	} else if b.chance(0.8) {
		pr.add("fatherName", fatherName)
	}
	pr.add("name", name)
	if fam != "" && fam != bibi.latin && b.chance(0.3) {
		pr.add("lastName", fam)
	}
	if b.chance(st.urdu) {
		u := make([]string, 0, len(p.given)+1)
		for _, g := range p.given {
			u = append(u, g.urdu)
		}
		if fam != "" {
			u = append(u, p.family.urdu)
		}
		alias := strings.Join(u, " ")
		if b.chance(0.3) {
			rel := "ولد"
			if p.female {
				rel = "دختر"
			}
			fu := make([]string, len(p.father))
			for i, g := range p.father {
				fu[i] = g.urdu
			}
			alias += " " + rel + " " + strings.Join(fu, " ")
		}
		pr.add("alias", alias)
	}
	if p.nick != "" && b.chance(0.5) {
		pr.add("weakAlias", p.nick)
	}
	if f&nameOnly != 0 {
		// What a victim can tell of an agent: a name, perhaps a number.
		if f&withPhone != 0 && len(p.phones) > 0 {
			pr.add("phone", b.formatPhone(p.phones[0], st.intl))
		}
		return pr
	}

	if b.chance(st.dob) {
		switch {
		case b.chance(st.yearOnly):
			pr.add("birthDate", fmt.Sprint(p.born.Year()))
		case p.born.Day() <= 12 && p.born.Day() != int(p.born.Month()) && b.chance(0.03):
			// A clerk swapped day and month: the kind of error matching must survive.
			pr.add("birthDate", fmt.Sprintf("%d-%02d-%02d", p.born.Year(), p.born.Day(), p.born.Month()))
		default:
			pr.add("birthDate", date(p.born))
		}
	}
	if b.chance(0.3) {
		pr.add("birthPlace", p.city.name)
	}
	if b.chance(0.7) {
		pr.add("gender", gender(p))
	}
	if b.chance(0.6) {
		pr.add("nationality", p.nationality)
	}
	if p.cnic != "" && (f&withCNIC != 0 || b.chance(st.cnic)) {
		c := p.cnic
		if b.chance(st.dashed) {
			c = ident.FormatCNIC(c)
		}
		pr.add("idNumber", c)
	}
	if len(p.phones) > 0 && (f&withPhone != 0 || b.chance(st.phone)) {
		for _, n := range some(b, p.phones, 1+b.rng.IntN(len(p.phones))) {
			pr.add("phone", b.formatPhone(n, st.intl))
		}
	}
	if p.passport != "" && b.chance(st.passport) {
		pr.add("passportNumber", p.passport)
	}
	if p.email != "" && b.chance(st.email) {
		pr.add("email", p.email)
	}
	if b.chance(0.6) {
		pr.add("address", p.address)
	}
	pr.add("country", p.residence)
	return pr
}

func gender(p *person) string {
	if p.female {
		return "female"
	}
	return "male"
}

// formatPhone writes a number the way records do: 0300-1234567,
// 03001234567, 0300 1234567 or +92 300 1234567.
func (b *builder) formatPhone(n string, intl float64) string {
	if !strings.HasPrefix(n, "03") || len(n) != 11 {
		return n
	}
	if b.chance(intl) {
		if b.chance(0.5) {
			return "+92 " + n[1:4] + " " + n[4:]
		}
		return "+92" + n[1:]
	}
	switch b.rng.IntN(3) {
	case 0:
		return n[:4] + "-" + n[4:]
	case 1:
		return n[:4] + " " + n[4:]
	}
	return n
}

// phoneKey is the ground-truth key of a phone number.
func phoneKey(n string) string {
	v, _ := ident.Normalize(ident.Phone, n)
	return "phone:" + v
}

// phone returns the desk's agency's Phone record of number n, making it
// the first time. user, if known, is the person the agency attributes it
// to; owner the subscriber it is registered to.
func (d *desk) phone(n string, user, owner *rabta.Record) *rabta.Record {
	if r, ok := d.b.phoneRec[d.agency][n]; ok {
		return r
	}
	b := d.b
	pr := props{}
	pr.add("number", b.formatPhone(n, styles[d.agency].intl))
	pr.add("provider", network(n))
	if b.chance(0.5) {
		pr.add("imei", b.imei())
	}
	var mods []mod
	for _, end := range []*rabta.Record{user, owner} {
		if end == nil {
			continue
		}
		for _, c := range end.Marking.Categories {
			if c == rabta.CatInformant {
				mods = append(mods, informant)
			} else {
				mods = append(mods, withCategory(c))
			}
		}
	}
	if user != nil {
		pr.add("user", user.ID)
	}
	if owner != nil {
		pr.add("owner", owner.ID)
	}
	r := d.add("Phone", pr, mods...)
	if d.b.phoneRec[d.agency] == nil {
		d.b.phoneRec[d.agency] = map[string]*rabta.Record{}
	}
	d.b.phoneRec[d.agency][n] = r
	d.b.truth[r.ID] = phoneKey(n)
	return r
}

// phonesOf returns the desk's Phone records for p's phones, attributed to
// the desk's record of p.
func (d *desk) phonesOf(p *person) []*rabta.Record {
	pr := d.b.held[d.agency][p.key]
	var out []*rabta.Record
	for _, n := range p.phones {
		out = append(out, d.phone(n, pr, nil))
	}
	return out
}

// call records one call between two phones, as read from call detail
// records.
func (d *desk) call(from, to *rabta.Record, when string) *rabta.Record {
	b := d.b
	pr := props{}
	pr.add("callerNumber", e164(from)).add("receiverNumber", e164(to))
	for _, x := range []struct {
		prop string
		ph   *rabta.Record
	}{{"caller", from}, {"receiver", to}} {
		if u := x.ph.Properties["user"]; len(u) > 0 {
			pr.add(x.prop, u[0])
		}
	}
	pr.add("date", when)
	if b.chance(0.2) {
		pr.add("callType", "sms")
	} else {
		pr.add("callType", "voice")
		// Call lengths are skewed: most short, a few long.
		secs := 8 + int(b.rng.ExpFloat64()*110)
		pr.add("duration", fmt.Sprint(min(secs, 3600)))
	}
	pr.add("direction", "outgoing")
	pr.add("cellId", fmt.Sprintf("410-%02d-%d-%d", pick(b, []int{1, 3, 4, 6, 7}), 1000+b.rng.IntN(9000), 10000+b.rng.IntN(90000)))
	return d.link("Call", from, to, pr)
}

// e164 is a Phone record's number in international form, as CDRs give it.
func e164(ph *rabta.Record) string {
	v, err := ident.Normalize(ident.Phone, ph.Properties["number"][0])
	if err != nil {
		return ""
	}
	return v
}

// company is a real-world company or organisation of the ground truth.
type company struct {
	key, name, short string
	city             *city
	reg, ntn, phone  string
	address          string
	country          string
	founded          time.Time
	sector           string
	legalForm        string
	schema           string // Company or Organization
}

func (b *builder) newCompany(name, short, cityName, sector string) *company {
	c := cities[cityName]
	b.companies++
	co := &company{
		key: fmt.Sprintf("c%03d", b.companies), name: name, short: short, city: c,
		country: "pk", sector: sector, schema: "Company", legalForm: "private limited company",
	}
	co.reg = fmt.Sprintf("%07d", b.rng.IntN(10_000_000))
	co.ntn = fmt.Sprintf("%07d-%d", b.rng.IntN(10_000_000), b.rng.IntN(10))
	co.phone = b.landline(c)
	co.address = fmt.Sprintf("Office %d, %s, %s", 1+b.rng.IntN(40), pickStr(b, c.areas), c.name)
	co.founded = b.between(day(2012, 1, 1), day(2024, 6, 30))
	if !strings.Contains(name, "(Pvt) Ltd") {
		co.legalForm = "sole proprietorship"
	}
	return co
}

// org returns the desk's agency's record of c, making it the first time.
func (d *desk) org(c *company, mods ...mod) *rabta.Record {
	if r, ok := d.b.held[d.agency][c.key]; ok {
		return r
	}
	b := d.b
	st := styles[d.agency]
	name := c.name
	switch {
	case c.schema != "Company":
	case b.chance(st.upper):
		name = strings.ToUpper(strings.ReplaceAll(name, "(Pvt) Ltd", "Private Limited"))
	case b.chance(0.3):
		name = strings.ReplaceAll(name, "(Pvt) Ltd", pickStr(b, []string{"Pvt. Ltd.", "Private Limited", "Pvt Ltd"}))
	case b.chance(0.15):
		name = strings.ReplaceAll(name, " & ", " and ")
	}
	pr := props{}
	pr.add("name", name)
	if c.short != "" && b.chance(0.5) {
		pr.add("alias", c.short)
	}
	if c.schema == "Company" {
		if b.chance(0.7) {
			pr.add("registrationNumber", c.reg)
		}
		if b.chance(0.6) {
			pr.add("taxNumber", c.ntn)
		}
		pr.add("legalForm", c.legalForm)
		if b.chance(0.6) {
			pr.add("incorporationDate", date(c.founded))
		}
	}
	if c.phone != "" && b.chance(0.7) {
		pr.add("phone", c.phone)
	}
	pr.add("address", c.address)
	pr.add("sector", c.sector)
	pr.add("country", c.country)
	r := d.add(c.schema, pr, mods...)
	b.hold(d.agency, c.key, r)
	return r
}

// account is a real-world bank account.
type account struct {
	iban   string
	bank   bank
	holder string // subject key
	kind   string
	opened time.Time
}

func (b *builder) newAccount(holder, country, kind string) *account {
	n, bk := b.newIBAN(country)
	return &account{iban: n, bank: bk, holder: holder, kind: kind, opened: b.between(day(2015, 1, 1), day(2025, 3, 31))}
}

// bankAccount returns the desk's agency's record of a, making it the first
// time together with the Ownership that ties it to its holder.
func (d *desk) bankAccount(a *account, mods ...mod) *rabta.Record {
	key := "iban:" + a.iban
	if r, ok := d.b.held[d.agency][key]; ok {
		return r
	}
	b := d.b
	pr := props{}
	n := a.iban
	if b.chance(0.35) {
		// Printed in groups of four, as on a cheque book.
		var parts []string
		for i := 0; i < len(n); i += 4 {
			parts = append(parts, n[i:min(i+4, len(n))])
		}
		n = strings.Join(parts, " ")
	}
	pr.add("iban", n)
	if a.bank.code != "" && b.chance(0.6) {
		pr.add("accountNumber", a.iban[8:])
	}
	pr.add("bankName", a.bank.name)
	pr.add("accountType", a.kind)
	if b.chance(0.7) {
		pr.add("openingDate", date(a.opened))
	}
	pr.add("country", strings.ToLower(a.iban[:2]))
	r := d.add("BankAccount", pr, mods...)
	b.hold(d.agency, key, r)
	holder := d.b.held[d.agency][a.holder]
	if holder != nil {
		d.link("Ownership", holder, r, props{}.add("role", "account holder").add("startDate", date(a.opened)), mods...)
	}
	return r
}

// txn is a real-world transfer of money. Agencies that see it (FMU from
// reports, an investigating agency from bank statements) record it with
// the same transaction number.
type txn struct {
	payer, benef         string   // subject keys
	payerAcct, benefAcct *account // nil for cash
	amount               int64
	currency, method     string
	purpose              string
	when                 string
	ref                  string
}

// sees reports whether the desk's agency holds both parties and the
// accounts the transfer names.
func (d *desk) sees(t *txn) bool {
	ok := d.holds(t.payer) && d.holds(t.benef)
	for _, a := range []*account{t.payerAcct, t.benefAcct} {
		if a != nil {
			ok = ok && d.holds("iban:"+a.iban)
		}
	}
	return ok
}

// pay records a transfer between the desk's records of the parties.
func (d *desk) pay(t *txn, mods ...mod) *rabta.Record {
	pr := props{}
	pr.add("amount", fmt.Sprint(t.amount)).add("currency", t.currency).add("date", t.when).add("method", t.method)
	pr.add("purpose", t.purpose).add("transactionNumber", t.ref)
	if t.payerAcct != nil {
		pr.add("payerAccount", d.rec("iban:"+t.payerAcct.iban).ID)
	}
	if t.benefAcct != nil {
		pr.add("beneficiaryAccount", d.rec("iban:"+t.benefAcct.iban).ID)
	}
	return d.link("Payment", d.rec(t.payer), d.rec(t.benef), pr, mods...)
}

// vehicle is a real-world vehicle.
type vehicle struct {
	plate, kind, model, color string
	year                      int
	owner                     string // subject key
	chassis                   string
}

// vehicleTypes says what type of vehicle each model is.
var vehicleTypes = map[string]string{
	"Toyota Hiace": "van", "Toyota Hiace Grand Cabin": "van", "Toyota Hilux": "pickup", "Toyota Land Cruiser": "car",
	"Hino 700": "prime mover", "Isuzu Giga": "prime mover", "Nissan Diesel CWM": "prime mover",
}

func (b *builder) newVehicle(c *city, model, owner string) *vehicle {
	return &vehicle{plate: b.plate(c), kind: vehicleTypes[model], model: model, owner: owner,
		color:   pickStr(b, []string{"white", "silver", "black", "grey", "blue", "maroon"}),
		year:    2008 + b.rng.IntN(17),
		chassis: fmt.Sprintf("%s-%07d", pickStr(b, []string{"KUN25", "NZE141", "GDJ150", "KDH200", "FN2PGD", "XZU710"}), b.rng.IntN(10_000_000))}
}

// vehicleRec returns the desk's agency's record of v with its Ownership.
func (d *desk) vehicleRec(v *vehicle, mods ...mod) *rabta.Record {
	key := vehicleKey(v)
	if r, ok := d.b.held[d.agency][key]; ok {
		return r
	}
	b := d.b
	plate := v.plate
	switch b.rng.IntN(4) {
	case 0:
		plate = strings.Replace(plate, "-", " ", 1)
	case 1:
		plate = fmt.Sprintf("%s-%02d", plate, v.year%100)
	case 2:
		letters, digits, _ := strings.Cut(plate, "-")
		plate = fmt.Sprintf("%s %02d %s", letters, v.year%100, digits)
	}
	pr := props{}
	pr.add("name", v.model+" ("+v.plate+")").add("registrationNumber", plate).add("type", v.kind).add("model", v.model)
	pr.add("color", v.color).add("buildDate", fmt.Sprint(v.year))
	if b.chance(0.5) {
		pr.add("chassisNumber", v.chassis)
	}
	owner := d.b.held[d.agency][v.owner]
	if owner != nil {
		pr.add("owner", owner.ID)
	}
	pr.add("country", "pk")
	r := d.add("Vehicle", pr, mods...)
	b.hold(d.agency, key, r)
	return r
}
