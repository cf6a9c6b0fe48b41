package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/rabta/rabta"
)

// TestWebCalls: the call-analysis page of two phones shows their contacts,
// the number they share and the bar charts; a phone the viewer may not see
// answers like a missing one, and the Phone record page links to it.
func TestWebCalls(t *testing.T) {
	e := newWebEnv(t)
	ctx := context.Background()
	fia := rabta.Principal{Username: "fia.analyst", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
	anf := rabta.Principal{Username: "anf.analyst", Agency: "ANF", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Restricted}
	phone := func(p rabta.Principal, n string, m rabta.Marking) string {
		r := &rabta.Record{Schema: "Phone", Properties: map[string][]string{"number": {n}}, Marking: m}
		if err := e.store.CreateRecord(ctx, p, r); err != nil {
			t.Fatal(err)
		}
		return r.ID
	}
	s1, s2, mid := phone(fia, "03001110001", rabta.Marking{}), phone(fia, "03001110002", rabta.Marking{}), phone(fia, "03001110003", rabta.Marking{})
	hidden := phone(anf, "03001110004", rabta.Marking{Release: rabta.ReleaseOriginator})
	for _, c := range [][3]string{{s1, mid, "2024-03-01T17:00:00"}, {mid, s2, "2024-03-02T04:00:00"}, {s1, s2, "2024-03-03T05:00:00"}} {
		r := &rabta.Record{Schema: "Call", Properties: map[string][]string{"callerPhone": {c[0]}, "receiverPhone": {c[1]}, "startDate": {c[2]}, "duration": {"75"}}}
		if err := e.store.CreateRecord(ctx, fia, r); err != nil {
			t.Fatal(err)
		}
	}
	b := e.signIn("fia.analyst")
	res, page := b.get("/records/" + s1)
	if !strings.Contains(page, "/calls?phone="+s1) {
		t.Fatalf("the Phone page does not link to its call analysis: %d", res.StatusCode)
	}
	res, page = b.get("/calls?phone=" + s1 + "&phone=" + s2)
	checkPage(t, "/calls", res, page)
	if res.StatusCode != 200 || !strings.Contains(page, "03001110003") || !strings.Contains(page, "<rect class=\"bar\"") || strings.Count(page, "<tr>") < 4 {
		t.Fatalf("calls page: %d\n%s", res.StatusCode, page)
	}
	// The shared number is listed among the common contacts.
	common := page[strings.Index(page, "two or more"):]
	if !strings.Contains(common, "03001110003") {
		t.Errorf("common contact missing")
	}
	res, missing := b.get("/calls?phone=00000000-0000-7000-8000-000000000000")
	res2, page := b.get("/calls?phone=" + hidden)
	if res2.StatusCode != 404 || res.StatusCode != 404 || strings.Contains(page, "03001110004") || strings.Contains(page, "1110004") ||
		strings.ReplaceAll(page, hidden, "00000000-0000-7000-8000-000000000000") != missing {
		t.Errorf("a hidden phone's page differs from a missing one's (%d, %d)", res2.StatusCode, res.StatusCode)
	}
	if _, page := e.signIn("anf.analyst").get("/calls?phone=" + s1); strings.Contains(page, "03001110003") {
		t.Errorf("ANF sees FIA's unreleased calls")
	}
}
