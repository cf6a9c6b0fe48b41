// Package synth generates deterministic synthetic person records for
// benchmarks: Pakistani-style names with fathers' names, CNICs, mobile
// numbers and cities. Nothing here describes a real person.
package synth

import (
	"fmt"
	"math/rand/v2"

	"github.com/rabta/rabta"
)

var (
	given = []string{"Muhammad", "Ahmed", "Ali", "Hassan", "Hussain", "Usman", "Bilal", "Imran", "Asif", "Tariq",
		"Zahid", "Shahid", "Naveed", "Kamran", "Faisal", "Adnan", "Rizwan", "Waqas", "Yasir", "Junaid", "Sajid",
		"Khalid", "Rashid", "Arif", "Abdul", "Ghulam", "Nadeem", "Saleem", "Irfan", "Zubair", "Farhan", "Hamza",
		"Ayesha", "Fatima", "Sana", "Nadia", "Rabia", "Saima", "Amna", "Hina", "Mehwish", "Zainab", "Bushra", "Asma"}
	family = []string{"Khan", "Ahmed", "Malik", "Chaudhry", "Butt", "Qureshi", "Sheikh", "Awan", "Rajput", "Baig",
		"Mirza", "Syed", "Shah", "Abbasi", "Gondal", "Cheema", "Warraich", "Bhatti", "Jutt", "Niazi", "Khattak",
		"Yousafzai", "Afridi", "Memon", "Baloch", "Rind", "Bugti", "Soomro", "Siddiqui", "Hashmi", "Gillani"}
	cities = []string{"Lahore", "Karachi", "Islamabad", "Rawalpindi", "Peshawar", "Quetta", "Multan", "Faisalabad",
		"Gujranwala", "Gujrat", "Sialkot", "Hyderabad", "Sukkur", "Mandi Bahauddin", "Turbat", "Gwadar"}
)

// Person returns the i-th synthetic person of the stream seeded by seed.
// The same (seed, i) always gives the same record.
func Person(seed uint64, i int) *rabta.Record {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	name := given[r.IntN(len(given))] + " " + given[r.IntN(len(given))] + " " + family[r.IntN(len(family))]
	father := given[r.IntN(len(given))] + " " + family[r.IntN(len(family))]
	props := map[string][]string{
		"name":       {name},
		"fatherName": {father},
		"birthDate":  {fmt.Sprintf("%d-%02d-%02d", 1950+r.IntN(55), 1+r.IntN(12), 1+r.IntN(28))},
		"idNumber":   {CNIC(seed, i)},
		"address":    {cities[r.IntN(len(cities))]},
	}
	if r.IntN(2) == 0 {
		props["phone"] = []string{Phone(seed, i)}
	}
	return &rabta.Record{ID: fmt.Sprintf("p%d-%d", seed, i), Schema: "Person", Properties: props,
		Marking: rabta.Marking{Release: rabta.ReleaseAll}}
}

// CNIC is the i-th person's CNIC: distinct for distinct i below 10^11.
func CNIC(seed uint64, i int) string {
	return fmt.Sprintf("%d%012d", 1+(i+int(seed))%7, (int64(i)*7919+int64(seed))%1_000_000_000_000)
}

// Phone is the i-th person's mobile number in E.164: distinct for i below 10^7.
func Phone(seed uint64, i int) string {
	return fmt.Sprintf("+92300%07d", (i*7+int(seed))%10_000_000)
}
