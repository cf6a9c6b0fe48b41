package server_test

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

// TestDeconflictAPI: two agencies' users over HTTP. The hit reaches both
// sides and carries no content.
func TestDeconflictAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		for _, a := range []string{"FIA", "ANF"} {
			addAgency(t, s, a)
		}
		addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		fia, anf := login(t, ts.URL, "fia.analyst"), login(t, ts.URL, "anf.analyst")

		var created struct {
			ID   string
			Hits []map[string]any
		}
		anf.json("POST", "/api/v1/records", map[string]any{"schema": "Person",
			"properties": map[string][]string{"name": {"Ghulam Rasool Baloch"}, "idNumber": {"54400-7654321-9"}, "fatherName": {"Noor Muhammad"}},
			"marking":    map[string]any{"release": "originator"}}, 201, &created)
		if len(created.Hits) != 0 {
			t.Fatalf("first record hit something: %+v", created.Hits)
		}

		var res struct {
			Hits []struct {
				Agency    string
				Contact   map[string]string
				Strength  string
				MatchedOn []string `json:"matched_on"`
			}
		}
		status, body := fia.do("POST", "/api/v1/deconflict", map[string]any{
			"selectors": []map[string]string{{"type": "cnic", "value": "5440076543219"}, {"type": "phone", "value": "0301 7654321"}},
			"name":      "Gh. Rasool", "purpose": "case FIA-HT-9"})
		if status != 200 {
			t.Fatalf("deconflict: %d %s", status, body)
		}
		for _, leak := range []string{created.ID, "Baloch", "Noor", "7654321"} {
			if strings.Contains(string(body), leak) {
				t.Errorf("answer carries %q: %s", leak, body)
			}
		}
		fia.json("POST", "/api/v1/deconflict", map[string]any{"selectors": []map[string]string{{"type": "cnic", "value": "54400-7654321-9"}}, "purpose": "case FIA-HT-9"}, 200, &res)
		if len(res.Hits) != 1 || res.Hits[0].Agency != "ANF" || res.Hits[0].Strength != "strong" || res.Hits[0].Contact["desk"] != "ANF duty desk" || res.Hits[0].MatchedOn[0] != "cnic" {
			t.Fatalf("hits = %+v", res.Hits)
		}
		// No hit is an empty list, not null.
		status, body = fia.do("POST", "/api/v1/deconflict", map[string]any{"selectors": []map[string]string{{"type": "cnic", "value": "35202-1111111-1"}}, "purpose": "x"})
		if status != 200 || string(body) != "{\"hits\":[]}\n" {
			t.Errorf("no hit: %d %s", status, body)
		}
		// The holder's inbox says who asked and why.
		var inbox struct {
			Hits []struct {
				Direction, Agency, Purpose string
				AskedBy                    string `json:"asked_by"`
				Records                    []string
			}
		}
		anf.json("GET", "/api/v1/hits", nil, 200, &inbox)
		if len(inbox.Hits) != 2 || inbox.Hits[0].Direction != "received" || inbox.Hits[0].Agency != "FIA" || inbox.Hits[0].Purpose != "case FIA-HT-9" ||
			inbox.Hits[0].AskedBy != "fia.analyst (FIA)" || inbox.Hits[0].Records[0] != created.ID {
			t.Errorf("ANF inbox = %+v", inbox.Hits)
		}
		// FIA recording the same CNIC learns of ANF in the create answer.
		fia.json("POST", "/api/v1/records", map[string]any{"schema": "Person",
			"properties": map[string][]string{"name": {"G. R. Baloch"}, "idNumber": {"5440076543219"}}}, 201, &created)
		if len(created.Hits) != 1 || created.Hits[0]["agency"] != "ANF" {
			t.Errorf("create hits = %+v", created.Hits)
		}
		// Bad requests name the JSON path.
		for body, want := range map[string]string{
			`{"selectors":[{"type":"cnic","value":"123"}],"purpose":"x"}`:   "selectors[0].value: must have 13 digits",
			`{"selectors":[{"type":"shoe","value":"42"}],"purpose":"x"}`:    `selectors[0].type: unknown identifier type "shoe"`,
			`{"selectors":[{"type":"cnic","value":"5440076543219"}]}`:       "purpose:",
			`{"selectors":[],"name":"Asif","purpose":"x"}`:                  "selectors: give at least one identifier",
			`{"selectors":[{"type":"cnic","value":"5440076543219"}],"x":1}`: `unknown field "x"`,
		} {
			status, b := fia.do("POST", "/api/v1/deconflict", body)
			var e apiErr
			json.Unmarshal(b, &e)
			if status != 400 || !strings.Contains(e.Error.Message, want) {
				t.Errorf("%s: %d %s, want 400 with %q", body, status, b, want)
			}
		}
	})
}

// idScorer is a stand-in matcher for the API test: one CNIC, one subject.
type idScorer struct{}

func (idScorer) Score(a, b *rabta.Record) (float64, string) {
	x, y := a.Properties["idNumber"], b.Properties["idNumber"]
	if len(x) > 0 && len(y) > 0 && strings.ReplaceAll(x[0], "-", "") == strings.ReplaceAll(y[0], "-", "") {
		return 0.99, "idNumber exact"
	}
	return 0.3, "name"
}

func TestProfileAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		for _, a := range []string{"FIA", "ANF"} {
			addAgency(t, s, a)
		}
		addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
		s.SetPairScorer(idScorer{}, 0.5, 0.1)
		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		fia, anf := login(t, ts.URL, "fia.analyst"), login(t, ts.URL, "anf.analyst")
		var a, b, c struct{ ID string }
		fia.json("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": map[string][]string{"name": {"Kamran Butt"}, "idNumber": {"3520211111111"}, "birthDate": {"1980-01-02"}}}, 201, &a)
		anf.json("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": map[string][]string{"name": {"Kamran Butt"}, "idNumber": {"35202-1111111-1"}}}, 201, &b)
		fia.json("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": map[string][]string{"name": {"Kamran Butt"}, "birthDate": {"1980-01-02"}}}, 201, &c)

		var rp struct{ Profile string }
		fia.json("GET", "/api/v1/records/"+a.ID+"/profile", nil, 200, &rp)
		var prof struct {
			ID      string
			Records []struct {
				ID, Agency, Access, Caption string
				Contact                     map[string]string
			}
		}
		fia.json("GET", "/api/v1/profiles/"+rp.Profile, nil, 200, &prof)
		if len(prof.Records) != 2 || prof.Records[1].Access != "pointer" || prof.Records[1].Caption != "" || prof.Records[1].Contact["desk"] != "ANF duty desk" {
			t.Fatalf("profile = %+v", prof)
		}
		var q struct {
			Pairs []struct {
				A, B        struct{ ID string }
				Probability float64
			}
		}
		fia.json("GET", "/api/v1/review", nil, 200, &q)
		if len(q.Pairs) != 1 || q.Pairs[0].A.ID != a.ID || q.Pairs[0].B.ID != c.ID {
			t.Fatalf("review = %+v", q)
		}
		var j struct {
			ID      int64
			Profile string
		}
		fia.json("POST", "/api/v1/judgements", map[string]string{"a": a.ID, "b": c.ID, "verdict": "same", "reason": "same photo"}, 201, &j)
		if j.Profile != rp.Profile {
			t.Errorf("judged same: profile %q, want %q", j.Profile, rp.Profile)
		}
		if st, body := fia.do("DELETE", "/api/v1/judgements/"+strconv.FormatInt(j.ID, 10), nil); st != 204 {
			t.Errorf("retract: %d %s", st, body)
		}
		// ANF may not judge a pair with FIA's originator-only record, and a
		// profile it cannot see is not found.
		if st, _ := anf.do("POST", "/api/v1/judgements", map[string]string{"a": b.ID, "b": c.ID, "verdict": "same"}); st != 404 {
			t.Errorf("ANF judged FIA's hidden record: %d", st)
		}
		if st, _ := anf.do("GET", "/api/v1/profiles/nonexistent", nil); st != 404 {
			t.Errorf("missing profile: %d", st)
		}
		if st, body := fia.do("POST", "/api/v1/judgements", map[string]string{"a": a.ID, "b": c.ID, "verdict": "perhaps"}); st != 400 || !strings.Contains(string(body), "verdict") {
			t.Errorf("bad verdict: %d %s", st, body)
		}
	})
}

func TestDeconflictRateLimit(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir+"/r.db")
	addAgency(t, s, "FIA")
	addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
	cfg := testConfig
	cfg.CheckRate = 3
	ts := httptest.NewServer(server.New(s, cfg))
	defer ts.Close()
	fia := login(t, ts.URL, "fia.analyst")
	body := map[string]any{"selectors": []map[string]string{{"type": "phone", "value": "03001234567"}}, "purpose": "walk"}
	for i := 0; i < 3; i++ {
		fia.json("POST", "/api/v1/deconflict", body, 200, nil)
	}
	if st, b := fia.do("POST", "/api/v1/deconflict", body); st != 429 || !strings.Contains(string(b), "rate_limited") {
		t.Errorf("fourth check in a minute: %d %s", st, b)
	}
}
