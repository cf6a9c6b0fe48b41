package sqlstore

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rabta/rabta"
)

// idScorer is a stand-in matcher: the same idNumber is a match, the same
// name alone is for review.
type idScorer struct{}

func (idScorer) Score(a, b *rabta.Record) (float64, string) {
	if x, y := a.Properties["idNumber"], b.Properties["idNumber"]; len(x) > 0 && len(y) > 0 && strings.ReplaceAll(x[0], "-", "") == strings.ReplaceAll(y[0], "-", "") {
		return 0.99, "idNumber exact"
	}
	if slices.Equal(a.Properties["name"], b.Properties["name"]) {
		return 0.3, "name exact"
	}
	return 0.01, ""
}

func TestProfiles(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		s.SetPairScorer(idScorer{}, 0.5, 0.1)
		dob := map[string][]string{"birthDate": {"1980-01-02"}}
		with := func(extra map[string][]string, kv ...string) map[string][]string {
			m := map[string][]string{}
			for k, v := range extra {
				m[k] = v
			}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i]] = []string{kv[i+1]}
			}
			return m
		}
		// The same man at FIA (released to all) and ANF (originator only),
		// and a namesake at FIA with his own CNIC.
		a := mustCreate(t, s, f.fia, person("Kamran Butt", with(dob, "idNumber", "3520211111111"), rabta.Marking{Release: rabta.ReleaseAll}))
		b := mustCreate(t, s, f.anf, person("Kamran Butt", with(dob, "idNumber", "35202-1111111-1"), rabta.Marking{Release: rabta.ReleaseOriginator}))
		c := mustCreate(t, s, f.fia, person("Kamran Butt", with(dob, "idNumber", "3520222222222"), rabta.Marking{Release: rabta.ReleaseOriginator}))

		pa, err := s.ProfileOf(ctx, f.fia, a.ID)
		if err != nil || pa == "" {
			t.Fatalf("profile of a: %q, %v", pa, err)
		}
		// FIA sees its record in full and ANF's as a pointer.
		v, err := s.Profile(ctx, f.fia, pa)
		if err != nil || len(v.Members) != 2 {
			t.Fatalf("profile = %+v, %v", v, err)
		}
		for _, m := range v.Members {
			switch m.ID {
			case a.ID:
				if m.Access != rabta.AccessFull || m.Caption != "Kamran Butt" {
					t.Errorf("own record: %+v", m)
				}
			case b.ID:
				if m.Access != rabta.AccessPointer || m.Caption != "" || m.Contact == nil || m.Contact.Desk != "ANF intelligence" {
					t.Errorf("ANF record: %+v", m)
				}
			default:
				t.Errorf("unexpected member %+v", m)
			}
		}
		if pc, _ := s.ProfileOf(ctx, f.fia, c.ID); pc == pa {
			t.Errorf("the namesake joined the profile")
		}
		// The namesake pair is in the review queue for FIA (it sees both
		// in full), not for ANF.
		q, err := s.ReviewQueue(ctx, f.fia, 0)
		if err != nil || len(q) != 1 || q[0].Probability != 0.3 {
			t.Fatalf("FIA review queue = %+v, %v", q, err)
		}
		if q, _ := s.ReviewQueue(ctx, f.anf, 0); len(q) != 0 {
			t.Errorf("ANF review queue shows pairs it cannot see: %+v", q)
		}
		// Judged the same: the profiles merge; retracted: they split again.
		jid, err := s.Judge(ctx, f.fia, a.ID, c.ID, VerdictSame, "same photo on both files")
		if err != nil {
			t.Fatal(err)
		}
		if pc, _ := s.ProfileOf(ctx, f.fia, c.ID); pc != pa {
			t.Errorf("judged same but profiles differ: %q %q", pc, pa)
		}
		if q, _ := s.ReviewQueue(ctx, f.fia, 0); len(q) != 0 {
			t.Errorf("a judged pair is still for review")
		}
		if err := s.RetractJudgement(ctx, f.fia, jid); err != nil {
			t.Fatal(err)
		}
		if pc, _ := s.ProfileOf(ctx, f.fia, c.ID); pc == pa {
			t.Errorf("retracted, yet still one profile")
		}
		// Not the same overrides the matcher, even on one CNIC.
		if _, err := s.Judge(ctx, f.fia, a.ID, b.ID, VerdictNotSame, "x"); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Errorf("FIA judged a pair with ANF's originator-only record: %v", err)
		}
		anfAll := mustCreate(t, s, f.anf, person("K. Butt", with(nil, "idNumber", "3520211111111"), rabta.Marking{Release: rabta.ReleaseAll}))
		if p2, _ := s.ProfileOf(ctx, f.fia, anfAll.ID); p2 != pa {
			t.Fatalf("same CNIC did not join: %q %q", p2, pa)
		}
		if _, err := s.Judge(ctx, f.fia, a.ID, anfAll.ID, VerdictNotSame, "different father on the CNIC copy"); err != nil {
			t.Fatal(err)
		}
		pa2, _ := s.ProfileOf(ctx, f.fia, a.ID)
		if p2, _ := s.ProfileOf(ctx, f.fia, anfAll.ID); p2 == pa2 {
			t.Errorf("judged not the same, still one profile")
		}
		// Bad judgements.
		if _, err := s.Judge(ctx, f.fia, a.ID, c.ID, "maybe", ""); rabta.ErrorCode(err) != rabta.EInvalid {
			t.Errorf("bad verdict: %v", err)
		}
		if _, err := s.Judge(ctx, f.auditor, a.ID, c.ID, VerdictSame, ""); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Errorf("auditor judged: %v", err)
		}
		// Profiles nobody may see do not exist; every read is audited.
		// A profile linked to a case: its records FIA sees in full.
		kase := &rabta.Case{Title: "Kamran Butt"}
		if err := s.CreateCase(ctx, f.fia, kase); err != nil {
			t.Fatal(err)
		}
		if n, err := s.AttachProfile(ctx, f.fia, kase.ID, pa); err != nil || n != 1 {
			t.Fatalf("profile attached: %d records, %v", n, err)
		}
		if _, err := s.AttachProfile(ctx, f.fia, kase.ID, pa); rabta.ErrorCode(err) != rabta.EInvalid {
			t.Fatalf("profile attached twice: %v", err)
		}
		if ids, _ := s.CaseRecordIDs(ctx, f.fia, kase.ID); len(ids) != 1 || ids[0] != a.ID {
			t.Fatalf("case records after attaching the profile: %v", ids)
		}
		if _, err := s.Profile(ctx, f.fia, "no-such-profile"); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Errorf("missing profile: %v", err)
		}
		n := 0
		for _, e := range allEvents(t, s) {
			if e.Action == rabta.ActJudge {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d judge events, want 3", n)
		}
	})
}
