package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/rabta/rabta/ident"
)

// city is a home town: where a subject's CNIC was issued, what their
// address looks like and which family names are common there.
type city struct {
	name     string
	region   string   // for family names; Islamabad counts as Punjab
	cnic     []string // district prefixes of CNICs issued there (first digit: province)
	areas    []string
	areaCode string // landline prefix with its 0
	local    int    // digits of a local landline number
	plates   []string
}

var cities = map[string]*city{
	"Gujranwala":      {"Gujranwala", "punjab", []string{"34101", "34104"}, []string{"Satellite Town", "Model Town", "Peoples Colony", "Wapda Town", "Gondlanwala Road", "Kamoke"}, "055", 7, []string{"GAA", "GAB", "GRA"}},
	"Gujrat":          {"Gujrat", "punjab", []string{"34201", "34202"}, []string{"Jalalpur Jattan", "Kharian", "Lalamusa", "Shadiwal Road", "Kunjah", "Dinga"}, "053", 7, []string{"GTA", "GTB"}},
	"Mandi Bahauddin": {"Mandi Bahauddin", "punjab", []string{"34401", "34403"}, []string{"Phalia", "Malakwal", "Chillianwala", "Rasul", "Gojra", "Pahrianwali"}, "0546", 6, []string{"MBA", "MBD"}},
	"Sialkot":         {"Sialkot", "punjab", []string{"34603", "34601"}, []string{"Daska", "Sambrial", "Pasrur", "Cantt"}, "052", 7, []string{"SKA", "SKT"}},
	"Lahore":          {"Lahore", "punjab", []string{"35201", "35202"}, []string{"Ichhra", "Johar Town", "Samanabad", "Shadbagh", "Shah Alam Market", "Township"}, "042", 8, []string{"LEA", "LEB", "LEC", "LED"}},
	"Rawalpindi":      {"Rawalpindi", "punjab", []string{"37405", "37406"}, []string{"Raja Bazaar", "Satellite Town", "Dhoke Kala Khan", "Pirwadhai"}, "051", 7, []string{"RIA", "RIB"}},
	"Karachi":         {"Karachi", "sindh", []string{"42101", "42201", "42301", "42401", "42501"}, []string{"Korangi", "SITE Area", "Lyari", "Saddar", "Jodia Bazaar", "Keamari", "Gulshan-e-Iqbal", "Bin Qasim Town", "Landhi", "Orangi Town"}, "021", 8, []string{"BKA", "BNK", "AKJ", "KAR", "TKE", "TLA"}},
	"Quetta":          {"Quetta", "balochistan", []string{"54400", "54401"}, []string{"Satellite Town", "Pashtunabad", "Sariab Road", "Kasi Road", "Jinnah Road", "Killi Ismail"}, "081", 7, []string{"QAA", "QAB", "BEA"}},
	"Turbat":          {"Turbat", "balochistan", []string{"52301"}, []string{"Turbat Bazaar", "Absar", "Sari Kahn", "Mand Road"}, "0852", 6, []string{"KCA", "KCB"}},
	"Peshawar":        {"Peshawar", "kp", []string{"17301", "17201"}, []string{"Qissa Khwani Bazaar", "Chowk Yadgar", "Hayatabad", "University Town", "Karkhano Market", "Gulbahar"}, "091", 7, []string{"PRA", "PRB"}},
	"Islamabad":       {"Islamabad", "punjab", []string{"61101"}, []string{"G-9", "I-8", "F-10", "G-11", "Bhara Kahu"}, "051", 7, []string{"ICT", "IDA"}},
}

// person is a real-world individual of the demo's ground truth. Agencies
// hold records about persons; each record renders the person its own way
// (see render), and the subject key ties the records together for tests of
// matching.
type person struct {
	key         string
	female      bool
	given       []*part
	family      *part // nil: no family name in use
	father      []*part
	born        time.Time
	city        *city
	cnic        string   // 13 digits (a child's B-form number has the same shape); "" for foreigners
	phones      []string // as dialled in Pakistan: 03001234567 or +971...
	passport    string
	email       string
	address     string
	nationality string // ISO 3166-1 alpha-2, lower case
	residence   string // country of residence, likewise
	nick        string
	minor       bool
}

// name is the person's name in usual spellings, without variants.
func (p *person) name() string {
	n := joinLatin(p.given)
	if p.family != nil {
		n += " " + p.family.latin
	}
	return n
}

func joinLatin(ps []*part) string {
	ws := make([]string, len(ps))
	for i, p := range ps {
		ws[i] = p.latin
	}
	return strings.Join(ws, " ")
}

// pspec says what kind of person to make.
type pspec struct {
	city        string
	female      bool
	born        [2]int // range of birth years
	name        string // fixed given names (look-alikes); "" = random
	family      string // fixed family name; "-" for none
	father      string // fixed father's given names
	nationality string // "" = pk
	abroad      string // country of residence whose phone numbers the person uses; "" = nationality
	phones      int
	passport    bool
	email       bool
	minor       bool
}

// newPerson makes a person, drawing whatever the spec leaves open.
func (b *builder) newPerson(s pspec) *person {
	c := cities[s.city]
	if c == nil {
		panic("demo: unknown city " + s.city)
	}
	p := &person{city: c, female: s.female, nationality: "pk", minor: s.minor}
	if s.nationality != "" {
		p.nationality = s.nationality
	}
	for tries := 0; ; tries++ {
		if tries == 100 {
			panic("demo: cannot make a name that is not a public figure's from " + s.name + " " + s.family)
		}
		switch {
		case s.name != "":
			p.given = parseName(s.name)
		case s.female:
			p.given = []*part{pick(b, femaleGiven)}
		default:
			p.given = b.maleName()
		}
		switch s.family {
		case "-":
			p.family = nil
		case "":
			p.family = nil
			if b.chance(0.85) {
				p.family = pick(b, families[c.region])
			} else if s.female && b.chance(0.5) {
				p.family = bibi
			}
		default:
			p.family = parseName(s.family)[0]
		}
		if s.father != "" {
			p.father = parseName(s.father)
		} else {
			p.father = b.maleName()
		}
		fatherFull := joinLatin(p.father)
		if p.family != nil && p.family != bibi {
			fatherFull += " " + p.family.latin
		}
		// No subject, and no father, may carry a public figure's name.
		if !isFamous(p.name()) && !isFamous(fatherFull) {
			break
		}
	}
	p.key = fmt.Sprintf("p%04d", len(b.people)+1)
	b.people = append(b.people, p)
	p.born = b.birthDate(s.born[0], s.born[1])
	if p.nationality == "pk" {
		p.cnic = b.newCNIC(c, p.female)
	}
	p.residence = p.nationality
	if s.abroad != "" {
		p.residence = s.abroad
	}
	phoneCountry := p.residence
	for range s.phones {
		switch phoneCountry {
		case "ae":
			p.phones = append(p.phones, b.foreignMobile("+9715", 8))
		case "tr":
			p.phones = append(p.phones, b.foreignMobile("+905", 9))
		case "ir":
			p.phones = append(p.phones, b.foreignMobile("+989", 9))
		case "af":
			p.phones = append(p.phones, b.foreignMobile("+937", 8))
		default:
			p.phones = append(p.phones, b.newMobile())
		}
	}
	if s.passport {
		p.passport = b.newPassport(p.nationality)
	}
	if s.email {
		last := p.given[len(p.given)-1].latin
		fam := "pk"
		if p.family != nil && p.family != bibi {
			fam = p.family.latin
		}
		local := strings.ToLower(strings.ReplaceAll(last+"."+fam, " ", ""))
		p.email = fmt.Sprintf("%s%02d@%s", local, p.born.Year()%100, pickStr(b, []string{"mail.example", "inbox.example", "post.example"}))
	}
	p.address = b.streetAddress(c)
	return p
}

// maleName draws a man's given names in one of the usual shapes:
// Muhammad Asif, Abdul Rehman, Asif Ali, Asif.
func (b *builder) maleName() []*part {
	switch r := b.rng.Float64(); {
	case r < 0.38:
		return []*part{muhammad, pick(b, maleGiven)}
	case r < 0.52:
		return []*part{pick(b, compounds)}
	case r < 0.82:
		first, second := pick(b, maleGiven), pick(b, maleSecond)
		if first.latin == second.latin {
			return []*part{first}
		}
		return []*part{first, second}
	default:
		return []*part{pick(b, maleGiven)}
	}
}

func (b *builder) birthDate(from, to int) time.Time {
	start := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(to, 12, 31, 0, 0, 0, 0, time.UTC)
	days := int(end.Sub(start).Hours()/24) + 1
	return start.AddDate(0, 0, b.rng.IntN(days))
}

// newCNIC issues a CNIC from the person's home district. The last digit is
// odd for men and even for women, as NADRA issues them.
func (b *builder) newCNIC(c *city, female bool) string {
	for {
		d := pickStr(b, c.cnic) + fmt.Sprintf("%07d", b.rng.IntN(10_000_000))
		last := b.rng.IntN(5) * 2
		if !female {
			last++
		}
		d += fmt.Sprint(last)
		if b.issue("cnic:" + d) {
			return d
		}
	}
}

// mobilePrefixes are Pakistani mobile network codes: Jazz, Zong, Jazz (ex
// Warid), Ufone, Telenor.
var mobilePrefixes = []struct {
	from, to int
	network  string
}{{300, 309, "Jazz"}, {310, 318, "Zong"}, {320, 325, "Jazz"}, {330, 336, "Ufone"}, {340, 349, "Telenor"}}

// newMobile returns a fresh Pakistani mobile number as 03xxxxxxxxx.
func (b *builder) newMobile() string {
	for {
		pr := mobilePrefixes[b.rng.IntN(len(mobilePrefixes))]
		n := fmt.Sprintf("0%d%07d", pr.from+b.rng.IntN(pr.to-pr.from+1), b.rng.IntN(10_000_000))
		if b.validPhone(n) {
			return n
		}
	}
}

// network names the operator of a Pakistani mobile number.
func network(n string) string {
	if len(n) == 11 && strings.HasPrefix(n, "03") {
		var code int
		fmt.Sscanf(n[1:4], "%d", &code)
		for _, p := range mobilePrefixes {
			if code >= p.from && code <= p.to {
				return p.network
			}
		}
	}
	return ""
}

func (b *builder) foreignMobile(prefix string, digits int) string {
	for {
		n := prefix + fmt.Sprintf("%0*d", digits, b.rng.IntN(pow10(digits)))
		if b.validPhone(n) {
			return n
		}
	}
}

// landline returns a fresh landline number in the city, written 021-3xxxxxxx.
func (b *builder) landline(c *city) string {
	for {
		first := 2 + b.rng.IntN(7)
		n := fmt.Sprintf("%s-%d%0*d", c.areaCode, first, c.local-1, b.rng.IntN(pow10(c.local-1)))
		if b.validPhone(n) {
			return n
		}
	}
}

// validPhone keeps only numbers the identifier index accepts, so every
// number the demo prints can be searched for, and issues each once.
func (b *builder) validPhone(n string) bool {
	v, err := ident.Normalize(ident.Phone, n)
	return err == nil && b.issue("phone:"+v)
}

func pow10(n int) int {
	x := 1
	for range n {
		x *= 10
	}
	return x
}

// newPassport issues a passport number in the issuing country's shape.
func (b *builder) newPassport(country string) string {
	for {
		var n string
		switch country {
		case "af":
			n = fmt.Sprintf("P%08d", b.rng.IntN(100_000_000))
		case "ir":
			n = fmt.Sprintf("%c%08d", 'A'+rune(b.rng.IntN(26)), b.rng.IntN(100_000_000))
		case "tr":
			n = fmt.Sprintf("U%08d", b.rng.IntN(100_000_000))
		default:
			n = fmt.Sprintf("%c%c%07d", 'A'+rune(b.rng.IntN(26)), 'A'+rune(b.rng.IntN(26)), b.rng.IntN(10_000_000))
		}
		if b.issue("passport:" + n) {
			return n
		}
	}
}

func (b *builder) streetAddress(c *city) string {
	area := pickStr(b, c.areas)
	switch b.rng.IntN(3) {
	case 0:
		return fmt.Sprintf("House %d, Street %d, %s, %s", 1+b.rng.IntN(240), 1+b.rng.IntN(30), area, c.name)
	case 1:
		return fmt.Sprintf("Mohallah %s, %s, District %s", pickStr(b, []string{"Islamabad", "Rehmanpura", "Gulshan", "Nai Abadi", "Faisal", "Madina", "Ghousia"}), area, c.name)
	default:
		return fmt.Sprintf("Flat %d, Block %c, %s, %s", 1+b.rng.IntN(60), 'A'+rune(b.rng.IntN(8)), area, c.name)
	}
}

// plate returns a fresh registration number from the city's series, in
// the normal form letters-digits (LEA-1234).
func (b *builder) plate(c *city) string {
	for {
		p := fmt.Sprintf("%s-%d", pickStr(b, c.plates), 100+b.rng.IntN(9900))
		if b.issue("plate:" + strings.ReplaceAll(p, "-", "")) {
			return p
		}
	}
}

// iban returns a valid IBAN for the country and BBAN, computing the ISO
// 13616 MOD-97 check digits.
func iban(country, bban string) string {
	rem := 0
	for _, r := range bban + country + "00" {
		if r >= 'A' && r <= 'Z' {
			rem = (rem*100 + int(r-'A') + 10) % 97
		} else {
			rem = (rem*10 + int(r-'0')) % 97
		}
	}
	return fmt.Sprintf("%s%02d%s", country, 98-rem, bban)
}

// bank is a Pakistani bank by its IBAN bank code.
type bank struct{ code, name string }

var banks = []bank{
	{"HABB", "Habib Bank Limited"}, {"MUCB", "MCB Bank Limited"}, {"UNIL", "United Bank Limited"},
	{"ABPA", "Allied Bank Limited"}, {"MEZN", "Meezan Bank Limited"}, {"BAHL", "Bank AL Habib Limited"},
	{"ALFH", "Bank Alfalah Limited"}, {"NBPA", "National Bank of Pakistan"}, {"FAYS", "Faysal Bank Limited"},
	{"JSBL", "JS Bank Limited"}, {"BKIP", "BankIslami Pakistan Limited"},
}

// newIBAN issues a fresh account number: a PK IBAN, or for "ae" and "tr"
// one of those countries'.
func (b *builder) newIBAN(country string) (number string, bk bank) {
	for {
		switch country {
		case "ae":
			bk = bank{"", "a bank in Dubai"}
			number = iban("AE", fmt.Sprintf("%03d%016d", 20+b.rng.IntN(60), b.rng.Int64N(1e16)))
		case "tr":
			bk = bank{"", "a bank in Istanbul"}
			number = iban("TR", fmt.Sprintf("%05d0%016d", 10+b.rng.IntN(200), b.rng.Int64N(1e16)))
		default:
			bk = banks[b.rng.IntN(len(banks))]
			number = iban("PK", bk.code+fmt.Sprintf("%016d", b.rng.Int64N(1e16)))
		}
		if b.issue("iban:" + number) {
			return number, bk
		}
	}
}

// imei returns a 15-digit IMEI with its Luhn check digit.
func (b *builder) imei() string {
	body := fmt.Sprintf("35%06d%06d", b.rng.IntN(1_000_000), b.rng.IntN(1_000_000))
	sum := 0
	for i, r := range body {
		d := int(r - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}

// container returns an ISO 6346 container number with its check digit.
func (b *builder) container() string {
	owners := []string{"MSCU", "MSKU", "CMAU", "TGHU", "TCNU", "OOLU", "HLXU", "SEGU"}
	for {
		s := pickStr(b, owners) + fmt.Sprintf("%06d", b.rng.IntN(1_000_000))
		// Letters take the values 10-38, skipping multiples of 11.
		sum := 0
		for i, r := range s {
			v := int(r - '0')
			if r >= 'A' {
				v = 10 + int(r-'A')
				for _, skip := range []int{11, 22, 33} {
					if v >= skip {
						v++
					}
				}
			}
			sum += v << i
		}
		check := sum % 11 % 10
		n := fmt.Sprintf("%s %s %d", s[:4], s[4:], check)
		if b.issue("container:" + n) {
			return n
		}
	}
}
