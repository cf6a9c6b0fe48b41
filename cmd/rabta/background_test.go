package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/screen"
	"github.com/rabta/rabta/sqlstore"
)

const miniList = `<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
<INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><VERSIONNUM>1</VERSIONNUM><FIRST_NAME>HAFIZ ABDUL</FIRST_NAME><SECOND_NAME>RAHMAN</SECOND_NAME><THIRD_NAME>MAKKI</THIRD_NAME>
<UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE><REFERENCE_NUMBER>QDi.421</REFERENCE_NUMBER><LISTED_ON>2023-01-16</LISTED_ON>
<NAME_ORIGINAL_SCRIPT>حافظ عبد الرحمن مکی</NAME_ORIGINAL_SCRIPT>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><YEAR>1954</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<NATIONALITY><VALUE>Pakistan</VALUE></NATIONALITY></INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES/>
</CONSOLIDATED_LIST>`

// TestSanctionsImportAndScreening: rabta import --format un-sc loads the
// list; a new record is screened against it and raises an alert with the
// evidence; a second load is a new version.
func TestSanctionsImportAndScreening(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "r.db")
	xml := filepath.Join(dir, "un.xml")
	os.WriteFile(xml, []byte(miniList), 0o644)
	out, err := run(t, "", "import", "--format", "un-sc", xml, "--db", db)
	if err != nil || !strings.Contains(out, "version 1: 1 entries (1 added") {
		t.Fatalf("import: %q, %v", out, err)
	}
	out, err = run(t, "", "import", "--format", "un-sc", xml, "--db", db)
	if err != nil || !strings.Contains(out, "version 2: 1 entries (0 added, 0 removed, 0 changed)") {
		t.Fatalf("second import: %q, %v", out, err)
	}
	bad := filepath.Join(dir, "bad.xml")
	os.WriteFile(bad, []byte("<html></html>"), 0o644)
	if _, err := run(t, "", "import", "--format", "un-sc", bad, "--db", db); err == nil || !strings.Contains(err.Error(), "bad.xml") {
		t.Errorf("bad list: %v", err)
	}

	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateAgency(ctx, sqlstore.System, &rabta.Agency{Code: "FIA", Name: "FIA"}); err != nil {
		t.Fatal(err)
	}
	fia := rabta.Principal{Username: "fia.analyst", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
	for _, name := range []string{"Hafiz Abdur Rehman Makki", "Bilal Ahmed Qureshi"} {
		if err := s.CreateRecord(ctx, fia, &rabta.Record{Schema: "Person", Properties: map[string][]string{"name": {name}, "nationality": {"pk"}},
			Marking: rabta.Marking{Release: rabta.ReleaseOriginator}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := screenPending(ctx, s, &screen.Cache{}); err != nil {
		t.Fatal(err)
	}
	as, err := s.ScreeningAlerts(ctx, fia, 0)
	if err != nil || len(as) != 1 || as[0].ListID != "QDi.421" || as[0].Caption != "Hafiz Abdur Rehman Makki" || !strings.Contains(as[0].Evidence, "name") {
		t.Fatalf("alerts = %+v, %v", as, err)
	}
}
