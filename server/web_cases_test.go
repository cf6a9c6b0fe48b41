package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/sqlstore"
)

// forEachWebDB runs fn on a web environment over a fresh SQLite and a
// fresh PostgreSQL database, with the cooperation pages' users.
func forEachWebDB(t *testing.T, fn func(t *testing.T, env *webEnv)) {
	for name, dsn := range map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "t.db") },
		"postgres": func(t *testing.T) string { return pgtest.DSN(t) },
	} {
		t.Run(name, func(t *testing.T) {
			env := newWebEnvAt(t, dsn(t))
			coopUsers(env)
			fn(t, env)
		})
	}
}

// fiaRecord creates a person held by FIA alone.
func fiaRecord(t *testing.T, e *webEnv, name, cnic string) string {
	t.Helper()
	r := &rabta.Record{Schema: "Person", Properties: map[string][]string{"name": {name}, "idNumber": {cnic}},
		Marking: rabta.Marking{Release: rabta.ReleaseOriginator, Classification: rabta.Restricted}}
	if err := e.store.CreateRecord(context.Background(), principal(t, e.store, "fia.analyst"), r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// upload posts a file with the form's other fields as multipart.
func (b *webBrowser) upload(path, name, content string, form url.Values) (*http.Response, string) {
	b.env.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.env.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// openCase opens a case through the form as b and returns its id.
func (b *webBrowser) openCase(title string, offences ...string) string {
	b.env.t.Helper()
	res, body := b.post("/cases", url.Values{"csrf": {b.csrf("/cases")}, "title": {title}, "offences": offences})
	if !strings.HasPrefix(res.Request.URL.Path, "/cases/") {
		b.env.t.Fatalf("opening a case: at %s, %s", res.Request.URL, errorText(body))
	}
	return strings.TrimPrefix(res.Request.URL.Path, "/cases/")
}

var attachmentLink = regexp.MustCompile(`href="/cases/[^/"]+/attachments/([^"]+)"`)

// TestWebCase: FIA's investigator opens a case, makes it joint with ANF's
// investigator, attaches a FIA record that ANF's member then reads in full;
// every form of the case page works, and each refusal by the store comes
// back beside its form with what was typed.
func TestWebCase(t *testing.T) {
	forEachWebDB(t, func(t *testing.T, env *webEnv) {
		rec := fiaRecord(t, env, "Javed Iqbal Butt", "35202-7654321-5")
		anfRec := anfRecord(t, env, "Gul Khan Afridi", "17301-1234567-9")
		fia := env.signIn("fia.investigator")

		_, body := fia.get("/cases")
		for _, want := range []string{"You are a member of no case", `<optgroup label="Control of Narcotic Substances Act, 1997">`, `<option value="CNSA-9">`, `action="/cases"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the cases page lacks %s", want)
			}
		}
		res, body := fia.post("/cases", url.Values{"csrf": {fia.csrf("/cases")}, "title": {" "}, "number": {"FIA-CNC-77"}, "offences": {"CNSA-9"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "title") || !strings.Contains(body, `value="FIA-CNC-77"`) ||
			!strings.Contains(body, `<option value="CNSA-9" selected>`) {
			t.Errorf("a case without title: %d %s", res.StatusCode, errorText(body))
		}
		id := fia.openCase("Heroin route Torkham–Karachi", "CNSA-9", "AMLA-3")
		_, body = fia.get("/cases/" + id + "?done=created")
		if !strings.Contains(body, "Case opened") || !strings.Contains(body, "CNSA-9") || !strings.Contains(body, "Heroin route Torkham–Karachi") ||
			!regexp.MustCompile(`FIA-\d{4}-0001`).MatchString(body) || strings.Contains(body, "state-joint") {
			t.Errorf("the new case's page: %s", errorText(body))
		}
		if _, body := fia.get("/cases"); !strings.Contains(body, `href="/cases/`+id+`"`) {
			t.Error("the new case is not listed")
		}
		csrf := fia.csrf("/cases/" + id)
		post := func(b *webBrowser, path string, form url.Values) (*http.Response, string) {
			t.Helper()
			form.Set("csrf", csrf)
			if b != fia {
				form.Set("csrf", b.csrf("/cases"))
			}
			return b.post("/cases/"+id+path, form)
		}

		// Members: an unknown user is refused with the name kept; ANF's
		// investigator joins and the case is joint.
		res, body = post(fia, "/members", url.Values{"username": {"nobody.here"}, "role": {"member"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "no user") || !strings.Contains(body, `value="nobody.here"`) {
			t.Errorf("an unknown member: %d %s", res.StatusCode, errorText(body))
		}
		res, body = post(fia, "/members", url.Values{"username": {"anf.investigator"}, "role": {"member"}})
		if !strings.Contains(body, "Member added") || !strings.Contains(body, "state-joint") || !strings.Contains(body, "Saima Baig") || res.Request.URL.Fragment != "members" {
			t.Errorf("adding ANF's investigator: %s", errorText(body))
		}
		post(fia, "/members", url.Values{"username": {"anf.analyst"}, "role": {"observer"}})

		// Records: a pointer cannot be attached; FIA's own record can.
		res, body = post(fia, "/records", url.Values{"record": {anfRec}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(errorText(body), "pointer") || !strings.Contains(body, `value="`+anfRec+`"`) {
			t.Errorf("attaching a pointer: %d %s", res.StatusCode, errorText(body))
		}
		_, body = post(fia, "/records", url.Values{"record": {rec}})
		if !strings.Contains(body, "Record attached") || !strings.Contains(body, "Javed Iqbal Butt") || !strings.Contains(body, `href="/chart?case=`+id+`&amp;hops=0"`) {
			t.Errorf("attaching FIA's record: %s", errorText(body))
		}

		// ANF's member sees the record in full and opens it; ANF's analyst,
		// no member, does not know the case exists.
		anf := env.signIn("anf.investigator")
		_, body = anf.get("/cases/" + id)
		if !strings.Contains(body, "Javed Iqbal Butt") || !strings.Contains(body, `href="/records/`+rec+`?purpose=case%3A`+id+`"`) {
			t.Errorf("ANF's member does not see the attached record in full: %s", regexp.MustCompile(`href="/records/[^"]*"`).FindString(body))
		}
		if strings.Contains(body, `action="/cases/`+id+`/members"`) || strings.Contains(body, `action="/cases/`+id+`/status`) || strings.Contains(body, "/detach") {
			t.Error("a member of another agency is offered the lead's forms")
		}
		if res, body := anf.get("/records/" + rec + "?purpose=case:" + id); res.StatusCode != http.StatusOK || !strings.Contains(body, "Javed Iqbal Butt") {
			t.Errorf("ANF's member opening the record: %d", res.StatusCode)
		}
		for _, who := range []string{"fia.protection", "anf.supervisor"} {
			if res, body := env.signIn(who).get("/cases/" + id); res.StatusCode != http.StatusNotFound || strings.Contains(body, "Torkham") {
				t.Errorf("%s, no member, opening the case: %d", who, res.StatusCode)
			}
		}
		// ANF's member may not detach FIA's record.
		if res, body := post(anf, "/records/"+rec+"/detach", url.Values{}); res.StatusCode != http.StatusForbidden || !strings.Contains(errorText(body), "detaches") {
			t.Errorf("ANF detaching FIA's record: %d %s", res.StatusCode, errorText(body))
		}

		// Milestones: a seizure says how much of what.
		res, body = post(fia, "/milestones", url.Values{"kind": {"seizure"}, "date": {inDays(-1)}, "details": {"Torkham terminal, truck LES-2231"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "quantity") || !strings.Contains(body, "truck LES-2231</textarea>") {
			t.Errorf("a seizure without quantity: %d %s", res.StatusCode, errorText(body))
		}
		_, body = post(fia, "/milestones", url.Values{"kind": {"seizure"}, "date": {inDays(-1)}, "quantity": {"12.5"}, "unit": {"kg heroin"}, "details": {"Torkham terminal"}})
		if !strings.Contains(body, "Milestone recorded") || !strings.Contains(body, "12.5 kg heroin") {
			t.Errorf("a seizure: %s", errorText(body))
		}

		// Tasks: assigned to ANF's member, overdue, marked done by them; ANF
		// may not close the lead's own task.
		if res, body := post(fia, "/tasks", url.Values{"title": {" "}, "assignee": {"anf.investigator"}}); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "title") {
			t.Errorf("a task without title: %d %s", res.StatusCode, errorText(body))
		}
		_, body = post(fia, "/tasks", url.Values{"title": {"Trace the truck's owner"}, "assignee": {"anf.investigator"}, "due": {inDays(-2)}})
		if !strings.Contains(body, "Task assigned") || !strings.Contains(body, "state-overdue") {
			t.Errorf("an overdue task: %s", errorText(body))
		}
		post(fia, "/tasks", url.Values{"title": {"Freeze the accounts"}, "assignee": {"fia.investigator"}})
		c, err := env.store.Case(context.Background(), principal(t, env.store, "fia.investigator"), id)
		if err != nil || len(c.Tasks) != 2 {
			t.Fatalf("tasks: %v", err)
		}
		if res, body := post(anf, "/tasks/"+c.Tasks[1].ID+"/status", url.Values{"status": {"done"}}); res.StatusCode != http.StatusForbidden || !strings.Contains(errorText(body), "assignee") {
			t.Errorf("ANF closing FIA's task: %d %s", res.StatusCode, errorText(body))
		}
		if _, body := post(anf, "/tasks/"+c.Tasks[0].ID+"/status", url.Values{"status": {"done"}}); !strings.Contains(body, "Task updated") || !strings.Contains(body, "state-task-done") {
			t.Errorf("the assignee marking done: %s", errorText(body))
		}

		// Notes: not above the writer's clearance; a Restricted observer
		// learns only that a Confidential note exists, and gets no forms.
		res, body = post(fia, "/notes", url.Values{"body": {"Informant: the driver is a cousin"}, "classification": {"secret"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "classification") || !strings.Contains(body, "the driver is a cousin</textarea>") {
			t.Errorf("a note above clearance: %d %s", res.StatusCode, errorText(body))
		}
		if _, body := post(fia, "/notes", url.Values{"body": {"Informant: the driver is a cousin"}, "classification": {"confidential"}}); !strings.Contains(body, "Note added") {
			t.Errorf("a note: %s", errorText(body))
		}
		obs := env.signIn("anf.analyst")
		_, body = obs.get("/cases/" + id)
		if strings.Contains(body, "driver is a cousin") || !strings.Contains(body, "A note classified Confidential, above your clearance") {
			t.Error("the observer sees a note above their clearance")
		}
		if strings.Contains(body, `action="/cases/`+id+`/notes"`) || strings.Contains(body, `action="/cases/`+id+`/tasks"`) || strings.Contains(body, `name="file"`) {
			t.Error("an observer is offered the members' forms")
		}

		// Files: one for all, one about a victim that ANF's investigator may
		// not open; the download is a download.
		res, body = fia.upload("/cases/"+id+"/attachments", "memo.txt", "x", url.Values{"csrf": {csrf}, "handling": {"P"}, "classification": {"secret"}})
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "classification") {
			t.Errorf("a file above clearance: %d %s", res.StatusCode, errorText(body))
		}
		_, body = fia.upload("/cases/"+id+"/attachments", "seizure-memo.txt", "12.5 kg at Torkham", url.Values{"csrf": {csrf}, "handling": {"P"}, "classification": {"restricted"}})
		if !strings.Contains(body, "File attached") || !strings.Contains(body, "seizure-memo.txt") {
			t.Fatalf("a file: %s", errorText(body))
		}
		fia.upload("/cases/"+id+"/attachments", "victim-statement.txt", "statement", url.Values{"csrf": {csrf}, "handling": {"C"}, "classification": {"restricted"}, "categories": {"victim", "minor"}})
		links := attachmentLink.FindAllStringSubmatch(body, -1)
		if len(links) != 1 {
			t.Fatalf("attachment links: %v", links)
		}
		res, body = anf.get("/cases/" + id + "/attachments/" + links[0][1])
		if res.StatusCode != http.StatusOK || body != "12.5 kg at Torkham" || res.Header.Get("Content-Type") != "application/octet-stream" ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="seizure-memo.txt"`) || !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("download: %d %q %v", res.StatusCode, body, res.Header)
		}
		_, body = anf.get("/cases/" + id)
		if strings.Contains(body, "victim-statement") || !strings.Contains(body, "An attachment classified Restricted that you may not open") || len(attachmentLink.FindAllString(body, -1)) != 1 {
			t.Error("ANF's investigator sees the victim's file")
		}
		c, _ = env.store.Case(context.Background(), principal(t, env.store, "fia.investigator"), id)
		if res, _ := anf.get("/cases/" + id + "/attachments/" + c.Attachments[1].ID); res.StatusCode != http.StatusNotFound {
			t.Errorf("ANF downloading the victim's file: %d", res.StatusCode)
		}

		// Members and status: the last lead stays; ANF may not close the
		// case; the lead detaches, removes the observer and closes it, after
		// which the work forms are gone and the store refuses work.
		if res, body := post(fia, "/members/fia.investigator/remove", url.Values{}); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "last lead") {
			t.Errorf("removing the last lead: %d %s", res.StatusCode, errorText(body))
		}
		if _, body := post(fia, "/members/anf.analyst/remove", url.Values{}); !strings.Contains(body, "Member removed") {
			t.Errorf("removing the observer: %s", errorText(body))
		}
		if res, _ := obs.get("/cases/" + id); res.StatusCode != http.StatusNotFound {
			t.Errorf("the removed observer opening the case: %d", res.StatusCode)
		}
		if res, body := post(anf, "/status", url.Values{"status": {"closed"}}); res.StatusCode != http.StatusForbidden || !strings.Contains(errorText(body), "status") {
			t.Errorf("ANF closing the case: %d %s", res.StatusCode, errorText(body))
		}
		if _, body := post(fia, "/records/"+rec+"/detach", url.Values{}); !strings.Contains(body, "Record detached") || strings.Contains(body, "Javed Iqbal Butt") {
			t.Errorf("detaching: %s", errorText(body))
		}
		if res, _ := anf.get("/records/" + rec); res.StatusCode == http.StatusOK {
			t.Error("ANF still reads the detached record")
		}
		_, body = post(fia, "/status", url.Values{"status": {"closed"}})
		if !strings.Contains(body, "Status changed") || !strings.Contains(body, "state-case-closed") || strings.Contains(body, `action="/cases/`+id+`/notes"`) {
			t.Errorf("closing: %s", errorText(body))
		}
		if res, body := post(fia, "/notes", url.Values{"body": {"after closing"}, "classification": {"restricted"}}); res.StatusCode != http.StatusConflict || !strings.Contains(errorText(body), "closed") {
			t.Errorf("a note in a closed case: %d %s", res.StatusCode, errorText(body))
		}
		if !strings.Contains(body, "case "+c.Number+" opened") {
			t.Error("the timeline does not begin with the opening")
		}

		// In Urdu, right to left.
		anf.get("/lang?to=ur")
		for _, p := range []string{"/cases", "/cases/" + id} {
			if res, body := anf.get(p); res.StatusCode != http.StatusOK || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, "کیس") {
				t.Errorf("%s in Urdu: %d", p, res.StatusCode)
			}
		}
	})
}

// TestWebFigures: the coordinator's figures page, its charts and filter;
// others are refused.
func TestWebFigures(t *testing.T) {
	forEachWebDB(t, func(t *testing.T, env *webEnv) {
		ctx := context.Background()
		if err := env.store.CreateAgency(ctx, sqlstore.System, &rabta.Agency{Code: "MOI", Name: "Ministry of Interior", TOTPOptional: true}); err != nil {
			t.Fatal(err)
		}
		hash, err := auth.HashPassword(webPassword, auth.FastParams)
		if err != nil {
			t.Fatal(err)
		}
		u := &rabta.User{Username: "moi.coordinator", Agency: "MOI", Roles: []rabta.Role{rabta.RoleCoordinator}, Clearance: rabta.Restricted}
		if err := env.store.CreateUser(ctx, sqlstore.System, u, hash); err != nil {
			t.Fatal(err)
		}
		// A request FIA → ANF, refused, and a joint case.
		fiaP := principal(t, env.store, "fia.analyst")
		req := &rabta.Request{Type: rabta.RequestRFI, To: "ANF", Justification: "Who uses 0300-1234567?", Deadline: time.Now().Add(72 * time.Hour),
			Subjects: rabta.Subjects{Selectors: []string{"0300-1234567"}}}
		if err := env.store.CreateRequest(ctx, fiaP, req); err != nil {
			t.Fatal(err)
		}
		if _, err := env.store.RefuseRequest(ctx, principal(t, env.store, "anf.supervisor"), req.ID, "Not ours"); err != nil {
			t.Fatal(err)
		}
		c := &rabta.Case{Title: "Joint", Offences: []string{}}
		if err := env.store.CreateCase(ctx, principal(t, env.store, "fia.investigator"), c); err != nil {
			t.Fatal(err)
		}
		if err := env.store.AddCaseMember(ctx, principal(t, env.store, "fia.investigator"), c.ID, "anf.investigator", rabta.CaseWorker); err != nil {
			t.Fatal(err)
		}

		co := env.signIn("moi.coordinator")
		_, body := co.get("/promote")
		if !strings.Contains(body, `<a href="/figures"`) {
			t.Error("the Promote page does not link the figures")
		}
		res, body := co.get("/figures")
		month := time.Now().In(rabta.PKT).Format("2006-01")
		for _, want := range []string{`<rect class="seg seg-refused"`, `<rect class="seg seg-joint"`, `<text x="58" y="15" text-anchor="end">ANF</text>`,
			`<bdi dir="ltr">` + month + `</bdi></td>`, `value="` + month + `"`} {
			if res.StatusCode != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("figures page (%d) lacks %s", res.StatusCode, want)
			}
		}
		if res, body := co.get("/figures?from=2026-13&to="); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "from") || !strings.Contains(body, `value="2026-13"`) {
			t.Errorf("a bad month: %d %s", res.StatusCode, errorText(body))
		}
		if _, body := co.get("/figures?from=2001-01&to=2001-12"); !strings.Contains(body, "No figures for the period") {
			t.Error("an empty period")
		}
		co.get("/lang?to=ur")
		if res, body := co.get("/figures"); res.StatusCode != http.StatusOK || !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, "تعاون کے اعداد و شمار") {
			t.Errorf("figures in Urdu: %d", res.StatusCode)
		}

		inv := env.signIn("fia.investigator")
		if res, body := inv.get("/figures"); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "coordinator") {
			t.Errorf("figures for an investigator: %d", res.StatusCode)
		}
		if _, body := inv.get("/promote"); strings.Contains(body, `href="/figures"`) {
			t.Error("an investigator is offered the figures")
		}
	})
}

// TestWebRequestAsked: the receiving supervisor sees by caption what an
// access request stands for, and grants only some of it.
func TestWebRequestAsked(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	a := anfRecord(t, env, "Gul Khan Afridi", "17301-1234567-9")
	b := anfRecord(t, env, "Sher Ali Marwat", "11101-2345678-3")
	fia := env.signIn("fia.analyst")
	res, body := fia.post("/requests/new", url.Values{"csrf": {fia.csrf("/requests/new")}, "type": {"access"}, "to": {"ANF"}, "records": {a + ", " + b},
		"deadline": {inDays(3)}, "justification": {"FIA case CW-2026-88: both met our trafficking network"}})
	if !strings.HasPrefix(res.Request.URL.Path, "/requests/") {
		t.Fatalf("filing: %s", errorText(body))
	}
	req := strings.TrimPrefix(res.Request.URL.Path, "/requests/")
	if strings.Contains(body, "Gul Khan") || strings.Contains(body, `name="records"`) {
		t.Error("the requester sees what the records hold")
	}

	sup := env.signIn("anf.supervisor")
	_, body = sup.get("/requests/" + req)
	for _, want := range []string{"The records it stands for", "Gul Khan Afridi", "Sher Ali Marwat", `name="records" value="` + a + `"`, `name="records" value="` + b + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the receiver's request page lacks %s", want)
		}
	}
	res, body = sup.post("/requests/"+req+"/approve", url.Values{"csrf": {sup.csrf("/")}, "records": {a, "019a0000-0000-7000-8000-000000000000"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "not one of the records") || !strings.Contains(body, `value="`+a+`" checked`) {
		t.Errorf("granting a record not asked for: %d %s", res.StatusCode, errorText(body))
	}
	if _, body := sup.post("/requests/"+req+"/approve", url.Values{"csrf": {sup.csrf("/")}, "records": {a}}); !strings.Contains(body, "Access granted") {
		t.Fatalf("granting one: %s", errorText(body))
	}
	if res, _ := fia.get("/records/" + a); res.StatusCode != http.StatusOK {
		t.Errorf("the granted record: %d", res.StatusCode)
	}
	if res, body := fia.get("/records/" + b); res.StatusCode != http.StatusForbidden || strings.Contains(body, "Sher Ali") {
		t.Errorf("the record not granted: %d", res.StatusCode)
	}
}

// TestWebCancelOperation: an operation is cancelled from the list; another
// agency cannot cancel it.
func TestWebCancelOperation(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	day := time.Now().In(rabta.PKT).AddDate(0, 0, 2).Format(time.DateOnly)
	fia := env.signIn("fia.investigator")
	res, body := fia.post("/operations", url.Values{"csrf": {fia.csrf("/operations")}, "type": {"raid"}, "title": {"Raid on the Shahdara warehouse"},
		"district": {"PB-LAHORE"}, "start": {day + "T05:00"}, "end": {day + "T09:00"}, "contact_name": {"Usman Tariq"}})
	m := regexp.MustCompile(`action="/operations/([^/"]+)/cancel"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no cancel button (%d %s)", res.StatusCode, errorText(body))
	}
	anf := env.signIn("anf.investigator")
	if res, body := anf.post("/operations/"+m[1]+"/cancel", url.Values{"csrf": {anf.csrf("/operations")}}); res.StatusCode != http.StatusNotFound || !strings.Contains(errorText(body), "no operation") {
		t.Errorf("ANF cancelling FIA's operation: %d %s", res.StatusCode, errorText(body))
	}
	res, body = fia.post("/operations/"+m[1]+"/cancel", url.Values{"csrf": {fia.csrf("/operations")}})
	if res.Request.URL.Path != "/operations" || !strings.Contains(body, "Operation cancelled") || !strings.Contains(body, `<span class="state">cancelled</span>`) ||
		strings.Contains(body, "/cancel\"") {
		t.Errorf("cancelling: at %s, %s", res.Request.URL, errorText(body))
	}
}

// TestWebCaseLabels: the labels the case pages pick by value are in both
// catalogues.
func TestWebCaseLabels(t *testing.T) {
	var keys []string
	for _, s := range rabta.CaseStatuses {
		keys = append(keys, "casestatus."+string(s))
	}
	for _, r := range rabta.CaseRoles {
		keys = append(keys, "caserole."+string(r))
	}
	for _, k := range rabta.MilestoneKinds {
		keys = append(keys, "milestone."+string(k))
	}
	for _, s := range []rabta.TaskStatus{rabta.TaskOpen, rabta.TaskDone, rabta.TaskCancelled} {
		keys = append(keys, "taskstatus."+string(s))
	}
	for _, k := range []string{"created", "member", "record", "milestone", "task", "note", "attachment"} {
		keys = append(keys, "case.tl."+k)
	}
	for _, d := range []string{"created", "member", "unmember", "attach", "detach", "status", "milestone", "task", "taskstatus", "note", "attachment"} {
		keys = append(keys, "case.done."+d)
	}
	for _, f := range []string{"intime", "late", "refused", "overdue", "other", "joint", "conflicts"} {
		keys = append(keys, "figures."+f)
	}
	for _, lang := range []string{"en", "ur"} {
		b, err := os.ReadFile(filepath.Join("i18n", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			if m[k] == "" {
				t.Errorf("%s.json lacks %q", lang, k)
			}
		}
	}
}

// TestWebCaseProfile: a profile attached from the case page brings its
// records; an unknown one is refused beside the form.
func TestWebCaseProfile(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	ctx := context.Background()
	env.store.SetPairScorer(idScorer{}, 0.5, 0.1)
	rec := fiaRecord(t, env, "Javed Iqbal Butt", "35202-7654321-5")
	if _, err := env.store.ResolvePending(ctx, 100); err != nil {
		t.Fatal(err)
	}
	fiaP := principal(t, env.store, "fia.investigator")
	profile, err := env.store.ProfileOf(ctx, fiaP, rec)
	if err != nil || profile == "" {
		t.Fatalf("profile of the record: %q %v", profile, err)
	}
	fia := env.signIn("fia.investigator")
	id := fia.openCase("Butt family hawala")
	res, body := fia.post("/cases/"+id+"/profiles", url.Values{"csrf": {fia.csrf("/")}, "profile": {"no-such-profile"}})
	if res.StatusCode == http.StatusOK || !strings.Contains(errorText(body)+body, "rofile") {
		t.Errorf("an unknown profile: %d %s", res.StatusCode, errorText(body))
	}
	_, body = fia.post("/cases/"+id+"/profiles", url.Values{"csrf": {fia.csrf("/")}, "profile": {profile}})
	if !strings.Contains(body, "The profile&#39;s records you see in full are attached") || !strings.Contains(body, "Javed Iqbal Butt") {
		t.Errorf("attaching the profile: %s", errorText(body))
	}
}
