package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
)

func cnic(t *testing.T, v string) ident.Identifier {
	t.Helper()
	n, err := ident.Normalize(ident.CNIC, v)
	if err != nil {
		t.Fatal(err)
	}
	return ident.Identifier{Kind: ident.CNIC, Value: n}
}

func TestDeconflictBothSides(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		// ANF holds a man under its own originator-only marking.
		held := mustCreate(t, s, f.anf, person("Mohd. Asif s/o Abdur Rahman", map[string][]string{
			"idNumber": {"35202-1234567-1"}, "birthDate": {"1985-03-12"}}, rabta.Marking{Release: rabta.ReleaseOriginator}))

		// FIA checks the CNIC: the hit names ANF, its contact, strength and
		// what matched — and nothing of the record.
		hits, err := s.Deconflict(ctx, f.fia, DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "3520212345671")}, Purpose: "case FIA-2026-17"})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 1 || hits[0].Agency != "ANF" || hits[0].Strength != "strong" || !slices.Equal(hits[0].MatchedOn, []string{"cnic"}) || hits[0].Contact.Desk != "ANF intelligence" {
			t.Fatalf("hits = %+v", hits)
		}
		body, _ := json.Marshal(hits)
		for _, leak := range []string{held.ID, "Asif", "3520212345671", "1985"} {
			if bytes.Contains(body, []byte(leak)) {
				t.Errorf("hit carries %q: %s", leak, body)
			}
		}
		// A likely-same person by name and father's name, spelt otherwise.
		hits, err = s.Deconflict(ctx, f.fia, DeconflictQuery{Name: "Muhammad Asif", FatherName: "Abdul Rehman", Purpose: "tip-off 44"})
		if err != nil || len(hits) != 1 || hits[0].MatchedOn[0] != "name+fatherName" {
			t.Fatalf("name+father hits = %+v, %v", hits, err)
		}
		// ... and by name and birth date written D/M/Y.
		hits, err = s.Deconflict(ctx, f.fia, DeconflictQuery{Name: "Asif Muhammad", BirthDate: "12/03/1985", Purpose: "tip-off 45"})
		if err != nil || len(hits) != 1 || hits[0].MatchedOn[0] != "name+birthDate" {
			t.Fatalf("name+birth hits = %+v, %v", hits, err)
		}
		// No hit: another CNIC, the holder's own agency.
		if hits, _ := s.Deconflict(ctx, f.fia, DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "3520212345679")}, Purpose: "x"}); len(hits) != 0 {
			t.Errorf("different CNIC hit: %+v", hits)
		}
		if hits, _ := s.Deconflict(ctx, f.anf, DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "3520212345671")}, Purpose: "x"}); len(hits) != 0 {
			t.Errorf("own agency's record is not a hit: %+v", hits)
		}

		// The holder's desk learns who asked, when, why, and which record.
		inbox, err := s.Hits(ctx, f.anf, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []HitView
		for _, h := range inbox {
			if h.Direction == "received" {
				got = append(got, h)
			}
		}
		if len(got) != 3 || got[2].Purpose != "case FIA-2026-17" || got[2].AskedBy != "fia.analyst (FIA)" || !slices.Equal(got[2].Records, []string{held.ID}) || got[2].Contact.Desk != "FIA duty desk" {
			t.Fatalf("ANF inbox = %+v", inbox)
		}
		// The searcher's inbox holds its sent hits, without any record.
		sent, err := s.Hits(ctx, f.fia, 0)
		if err != nil || len(sent) != 3 || sent[0].Direction != "sent" || sent[0].Agency != "ANF" || sent[0].Records != nil || sent[0].Purpose != "" {
			t.Fatalf("FIA inbox = %+v, %v", sent, err)
		}
		// Bad checks.
		for _, q := range []DeconflictQuery{
			{Selectors: []ident.Identifier{cnic(t, "3520212345671")}},
			{Name: "Asif", Purpose: "one word and nothing else"},
		} {
			if _, err := s.Deconflict(ctx, f.fia, q); rabta.ErrorCode(err) != rabta.EInvalid {
				t.Errorf("Deconflict(%+v) = %v, want invalid", q, err)
			}
		}
		if _, err := s.Deconflict(ctx, f.auditor, DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "3520212345671")}, Purpose: "x"}); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Errorf("auditor check: %v", err)
		}
		// Every check is audited, with the kinds and never the values.
		var checks int
		for _, e := range allEvents(t, s) {
			if e.Action == rabta.ActDeconflict {
				checks++
				if strings.Contains(e.Query, "3520212345671") {
					t.Errorf("audit event carries the CNIC: %+v", e)
				}
			}
		}
		if checks != 5 {
			t.Errorf("%d deconflict events, want 5", checks)
		}
		// The index holds no identifier in clear.
		var n int
		if err := s.db.QueryRow(s.q("SELECT count(*) FROM selectors WHERE kind = ?"), "cnic").Scan(&n); err != nil || n != 1 {
			t.Fatalf("cnic selectors = %d, %v", n, err)
		}
		var h []byte
		if err := s.db.QueryRow("SELECT hash FROM selectors WHERE kind = 'cnic'").Scan(&h); err != nil || bytes.Contains(h, []byte("3520212345671")) || len(h) != 16 {
			t.Errorf("index entry = %x, %v", h, err)
		}
	})
}

func TestDeconflictInformantIsSilent(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		inf := mustCreate(t, s, f.anf, person("Bilal Ahmed", map[string][]string{"idNumber": {"6110112345673"}},
			rabta.Marking{Release: rabta.ReleaseOriginator, Categories: []rabta.Category{rabta.CatInformant}}))
		hits, err := s.Deconflict(ctx, f.fia, DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "61101-1234567-3")}, Purpose: "op Kite"})
		if err != nil || len(hits) != 0 {
			t.Fatalf("informant hit reached the searcher: %+v, %v", hits, err)
		}
		sent, _ := s.Hits(ctx, f.fia, 0)
		if len(sent) != 0 {
			t.Errorf("searcher inbox shows a silent hit: %+v", sent)
		}
		// The holder's cleared analyst is told; its protection officer,
		// who may not know of informants, is not.
		got, _ := s.Hits(ctx, f.anf, 0)
		if len(got) != 1 || got[0].Purpose != "op Kite" || got[0].Records[0] != inf.ID {
			t.Errorf("holder inbox = %+v", got)
		}
		if got, _ := s.Hits(ctx, f.anfProt, 0); len(got) != 0 {
			t.Errorf("protection officer sees the informant hit: %+v", got)
		}
	})
}

func TestRecordAndImportMakeHits(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		mustCreate(t, s, f.anf, person("Zahid Khan", map[string][]string{"idNumber": {"4210112345675"}}, rabta.Marking{Release: rabta.ReleaseAll}))
		// FIA records the same CNIC: FIA learns of ANF at once.
		r := person("Zahid Khan Afridi", map[string][]string{"idNumber": {"42101-1234567-5"}}, rabta.Marking{Release: rabta.ReleaseOriginator})
		hits, err := s.CreateRecordHits(ctx, f.fia, r)
		if err != nil || len(hits) != 1 || hits[0].Agency != "ANF" {
			t.Fatalf("create hits = %+v, %v", hits, err)
		}
		// An edit that adds a phone ANF also holds alerts again; an edit
		// that changes nothing the index holds does not.
		mustCreate(t, s, f.anf, &rabta.Record{Schema: "Phone", Properties: map[string][]string{"number": {"+923001234567"}}, Marking: rabta.Marking{Release: rabta.ReleaseAll}})
		count := func() int {
			var n int
			if err := s.db.QueryRow("SELECT count(*) FROM hits WHERE searcher_agency = 'FIA'").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		r.Properties["notes"] = []string{"seen in Karachi"}
		if err := s.UpdateRecord(ctx, f.fia, r); err != nil {
			t.Fatal(err)
		}
		if count() != before {
			t.Errorf("an edit that adds no selector made hits")
		}
		// An import meets ANF's records too, one hit per imported record.
		lines := `{"id":"imp-1","schema":"Phone","properties":{"number":["0300-1234567"]}}
{"id":"imp-2","schema":"Person","properties":{"name":["Nobody Known"]}}
`
		n, err := s.Import(ctx, f.fia, jsonLines(t, lines), ImportOptions{})
		if err != nil || n != 2 {
			t.Fatalf("import = %d, %v", n, err)
		}
		var subject, matched string
		if err := s.db.QueryRow("SELECT subject, matched_on FROM hits WHERE origin = 'import'").Scan(&subject, &matched); err != nil || subject != "imp-1" || matched != "phone" {
			t.Errorf("import hit = %q %q, %v", subject, matched, err)
		}
		if err := s.db.QueryRow("SELECT subject FROM hits WHERE origin = 'import' AND subject = 'imp-2'").Scan(&subject); err != sql.ErrNoRows {
			t.Errorf("imp-2 should hit nothing: %v", err)
		}
	})
}

// jsonLines feeds FtM-style JSON lines to Import.
func jsonLines(t *testing.T, s string) func() (*rabta.Record, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	return func() (*rabta.Record, error) {
		var r rabta.Record
		if err := dec.Decode(&r); err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			t.Fatal(err)
		}
		r.Marking = rabta.Marking{Release: rabta.ReleaseAll}
		return &r, nil
	}
}

func TestIndexKeyMismatch(t *testing.T) {
	dir := t.TempDir() + "/rabta.db"
	s := openTest(t, dir)
	if err := s.SetIndexKey([]byte("short")); err == nil {
		t.Errorf("a short key was accepted")
	}
	if err := s.SetIndexKey([]byte(strings.Repeat("k", 32))); err != nil {
		t.Fatal(err)
	}
	f := setup(t, s)
	mustCreate(t, s, f.anf, person("Zahid Khan", map[string][]string{"idNumber": {"4210112345675"}}, rabta.Marking{Release: rabta.ReleaseAll}))
	s2 := openTest(t, dir)
	if err := s2.SetIndexKey([]byte(strings.Repeat("x", 32))); err != nil {
		t.Fatal(err)
	}
	_, err := s2.Deconflict(context.Background(), f.fia, DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "4210112345675")}, Purpose: "x"})
	if err == nil || !strings.Contains(err.Error(), "not the key") {
		t.Errorf("another key: %v", err)
	}
}

func TestSearchMakesHits(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := WithRequest(context.Background(), Request{Purpose: "case 9"})
		mustCreate(t, s, f.anf, person("Zahid Khan", map[string][]string{"idNumber": {"4210112345675"}}, rabta.Marking{Release: rabta.ReleaseOriginator}))
		for _, q := range []string{"42101-1234567-5", "42101-1234567-5 z", "42101-1234567-5 za", "Zahid"} {
			if _, err := s.Search(ctx, f.fia, SearchQuery{Q: q}); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		var purpose string
		if err := s.db.QueryRow("SELECT count(*), max(purpose) FROM hits WHERE origin = 'search'").Scan(&n, &purpose); err != nil || n != 1 || purpose != "case 9" {
			t.Errorf("search hits = %d %q, %v; want one, however often the live search repeats", n, purpose, err)
		}
	})
}

func TestRebuildIndexWithNewKey(t *testing.T) {
	dir := t.TempDir() + "/rabta.db"
	s := openTest(t, dir)
	f := setup(t, s)
	mustCreate(t, s, f.anf, person("Zahid Khan", map[string][]string{"idNumber": {"4210112345675"}}, rabta.Marking{Release: rabta.ReleaseAll}))
	// Another key: refused until the index is rebuilt with it.
	s2 := openTest(t, dir)
	if err := s2.SetIndexKey([]byte(strings.Repeat("n", 32))); err != nil {
		t.Fatal(err)
	}
	q := DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "4210112345675")}, Purpose: "x"}
	if _, err := s2.Deconflict(context.Background(), f.fia, q); err == nil {
		t.Fatal("a new key worked before the rebuild")
	}
	if n, err := s2.RebuildIndex(context.Background(), System); err != nil || n == 0 {
		t.Fatalf("rebuild: %d, %v", n, err)
	}
	if hits, err := s2.Deconflict(context.Background(), f.fia, q); err != nil || len(hits) != 1 {
		t.Errorf("after rebuild: %+v, %v", hits, err)
	}
}

// TestDeconflictLinkToInformant: a call record names a number in clear, but
// one of its ends is an informant's phone. The link is as hidden as its
// most hidden end, so a check on the number tells the searcher nothing.
func TestDeconflictLinkToInformant(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		inf := mustCreate(t, s, f.anf, &rabta.Record{Schema: "Phone", Properties: map[string][]string{"number": {"03001111111"}},
			Marking: rabta.Marking{Release: rabta.ReleaseOriginator, Categories: []rabta.Category{rabta.CatInformant}}})
		other := mustCreate(t, s, f.anf, &rabta.Record{Schema: "Phone", Properties: map[string][]string{"number": {"03002222222"}},
			Marking: rabta.Marking{Release: rabta.ReleaseOriginator}})
		mustCreate(t, s, f.anf, &rabta.Record{Schema: "Call", Properties: map[string][]string{
			"callerPhone": {inf.ID}, "receiverPhone": {other.ID}, "callerNumber": {"03001111111"}, "receiverNumber": {"03002222222"}},
			Marking: rabta.Marking{Release: rabta.ReleaseOriginator}})
		phone := ident.Identifier{Kind: ident.Phone, Value: "+923001111111"}
		hits, err := s.Deconflict(ctx, f.fia, DeconflictQuery{Selectors: []ident.Identifier{phone}, Purpose: "x"})
		if err != nil || len(hits) != 0 {
			t.Errorf("a check on the informant's number: %+v, %v; want no hit", hits, err)
		}
		// The receiver's number is an ordinary phone: a hit.
		hits, err = s.Deconflict(ctx, f.fia, DeconflictQuery{Selectors: []ident.Identifier{{Kind: ident.Phone, Value: "+923002222222"}}, Purpose: "x"})
		if err != nil || len(hits) != 1 {
			t.Errorf("a check on the ordinary number: %+v, %v", hits, err)
		}
	})
}
