package sqlstore

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta"
)

// withCases is p as the server builds it: with its case memberships.
func withCases(t *testing.T, s *Store, p rabta.Principal) rabta.Principal {
	t.Helper()
	cs, err := s.UserCases(context.Background(), p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	p.Cases = cs
	return p
}

// TestJointCase: a joint case widens the records its holding agencies
// attach to the case's members only (clearance and protected categories
// still hold), every such read names the case in the audit log, and
// detaching, removing a member or closing the case narrows access again.
func TestJointCase(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaInv := mkUser(t, s, "fia.investigator", "FIA", rabta.RoleInvestigator)
		anfInv := mkUser(t, s, "anf.investigator", "ANF", rabta.RoleInvestigator)
		anfSup := mkUser(t, s, "anf.supervisor", "ANF", rabta.RoleSupervisor)
		mine := rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Restricted}
		smuggler := mustCreate(t, s, f.fia, person("Shahid Afridi Khan", nil, mine))
		victim := mustCreate(t, s, f.fia, person("Victim A", nil, rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Restricted, Categories: []rabta.Category{rabta.CatVictim}}))
		secret := mustCreate(t, s, f.fia, person("Secret source", nil, rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Secret}))
		courier := mustCreate(t, s, f.anf, person("Courier B", nil, mine))

		c := &rabta.Case{Title: "Gwadar route: migrant smuggling and heroin", Offences: []string{"psma-3", "CNSA-9"}}
		if err := s.CreateCase(ctx, fiaInv, c); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(c.Number, "FIA-") || !slices.Equal(c.Offences, []string{"CNSA-9", "PSMA-3"}) {
			t.Fatalf("case %+v", c)
		}
		wantCode(t, s.CreateCase(ctx, fiaInv, &rabta.Case{Title: "x", Offences: []string{"PPC-9999"}}), rabta.EInvalid, "unknown offence")
		if _, err := s.Case(ctx, anfInv, c.ID); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Fatalf("a non-member reads the case: %v", err)
		}
		wantCode(t, s.AddCaseMember(ctx, anfInv, c.ID, "anf.investigator", rabta.CaseWorker), rabta.ENotFound, "a non-member adds itself")
		if err := s.AddCaseMember(ctx, fiaInv, c.ID, "anf.investigator", rabta.CaseWorker); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{smuggler.ID, secret.ID} {
			if err := s.AttachRecord(ctx, fiaInv, c.ID, id); err != nil {
				t.Fatal(err)
			}
		}
		// A victim's record: only the protection role sees it in full, so
		// only a protection officer can attach it.
		wantCode(t, s.AttachRecord(ctx, fiaInv, c.ID, victim.ID), rabta.EForbidden, "an investigator attaches a victim record")
		fiaProt := mkUser(t, s, "fia.protection", "FIA", rabta.RoleProtection)
		if err := s.AddCaseMember(ctx, fiaInv, c.ID, "fia.protection", rabta.CaseWorker); err != nil {
			t.Fatal(err)
		}
		if err := s.AttachRecord(ctx, fiaProt, c.ID, victim.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.AttachRecord(ctx, fiaInv, c.ID, courier.ID), rabta.EForbidden, "attaching a record seen as a pointer")
		if err := s.AttachRecord(ctx, withCases(t, s, anfInv), c.ID, courier.ID); err != nil {
			t.Fatal(err)
		}
		anf := withCases(t, s, anfInv)
		fia := withCases(t, s, fiaInv)
		lowANF := anf
		lowANF.Clearance = rabta.Restricted
		for _, x := range []struct {
			who  string
			p    rabta.Principal
			id   string
			want rabta.Access
		}{
			{"ANF member, FIA record", anf, smuggler.ID, rabta.AccessFull},
			{"ANF member, FIA victim", anf, victim.ID, rabta.AccessPointer},
			{"ANF member, FIA secret record", lowANF, secret.ID, rabta.AccessPointer},
			{"FIA member, ANF record", fia, courier.ID, rabta.AccessFull},
			{"ANF non-member", f.anf, smuggler.ID, rabta.AccessPointer},
			{"ANF supervisor, not a member", withCases(t, s, anfSup), smuggler.ID, rabta.AccessPointer},
		} {
			if got := accessOf(t, s, x.p, x.id); got != x.want {
				t.Errorf("%s: %s, want %s", x.who, got, x.want)
			}
		}
		// The read through the case names it as the purpose.
		evs, err := s.AuditEvents(ctx, f.auditor, AuditFilter{Object: smuggler.ID, Username: "anf.investigator", Action: rabta.ActRecordRead, Limit: 10})
		if err != nil || len(evs) == 0 || !strings.HasPrefix(evs[0].Purpose, "case:"+c.ID) {
			t.Fatalf("audit of a read through the case: %+v %v", evs, err)
		}
		// So does a search that finds it only through the case.
		if res, err := s.Search(ctx, anf, SearchQuery{Q: "Shahid Afridi Khan"}); err != nil || len(res.Results) == 0 || res.Results[0].Access != rabta.AccessFull {
			t.Fatalf("search through the case: %+v %v", res, err)
		}
		evs, err = s.AuditEvents(ctx, f.auditor, AuditFilter{Username: "anf.investigator", Action: rabta.ActSearch, Limit: 1})
		if err != nil || len(evs) == 0 || !strings.Contains(evs[0].Purpose, "case:"+c.ID) {
			t.Fatalf("audit of a search through the case: %+v %v", evs, err)
		}
		got, err := s.Case(ctx, anf, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Joint || !slices.Equal(got.Agencies, []string{"ANF", "FIA"}) || len(got.Records) != 4 {
			t.Fatalf("case as ANF sees it: joint %v agencies %v records %+v", got.Joint, got.Agencies, got.Records)
		}
		for _, r := range got.Records {
			if r.ID == victim.ID && (r.Caption != "" || r.Access != rabta.AccessPointer || r.Contact == nil) {
				t.Fatalf("the victim record leaks through the case: %+v", r)
			}
		}

		// Milestones, tasks, notes, attachments.
		today := time.Now().In(rabta.PKT).Format("2006-01-02")
		wantCode(t, s.AddMilestone(ctx, anf, c.ID, &rabta.Milestone{Kind: rabta.MilestoneSeizure, Date: today}), rabta.EInvalid, "seizure without quantity")
		if err := s.AddMilestone(ctx, anf, c.ID, &rabta.Milestone{Kind: rabta.MilestoneSeizure, Date: today, Quantity: 12.5, Unit: "kg heroin"}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMilestone(ctx, fia, c.ID, &rabta.Milestone{Kind: rabta.MilestoneAssetsFrozen, Date: today, Amount: 25e6, Currency: "pkr"}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.AddTask(ctx, fia, c.ID, &rabta.Task{Title: "Trace the boat", Assignee: "anf.supervisor"}), rabta.EInvalid, "task for a non-member")
		task := &rabta.Task{Title: "Trace the boat's owner", Assignee: "anf.investigator", Due: today}
		if err := s.AddTask(ctx, fia, c.ID, task); err != nil {
			t.Fatal(err)
		}
		if ns, _, _ := s.Inbox(ctx, anf, 10); !slices.ContainsFunc(ns, func(n Notification) bool { return n.Kind == NoteTaskAssigned }) {
			t.Fatalf("assignee not told: %+v", ns)
		}
		if err := s.SetTaskStatus(ctx, anf, c.ID, task.ID, rabta.TaskDone); err != nil {
			t.Fatal(err)
		}
		if err := s.AddNote(ctx, fia, c.ID, &rabta.Note{Body: "Source says shipment moves Friday", Classification: rabta.Secret}); err != nil {
			t.Fatal(err)
		}
		doc := []byte("%PDF-1.4 statement of the rescued persons")
		if err := s.AddAttachment(ctx, fia, c.ID, &rabta.Attachment{Name: "statements.pdf", MediaType: "application/pdf", Categories: []rabta.Category{rabta.CatVictim}}, doc); err != nil {
			t.Fatal(err)
		}
		plain := &rabta.Attachment{Name: "route-map.txt", MediaType: "text/plain"}
		if err := s.AddAttachment(ctx, fia, c.ID, plain, []byte("Gwadar - Turbat - Panjgur")); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAttachment(ctx, anf, c.ID, &rabta.Attachment{Name: "copy.txt"}, []byte("Gwadar - Turbat - Panjgur")); err != nil {
			t.Fatal(err)
		}
		var blobs int
		s.db.QueryRowContext(ctx, "SELECT count(*) FROM blobs").Scan(&blobs)
		if blobs != 2 {
			t.Fatalf("%d blobs for two distinct contents", blobs)
		}
		got, err = s.Case(ctx, lowANF, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Notes) != 1 || !got.Notes[0].Withheld || got.Notes[0].Body != "" {
			t.Fatalf("a secret note for a restricted reader: %+v", got.Notes)
		}
		if len(got.Attachments) != 3 || !got.Attachments[0].Withheld || got.Attachments[0].Name != "" {
			t.Fatalf("a victim's file for ANF's investigator: %+v", got.Attachments)
		}
		if _, _, err := s.AttachmentContent(ctx, anf, c.ID, got.Attachments[0].ID); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Fatalf("opening a withheld file: %v", err)
		}
		if _, body, err := s.AttachmentContent(ctx, anf, c.ID, plain.ID); err != nil || !bytes.Equal(body, []byte("Gwadar - Turbat - Panjgur")) {
			t.Fatalf("opening a file: %q %v", body, err)
		}
		if len(got.Timeline) < 8 || len(got.Milestones) != 2 || got.Tasks[0].Status != rabta.TaskDone {
			t.Fatalf("timeline %d, milestones %d, tasks %+v", len(got.Timeline), len(got.Milestones), got.Tasks)
		}

		// A grant only to the case: only FIA's members of the case.
		req := &rabta.Request{Type: rabta.RequestAccess, To: "ANF", Case: c.ID, Justification: "Courier's phone for the joint case",
			Deadline: time.Now().Add(24 * time.Hour), Subjects: rabta.Subjects{Records: []string{mustCreate(t, s, f.anf, person("Boat owner C", nil, mine)).ID}}}
		if err := s.CreateRequest(ctx, fia, req); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveRequest(ctx, anfSup, req.ID, Approval{}); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, fia, req.Subjects.Records[0]); a != rabta.AccessFull {
			t.Errorf("case grant, FIA member: %s", a)
		}
		if a := accessOf(t, s, f.fia, req.Subjects.Records[0]); a != rabta.AccessPointer {
			t.Errorf("case grant, FIA non-member: %s", a)
		}

		// Narrowing: removal, detaching, closing.
		if err := s.RemoveCaseMember(ctx, fiaInv, c.ID, "anf.investigator"); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, withCases(t, s, anfInv), smuggler.ID); a != rabta.AccessPointer {
			t.Errorf("removed member: %s", a)
		}
		if err := s.DetachRecord(ctx, fiaInv, c.ID, courier.ID); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, fia, courier.ID); a != rabta.AccessPointer {
			t.Errorf("detached: %s", a)
		}
		if err := s.AddCaseMember(ctx, fiaInv, c.ID, "anf.investigator", rabta.CaseObserver); err != nil {
			t.Fatal(err)
		}
		anf = withCases(t, s, anfInv)
		if a := accessOf(t, s, anf, smuggler.ID); a != rabta.AccessFull {
			t.Errorf("observer: %s", a)
		}
		wantCode(t, s.AddNote(ctx, anf, c.ID, &rabta.Note{Body: "x"}), rabta.EForbidden, "observer writes")
		if err := s.SetCaseStatus(ctx, fiaInv, c.ID, rabta.CaseClosed); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, anf, smuggler.ID); a != rabta.AccessPointer {
			t.Errorf("closed case: %s", a)
		}
		wantCode(t, s.AddNote(ctx, fia, c.ID, &rabta.Note{Body: "late"}), rabta.EConflict, "note in a closed case")
		if err := s.SetCaseStatus(ctx, fiaInv, c.ID, rabta.CaseOpen); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, anf, smuggler.ID); a != rabta.AccessFull {
			t.Errorf("reopened case: %s", a)
		}
	})
}
