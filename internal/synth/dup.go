package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Entry is one synthetic record for entity-resolution tests: its values by
// property (match.Props names) and the person it truly describes.
type Entry struct {
	ID     string
	Person int
	Values map[string][]string
}

// urdu spells some of the names in Urdu script, as a second agency's clerk
// would.
var urdu = map[string]string{
	"Muhammad": "محمد", "Ahmed": "احمد", "Ali": "علی", "Hassan": "حسن", "Hussain": "حسین", "Usman": "عثمان",
	"Asif": "آصف", "Tariq": "طارق", "Zahid": "زاہد", "Shahid": "شاہد", "Khan": "خان", "Malik": "ملک",
	"Qureshi": "قریشی", "Shah": "شاہ", "Abbasi": "عباسی", "Bilal": "بلال", "Imran": "عمران", "Faisal": "فیصل",
	"Fatima": "فاطمہ", "Ayesha": "عائشہ", "Zainab": "زینب", "Yousafzai": "یوسفزئی", "Chaudhry": "چوہدری",
}

// variants are spellings a record may use instead of the first.
var variants = map[string][]string{
	"Muhammad": {"Mohammad", "Mohammed", "Mohd", "M."}, "Ahmed": {"Ahmad"}, "Hussain": {"Husain", "Hussein"},
	"Usman": {"Osman"}, "Chaudhry": {"Ch.", "Chaudhary"}, "Qureshi": {"Kureshi"}, "Yousafzai": {"Yusufzai"},
	"Rizwan": {"Rizwaan"}, "Waqas": {"Waqqas"}, "Zubair": {"Zubeir"}, "Syed": {"Sayyid"}, "Sheikh": {"Shaikh"},
}

// Duplicates returns n records describing about n/(1+dups) people, each
// person recorded 1 to 1+2·dups times with the errors agencies make:
// spelling variants, Urdu script, titles, dropped middle names, s/o in the
// name field, day and month swapped, a CNIC typo, a missing field. The
// same seed always gives the same records.
func Duplicates(seed uint64, n int, dups float64) []Entry {
	out := make([]Entry, 0, n)
	rng := rand.New(rand.NewPCG(seed, 7))
	for p := 0; len(out) < n; p++ {
		base := Person(seed, p)
		copies := 1
		if dups > 0 {
			copies += rng.IntN(int(2*dups) + 1)
		}
		for k := 0; k < copies && len(out) < n; k++ {
			v := map[string][]string{}
			for prop, vs := range base.Properties {
				if prop == "address" {
					prop = "city"
				}
				v[prop] = append([]string(nil), vs...)
			}
			if k > 0 {
				corrupt(rng, v)
			}
			out = append(out, Entry{ID: fmt.Sprintf("r%d", len(out)), Person: p, Values: v})
		}
	}
	// Shuffle so duplicates are not neighbours.
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	for i := range out {
		out[i].ID = fmt.Sprintf("r%d", i)
	}
	return out
}

func corrupt(rng *rand.Rand, v map[string][]string) {
	words := strings.Fields(v["name"][0])
	switch rng.IntN(6) {
	case 0: // a spelling variant
		for i, w := range words {
			if alt, ok := variants[w]; ok {
				words[i] = alt[rng.IntN(len(alt))]
				break
			}
		}
	case 1: // Urdu script
		all := true
		for i, w := range words {
			if u, ok := urdu[w]; ok {
				words[i] = u
			} else {
				all = false
			}
		}
		if !all {
			words = strings.Fields(v["name"][0])
		}
	case 2: // the middle name left out
		if len(words) == 3 {
			words = []string{words[0], words[2]}
		}
	case 3: // a typing error
		i := rng.IntN(len(words))
		w := []byte(words[i])
		if len(w) > 3 {
			j := 1 + rng.IntN(len(w)-2)
			w[j], w[j+1] = w[j+1], w[j]
		}
		words[i] = string(w)
	case 4: // a title
		words = append([]string{[]string{"Haji", "Malik", "Mr.", "Rana"}[rng.IntN(4)]}, words...)
	}
	name := strings.Join(words, " ")
	if rng.IntN(4) == 0 && len(v["fatherName"]) > 0 {
		name += " s/o " + v["fatherName"][0]
		delete(v, "fatherName")
	}
	v["name"] = []string{name}
	switch rng.IntN(5) {
	case 0: // day and month written the other way
		var y, m, d int
		fmt.Sscanf(v["birthDate"][0], "%d-%d-%d", &y, &m, &d)
		v["birthDate"] = []string{fmt.Sprintf("%02d/%02d/%d", d, m, y)}
	case 1:
		delete(v, "birthDate")
	}
	switch rng.IntN(6) {
	case 0: // a CNIC typo
		c := []byte(v["idNumber"][0])
		i := 1 + rng.IntN(len(c)-1)
		c[i] = '0' + (c[i]-'0'+1)%10
		v["idNumber"] = []string{string(c)}
	case 1, 2:
		delete(v, "idNumber")
	case 3: // written with dashes
		c := v["idNumber"][0]
		v["idNumber"] = []string{c[:5] + "-" + c[5:12] + "-" + c[12:]}
	}
	if rng.IntN(3) == 0 {
		delete(v, "city")
	}
}
