package sqlstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta"
)

// TestOperationConflicts: overlapping operations of two agencies raise one
// conflict seen by both (contact and overlap, not the other's title or
// place); disjoint ones in space or time, or of the same agency, do not;
// bad input is refused; the duty desk resolves it.
func TestOperationConflicts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		anfSup := mkUser(t, s, "anf.supervisor", "ANF", rabta.RoleSupervisor)
		start := time.Now().Add(24 * time.Hour).Truncate(time.Second)
		op := func(title string, lat, lon, r float64, from, to time.Duration) *rabta.Operation {
			return &rabta.Operation{Type: rabta.OpRaid, Title: title, Lat: lat, Lon: lon, RadiusM: r, Start: start.Add(from), End: start.Add(to),
				Contact: rabta.OpContact{Name: "Inspector on duty", Phone: "+92300000000"}}
		}
		// Lahore, Gulberg: ANF registers first.
		anfOp := op("Warehouse on Main Boulevard, heroin stash", 31.5204, 74.3587, 300, 0, 4*time.Hour)
		if err := s.CreateOperation(ctx, f.anf, anfOp); err != nil {
			t.Fatal(err)
		}
		if len(anfOp.Conflicts) != 0 {
			t.Fatalf("first operation conflicts: %+v", anfOp.Conflicts)
		}
		for name, o := range map[string]*rabta.Operation{
			"coordinates out of range": op("x", 91, 74, 100, 0, time.Hour),
			"longitude out of range":   op("x", 31, 181, 100, 0, time.Hour),
			"radius zero":              op("x", 31, 74, 0, 0, time.Hour),
			"end before start":         op("x", 31, 74, 100, time.Hour, 0),
			"ended already":            op("x", 31, 74, 100, -48*time.Hour, -47*time.Hour),
			"unknown type":             {Type: "party", Title: "x", Lat: 31, Lon: 74, RadiusM: 1, Start: start, End: start.Add(time.Hour)},
			"unknown district":         {Type: rabta.OpRaid, Title: "x", District: "Atlantis", Start: start, End: start.Add(time.Hour)},
		} {
			wantCode(t, s.CreateOperation(ctx, f.fia, o), rabta.EInvalid, name)
		}
		// Far away (Karachi), or later the same day, or the same agency: no conflict.
		for name, x := range map[string]struct {
			p rabta.Principal
			o *rabta.Operation
		}{
			"other city":  {f.fia, op("Karachi raid", 24.8607, 67.0011, 500, 0, 4*time.Hour)},
			"later":       {f.fia, op("Evening raid", 31.5204, 74.3587, 300, 5*time.Hour, 6*time.Hour)},
			"same agency": {f.anf, op("Second ANF team", 31.5205, 74.3588, 300, time.Hour, 2*time.Hour)},
			"just apart":  {f.fia, op("Next block", 31.5204, 74.3650, 280, 0, 4*time.Hour)}, // ≈ 590 m apart, radii 580 m
		} {
			if err := s.CreateOperation(ctx, x.p, x.o); err != nil {
				t.Fatal(name, err)
			}
			if len(x.o.Conflicts) != 0 {
				t.Fatalf("%s: conflicts %+v", name, x.o.Conflicts)
			}
		}
		// FIA plans a raid 400 m away in an overlapping window: conflict.
		fiaOp := op("Hawala office raid", 31.5240, 74.3587, 300, 2*time.Hour, 6*time.Hour)
		if err := s.CreateOperation(ctx, f.fia, fiaOp); err != nil {
			t.Fatal(err)
		}
		if len(fiaOp.Conflicts) != 1 {
			t.Fatalf("conflicts: %+v", fiaOp.Conflicts)
		}
		c := fiaOp.Conflicts[0]
		if c.Agency != "ANF" || c.Contact.Name != "Inspector on duty" || c.Desk.Desk != "ANF intelligence" ||
			!c.Overlap.From.Equal(start.Add(2*time.Hour)) || !c.Overlap.To.Equal(start.Add(4*time.Hour)) || c.Overlap.DistanceM != 500 || c.Overlap.OverlapM != 0 { // 400 m apart, radii 300 m: in bands
			t.Fatalf("conflict as FIA sees it: %+v", c)
		}
		// ANF sees the same conflict from its side, without FIA's title.
		cs, err := s.Conflicts(ctx, f.anf)
		if err != nil || len(cs) != 1 || cs[0].ID != c.ID || cs[0].Agency != "FIA" || cs[0].Operation != anfOp.ID {
			t.Fatalf("ANF's conflicts: %+v %v", cs, err)
		}
		for _, p := range []rabta.Principal{f.anf, anfSup, fiaSup} {
			ns, _, err := s.Inbox(ctx, p, 20)
			if err != nil || len(ns) == 0 || ns[0].Kind != NoteConflict || ns[0].Object != "conflict:"+c.ID {
				t.Fatalf("%s inbox: %+v %v", p.Username, ns, err)
			}
			if strings.Contains(ns[0].Title, "Hawala") || strings.Contains(ns[0].Title, "Warehouse") {
				t.Fatalf("the notification names a target: %q", ns[0].Title)
			}
		}
		if ops, err := s.Operations(ctx, f.fia, false); err != nil || len(ops) != 4 {
			t.Fatalf("FIA's operations: %d %v", len(ops), err)
		}
		// Resolution: the duty desk only; the other side is told.
		if _, err := s.ResolveConflict(ctx, f.anf, c.ID, rabta.ResolveJoint, ""); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Fatalf("analyst resolves: %v", err)
		}
		if _, err := s.ResolveConflict(ctx, anfSup, c.ID, "ignore", ""); rabta.ErrorCode(err) != rabta.EInvalid {
			t.Fatalf("bad resolution: %v", err)
		}
		if _, err := s.ResolveConflict(ctx, f.ngoProt, c.ID, rabta.ResolveJoint, ""); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Fatalf("a third agency resolves: %v", err)
		}
		if _, err := s.ResolveConflict(ctx, anfSup, c.ID, rabta.ResolveJoint, "One team, FIA leads entry"); err != nil {
			t.Fatal(err)
		}
		cs, _ = s.Conflicts(ctx, f.fia)
		if cs[0].Resolution != rabta.ResolveJoint || cs[0].ResolvedBy != "anf.supervisor (ANF)" {
			t.Fatalf("resolved: %+v", cs[0])
		}
		if got := auditActions(t, s, "conflict:"+c.ID); len(got) != 3 { // found, refused to the analyst (denied), resolved
			t.Fatalf("audit of the conflict: %v", got)
		}
		// Calling off an operation tells the other side.
		if err := s.CancelOperation(ctx, f.fia, fiaOp.ID); err != nil {
			t.Fatal(err)
		}
		if cs, _ := s.Conflicts(ctx, f.anf); !cs[0].Cancelled {
			t.Fatalf("conflict after FIA called its operation off: %+v", cs[0])
		}
		if ns, _, _ := s.Inbox(ctx, f.anf, 5); ns[0].Kind != NoteConflictResolved || !strings.Contains(ns[0].Title, "called off") {
			t.Fatalf("ANF's planner not told: %+v", ns[0])
		}
		// A district stands for the place.
		dist := &rabta.Operation{Type: rabta.OpSurveillance, Title: "Port watch", District: "Karachi South", Start: start, End: start.Add(time.Hour)}
		if err := s.CreateOperation(ctx, f.anf, dist); err != nil {
			t.Fatal(err)
		}
		if dist.RadiusM < 1000 || dist.Lat < 24 || dist.Lat > 25.2 || len(dist.Conflicts) != 1 || dist.Conflicts[0].Agency != "FIA" { // the Karachi raid
			t.Fatalf("district operation: %+v", dist)
		}
	})
}
