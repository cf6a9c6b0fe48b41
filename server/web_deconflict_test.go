package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
