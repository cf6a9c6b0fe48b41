package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sanctions"
)

func TestSanctionsListHistoryAndAlerts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		v1 := &sanctions.List{Source: "un-sc", Generated: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC), Entries: []sanctions.Entry{
			{ID: "QDi.001", Schema: "Person", Name: "Abdul Qadir Baloch"},
			{ID: "QDi.002", Schema: "Person", Name: "Rashid Minhas"},
		}}
		if _, err := s.LoadSanctionsList(ctx, f.fia, v1); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Errorf("an analyst loaded a list: %v", err)
		}
		r1, err := s.LoadSanctionsList(ctx, System, v1)
		if err != nil || r1.Added != 2 {
			t.Fatalf("first load = %+v, %v", r1, err)
		}
		v2 := &sanctions.List{Source: "un-sc", Entries: []sanctions.Entry{
			{ID: "QDi.001", Schema: "Person", Name: "Abdul Qadir Baloch", Nationalities: []string{"Pakistan"}},
			{ID: "QDi.003", Schema: "Person", Name: "Gul Bahadur"},
		}}
		r2, err := s.LoadSanctionsList(ctx, System, v2)
		if err != nil || r2.Added != 1 || r2.Removed != 1 || r2.Changed != 1 || r2.Version <= r1.Version {
			t.Fatalf("second load = %+v, %v", r2, err)
		}
		ver, cur, err := s.CurrentSanctionsList(ctx, "un-sc")
		if err != nil || ver != r2.Version || len(cur.Entries) != 2 || cur.Entries[0].Nationalities[0] != "Pakistan" {
			t.Fatalf("current = %d %+v, %v", ver, cur, err)
		}
		var history int
		s.db.QueryRow("SELECT count(*) FROM sanction_entries WHERE ref = 'QDi.002'").Scan(&history)
		if history != 2 { // listed in version 1, delisted in version 2
			t.Errorf("QDi.002 history rows = %d", history)
		}

		// Screening: records wait for the current version; alerts are seen
		// by those who see the record in full.
		rec := mustCreate(t, s, f.fia, person("Gul Bahadar", nil, rabta.Marking{Release: rabta.ReleaseOriginator}))
		pend, err := s.PendingScreening(ctx, ver, 100)
		if err != nil || len(pend) != 1 || pend[0].Record.ID != rec.ID {
			t.Fatalf("pending = %+v, %v", pend, err)
		}
		alert := ScreenAlert{ListID: "QDi.003", Name: "Gul Bahadur", Matched: "Gul Bahadur", Score: 0.91, Evidence: "name"}
		if err := s.RecordScreening(ctx, ver, []int64{pend[0].RID}, []ScreenAlert{alert}, []int64{pend[0].RID}); err != nil {
			t.Fatal(err)
		}
		if pend, _ := s.PendingScreening(ctx, ver, 100); len(pend) != 0 {
			t.Errorf("screened record still pending")
		}
		if pend, _ := s.PendingScreening(ctx, ver+1, 100); len(pend) != 1 {
			t.Errorf("a new list version must rescreen")
		}
		as, err := s.ScreeningAlerts(ctx, f.fia, 0)
		if err != nil || len(as) != 1 || as[0].Record != rec.ID || as[0].ListID != "QDi.003" {
			t.Fatalf("FIA alerts = %+v, %v", as, err)
		}
		if as, _ := s.ScreeningAlerts(ctx, f.anf, 0); len(as) != 0 {
			t.Errorf("ANF sees an alert on FIA's originator-only record: %+v", as)
		}
	})
}
