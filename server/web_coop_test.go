package server_test

import (
	"context"
	"encoding/json"
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
	"github.com/rabta/rabta/sqlstore"
)

// coopUsers adds the supervisors and investigators the cooperation pages
// need to a webEnv (which has the analysts), all with webPassword.
func coopUsers(e *webEnv) {
	e.t.Helper()
	hash, err := auth.HashPassword(webPassword, auth.FastParams)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, u := range []rabta.User{
		{Username: "fia.supervisor", Agency: "FIA", Roles: []rabta.Role{rabta.RoleSupervisor}, Clearance: rabta.Secret},
		{Username: "anf.supervisor", Name: "Farah Naz", Agency: "ANF", Roles: []rabta.Role{rabta.RoleSupervisor}, Clearance: rabta.Secret},
		{Username: "fia.investigator", Name: "Usman Tariq", Agency: "FIA", Roles: []rabta.Role{rabta.RoleInvestigator}, Clearance: rabta.Confidential},
		{Username: "anf.investigator", Name: "Saima Baig", Agency: "ANF", Roles: []rabta.Role{rabta.RoleInvestigator}, Clearance: rabta.Confidential},
		{Username: "fia.protection", Agency: "FIA", Roles: []rabta.Role{rabta.RoleProtection}, Clearance: rabta.Restricted},
	} {
		if err := e.store.CreateUser(context.Background(), sqlstore.System, &u, hash); err != nil {
			e.t.Fatal(err)
		}
	}
}

// anfRecord creates a person held by ANF alone: FIA sees only a pointer.
func anfRecord(t *testing.T, e *webEnv, name, cnic string) string {
	t.Helper()
	r := &rabta.Record{Schema: "Person", Properties: map[string][]string{"name": {name}, "idNumber": {cnic}},
		Marking: rabta.Marking{Release: rabta.ReleaseOriginator, Classification: rabta.Restricted}}
	if err := e.store.CreateRecord(context.Background(), principal(t, e.store, "anf.analyst"), r); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// inDays is a date n days ahead in Pakistan time, as a date input gives it.
func inDays(n int) string { return time.Now().In(rabta.PKT).AddDate(0, 0, n).Format(time.DateOnly) }

var grantForm = regexp.MustCompile(`action="/grants/([^/"]+)/revoke"`)

// TestWebRequestAccess: FIA asks for access from a pointer, ANF's analyst
// acknowledges, its supervisor (told in the inbox) approves, FIA reads the
// record, and the revocation takes it away again.
func TestWebRequestAccess(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	id := anfRecord(t, env, "Gul Khan Afridi", "17301-1234567-9")

	fia := env.signIn("fia.analyst")
	if _, body := fia.get("/records/" + id); !strings.Contains(body, `href="/requests/new?to=ANF&amp;records=`+id+`"`) {
		t.Fatal("the pointer page does not link to an access request")
	}
	_, body := fia.get("/requests/new?to=ANF&records=" + id)
	for _, want := range []string{`<option value="access" selected>`, `<option value="ANF" selected>`, `value="` + id + `"`, `value="` + inDays(7) + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("prefilled form lacks %s", want)
		}
	}
	if strings.Contains(body, `<option value="FIA"`) {
		t.Error("the form offers the user's own agency")
	}

	form := url.Values{"csrf": {fia.csrf("/requests/new")}, "type": {"access"}, "to": {"ANF"}, "records": {id},
		"urgency": {"priority"}, "deadline": {inDays(3)}, "justification": {"short"}}
	res, body := fia.post("/requests/new", form)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "justification") || !strings.Contains(body, ">short</textarea>") {
		t.Fatalf("short justification: %d %s", res.StatusCode, errorText(body))
	}
	form.Set("justification", "FIA case CW-2026-88: the same CNIC in a trafficking network")
	res, body = fia.post("/requests/new", form)
	if !strings.HasPrefix(res.Request.URL.Path, "/requests/") || !strings.Contains(body, "Request sent") || !strings.Contains(body, "state-submitted") {
		t.Fatalf("filing: at %s, %s", res.Request.URL, errorText(body))
	}
	req := strings.TrimPrefix(res.Request.URL.Path, "/requests/")
	// The requester may not decide; the store says so on the page.
	if strings.Contains(body, "/approve") || strings.Contains(body, "/acknowledge") || !strings.Contains(body, "/withdraw") {
		t.Error("the requester is offered the receiver's actions, or not the withdrawal")
	}
	res, body = fia.post("/requests/"+req+"/approve", url.Values{"csrf": {fia.csrf("/")}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(errorText(body), "supervisor of ANF") {
		t.Errorf("FIA approving: %d %s", res.StatusCode, errorText(body))
	}
	if _, body := fia.get("/requests"); !strings.Contains(body, `href="/requests/`+req+`"`) || !strings.Contains(body, "No requests received") {
		t.Error("the sender's list")
	}

	// ANF's analyst acknowledges but is not offered the decision.
	anf := env.signIn("anf.analyst")
	_, body = anf.get("/requests/" + req)
	if !strings.Contains(body, "/acknowledge") || strings.Contains(body, "/approve") || strings.Contains(body, "/refuse") {
		t.Error("the receiving analyst's actions")
	}
	if _, body := anf.post("/requests/"+req+"/acknowledge", url.Values{"csrf": {anf.csrf("/")}}); !strings.Contains(body, "Request acknowledged") || !strings.Contains(body, "state-acknowledged") {
		t.Errorf("acknowledge: %s", errorText(body))
	}

	// The supervisor is told: the count in the header, the entry in the inbox.
	sup := env.signIn("anf.supervisor")
	if _, body := sup.get("/pursue"); !strings.Contains(body, `<span class="count">1</span>`) {
		t.Error("no unread count in the header")
	}
	_, body = sup.get("/inbox")
	if !strings.Contains(body, `href="/requests/`+req+`"`) || !strings.Contains(body, "ACCESS request from FIA") || !strings.Contains(body, `class="unread"`) {
		t.Error("the inbox lacks the request")
	}
	res, body = sup.post("/requests/"+req+"/approve", url.Values{"csrf": {sup.csrf("/")}, "until": {"2020-01-01"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "past") || !strings.Contains(body, `value="2020-01-01"`) {
		t.Errorf("approval until a past date: %d %s", res.StatusCode, errorText(body))
	}
	_, body = sup.post("/requests/"+req+"/approve", url.Values{"csrf": {sup.csrf("/")}, "until": {inDays(30)}})
	if !strings.Contains(body, "Access granted") || !strings.Contains(body, "state-active") || !strings.Contains(body, inDays(30)+" 23:59 PKT") {
		t.Fatalf("approval: %s", errorText(body))
	}
	m := grantForm.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the holder's supervisor is not offered the revocation")
	}
	grant := m[1]

	// FIA reads the record now; its grants page lists what it received.
	if res, body := fia.get("/records/" + id); res.StatusCode != http.StatusOK || !strings.Contains(body, "Gul Khan Afridi") {
		t.Errorf("the granted record: %d", res.StatusCode)
	}
	if _, body := fia.get("/grants"); !strings.Contains(body, "Received from ANF") || strings.Contains(body, "/revoke") {
		t.Error("the grantee's grants page")
	}
	if _, body := fia.get("/inbox"); !strings.Contains(body, "ANF granted access") {
		t.Error("the requester is not told of the grant")
	}

	// Revoked on the grants page: FIA is back to the pointer.
	_, body = sup.get("/grants")
	if !strings.Contains(body, "Given to FIA") || !strings.Contains(body, "/grants/"+grant+"/revoke") {
		t.Error("the holder's grants page")
	}
	res, body = sup.post("/grants/"+grant+"/revoke", url.Values{"csrf": {sup.csrf("/grants")}})
	if res.Request.URL.Path != "/grants" || !strings.Contains(body, "Grant revoked") || !strings.Contains(body, "state-revoked") {
		t.Errorf("revocation: at %s, %s", res.Request.URL, errorText(body))
	}
	if res, body := fia.get("/records/" + id); res.StatusCode != http.StatusForbidden || strings.Contains(body, "Gul Khan") {
		t.Errorf("after revocation: %d", res.StatusCode)
	}
	res, body = sup.post("/grants/"+grant+"/revoke", url.Values{"csrf": {sup.csrf("/grants")}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(errorText(body), "revoked already") {
		t.Errorf("second revocation: %d %s", res.StatusCode, errorText(body))
	}

	// Mark all read empties the count.
	_, body = sup.post("/inbox", url.Values{"csrf": {sup.csrf("/inbox")}})
	if strings.Contains(body, `class="count"`) || strings.Contains(body, `class="unread"`) {
		t.Error("still unread after marking all read")
	}
}

// TestWebRequestReplies: a request for information answered with replies
// under their own marking, a refusal that needs its reason, a withdrawal.
func TestWebRequestReplies(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	fia := env.signIn("fia.analyst")
	file := func(justification string) string {
		t.Helper()
		res, body := fia.post("/requests/new", url.Values{"csrf": {fia.csrf("/requests/new")}, "type": {"rfi"}, "to": {"ANF"},
			"selectors": {"0300-1234567\n\n17301-7654321-1"}, "deadline": {inDays(5)}, "justification": {justification}})
		if !strings.HasPrefix(res.Request.URL.Path, "/requests/") {
			t.Fatalf("filing an rfi: %s", errorText(body))
		}
		if !strings.Contains(body, "17301-7654321-1") || !strings.Contains(body, "Request for information") {
			t.Error("the request page lacks its selectors or type")
		}
		return strings.TrimPrefix(res.Request.URL.Path, "/requests/")
	}
	req := file("Who uses these numbers? FIA case CW-2026-90")

	// FIA adds a Secret note; ANF's Restricted analyst learns only that it exists.
	_, body := fia.post("/requests/"+req+"/reply", url.Values{"csrf": {fia.csrf("/")}, "body": {"Source says the courier flies on Friday"},
		"classification": {"secret"}, "handling": {"C"}, "conditions": {""}})
	if !strings.Contains(errorText(body), "conditions") || !strings.Contains(body, "Source says the courier") {
		t.Errorf("handling C without conditions: %s", errorText(body))
	}
	_, body = fia.post("/requests/"+req+"/reply", url.Values{"csrf": {fia.csrf("/")}, "body": {"Source says the courier flies on Friday"},
		"classification": {"secret"}, "handling": {"C"}, "conditions": {"Not for court use"}})
	if !strings.Contains(body, "Reply sent") || !strings.Contains(body, "Source says the courier") || !strings.Contains(body, "Not for court use") {
		t.Errorf("reply: %s", errorText(body))
	}
	// Its attachment downloads for FIA; the list shows it withheld to ANF's analyst.
	ctx := context.Background()
	fiaP := principal(t, env.store, "fia.analyst")
	q, err := env.store.Request(ctx, fiaP, req)
	if err != nil || len(q.Replies) != 1 {
		t.Fatalf("request: %v", err)
	}
	if _, body := fia.get("/requests/" + req); !strings.Contains(body, `action="/requests/`+req+`/replies/`+q.Replies[0].ID+`/attachments"`) {
		t.Fatal("the author is not offered to attach a file to the reply")
	}
	res, body := fia.upload("/requests/"+req+"/replies/"+q.Replies[0].ID+"/attachments", "flight-list.txt", "PK-303 Friday",
		url.Values{"csrf": {fia.csrf("/")}, "classification": {"secret"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "File attached to your reply") {
		t.Fatalf("attaching a file to the reply: %d %s", res.StatusCode, errorText(body))
	}
	q, _ = env.store.Request(ctx, fiaP, req)
	if len(q.Replies[0].Attachments) != 1 {
		t.Fatalf("reply attachments: %+v", q.Replies[0].Attachments)
	}
	at := q.Replies[0].Attachments[0]
	if _, body := fia.get("/requests/" + req); !strings.Contains(body, `href="/api/v1/requests/`+req+`/attachments/`+at.ID+`"`) || !strings.Contains(body, "flight-list.txt") {
		t.Error("the reply's attachment is not linked")
	}
	anf := env.signIn("anf.analyst")
	_, body = anf.get("/requests/" + req)
	if strings.Contains(body, "courier") || strings.Contains(body, "Not for court use") || !strings.Contains(body, "A reply classified Secret") {
		t.Error("a reply above the reader's clearance is shown")
	}
	if strings.Contains(body, "flight-list") || !strings.Contains(body, "An attachment classified Secret") {
		t.Error("an attachment above the reader's clearance is shown")
	}
	if strings.Contains(body, `<option value="secret"`) || !strings.Contains(body, `<option value="restricted"`) {
		t.Error("the reply form offers classifications above the reader's clearance")
	}
	if strings.Contains(body, `name="final"`) {
		t.Error("an analyst is offered the final answer")
	}

	// ANF's supervisor refuses; without a reason the store says why not.
	sup := env.signIn("anf.supervisor")
	if _, body := sup.get("/requests/" + req); !strings.Contains(body, `name="final"`) || strings.Contains(body, "/approve") {
		t.Error("the supervisor of an rfi: final answer, no approval")
	}
	if strings.Contains(body, "/replies/") {
		t.Error("a reader who is not the reply's author is offered to attach files to it")
	}
	res, body = sup.post("/requests/"+req+"/refuse", url.Values{"csrf": {sup.csrf("/")}, "reason": {" "}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "reason") {
		t.Errorf("refusal without reason: %d %s", res.StatusCode, errorText(body))
	}
	sup.post("/requests/"+req+"/refuse", url.Values{"csrf": {sup.csrf("/")}, "reason": {"Operation under way; ask again next month"}})
	if _, body := fia.get("/requests/" + req); !strings.Contains(body, "state-refused") || !strings.Contains(body, "Operation under way") || strings.Contains(body, "/withdraw") {
		t.Error("the refusal and its reason on the requester's page")
	}

	// Another is withdrawn by its author; a closed request offers nothing more.
	req2 := file("A second question for FIA case CW-2026-90")
	_, body = fia.post("/requests/"+req2+"/withdraw", url.Values{"csrf": {fia.csrf("/")}})
	if !strings.Contains(body, "Request withdrawn") || !strings.Contains(body, "state-withdrawn") || strings.Contains(body, "/withdraw\"") {
		t.Errorf("withdrawal: %s", errorText(body))
	}
	// Someone of neither agency cannot know of it.
	if res, _ := env.signIn("fia.auditor").get("/requests/" + req); res.StatusCode != http.StatusNotFound {
		t.Errorf("an auditor opening a request: %d", res.StatusCode)
	}
	if res, _ := fia.get("/requests/019a0000-0000-7000-8000-000000000000"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a missing request: %d", res.StatusCode)
	}
}

// TestWebRequestFromHit: a sent hit on the deconfliction page links to an
// access request naming the hit; its approval opens the record it met.
func TestWebRequestFromHit(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	id := anfRecord(t, env, "Sher Ali Marwat", "11101-2345678-3")
	fia := env.signIn("fia.analyst")
	fia.post("/deconflict", url.Values{"csrf": {fia.csrf("/deconflict")}, "type": {"cnic"}, "value": {"11101-2345678-3"}, "purpose": {"FIA-CW-91"}})
	_, body := fia.get("/deconflict")
	link := regexp.MustCompile(`href="(/requests/new\?to=ANF&amp;hits=\d+)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("a sent hit does not link to an access request")
	}
	_, body = fia.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	hit := regexp.MustCompile(`name="hits" value="(\d+)"`).FindStringSubmatch(body)
	if hit == nil || !strings.Contains(body, `<option value="access" selected>`) {
		t.Fatal("the form does not carry the hit")
	}
	res, body := fia.post("/requests/new", url.Values{"csrf": {fia.csrf("/requests/new")}, "type": {"access"}, "to": {"ANF"}, "hits": {hit[1]},
		"deadline": {inDays(2)}, "justification": {"Our hit FIA-CW-91: please share what you hold"}})
	if !strings.Contains(body, "Hit no. "+hit[1]) {
		t.Fatalf("filing from a hit: %s", errorText(body))
	}
	req := strings.TrimPrefix(res.Request.URL.Path, "/requests/")
	sup := env.signIn("anf.supervisor")
	if _, body := sup.post("/requests/"+req+"/approve", url.Values{"csrf": {sup.csrf("/")}}); !strings.Contains(body, "until revoked") || !strings.Contains(body, id) {
		t.Fatalf("approval of a hit request: %s", errorText(body))
	}
	if res, body := fia.get("/records/" + id); res.StatusCode != http.StatusOK || !strings.Contains(body, "Sher Ali Marwat") {
		t.Errorf("the record behind the hit: %d", res.StatusCode)
	}
}

// TestWebOperations: two agencies register overlapping raids; the second
// sees the conflict at once and the first on its conflicts page and in
// its inbox, neither learning the other's title; a supervisor settles it.
func TestWebOperations(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	day := time.Now().In(rabta.PKT).AddDate(0, 0, 2).Format(time.DateOnly)
	fia := env.signIn("fia.investigator")
	_, body := fia.get("/operations")
	if !strings.Contains(body, `value="PB-LAHORE"`) || !strings.Contains(body, `<optgroup label="Punjab">`) || !strings.Contains(body, `value="Usman Tariq"`) {
		t.Fatal("the form lacks the districts or the contact")
	}
	op := url.Values{"csrf": {fia.csrf("/operations")}, "type": {"raid"}, "title": {"Raid on the Shahdara warehouse"}, "district": {""},
		"start": {day + "T05:00"}, "end": {day + "T09:00"}, "contact_name": {"Usman Tariq"}, "contact_phone": {"0300 5550101"}}
	res, body := fia.post("/operations", op)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "district") || !strings.Contains(body, "Shahdara warehouse") {
		t.Errorf("no place: %d %s", res.StatusCode, errorText(body))
	}
	op.Set("district", "PB-LAHORE")
	op.Set("lat", "31.5")
	if res, body := fia.post("/operations", op); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "latitude and longitude") {
		t.Errorf("half a point: %d %s", res.StatusCode, errorText(body))
	}
	op.Del("lat")
	op.Set("start", "tomorrow")
	if res, body := fia.post("/operations", op); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "start") {
		t.Errorf("bad start: %d %s", res.StatusCode, errorText(body))
	}
	op.Set("start", day+"T05:00")
	res, body = fia.post("/operations", op)
	if res.Request.URL.Path != "/operations" || !strings.Contains(body, `<p id="registered" class="ok-box"`) ||
		!strings.Contains(body, "Raid on the Shahdara warehouse") || !strings.Contains(body, day+" 05:00 PKT") {
		t.Fatalf("registering: at %s, %s", res.Request.URL, errorText(body))
	}

	anf := env.signIn("anf.investigator")
	_, body = anf.post("/operations", url.Values{"csrf": {anf.csrf("/operations")}, "type": {"controlled_delivery"}, "title": {"Heroin delivery Ravi Road"},
		"lat": {"31.5880"}, "lon": {"74.3100"}, "radius_m": {"800"}, "start": {day + "T08:00"}, "end": {day + "T12:00"}, "contact_name": {"Saima Baig"}})
	if !strings.Contains(body, `class="conflict-alert"`) || !strings.Contains(body, "Usman Tariq") || !strings.Contains(body, "0300 5550101") ||
		!strings.Contains(body, "FIA duty desk") || !strings.Contains(body, day+" 08:00 PKT – "+day+" 09:00 PKT") {
		t.Fatalf("the second registrant does not see the conflict: %s", errorText(body))
	}
	if strings.Contains(body, "Shahdara") {
		t.Error("ANF learns FIA's title")
	}

	_, body = fia.get("/conflicts")
	if !strings.Contains(body, "Conflict with ANF") || !strings.Contains(body, "Saima Baig") || !strings.Contains(body, "Raid on the Shahdara warehouse") {
		t.Error("the first registrant's conflicts page")
	}
	if strings.Contains(body, "Heroin") || strings.Contains(body, "Ravi Road") || strings.Contains(body, `action="/conflicts/`) {
		t.Error("FIA's investigator sees ANF's title or the resolution form")
	}
	conflict := regexp.MustCompile(`<section class="card conflict open" id="([^"]+)"`).FindStringSubmatch(body)
	if conflict == nil {
		t.Fatal("no open conflict on the page")
	}
	if _, body := fia.get("/inbox"); !strings.Contains(body, `href="/conflicts#`+conflict[1]+`"`) || !strings.Contains(body, "Operation conflict with ANF") {
		t.Error("the inbox does not link the conflict")
	}
	if _, body := fia.get("/operations"); !strings.Contains(body, `href="/conflicts#`+conflict[1]+`"`) {
		t.Error("the operation does not link its conflict")
	}

	sup := env.signIn("fia.supervisor")
	res, body = sup.post("/conflicts/"+conflict[1], url.Values{"csrf": {sup.csrf("/conflicts")}, "resolution": {"merge"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "resolution") {
		t.Errorf("bad resolution: %d %s", res.StatusCode, errorText(body))
	}
	res, body = sup.post("/conflicts/"+conflict[1], url.Values{"csrf": {sup.csrf("/conflicts")}, "resolution": {"joint"}, "note": {"One team under ANF lead"}})
	if !strings.Contains(body, "Resolution recorded") || !strings.Contains(body, "Joint operation") || res.Request.URL.Path != "/conflicts" {
		t.Errorf("resolution: %s", errorText(body))
	}
	if _, body := anf.get("/conflicts"); !strings.Contains(body, "Joint operation") || !strings.Contains(body, "One team under ANF lead") {
		t.Error("the other agency does not see the resolution")
	}

	// Protection officers plan no operations.
	if res, _ := env.signIn("fia.protection").get("/operations"); res.StatusCode != http.StatusForbidden {
		t.Errorf("operations for a protection officer: %d", res.StatusCode)
	}
}

// TestWebCoopPages: every page in both languages, the navigation by role,
// and the labels the templates pick by value in both catalogues.
func TestWebCoopPages(t *testing.T) {
	env := newWebEnv(t)
	coopUsers(env)
	inv := env.signIn("fia.investigator")
	_, body := inv.get("/pursue")
	for _, want := range []string{`href="/requests"`, `href="/operations"`, `href="/grants"`, `href="/conflicts"`, `href="/inbox"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Pursue lacks %s", want)
		}
	}
	if _, body := env.signIn("fia.auditor").get("/"); strings.Contains(body, `href="/requests"`) || strings.Contains(body, `href="/operations"`) || !strings.Contains(body, `href="/inbox"`) {
		t.Error("the auditor's navigation")
	}
	inv.get("/lang?to=ur")
	for _, p := range []string{"/requests", "/requests/new", "/grants", "/operations", "/conflicts", "/inbox"} {
		res, body := inv.get(p)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `dir="rtl"`) {
			t.Errorf("%s in Urdu: %d", p, res.StatusCode)
		}
	}

	keys := []string{}
	for _, s := range []rabta.RequestType{rabta.RequestRFI, rabta.RequestAccess, rabta.RequestAssistance} {
		keys = append(keys, "reqtype."+string(s))
	}
	for _, s := range []rabta.RequestState{rabta.StateSubmitted, rabta.StateAcknowledged, rabta.StateAnswered, rabta.StateRefused, rabta.StateWithdrawn} {
		keys = append(keys, "reqstate."+string(s))
	}
	for _, u := range []rabta.Urgency{rabta.UrgencyRoutine, rabta.UrgencyPriority, rabta.UrgencyImmediate} {
		keys = append(keys, "urgency."+string(u))
	}
	for _, o := range rabta.OperationTypes {
		keys = append(keys, "optype."+string(o))
	}
	for _, r := range rabta.Resolutions {
		keys = append(keys, "resolution."+string(r))
	}
	for _, k := range []string{sqlstore.NoteHit, sqlstore.NoteRequestReceived, sqlstore.NoteRequestAnswered, sqlstore.NoteRequestOverdue, sqlstore.NoteConflict,
		sqlstore.NoteConflictResolved, sqlstore.NoteTaskAssigned, sqlstore.NoteGrantExpiring, sqlstore.NoteGrantRevoked, sqlstore.NoteCaseMember, "other"} {
		keys = append(keys, "inbox.kind."+k)
	}
	for _, d := range []string{"sent", "acknowledge", "reply", "approve", "refuse", "withdraw", "revoke"} {
		keys = append(keys, "request.done."+d)
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
