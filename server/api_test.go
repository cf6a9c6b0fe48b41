package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testConfig keeps request logs out of test output, and lets the many
// sign-ins of one test through the per-address limit (TestLoginRateLimit
// tests that limit).
var testConfig = server.Config{Logger: slog.New(slog.DiscardHandler), LoginRate: 10000}

// forEachDB runs fn on a fresh SQLite and a fresh PostgreSQL database.
func forEachDB(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openStore(t, filepath.Join(t.TempDir(), "rabta.db"))) })
	t.Run("postgres", func(t *testing.T) { fn(t, openStore(t, pgtest.DSN(t))) })
}

func openStore(t *testing.T, dsn string) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

const testPassword = "correct horse battery staple"

func addAgency(t *testing.T, s *sqlstore.Store, code string) {
	t.Helper()
	a := &rabta.Agency{Code: code, Name: code + " agency", TOTPOptional: true,
		Contact: rabta.Contact{Desk: code + " duty desk", Phone: "+92510000000", Email: strings.ToLower(code) + "@desk.example"}}
	if err := s.CreateAgency(context.Background(), sqlstore.System, a); err != nil {
		t.Fatal(err)
	}
}

func addUser(t *testing.T, s *sqlstore.Store, name, agency string, c rabta.Classification, roles ...rabta.Role) *rabta.User {
	t.Helper()
	hash, _ := auth.HashPassword(testPassword, auth.FastParams)
	u := &rabta.User{Username: name, Agency: agency, Roles: roles, Clearance: c}
	if err := s.CreateUser(context.Background(), sqlstore.System, u, hash); err != nil {
		t.Fatal(err)
	}
	return u
}

// client talks to the API as one user.
type client struct {
	t     *testing.T
	base  string
	token string
}

func login(t *testing.T, base, username string) *client {
	t.Helper()
	c := &client{t: t, base: base}
	status, body := c.do("POST", "/api/v1/auth/login", map[string]string{"username": username, "password": testPassword})
	if status != 200 {
		t.Fatalf("login %s: %d %s", username, status, body)
	}
	var out struct{ Token string }
	json.Unmarshal(body, &out)
	c.token = out.Token
	return c
}

func (c *client) do(method, path string, body any, headers ...string) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func (c *client) json(method, path string, body any, wantStatus int, out any) {
	c.t.Helper()
	status, b := c.do(method, path, body)
	if status != wantStatus {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, wantStatus, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
}

type apiErr struct {
	Error struct{ Code, Message string }
}

func TestAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		for _, a := range []string{"FIA", "ANF"} {
			addAgency(t, s, a)
		}
		addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "auditor", "FIA", rabta.Secret, rabta.RoleAuditor)
		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		fia, anf, aud := login(t, ts.URL, "fia.analyst"), login(t, ts.URL, "anf.analyst"), login(t, ts.URL, "auditor")

		// Sign-in failures all look alike.
		anon := &client{t: t, base: ts.URL}
		s1, b1 := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": "wrong"})
		s2, b2 := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "nobody", "password": "wrong"})
		if s1 != 401 || s2 != 401 || !bytes.Equal(b1, b2) {
			t.Fatalf("login failures differ: %d %s / %d %s", s1, b1, s2, b2)
		}
		if st, _ := anon.do("GET", "/api/v1/search?q=x", nil); st != 401 {
			t.Fatalf("unauthenticated search: %d", st)
		}

		var created struct {
			ID     string
			Access string
			Banner string
		}
		fia.json("POST", "/api/v1/records", map[string]any{
			"schema":     "Person",
			"properties": map[string][]string{"name": {"Muhammad Asif"}, "fatherName": {"Abdul Rehman"}, "idNumber": {"3520212345671"}, "phone": {"+923001234567"}},
			"marking":    map[string]any{"release": "originator", "agencies": []string{}, "handling": "P", "conditions": "", "classification": "restricted", "categories": []string{}},
			"grading":    map[string]any{"system": "3x5x2", "source": "1", "intelligence": "A", "handling": "P"},
		}, 201, &created)
		if created.ID == "" || created.Access != "full" || created.Banner == "" {
			t.Fatalf("created %+v", created)
		}

		// The holder reads it in full; ANF gets a pointer with no content.
		var rec map[string]any
		fia.json("GET", "/api/v1/records/"+created.ID, nil, 200, &rec)
		if rec["access"] != "full" || rec["caption"] != "Muhammad Asif" {
			t.Fatalf("full read %+v", rec)
		}
		st, body := anf.do("GET", "/api/v1/records/"+created.ID, nil, "X-Rabta-Purpose", "ANF/2026/114 joint check")
		var ptr struct {
			Error   struct{ Code string }
			Pointer struct {
				Agency  string
				Contact rabta.Contact
			}
		}
		json.Unmarshal(body, &ptr)
		if st != 403 || ptr.Error.Code != "pointer" || ptr.Pointer.Agency != "FIA" || ptr.Pointer.Contact.Desk != "FIA duty desk" {
			t.Fatalf("pointer read: %d %s", st, body)
		}
		for _, secret := range []string{"Asif", "Rehman", "3520212345671", "923001234567"} {
			if bytes.Contains(body, []byte(secret)) {
				t.Fatalf("pointer leaks %q: %s", secret, body)
			}
		}

		// Identifiers in other forms find it; ANF's hit is a pointer without caption.
		var res struct {
			Results []map[string]any
			Total   int
		}
		anf.json("GET", "/api/v1/search?q=35202-1234567-1", nil, 200, &res)
		if res.Total != 1 || res.Results[0]["access"] != "pointer" || res.Results[0]["caption"] != nil || res.Results[0]["agency"] != "FIA" {
			t.Fatalf("ANF search: %+v", res)
		}
		fia.json("GET", "/api/v1/search?q=0300%201234567", nil, 200, &res)
		if res.Total != 1 || res.Results[0]["caption"] != "Muhammad Asif" {
			t.Fatalf("FIA search by national phone: %+v", res)
		}

		// none looks exactly like absence: an informant record of FIA and an unknown id.
		var inf struct{ ID string }
		fia.json("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": map[string][]string{"name": {"Source Lahore-4"}},
			"marking": map[string]any{"release": "all", "categories": []string{"informant"}}}, 201, &inf)
		stA, bA := anf.do("GET", "/api/v1/records/"+inf.ID, nil)
		stB, bB := anf.do("GET", "/api/v1/records/"+strings.Replace(inf.ID, inf.ID[len(inf.ID)-4:], "0000", 1), nil)
		if stA != 404 || stB != 404 || !bytes.Equal(bA, bB) {
			t.Fatalf("none vs absent: %d %s / %d %s", stA, bA, stB, bB)
		}

		// The auditor finds ANF's read with its purpose, and the chain verifies.
		var evs struct{ Events []rabta.AuditEvent }
		aud.json("GET", "/api/v1/audit?user=anf.analyst&action=record.read&object="+created.ID, nil, 200, &evs)
		if len(evs.Events) != 1 || evs.Events[0].Purpose != "ANF/2026/114 joint check" || evs.Events[0].Outcome != "pointer" {
			t.Fatalf("audit events %+v", evs.Events)
		}
		var ver struct {
			OK     bool
			Events int
		}
		aud.json("GET", "/api/v1/audit/verify", nil, 200, &ver)
		if !ver.OK || ver.Events < 10 {
			t.Fatalf("verify %+v", ver)
		}
		if st, _ := fia.do("GET", "/api/v1/audit", nil); st != 403 {
			t.Fatalf("analyst read audit: %d", st)
		}

		// Bad input: clear errors, nothing changed.
		var before sqlstore.Counts
		fia.json("GET", "/api/v1/records/count", nil, 200, &before)
		bad := []struct {
			body   any
			status int
			want   string
		}{
			{`{"schema":"Person",`, 400, "malformed JSON"},
			{`{"schema":"Persn","properties":{"name":["x"]}}`, 400, `unknown schema "Persn"`},
			{`{"schema":"Person","properties":{"colour":["x"]}}`, 400, "colour"},
			{`{"schema":"Person","properties":{"name":"x"}}`, 400, "properties.name: expected a list of strings"},
			{`["Person"]`, 400, "expected a JSON object, got JSON array"},
			{`{"schema":"Person","properties":{"name":["x"]},"agency":"ANF"}`, 400, `unknown field "agency"`},
			{`{"schema":"Person","properties":{"idNumber":["35202-12345-1"]}}`, 400, "properties.idNumber[0]"},
			{`{"schema":"Person","properties":{"phone":["12345"]}}`, 400, "properties.phone[0]"},
			{`{"schema":"BankAccount","properties":{"iban":["PK36SCBL0000001123456703"]}}`, 400, "properties.iban[0]"},
			{`{"schema":"Person","properties":{"name":["x"]},"marking":{"release":"agencies"}}`, 400, "marking.agencies"},
			{`{"schema":"Person","properties":{"name":["x"]},"grading":{"source":"9","intelligence":"A"}}`, 400, "grading.source"},
			{`{"schema":"Person","properties":{"name":["` + strings.Repeat("x", 2<<20) + `"]}}`, 413, "larger than"},
		}
		for _, b := range bad {
			st, body := fia.do("POST", "/api/v1/records", b.body)
			var e apiErr
			json.Unmarshal(body, &e)
			if st != b.status || !strings.Contains(e.Error.Message, b.want) {
				t.Errorf("bad input %.60s: %d %s, want %d naming %q", fmt.Sprint(b.body), st, body, b.status, b.want)
			}
		}
		var after sqlstore.Counts
		fia.json("GET", "/api/v1/records/count", nil, 200, &after)
		if after != before {
			t.Fatalf("bad input changed the records: %+v → %+v", before, after)
		}

		// Health, metrics and the OpenAPI document.
		for _, p := range []string{"/healthz", "/metrics", "/api/v1/openapi.json"} {
			if st, _ := anon.do("GET", p, nil); st != 200 {
				t.Errorf("GET %s: %d", p, st)
			}
		}
		var doc map[string]any
		_, b := anon.do("GET", "/api/v1/openapi.json", nil)
		if json.Unmarshal(b, &doc) != nil || doc["openapi"] != "3.1.0" {
			t.Errorf("openapi document: %.100s", b)
		}

		// Logout revokes the token.
		fia.json("POST", "/api/v1/auth/logout", nil, 200, nil)
		if st, _ := fia.do("GET", "/api/v1/me", nil); st != 401 {
			t.Fatalf("token works after logout: %d", st)
		}
	})
}

func TestLoginLockout(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rabta.db"))
	addAgency(t, s, "FIA")
	addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
	ts := httptest.NewServer(server.New(s, testConfig))
	defer ts.Close()
	anon := &client{t: t, base: ts.URL}
	for i := 0; i < 5; i++ {
		anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": "wrong"})
	}
	// Locked now: even the right password fails, with the same answer.
	if st, _ := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword}); st != 401 {
		t.Fatalf("locked account signed in: %d", st)
	}
	// A second instance on the same database sees the same lock.
	ts2 := httptest.NewServer(server.New(s, testConfig))
	defer ts2.Close()
	if st, _ := (&client{t: t, base: ts2.URL}).do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword}); st != 401 {
		t.Fatalf("other instance ignores the lock: %d", st)
	}
}

func TestLoginRateLimit(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rabta.db"))
	addAgency(t, s, "FIA")
	addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
	cfg := testConfig
	cfg.LoginRate = 3
	ts := httptest.NewServer(server.New(s, cfg))
	defer ts.Close()
	anon := &client{t: t, base: ts.URL}
	for i := 0; i < 3; i++ {
		if st, _ := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword}); st != 200 {
			t.Fatalf("attempt %d: %d", i+1, st)
		}
	}
	if st, _ := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword}); st != 429 {
		t.Fatalf("fourth attempt in a minute: %d, want 429", st)
	}
}

func TestTOTPRequired(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rabta.db"))
	a := &rabta.Agency{Code: "FIA", Name: "FIA"} // second factor required
	if err := s.CreateAgency(context.Background(), sqlstore.System, a); err != nil {
		t.Fatal(err)
	}
	addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
	ts := httptest.NewServer(server.New(s, testConfig))
	defer ts.Close()
	anon := &client{t: t, base: ts.URL}
	st, body := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword})
	if st != 401 || !strings.Contains(string(body), "second factor") {
		t.Fatalf("sign-in without enrolled factor: %d %s", st, body)
	}
	secret, _, _ := auth.NewTOTP("fia.analyst")
	if err := s.UpdateUser(context.Background(), sqlstore.System, "fia.analyst", sqlstore.UserUpdate{TOTPSecret: &secret}); err != nil {
		t.Fatal(err)
	}
	if st, _ := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword, "totp": "000000"}); st != 401 {
		t.Fatalf("wrong code accepted: %d", st)
	}
	code, _ := auth.TOTPCode(secret, time.Now())
	if st, body := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword, "totp": code}); st != 200 {
		t.Fatalf("right code refused: %d %s", st, body)
	}
	// A code is good once: an overheard code cannot be replayed.
	if st, _ := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword, "totp": code}); st != 401 {
		t.Fatalf("replayed code accepted: %d", st)
	}
}

// TestAgencyTOTPWaiver: an agency's admin turns the second factor off for
// the agency (and only their own agency), and its users then sign in
// without one.
func TestAgencyTOTPWaiver(t *testing.T) {
	s := openStore(t, filepath.Join(t.TempDir(), "rabta.db"))
	for _, code := range []string{"FIA", "ANF"} {
		if err := s.CreateAgency(context.Background(), sqlstore.System, &rabta.Agency{Code: code, Name: code}); err != nil {
			t.Fatal(err)
		}
	}
	addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
	for _, name := range []string{"fia.admin", "anf.admin"} {
		addUser(t, s, name, strings.ToUpper(name[:3]), rabta.Secret, rabta.RoleAdmin)
		secret, _, _ := auth.NewTOTP(name)
		s.UpdateUser(context.Background(), sqlstore.System, name, sqlstore.UserUpdate{TOTPSecret: &secret})
	}
	ts := httptest.NewServer(server.New(s, testConfig))
	defer ts.Close()
	loginTOTP := func(name string) *client {
		_, cred, _ := s.UserByName(context.Background(), name)
		code, _ := auth.TOTPCode(cred.TOTPSecret, time.Now())
		c := &client{t: t, base: ts.URL}
		var out struct{ Token string }
		c.json("POST", "/api/v1/auth/login", map[string]string{"username": name, "password": testPassword, "totp": code}, 200, &out)
		c.token = out.Token
		return c
	}
	anfAdmin, fiaAdmin := loginTOTP("anf.admin"), loginTOTP("fia.admin")
	if st, _ := anfAdmin.do("PATCH", "/api/v1/agencies/FIA", map[string]any{"totp_optional": true}); st != 403 {
		t.Fatalf("ANF's admin changed FIA: %d", st)
	}
	anon := &client{t: t, base: ts.URL}
	if st, _ := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword}); st != 401 {
		t.Fatalf("signed in without a second factor before the waiver: %d", st)
	}
	fiaAdmin.json("PATCH", "/api/v1/agencies/FIA", map[string]any{"totp_optional": true}, 200, nil)
	if st, body := anon.do("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": testPassword}); st != 200 {
		t.Fatalf("waiver not applied: %d %s", st, body)
	}
}

// TestSeveralInstances runs two servers, each with its own connection pool,
// on one PostgreSQL database, as two `rabta serve` processes would: a token
// from one works on the other, a record written through one is read through
// the other, and concurrent requests on both leave one intact audit chain.
func TestSeveralInstances(t *testing.T) {
	dsn := pgtest.DSN(t)
	s1, s2 := openStore(t, dsn), openStore(t, dsn)
	addAgency(t, s1, "FIA")
	addAgency(t, s1, "ANF")
	addUser(t, s1, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
	addUser(t, s1, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
	addUser(t, s1, "auditor", "FIA", rabta.Secret, rabta.RoleAuditor)
	a := httptest.NewServer(server.New(s1, testConfig))
	defer a.Close()
	b := httptest.NewServer(server.New(s2, testConfig))
	defer b.Close()

	fiaA := login(t, a.URL, "fia.analyst")
	fiaB := &client{t: t, base: b.URL, token: fiaA.token}
	var rec struct{ ID string }
	fiaB.json("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": map[string][]string{"name": {"Waqas Cheema"}}}, 201, &rec)
	fiaA.json("GET", "/api/v1/records/"+rec.ID, nil, 200, nil)

	done := make(chan error, 8)
	for i := 0; i < 4; i++ {
		for _, base := range []string{a.URL, b.URL} {
			go func(base string) {
				c := &client{t: t, base: base, token: fiaA.token}
				for j := 0; j < 10; j++ {
					req, _ := http.NewRequest("GET", base+"/api/v1/search?q=cheema", nil)
					req.Header.Set("Authorization", "Bearer "+c.token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						done <- err
						return
					}
					resp.Body.Close()
					if resp.StatusCode != 200 {
						done <- fmt.Errorf("search on %s: %d", base, resp.StatusCode)
						return
					}
				}
				done <- nil
			}(base)
		}
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	// Logging out on one instance ends the token on the other at once.
	fiaA.json("POST", "/api/v1/auth/logout", nil, 200, nil)
	if st, _ := fiaB.do("GET", "/api/v1/me", nil); st != 401 {
		t.Fatalf("token still works on the other instance: %d", st)
	}
	var ver struct {
		OK     bool
		Events int
	}
	login(t, b.URL, "auditor").json("GET", "/api/v1/audit/verify", nil, 200, &ver)
	if !ver.OK || ver.Events < 80 {
		t.Fatalf("audit chain across instances: %+v", ver)
	}
}
