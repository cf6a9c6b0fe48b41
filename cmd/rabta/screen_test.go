package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// testSanctionsList is a small list in the UN consolidated list format.
const testSanctionsList = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <FIRST_NAME>HAFIZ</FIRST_NAME>
      <SECOND_NAME>MUHAMMAD</SECOND_NAME>
      <THIRD_NAME>SAEED</THIRD_NAME>
      <REFERENCE_NUMBER>QDi.263</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>حافظ محمد سعید</NAME_ORIGINAL_SCRIPT>
      <NATIONALITY><VALUE>Pakistan</VALUE></NATIONALITY>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Hafiz Mohammad Sayeed</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Hafiz Ji</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1950-06-05</DATE></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>2</DATAID>
      <FIRST_NAME>MUHAMMAD</FIRST_NAME>
      <SECOND_NAME>KHAN</SECOND_NAME>
      <REFERENCE_NUMBER>QDi.901</REFERENCE_NUMBER>
      <NATIONALITY><VALUE>Afghanistan</VALUE></NATIONALITY>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1965</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>3</DATAID>
      <FIRST_NAME>MUHAMMAD</FIRST_NAME>
      <SECOND_NAME>KHAN</SECOND_NAME>
      <REFERENCE_NUMBER>QDi.902</REFERENCE_NUMBER>
      <NATIONALITY><VALUE>Pakistan</VALUE></NATIONALITY>
      <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1979</FROM_YEAR><TO_YEAR>1981</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>4</DATAID>
      <FIRST_NAME>MUHAMMAD</FIRST_NAME>
      <SECOND_NAME>ZULFIQAR</SECOND_NAME>
      <THIRD_NAME>KHAN</THIRD_NAME>
      <REFERENCE_NUMBER>QDi.903</REFERENCE_NUMBER>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <DATAID>5</DATAID>
      <FIRST_NAME>ABDUL GHANI</FIRST_NAME>
      <SECOND_NAME>BARADAR</SECOND_NAME>
      <REFERENCE_NUMBER>TAi.024</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT>عبدالغنی برادر</NAME_ORIGINAL_SCRIPT>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Mullah Baradar Akhund</ALIAS_NAME></INDIVIDUAL_ALIAS>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>6</DATAID>
      <FIRST_NAME>LASHKAR-E-TAYYIBA</FIRST_NAME>
      <REFERENCE_NUMBER>QDe.118</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Lashkar-e-Toiba</ALIAS_NAME></ENTITY_ALIAS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
`

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestScreenOne(t *testing.T) {
	dir := t.TempDir()
	list := writeFile(t, dir, "un.xml", testSanctionsList)

	out, err := run(t, "", "screen", "--list", list, "--name", "Hafiz Mohammed Saeed", "--birth-date", "05/06/1950")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "RANK") || !strings.Contains(lines[1], "QDi.263") || !strings.Contains(lines[1], "HAFIZ MUHAMMAD SAEED") ||
		!strings.Contains(lines[1], "birth date exact") {
		t.Fatalf("table:\n%s", out)
	}

	// --json: exactly the contract's fields. An Urdu query finds the entry.
	out, err = run(t, "", "screen", "--list", list, "--name", "حافظ محمد سعید", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if keys := mapKeys(doc); !slices.Equal(keys, []string{"candidates", "query"}) {
		t.Fatalf("top-level keys %v", keys)
	}
	var q map[string]any
	json.Unmarshal(doc["query"], &q)
	if q["name"] != "حافظ محمد سعید" {
		t.Errorf("query = %v", q)
	}
	var cs []map[string]any
	json.Unmarshal(doc["candidates"], &cs)
	if len(cs) == 0 {
		t.Fatalf("no candidates: %s", out)
	}
	if keys := mapKeys(cs[0]); !slices.Equal(keys, []string{"list_id", "matched", "name", "score"}) {
		t.Fatalf("candidate keys %v", keys)
	}
	if cs[0]["list_id"] != "QDi.263" || cs[0]["name"] != "HAFIZ MUHAMMAD SAEED" || cs[0]["matched"] != "حافظ محمد سعید" {
		t.Errorf("first candidate %v", cs[0])
	}
	if s, ok := cs[0]["score"].(float64); !ok || s <= 0.5 || s > 1 {
		t.Errorf("score %v", cs[0]["score"])
	}

	// Nothing found is an empty list, not null; in the table, a sentence.
	out, err = run(t, "", "screen", "--list", list, "--name", "Jane Doe", "--json")
	if err != nil || !strings.Contains(out, `"candidates": []`) {
		t.Errorf("no candidates: %v %s", err, out)
	}
	out, err = run(t, "", "screen", "--list", list, "--name", "Jane Doe")
	if err != nil || !strings.Contains(out, "no candidates") {
		t.Errorf("no candidates: %v %s", err, out)
	}

	// Two listed Muhammad Khans: the birth date decides which comes first;
	// Muhammad Zulfiqar Khan comes after them, below 0.5.
	out, err = run(t, "", "screen", "--list", list, "--name", "Mohammad Khan", "--birth-date", "1980", "--json")
	if err != nil {
		t.Fatal(err, out)
	}
	var res struct {
		Candidates []struct {
			ListID string  `json:"list_id"`
			Score  float64 `json:"score"`
		} `json:"candidates"`
	}
	json.Unmarshal([]byte(out), &res)
	var ids []string
	for _, c := range res.Candidates {
		ids = append(ids, c.ListID)
		if c.ListID == "QDi.903" && c.Score >= 0.5 {
			t.Errorf("Muhammad Zulfiqar Khan scores %.3f for Mohammad Khan", c.Score)
		}
	}
	if len(ids) < 2 || ids[0] != "QDi.902" || ids[1] != "QDi.901" {
		t.Errorf("Mohammad Khan born 1980: %v\n%s", ids, out)
	}
	// --top and --min-score.
	out, _ = run(t, "", "screen", "--list", list, "--name", "Muhammad Khan", "--top", "1", "--min-score", "0", "--json")
	json.Unmarshal([]byte(out), &res)
	if len(res.Candidates) != 1 {
		t.Errorf("--top 1: %s", out)
	}
	// Organisations, and --schema keeps persons out.
	out, err = run(t, "", "screen", "--list", list, "--name", "Lashkar e Taiba", "--schema", "organization")
	if err != nil || !strings.Contains(out, "QDe.118") {
		t.Errorf("organisation: %v %s", err, out)
	}
}

func mapKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func TestScreenBatch(t *testing.T) {
	dir := t.TempDir()
	list := writeFile(t, dir, "un.xml", testSanctionsList)
	in := writeFile(t, dir, "customers.csv", `ref,full_name,first,last,dob,country,kind,phone
c1,Hafiz Mohammad Saeed,,,1950-06-05,Pakistani,,0300
c2,,Muhammad,Khan,1965,AF,person,
c3,عبدالغنی برادر,,,,,,
c4,Jane Doe,,,unknown,,,
c5,Lashkar-e-Toiba,,,,,organization,
`)
	res := filepath.Join(dir, "results.csv")
	out, err := run(t, "", "screen", "--list", list, "--in", in, "--id", "ref",
		"--map", "full_name=name,first=firstName,last=lastName", "--map", "dob=birthDate,country=nationality,kind=schema,phone=phone",
		"--out", res)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, "screened 5 subjects") {
		t.Errorf("no progress: %s", out)
	}
	rows := readCSV(t, res)
	if !reflect.DeepEqual(rows[0], []string{"query", "rank", "list_id", "name", "score"}) {
		t.Fatalf("header %q", rows[0])
	}
	first := map[string][]string{}
	perQuery := map[string]int{}
	for _, r := range rows[1:] {
		perQuery[r[0]]++
		if r[1] == "1" {
			first[r[0]] = r
		}
		if perQuery[r[0]] > 5 {
			t.Errorf("more than 5 rows for %s", r[0])
		}
	}
	for q, want := range map[string]string{"c1": "QDi.263", "c2": "QDi.901", "c3": "TAi.024", "c5": "QDe.118"} {
		if first[q] == nil || first[q][2] != want {
			t.Errorf("%s: first candidate %v, want %s", q, first[q], want)
		}
	}
	if first["c1"][3] != "HAFIZ MUHAMMAD SAEED" {
		t.Errorf("name column: %v", first["c1"])
	}
	if perQuery["c4"] != 0 {
		t.Errorf("Jane Doe has %d candidates", perQuery["c4"])
	}

	// Standard output when --out is not given, and TSV input.
	tsv := writeFile(t, dir, "q.tsv", "id\tname\nx\tMullah Baradar\n")
	out, err = run(t, "", "screen", "--list", list, "--in", tsv, "--id", "id", "--map", "name=name", "-q")
	if err != nil || !strings.HasPrefix(out, "query,rank,list_id,name,score\nx,1,TAi.024,") {
		t.Errorf("stdout: %v\n%s", err, out)
	}
}

func TestScreenErrors(t *testing.T) {
	dir := t.TempDir()
	list := writeFile(t, dir, "un.xml", testSanctionsList)
	badXML := writeFile(t, dir, "bad.xml", strings.Replace(testSanctionsList, "<THIRD_NAME>SAEED</THIRD_NAME>", "<THIRD_NAME>SAEED</THIRD>", 1))
	good := writeFile(t, dir, "q.csv", "ref,name,dob\n1,Hafiz Saeed,1950\n")
	ragged := writeFile(t, dir, "ragged.csv", "ref,name,dob\n1,Hafiz Saeed,1950\n2,\"Muhammad Khan,1960\n")
	short := writeFile(t, dir, "short.csv", "ref,name,dob\n1,Hafiz Saeed,1950\n2,Muhammad Khan\n")
	noName := writeFile(t, dir, "noname.csv", "ref,name,dob\n1,Hafiz Saeed,1950\n2,,1960\n")
	badDate := writeFile(t, dir, "baddate.csv", "ref,name,dob\n1,Hafiz Saeed,1950\n2,Muhammad Khan,31/02/1960\n")
	empty := writeFile(t, dir, "empty.csv", "")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "X"}, "--list FILE is required"},
		{[]string{"--list", filepath.Join(dir, "missing.xml"), "--name", "X"}, "missing.xml: no such file"},
		{[]string{"--list", badXML, "--name", "X"}, "bad.xml:8: XML syntax error"},
		{[]string{"--list", list}, "give --name NAME"},
		{[]string{"--list", list, "--name", ""}, "--name is empty"},
		{[]string{"--list", list, "--name", "--"}, "has no letters"},
		{[]string{"--list", list, "--name", "X", "--birth-date", "31/02/1990"}, `--birth-date "31/02/1990" is not a date`},
		{[]string{"--list", list, "--name", "X", "--schema", "vessel"}, `--schema "vessel"`},
		{[]string{"--list", list, "--name", "X", "--min-score", "2"}, "--min-score 2"},
		{[]string{"--list", list, "--name", "X", "--in", good}, "not both"},
		{[]string{"--list", list, "--name", "X", "--out", "x.csv"}, "go with --in"},
		{[]string{"--list", list, "--in", good, "--map", "name=name"}, "--id COLUMN is required"},
		{[]string{"--list", list, "--in", good, "--id", "ref", "--map", "name=fullName"}, `unknown property "fullName"`},
		{[]string{"--list", list, "--in", good, "--id", "ref"}, "no --map"},
		{[]string{"--list", list, "--in", good, "--id", "nope", "--map", "name=name"}, `q.csv:1: no column "nope"`},
		{[]string{"--list", list, "--in", ragged, "--id", "ref", "--map", "name=name"}, "ragged.csv:3"},
		{[]string{"--list", list, "--in", short, "--id", "ref", "--map", "name=name"}, "short.csv:3: 2 fields, the header has 3"},
		{[]string{"--list", list, "--in", noName, "--id", "ref", "--map", "name=name,dob=birthDate"}, "noname.csv:3: no name to screen"},
		{[]string{"--list", list, "--in", badDate, "--id", "ref", "--map", "name=name,dob=birthDate"}, `baddate.csv:3: birthDate "31/02/1960" is not a date`},
		{[]string{"--list", list, "--in", empty, "--id", "ref", "--map", "name=name"}, "empty.csv: the file is empty"},
		{[]string{"--list", list, "--in", good, "--id", "ref", "--map", "name=name", "--json"}, "--json is for one subject"},
	} {
		out, err := run(t, "", append([]string{"screen"}, c.args...)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("rabta screen %s: %v (want %q)\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
	if out, err := run(t, "", "screen", "--help"); err != nil || !strings.Contains(out, "query,rank,list_id,name,score") {
		t.Errorf("help: %v %s", err, out)
	}
}

// TestScreenUN screens against the real list when it is at hand.
func TestScreenUN(t *testing.T) {
	const un = "../../../shared/data/un-sc-consolidated/UN_consolidated.xml"
	if _, err := os.Stat(un); err != nil {
		t.Skipf("SKIPPING: the UN list is not at %s", un)
	}
	out, err := run(t, "", "screen", "--list", un, "--name", "حافظ محمد سعید", "--top", "1", "--json")
	if err != nil || !strings.Contains(out, `"list_id": "QDi.263"`) {
		t.Errorf("%v\n%s", err, out)
	}
}
