package names

import (
	"strings"
	"testing"
)

func texts(ts []Token) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.Text)
	}
	return strings.Join(s, " ")
}

func TestParse(t *testing.T) {
	d := Default()
	cases := []struct {
		in, tokens, titles string
		rel                Relation
		relative           string
	}{
		{"Muhammad Asif s/o Abdul Rehman", "muhammad asif", "", RelFather, "abdul rehman"},
		{"Haji Mohd. Asif S/O Abdur-Rahman", "muhammad asif", "haji", RelFather, "abdul rehman"},
		{"Mst. Fatima w/o Ghulam Rasool", "mst fatima", "", RelSpouse, "ghulam rasool"},
		{"Bibi Ayesha d/o Malik Yousuf Khan", "bibi ayesha", "", RelFather, "yousaf khan"},
		{"Dr. Syed Ali Hussain Shah", "ali hussain shah", "dr syed", RelNone, ""},
		{"Usama bin Muhammad bin Awad bin Ladin", "usama muhammad awad ladin", "", RelFather, "muhammad awad ladin"},
		{"Abdulrehman", "abdul rehman", "", RelNone, ""},
		{"Saifullah Khan", "saif ullah khan", "", RelNone, ""},
		{"Nizam-ud-Din", "nizam din", "", RelNone, ""},
		{"Nizamuddin", "nizam din", "", RelNone, ""},
		{"Zia ul Haq", "zia haq", "", RelNone, ""},
		{"Malik", "malik", "", RelNone, ""},
		{"Asif Sahib", "asif", "sahib", RelNone, ""},
		{"Ch. Shujaat Hussain", "chaudhry shujaat hussain", "", RelNone, ""},
		{"محمد آصف ولد عبدالرحمان", "mhmd asf", "", RelFather, "abdul rhmn"},
	}
	for _, c := range cases {
		n := d.Parse(c.in)
		if got := texts(n.Tokens); got != c.tokens {
			t.Errorf("Parse(%q) tokens = %q, want %q", c.in, got, c.tokens)
		}
		if got := strings.Join(n.Titles, " "); got != c.titles {
			t.Errorf("Parse(%q) titles = %q, want %q", c.in, got, c.titles)
		}
		if n.Relation != c.rel || texts(n.Relative) != c.relative {
			t.Errorf("Parse(%q) relation = %q %q, want %q %q", c.in, n.Relation, texts(n.Relative), c.rel, c.relative)
		}
	}
}

func TestScriptOf(t *testing.T) {
	for in, want := range map[string]Script{"Asif": ScriptLatin, "آصف": ScriptArabic, "Асиф": ScriptOther, "Asif آصف": ScriptMixed, "123": ScriptNone, "José": ScriptLatin} {
		if got := ScriptOf(in); got != want {
			t.Errorf("ScriptOf(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDictionaryExtend(t *testing.T) {
	d := NewDictionary()
	if err := d.AddVariants(strings.NewReader("# local\nshahzad, shehzad shahzaad\n"), "local.txt"); err != nil {
		t.Fatal(err)
	}
	if d.Canonical("shehzad") != "shahzad" || Default().Canonical("shehzad") != "shehzad" {
		t.Errorf("extension must apply to its own dictionary only")
	}
	err := d.AddVariants(strings.NewReader("ok\nbad-word x\n"), "local.txt")
	if err == nil || err.Error() != `local.txt:2: "bad-word" is not one word` {
		t.Errorf("error = %v", err)
	}
}

func TestSimilarity(t *testing.T) {
	d := Default()
	f := NewFreq()
	// A population where Muhammad and Khan are common.
	for i := 0; i < 200; i++ {
		f.Add(d.Parse("Muhammad Khan"))
	}
	for _, s := range []string{"Muhammad Asif", "Muhammad Arif", "Zulfiqar Ali", "Asif Khan", "Arif Khan"} {
		f.Add(d.Parse(s))
	}
	sim := func(a, b string) float64 { return Similarity(d.Parse(a).Tokens, d.Parse(b).Tokens, f) }
	order := [][2]string{
		{"Muhammad Asif", "Mohd Asif"},
		{"Muhammad Asif Khan", "Asif Khan"},
		{"Muhammad Asif", "Muhammad Arif"},
	}
	prev := 2.0
	for _, p := range order {
		s := sim(p[0], p[1])
		if s >= prev {
			t.Errorf("sim(%q, %q) = %.3f, want below %.3f", p[0], p[1], s, prev)
		}
		prev = s
	}
	if s := sim("Asif Muhammad", "Muhammad Asif"); s != 1 {
		t.Errorf("order must not matter: %.3f", s)
	}
	if s := sim("محمد آصف", "Muhammad Asif"); s < 0.85 {
		t.Errorf("cross-script sim = %.3f", s)
	}
	if s := sim("Muhammad Asif", "Muhammad Arif"); s > 0.8 {
		t.Errorf("rare differing token must weigh: %.3f", s)
	}
	if s := sim("M. Asif", "Muhammad Asif"); s < 0.7 {
		t.Errorf("initial: %.3f", s)
	}
}

func TestJaroWinkler(t *testing.T) {
	cases := []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961},
		{"dwayne", "duane", 0.84},
		{"dixon", "dicksonx", 0.813},
		{"abc", "", 0},
		{"same", "same", 1},
	}
	for _, c := range cases {
		if got := JaroWinkler(c.a, c.b); got < c.want-0.001 || got > c.want+0.001 {
			t.Errorf("JaroWinkler(%q, %q) = %.4f, want %.3f", c.a, c.b, got, c.want)
		}
	}
}

func TestJaroWinklerBound(t *testing.T) {
	words := []string{"", "a", "muhammad", "mohammed", "asif", "arif", "atif", "khan", "kahn", "hussain", "hassan",
		"martha", "marhta", "dwayne", "duane", "dixon", "dicksonx", "mhmd", "aaaa", "abab", "35202", "zulfiqar"}
	for _, a := range words {
		for _, b := range words {
			if jw, bound := JaroWinkler(a, b), JaroWinklerBound(a, b); bound < jw {
				t.Errorf("JaroWinklerBound(%q, %q) = %.4f, below JaroWinkler %.4f", a, b, bound, jw)
			}
		}
	}
}
