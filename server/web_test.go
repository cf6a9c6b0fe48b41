package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

const webPassword = "correct horse battery"

// webEnv is a server over a fresh SQLite store with two agencies (FIA and
// ANF) and a few users.
type webEnv struct {
	t     *testing.T
	store *sqlstore.Store
	ts    *httptest.Server
}

func newWebEnv(t *testing.T) *webEnv {
	t.Helper()
	return newWebEnvAt(t, filepath.Join(t.TempDir(), "t.db"))
}

// newWebEnvAt is newWebEnv over the database at dsn (a SQLite file or a
// PostgreSQL URL).
func newWebEnvAt(t *testing.T, dsn string) *webEnv {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, a := range []rabta.Agency{
		{Code: "FIA", Name: "Federal Investigation Agency", TOTPOptional: true, Contact: rabta.Contact{Desk: "FIA duty desk", Phone: "+92 51 111 345 786", Email: "desk@fia.example"}},
		{Code: "ANF", Name: "Anti-Narcotics Force", TOTPOptional: true, Contact: rabta.Contact{Desk: "ANF operations room", Phone: "+92 51 9000000", Email: "ops@anf.example"}},
	} {
		if err := store.CreateAgency(ctx, sqlstore.System, &a); err != nil {
			t.Fatal(err)
		}
	}
	hash, err := auth.HashPassword(webPassword, auth.FastParams)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []rabta.User{
		{Username: "fia.analyst", Name: "Ayesha Malik", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret},
		{Username: "anf.analyst", Agency: "ANF", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Restricted},
		{Username: "fia.admin", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAdmin}, Clearance: rabta.Secret},
		{Username: "fia.auditor", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAuditor}, Clearance: rabta.Restricted},
	} {
		if err := store.CreateUser(ctx, sqlstore.System, &u, hash); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(server.New(store, server.Config{Demo: true, Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(ts.Close)
	return &webEnv{t: t, store: store, ts: ts}
}

// webBrowser is one person's browser: a client with a cookie jar.
type webBrowser struct {
	env *webEnv
	c   *http.Client
}

func (e *webEnv) browser() *webBrowser {
	jar, _ := cookiejar.New(nil)
	return &webBrowser{env: e, c: &http.Client{Jar: jar}}
}

// signIn signs in through the form and returns the browser.
func (e *webEnv) signIn(username string) *webBrowser {
	e.t.Helper()
	b := e.browser()
	res, body := b.post("/login", url.Values{"username": {username}, "password": {webPassword}, "code": {""}})
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/" || !strings.Contains(body, username) {
		e.t.Fatalf("sign-in as %s: status %d at %s", username, res.StatusCode, res.Request.URL)
	}
	return b
}

func (b *webBrowser) do(req *http.Request) (*http.Response, string) {
	b.env.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.env.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.env.t.Fatal(err)
	}
	checkPage(b.env.t, req.URL.Path, res, string(body))
	return res, string(body)
}

func (b *webBrowser) get(path string) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodGet, b.env.ts.URL+path, nil)
	return b.do(req)
}

func (b *webBrowser) post(path string, form url.Values) (*http.Response, string) {
	req, _ := http.NewRequest(http.MethodPost, b.env.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// csrf returns the CSRF token from a page.
func (b *webBrowser) csrf(page string) string {
	b.env.t.Helper()
	_, body := b.get(page)
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		b.env.t.Fatalf("no CSRF input on %s", page)
	}
	return m[1]
}

var (
	inlineScript = regexp.MustCompile(`<script(\s[^>]*)?>`)
	styleAttr    = regexp.MustCompile(`\sstyle=`)
	externalRef  = regexp.MustCompile(`(src|href|action)="(https?:)?//`)
)

// checkPage holds every HTML page to the CSP and the no-external-requests
// rule: no inline script or style, nothing loaded from elsewhere.
func checkPage(t *testing.T, path string, res *http.Response, body string) {
	t.Helper()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		return
	}
	for _, m := range inlineScript.FindAllString(body, -1) {
		if !strings.Contains(m, "src=") {
			t.Errorf("%s: inline script %s", path, m)
		}
	}
	if styleAttr.MatchString(body) || strings.Contains(body, "<style") {
		t.Errorf("%s: inline style", path)
	}
	if m := externalRef.FindString(body); m != "" {
		t.Errorf("%s: external reference %s", path, m)
	}
}

// createRecord creates a record through the form and returns its id.
func (b *webBrowser) createRecord(form url.Values) string {
	b.env.t.Helper()
	form.Set("csrf", b.csrf("/records/new?schema="+form.Get("schema")))
	res, body := b.post("/records/new", form)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Request.URL.Path, "/records/") {
		b.env.t.Fatalf("create record: status %d at %s: %s", res.StatusCode, res.Request.URL, errorText(body))
	}
	return strings.TrimPrefix(res.Request.URL.Path, "/records/")
}

var errorBox = regexp.MustCompile(`(?s)class="error-box"[^>]*>(.*?)</div>`)

func errorText(body string) string {
	if m := errorBox.FindStringSubmatch(body); m != nil {
		return strings.TrimSpace(m[1])
	}
	return "(no error shown)"
}

func personForm(name, cnic string, extra url.Values) url.Values {
	f := url.Values{"schema": {"Person"}, "p.name": {name}, "p.idNumber": {cnic},
		"release": {"originator"}, "handling": {"P"}, "classification": {"restricted"}, "basis": {"fact"},
		"grading_system": {"3x5x2"}, "grading_source": {"2"}, "grading_intelligence": {"B"}, "grading_handling": {"P"},
		"source_report": {"FIA/CW/2026/114"}, "source_date": {"2026-01-15"}, "subject_category": {"suspect"}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func TestWebSignIn(t *testing.T) {
	env := newWebEnv(t)
	b := env.browser()

	res, body := b.get("/search?q=x")
	if res.Request.URL.Path != "/login" || !strings.Contains(body, `name="password"`) || !strings.Contains(body, `name="code"`) {
		t.Fatalf("signed-out page went to %s", res.Request.URL)
	}
	if !strings.Contains(body, "DEMO MODE — synthetic data, demo passwords; not for real use") {
		t.Error("demo banner missing on the sign-in page")
	}

	res, body = b.post("/login", url.Values{"username": {"fia.analyst"}, "password": {"wrong password!"}, "next": {"/search"}})
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Sign-in failed") || !strings.Contains(body, `value="fia.analyst"`) {
		t.Errorf("bad password: status %d, error %q", res.StatusCode, errorText(body))
	}
	_, body2 := b.post("/login", url.Values{"username": {"nobody"}, "password": {"wrong password!"}})
	if errorText(body) != errorText(body2) {
		t.Errorf("unknown user and wrong password answer differently: %q vs %q", errorText(body), errorText(body2))
	}

	// next is followed only to a local path.
	for next, want := range map[string]string{"/search?q=Khan": "/search", "//evil.example/x": "/", "https://evil.example/": "/", "/\\evil.example": "/"} {
		b := env.browser()
		res, _ := b.post("/login", url.Values{"username": {"fia.analyst"}, "password": {webPassword}, "next": {next}})
		if res.Request.URL.Host != strings.TrimPrefix(env.ts.URL, "http://") || res.Request.URL.Path != want {
			t.Errorf("next=%q: landed on %s, want %s", next, res.Request.URL, want)
		}
	}

	b = env.signIn("fia.analyst")
	u, _ := url.Parse(env.ts.URL)
	var session *http.Cookie
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "rabta_session" {
			session = c
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	_, body = b.get("/")
	for _, want := range []string{"Ayesha Malik", "FIA", "Analyst", "Pursue", "Protect", "Prevent", "Promote", "Search", "DEMO MODE"} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if strings.Contains(body, `href="/audit"`) || strings.Contains(body, `href="/admin/users"`) {
		t.Error("an analyst sees the audit or admin links")
	}

	// Signing out needs the CSRF token, revokes the session and clears the cookie.
	if res, _ := b.post("/logout", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout without CSRF: status %d", res.StatusCode)
	}
	res, _ = b.post("/logout", url.Values{"csrf": {b.csrf("/")}})
	if res.Request.URL.Path != "/login" {
		t.Errorf("after sign-out: at %s", res.Request.URL)
	}
	jar, _ := cookiejar.New(nil)
	jar.SetCookies(u, []*http.Cookie{{Name: "rabta_session", Value: session.Value}})
	stale := &webBrowser{env: env, c: &http.Client{Jar: jar}}
	if res, _ := stale.get("/"); res.Request.URL.Path != "/login" {
		t.Error("the revoked session still works")
	}
}

func TestWebRecordLifecycle(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")

	id := fia.createRecord(personForm("Imran Qureshi", "35202-1234567-1", url.Values{"p.phone": {"0300-1234567\n0321 7654321"}}))
	res, body := fia.get("/records/" + id)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("record page: status %d", res.StatusCode)
	}
	banner := "RESTRICTED · ORIGINATOR ONLY · HANDLING P"
	if n := strings.Count(body, banner); n != 2 {
		t.Errorf("marking banner shown %d times, want top and bottom", n)
	}
	for _, want := range []string{"Imran Qureshi", "35202-1234567-1", "03001234567", "03217654321", "2B P (3x5x2)", "FIA/CW/2026/114", "2026-01-15", "fia.analyst", "Suspect", "Fact", "banner-restricted", `href="/records/` + id + `/edit"`} {
		if !strings.Contains(body, want) {
			t.Errorf("record page lacks %q", want)
		}
	}

	// A link to the person, its page links back; the person lists it as related.
	phone := fia.createRecord(url.Values{"schema": {"Phone"}, "p.number": {"0300-1234567"}, "p.owner": {id},
		"release": {"all"}, "handling": {"P"}, "classification": {"restricted"}})
	_, body = fia.get("/records/" + phone + "?purpose=CASE-7")
	if !strings.Contains(body, `href="/records/`+id+`?purpose=CASE-7"`) || !strings.Contains(body, "ungraded") {
		t.Error("phone page: no link to its owner carrying the purpose, or grading not shown as ungraded")
	}
	_, body = fia.get("/records/" + id)
	if !strings.Contains(body, `href="/records/`+phone+`"`) {
		t.Error("person page does not list the phone as related")
	}

	// A refused record comes back with the input kept and the message shown.
	bad := personForm("Bilal Ahmed", "35202-7654321-3", url.Values{"p.birthDate": {"1990-13-45"}, "csrf": {fia.csrf("/records/new")}})
	res, body = fia.post("/records/new", bad)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "birthDate") ||
		!strings.Contains(body, "Bilal Ahmed") || !strings.Contains(body, "1990-13-45") || !strings.Contains(body, "prop invalid") {
		t.Errorf("invalid record: status %d, error %q", res.StatusCode, errorText(body))
	}
	res, body = fia.post("/records/new", personForm("Bilal Ahmed", "", url.Values{"release": {"agencies"}, "csrf": {fia.csrf("/records/new")}}))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "marking.agencies") {
		t.Errorf("release to no agency: status %d, error %q", res.StatusCode, errorText(body))
	}

	// Edit: the form holds the record; saving makes version 2; a stale
	// version is a conflict that keeps the input.
	_, body = fia.get("/records/" + id + "/edit")
	if !strings.Contains(body, `name="version" value="1"`) || !strings.Contains(body, "Imran Qureshi") {
		t.Fatal("edit form does not hold the record")
	}
	edit := personForm("Imran Ali Qureshi", "35202-1234567-1", url.Values{"version": {"1"}, "csrf": {fia.csrf("/records/" + id + "/edit")},
		"release": {"agencies"}, "agencies": {"ANF"}, "handling": {"C"}, "conditions": {"Not for court use"}})
	res, body = fia.post("/records/"+id+"/edit", edit)
	if res.Request.URL.Path != "/records/"+id || !strings.Contains(body, "Imran Ali Qureshi") ||
		strings.Count(body, "RESTRICTED · REL TO ANF · HANDLING C") != 2 || !strings.Contains(body, "Not for court use") {
		t.Errorf("after edit: at %s, error %q", res.Request.URL, errorText(body))
	}
	edit.Set("p.name", "Someone Else")
	res, body = fia.post("/records/"+id+"/edit", edit)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "Someone Else") {
		t.Errorf("stale edit: status %d, error %q", res.StatusCode, errorText(body))
	}

	// The list and the home page show it.
	_, body = fia.get("/records?schema=Person")
	if !strings.Contains(body, "Imran Ali Qureshi") || strings.Contains(body, "0300") {
		t.Error("records list by schema")
	}
	_, body = fia.get("/")
	if !strings.Contains(body, "Imran Ali Qureshi") {
		t.Error("home page lacks the recent record")
	}
}

func TestWebPointerAndNotFound(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	id := fia.createRecord(personForm("Imran Qureshi", "35202-1234567-1", nil))
	secret := fia.createRecord(personForm("Tariq Mehmood", "", url.Values{"categories": {"informant"}}))

	anf := env.signIn("anf.analyst")
	_, body := anf.get("/search?q=imran+qureshi&purpose=ANF-CASE-12") // lower case: the echo in the search box is not the record
	if !strings.Contains(body, "Held by FIA — contact: FIA duty desk") || !strings.Contains(body, "desk@fia.example") ||
		!strings.Contains(body, "badge-pointer") || strings.Contains(body, "Imran") {
		t.Error("search shows more or less than the pointer to another agency's record")
	}
	// The identifier finds it too; the purpose reaches the audit log.
	_, body = anf.get("/search?q=35202-1234567-1")
	if !strings.Contains(body, "Held by FIA") {
		t.Error("CNIC search finds no pointer")
	}
	res, body := anf.get("/records/" + id + "?purpose=ANF-CASE-12")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "FIA duty desk") || !strings.Contains(body, "How to request access") ||
		strings.Contains(body, "Qureshi") || strings.Contains(body, "35202") || strings.Contains(body, "banner-") {
		t.Errorf("pointer page: status %d", res.StatusCode)
	}
	evs, err := env.store.AuditEvents(context.Background(), rabta.Principal{Username: "t", Roles: []rabta.Role{rabta.RoleAuditor}},
		sqlstore.AuditFilter{Username: "anf.analyst", Object: id, Action: rabta.ActRecordRead})
	if err != nil || len(evs) != 1 || evs[0].Purpose != "ANF-CASE-12" || evs[0].Outcome != "pointer" {
		t.Errorf("audit of the pointer read: %+v, %v", evs, err)
	}

	// An informant record of another agency and a missing one: one answer.
	res1, hidden := anf.get("/records/" + secret)
	missing := "019a0000-0000-7000-8000-000000000000"
	res2, absent := anf.get("/records/" + missing)
	if res1.StatusCode != http.StatusNotFound || res2.StatusCode != http.StatusNotFound ||
		strings.ReplaceAll(hidden, secret, "ID") != strings.ReplaceAll(absent, missing, "ID") {
		t.Errorf("hidden and missing records answer differently (%d, %d)", res1.StatusCode, res2.StatusCode)
	}
	if _, body := anf.get("/search?q=Tariq"); strings.Contains(body, "Held by") {
		t.Error("search reveals the informant record")
	}
	// Nor can ANF edit FIA's record.
	if res, _ := anf.get("/records/" + id + "/edit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("edit another agency's record: status %d", res.StatusCode)
	}
}

func TestWebLiveSearchFragment(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	fia.createRecord(personForm("Imran Qureshi", "", nil))
	req, _ := http.NewRequest(http.MethodGet, env.ts.URL+"/search?q=Imran", nil)
	req.Header.Set("HX-Request", "true")
	_, body := fia.do(req)
	if strings.Contains(body, "<html") || !strings.Contains(body, "Imran Qureshi") || !strings.Contains(body, "badge-full") {
		t.Errorf("htmx search did not return the results fragment: %.200s", body)
	}
	_, body = fia.get("/search?q=Imran")
	if !strings.Contains(body, "<html") || !strings.Contains(body, `hx-get="/search"`) || !strings.Contains(body, `id="results"`) {
		t.Error("search page without htmx is not a whole page")
	}
	if !strings.Contains(body, `<meta name="csrf-token"`) || !strings.Contains(body, "/static/vendor/htmx.min.js?v=") || !strings.Contains(body, "/static/rabta.js?v=") {
		t.Error("page lacks the CSRF meta or the scripts")
	}
}

func TestWebCSRF(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	form := personForm("Imran Qureshi", "", nil)
	if res, _ := fia.post("/records/new", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST without CSRF: status %d", res.StatusCode)
	}
	form.Set("csrf", strings.Repeat("0", 32))
	if res, _ := fia.post("/records/new", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("POST with a wrong CSRF token: status %d", res.StatusCode)
	}
	// The header htmx sends is accepted in place of the field.
	form.Del("csrf")
	req, _ := http.NewRequest(http.MethodPost, env.ts.URL+"/records/new", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", fia.csrf("/"))
	if res, _ := fia.do(req); res.Request.URL.Path == "/records/new" {
		t.Errorf("POST with the CSRF header: status %d", res.StatusCode)
	}
}

func TestWebUrdu(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	res, body := fia.get("/lang?to=ur&next=" + url.QueryEscape("/search?q=Khan"))
	if res.Request.URL.RequestURI() != "/search?q=Khan" {
		t.Errorf("language switch went to %s", res.Request.URL)
	}
	if !strings.Contains(body, `<html lang="ur" dir="rtl">`) || !strings.Contains(body, "تلاش") || !strings.Contains(body, "تعاقب") {
		t.Error("Urdu page is not right-to-left Urdu")
	}
	if res, _ := fia.get("/lang?to=en&next=//evil.example/"); res.Request.URL.Host != strings.TrimPrefix(env.ts.URL, "http://") || res.Request.URL.Path != "/" {
		t.Errorf("language switch followed a foreign next to %s", res.Request.URL)
	}
	if _, body := fia.get("/"); !strings.Contains(body, `<html lang="en" dir="ltr">`) {
		t.Error("English page after switching back")
	}
}

func TestWebAudit(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	fia.createRecord(personForm("Imran Qureshi", "", nil))
	if res, _ := fia.get("/audit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("audit page for an analyst: status %d", res.StatusCode)
	}
	aud := env.signIn("fia.auditor")
	res, body := aud.get("/audit?user=fia.analyst&action=record.create")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "record.create") || strings.Contains(body, ">auth.login<") {
		t.Errorf("filtered audit page: status %d", res.StatusCode)
	}
	if res, body := aud.get("/audit?since=yesterday"); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "since") {
		t.Errorf("bad since: status %d", res.StatusCode)
	}
	_, body = aud.post("/audit", url.Values{"csrf": {aud.csrf("/audit")}})
	if !strings.Contains(body, "The chain is intact") {
		t.Errorf("verify: %q", errorText(body))
	}
	// The verification is itself logged.
	_, body = aud.get("/audit?action=audit.verify")
	if !strings.Contains(body, "fia.auditor") {
		t.Error("the verification is not in the log")
	}
	// With htmx only the result comes back.
	req, _ := http.NewRequest(http.MethodPost, env.ts.URL+"/audit", nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("X-CSRF-Token", aud.csrf("/audit"))
	if _, body := aud.do(req); strings.Contains(body, "<html") || !strings.Contains(body, "The chain is intact") {
		t.Errorf("htmx verify: %.200s", body)
	}
}

func TestWebAdmin(t *testing.T) {
	env := newWebEnv(t)
	if res, _ := env.signIn("fia.analyst").get("/admin/users"); res.StatusCode != http.StatusForbidden {
		t.Errorf("admin page for an analyst: status %d", res.StatusCode)
	}
	adm := env.signIn("fia.admin")
	res, body := adm.post("/admin/agencies", url.Values{"csrf": {adm.csrf("/admin/agencies")}, "code": {"fmu"},
		"name": {"Financial Monitoring Unit"}, "desk": {"FMU desk"}, "totp_optional": {"1"}})
	if res.Request.URL.Path != "/admin/agencies" || !strings.Contains(body, "Agency FMU added") || !strings.Contains(body, "Financial Monitoring Unit") {
		t.Errorf("add agency: %q", errorText(body))
	}
	res, body = adm.post("/admin/agencies", url.Values{"csrf": {adm.csrf("/admin/agencies")}, "code": {"FMU"}, "name": {"Again"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, `value="Again"`) {
		t.Errorf("duplicate agency: status %d", res.StatusCode)
	}

	add := url.Values{"csrf": {adm.csrf("/admin/users")}, "username": {"fia.new"}, "name": {"Sana Javed"},
		"roles": {"analyst", "investigator"}, "clearance": {"confidential"}, "password": {"short"}}
	res, body = adm.post("/admin/users", add)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "12") || !strings.Contains(body, "Sana Javed") || strings.Contains(body, `value="short"`) {
		t.Errorf("short password: status %d, error %q", res.StatusCode, errorText(body))
	}
	add.Set("password", webPassword)
	res, body = adm.post("/admin/users", add)
	if !strings.Contains(body, "User fia.new added") || !strings.Contains(body, "Confidential") {
		t.Fatalf("add user: status %d, error %q", res.StatusCode, errorText(body))
	}
	u, _, err := env.store.UserByName(context.Background(), "fia.new")
	if err != nil || u.Agency != "FIA" || len(u.Roles) != 2 || u.Clearance != rabta.Confidential {
		t.Fatalf("stored user: %+v, %v", u, err)
	}
	newb := env.signIn("fia.new")

	adm.post("/admin/users/fia.new/disable", url.Values{"csrf": {adm.csrf("/admin/users")}})
	if u, _, _ := env.store.UserByName(context.Background(), "fia.new"); !u.Disabled {
		t.Error("user not disabled")
	}
	if res, _ := newb.get("/"); res.Request.URL.Path != "/login" {
		t.Error("a disabled user's session still works")
	}
	adm.post("/admin/users/fia.new/enable", url.Values{"csrf": {adm.csrf("/admin/users")}})
	if u, _, _ := env.store.UserByName(context.Background(), "fia.new"); u.Disabled {
		t.Error("user not enabled again")
	}
	// Another agency's users are out of reach.
	if res, _ := adm.post("/admin/users/anf.analyst/disable", url.Values{"csrf": {adm.csrf("/admin/users")}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("disable another agency's user: status %d", res.StatusCode)
	}
	if res, _ := adm.post("/admin/users/fia.admin/disable", url.Values{"csrf": {adm.csrf("/admin/users")}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("disable oneself: status %d", res.StatusCode)
	}
}

func TestWebPagesAndStatic(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	for _, p := range []string{"/", "/pursue", "/protect", "/prevent", "/promote", "/search", "/records", "/records/new", "/records/new?schema=Ownership"} {
		if res, _ := fia.get(p); res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", p, res.StatusCode)
		}
	}
	if _, body := fia.get("/prevent"); !strings.Contains(body, "Not yet available") {
		t.Error("Prevent does not say it is not yet available")
	}
	if res, _ := fia.get("/records/new?schema=Thing"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("form for an abstract schema: status %d", res.StatusCode)
	}
	if res, _ := fia.get("/no/such/page"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown page: status %d", res.StatusCode)
	}
	if res, _ := env.signIn("fia.auditor").get("/records/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("record form for an auditor: status %d", res.StatusCode)
	}

	for path, ctype := range map[string]string{"/static/rabta.css": "text/css", "/static/rabta.js": "text/javascript", "/static/vendor/htmx.min.js": "text/javascript"} {
		res, err := http.Get(env.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), ctype) ||
			!strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: status %d, type %q, cache %q", path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
	}
	for _, path := range []string{"/static/", "/static/vendor/", "/static/nope.css"} {
		res, err := http.Get(env.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d", path, res.StatusCode)
		}
	}
}

// TestWebCatalogues keeps the English and Urdu catalogues complete and
// every key the templates use defined.
func TestWebCatalogues(t *testing.T) {
	cats := map[string]map[string]string{}
	for _, lang := range []string{"en", "ur"} {
		b, err := os.ReadFile(filepath.Join("i18n", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		cats[lang] = m
	}
	for k := range cats["en"] {
		if _, ok := cats["ur"][k]; !ok {
			t.Errorf("ur.json lacks %q", k)
		}
	}
	for k := range cats["ur"] {
		if _, ok := cats["en"][k]; !ok {
			t.Errorf("ur.json has %q, which en.json lacks", k)
		}
	}
	used := regexp.MustCompile(`\bt "([a-z_.]+)"`)
	files, _ := filepath.Glob(filepath.Join("templates", "*.html"))
	goFiles, _ := filepath.Glob("web*.go")
	keys := map[string]bool{}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
		for _, m := range regexp.MustCompile(`"Empty" "([a-z_.]+)"`).FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	for _, f := range goFiles {
		b, _ := os.ReadFile(f)
		for _, m := range regexp.MustCompile(`\.T\("([a-z_.]+)"`).FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = true
		}
	}
	for _, r := range rabta.Roles {
		keys["role."+string(r)] = true
	}
	for _, c := range rabta.Categories {
		keys["category."+string(c)] = true
	}
	for _, s := range rabta.SubjectCategories {
		keys["subject."+string(s)] = true
	}
	for _, p := range []string{"pursue", "protect", "prevent", "promote"} {
		keys["pillar."+p], keys["pillar."+p+".lead"] = true, true
	}
	for k := range keys {
		if _, ok := cats["en"][k]; !ok {
			t.Errorf("key %q is used but not in the catalogues", k)
		}
	}
}

// TestWebSecondFactor: an agency's admin enrols a user's second factor in
// the UI (shown once as a QR code), the user then needs it to sign in, and
// the admin can waive or require it for the agency.
func TestWebSecondFactor(t *testing.T) {
	env := newWebEnv(t)
	adm := env.signIn("fia.admin")
	res, body := adm.post("/admin/users/fia.analyst/totp", url.Values{"csrf": {adm.csrf("/admin/users")}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatalf("enrolment page: %d", res.StatusCode)
	}
	_, cred, err := env.store.UserByName(context.Background(), "fia.analyst")
	if err != nil || cred.TOTPSecret == "" || !strings.Contains(body, cred.TOTPSecret) {
		t.Fatalf("secret not stored or not shown: %v", err)
	}
	// Another agency's user is not this admin's to know.
	if res, _ := adm.post("/admin/users/anf.analyst/totp", url.Values{"csrf": {adm.csrf("/admin/users")}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("enrolling ANF's user: %d", res.StatusCode)
	}
	// Without the code the analyst cannot sign in now.
	b := env.browser()
	if res, _ := b.post("/login", url.Values{"username": {"fia.analyst"}, "password": {webPassword}}); res.Request.URL.Path == "/" {
		t.Fatal("signed in without the second factor")
	}
	code, _ := auth.TOTPCode(cred.TOTPSecret, time.Now())
	if res, _ := b.post("/login", url.Values{"username": {"fia.analyst"}, "password": {webPassword}, "code": {code}}); res.Request.URL.Path != "/" {
		t.Fatal("the right code was refused")
	}
	// The agency's rule: FIA's admin may change FIA's, not ANF's.
	adm.post("/admin/agencies/FIA/totp", url.Values{"csrf": {adm.csrf("/admin/agencies")}, "totp": {"required"}})
	if a, _ := env.store.Agency(context.Background(), "FIA"); a.TOTPOptional {
		t.Fatal("the second factor is still optional for FIA")
	}
	if res, _ := adm.post("/admin/agencies/ANF/totp", url.Values{"csrf": {adm.csrf("/admin/agencies")}, "totp": {"required"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("FIA's admin changed ANF's rule: %d", res.StatusCode)
	}
}

// TestWebReferencesByName: a record's references show the referenced
// record's name when the viewer may see it, the holder when only a pointer,
// and nothing when the viewer may not know of it.
func TestWebReferencesByName(t *testing.T) {
	env := newWebEnv(t)
	ctx := context.Background()
	fiaU, _, _ := env.store.UserByName(ctx, "fia.analyst")
	fia := rabta.PrincipalOf(fiaU)
	owner := &rabta.Record{Schema: "Person", Properties: map[string][]string{"name": {"Zubair Awan"}}, Marking: rabta.Marking{Release: rabta.ReleaseAgencies, Agencies: []string{"ANF"}}}
	hidden := &rabta.Record{Schema: "Person", Properties: map[string][]string{"name": {"Shahid Rind"}}}
	for _, r := range []*rabta.Record{owner, hidden} {
		if err := env.store.CreateRecord(ctx, fia, r); err != nil {
			t.Fatal(err)
		}
	}
	car := &rabta.Record{Schema: "Vehicle", Properties: map[string][]string{"registrationNumber": {"LEB-4411"}, "owner": {owner.ID}, "operator": {hidden.ID}},
		Marking: rabta.Marking{Release: rabta.ReleaseAll}}
	if err := env.store.CreateRecord(ctx, fia, car); err != nil {
		t.Fatal(err)
	}
	_, body := env.signIn("anf.analyst").get("/records/" + car.ID)
	if !strings.Contains(body, "Zubair Awan") {
		t.Error("the owner ANF may see is not shown by name")
	}
	if strings.Contains(body, "Shahid Rind") || !strings.Contains(body, "Held by FIA") {
		t.Error("the operator ANF sees only as a pointer is not shown as a pointer")
	}
}
