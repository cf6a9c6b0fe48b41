package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rabta/rabta/internal/synth"
)

// writeSynth writes synthetic people split over two agencies' files, with
// different column names, and returns the files and the truth by record name.
func writeSynth(t *testing.T, dir string) (string, string, map[string]int) {
	t.Helper()
	es := synth.Duplicates(5, 1200, 1)
	truth := map[string]int{}
	files := [2]*csv.Writer{}
	paths := [2]string{filepath.Join(dir, "fia.csv"), filepath.Join(dir, "anf.tsv")}
	for i, p := range paths {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		w := csv.NewWriter(f)
		if i == 1 {
			w.Comma = '\t'
		}
		defer w.Flush()
		files[i] = w
	}
	files[0].Write([]string{"ref", "full_name", "father", "dob", "cnic", "mobile", "city"})
	files[1].Write([]string{"ref", "Name", "Father Name", "DOB", "CNIC", "Phone", "District"})
	get := func(v map[string][]string, p string) string {
		if len(v[p]) == 0 {
			return ""
		}
		return v[p][0]
	}
	for i, e := range es {
		k := i % 2
		files[k].Write([]string{e.ID, get(e.Values, "name"), get(e.Values, "fatherName"), get(e.Values, "birthDate"), get(e.Values, "idNumber"), get(e.Values, "phone"), get(e.Values, "city")})
		truth[[]string{"fia", "anf"}[k]+":"+e.ID] = e.Person
	}
	return paths[0], paths[1], truth
}

func TestLink(t *testing.T) {
	dir := t.TempDir()
	a, b, truth := writeSynth(t, dir)
	pairs, clusters := filepath.Join(dir, "pairs.csv"), filepath.Join(dir, "clusters.csv")
	out, err := run(t, "", "link", a, b, "--id", "ref",
		"--map", "full_name=name,Name=name", "--map", "father=fatherName", "--map", "Father Name=fatherName",
		"--map", "dob=birthDate,DOB=birthDate,cnic=idNumber,CNIC=idNumber,mobile=phone,Phone=phone,city=city,District=city",
		"--out", pairs, "--clusters", clusters, "--explain")
	if err != nil {
		t.Fatalf("link: %v\n%s", err, out)
	}
	if !strings.Contains(out, "candidate pairs") {
		t.Errorf("no progress on standard error: %q", out)
	}
	rows := readCSV(t, pairs)
	if strings.Join(rows[0], ",") != "left,right,score,explanation" {
		t.Fatalf("pairs header = %q", rows[0])
	}
	tp := 0
	for _, r := range rows[1:] {
		if truth[r[0]] == truth[r[1]] {
			tp++
		}
		if r[3] == "" {
			t.Fatalf("pair %v without explanation", r)
		}
	}
	want := map[int]int{}
	for _, p := range truth {
		want[p]++
	}
	trueN := 0
	for _, n := range want {
		trueN += n * (n - 1) / 2
	}
	prec, rec := float64(tp)/float64(len(rows)-1), float64(tp)/float64(trueN)
	if prec < 0.98 || rec < 0.95 {
		t.Errorf("precision %.3f recall %.3f", prec, rec)
	}
	cl := readCSV(t, clusters)
	if strings.Join(cl[0], ",") != "record,cluster" || len(cl)-1 != len(truth) {
		t.Errorf("clusters: header %q, %d rows for %d records", cl[0], len(cl)-1, len(truth))
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestLinkBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", "id,name\n1,Asif\n")
	empty := write("empty.csv", "")
	bad := write("bad.csv", "id,name\n1,Asif\n2,\"Bilal\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"link", good, "--map", "name=name"}, "--id COLUMN is required"},
		{[]string{"link", good, "--id", "id", "--map", "name=fullName"}, `--map "name=fullName": unknown property "fullName"`},
		{[]string{"link", good, "--id", "id"}, "no --map COLUMN=PROPERTY given"},
		{[]string{"link", empty, "--id", "id", "--map", "name=name"}, empty + ": the file is empty"},
		{[]string{"link", bad, "--id", "id", "--map", "name=name"}, bad + ":3: at character"},
		{[]string{"link", good, "--id", "id", "--map", "name=name", "--threshold", "1.5"}, "--threshold 1.5"},
		{[]string{"link", filepath.Join(dir, "missing.csv"), "--id", "id", "--map", "name=name"}, "no such file"},
	} {
		_, err := run(t, "", c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.args[1:], err, c.want)
		}
	}
	// One record links with nothing, and says so without failing.
	out, err := run(t, "", "link", good, "--id", "id", "--map", "name=name", "-q")
	if err != nil || out != "left,right,score\n" {
		t.Errorf("single record: %q, %v", out, err)
	}

}

func TestAgencyWebhook(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	if _, err := run(t, "", "agency", "add", "ANF", "--name", "Anti-Narcotics Force", "--db", db); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "", "agency", "set", "ANF", "--webhook", "https://desk.anf.example/rabta", "--db", db); err == nil || !strings.Contains(err.Error(), "--webhook-secret-file") {
		t.Errorf("webhook without a secret: %v", err)
	}
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("0123456789abcdef0123456789abcdef\n"), 0o600)
	out, err := run(t, "", "agency", "set", "ANF", "--webhook", "https://desk.anf.example/rabta", "--webhook-secret-file", secret, "--db", db)
	if err != nil || !strings.Contains(out, "webhook https://desk.anf.example/rabta") {
		t.Errorf("set webhook: %q, %v", out, err)
	}
	if _, err := run(t, "", "agency", "set", "ANF", "--webhook", "http://desk.anf.example/rabta", "--webhook-secret-file", secret, "--db", db); err == nil {
		t.Errorf("plain http accepted")
	}
	if out, err := run(t, "", "agency", "set", "ANF", "--webhook", "none", "--db", db); err != nil || !strings.Contains(out, "webhook removed") {
		t.Errorf("remove: %q, %v", out, err)
	}
}
