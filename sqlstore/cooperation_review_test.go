package sqlstore

import (
	"context"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/gazetteer"
	"github.com/rabta/rabta/ident"
)

// Regression tests from a review of the cooperation code: each one's
// comment describes the leak or integrity fault it caught (all since
// fixed); each would fail again if the fault came back.

// reviewRace holds a row lock on records.rid = rid (FOR NO KEY UPDATE,
// which blocks "UPDATE records SET shares" but not foreign-key checks),
// starts fns concurrently, waits until all of them wait on a lock, then
// releases the row and waits for them. PostgreSQL only.
func reviewRace(t *testing.T, s *Store, rid int64, fns ...func() error) []error {
	t.Helper()
	return reviewRaceDuring(t, s, rid, nil, fns...)
}

// reviewRaceDuring is reviewRace that runs during (if not nil) while the
// transactions wait, before the row is released.
func reviewRaceDuring(t *testing.T, s *Store, rid int64, during func(), fns ...func() error) []error {
	t.Helper()
	return reviewRaceOn(t, s, "SELECT rid FROM records WHERE rid = $1 FOR NO KEY UPDATE", rid, during, fns...)
}

// reviewRaceOn is reviewRaceDuring with the row lock taken by lockSQL.
func reviewRaceOn(t *testing.T, s *Store, lockSQL string, arg any, during func(), fns ...func() error) []error {
	t.Helper()
	ctx := context.Background()
	lock, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback()
	if _, err := lock.ExecContext(ctx, lockSQL, arg); err != nil {
		t.Fatal(err)
	}
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = fn() }()
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var n int
		if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n >= len(fns) {
			break
		}
		if time.Now().After(deadline) {
			lock.Rollback()
			wg.Wait()
			t.Fatalf("only %d of %d transactions reached the lock: %v", n, len(fns), errs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if during != nil {
		during()
	}
	if err := lock.Commit(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	return errs
}

func ridOf(t *testing.T, s *Store, id string) int64 {
	t.Helper()
	ms, err := s.metas(context.Background(), "WHERE id = ?", id)
	if err != nil || len(ms) != 1 {
		t.Fatalf("meta of %s: %v %v", id, ms, err)
	}
	return ms[0].rid
}

func onlyPostgres(t *testing.T, s *Store) {
	if s.dialect != Postgres {
		t.Skip("a race between instances: PostgreSQL only (SQLite serialises writers)")
	}
}

// TestReviewRevokeRacesApproval: revoking ANF's grant on a record while
// NGO's access request for the same record is approved. refreshShares
// computes records.shares from its own snapshot (READ COMMITTED, no lock
// before the read), so the later writer wins with a stale list: either
// ANF keeps the revoked grant, or NGO's new grant is lost.
func TestReviewRevokeRacesApproval(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		onlyPostgres(t, s)
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		ngo := mkUser(t, s, "ngo.analyst", "NGO", rabta.RoleAnalyst)
		rec := mustCreate(t, s, f.fia, person("Imran Baloch", nil, rabta.Marking{Release: rabta.ReleaseOriginator}))
		ask := func(p rabta.Principal) *rabta.Request {
			r := &rabta.Request{Type: rabta.RequestAccess, To: "FIA", Justification: "Same man in our case file",
				Deadline: time.Now().Add(48 * time.Hour), Subjects: rabta.Subjects{Records: []string{rec.ID}}}
			if err := s.CreateRequest(ctx, p, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		r1 := ask(f.anf)
		g1, err := s.ApproveRequest(ctx, fiaSup, r1.ID, Approval{})
		if err != nil {
			t.Fatal(err)
		}
		r2 := ask(ngo)
		errs := reviewRace(t, s, ridOf(t, s, rec.ID),
			func() error { _, err := s.RevokeGrant(ctx, fiaSup, g1.ID); return err },
			func() error { _, err := s.ApproveRequest(ctx, fiaSup, r2.ID, Approval{}); return err })
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("revoke: %v, approve: %v", errs[0], errs[1])
		}
		var shares string
		s.db.QueryRowContext(ctx, "SELECT shares FROM records WHERE id = $1", rec.ID).Scan(&shares)
		if a := accessOf(t, s, f.anf, rec.ID); a != rabta.AccessPointer {
			t.Errorf("ANF sees the record %s after its grant was revoked (records.shares = %q)", a, shares)
		}
		if a := accessOf(t, s, ngo, rec.ID); a != rabta.AccessFull {
			t.Errorf("NGO sees the record %s after its grant was approved (records.shares = %q)", a, shares)
		}
	})
}

// TestReviewCloseRacesAttach: a record attached while the case is being
// closed stays widened to the members of the closed case: the close's
// "UPDATE case_records SET widens = false" does not see the attach's
// uncommitted row, and the attach checked the status before the close
// committed (caseAccessOf takes no lock on the case).
func TestReviewCloseRacesAttach(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		onlyPostgres(t, s)
		f := setup(t, s)
		ctx := context.Background()
		fiaInv := mkUser(t, s, "fia.investigator", "FIA", rabta.RoleInvestigator)
		anfInv := mkUser(t, s, "anf.investigator", "ANF", rabta.RoleInvestigator)
		rec := mustCreate(t, s, f.fia, person("Shahid Afridi Khan", nil, rabta.Marking{Release: rabta.ReleaseOriginator}))
		c := &rabta.Case{Title: "Gwadar route"}
		if err := s.CreateCase(ctx, fiaInv, c); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCaseMember(ctx, fiaInv, c.ID, "anf.investigator", rabta.CaseWorker); err != nil {
			t.Fatal(err)
		}
		// The attach waits on the record's row (held here) while the close
		// runs: changes to one case take turns, so the close waits for the
		// attach and then narrows it.
		var closeErr error
		done := make(chan struct{})
		errs := reviewRaceDuring(t, s, ridOf(t, s, rec.ID), func() {
			go func() { closeErr = s.SetCaseStatus(ctx, fiaInv, c.ID, rabta.CaseClosed); close(done) }()
			time.Sleep(200 * time.Millisecond) // the close is now queued behind the attach
		}, func() error { return s.AttachRecord(ctx, fiaInv, c.ID, rec.ID) })
		<-done
		if closeErr != nil || errs[0] != nil {
			t.Fatalf("close: %v, attach: %v", closeErr, errs[0])
		}
		got, err := s.Case(ctx, fiaInv, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var shares string
		s.db.QueryRowContext(ctx, "SELECT shares FROM records WHERE id = $1", rec.ID).Scan(&shares)
		if a := accessOf(t, s, withCases(t, s, anfInv), rec.ID); got.Status == rabta.CaseClosed && a != rabta.AccessPointer {
			t.Errorf("case is %s, yet its ANF member sees FIA's record %s through it (records.shares = %q)", got.Status, a, shares)
		}
	})
}

// TestReviewSweepDueTwice: two instances sweeping at once both notify the
// same overdue request: the flag is read without a lock and the update
// does not re-check it ("the flags make it happen once").
func TestReviewSweepDueTwice(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		onlyPostgres(t, s)
		f := setup(t, s)
		ctx := context.Background()
		r := &rabta.Request{Type: rabta.RequestRFI, To: "FIA", Justification: "Who owns this number?",
			Deadline: time.Now().Add(time.Hour), Subjects: rabta.Subjects{Selectors: []string{"03001234567"}}}
		if err := s.CreateRequest(ctx, f.anf, r); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return time.Now().Add(2 * time.Hour) })
		errs := reviewRaceOn(t, s, "SELECT id FROM requests WHERE id = $1 FOR NO KEY UPDATE", r.ID, nil,
			func() error { return s.SweepDue(ctx) }, func() error { return s.SweepDue(ctx) })
		if errs[0] != nil || errs[1] != nil {
			t.Fatal(errs)
		}
		ns, _, err := s.Inbox(ctx, f.anf, 100)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.Kind == NoteRequestOverdue && x.Object == "request:"+r.ID {
				n++
			}
		}
		if n != 1 {
			t.Errorf("the requester is told %d times that the request is overdue, want once", n)
		}
	})
}

// TestReviewRequestByHitNamesRecords: an access request made from a sent
// hit shows the requester (asked_records) the ids of the holder's records
// the hit met, which the hit itself never tells it (architecture: "its own
// sent hits (resolved to the records they met, which the requester does
// not learn)").
func TestReviewRequestByHitNamesRecords(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		held := mustCreate(t, s, f.fia, person("Bashir Ahmed Qureshi", map[string][]string{"idNumber": {"61101-8765432-9"}}, rabta.Marking{Release: rabta.ReleaseOriginator}))
		if _, err := s.Deconflict(ctx, f.anf, DeconflictQuery{Selectors: []ident.Identifier{cnic(t, "6110187654329")}, Purpose: "ANF case 12"}); err != nil {
			t.Fatal(err)
		}
		hs, err := s.Hits(ctx, f.anf, 10)
		if err != nil || len(hs) != 1 || hs[0].Direction != "sent" || len(hs[0].Records) != 0 {
			t.Fatalf("ANF's hits: %+v %v", hs, err)
		}
		r := &rabta.Request{Type: rabta.RequestAccess, To: "FIA", Justification: "The CNIC of our suspect",
			Deadline: time.Now().Add(48 * time.Hour), Subjects: rabta.Subjects{Hits: []int64{hs[0].ID}}}
		if err := s.CreateRequest(ctx, f.anf, r); err != nil {
			t.Fatal(err)
		}
		got, err := s.Request(ctx, f.anf, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(got.Asked, held.ID) {
			t.Errorf("the requester learns the id of FIA's record behind its hit: asked_records = %v", got.Asked)
		}
	})
}

// TestReviewCaseChartCountsHidden: a chart saved to a case tells a member
// of another agency how many records were saved on it, including ones it
// may not know exist (an informant's record), though Chart replaces the
// count for exactly that reason for non-members.
func TestReviewCaseChartCountsHidden(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		mine := rabta.Marking{Release: rabta.ReleaseOriginator}
		shared := mustCreate(t, s, f.fia, person("Shahid Afridi Khan", nil, mine))
		informant := mustCreate(t, s, f.fia, person("Source Karachi-7", nil, rabta.Marking{Release: rabta.ReleaseOriginator, Categories: []rabta.Category{rabta.CatInformant}}))
		c := &rabta.Case{Title: "Karachi port"}
		if err := s.CreateCase(ctx, f.fia, c); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCaseMember(ctx, f.fia, c.ID, "anf.analyst", rabta.CaseWorker); err != nil {
			t.Fatal(err)
		}
		if err := s.AttachRecord(ctx, f.fia, c.ID, shared.ID); err != nil {
			t.Fatal(err)
		}
		id, err := s.SaveChart(ctx, withCases(t, s, f.fia), "Port network", ChartState{Nodes: []ChartNode{{ID: shared.ID}, {ID: informant.ID, X: 10}}, Case: c.ID})
		if err != nil {
			t.Fatal(err)
		}
		anf := withCases(t, s, f.anf)
		if a := accessOf(t, s, anf, informant.ID); a != rabta.AccessNone {
			t.Fatalf("ANF sees the informant record: %s", a)
		}
		ch, err := s.Chart(ctx, anf, id)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Nodes != len(ch.Network.Nodes) {
			t.Errorf("Chart: ANF's case member is told the chart has %d records; it sees %d (the other is an informant record it may not know of)", ch.Nodes, len(ch.Network.Nodes))
		}
		list, err := s.Charts(ctx, anf, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.ID == id && x.Nodes != len(ch.Network.Nodes) {
				t.Errorf("Charts: ANF's list says %d records on the chart; it may know of %d", x.Nodes, len(ch.Network.Nodes))
			}
		}
	})
}

// TestReviewDetachRevealsHiddenAttachment: detaching by id answers
// differently for a record attached to the case that the caller may not
// know exists (an informant's) and for one that is not there: a manager
// even detaches it (success), a member gets "forbidden" instead of "not
// attached".
func TestReviewDetachRevealsHiddenAttachment(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		anfLead := mkUser(t, s, "anf.investigator", "ANF", rabta.RoleInvestigator)
		informant := mustCreate(t, s, f.fia, person("Source Karachi-7", nil, rabta.Marking{Release: rabta.ReleaseOriginator, Categories: []rabta.Category{rabta.CatInformant}}))
		c := &rabta.Case{Title: "Joint heroin case"}
		if err := s.CreateCase(ctx, anfLead, c); err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"fia.analyst", "anf.analyst"} {
			if err := s.AddCaseMember(ctx, anfLead, c.ID, u, rabta.CaseWorker); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AttachRecord(ctx, withCases(t, s, f.fia), c.ID, informant.ID); err != nil {
			t.Fatal(err)
		}
		lead, member := withCases(t, s, anfLead), withCases(t, s, f.anf)
		got, err := s.Case(ctx, lead, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Records) != 0 {
			t.Fatalf("ANF's lead sees %+v", got.Records)
		}
		missing := "0190a0a0-0000-7000-8000-000000000000"
		if a, b := rabta.ErrorCode(s.DetachRecord(ctx, member, c.ID, informant.ID)), rabta.ErrorCode(s.DetachRecord(ctx, member, c.ID, missing)); a != b {
			t.Errorf("member: detaching the hidden informant record answers %q, a missing one %q", a, b)
		}
		if a, b := rabta.ErrorCode(s.DetachRecord(ctx, lead, c.ID, informant.ID)), rabta.ErrorCode(s.DetachRecord(ctx, lead, c.ID, missing)); a != b {
			t.Errorf("lead: detaching the hidden informant record answers %q (it was detached), a missing one %q", a, b)
		}
	})
}

// TestReviewWithheldReplyAttachment: a reply the reader is not cleared for
// is withheld ("sees that a reply exists and nothing more"), yet its
// attachment's name is listed and its file downloads: the attachment
// defaults to Restricted whatever the reply's classification.
func TestReviewWithheldReplyAttachment(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		anfSup := mkUser(t, s, "anf.supervisor", "ANF", rabta.RoleSupervisor)
		r := &rabta.Request{Type: rabta.RequestRFI, To: "ANF", Justification: "Who uses this number?",
			Deadline: time.Now().Add(48 * time.Hour), Subjects: rabta.Subjects{Selectors: []string{"03001234567"}}}
		if err := s.CreateRequest(ctx, f.fia, r); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReplyRequest(ctx, anfSup, r.ID, rabta.Reply{Body: "Our source met him twice in Quetta.", Classification: rabta.Secret}, false); err != nil {
			t.Fatal(err)
		}
		full, err := s.Request(ctx, anfSup, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		at := &rabta.Attachment{Name: "source-debrief-quetta.pdf"}
		if err := s.AddReplyAttachment(ctx, anfSup, r.ID, full.Replies[0].ID, at, []byte("debrief")); err != nil {
			t.Fatal(err)
		}
		low, err := s.Request(ctx, f.fiaLow, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		rp := low.Replies[0]
		if !rp.Withheld {
			t.Fatalf("reply not withheld from a Restricted reader")
		}
		if len(rp.Attachments) > 0 && !rp.Attachments[0].Withheld {
			t.Errorf("withheld reply shows its attachment %q to a reader not cleared for the reply", rp.Attachments[0].Name)
		}
		if _, _, err := s.ReplyAttachmentContent(ctx, f.fiaLow, r.ID, at.ID); err == nil {
			t.Errorf("a reader not cleared for the reply downloads its attachment")
		}
	})
}

// TestReviewOperationPlaceRecoverable: the distance a conflict reports,
// to the metre, lets an agency locate another's operation by registering
// three probing operations ("never the other's ... place").
func TestReviewOperationPlaceRecoverable(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		start := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
		secret := &rabta.Operation{Type: rabta.OpRaid, Title: "Raid on the Tarnol godown", Lat: 33.6412, Lon: 72.9301, RadiusM: 300,
			Start: start, End: start.Add(3 * time.Hour)}
		if err := s.CreateOperation(ctx, f.anf, secret); err != nil {
			t.Fatal(err)
		}
		probes := [][2]float64{{33.70, 73.00}, {33.60, 72.90}, {33.66, 73.05}}
		var d [3]float64
		for i, pr := range probes {
			o := &rabta.Operation{Type: rabta.OpSurveillance, Title: "probe", Lat: pr[0], Lon: pr[1], RadiusM: 20000, Start: start, End: start.Add(time.Hour)}
			if err := s.CreateOperation(ctx, f.fia, o); err != nil {
				t.Fatal(err)
			}
			if len(o.Conflicts) != 1 {
				t.Fatalf("probe %d: %+v", i, o.Conflicts)
			}
			d[i] = o.Conflicts[0].Overlap.DistanceM
		}
		// Trilaterate on a local plane around the first probe.
		lat0, lon0 := probes[0][0], probes[0][1]
		const R = 6371000.0
		xy := func(lat, lon float64) (float64, float64) {
			return (lon - lon0) * math.Pi / 180 * R * math.Cos(lat0*math.Pi/180), (lat - lat0) * math.Pi / 180 * R
		}
		var px, py [3]float64
		for i, pr := range probes {
			px[i], py[i] = xy(pr[0], pr[1])
		}
		a1, b1 := 2*(px[1]-px[0]), 2*(py[1]-py[0])
		c1 := d[0]*d[0] - d[1]*d[1] + px[1]*px[1] - px[0]*px[0] + py[1]*py[1] - py[0]*py[0]
		a2, b2 := 2*(px[2]-px[0]), 2*(py[2]-py[0])
		c2 := d[0]*d[0] - d[2]*d[2] + px[2]*px[2] - px[0]*px[0] + py[2]*py[2] - py[0]*py[0]
		det := a1*b2 - a2*b1
		x, y := (c1*b2-c2*b1)/det, (a1*c2-a2*c1)/det
		lat := lat0 + y/R*180/math.Pi
		lon := lon0 + x/(R*math.Cos(lat0*math.Pi/180))*180/math.Pi
		if e := gazetteer.Distance(lat, lon, secret.Lat, secret.Lon); e < 1000 {
			t.Errorf("FIA located ANF's operation from three conflicts to within %.0f m (%.5f, %.5f)", e, lat, lon)
		}
	})
}

// TestReviewGrantListsHiddenLink: grantsIn (and ApproveRequest) decide
// with meta.decide, which does not narrow a link by its ends. A link
// asked for while it was a pointer, whose end has since become an
// informant's record, is granted, and the grant names it to the grantee
// though for the grantee it is now "none" (Record says not found,
// asked_records leaves it out).
func TestReviewGrantListsHiddenLink(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		mine := rabta.Marking{Release: rabta.ReleaseOriginator}
		phone := func(n string) *rabta.Record {
			return mustCreate(t, s, f.fia, &rabta.Record{Schema: "Phone", Properties: map[string][]string{"number": {n}}, Marking: mine})
		}
		a, b := phone("03001000001"), phone("03001000002")
		call := mustCreate(t, s, f.fia, &rabta.Record{Schema: "Call", Marking: mine, Properties: map[string][]string{
			"callerPhone": {a.ID}, "receiverPhone": {b.ID}, "startDate": {"2024-03-01T10:00:00"}}})
		if acc := accessOf(t, s, f.anf, call.ID); acc != rabta.AccessPointer {
			t.Fatalf("ANF sees the call %s", acc)
		}
		r := &rabta.Request{Type: rabta.RequestAccess, To: "FIA", Justification: "The call in our intercept",
			Deadline: time.Now().Add(48 * time.Hour), Subjects: rabta.Subjects{Records: []string{call.ID}}}
		if err := s.CreateRequest(ctx, f.anf, r); err != nil {
			t.Fatal(err)
		}
		// FIA learns that b is its informant's phone.
		rb, err := s.Record(ctx, f.fia, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		rb.Marking.Categories = []rabta.Category{rabta.CatInformant}
		if err := s.UpdateRecord(ctx, f.fia, rb); err != nil {
			t.Fatal(err)
		}
		g, err := s.ApproveRequest(ctx, fiaSup, r.ID, Approval{})
		if err != nil {
			t.Fatal(err)
		}
		_ = g
		if acc := accessOf(t, s, f.anf, call.ID); acc != rabta.AccessNone {
			t.Fatalf("ANF sees the call %s", acc)
		}
		gs, err := s.Grants(ctx, f.anf)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range gs {
			if slices.Contains(x.Records, call.ID) {
				t.Errorf("ANF's grant names the call %s, which ANF may not know of (its end is an informant's phone)", call.ID)
			}
		}
	})
}

// TestReviewSuspendedCaseWidens: "A record attached to a case by its
// holding agency is permitted to every member of the case while the case
// is open" — SetCaseStatus drops the widening only for closed, so a
// suspended case keeps widening.
func TestReviewSuspendedCaseWidens(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		rec := mustCreate(t, s, f.fia, person("Shahid Afridi Khan", nil, rabta.Marking{Release: rabta.ReleaseOriginator}))
		c := &rabta.Case{Title: "Gwadar route"}
		if err := s.CreateCase(ctx, f.fia, c); err != nil {
			t.Fatal(err)
		}
		if err := s.AddCaseMember(ctx, f.fia, c.ID, "anf.analyst", rabta.CaseWorker); err != nil {
			t.Fatal(err)
		}
		if err := s.AttachRecord(ctx, f.fia, c.ID, rec.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SetCaseStatus(ctx, f.fia, c.ID, rabta.CaseSuspended); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, withCases(t, s, f.anf), rec.ID); a != rabta.AccessPointer {
			t.Errorf("case suspended: its ANF member still sees FIA's record %s", a)
		}
	})
}

// TestReviewCaseGrantOutlivesClose: SetCaseStatus says closing "is the end
// of the members' need to know, so its shares are dropped too", but a
// grant made for the case (Share{Agency, Case}) keeps widening to the
// grantee's members of the closed case.
func TestReviewCaseGrantOutlivesClose(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		rec := mustCreate(t, s, f.fia, person("Imran Baloch", nil, rabta.Marking{Release: rabta.ReleaseOriginator}))
		c := &rabta.Case{Title: "ANF heroin case"}
		if err := s.CreateCase(ctx, f.anf, c); err != nil {
			t.Fatal(err)
		}
		anf := withCases(t, s, f.anf)
		r := &rabta.Request{Type: rabta.RequestAccess, To: "FIA", Case: c.ID, Justification: "Same man in our case",
			Deadline: time.Now().Add(48 * time.Hour), Subjects: rabta.Subjects{Records: []string{rec.ID}}}
		if err := s.CreateRequest(ctx, anf, r); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveRequest(ctx, fiaSup, r.ID, Approval{}); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, anf, rec.ID); a != rabta.AccessFull {
			t.Fatalf("grant for the case: %s", a)
		}
		if err := s.SetCaseStatus(ctx, anf, c.ID, rabta.CaseClosed); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, anf, rec.ID); a != rabta.AccessPointer {
			t.Errorf("case closed: the grant made for it still shows ANF's member FIA's record %s", a)
		}
	})
}

// TestReviewUnauditedCoopActions: MarkRead writes without an audit event,
// and a probe for a case or request the caller may not see leaves no trace
// (Record logs its not_found reads).
func TestReviewUnauditedCoopActions(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		c := &rabta.Case{Title: "FIA only"}
		if err := s.CreateCase(ctx, f.fia, c); err != nil {
			t.Fatal(err)
		}
		r := &rabta.Request{Type: rabta.RequestRFI, To: "FIA", Justification: "Who owns this number?",
			Deadline: time.Now().Add(48 * time.Hour), Subjects: rabta.Subjects{Selectors: []string{"03001234567"}}}
		if err := s.CreateRequest(ctx, f.anf, r); err != nil {
			t.Fatal(err)
		}
		ngo := mkUser(t, s, "ngo.analyst", "NGO", rabta.RoleAnalyst)
		for _, x := range []struct {
			what string
			do   func() error
		}{
			{"mark inbox read", func() error { return s.MarkRead(ctx, f.fia, nil) }},
			{"read another agency's case", func() error { _, err := s.Case(ctx, f.anf, c.ID); return err }},
			{"read a request between two other agencies", func() error { _, err := s.Request(ctx, ngo, r.ID); return err }},
		} {
			before := len(allEvents(t, s))
			err := x.do()
			if after := len(allEvents(t, s)); after == before {
				t.Errorf("%s (%v): no audit event", x.what, err)
			}
		}
	})
}

// TestReviewTwoApprovalsLoseAGrant: two supervisors approve two requests
// (ANF's and NGO's) for the same record at once: each refreshShares reads
// the grants without the other's, and the later UPDATE of records.shares
// wins, so one committed grant gives no access.
func TestReviewTwoApprovalsLoseAGrant(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		onlyPostgres(t, s)
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		fiaSup2 := mkUser(t, s, "fia.supervisor2", "FIA", rabta.RoleSupervisor)
		ngo := mkUser(t, s, "ngo.analyst", "NGO", rabta.RoleAnalyst)
		rec := mustCreate(t, s, f.fia, person("Imran Baloch", nil, rabta.Marking{Release: rabta.ReleaseOriginator}))
		ask := func(p rabta.Principal) *rabta.Request {
			r := &rabta.Request{Type: rabta.RequestAccess, To: "FIA", Justification: "Same man in our case file",
				Deadline: time.Now().Add(48 * time.Hour), Subjects: rabta.Subjects{Records: []string{rec.ID}}}
			if err := s.CreateRequest(ctx, p, r); err != nil {
				t.Fatal(err)
			}
			return r
		}
		r1, r2 := ask(f.anf), ask(ngo)
		errs := reviewRace(t, s, ridOf(t, s, rec.ID),
			func() error { _, err := s.ApproveRequest(ctx, fiaSup, r1.ID, Approval{}); return err },
			func() error { _, err := s.ApproveRequest(ctx, fiaSup2, r2.ID, Approval{}); return err })
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("approvals: %v", errs)
		}
		var shares string
		s.db.QueryRowContext(ctx, "SELECT shares FROM records WHERE id = $1", rec.ID).Scan(&shares)
		for _, p := range []rabta.Principal{f.anf, ngo} {
			if a := accessOf(t, s, p, rec.ID); a != rabta.AccessFull {
				t.Errorf("%s's grant is approved but %s sees the record %s (records.shares = %q)", p.Agency, p.Username, a, shares)
			}
		}
	})
}

// TestReviewCaseMemberEnumeratesUsers: AddCaseMember checks the username
// before the case, so anyone signed in learns whether a user exists and
// whether its roles work cases, with any case id (sign-in, by contrast,
// answers the same whether the user exists or not).
func TestReviewCaseMemberEnumeratesUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		noCase := "0190a0a0-0000-7000-8000-000000000000"
		exists := s.AddCaseMember(ctx, f.ngoProt, noCase, "fia.analyst", rabta.CaseWorker)
		auditor := s.AddCaseMember(ctx, f.ngoProt, noCase, "auditor", rabta.CaseWorker)
		missing := s.AddCaseMember(ctx, f.ngoProt, noCase, "no.such.user", rabta.CaseWorker)
		if rabta.ErrorMessage(exists) != rabta.ErrorMessage(missing) || rabta.ErrorMessage(auditor) != rabta.ErrorMessage(missing) {
			t.Errorf("for a case that does not exist: existing user %q, auditor %q, missing user %q", rabta.ErrorMessage(exists), rabta.ErrorMessage(auditor), rabta.ErrorMessage(missing))
		}
	})
}
