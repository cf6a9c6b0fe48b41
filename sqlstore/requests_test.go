package sqlstore

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rabta/rabta"
)

func mkUser(t *testing.T, s *Store, name, agency string, roles ...rabta.Role) rabta.Principal {
	t.Helper()
	u := &rabta.User{Username: name, Agency: agency, Roles: roles, Clearance: rabta.Secret}
	if err := s.CreateUser(context.Background(), System, u, "x"); err != nil {
		t.Fatal(err)
	}
	return rabta.PrincipalOf(u)
}

func wantCode(t *testing.T, err error, code string, what string) {
	t.Helper()
	if rabta.ErrorCode(err) != code {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
}

func auditActions(t *testing.T, s *Store, object string) []string {
	t.Helper()
	auditor := rabta.Principal{Username: "auditor", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAuditor}, Clearance: rabta.Secret}
	evs, err := s.AuditEvents(context.Background(), auditor, AuditFilter{Object: object, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Action)
	}
	slices.Sort(out)
	return out
}

// TestAccessRequestGrant: an access request, approved, widens access to
// exactly the granted record for the requesting agency, and revoking (or
// the grant lapsing) narrows it back; every step is audited and bad input
// changes nothing.
func TestAccessRequestGrant(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		anfSup := mkUser(t, s, "anf.supervisor", "ANF", rabta.RoleSupervisor)
		mine := rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Restricted}
		subject := mustCreate(t, s, f.fia, person("Imran Baloch", map[string][]string{"idNumber": {"3520212345671"}}, mine))
		other := mustCreate(t, s, f.fia, person("Tariq Mehmood", nil, mine))
		if a := accessOf(t, s, f.anf, subject.ID); a != rabta.AccessPointer {
			t.Fatalf("before: ANF sees %s", a)
		}
		now := time.Now()
		good := func() *rabta.Request {
			return &rabta.Request{Type: rabta.RequestAccess, To: "FIA", Justification: "Same CNIC in our heroin case",
				Deadline: now.Add(48 * time.Hour), Subjects: rabta.Subjects{Records: []string{subject.ID}}}
		}
		// Bad input: refused, nothing stored.
		bad := []struct {
			name string
			edit func(r *rabta.Request)
		}{
			{"unknown agency", func(r *rabta.Request) { r.To = "NOPE" }},
			{"deadline past", func(r *rabta.Request) { r.Deadline = now.Add(-time.Hour) }},
			{"own agency", func(r *rabta.Request) { r.To = "ANF" }},
			{"no justification", func(r *rabta.Request) { r.Justification = "" }},
			{"wrong holder", func(r *rabta.Request) { r.To = "NGO" }},
			{"unknown record", func(r *rabta.Request) { r.Subjects.Records = []string{"nope"} }},
			{"bad type", func(r *rabta.Request) { r.Type = "favour" }},
		}
		for _, b := range bad {
			r := good()
			b.edit(r)
			wantCode(t, s.CreateRequest(ctx, f.anf, r), rabta.EInvalid, b.name)
		}
		if rs, err := s.Requests(ctx, f.anf, RequestFilter{}); err != nil || len(rs) != 0 {
			t.Fatalf("bad requests stored: %v %v", rs, err)
		}

		req := good()
		if err := s.CreateRequest(ctx, f.anf, req); err != nil {
			t.Fatal(err)
		}
		if req.State != rabta.StateSubmitted || req.From != "ANF" {
			t.Fatalf("created %+v", req)
		}
		ns, unread, err := s.Inbox(ctx, fiaSup, 10)
		if err != nil || unread != 1 || ns[0].Kind != NoteRequestReceived || ns[0].Object != "request:"+req.ID {
			t.Fatalf("FIA supervisor inbox: %+v %d %v", ns, unread, err)
		}
		if ns, _, _ := s.Inbox(ctx, f.fia, 10); len(ns) != 0 {
			t.Fatalf("the request went to FIA analysts too: %+v", ns)
		}
		if _, err := s.Request(ctx, f.ngoProt, req.ID); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Fatalf("a third agency reads the request: %v", err)
		}

		// Approval by the wrong people changes nothing.
		_, err = s.ApproveRequest(ctx, anfSup, req.ID, Approval{})
		wantCode(t, err, rabta.EForbidden, "approval by the requesting agency")
		_, err = s.ApproveRequest(ctx, f.fia, req.ID, Approval{})
		wantCode(t, err, rabta.EForbidden, "approval by an analyst")
		if a := accessOf(t, s, f.anf, subject.ID); a != rabta.AccessPointer {
			t.Fatalf("after refused approvals: ANF sees %s", a)
		}
		if _, err := s.AcknowledgeRequest(ctx, fiaSup, req.ID); err != nil {
			t.Fatal(err)
		}
		g, err := s.ApproveRequest(ctx, fiaSup, req.ID, Approval{})
		if err != nil {
			t.Fatal(err)
		}
		if !g.Active || g.Grantee != "ANF" || !slices.Equal(g.Records, []string{subject.ID}) {
			t.Fatalf("grant %+v", g)
		}
		if a := accessOf(t, s, f.anf, subject.ID); a != rabta.AccessFull {
			t.Fatalf("granted: ANF sees %s", a)
		}
		for _, x := range []struct {
			p  rabta.Principal
			id string
			a  rabta.Access
		}{{f.anf, other.ID, rabta.AccessPointer}, {f.ngoProt, subject.ID, rabta.AccessPointer}, {f.anfProt, subject.ID, rabta.AccessPointer}} {
			if a := accessOf(t, s, x.p, x.id); a != x.a {
				t.Fatalf("%s on %s: %s, want %s", x.p.Username, x.id, a, x.a)
			}
		}
		res, err := s.Search(ctx, f.anf, SearchQuery{Q: "Imran Baloch"})
		if err != nil || len(res.Results) == 0 || res.Results[0].Access != rabta.AccessFull {
			t.Fatalf("search after grant: %+v %v", res, err)
		}
		if _, err := s.ApproveRequest(ctx, fiaSup, req.ID, Approval{}); rabta.ErrorCode(err) != rabta.EConflict {
			t.Fatalf("approving twice: %v", err)
		}
		got, err := s.Request(ctx, f.anf, req.ID)
		if err != nil || got.State != rabta.StateAnswered || got.Grant == nil || got.Grant.ID != g.ID {
			t.Fatalf("request after approval: %+v %v", got, err)
		}

		// Revocation: only the holder's supervisor; access falls back at once.
		_, err = s.RevokeGrant(ctx, anfSup, g.ID)
		wantCode(t, err, rabta.EForbidden, "revocation by the grantee")
		if _, err := s.RevokeGrant(ctx, fiaSup, g.ID); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, f.anf, subject.ID); a != rabta.AccessPointer {
			t.Fatalf("revoked: ANF sees %s", a)
		}
		if ns, _, _ := s.Inbox(ctx, f.anf, 10); len(ns) == 0 || ns[0].Kind != NoteGrantRevoked {
			t.Fatalf("ANF inbox after revocation: %+v", ns)
		}
		// Two reads (the third agency's probe logged as not found), two
		// refused approvals (logged as denied), the acknowledgement and
		// the approval.
		want := []string{rabta.ActGrantCreate, rabta.ActGrantRevoke, rabta.ActRequestCreate, rabta.ActRequestRead, rabta.ActRequestRead,
			rabta.ActRequestUpdate, rabta.ActRequestUpdate, rabta.ActRequestUpdate, rabta.ActRequestUpdate}
		if got := auditActions(t, s, "request:"+req.ID); !slices.Equal(got, want) {
			t.Fatalf("audit of the request: %v, want %v", got, want)
		}
		evs, _ := s.AuditEvents(ctx, f.auditor, AuditFilter{Object: "request:" + req.ID, Action: rabta.ActRequestUpdate, Limit: 10})
		denied := 0
		for _, e := range evs {
			if e.Outcome == "denied" {
				denied++
				if e.Username != "anf.supervisor" && e.Username != "fia.analyst" {
					t.Errorf("denied attempt by %s", e.Username)
				}
			}
		}
		if denied != 2 {
			t.Errorf("%d denied attempts logged, want 2", denied)
		}

		// A grant with an end lapses by itself.
		req2 := good()
		if err := s.CreateRequest(ctx, f.anf, req2); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ApproveRequest(ctx, fiaSup, req2.ID, Approval{Until: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if a := accessOf(t, s, f.anf, subject.ID); a != rabta.AccessFull {
			t.Fatalf("time-limited grant: ANF sees %s", a)
		}
		s.SetClock(func() time.Time { return now.Add(2 * time.Hour) })
		if a := accessOf(t, s, f.anf, subject.ID); a != rabta.AccessPointer {
			t.Fatalf("lapsed grant: ANF sees %s", a)
		}
		if c, err := s.Count(ctx, f.anf, "Person"); err != nil || c.Full != 0 {
			t.Fatalf("count after the grant lapsed: %+v %v", c, err)
		}
	})
}

// TestRequestStates: rfi answered, refused, withdrawn, overdue.
func TestRequestStates(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		now := time.Now()
		rfi := func() *rabta.Request {
			return &rabta.Request{Type: rabta.RequestRFI, To: "FIA", Justification: "Who uses this number?",
				Deadline: now.Add(24 * time.Hour), Subjects: rabta.Subjects{Selectors: []string{"+923001234567"}}}
		}
		a, b, c := rfi(), rfi(), rfi()
		for _, r := range []*rabta.Request{a, b, c} {
			if err := s.CreateRequest(ctx, f.anf, r); err != nil {
				t.Fatal(err)
			}
		}
		// Answer: a supervisor's final reply, with its own marking.
		if _, err := s.ReplyRequest(ctx, f.fia, a.ID, rabta.Reply{Body: "Subscriber is X"}, true); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Fatalf("analyst's final answer: %v", err)
		}
		if _, err := s.ReplyRequest(ctx, fiaSup, a.ID, rabta.Reply{Body: "Subscriber: a shop in Quetta", Classification: rabta.Secret}, true); err != nil {
			t.Fatal(err)
		}
		got, err := s.Request(ctx, f.anf, a.ID)
		if err != nil || got.State != rabta.StateAnswered || len(got.Replies) != 1 || got.Replies[0].Body == "" {
			t.Fatalf("answered: %+v %v", got, err)
		}
		got, err = s.Request(ctx, f.fiaLow, a.ID)
		if err != nil || !got.Replies[0].Withheld || got.Replies[0].Body != "" {
			t.Fatalf("a reply above the reader's clearance: %+v %v", got, err)
		}
		// A reply's attachment: its author attaches, both agencies open it.
		reply := got.Replies[0].ID
		file := &rabta.Attachment{Name: "subscriber.pdf", MediaType: "application/pdf", Classification: rabta.Confidential}
		if err := s.AddReplyAttachment(ctx, f.fia, a.ID, reply, &rabta.Attachment{Name: "x.txt"}, []byte("x")); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Fatalf("attaching to another's reply: %v", err)
		}
		if err := s.AddReplyAttachment(ctx, fiaSup, a.ID, reply, file, []byte("%PDF subscriber record")); err != nil {
			t.Fatal(err)
		}
		if _, body, err := s.ReplyAttachmentContent(ctx, f.anf, a.ID, file.ID); err != nil || string(body) != "%PDF subscriber record" {
			t.Fatalf("the requester opens the reply's file: %q %v", body, err)
		}
		if _, _, err := s.ReplyAttachmentContent(ctx, f.ngoProt, a.ID, file.ID); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Fatalf("a third agency opens the reply's file: %v", err)
		}
		if got, _ := s.Request(ctx, f.fiaLow, a.ID); len(got.Replies[0].Attachments) != 1 || !got.Replies[0].Attachments[0].Withheld {
			t.Fatalf("a confidential file for a restricted reader: %+v", got.Replies[0].Attachments)
		}
		if _, err := s.RefuseRequest(ctx, fiaSup, b.ID, ""); rabta.ErrorCode(err) != rabta.EInvalid {
			t.Fatalf("refusal without reason: %v", err)
		}
		if _, err := s.RefuseRequest(ctx, fiaSup, b.ID, "Not our subscriber"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WithdrawRequest(ctx, fiaSup, c.ID); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Fatalf("withdrawal by the receiver: %v", err)
		}
		d := rfi()
		if err := s.CreateRequest(ctx, f.anf, d); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WithdrawRequest(ctx, f.anf, c.ID); err != nil {
			t.Fatal(err)
		}
		s.SetClock(func() time.Time { return now.Add(25 * time.Hour) })
		if err := s.SweepDue(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.SweepDue(ctx); err != nil { // once only
			t.Fatal(err)
		}
		over, err := s.Requests(ctx, f.anf, RequestFilter{Box: "out", State: "overdue"})
		if err != nil || len(over) != 1 || over[0].ID != d.ID || !over[0].Overdue {
			t.Fatalf("overdue: %+v %v", over, err)
		}
		ns, _, err := s.Inbox(ctx, fiaSup, 50)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.Kind == NoteRequestOverdue {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("FIA supervisor told %d times of the overdue request", n)
		}
		states := map[string]rabta.RequestState{}
		all, _ := s.Requests(ctx, f.fia, RequestFilter{Box: "in"})
		for _, r := range all {
			states[r.ID] = r.State
		}
		want := map[string]rabta.RequestState{a.ID: rabta.StateAnswered, b.ID: rabta.StateRefused, c.ID: rabta.StateWithdrawn, d.ID: rabta.StateSubmitted}
		for id, st := range want {
			if states[id] != st {
				t.Errorf("request %s: %s, want %s", id, states[id], st)
			}
		}
	})
}
