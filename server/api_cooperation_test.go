package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

// Cooperation between agencies over the API, as a reviewer checks it with
// users of several agencies: requests through every state, a grant that
// widens access to exactly the granted record and narrows it back at once
// when revoked, operation conflicts with contact and overlap only, the
// inbox, and an audit event for every step. Bad input is refused with an
// error naming the field, and changes nothing.

// coopEnv is one test's server, with a clock the test can move (the store
// reads it through an atomic, so moving it races with nothing).
type coopEnv struct {
	t     *testing.T
	s     *sqlstore.Store
	ts    *httptest.Server
	shift atomic.Int64
	// seen keeps every response body per agency, to check afterwards that
	// nothing of another agency's operation reached it.
	seen map[string]*bytes.Buffer
}

func newCoopEnv(t *testing.T, s *sqlstore.Store) *coopEnv {
	e := &coopEnv{t: t, s: s, seen: map[string]*bytes.Buffer{}}
	s.SetClock(func() time.Time { return time.Now().Add(time.Duration(e.shift.Load())) })
	cfg := testConfig
	cfg.SessionIdle = 72 * time.Hour // the clock moves forward by hours
	e.ts = httptest.NewServer(server.New(s, cfg))
	t.Cleanup(e.ts.Close)
	return e
}

// coopUser is a signed-in user whose responses are kept, by agency, for the
// leak checks.
type coopUser struct {
	*client
	name, agency string
	env          *coopEnv
}

func (e *coopEnv) user(name string) *coopUser {
	c := login(e.t, e.ts.URL, name)
	var me struct {
		Agency string
		Roles  []string
	}
	c.json("GET", "/api/v1/me", nil, 200, &me)
	bucket := me.Agency
	if slices.Contains(me.Roles, string(rabta.RoleAuditor)) {
		bucket = "oversight" // the auditor reads every agency's events
	}
	if e.seen[bucket] == nil {
		e.seen[bucket] = &bytes.Buffer{}
	}
	return &coopUser{client: c, name: name, agency: bucket, env: e}
}

func (u *coopUser) call(method, path string, body any) (int, []byte) {
	u.t.Helper()
	st, b := u.do(method, path, body)
	u.env.seen[u.agency].Write(b)
	u.env.seen[u.agency].WriteByte('\n')
	return st, b
}

// want calls and fails unless the status is wantStatus; out, if not nil,
// receives the body.
func (u *coopUser) want(method, path string, body any, wantStatus int, out any) []byte {
	u.t.Helper()
	st, b := u.call(method, path, body)
	if st != wantStatus {
		u.t.Fatalf("%s: %s %s: status %d, want %d: %s", u.name, method, path, st, wantStatus, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			u.t.Fatalf("%s: %s %s: %v: %s", u.name, method, path, err, b)
		}
	}
	return b
}

// refused checks a refusal: the status, the error code and a message naming
// field (a substring).
func (u *coopUser) refused(what, method, path string, body any, wantStatus int, code, field string) {
	u.t.Helper()
	st, b := u.call(method, path, body)
	var e apiErr
	json.Unmarshal(b, &e)
	if st != wantStatus || (code != "" && e.Error.Code != code) || !strings.Contains(e.Error.Message, field) {
		u.t.Errorf("%s (%s %s as %s): %d %s; want %d %s naming %q", what, method, path, u.name, st, b, wantStatus, code, field)
	}
}

// access returns the access the user gets reading record id, checked
// against the response (a pointer carries the holder, a 404 nothing).
func (u *coopUser) access(id string) rabta.Access {
	u.t.Helper()
	st, b := u.call("GET", "/api/v1/records/"+id, nil)
	var rec struct {
		Access  string
		Error   struct{ Code string }
		Pointer *struct{ Agency string }
	}
	json.Unmarshal(b, &rec)
	switch {
	case st == 200 && rec.Access == "full":
		return rabta.AccessFull
	case st == 403 && rec.Error.Code == "pointer" && rec.Pointer != nil:
		return rabta.AccessPointer
	case st == 404:
		return rabta.AccessNone
	}
	u.t.Fatalf("%s reads %s: %d %s", u.name, id, st, b)
	return ""
}

type apiRequest struct {
	ID       string
	Type     string
	From, To string
	State    string
	Overdue  bool
	Reason   string
	Deadline time.Time
	Subjects struct {
		Records   []string
		Selectors []string
	}
	Replies []struct {
		Body           string
		Handling       string
		Conditions     string
		Classification string
		Withheld       bool
	}
	Grant *apiGrant
}

type apiGrant struct {
	ID, Request     string
	Holder, Grantee string
	Records         []string
	Active          bool
	RevokedAt       *time.Time `json:"revoked_at"`
	RevokedBy       string     `json:"revoked_by"`
	CreatedBy       string     `json:"created_by"`
	Until           *time.Time
}

type notification struct {
	Kind, Title, Object string
	Read                bool
}

func (u *coopUser) inbox() ([]notification, int) {
	u.t.Helper()
	var in struct {
		Notifications []notification
		Unread        *int
	}
	u.want("GET", "/api/v1/inbox", nil, 200, &in)
	if in.Unread == nil {
		u.t.Fatalf("%s: inbox without \"unread\"", u.name)
	}
	return in.Notifications, *in.Unread
}

func hasNote(ns []notification, kind, object string) bool {
	return slices.ContainsFunc(ns, func(n notification) bool { return n.Kind == kind && n.Object == object })
}

// auditOf returns the events the auditor finds naming object, oldest first,
// as "action" or "action:query".
func auditOf(aud *coopUser, object string) []string {
	aud.t.Helper()
	var evs struct{ Events []rabta.AuditEvent }
	aud.want("GET", "/api/v1/audit?limit=1000&object="+url.QueryEscape(object), nil, 200, &evs)
	var out []string
	for i := len(evs.Events) - 1; i >= 0; i-- {
		e := evs.Events[i]
		if !slices.Contains(e.Objects, object) {
			aud.t.Errorf("audit filter object=%s returned an event not naming it: %+v", object, e)
		}
		action := e.Action
		if e.Query != "" && (e.Action == rabta.ActRequestUpdate) {
			action += ":" + e.Query
		}
		if e.Outcome == "denied" { // a refused attempt, logged on its own
			action += ":denied"
		}
		out = append(out, action)
	}
	return out
}

func TestRequestsAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		for _, a := range []string{"FIA", "ANF", "CTD"} {
			addAgency(t, s, a)
		}
		addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "fia.junior", "FIA", rabta.Restricted, rabta.RoleAnalyst)
		addUser(t, s, "fia.supervisor", "FIA", rabta.Secret, rabta.RoleSupervisor)
		addUser(t, s, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "anf.supervisor", "ANF", rabta.Secret, rabta.RoleSupervisor)
		addUser(t, s, "anf.lowsup", "ANF", rabta.Restricted, rabta.RoleSupervisor)
		addUser(t, s, "ctd.analyst", "CTD", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "aud.auditor", "FIA", rabta.Secret, rabta.RoleAuditor)
		env := newCoopEnv(t, s)
		fia, junior, fiaSup := env.user("fia.analyst"), env.user("fia.junior"), env.user("fia.supervisor")
		anf, anfSup, anfLowSup := env.user("anf.analyst"), env.user("anf.supervisor"), env.user("anf.lowsup")
		ctd, aud := env.user("ctd.analyst"), env.user("aud.auditor")

		// ANF holds two people of the same name; FIA knows of both only as
		// pointers. A third ANF record is released to all, a CTD one too.
		mkRecord := func(u *coopUser, props map[string][]string, marking map[string]any) string {
			var rec struct{ ID string }
			u.want("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": props, "marking": marking}, 201, &rec)
			return rec.ID
		}
		granted := mkRecord(anf, map[string][]string{"name": {"Rashid Khan Afridi"}, "fatherName": {"Sher Zaman"}, "idNumber": {"1730112345671"}},
			map[string]any{"release": "originator", "classification": "confidential"})
		kept := mkRecord(anf, map[string][]string{"name": {"Rashid Khan Afridi"}, "fatherName": {"Gul Nawaz"}, "idNumber": {"1730176543219"}},
			map[string]any{"release": "originator", "classification": "confidential"})
		open := mkRecord(anf, map[string][]string{"name": {"Open Record Anf"}}, map[string]any{"release": "all"})
		ctdRec := mkRecord(ctd, map[string][]string{"name": {"Ctd Subject Person"}}, map[string]any{"release": "all"})
		grantedSecrets := []string{"Sher Zaman", "1730112345671", "17301-1234567-1"}
		keptSecrets := []string{"Gul Nawaz", "1730176543219", "17301-7654321-9"}

		st, body := fia.call("GET", "/api/v1/records/"+granted, nil)
		if st != 403 || !strings.Contains(string(body), `"code":"pointer"`) || !strings.Contains(string(body), `"agency":"ANF"`) {
			t.Fatalf("before any request FIA reads the ANF record: %d %s", st, body)
		}
		var countBefore sqlstore.Counts
		fia.want("GET", "/api/v1/records/count", nil, 200, &countBefore)

		// Bad input: each refused, naming the field, and nothing stored.
		deadline := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
		good := func() map[string]any {
			return map[string]any{"type": "access", "to": "ANF", "records": []string{granted},
				"justification": "Same CNIC as the main suspect in FIA AHTC case 2026/0412", "deadline": deadline.Format(time.RFC3339)}
		}
		for _, b := range []struct {
			name  string
			edit  func(map[string]any)
			field string
		}{
			{"unknown agency", func(m map[string]any) { m["to"] = "NOPE" }, `to: no agency "NOPE"`},
			{"no agency", func(m map[string]any) { delete(m, "to") }, "to:"},
			{"own agency", func(m map[string]any) { m["to"] = "fia" }, "to:"},
			{"deadline in the past", func(m map[string]any) { m["deadline"] = time.Now().Add(-time.Hour).Format(time.RFC3339) }, "deadline:"},
			{"past date as deadline", func(m map[string]any) { m["deadline"] = "2020-01-31" }, "deadline:"},
			{"deadline not a time", func(m map[string]any) { m["deadline"] = "next Friday" }, "deadline:"},
			{"no deadline", func(m map[string]any) { delete(m, "deadline") }, "deadline:"},
			{"deadline years ahead", func(m map[string]any) { m["deadline"] = time.Now().AddDate(3, 0, 0).Format(time.RFC3339) }, "deadline:"},
			{"unknown type", func(m map[string]any) { m["type"] = "favour" }, "type:"},
			{"short justification", func(m map[string]any) { m["justification"] = "because" }, "justification:"},
			{"unknown urgency", func(m map[string]any) { m["urgency"] = "yesterday" }, "urgency:"},
			{"access without records", func(m map[string]any) { delete(m, "records") }, "records:"},
			{"rfi without subjects", func(m map[string]any) { m["type"] = "rfi"; delete(m, "records") }, "subjects:"},
			{"unknown record", func(m map[string]any) { m["records"] = []string{"00000000-0000-7000-8000-000000000000"} }, "records[0]"},
			{"record of another agency", func(m map[string]any) { m["records"] = []string{ctdRec} }, "records[0]"},
			{"record seen in full already", func(m map[string]any) { m["records"] = []string{open} }, "records[0]"},
			{"the second record bad", func(m map[string]any) { m["records"] = []string{granted, ctdRec} }, "records[1]"},
			{"from in the body", func(m map[string]any) { m["from"] = "ANF" }, `unknown field "from"`},
			{"records not a list", func(m map[string]any) { m["records"] = granted }, "records"},
		} {
			m := good()
			b.edit(m)
			fia.refused(b.name, "POST", "/api/v1/requests", m, 400, "invalid", b.field)
		}
		fia.refused("malformed JSON", "POST", "/api/v1/requests", `{"type":"access",`, 400, "invalid", "JSON")
		aud.refused("auditor files a request", "POST", "/api/v1/requests", good(), 403, "forbidden", "")
		for _, u := range []*coopUser{fia, anf, anfSup} {
			var list struct{ Requests []apiRequest }
			u.want("GET", "/api/v1/requests", nil, 200, &list)
			if list.Requests == nil || len(list.Requests) != 0 {
				t.Fatalf("%s: bad requests were stored: %+v", u.name, list.Requests)
			}
		}
		if ns, unread := anfSup.inbox(); len(ns) != 0 || unread != 0 {
			t.Fatalf("ANF's desk was told of refused requests: %+v", ns)
		}
		var evs struct{ Events []rabta.AuditEvent }
		aud.want("GET", "/api/v1/audit?action=request.create", nil, 200, &evs)
		if len(evs.Events) != 0 {
			t.Fatalf("refused requests were logged as created: %+v", evs.Events)
		}

		// The request: 201 with its id and every field of the contract.
		var created map[string]any
		fia.want("POST", "/api/v1/requests", good(), 201, &created)
		for _, k := range []string{"id", "type", "from", "to", "subjects", "justification", "urgency", "deadline", "state", "overdue", "created_by", "created_at"} {
			if _, ok := created[k]; !ok {
				t.Errorf("created request lacks %q: %v", k, created)
			}
		}
		reqID, _ := created["id"].(string)
		if reqID == "" || created["type"] != "access" || created["from"] != "FIA" || created["to"] != "ANF" || created["state"] != "submitted" ||
			created["urgency"] != "routine" || created["overdue"] != false || created["created_by"] != "fia.analyst" {
			t.Fatalf("created request: %v", created)
		}
		if d, _ := time.Parse(time.RFC3339, fmt.Sprint(created["deadline"])); !d.Equal(deadline) {
			t.Errorf("deadline %v, want %v", created["deadline"], deadline)
		}
		if recs, _ := created["subjects"].(map[string]any)["records"].([]any); len(recs) != 1 || recs[0] != granted {
			t.Errorf("subjects: %v", created["subjects"])
		}
		reqObj := "request:" + reqID

		// The receiving agency's desk (its supervisors) is told; the
		// analysts and the other agencies are not.
		ns, unread := anfSup.inbox()
		if !hasNote(ns, sqlstore.NoteRequestReceived, reqObj) || unread != 1 {
			t.Errorf("ANF supervisor's inbox: %+v (unread %d)", ns, unread)
		}
		for _, u := range []*coopUser{anf, ctd, fiaSup} {
			if ns, _ := u.inbox(); hasNote(ns, sqlstore.NoteRequestReceived, reqObj) {
				t.Errorf("%s was told of the request: %+v", u.name, ns)
			}
		}
		// Both agencies see it; a third one does not know it exists.
		var r apiRequest
		anf.want("GET", "/api/v1/requests/"+reqID, nil, 200, &r)
		if r.ID != reqID || r.State != "submitted" {
			t.Errorf("ANF reads the request: %+v", r)
		}
		ctd.refused("a third agency reads the request", "GET", "/api/v1/requests/"+reqID, nil, 404, "not_found", "")
		var list struct{ Requests []apiRequest }
		ctd.want("GET", "/api/v1/requests", nil, 200, &list)
		if len(list.Requests) != 0 {
			t.Errorf("CTD lists another pair's request: %+v", list.Requests)
		}

		// Approval by the wrong people: refused, and FIA still gets the pointer.
		fiaSup.refused("approval by the requesting agency's supervisor", "POST", "/api/v1/requests/"+reqID+"/approve", nil, 403, "forbidden", "supervisor of ANF")
		fia.refused("approval by the requester", "POST", "/api/v1/requests/"+reqID+"/approve", nil, 403, "forbidden", "")
		anf.refused("approval by an analyst of the receiving agency", "POST", "/api/v1/requests/"+reqID+"/approve", nil, 403, "forbidden", "supervisor")
		ctd.refused("approval by a third agency", "POST", "/api/v1/requests/"+reqID+"/approve", nil, 404, "not_found", "")
		anfLowSup.refused("approval by a supervisor not cleared for the record", "POST", "/api/v1/requests/"+reqID+"/approve", nil, 403, "forbidden", "in full")
		anfSup.refused("approval of a record not asked for", "POST", "/api/v1/requests/"+reqID+"/approve", map[string]any{"records": []string{kept}}, 400, "invalid", "records[0]")
		anfSup.refused("approval until a past date", "POST", "/api/v1/requests/"+reqID+"/approve", map[string]any{"until": "2020-01-01"}, 400, "invalid", "until:")
		anfSup.refused("approval until nonsense", "POST", "/api/v1/requests/"+reqID+"/approve", map[string]any{"until": "soon"}, 400, "invalid", "until:")
		if a := fia.access(granted); a != rabta.AccessPointer {
			t.Fatalf("after refused approvals FIA sees the record: %s", a)
		}
		anf.want("GET", "/api/v1/requests/"+reqID, nil, 200, &r)
		if r.State != "submitted" || r.Grant != nil {
			t.Fatalf("refused approvals changed the request: %+v", r)
		}
		var grants struct{ Grants []apiGrant }
		fia.want("GET", "/api/v1/grants", nil, 200, &grants)
		if grants.Grants == nil || len(grants.Grants) != 0 {
			t.Fatalf("refused approvals made a grant: %+v", grants.Grants)
		}

		// Acknowledged by the desk, then approved.
		fia.refused("acknowledgement by the requester", "POST", "/api/v1/requests/"+reqID+"/acknowledge", nil, 403, "forbidden", "")
		anfSup.want("POST", "/api/v1/requests/"+reqID+"/acknowledge", nil, 200, &r)
		if r.State != "acknowledged" {
			t.Fatalf("acknowledged: %+v", r)
		}
		anfSup.refused("acknowledging twice", "POST", "/api/v1/requests/"+reqID+"/acknowledge", nil, 409, "conflict", "")
		var approved map[string]map[string]any
		anfSup.want("POST", "/api/v1/requests/"+reqID+"/approve", nil, 200, &approved)
		g := approved["grant"]
		grantID, _ := g["id"].(string)
		if grantID == "" || g["request"] != reqID || g["holder"] != "ANF" || g["grantee"] != "FIA" || g["active"] != true || fmt.Sprint(g["records"]) != "["+granted+"]" {
			t.Fatalf("approval answer: %v", approved)
		}
		anfSup.refused("approving twice", "POST", "/api/v1/requests/"+reqID+"/approve", nil, 409, "conflict", "")

		// FIA now reads the granted record in full, and nothing else more.
		var rec struct {
			Access     string
			Caption    string
			Properties map[string][]string
		}
		fia.want("GET", "/api/v1/records/"+granted, nil, 200, &rec)
		if rec.Access != "full" || rec.Properties["fatherName"][0] != "Sher Zaman" {
			t.Fatalf("granted record: %+v", rec)
		}
		if a := fia.access(kept); a != rabta.AccessPointer {
			t.Errorf("the record not granted: FIA sees %s", a)
		}
		// The grant widens the agency, not the clearance: FIA's analyst
		// cleared only to restricted still gets a pointer; CTD is untouched.
		if a := junior.access(granted); a != rabta.AccessPointer {
			t.Errorf("FIA analyst below the record's classification sees %s", a)
		}
		if a := ctd.access(granted); a != rabta.AccessPointer {
			t.Errorf("CTD sees the granted record: %s", a)
		}
		searchAs := func(u *coopUser, q string) map[string]sqlstore.SearchHit {
			t.Helper()
			var res sqlstore.SearchResult
			u.want("GET", "/api/v1/search?limit=50&q="+url.QueryEscape(q), nil, 200, &res)
			out := map[string]sqlstore.SearchHit{}
			for _, h := range res.Results {
				out[h.ID] = h
			}
			return out
		}
		hits := searchAs(fia, "Rashid Khan Afridi")
		if hits[granted].Access != rabta.AccessFull || hits[granted].Caption != "Rashid Khan Afridi" || hits[kept].Access != rabta.AccessPointer || hits[kept].Caption != "" {
			t.Errorf("search after the grant: %+v", hits)
		}
		full := 0
		for _, h := range hits {
			if h.Access == rabta.AccessFull {
				full++
			}
		}
		if full != 1 {
			t.Errorf("search after the grant shows %d records in full, want exactly the granted one: %+v", full, hits)
		}
		var countGranted sqlstore.Counts
		fia.want("GET", "/api/v1/records/count", nil, 200, &countGranted)
		if countGranted.Full != countBefore.Full+1 || countGranted.Pointer != countBefore.Pointer-1 {
			t.Errorf("counts: before %+v, granted %+v", countBefore, countGranted)
		}
		_, export := fia.call("GET", "/api/v1/export", nil)
		if !bytes.Contains(export, []byte("Sher Zaman")) {
			t.Errorf("export lacks the granted record")
		}
		for _, sec := range keptSecrets {
			if bytes.Contains(env.seen["FIA"].Bytes(), []byte(sec)) {
				t.Errorf("FIA's responses carry %q of the record not granted", sec)
			}
		}
		if bytes.Contains(env.seen["CTD"].Bytes(), []byte("Sher Zaman")) {
			t.Errorf("CTD's responses carry the granted record")
		}
		fia.want("GET", "/api/v1/requests/"+reqID, nil, 200, &r)
		if r.State != "answered" || r.Grant == nil || r.Grant.ID != grantID || !r.Grant.Active {
			t.Errorf("request after approval: %+v", r)
		}
		fia.want("GET", "/api/v1/grants", nil, 200, &grants)
		if len(grants.Grants) != 1 || grants.Grants[0].ID != grantID || !slices.Equal(grants.Grants[0].Records, []string{granted}) {
			t.Errorf("FIA's grants: %+v", grants.Grants)
		}
		ctd.want("GET", "/api/v1/grants", nil, 200, &grants)
		if len(grants.Grants) != 0 {
			t.Errorf("CTD lists a grant between FIA and ANF: %+v", grants.Grants)
		}
		if ns, _ := fia.inbox(); !hasNote(ns, sqlstore.NoteRequestAnswered, reqObj) {
			t.Errorf("FIA's analyst not told of the approval: %+v", ns)
		}

		// Revocation: only the holder's supervisor; access falls back at once.
		fiaSup.refused("revocation by the grantee's supervisor", "DELETE", "/api/v1/grants/"+grantID, nil, 403, "forbidden", "supervisor of ANF")
		anf.refused("revocation by an analyst", "DELETE", "/api/v1/grants/"+grantID, nil, 403, "forbidden", "")
		ctd.refused("revocation by a third agency", "DELETE", "/api/v1/grants/"+grantID, nil, 404, "not_found", "")
		if a := fia.access(granted); a != rabta.AccessFull {
			t.Fatalf("refused revocations narrowed the grant: %s", a)
		}
		var revoked map[string]map[string]any
		anfSup.want("DELETE", "/api/v1/grants/"+grantID, nil, 200, &revoked)
		if g := revoked["grant"]; g["id"] != grantID || g["active"] != false || g["revoked_at"] == nil || g["revoked_by"] != "anf.supervisor" {
			t.Errorf("revocation answer: %v", revoked)
		}
		st, body = fia.call("GET", "/api/v1/records/"+granted, nil)
		if st != 403 || !strings.Contains(string(body), `"code":"pointer"`) {
			t.Errorf("after revocation FIA reads: %d %s", st, body)
		}
		for _, sec := range grantedSecrets {
			if bytes.Contains(body, []byte(sec)) {
				t.Errorf("pointer after revocation carries %q", sec)
			}
		}
		if hits := searchAs(fia, "Rashid Khan Afridi"); hits[granted].Access != rabta.AccessPointer || hits[granted].Caption != "" {
			t.Errorf("search after revocation: %+v", hits)
		}
		var countAfter sqlstore.Counts
		fia.want("GET", "/api/v1/records/count", nil, 200, &countAfter)
		if countAfter != countBefore {
			t.Errorf("counts after revocation %+v, before the grant %+v", countAfter, countBefore)
		}
		if _, export := fia.call("GET", "/api/v1/export", nil); bytes.Contains(export, []byte("Sher Zaman")) {
			t.Errorf("export after revocation carries the record")
		}
		anfSup.refused("revoking twice", "DELETE", "/api/v1/grants/"+grantID, nil, 409, "conflict", "")
		fia.want("GET", "/api/v1/grants", nil, 200, &grants)
		if len(grants.Grants) != 1 || grants.Grants[0].Active || grants.Grants[0].RevokedAt == nil {
			t.Errorf("FIA's grants after revocation: %+v", grants.Grants)
		}
		if ns, _ := fia.inbox(); !hasNote(ns, sqlstore.NoteGrantRevoked, reqObj) {
			t.Errorf("FIA not told of the revocation: %+v", ns)
		}

		// Every step is in the audit log under the request.
		got := auditOf(aud, reqObj)
		for _, want := range []string{rabta.ActRequestCreate, rabta.ActRequestRead, rabta.ActRequestUpdate + ":acknowledge",
			rabta.ActGrantCreate, rabta.ActRequestUpdate + ":approve", rabta.ActGrantRevoke} {
			if !slices.Contains(got, want) {
				t.Errorf("audit of %s lacks %s: %v", reqObj, want, got)
			}
		}
		if i, j, k := slices.Index(got, rabta.ActRequestCreate), slices.Index(got, rabta.ActGrantCreate), slices.Index(got, rabta.ActGrantRevoke); !(i < j && j < k) {
			t.Errorf("audit order: %v", got)
		}
		if got := slices.DeleteFunc(auditOf(aud, "grant:"+grantID), func(a string) bool { return strings.HasSuffix(a, ":denied") }); !slices.Equal(got, []string{rabta.ActGrantCreate, rabta.ActGrantRevoke}) {
			t.Errorf("audit of the grant: %v", got)
		}
		if got := auditOf(aud, "grant:"+grantID); !slices.Contains(got, rabta.ActGrantRevoke+":denied") {
			t.Errorf("a refused revocation is not in the audit log: %v", got)
		}
		// The grant's events name the record, and FIA's reads of it are
		// logged with their outcome each time.
		evs.Events = nil
		aud.want("GET", "/api/v1/audit?limit=1000&user=fia.analyst&action=record.read&object="+granted, nil, 200, &evs)
		var outcomes []string
		for i := len(evs.Events) - 1; i >= 0; i-- {
			outcomes = append(outcomes, evs.Events[i].Outcome)
		}
		if len(outcomes) < 4 || outcomes[0] != "pointer" || !slices.Contains(outcomes, "ok") || outcomes[len(outcomes)-1] != "pointer" {
			t.Errorf("FIA's reads of the record in the audit log: %v", outcomes)
		}

		// rfi: a note, then the desk's final reply with its own marking.
		rfiBody := map[string]any{"type": "rfi", "to": "ANF", "selectors": []string{"+923001112223"}, "urgency": "priority",
			"justification": "Who uses this number? It called our suspect daily.", "deadline": time.Now().AddDate(0, 0, 3).In(rabta.PKT).Format("2006-01-02")}
		var rfi apiRequest
		fia.want("POST", "/api/v1/requests", rfiBody, 201, &rfi)
		if rfi.State != "submitted" || rfi.Type != "rfi" || !slices.Equal(rfi.Subjects.Selectors, []string{"+923001112223"}) {
			t.Fatalf("rfi: %+v", rfi)
		}
		if h, m, _ := rfi.Deadline.In(rabta.PKT).Clock(); h != 23 || m != 59 {
			t.Errorf("a date as deadline means the end of that day in PKT: %v", rfi.Deadline.In(rabta.PKT))
		}
		rfiPath := "/api/v1/requests/" + rfi.ID
		anfSup.refused("approving an rfi", "POST", rfiPath+"/approve", nil, 400, "invalid", "only access requests")
		anf.refused("final reply by an analyst", "POST", rfiPath+"/reply", map[string]any{"body": "It is a PCO", "final": true}, 403, "forbidden", "")
		anfSup.refused("empty reply", "POST", rfiPath+"/reply", map[string]any{"body": "  ", "final": true}, 400, "invalid", "body:")
		anfSup.refused("reply handling C without conditions", "POST", rfiPath+"/reply",
			map[string]any{"body": "x", "final": true, "marking": map[string]any{"handling": "C", "classification": "confidential"}}, 400, "invalid", "marking.conditions")
		anfSup.refused("reply with an unknown classification", "POST", rfiPath+"/reply",
			map[string]any{"body": "x", "final": true, "marking": map[string]any{"classification": "cosmic"}}, 400, "invalid", "marking.classification")
		anfSup.refused("reply with an unknown handling code", "POST", rfiPath+"/reply",
			map[string]any{"body": "x", "final": true, "marking": map[string]any{"handling": "Q"}}, 400, "invalid", "marking.handling")
		anf.want("POST", rfiPath+"/reply", map[string]any{"body": "Looking into it with the operator."}, 200, nil)
		var noted apiRequest
		fia.want("GET", rfiPath, nil, 200, &noted)
		if noted.State != "submitted" || len(noted.Replies) != 1 || noted.Replies[0].Body != "Looking into it with the operator." {
			t.Fatalf("after a note: %+v", noted)
		}
		const answer = "Subscriber is a PCO in Peshawar Saddar, owner Qazi Nisar"
		var answered apiRequest
		anfSup.want("POST", rfiPath+"/reply", map[string]any{"body": answer, "final": true,
			"marking": map[string]any{"handling": "C", "conditions": "no onward disclosure", "classification": "confidential"}}, 200, &answered)
		if answered.State != "answered" {
			t.Fatalf("final reply: %+v", answered)
		}
		anfSup.refused("answering twice", "POST", rfiPath+"/reply", map[string]any{"body": "again", "final": true}, 409, "conflict", "")
		var read apiRequest
		fia.want("GET", rfiPath, nil, 200, &read)
		if read.State != "answered" || len(read.Replies) != 2 || read.Replies[1].Body != answer || read.Replies[1].Handling != "C" ||
			read.Replies[1].Conditions != "no onward disclosure" || read.Replies[1].Classification != "confidential" || read.Replies[1].Withheld {
			t.Errorf("the answer as FIA reads it: %+v", read)
		}
		// A reader not cleared for the reply's marking learns it exists, no more.
		st, body = junior.call("GET", rfiPath, nil)
		var withheld apiRequest
		json.Unmarshal(body, &withheld)
		if st != 200 || len(withheld.Replies) != 2 || !withheld.Replies[1].Withheld || withheld.Replies[0].Withheld || bytes.Contains(body, []byte("Qazi")) || bytes.Contains(body, []byte("onward")) {
			t.Errorf("the answer as an analyst below its classification reads it: %d %s", st, body)
		}
		if ns, _ := fia.inbox(); !hasNote(ns, sqlstore.NoteRequestAnswered, "request:"+rfi.ID) {
			t.Errorf("FIA's analyst not told of the answer: %+v", ns)
		}
		if got := auditOf(aud, "request:"+rfi.ID); !slices.Contains(got, rabta.ActRequestUpdate+":reply") || !slices.Contains(got, rabta.ActRequestUpdate+":answer") {
			t.Errorf("audit of the rfi: %v", got)
		}

		// Assistance, refused with a reason.
		var asst apiRequest
		fia.want("POST", "/api/v1/requests", map[string]any{"type": "assistance", "to": "anf", "urgency": "immediate",
			"justification": "Need a sniffer dog team at Torkham on Friday", "deadline": time.Now().Add(24 * time.Hour).Format(time.RFC3339)}, 201, &asst)
		if asst.To != "ANF" || asst.Type != "assistance" {
			t.Fatalf("assistance request: %+v", asst)
		}
		asstPath := "/api/v1/requests/" + asst.ID
		anf.refused("refusal by an analyst", "POST", asstPath+"/refuse", map[string]any{"reason": "no"}, 403, "forbidden", "")
		anfSup.refused("refusal without reason", "POST", asstPath+"/refuse", map[string]any{"reason": " "}, 400, "invalid", "reason:")
		anfSup.refused("refusal without a body", "POST", asstPath+"/refuse", nil, 400, "invalid", "")
		fiaSup.refused("refusal by the requesting agency", "POST", asstPath+"/refuse", map[string]any{"reason": "no"}, 403, "forbidden", "")
		anfSup.want("POST", asstPath+"/refuse", map[string]any{"reason": "No team free this week; ask Customs at Torkham"}, 200, &asst)
		if asst.State != "refused" || asst.Reason != "No team free this week; ask Customs at Torkham" {
			t.Fatalf("refused: %+v", asst)
		}
		anfSup.refused("refusing twice", "POST", asstPath+"/refuse", map[string]any{"reason": "again"}, 409, "conflict", "")
		fia.refused("withdrawing a refused request", "POST", asstPath+"/withdraw", nil, 409, "conflict", "")
		fia.want("GET", asstPath, nil, 200, &asst)
		if asst.State != "refused" || asst.Reason == "" {
			t.Errorf("FIA reads the refusal: %+v", asst)
		}
		if got := auditOf(aud, "request:"+asst.ID); !slices.Contains(got, rabta.ActRequestUpdate+":refuse") {
			t.Errorf("audit of the refusal: %v", got)
		}

		// Withdrawn by its author.
		var wd apiRequest
		fia.want("POST", "/api/v1/requests", rfiBody, 201, &wd)
		wdPath := "/api/v1/requests/" + wd.ID
		anfSup.refused("withdrawal by the receiving agency", "POST", wdPath+"/withdraw", nil, 403, "forbidden", "")
		junior.refused("withdrawal by a colleague who is neither author nor supervisor", "POST", wdPath+"/withdraw", nil, 403, "forbidden", "")
		fia.want("POST", wdPath+"/withdraw", nil, 200, &wd)
		if wd.State != "withdrawn" {
			t.Fatalf("withdrawn: %+v", wd)
		}
		anfSup.refused("answering a withdrawn request", "POST", wdPath+"/reply", map[string]any{"body": "late", "final": true}, 409, "conflict", "")
		if ns, _ := anfSup.inbox(); !hasNote(ns, sqlstore.NoteRequestAnswered, "request:"+wd.ID) {
			t.Errorf("ANF's desk not told of the withdrawal: %+v", ns)
		}
		if got := auditOf(aud, "request:"+wd.ID); !slices.Contains(got, rabta.ActRequestUpdate+":withdraw") {
			t.Errorf("audit of the withdrawal: %v", got)
		}

		// Overdue: an open request past its deadline, for both sides.
		var due apiRequest
		soon := map[string]any{"type": "rfi", "to": "ANF", "selectors": []string{"AFR-1234"}, "justification": "Owner of this vehicle, please",
			"deadline": time.Now().Add(time.Hour).Format(time.RFC3339)}
		fia.want("POST", "/api/v1/requests", soon, 201, &due)
		listIDs := func(u *coopUser, query string) []string {
			t.Helper()
			var l struct{ Requests []apiRequest }
			u.want("GET", "/api/v1/requests"+query, nil, 200, &l)
			var ids []string
			for _, x := range l.Requests {
				if strings.Contains(query, "state=overdue") {
					if !x.Overdue {
						t.Errorf("%s%s lists %s with overdue false", u.name, query, x.ID)
					}
				}
				ids = append(ids, x.ID)
			}
			return ids
		}
		if ids := listIDs(fia, "?state=overdue"); len(ids) != 0 {
			t.Fatalf("overdue before the deadline: %v", ids)
		}
		env.shift.Store(int64(2 * time.Hour))
		if ids := listIDs(fia, "?state=overdue"); !slices.Equal(ids, []string{due.ID}) {
			t.Errorf("FIA's overdue requests: %v, want [%s]", ids, due.ID)
		}
		if ids := listIDs(anfSup, "?box=in&state=overdue"); !slices.Equal(ids, []string{due.ID}) {
			t.Errorf("ANF's overdue requests: %v, want [%s]", ids, due.ID)
		}
		if ids := listIDs(fia, "?box=in&state=overdue"); len(ids) != 0 {
			t.Errorf("FIA's received overdue requests: %v", ids)
		}
		fia.want("GET", "/api/v1/requests/"+due.ID, nil, 200, &due)
		if !due.Overdue || due.State != "submitted" {
			t.Errorf("overdue request: %+v", due)
		}
		// A grant until a time lapses by itself when that time passes.
		var limited apiRequest
		fia.want("POST", "/api/v1/requests", map[string]any{"type": "access", "to": "ANF", "records": []string{kept},
			"justification": "The second Rashid Khan Afridi, for elimination", "deadline": time.Now().Add(72 * time.Hour).Format(time.RFC3339)}, 201, &limited)
		var lg struct{ Grant apiGrant }
		anfSup.want("POST", "/api/v1/requests/"+limited.ID+"/approve", map[string]any{"until": time.Now().Add(3 * time.Hour).Format(time.RFC3339)}, 200, &lg)
		if lg.Grant.Until == nil || !lg.Grant.Active {
			t.Errorf("grant with an end: %+v", lg.Grant)
		}
		if a := fia.access(kept); a != rabta.AccessFull {
			t.Errorf("FIA within the grant's time: %s", a)
		}
		env.shift.Store(int64(4 * time.Hour))
		if a := fia.access(kept); a != rabta.AccessPointer {
			t.Errorf("FIA after the grant lapsed: %s", a)
		}
		if hits := searchAs(fia, "Rashid Khan Afridi"); hits[kept].Access != rabta.AccessPointer || hits[kept].Caption != "" {
			t.Errorf("search after the grant lapsed: %+v", hits[kept])
		}
		fia.want("GET", "/api/v1/requests/"+limited.ID, nil, 200, &limited)
		if limited.Grant == nil || limited.Grant.Active {
			t.Errorf("lapsed grant shown as: %+v", limited.Grant)
		}
		if err := s.SweepDue(t.Context()); err != nil {
			t.Fatal(err)
		}
		if ns, _ := fia.inbox(); !hasNote(ns, sqlstore.NoteRequestOverdue, "request:"+due.ID) {
			t.Errorf("FIA's analyst not told the request is overdue: %+v", ns)
		}
		if ns, _ := anfSup.inbox(); !hasNote(ns, sqlstore.NoteRequestOverdue, "request:"+due.ID) {
			t.Errorf("ANF's desk not told the request is overdue: %+v", ns)
		}
		// Every state, as the requesting agency's list shows it.
		states := map[string]string{}
		var all struct{ Requests []apiRequest }
		fia.want("GET", "/api/v1/requests?box=out", nil, 200, &all)
		for _, x := range all.Requests {
			states[x.ID] = x.State
		}
		for id, st := range map[string]string{reqID: "answered", rfi.ID: "answered", asst.ID: "refused", wd.ID: "withdrawn", due.ID: "submitted"} {
			if states[id] != st {
				t.Errorf("request %s: %q, want %q", id, states[id], st)
			}
		}
		for _, st := range []string{"answered", "refused", "withdrawn", "submitted"} {
			n := 0
			for _, v := range states {
				if v == st {
					n++
				}
			}
			if ids := listIDs(fia, "?box=out&state="+st); len(ids) != n {
				t.Errorf("state=%s lists %d, want %d", st, len(ids), n)
			}
		}
		fia.refused("unknown state filter", "GET", "/api/v1/requests?state=late", nil, 400, "invalid", "state:")
		fia.refused("unknown box", "GET", "/api/v1/requests?box=sideways", nil, 400, "invalid", "box:")
		env.shift.Store(0)

		// An access request by hit: FIA learned from a check that ANF holds
		// something on a CNIC, and asks for it without knowing the records.
		// ANF holds two records on it, one of them an informant's, which
		// FIA may not know exists at all — neither before nor after.
		const cnic = "6110187654329"
		hitRec := mkRecord(anf, map[string][]string{"name": {"Bashir Ahmed Qureshi"}, "idNumber": {cnic}}, map[string]any{"release": "originator"})
		informant := mkRecord(anf, map[string][]string{"name": {"Source Khyber-7"}, "idNumber": {cnic}}, map[string]any{"release": "originator", "categories": []string{"informant"}})
		var check struct{ Hits []struct{ Agency string } }
		fia.want("POST", "/api/v1/deconflict", map[string]any{"selectors": []map[string]string{{"type": "cnic", "value": cnic}}, "purpose": "FIA case 2026/0412"}, 200, &check)
		if len(check.Hits) != 1 || check.Hits[0].Agency != "ANF" {
			t.Fatalf("deconflict: %+v", check.Hits)
		}
		var sent struct {
			Hits []struct {
				ID        int64
				Direction string
				Agency    string
			}
		}
		fia.want("GET", "/api/v1/hits", nil, 200, &sent)
		if len(sent.Hits) == 0 || sent.Hits[0].Direction != "sent" || sent.Hits[0].Agency != "ANF" {
			t.Fatalf("FIA's hits: %+v", sent.Hits)
		}
		fia.refused("a hit of another agency's", "POST", "/api/v1/requests", map[string]any{"type": "access", "to": "ANF", "hits": []int64{sent.Hits[0].ID + 1000},
			"justification": "The CNIC of our suspect", "deadline": deadline.Format(time.RFC3339)}, 400, "invalid", "hits[0]")
		var byHit apiRequest
		fia.want("POST", "/api/v1/requests", map[string]any{"type": "access", "to": "ANF", "hits": []int64{sent.Hits[0].ID},
			"justification": "The CNIC of our suspect", "deadline": deadline.Format(time.RFC3339)}, 201, &byHit)
		// The desk sees the records the request stands for, and decides on
		// those: not on the informant's record the same hit met.
		var asked struct {
			Asked []string `json:"asked_records"`
		}
		anfSup.want("GET", "/api/v1/requests/"+byHit.ID, nil, 200, &asked)
		if !slices.Equal(asked.Asked, []string{hitRec}) {
			t.Errorf("the records a request by hit stands for, as ANF's desk sees them: %v, want [%s] (not the informant's %s)", asked.Asked, hitRec, informant)
		}
		var hitGrant struct{ Grant apiGrant }
		anfSup.want("POST", "/api/v1/requests/"+byHit.ID+"/approve", nil, 200, &hitGrant)
		if !slices.Equal(hitGrant.Grant.Records, []string{hitRec}) {
			t.Errorf("the grant by hit: %v, want [%s] (not the informant's record %s, which FIA may never know of)", hitGrant.Grant.Records, hitRec, informant)
		}
		if a := fia.access(hitRec); a != rabta.AccessFull {
			t.Errorf("FIA after the grant by hit: %s", a)
		}
		if a := fia.access(informant); a != rabta.AccessNone {
			t.Errorf("FIA after the grant by hit sees the informant record: %s", a)
		}
		fia.want("GET", "/api/v1/requests/"+byHit.ID, nil, 200, &byHit)
		if byHit.Grant == nil || !slices.Equal(byHit.Grant.Records, []string{hitRec}) {
			t.Errorf("the grant as FIA reads it: %+v", byHit.Grant)
		}
		anfSup.want("DELETE", "/api/v1/grants/"+hitGrant.Grant.ID, nil, 200, nil)
		if a := fia.access(hitRec); a != rabta.AccessPointer {
			t.Errorf("FIA after the grant by hit was revoked: %s", a)
		}
		// What FIA is told must not count the informant's record either.
		for _, n := range func() []notification { ns, _ := fia.inbox(); return ns }() {
			if n.Object == "request:"+byHit.ID && strings.Contains(n.Title, "2 record") {
				t.Errorf("FIA is told %q while it may know of 1 record: the count reveals the informant's record on the CNIC, "+
					"which must be indistinguishable from nothing (sqlstore/requests.go requestRecords must not carry a hit's informant records)", n.Title)
			}
		}
		if bytes.Contains(env.seen["FIA"].Bytes(), []byte(informant)) || bytes.Contains(env.seen["FIA"].Bytes(), []byte("Khyber-7")) {
			t.Errorf("FIA's responses name the informant record")
		}

		// Marking the inbox read.
		anfSup.want("POST", "/api/v1/inbox/read", nil, 200, nil)
		if _, unread := anfSup.inbox(); unread != 0 {
			t.Errorf("unread after marking all read: %d", unread)
		}
		anfSup.refused("inbox limit out of range", "GET", "/api/v1/inbox?limit=0", nil, 400, "invalid", "limit:")
	})
}

func TestOperationsAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		for _, a := range []string{"FIA", "ANF", "CTD"} {
			addAgency(t, s, a)
		}
		addUser(t, s, "fia.investigator", "FIA", rabta.Secret, rabta.RoleInvestigator)
		addUser(t, s, "fia.supervisor", "FIA", rabta.Secret, rabta.RoleSupervisor)
		addUser(t, s, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "anf.supervisor", "ANF", rabta.Secret, rabta.RoleSupervisor)
		addUser(t, s, "ctd.analyst", "CTD", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "aud.auditor", "FIA", rabta.Secret, rabta.RoleAuditor)
		env := newCoopEnv(t, s)
		fia, fiaSup := env.user("fia.investigator"), env.user("fia.supervisor")
		anf, anfSup := env.user("anf.analyst"), env.user("anf.supervisor")
		ctd, aud := env.user("ctd.analyst"), env.user("aud.auditor")

		base := time.Now().Add(24 * time.Hour).UTC().Truncate(time.Second)
		at := func(h float64) string { return base.Add(time.Duration(h * float64(time.Hour))).Format(time.RFC3339) }
		op := func(typ, title string, lat, lon, r float64, from, to float64) map[string]any {
			return map[string]any{"type": typ, "title": title, "lat": lat, "lon": lon, "radius_m": r, "start": at(from), "end": at(to)}
		}
		type conflict struct {
			ID, Operation, Agency string
			Contact               rabta.OpContact
			Desk                  rabta.Contact
			Overlap               struct {
				From, To  time.Time
				DistanceM float64 `json:"distance_m"`
				OverlapM  float64 `json:"overlap_m"`
			}
			Resolution string
			ResolvedBy string `json:"resolved_by"`
		}
		type operation struct {
			ID, Agency, Type, Title string
			Conflicts               []conflict
		}

		// FIA plans a raid in Shahdara, Lahore.
		const fiaTitle, anfTitle = "Godown behind Kx7 flour mill", "Qz9 stash watch"
		fiaRaid := op("raid", fiaTitle, 31.614213, 74.294587, 400, 0, 6)
		fiaRaid["contact"] = map[string]string{"name": "Inspector Kamran Butt", "phone": "+923004445556"}
		var first operation
		fia.want("POST", "/api/v1/operations", fiaRaid, 201, &first)
		if first.ID == "" || first.Agency != "FIA" || first.Conflicts == nil || len(first.Conflicts) != 0 {
			t.Fatalf("first operation: %+v", first)
		}

		// Bad input: refused naming the field, nothing registered.
		for _, b := range []struct {
			name  string
			body  map[string]any
			field string
		}{
			{"latitude 91", op("surveillance", "x", 91, 74.29, 300, 0, 6), "lat:"},
			{"latitude -91", op("surveillance", "x", -91, 74.29, 300, 0, 6), "lat:"},
			{"longitude 181", op("surveillance", "x", 31.61, 181, 300, 0, 6), "lon:"},
			{"longitude -181", op("surveillance", "x", 31.61, -181, 300, 0, 6), "lon:"},
			{"radius 0", op("surveillance", "x", 31.61, 74.29, 0, 0, 6), "radius_m:"},
			{"radius negative", op("surveillance", "x", 31.61, 74.29, -5, 0, 6), "radius_m:"},
			{"radius beyond a division", op("surveillance", "x", 31.61, 74.29, 250000, 0, 6), "radius_m:"},
			{"end before start", op("surveillance", "x", 31.61, 74.29, 300, 6, 2), "end:"},
			{"end equal to start", op("surveillance", "x", 31.61, 74.29, 300, 2, 2), "end:"},
			{"ended already", op("surveillance", "x", 31.61, 74.29, 300, -72, -48), "end:"},
			{"window over a month", op("surveillance", "x", 31.61, 74.29, 300, 0, 24*40), "end:"},
			{"unknown type", op("picnic", "x", 31.61, 74.29, 300, 0, 6), "type:"},
			{"no title", op("surveillance", " ", 31.61, 74.29, 300, 0, 6), "title:"},
			{"unknown district", map[string]any{"type": "raid", "title": "x", "district": "Atlantis", "start": at(0), "end": at(6)}, "district:"},
			{"start not a time", map[string]any{"type": "raid", "title": "x", "lat": 31.6, "lon": 74.3, "radius_m": 300, "start": "tomorrow", "end": at(6)}, "start:"},
			{"no end", map[string]any{"type": "raid", "title": "x", "lat": 31.6, "lon": 74.3, "radius_m": 300, "start": at(0)}, "end:"},
			{"agency in the body", map[string]any{"type": "raid", "title": "x", "lat": 31.6, "lon": 74.3, "radius_m": 300, "start": at(0), "end": at(6), "agency": "FIA"}, `unknown field "agency"`},
		} {
			anf.refused(b.name, "POST", "/api/v1/operations", b.body, 400, "invalid", b.field)
		}
		aud.refused("auditor plans an operation", "POST", "/api/v1/operations", op("raid", "x", 31.6, 74.3, 300, 0, 6), 403, "forbidden", "")
		var ops struct{ Operations []operation }
		anf.want("GET", "/api/v1/operations", nil, 200, &ops)
		if ops.Operations == nil || len(ops.Operations) != 0 {
			t.Fatalf("bad operations registered: %+v", ops.Operations)
		}
		var cs struct{ Conflicts []conflict }
		fia.want("GET", "/api/v1/conflicts", nil, 200, &cs)
		if cs.Conflicts == nil || len(cs.Conflicts) != 0 {
			t.Fatalf("bad operations raised conflicts: %+v", cs.Conflicts)
		}

		// ANF's surveillance about 300 m away, windows overlapping two hours.
		anfWatch := op("surveillance", anfTitle, 31.616931, 74.295412, 300, 4, 16)
		anfWatch["contact"] = map[string]string{"name": "Major Adeel Shah", "phone": "+923335556667"}
		var raw map[string]any
		body := anf.want("POST", "/api/v1/operations", anfWatch, 201, &raw)
		cl, _ := raw["conflicts"].([]any)
		if raw["id"] == nil || len(cl) != 1 {
			t.Fatalf("overlapping operation: want one conflict: %s", body)
		}
		c0 := cl[0].(map[string]any)
		for _, k := range []string{"agency", "contact", "overlap"} {
			if _, ok := c0[k]; !ok {
				t.Errorf("conflict lacks %q: %v", k, c0)
			}
		}
		var second operation
		json.Unmarshal(body, &second)
		c := second.Conflicts[0]
		if c.Agency != "FIA" || c.Contact.Name != "Inspector Kamran Butt" || c.Contact.Phone != "+923004445556" || c.Desk.Desk != "FIA duty desk" || c.Operation != second.ID {
			t.Errorf("conflict as ANF is told: %+v", c)
		}
		if !c.Overlap.From.Equal(base.Add(4*time.Hour)) || !c.Overlap.To.Equal(base.Add(6*time.Hour)) || c.Overlap.DistanceM != 500 { // about 300 m apart, in bands
			t.Errorf("overlap: %+v", c.Overlap)
		}
		conflictID := c.ID

		// FIA sees the same conflict from its side.
		fia.want("GET", "/api/v1/conflicts", nil, 200, &cs)
		if len(cs.Conflicts) != 1 || cs.Conflicts[0].ID != conflictID || cs.Conflicts[0].Agency != "ANF" || cs.Conflicts[0].Operation != first.ID ||
			cs.Conflicts[0].Contact.Name != "Major Adeel Shah" || !cs.Conflicts[0].Overlap.From.Equal(c.Overlap.From) || cs.Conflicts[0].Overlap.OverlapM != c.Overlap.OverlapM {
			t.Errorf("FIA's conflicts: %+v", cs.Conflicts)
		}
		fia.want("GET", "/api/v1/operations", nil, 200, &ops)
		if len(ops.Operations) != 1 || len(ops.Operations[0].Conflicts) != 1 || ops.Operations[0].Conflicts[0].ID != conflictID {
			t.Errorf("FIA's operations: %+v", ops.Operations)
		}
		ctd.want("GET", "/api/v1/conflicts", nil, 200, &cs)
		if len(cs.Conflicts) != 0 {
			t.Errorf("a third agency sees the conflict: %+v", cs.Conflicts)
		}
		for _, u := range []*coopUser{fia, fiaSup, anf, anfSup} {
			if ns, _ := u.inbox(); !hasNote(ns, sqlstore.NoteConflict, "conflict:"+conflictID) {
				t.Errorf("%s not told of the conflict: %+v", u.name, ns)
			}
		}
		if ns, _ := ctd.inbox(); len(ns) != 0 {
			t.Errorf("CTD told of a conflict between others: %+v", ns)
		}

		// Disjoint: another city, a window starting as the raid ends, the
		// same agency; and a raid next to a cancelled operation.
		for _, d := range []struct {
			name string
			u    *coopUser
			body map[string]any
		}{
			{"other city", anf, op("raid", "Karachi port yard", 24.8607, 67.0011, 500, 0, 6)},
			{"window after the raid ends", anf, op("arrest", "Same street, later", 31.6142, 74.2946, 400, 6, 8)},
			{"window before", anf, op("arrest", "Same street, earlier", 31.6142, 74.2946, 400, -3, 0)},
			{"same agency, same place and time", fia, op("arrest", "Second FIA team", 31.614213, 74.294587, 400, 0, 3)},
		} {
			var o operation
			d.u.want("POST", "/api/v1/operations", d.body, 201, &o)
			if o.Conflicts == nil || len(o.Conflicts) != 0 {
				t.Errorf("%s: conflicts %+v", d.name, o.Conflicts)
			}
		}
		fia.want("GET", "/api/v1/conflicts", nil, 200, &cs)
		if len(cs.Conflicts) != 1 {
			t.Errorf("disjoint operations raised conflicts: %+v", cs.Conflicts)
		}

		// Cancelled: no new conflict is raised against it.
		ctd.refused("cancelling another agency's operation", "POST", "/api/v1/operations/"+second.ID+"/cancel", nil, 404, "not_found", "")
		anf.want("POST", "/api/v1/operations/"+second.ID+"/cancel", nil, 200, nil)
		var late operation
		ctd.want("POST", "/api/v1/operations", op("raid", "CTD late entry", 31.61693, 74.29541, 300, 10, 12), 201, &late)
		if len(late.Conflicts) != 0 {
			t.Errorf("a cancelled operation still raises conflicts: %+v", late.Conflicts)
		}

		// The duty desk resolves it; the other side is told.
		fia.refused("resolution by an investigator", "POST", "/api/v1/conflicts/"+conflictID+"/resolve", map[string]any{"resolution": "joint"}, 403, "forbidden", "")
		ctd.refused("resolution by a third agency", "POST", "/api/v1/conflicts/"+conflictID+"/resolve", map[string]any{"resolution": "joint"}, 404, "not_found", "")
		fiaSup.refused("unknown resolution", "POST", "/api/v1/conflicts/"+conflictID+"/resolve", map[string]any{"resolution": "maybe"}, 400, "invalid", "resolution:")
		var resolved conflict
		fiaSup.want("POST", "/api/v1/conflicts/"+conflictID+"/resolve", map[string]any{"resolution": "joint", "note": "One team, FIA leads, 05:00"}, 200, &resolved)
		if resolved.Resolution != "joint" || resolved.ResolvedBy != "fia.supervisor (FIA)" {
			t.Errorf("resolved: %+v", resolved)
		}
		anf.want("GET", "/api/v1/conflicts", nil, 200, &cs)
		if len(cs.Conflicts) != 1 || cs.Conflicts[0].Resolution != "joint" {
			t.Errorf("ANF's view of the resolution: %+v", cs.Conflicts)
		}
		if ns, _ := anfSup.inbox(); !hasNote(ns, sqlstore.NoteConflictResolved, "conflict:"+conflictID) {
			t.Errorf("ANF's desk not told of the resolution: %+v", ns)
		}

		// Audit: the conflict's registration and resolution.
		got := auditOf(aud, "conflict:"+conflictID)
		if !slices.Contains(got, rabta.ActOperationAdd) || !slices.Contains(got, rabta.ActConflictSolve) {
			t.Errorf("audit of the conflict: %v", got)
		}
		if got := auditOf(aud, "operation:"+first.ID); !slices.Contains(got, rabta.ActOperationAdd) {
			t.Errorf("audit of FIA's operation: %v", got)
		}

		// Nothing of one agency's operation reached the other: not its
		// title, type, place, operation id.
		for _, u := range []*coopUser{fia, fiaSup, anf, anfSup, ctd} {
			u.call("GET", "/api/v1/operations?ended=true", nil)
			u.call("GET", "/api/v1/conflicts", nil)
			u.call("GET", "/api/v1/inbox", nil)
		}
		for agency, secrets := range map[string][]string{
			"FIA": {anfTitle, "surveillance", "31.616931", "74.295412", second.ID, "Karachi port", "Same street", "CTD late"},
			"ANF": {fiaTitle, "Second FIA team", "31.614213", "74.294587", first.ID, "CTD late"},
			"CTD": {fiaTitle, anfTitle, "Kamran", "Adeel", "31.614213", "31.616931", first.ID}, // CTD named second.ID itself (its refused cancel)
		} {
			for _, sec := range secrets {
				if bytes.Contains(env.seen[agency].Bytes(), []byte(sec)) {
					t.Errorf("%s's responses carry %q of another agency's operation", agency, sec)
				}
			}
		}
	})
}

// TestCooperationDocumented: every endpoint of requests, grants,
// operations, conflicts and the inbox is in the OpenAPI document the
// server serves, with a response schema.
func TestCooperationDocumented(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rabta.db"))
	ts := httptest.NewServer(server.New(s, testConfig))
	defer ts.Close()
	_, b := (&client{t: t, base: ts.URL}).do("GET", "/api/v1/openapi.json", nil)
	var doc struct {
		Paths map[string]map[string]struct {
			Summary     string
			RequestBody *struct{ Content map[string]any }
			Responses   map[string]struct {
				Ref     string `json:"$ref"`
				Content map[string]struct{ Schema map[string]any }
			}
		}
		Components struct{ Schemas map[string]any }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		method, path, ok string
		body             bool
	}{
		{"get", "/requests", "200", false},
		{"post", "/requests", "201", true},
		{"get", "/requests/{id}", "200", false},
		{"post", "/requests/{id}/acknowledge", "200", false},
		{"post", "/requests/{id}/reply", "200", true},
		{"post", "/requests/{id}/approve", "200", true},
		{"post", "/requests/{id}/refuse", "200", true},
		{"post", "/requests/{id}/withdraw", "200", false},
		{"get", "/grants", "200", false},
		{"delete", "/grants/{id}", "200", false},
		{"get", "/operations", "200", false},
		{"post", "/operations", "201", true},
		{"post", "/operations/{id}/cancel", "200", false},
		{"get", "/conflicts", "200", false},
		{"post", "/conflicts/{id}/resolve", "200", true},
		{"get", "/inbox", "200", false},
		{"post", "/inbox/read", "200", true},
	} {
		op, ok := doc.Paths[r.path][r.method]
		if !ok {
			t.Errorf("%s %s is not in the OpenAPI document", strings.ToUpper(r.method), r.path)
			continue
		}
		if op.Summary == "" || op.Responses[r.ok].Content["application/json"].Schema == nil {
			t.Errorf("%s %s: no summary or no %s response schema", strings.ToUpper(r.method), r.path, r.ok)
		}
		if r.body && (op.RequestBody == nil || op.RequestBody.Content["application/json"] == nil) {
			t.Errorf("%s %s: no request body schema", strings.ToUpper(r.method), r.path)
		}
		for _, code := range []string{"400", "401", "403"} {
			if op.Responses[code].Ref == "" {
				t.Errorf("%s %s: no %s response", strings.ToUpper(r.method), r.path, code)
			}
		}
	}
	for _, name := range []string{"Request", "Reply", "Grant", "Operation", "Conflict", "Notification"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s is not in the OpenAPI document", name)
		}
	}
	// Every $ref points at something.
	var all any
	json.Unmarshal(b, &all)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				parts := strings.Split(strings.TrimPrefix(ref, "#/"), "/")
				var cur any = all
				for _, p := range parts {
					m, _ := cur.(map[string]any)
					cur = m[p]
				}
				if cur == nil {
					t.Errorf("dangling $ref %s", ref)
				}
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	walk(all)
}
