package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/cdr"
	"github.com/rabta/rabta/sqlstore"
)

// TestImportCDR: a call-record export becomes Phone records and Call links;
// the next, overlapping export adds only what is new; a bad row names its
// line and keeps nothing.
func TestImportCDR(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cdr.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if out, err := run(t, "", "agency", "add", "FIA", "--name", "FIA", "--db", db); err != nil {
		t.Fatal(err, out)
	}
	march := write("march.csv", "A Number,B Number,Direction,Start Time,Duration (sec),Cell ID,IMEI\n"+
		"03001234567,03217654321,Outgoing,01/03/2024 14:22:05,95,410-01-1-1,357805023984942\n"+
		"03001234567,03334445556,Incoming,01/03/2024 15:00:00,20,410-01-1-1,357805023984942\n"+
		"03001234567,8558,Incoming,01/03/2024 16:00:00,0,410-01-1-1,\n")
	out, err := run(t, "", "import", "--format", "cdr", march, "--agency", "FIA", "--db", db)
	if err != nil {
		t.Fatal(err, out)
	}
	if !strings.Contains(out, "2 calls read, 5 records imported") || !strings.Contains(out, `march.csv:4: other party "8558"`) {
		t.Fatalf("first import: %s", out)
	}
	// Overlapping export: one call already held, one new, one new number.
	overlap := write("overlap.csv", "A Number;B Number;Direction;Start Time;Duration (sec)\n"+
		"03001234567;03334445556;Incoming;01/03/2024 15:00:00;20\n"+
		"03001234567;03005556667;Outgoing;02/03/2024 09:00:00;300\n")
	out, err = run(t, "", "import", "--format", "cdr", overlap, "--agency", "FIA", "--db", db)
	if err != nil {
		t.Fatal(err, out)
	}
	if !strings.Contains(out, "2 calls read, 2 records imported") || !strings.Contains(out, "already held: 3") {
		t.Fatalf("overlapping import: %s", out)
	}
	bad := write("bad.csv", "a_number,b_number,start,duration\n03001234567,03009998887,2024-03-05 10:00:00,10\n03001234567,03009998887,someday,10\n")
	if out, err := run(t, "", "import", "--format", "cdr", bad, "--agency", "FIA", "--db", db); err == nil || !strings.Contains(err.Error(), "bad.csv:3: start:") {
		t.Fatalf("bad row: %v %s", err, out)
	}
	if _, err := run(t, "", "import", "--format", "cdr", bad, "--agency", "FIA", "--map", "x=nope", "--db", db); err == nil || !strings.Contains(err.Error(), `unknown field "nope"`) {
		t.Fatalf("bad --map: %v", err)
	}

	s, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	p := cliPrincipal("FIA")
	counts := map[string]int{}
	var calls []string
	if _, err := s.Export(ctx, p, func(r *rabta.Record) error {
		counts[r.Schema]++
		if r.Schema == "Call" {
			calls = append(calls, r.Properties["callerNumber"][0]+">"+r.Properties["receiverNumber"][0]+"@"+r.Properties["startDate"][0])
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if counts["Phone"] != 4 || counts["Call"] != 3 {
		t.Fatalf("stored %v", counts)
	}
	want := "+923334445556>+923001234567@2024-03-01T10:00:00"
	found := false
	for _, c := range calls {
		found = found || c == want
	}
	if !found {
		t.Errorf("incoming call not stored as %s: %v", want, calls)
	}
	if _, err := s.Record(ctx, p, cdr.PhoneID("FIA", "+923005556667")); err != nil {
		t.Errorf("phone of the second export: %v", err)
	}
}

// TestDemoCDR: the demo's call-record export imports as FIA and its
// numbers meet ANF's records of the same phones: hits for both.
func TestDemoCDR(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	file := filepath.Join(dir, "calls.csv")
	if out, err := run(t, "", "demo", "--db", db); err != nil {
		t.Fatal(err, out)
	}
	if out, err := run(t, "", "demo", "cdr", "-o", file); err != nil {
		t.Fatal(err, out)
	}
	again, err := run(t, "", "demo", "cdr")
	if err != nil {
		t.Fatal(err)
	}
	written, _ := os.ReadFile(file)
	if again != string(written) || strings.Count(again, "\n") < 40 {
		t.Fatalf("the demo export is not deterministic or too small (%d lines)", strings.Count(again, "\n"))
	}
	out, err := run(t, "", "import", "--format", "cdr", file, "--agency", "FIA", "--db", db)
	if err != nil || !strings.Contains(out, "rows skipped") {
		t.Fatal(err, out)
	}
	s, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, err := s.Hits(context.Background(), cliPrincipal("FIA"), 500)
	if err != nil {
		t.Fatal(err)
	}
	withANF := 0
	for _, h := range hits {
		if h.Origin == "import" && h.Direction == "sent" && h.Agency == "ANF" {
			withANF++
		}
	}
	if withANF == 0 {
		t.Fatalf("importing ANF's target's call records as FIA raised no hit with ANF (%d hits)", len(hits))
	}
}
