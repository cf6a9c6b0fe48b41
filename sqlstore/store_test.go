package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// forEachDB runs fn against a fresh, migrated SQLite database and a fresh,
// migrated PostgreSQL database: the one suite both must pass.
func forEachDB(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, openTest(t, filepath.Join(t.TempDir(), "rabta.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, openTest(t, pgtest.DSN(t)))
	})
}

func openTest(t testing.TB, dsn string) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// fixture creates agencies FIA, ANF and NGO and returns principals.
type fixture struct {
	fia, fiaLow, anf, anfProt, ngoProt, auditor, fiaAdmin rabta.Principal
}

func setup(t *testing.T, s *Store) fixture {
	t.Helper()
	ctx := context.Background()
	for _, a := range []rabta.Agency{
		{Code: "FIA", Name: "Federal Investigation Agency", Contact: rabta.Contact{Desk: "FIA duty desk", Phone: "+92511234567", Email: "desk@fia.example"}},
		{Code: "ANF", Name: "Anti-Narcotics Force", Contact: rabta.Contact{Desk: "ANF intelligence", Phone: "+92517654321"}},
		{Code: "NGO", Name: "Shelter NGO"},
	} {
		if err := s.CreateAgency(ctx, System, &a); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(name, agency string, c rabta.Classification, roles ...rabta.Role) rabta.Principal {
		u := &rabta.User{Username: name, Agency: agency, Roles: roles, Clearance: c}
		if err := s.CreateUser(ctx, System, u, "x"); err != nil {
			t.Fatal(err)
		}
		return rabta.PrincipalOf(u)
	}
	return fixture{
		fia:      mk("fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst),
		fiaLow:   mk("fia.junior", "FIA", rabta.Restricted, rabta.RoleAnalyst),
		anf:      mk("anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst),
		anfProt:  mk("anf.protection", "ANF", rabta.Secret, rabta.RoleProtection),
		ngoProt:  mk("ngo.protection", "NGO", rabta.Confidential, rabta.RoleProtection),
		auditor:  mk("auditor", "FIA", rabta.Secret, rabta.RoleAuditor),
		fiaAdmin: mk("fia.admin", "FIA", rabta.Secret, rabta.RoleAdmin),
	}
}

func person(name string, extra map[string][]string, m rabta.Marking) *rabta.Record {
	props := map[string][]string{"name": {name}}
	for k, v := range extra {
		props[k] = v
	}
	return &rabta.Record{Schema: "Person", Properties: props, Marking: m}
}

func mustCreate(t *testing.T, s *Store, p rabta.Principal, r *rabta.Record) *rabta.Record {
	t.Helper()
	if err := s.CreateRecord(context.Background(), p, r); err != nil {
		t.Fatalf("create %s: %v", r.Schema, err)
	}
	return r
}

func accessOf(t *testing.T, s *Store, p rabta.Principal, id string) rabta.Access {
	t.Helper()
	_, err := s.Record(context.Background(), p, id)
	var pe *PointerError
	switch {
	case err == nil:
		return rabta.AccessFull
	case errors.As(err, &pe):
		return rabta.AccessPointer
	case rabta.ErrorCode(err) == rabta.ENotFound:
		return rabta.AccessNone
	}
	t.Fatalf("read %s: %v", id, err)
	return ""
}

func TestRecordAccess(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		own := mustCreate(t, s, f.fia, person("Muhammad Asif", nil, rabta.Marking{}))
		rel := mustCreate(t, s, f.fia, person("Imran Qureshi", nil, rabta.Marking{Release: rabta.ReleaseAgencies, Agencies: []string{"ANF"}}))
		secret := mustCreate(t, s, f.fia, person("Tariq Mehmood", nil, rabta.Marking{Release: rabta.ReleaseAll, Classification: rabta.Secret}))
		victim := mustCreate(t, s, f.fia, person("Ayesha Bibi", nil, rabta.Marking{Release: rabta.ReleaseAgencies, Agencies: []string{"ANF", "NGO"}, Categories: []rabta.Category{rabta.CatVictim}}))
		informant := mustCreate(t, s, f.fia, person("Source Karachi-7", nil, rabta.Marking{Release: rabta.ReleaseAll, Categories: []rabta.Category{rabta.CatInformant}}))

		cases := []struct {
			name string
			p    rabta.Principal
			id   string
			want rabta.Access
		}{
			{"own agency", f.fia, own.ID, rabta.AccessFull},
			{"other agency, originator only", f.anf, own.ID, rabta.AccessPointer},
			{"released to ANF", f.anf, rel.ID, rabta.AccessFull},
			{"released to all but above clearance", f.fiaLow, secret.ID, rabta.AccessPointer},
			{"released to all within clearance", f.anf, secret.ID, rabta.AccessFull},
			{"victim: analyst of permitted agency", f.anf, victim.ID, rabta.AccessPointer},
			{"victim: protection of permitted agency", f.anfProt, victim.ID, rabta.AccessFull},
			{"victim: NGO protection officer", f.ngoProt, victim.ID, rabta.AccessFull},
			{"victim: holding agency analyst", f.fia, victim.ID, rabta.AccessPointer},
			{"protection officer on intelligence", f.anfProt, rel.ID, rabta.AccessPointer},
			{"informant: other agency", f.anf, informant.ID, rabta.AccessNone},
			{"informant: holding agency analyst", f.fia, informant.ID, rabta.AccessFull},
			{"auditor reads no records", f.auditor, own.ID, rabta.AccessNone},
			{"admin reads no records", f.fiaAdmin, own.ID, rabta.AccessNone},
			{"unknown id", f.fia, "0190a0a0-0000-7000-8000-000000000000", rabta.AccessNone},
		}
		for _, c := range cases {
			if got := accessOf(t, s, c.p, c.id); got != c.want {
				t.Errorf("%s: access %s, want %s", c.name, got, c.want)
			}
		}

		// The pointer names the holding agency and its contact, nothing else.
		_, err := s.Record(context.Background(), f.anf, own.ID)
		var pe *PointerError
		if !errors.As(err, &pe) || pe.Pointer.Agency != "FIA" || pe.Pointer.Contact.Desk != "FIA duty desk" {
			t.Fatalf("pointer = %+v, %v", pe, err)
		}
	})
}

func TestLinkNeedsBothEnds(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		all := rabta.Marking{Release: rabta.ReleaseAll}
		a := mustCreate(t, s, f.fia, person("Shahid Khan", nil, all))
		b := mustCreate(t, s, f.fia, person("Naveed Akhtar", nil, rabta.Marking{}))
		link := mustCreate(t, s, f.fia, &rabta.Record{Schema: "Associate", Marking: all,
			Properties: map[string][]string{"person": {a.ID}, "associate": {b.ID}}})
		if got := accessOf(t, s, f.fia, link.ID); got != rabta.AccessFull {
			t.Fatalf("holder sees link as %s", got)
		}
		// ANF sees a in full but b only as a pointer: the link is no more than a pointer.
		if got := accessOf(t, s, f.anf, link.ID); got != rabta.AccessPointer {
			t.Fatalf("ANF sees link as %s, want pointer", got)
		}
		inf := mustCreate(t, s, f.fia, person("Source-3", nil, rabta.Marking{Release: rabta.ReleaseAll, Categories: []rabta.Category{rabta.CatInformant}}))
		link2 := mustCreate(t, s, f.fia, &rabta.Record{Schema: "Associate", Marking: all,
			Properties: map[string][]string{"person": {a.ID}, "associate": {inf.ID}}})
		if got := accessOf(t, s, f.anf, link2.ID); got != rabta.AccessNone {
			t.Fatalf("ANF sees link to informant as %s, want none", got)
		}
		// A link must join records of the kinds its schema names.
		acct := mustCreate(t, s, f.fia, &rabta.Record{Schema: "BankAccount", Properties: map[string][]string{"accountNumber": {"0012345"}}})
		err := s.CreateRecord(context.Background(), f.fia, &rabta.Record{Schema: "Family",
			Properties: map[string][]string{"person": {a.ID}, "relative": {acct.ID}}})
		if rabta.ErrorCode(err) != rabta.EInvalid || !strings.Contains(err.Error(), "must refer to a Person") {
			t.Fatalf("family link to a bank account: %v", err)
		}
		// A link to a record the author cannot know of is refused like a missing one.
		err = s.CreateRecord(context.Background(), f.anf, &rabta.Record{Schema: "Associate",
			Properties: map[string][]string{"person": {a.ID}, "associate": {inf.ID}}})
		if rabta.ErrorCode(err) != rabta.EInvalid || !strings.Contains(err.Error(), "no record") {
			t.Fatalf("link to hidden record: %v", err)
		}
	})
}

func TestSearch(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		asif := mustCreate(t, s, f.fia, person("Muhammad Asif", map[string][]string{
			"idNumber": {"35202-1234567-1"}, "phone": {"0300 1234567"}, "fatherName": {"Abdul Rehman"}, "alias": {"محمد آصف"}}, rabta.Marking{}))
		mustCreate(t, s, f.fia, person("Kowalski Trading", nil, rabta.Marking{}))
		inf := mustCreate(t, s, f.fia, person("Mohammad Asif Informer", nil, rabta.Marking{Release: rabta.ReleaseAll, Categories: []rabta.Category{rabta.CatInformant}}))

		for _, q := range []string{"3520212345671", "35202-1234567-1", "+923001234567", "0300-1234567", "muhammad asif", "Mohammed Asif", "asif", "محمد آصف", "آصف", "Muhammad As", "1234567"} {
			res, err := s.Search(ctx, f.fia, SearchQuery{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			if !hasHit(res, asif.ID, rabta.AccessFull) {
				t.Errorf("FIA search %q: no full hit for Asif: %+v", q, res.Results)
			}
		}
		res, err := s.Search(ctx, f.fia, SearchQuery{Q: "kovalsky"})
		if err != nil || len(res.Results) != 1 || res.Results[0].Caption != "Kowalski Trading" {
			t.Errorf("fuzzy kovalsky: %+v %v", res, err)
		}
		// ANF: pointer hit for Asif without caption; nothing of the informant, not even in the count.
		res, err = s.Search(ctx, f.anf, SearchQuery{Q: "muhammad asif"})
		if err != nil {
			t.Fatal(err)
		}
		if !hasHit(res, asif.ID, rabta.AccessPointer) || res.Total != 1 || hasHit(res, inf.ID, rabta.AccessPointer) {
			t.Fatalf("ANF search muhammad asif: %+v", res)
		}
		if h := res.Results[0]; h.Caption != "" || h.Contact == nil || h.Contact.Desk != "FIA duty desk" {
			t.Errorf("pointer hit shows %+v", h)
		}
		// One word, a prefix or a fragment is not enough for a pointer: it
		// would let anyone spell out another agency's record guess by guess.
		for _, q := range []string{"asif", "muhammad as", "35202-12", "abdul rehm"} {
			res, err = s.Search(ctx, f.anf, SearchQuery{Q: q})
			if err != nil || res.Total != 0 {
				t.Errorf("ANF search %q: %+v %v, want nothing", q, res, err)
			}
		}
		// An informant record of FIA with the same phone as ANF's own record
		// changes nothing in ANF's results: the search does not stop at it.
		mustCreate(t, s, f.fia, person("Source Multan-1", map[string][]string{"phone": {"03451112223"}}, rabta.Marking{Release: rabta.ReleaseAll, Categories: []rabta.Category{rabta.CatInformant}}))
		own := mustCreate(t, s, f.anf, person("probe 03451112223 probe", nil, rabta.Marking{}))
		res, err = s.Search(ctx, f.anf, SearchQuery{Q: "03451112223"})
		if err != nil || !hasHit(res, own.ID, rabta.AccessFull) || res.Total != 1 {
			t.Errorf("ANF search for a number an informant has: %+v %v", res, err)
		}
	})
}

func hasHit(res *SearchResult, id string, a rabta.Access) bool {
	for _, h := range res.Results {
		if h.ID == id && h.Access == a {
			return true
		}
	}
	return false
}

func TestAuditChain(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := WithRequest(context.Background(), Request{Purpose: "case FIA-2026-17", Client: "10.0.0.7"})
		r := mustCreate(t, s, f.fia, person("Bilal Ahmed", nil, rabta.Marking{}))
		if _, err := s.Record(ctx, f.anf, r.ID); err == nil {
			t.Fatal("ANF read FIA's originator-only record")
		}
		evs, err := s.AuditEvents(ctx, f.auditor, AuditFilter{Object: r.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Action != rabta.ActRecordRead || evs[0].Username != "anf.analyst" ||
			evs[0].Purpose != "case FIA-2026-17" || evs[0].Client != "10.0.0.7" || evs[0].Outcome != "pointer" {
			t.Fatalf("events: %+v", evs)
		}
		if _, err := s.AuditEvents(ctx, f.fia, AuditFilter{}); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Fatalf("analyst read the audit log: %v", err)
		}
		n, err := s.VerifyAudit(ctx)
		if err != nil || n < 10 {
			t.Fatalf("verify: %d %v", n, err)
		}
		// The database itself refuses changes to the log.
		if _, err := s.db.Exec("UPDATE audit_events SET username = 'x' WHERE seq = 3"); err == nil {
			t.Fatal("audit row updated through SQL")
		}
	})
}

// TestAuditTamper alters, removes and reorders rows behind the triggers'
// back and expects verify to name the first bad event.
func TestAuditTamper(t *testing.T) {
	tampers := []struct {
		name    string
		sql     []string
		wantSeq int64
	}{
		{"alter", []string{"UPDATE audit_events SET query = 'nothing to see' WHERE seq = 5"}, 5},
		{"remove", []string{"DELETE FROM audit_events WHERE seq = 4"}, 4},
		{"remove last", []string{"DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)"}, 0},
		{"reorder", []string{"UPDATE audit_events SET seq = -1 WHERE seq = 6", "UPDATE audit_events SET seq = 6 WHERE seq = 7", "UPDATE audit_events SET seq = 7 WHERE seq = -1"}, 6},
	}
	for _, tc := range tampers {
		t.Run(tc.name, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, s *Store) {
				f := setup(t, s)
				for i := 0; i < 5; i++ {
					mustCreate(t, s, f.fia, person("Person "+string(rune('A'+i)), nil, rabta.Marking{}))
				}
				total, err := s.VerifyAudit(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				disable := []string{"DROP TRIGGER audit_no_update", "DROP TRIGGER audit_no_delete"}
				if s.Dialect() == Postgres {
					disable = []string{"ALTER TABLE audit_events DISABLE TRIGGER audit_no_change"}
				}
				for _, q := range append(disable, tc.sql...) {
					if _, err := s.db.Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				_, err = s.VerifyAudit(context.Background())
				var ve *VerifyError
				if !errors.As(err, &ve) {
					t.Fatalf("tampering not detected: %v", err)
				}
				want := tc.wantSeq
				if want == 0 {
					want = total
				}
				if ve.Seq != want {
					t.Fatalf("first bad event %d, want %d (%v)", ve.Seq, want, ve)
				}
			})
		})
	}
}

// TestAuditConcurrentInstances appends from two store handles at once, as
// two `rabta serve` processes on one database would, and checks that the
// chain stays whole.
func TestAuditConcurrentInstances(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		s2 := openTest(t, s.dsn)
		var wg sync.WaitGroup
		errs := make(chan error, 100)
		for i := 0; i < 4; i++ {
			for _, st := range []*Store{s, s2} {
				wg.Add(1)
				go func(st *Store) {
					defer wg.Done()
					for j := 0; j < 10; j++ {
						if err := st.Audit(context.Background(), event(context.Background(), f.fia, rabta.ActSearch)); err != nil {
							errs <- err
							return
						}
					}
				}(st)
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		n, err := s.VerifyAudit(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n < 80 {
			t.Fatalf("only %d events", n)
		}
	})
}

func TestUpdateRecordVersion(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		r := mustCreate(t, s, f.fia, person("Zahid Hussain", nil, rabta.Marking{}))
		r.Properties["alias"] = []string{"Zahid Husain"}
		if err := s.UpdateRecord(ctx, f.fia, r); err != nil {
			t.Fatal(err)
		}
		stale := *r
		stale.Version = 1
		if err := s.UpdateRecord(ctx, f.fia, &stale); rabta.ErrorCode(err) != rabta.EConflict {
			t.Fatalf("stale update: %v", err)
		}
		if err := s.UpdateRecord(ctx, f.anf, r); rabta.ErrorCode(err) == "" {
			t.Fatalf("ANF changed FIA's record")
		}
		got, err := s.Record(ctx, f.fia, r.ID)
		if err != nil || got.Version != 2 || got.Properties["alias"][0] != "Zahid Husain" {
			t.Fatalf("after update: %+v %v", got, err)
		}
		// The new alias is searchable.
		res, _ := s.Search(ctx, f.fia, SearchQuery{Q: "husain"})
		if !hasHit(res, r.ID, rabta.AccessFull) {
			t.Fatalf("alias not indexed")
		}
	})
}

// TestUpdateKeepsHiddenRefs: an editor who cannot see a referenced record
// (here a secret informant) does not drop the reference by saving.
func TestUpdateKeepsHiddenRefs(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		inf := mustCreate(t, s, f.fia, person("Source Quetta-2", nil, rabta.Marking{Classification: rabta.Secret, Categories: []rabta.Category{rabta.CatInformant}}))
		car := mustCreate(t, s, f.fia, &rabta.Record{Schema: "Vehicle", Properties: map[string][]string{"registrationNumber": {"LEA-1234"}, "owner": {inf.ID}}})
		seen, err := s.Record(ctx, f.fiaLow, car.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen.Properties["owner"]) != 0 {
			t.Fatalf("junior sees the informant reference: %v", seen.Properties)
		}
		seen.Properties["model"] = []string{"Corolla"}
		if err := s.UpdateRecord(ctx, f.fiaLow, seen); err != nil {
			t.Fatal(err)
		}
		if len(seen.Properties["owner"]) != 0 {
			t.Fatalf("the update hands the hidden reference back to the junior: %v", seen.Properties)
		}
		// A link to the informant is none for the junior: updating it is
		// refused exactly like updating a record that does not exist.
		other := mustCreate(t, s, f.fia, person("Rashid Bugti", nil, rabta.Marking{}))
		link := mustCreate(t, s, f.fia, &rabta.Record{Schema: "Associate", Properties: map[string][]string{"person": {other.ID}, "associate": {inf.ID}}})
		err = s.UpdateRecord(ctx, f.fiaLow, &rabta.Record{ID: link.ID, Schema: "Associate", Version: 7, Properties: map[string][]string{"person": {other.ID}, "associate": {other.ID}}})
		if rabta.ErrorCode(err) != rabta.ENotFound {
			t.Fatalf("junior's update of a hidden link: %v", err)
		}
		got, err := s.Record(ctx, f.fia, car.ID)
		if err != nil || len(got.Properties["owner"]) != 1 || got.Properties["model"][0] != "Corolla" {
			t.Fatalf("after the junior's edit: %+v %v", got, err)
		}
	})
}

// TestAuditKeyed: with an audit key, someone who can write to the database
// but lacks the key cannot change an event and recompute the chain unseen.
func TestAuditKeyed(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		key := []byte("0123456789abcdef0123456789abcdef-test")
		if err := s.SetAuditKey(key); err != nil {
			t.Fatal(err)
		}
		f := setup(t, s)
		mustCreate(t, s, f.fia, person("Kamran Akmal", nil, rabta.Marking{}))
		if _, err := s.VerifyAudit(context.Background()); err != nil {
			t.Fatal(err)
		}
		// The attacker rewrites event 2 and recomputes every hash after it
		// with plain SHA-256 (the key is not in the database).
		disable := []string{"DROP TRIGGER audit_no_update"}
		if s.Dialect() == Postgres {
			disable = []string{"ALTER TABLE audit_events DISABLE TRIGGER audit_no_change"}
		}
		for _, q := range disable {
			if _, err := s.db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		s2 := &Store{db: s.db, dialect: s.dialect, now: s.now} // no key
		evs := allEvents(t, s2)
		prev := rabta.GenesisHash
		for i := range evs {
			if evs[i].Seq == 2 {
				evs[i].Username = "someone else"
			}
			evs[i].PrevHash = prev
			evs[i].Hash = evs[i].ChainHash(nil)
			prev = evs[i].Hash
			if _, err := s.db.Exec(s.q("UPDATE audit_events SET username = ?, prev_hash = ?, hash = ? WHERE seq = ?"), evs[i].Username, evs[i].PrevHash, evs[i].Hash, evs[i].Seq); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.db.Exec(s.q("UPDATE audit_head SET hash = ?, keyed = ? WHERE id = 1"), prev, false); err != nil {
			t.Fatal(err)
		}
		_, err := s.VerifyAudit(context.Background())
		var ve *VerifyError
		if !errors.As(err, &ve) || ve.Seq != 1 {
			t.Fatalf("recomputed chain accepted with the key: %v", err)
		}
		// Without the key the forgery passes: this is what the key is for.
		if _, err := s2.VerifyAudit(context.Background()); err != nil {
			t.Fatalf("unkeyed verification of the forged chain: %v", err)
		}
	})
}

func allEvents(t *testing.T, s *Store) []rabta.AuditEvent {
	rows, err := s.db.Query("SELECT seq, at, user_id, username, agency, action, objects, query, purpose, client, count, outcome, prev_hash, hash FROM audit_events ORDER BY seq")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []rabta.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *e)
	}
	return out
}

func TestReleaseToUnknownAgency(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		err := s.CreateRecord(context.Background(), f.fia, person("Nadeem Afridi", nil, rabta.Marking{Release: rabta.ReleaseAgencies, Agencies: []string{"ANF", "NFA"}}))
		if rabta.ErrorCode(err) != rabta.EInvalid || !strings.Contains(err.Error(), `no agency "NFA"`) {
			t.Fatalf("release to a misspelt agency: %v", err)
		}
	})
}

// TestConcurrentUpdates: many editors save the same version at once; one
// wins, the others get a conflict, nobody waits for a connection the
// winner holds, and nothing is lost.
func TestConcurrentUpdates(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		r := mustCreate(t, s, f.fia, person("Adnan Soomro", nil, rabta.Marking{}))
		var wg sync.WaitGroup
		results := make(chan error, 16)
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				edit := &rabta.Record{ID: r.ID, Schema: "Person", Version: 1,
					Properties: map[string][]string{"name": {"Adnan Soomro"}, "alias": {fmt.Sprintf("alias %d", i)}}}
				results <- s.UpdateRecord(ctx, f.fia, edit)
			}(i)
		}
		wg.Wait()
		close(results)
		ok := 0
		for err := range results {
			switch rabta.ErrorCode(err) {
			case "":
				ok++
			case rabta.EConflict:
			default:
				t.Errorf("concurrent update: %v", err)
			}
		}
		got, err := s.Record(ctx, f.fia, r.ID)
		if ok != 1 || err != nil || got.Version != 2 {
			t.Fatalf("%d updates won, version %d (%v); want exactly one and version 2", ok, got.Version, err)
		}
	})
}

// TestVerifyLiveLog verifies while other writers append: every run must
// find the chain intact up to the head it started from.
func TestVerifyLiveLog(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; i < 150; i++ {
				if err := s.Audit(context.Background(), event(context.Background(), f.fia, rabta.ActSearch)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		for i := 0; i < 10; i++ {
			if _, err := s.VerifyAudit(context.Background()); err != nil {
				t.Fatalf("verify %d while appending: %v", i, err)
			}
		}
		<-done
	})
}

// TestImportDoesNotBlockAudit (PostgreSQL): while a long import is open,
// other requests must still be able to write their audit events — the
// import takes the chain's head lock only at its very end.
func TestImportDoesNotBlockAudit(t *testing.T) {
	s := openTest(t, pgtest.DSN(t))
	f := setup(t, s)
	ctx := context.Background()
	release := make(chan struct{})
	reached := make(chan struct{})
	i := 0
	next := func() (*rabta.Record, error) {
		if i == importBatch+10 {
			close(reached)
			<-release // the import's transaction is open and has written a batch
		}
		if i == importBatch+20 {
			return nil, io.EOF
		}
		i++
		return person(fmt.Sprintf("Person %d", i), nil, rabta.Marking{}), nil
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Import(ctx, f.fia, next, ImportOptions{})
		done <- err
	}()
	<-reached
	actx, cancel := context.WithTimeout(ctx, 3*time.Second)
	err := s.Audit(actx, event(actx, f.anf, rabta.ActSearch))
	cancel()
	close(release)
	if err != nil {
		t.Fatalf("an audit write waited for the open import: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestSessionIdle: a sign-in unused for longer than the idle limit ends;
// one in use stays; a machine token lasts until it expires.
func TestSessionIdle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		setup(t, s)
		ctx := context.Background()
		u, _, err := s.UserByName(ctx, "fia.analyst")
		if err != nil {
			t.Fatal(err)
		}
		clock := time.Now()
		s.now = func() time.Time { return clock }
		if _, err := s.CreateToken(ctx, u, "session-token", TokenSession, "browser", 12*time.Hour); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateToken(ctx, u, "machine-token", TokenAPI, "agency system", 90*24*time.Hour); err != nil {
			t.Fatal(err)
		}
		for _, step := range []time.Duration{20 * time.Minute, 20 * time.Minute} { // used within the limit each time
			clock = clock.Add(step)
			if _, _, err := s.Authenticate(ctx, "session-token", 30*time.Minute); err != nil {
				t.Fatalf("session in use ended: %v", err)
			}
		}
		clock = clock.Add(31 * time.Minute)
		if _, _, err := s.Authenticate(ctx, "session-token", 30*time.Minute); rabta.ErrorCode(err) != rabta.EUnauthorized {
			t.Fatalf("idle session still valid: %v", err)
		}
		if _, _, err := s.Authenticate(ctx, "machine-token", 30*time.Minute); err != nil {
			t.Fatalf("machine token ended by idleness: %v", err)
		}
	})
}

// TestImportKeysAndCascade: an import (which turns SQLite's foreign-key
// checks off on its connection, and runs on PostgreSQL without per-row
// keys) refuses an unknown agency, names an id already stored, leaves the
// checks on for later writes, and a record's index rows still go with it.
func TestImportKeysAndCascade(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		recs := func(rs ...*rabta.Record) func() (*rabta.Record, error) {
			return func() (*rabta.Record, error) {
				if len(rs) == 0 {
					return nil, io.EOF
				}
				r := rs[0]
				rs = rs[1:]
				return r, nil
			}
		}
		a := person("Imran Akhtar", map[string][]string{"idNumber": {"35202-1234567-1"}, "phone": {"0300 1234567"}, "fatherName": {"Akhtar Ali"}}, rabta.Marking{})
		a.ID = "imp-1"
		ghost := f.fia
		ghost.Agency = "NOPE"
		if _, err := s.Import(ctx, ghost, recs(a), ImportOptions{}); err == nil || !strings.Contains(err.Error(), `no agency "NOPE"`) {
			t.Fatalf("unknown agency: %v", err)
		}
		if n, err := s.Import(ctx, f.fia, recs(a), ImportOptions{}); err != nil || n != 1 {
			t.Fatalf("import: %d %v", n, err)
		}
		again := person("Someone Else", nil, rabta.Marking{})
		again.ID = "imp-1"
		if _, err := s.Import(ctx, f.fia, recs(person("New One", nil, rabta.Marking{}), again), ImportOptions{}); err == nil || !strings.Contains(err.Error(), `"imp-1" already exists`) {
			t.Fatalf("duplicate id: %v", err)
		}
		var rid int64
		if err := s.db.QueryRowContext(ctx, "SELECT rid FROM records WHERE id = 'imp-1'").Scan(&rid); err != nil {
			t.Fatal(err)
		}
		count := func(table string) int {
			var n int
			if err := s.db.QueryRowContext(ctx, s.q("SELECT count(*) FROM "+table+" WHERE rid = ?"), rid).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if count("selectors") < 3 || count("record_identifiers") < 2 {
			t.Fatalf("index rows: selectors %d identifiers %d", count("selectors"), count("record_identifiers"))
		}
		if s.dialect == SQLite {
			// The pool's connections must still check keys after an import.
			for i := 0; i < 4; i++ {
				var on int
				if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil || on != 1 {
					t.Fatalf("foreign_keys = %d after an import (%v)", on, err)
				}
			}
		}
		if _, err := s.db.ExecContext(ctx, s.q("DELETE FROM records WHERE rid = ?"), rid); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"selectors", "record_identifiers", "record_refs"} {
			if n := count(table); n != 0 {
				t.Errorf("%s keeps %d rows of a deleted record", table, n)
			}
		}
	})
}

// TestImportSkipExisting: with SkipExisting, records the agency already
// holds and repeats within the import are skipped; an id another agency
// holds still fails the import.
func TestImportSkipExisting(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		mk := func(id, name string) *rabta.Record {
			r := person(name, nil, rabta.Marking{})
			r.ID = id
			return r
		}
		from := func(rs ...*rabta.Record) func() (*rabta.Record, error) {
			return func() (*rabta.Record, error) {
				if len(rs) == 0 {
					return nil, io.EOF
				}
				r := rs[0]
				rs = rs[1:]
				return r, nil
			}
		}
		skip := ImportOptions{SkipExisting: true}
		if n, err := s.Import(ctx, f.fia, from(mk("a", "Asif Ali"), mk("b", "Bilal Khan")), skip); err != nil || n != 2 {
			t.Fatalf("first: %d %v", n, err)
		}
		if n, err := s.Import(ctx, f.fia, from(mk("a", "Changed"), mk("c", "Chand Bibi"), mk("c", "Chand Bibi")), skip); err != nil || n != 1 {
			t.Fatalf("second: %d %v", n, err)
		}
		r, err := s.Record(ctx, f.fia, "a")
		if err != nil || r.Properties["name"][0] != "Asif Ali" {
			t.Fatalf("a held record was changed: %v %v", r, err)
		}
		if n, err := s.Import(ctx, f.anf, from(mk("d", "Dost Muhammad"), mk("a", "Asif Ali")), skip); err == nil {
			t.Fatalf("an id held by another agency was skipped or taken (%d imported)", n)
		}
		if _, err := s.Record(ctx, f.anf, "d"); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Fatalf("a failed import kept a record: %v", err)
		}
	})
}
