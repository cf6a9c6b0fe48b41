package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestWebChartPages: the chart pages render in the layout for analysts,
// CSP-clean (checkPage), in both languages; the record page links to the
// chart; roles without records are refused.
func TestWebChartPages(t *testing.T) {
	env := newWebEnv(t)
	fia := env.signIn("fia.analyst")
	id := fia.createRecord(personForm("Imran Qureshi", "35202-1234567-1", nil))
	if _, body := fia.get("/records/" + id); !strings.Contains(body, `href="/chart?seed=`+id+`"`) {
		t.Error("the record page does not link to a chart from it")
	}
	for _, p := range []string{"/chart", "/chart?seed=" + id + "&hops=2&max_nodes=1000", "/charts", "/charts/0190aaaa-0000-7000-8000-000000000000"} {
		res, body := fia.get(p)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `id="chart-app"`) && p != "/charts" {
			t.Errorf("%s: status %d", p, res.StatusCode)
		}
	}
	_, body := fia.get("/chart?seed=" + id + "&hops=2")
	for _, want := range []string{`data-seed="` + id + `"`, `data-hops="2"`, `id="__________cytoscape_stylesheet"`, "/static/vendor/cytoscape.min.js?v=", "/static/chart.js?v=", `value="Call"`} {
		if !strings.Contains(body, want) {
			t.Errorf("chart page lacks %s", want)
		}
	}
	if res, body := fia.get("/chart?hops=9"); res.StatusCode != http.StatusBadRequest || !strings.Contains(errorText(body), "hops") {
		t.Errorf("hops=9: status %d", res.StatusCode)
	}
	if _, body := fia.get("/charts"); !strings.Contains(body, "no saved charts") {
		t.Error("the empty list does not say so")
	}
	fia.get("/lang?to=ur&next=/chart")
	if _, body := fia.get("/chart"); !strings.Contains(body, `dir="rtl"`) || !strings.Contains(body, "روابط کا چارٹ") {
		t.Error("the Urdu chart page")
	}
	if res, _ := env.signIn("fia.auditor").get("/chart"); res.StatusCode != http.StatusForbidden {
		t.Errorf("chart page for an auditor: status %d", res.StatusCode)
	}
	for path, ctype := range map[string]string{"/static/vendor/cytoscape.min.js": "text/javascript", "/static/chart.js": "text/javascript", "/static/chart.css": "text/css"} {
		res, err := http.Get(env.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), ctype) {
			t.Errorf("%s: status %d, type %q", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
}
