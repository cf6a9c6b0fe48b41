package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rabta/rabta/sanctions"
	"github.com/rabta/rabta/sqlstore"
)

func TestWebDeconflict(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	id := fia.createRecord(personForm("Imran Qureshi", "35202-1234567-1", url.Values{"p.fatherName": {"Abdul Ghafoor"}}))

	anf := env.signIn("anf.analyst")
	_, page := anf.get("/deconflict")
	if !strings.Contains(page, "Deconfliction") || !strings.Contains(page, `name="purpose"`) {
		t.Fatal("no check form")
	}
	// An identifier of unknown type is recognised from its value.
	form := url.Values{"csrf": {anf.csrf("/deconflict")}, "type": {"", "", ""}, "value": {"3520212345671", "", ""}, "purpose": {"ANF-CASE-12"}}
	res, body := anf.post("/deconflict", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "FIA duty desk") || !strings.Contains(body, "strength-strong") {
		t.Fatalf("check: %d %s", res.StatusCode, errorText(body))
	}
	if strings.Contains(body, id) || strings.Contains(body, "Qureshi") {
		t.Error("the check answer shows FIA's record")
	}
	// By name and father's name, spelt otherwise.
	form = url.Values{"csrf": {anf.csrf("/deconflict")}, "type": {"", "", ""}, "value": {"", "", ""},
		"name": {"Imran Kureshi"}, "father": {"Abd-ul-Ghafoor"}, "purpose": {"ANF-CASE-12"}}
	if _, body := anf.post("/deconflict", form); !strings.Contains(body, "name&#43;fatherName") { // html/template writes + as &#43;
		t.Errorf("name check: %s", errorText(body))
	}
	// No purpose: a clear error, no check.
	form = url.Values{"csrf": {anf.csrf("/deconflict")}, "type": {"cnic"}, "value": {"35202-1234567-1"}}
	if res, body := anf.post("/deconflict", form); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "purpose") {
		t.Errorf("no purpose: %d %s", res.StatusCode, errorText(body))
	}
	// FIA's inbox: who asked, why, and the record — which FIA may open.
	_, inbox := fia.get("/deconflict")
	if !strings.Contains(inbox, "anf.analyst (ANF)") || !strings.Contains(inbox, "ANF-CASE-12") || !strings.Contains(inbox, "/records/"+id) {
		t.Error("the holder's inbox lacks who asked, why or the record")
	}
	// Urdu page renders.
	if res, _ := fia.get("/deconflict?lang=ur"); res.StatusCode != http.StatusOK {
		t.Errorf("Urdu page: %d", res.StatusCode)
	}
}

func TestWebReviewAndProfile(t *testing.T) {
	env := newWebEnv(t)
	env.store.SetPairScorer(idScorer{}, 0.5, 0.1)
	fia := env.signIn("fia.analyst")
	a := fia.createRecord(personForm("Kamran Butt", "35202-1111111-1", url.Values{"p.birthDate": {"1980-01-02"}}))
	c := fia.createRecord(personForm("Kamran Butt", "", url.Values{"p.birthDate": {"1980-01-02"}}))
	_, page := fia.get("/review")
	if !strings.Contains(page, a) || !strings.Contains(page, c) || !strings.Contains(page, `value="not_same"`) {
		t.Fatalf("review queue lacks the pair: %s", errorText(page))
	}
	form := url.Values{"csrf": {fia.csrf("/review")}, "a": {a}, "b": {c}, "verdict": {"same"}, "reason": {"one photo"}}
	res, body := fia.post("/review", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Judgement recorded") || strings.Contains(body, `value="`+c+`"`) {
		t.Fatalf("judge: %d %s", res.StatusCode, errorText(body))
	}
	_, rec := fia.get("/records/" + a)
	i := strings.Index(rec, `href="/profiles/`)
	if i < 0 {
		t.Fatal("record page has no profile link")
	}
	link := rec[i+6 : i+6+strings.Index(rec[i+6:], `"`)]
	_, prof := fia.get(link)
	if !strings.Contains(prof, "/records/"+a) || !strings.Contains(prof, "/records/"+c) || !strings.Contains(prof, "Same") {
		t.Errorf("profile page lacks its records or the judgement")
	}
	// ANF sees FIA's originator-only records only as pointers: no names,
	// no evidence.
	anf := env.signIn("anf.analyst")
	res, prof = anf.get(link)
	if res.StatusCode != http.StatusOK || strings.Contains(prof, "Kamran") || strings.Contains(prof, "one photo") || !strings.Contains(prof, "FIA duty desk") {
		t.Errorf("ANF's view of FIA's profile: %d", res.StatusCode)
	}
	if res, _ := anf.get("/profiles/no-such-profile"); res.StatusCode != http.StatusNotFound {
		t.Errorf("missing profile: %d", res.StatusCode)
	}
}

func TestWebAndAPIScreening(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	// Before any list: a clear answer.
	form := url.Values{"csrf": {fia.csrf("/screening")}, "name": {"Hafiz Saeed"}}
	if res, body := fia.post("/screening", form); res.StatusCode != http.StatusNotFound || !strings.Contains(errorText(body), "no sanctions list") {
		t.Errorf("no list: %d %s", res.StatusCode, errorText(body))
	}
	l := &sanctions.List{Source: "un-sc", Entries: []sanctions.Entry{{ID: "QDi.263", Schema: "Person", Name: "HAFIZ MUHAMMAD SAEED",
		Names: []sanctions.Name{{Value: "HAFIZ MUHAMMAD SAEED", Kind: "primary"}, {Value: "حافظ محمد سعید", Kind: "original"}}}}}
	if _, err := env.store.LoadSanctionsList(context.Background(), sqlstore.System, l); err != nil {
		t.Fatal(err)
	}
	form = url.Values{"csrf": {fia.csrf("/screening")}, "name": {"حافظ محمد سعید"}}
	res, body := fia.post("/screening", form)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "QDi.263") {
		t.Errorf("screening: %d %s", res.StatusCode, errorText(body))
	}
	// The API answers the contract shape.
	c := &client{t: t, base: env.ts.URL}
	var tok struct{ Token string }
	c.json("POST", "/api/v1/auth/login", map[string]string{"username": "fia.analyst", "password": webPassword}, 200, &tok)
	c.token = tok.Token
	var out struct {
		Candidates []struct {
			ListID string `json:"list_id"`
			Name   string
			Score  float64
		}
	}
	c.json("POST", "/api/v1/screen", map[string]string{"name": "Mohammad Sayeed", "schema": "person"}, 200, &out)
	if len(out.Candidates) == 0 || out.Candidates[0].ListID != "QDi.263" || out.Candidates[0].Score <= 0 {
		t.Errorf("API screening = %+v", out)
	}
}
