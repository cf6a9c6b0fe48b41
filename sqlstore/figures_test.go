package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/rabta/rabta"
)

// TestCooperationFigures: requests answered in time and late, refused and
// overdue, median time to answer, joint cases and conflicts by agency and
// month, for the coordinator only.
func TestCooperationFigures(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		coord := mkUser(t, s, "moi.coordinator", "NGO", rabta.RoleCoordinator)
		start := time.Date(2026, 3, 10, 9, 0, 0, 0, rabta.PKT)
		clock := start
		s.SetClock(func() time.Time { return clock })
		rfi := func() *rabta.Request {
			r := &rabta.Request{Type: rabta.RequestRFI, To: "FIA", Justification: "Who holds this number?", Deadline: clock.Add(48 * time.Hour),
				Subjects: rabta.Subjects{Selectors: []string{"+923001234567"}}}
			if err := s.CreateRequest(ctx, f.anf, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		a, b, c, d := rfi(), rfi(), rfi(), rfi()
		clock = start.Add(10 * time.Hour)
		if _, err := s.ReplyRequest(ctx, fiaSup, a.ID, rabta.Reply{Body: "Nothing held"}, true); err != nil {
			t.Fatal(err)
		}
		clock = start.Add(20 * time.Hour)
		if _, err := s.RefuseRequest(ctx, fiaSup, b.ID, "Outside our remit"); err != nil {
			t.Fatal(err)
		}
		clock = start.Add(72 * time.Hour)
		if _, err := s.ReplyRequest(ctx, fiaSup, c.ID, rabta.Reply{Body: "Late answer"}, true); err != nil {
			t.Fatal(err)
		}
		_ = d // still open, past its deadline
		cs := &rabta.Case{Title: "Joint case"}
		if err := s.CreateCase(ctx, fiaSup, cs); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCaseMember(ctx, fiaSup, cs.ID, "anf.analyst", rabta.CaseWorker); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CooperationFigures(ctx, f.fia, "", ""); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Fatalf("an analyst reads the figures: %v", err)
		}
		if _, _, err := s.CooperationFigures(ctx, coord, "March", ""); rabta.ErrorCode(err) != rabta.EInvalid {
			t.Fatalf("a bad month: %v", err)
		}
		figs, months, err := s.CooperationFigures(ctx, coord, "2026-03", "2026-03")
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]CoopFigures{}
		for _, x := range figs {
			by[x.Agency+" "+x.Month] = x
		}
		fia, anf := by["FIA 2026-03"], by["ANF 2026-03"]
		if fia.RequestsReceived != 4 || fia.AnsweredInTime != 1 || fia.AnsweredLate != 1 || fia.Refused != 1 || fia.OpenOverdue != 1 {
			t.Fatalf("FIA's figures: %+v", fia)
		}
		if fia.MedianHoursToAnswer == nil || *fia.MedianHoursToAnswer != 20 {
			t.Fatalf("median hours to answer: %v, want 20 (10, 20, 72)", fia.MedianHoursToAnswer)
		}
		if anf.RequestsSent != 4 || anf.JointCasesOpened != 1 || fia.JointCasesOpened != 1 {
			t.Fatalf("ANF %+v FIA %+v", anf, fia)
		}
		if len(months) != 1 || months[0].Month != "2026-03" || months[0].JointCasesOpened != 1 {
			t.Fatalf("the month's totals (one joint case of two agencies): %+v", months)
		}
	})
}
