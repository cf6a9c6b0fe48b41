package match

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta/internal/synth"
)

// f1 scores found pairs against the truth (labels of each record).
func f1(t *testing.T, pairs [][2]int, truth []int) (p, r, f float64) {
	t.Helper()
	want := map[int][]int{}
	for i, c := range truth {
		want[c] = append(want[c], i)
	}
	trueN := 0
	for _, g := range want {
		trueN += len(g) * (len(g) - 1) / 2
	}
	tp := 0
	for _, pr := range pairs {
		if truth[pr[0]] == truth[pr[1]] {
			tp++
		}
	}
	if len(pairs) > 0 {
		p = float64(tp) / float64(len(pairs))
	}
	if trueN > 0 {
		r = float64(tp) / float64(trueN)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func pairsOf(res *Result) [][2]int {
	out := make([][2]int, len(res.Matches))
	for i, m := range res.Matches {
		out[i] = [2]int{m.A, m.B}
	}
	return out
}

func synthRecords(seed uint64, n int, dups float64) ([]Record, []int) {
	es := synth.Duplicates(seed, n, dups)
	recs := make([]Record, len(es))
	truth := make([]int, len(es))
	for i, e := range es {
		recs[i] = Record{ID: e.ID, Values: e.Values}
		truth[i] = e.Person
	}
	return recs, truth
}

func TestSyntheticPakistaniNames(t *testing.T) {
	recs, truth := synthRecords(1, 4000, 1)
	res, err := Run(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, r, f := f1(t, pairsOf(res), truth)
	t.Logf("%d records, %d candidates: precision %.4f recall %.4f F1 %.4f", len(recs), res.Stats.Candidates, p, r, f)
	if f < 0.97 || p < 0.98 {
		t.Errorf("F1 %.4f (precision %.4f), want at least 0.97 (0.98)", f, p)
	}
	// Cluster labels agree with the pairs.
	for _, m := range res.Matches {
		if res.Cluster[m.A] != res.Cluster[m.B] {
			t.Fatalf("pair %v across clusters", m)
		}
	}
}

// person is a compact way to write a test record.
func person(id string, kv ...string) Record {
	r := Record{ID: id}
	for i := 0; i+1 < len(kv); i += 2 {
		r.Add(kv[i], kv[i+1])
	}
	return r
}

func TestRulesAndHubs(t *testing.T) {
	recs, _ := synthRecords(2, 1500, 0.5) // a population for the estimates
	base := len(recs)
	recs = append(recs,
		// The same man in two agencies' records: variant spellings, s/o in
		// the name, a date written D/M/Y, the CNIC with dashes.
		person("fia-1", "name", "Muhammad Asif s/o Abdul Rehman", "birthDate", "1985-03-12", "idNumber", "3520212345671", "gender", "male"),
		person("anf-7", "name", "Mohd. Asif", "fatherName", "Abdur Rahman", "birthDate", "12/03/1985", "idNumber", "35202-1234567-1"),
		// Urdu script, no identifiers: name, father and birth date.
		person("pol-3", "name", "محمد آصف ولد عبدالرحمان", "birthDate", "12-03-1985"),
	)
	// Thirty different Muhammad Khans, each with his own CNIC and birth date.
	for i := 0; i < 30; i++ {
		recs = append(recs, person(fmt.Sprintf("mk-%d", i), "name", "Muhammad Khan", "birthDate", fmt.Sprintf("19%02d-0%d-1%d", 60+i, 1+i%9, i%10), "idNumber", fmt.Sprintf("37405%07d%d", 1000000+i*37, i%10)))
	}
	// Two hundred people who all gave one call-centre number.
	for i := 0; i < 200; i++ {
		p := synth.Person(99, i)
		recs = append(recs, person(fmt.Sprintf("hub-%d", i), "name", p.Properties["name"][0], "birthDate", p.Properties["birthDate"][0], "phone", "+92 21 111 222 333"))
	}
	res, err := Run(recs, Options{Explain: true})
	if err != nil {
		t.Fatal(err)
	}
	idx := map[string]int{}
	for i, r := range recs {
		idx[r.ID] = i
	}
	same := func(a, b string) bool { return res.Cluster[idx[a]] == res.Cluster[idx[b]] }
	if !same("fia-1", "anf-7") {
		t.Errorf("fia-1 and anf-7 (same CNIC, name variants, father) not matched")
	}
	if !same("fia-1", "pol-3") {
		t.Errorf("the Urdu-script record pol-3 not matched to fia-1")
	}
	for i := 1; i < 30; i++ {
		if same("mk-0", fmt.Sprintf("mk-%d", i)) {
			t.Errorf("different Muhammad Khans mk-0 and mk-%d merged", i)
		}
	}
	size := map[int]int{}
	for i := base; i < len(recs); i++ {
		if strings.HasPrefix(recs[i].ID, "hub-") {
			size[res.Cluster[i]]++
		}
	}
	for c, n := range size {
		if n > 1 {
			t.Errorf("the shared number merged %d people into cluster %d", n, c)
		}
	}
	var expl string
	for _, m := range res.Matches {
		if recs[m.A].ID == "fia-1" && recs[m.B].ID == "anf-7" || recs[m.B].ID == "fia-1" && recs[m.A].ID == "anf-7" {
			expl = m.Explanation
		}
	}
	if !strings.Contains(expl, "idNumber exact") || !strings.Contains(expl, "name") {
		t.Errorf("explanation = %q", expl)
	}
}

func TestPersonIsNeverOrganisation(t *testing.T) {
	recs, _ := synthRecords(3, 500, 0.5)
	recs = append(recs,
		person("a", "name", "Al Noor Traders", "schema", "company", "phone", "03001234567"),
		person("b", "name", "Al Noor Traders", "schema", "person", "phone", "03001234567"))
	res, err := Run(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := len(recs)
	if res.Cluster[n-1] == res.Cluster[n-2] {
		t.Errorf("a person and a company were merged")
	}
}

func TestOneEdit(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"1234567", "1234567", true}, {"1234567", "1234568", true}, {"1234567", "1243567", true},
		{"1234567", "123456", true}, {"1234567", "12345678", true}, {"1234567", "1234576", true},
		{"1234567", "2134576", false}, {"1234567", "1235467x", false}, {"12345", "54321", false},
	} {
		if got := oneEdit(c.a, c.b); got != c.want {
			t.Errorf("oneEdit(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

// FEBRL's data sets live outside the repository (../shared/data/febrl).
func febrl(t testing.TB, files ...string) ([]Record, []int) {
	dir := filepath.Join("..", "..", "shared", "data", "febrl")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("FEBRL data not found at %s: skipping the FEBRL benchmark", dir)
	}
	id := regexp.MustCompile(`rec-(\d+)`)
	var recs []Record
	var truth []int
	for src, f := range files {
		fh, err := os.Open(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(fh)
		cr.TrimLeadingSpace = true
		rows, err := cr.ReadAll()
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows[1:] {
			r := Record{ID: row[0], Source: src}
			r.Add("firstName", row[1])
			r.Add("lastName", row[2])
			r.Add("street", row[3])
			r.Add("street", row[4])
			r.Add("address", row[5])
			r.Add("city", row[6])
			r.Add("postalCode", row[7])
			r.Add("region", row[8])
			r.Add("birthDate", row[9])
			r.Add("idNumber", row[10])
			recs = append(recs, r)
			var n int
			fmt.Sscan(id.FindStringSubmatch(row[0])[1], &n)
			truth = append(truth, n)
		}
	}
	return recs, truth
}

func TestFEBRL4(t *testing.T) {
	recs, truth := febrl(t, "dataset4a.csv", "dataset4b.csv")
	start := time.Now()
	res, err := Run(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	p, r, f := f1(t, pairsOf(res), truth)
	t.Logf("FEBRL-4: %d records in %v on %d CPUs: precision %.4f recall %.4f F1 %.4f", len(recs), took, runtime.GOMAXPROCS(0), p, r, f)
	if f < 0.999 {
		t.Errorf("FEBRL-4 F1 %.4f, want at least 0.999", f)
	}
}

func TestFEBRL3(t *testing.T) {
	recs, truth := febrl(t, "dataset3.csv")
	res, err := Run(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, r, f := f1(t, pairsOf(res), truth)
	t.Logf("FEBRL-3: precision %.4f recall %.4f F1 %.4f", p, r, f)
	if f < 0.995 {
		t.Errorf("FEBRL-3 F1 %.4f, want at least 0.995", f)
	}
}

func BenchmarkFEBRL4(b *testing.B) {
	recs, _ := febrl(b, "dataset4a.csv", "dataset4b.csv")
	for b.Loop() {
		if _, err := Run(recs, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestScale deduplicates RABTA_BENCH_MATCH_RECORDS synthetic people (one
// million for the figure in docs/benchmarks.md) and reports time, peak
// memory and quality. It is skipped unless the variable is set.
func TestScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("RABTA_BENCH_MATCH_RECORDS"))
	if n == 0 {
		t.Skip("set RABTA_BENCH_MATCH_RECORDS=1000000 to run")
	}
	recs, truth := synthRecords(11, n, 0.5)
	runtime.GC()
	start := time.Now()
	res, err := Run(recs, Options{Progress: func(stage string, done, total int) {
		if done == total {
			t.Logf("%8.1fs %s", time.Since(start).Seconds(), stage)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	p, r, f := f1(t, pairsOf(res), truth)
	t.Logf("%d records, %d candidates, %d hub keys dropped: %v on %d CPUs, peak RSS %s; precision %.4f recall %.4f F1 %.4f",
		n, res.Stats.Candidates, res.Stats.HubKeys, took.Round(time.Millisecond), runtime.GOMAXPROCS(0), peakRSS(), p, r, f)
}

// peakRSS reads the process's peak resident set size from /proc.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}

func TestScorer(t *testing.T) {
	recs, _ := synthRecords(21, 3000, 0.5)
	sc, err := Train(recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	same := sc.Score(person("a", "name", "Muhammad Asif s/o Abdul Rehman", "birthDate", "1985-03-12", "idNumber", "3520212345671"),
		person("b", "name", "Mohd Asif", "fatherName", "Abdur Rahman", "birthDate", "12/03/1985"))
	other := sc.Score(person("a", "name", "Muhammad Asif s/o Abdul Rehman", "birthDate", "1985-03-12"),
		person("c", "name", "Muhammad Arif", "fatherName", "Ghulam Nabi", "birthDate", "1971-08-30"))
	cnic := sc.Score(person("a", "name", "Muhammad Asif", "idNumber", "3520212345671"), person("d", "name", "M. Asif Khan", "idNumber", "35202-1234567-1"))
	t.Logf("same %.3f (%s); other %.3f; cnic %.3f", same.Probability, same.Explanation, other.Probability, cnic.Probability)
	if same.Probability < 0.9 || other.Probability > 0.1 || cnic.Probability < 0.99 {
		t.Errorf("same %.3f, other %.3f, same CNIC %.3f", same.Probability, other.Probability, cnic.Probability)
	}
	if !strings.Contains(same.Explanation, "name") {
		t.Errorf("explanation %q", same.Explanation)
	}
}
