package resolve

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/dates"
	"github.com/rabta/rabta/internal/synth"
	"github.com/rabta/rabta/sqlstore"
)

// TestResolveDemoLike: records of two agencies, trained on the store's own
// records, resolve into profiles; an ANF spelling of an FIA subject joins
// the FIA record's profile.
func TestResolveDemoLike(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"FIA", "ANF"} {
		if err := s.CreateAgency(ctx, sqlstore.System, &rabta.Agency{Code: a, Name: a}); err != nil {
			t.Fatal(err)
		}
	}
	fia := rabta.Principal{Username: "fia.analyst", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
	anf := rabta.Principal{Username: "anf.analyst", Agency: "ANF", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
	es := synth.Duplicates(3, 600, 0.5)
	for k, e := range es {
		if d := e.Values["birthDate"]; len(d) > 0 { // the platform stores ISO dates
			if pd, ok := dates.Parse(d[0]); ok {
				e.Values["birthDate"] = []string{strings.TrimRight(pd.String(), "?~%")}
			}
		}
		if c := e.Values["city"]; len(c) > 0 { // FtM keeps a person's city in address
			e.Values["address"] = c
			delete(e.Values, "city")
		}
		r := &rabta.Record{Schema: "Person", Properties: e.Values, Marking: rabta.Marking{Release: rabta.ReleaseAll}}
		p := fia
		if k%3 == 0 {
			p = anf
		}
		if err := s.CreateRecord(ctx, p, r); err != nil {
			t.Fatal(err)
		}
		es[k].ID = r.ID
	}
	sc, n, err := Train(ctx, s, 10_000)
	if err != nil || n != len(es) {
		t.Fatalf("train: %d, %v", n, err)
	}
	s.SetPairScorer(Scorer{sc}, Threshold, Review)
	for {
		k, err := s.ResolvePending(ctx, 500)
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			break
		}
	}
	// Pairwise agreement of profiles with the truth.
	prof := map[string]string{}
	for _, e := range es {
		p, err := s.ProfileOf(ctx, fia, e.ID)
		if err != nil || p == "" {
			t.Fatalf("record %s: profile %q, %v", e.ID, p, err)
		}
		prof[e.ID] = p
	}
	tp, fp, fn := 0, 0, 0
	for x := range es {
		for y := x + 1; y < len(es); y++ {
			same, truth := prof[es[x].ID] == prof[es[y].ID], es[x].Person == es[y].Person
			switch {
			case same && truth:
				tp++
			case same:
				fp++
			case truth:
				fn++
			}
		}
	}
	prec, rec := float64(tp)/float64(max(tp+fp, 1)), float64(tp)/float64(max(tp+fn, 1))
	t.Logf("profiles: precision %.3f recall %.3f (%d true pairs)", prec, rec, tp+fn)
	if prec < 0.95 || rec < 0.8 {
		t.Errorf("profiles: precision %.3f recall %.3f", prec, rec)
	}
}
