package server_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

type chartNet struct {
	Nodes []struct {
		ID   string
		X, Y float64
		Hub  bool
	}
	Edges []sqlstore.NetworkEdge
}

func (n chartNet) ids() []string {
	var out []string
	for _, x := range n.Nodes {
		out = append(out, x.ID)
	}
	return out
}

func (n chartNet) pos(id string) (float64, float64, bool) {
	for _, x := range n.Nodes {
		if x.ID == id {
			return x.X, x.Y, true
		}
	}
	return 0, 0, false
}

// TestChartAPI: FIA's phones a–b–c–d, d held by FIA alone. The chart
// endpoints place every node, keep the chart's nodes where they stand,
// bring the links to the chart's other nodes, save a chart and open it
// again; ANF opening FIA's chart sees only what ANF may see, and its
// GraphML holds only that.
func TestChartAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		addAgency(t, s, "FIA")
		addAgency(t, s, "ANF")
		addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "fia.auditor", "FIA", rabta.Secret, rabta.RoleAuditor)
		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		fia, anf := login(t, ts.URL, "fia.analyst"), login(t, ts.URL, "anf.analyst")
		all := map[string]any{"release": "all"}
		phone := map[string]string{}
		for i, n := range []string{"a", "b", "c", "d"} {
			var rec struct{ ID string }
			m := all
			if n == "d" {
				m = map[string]any{"release": "originator"}
			}
			fia.json("POST", "/api/v1/records", map[string]any{"schema": "Phone", "marking": m,
				"properties": map[string][]string{"number": {"0300700000" + string(rune('1'+i))}}}, 201, &rec)
			phone[n] = rec.ID
		}
		for _, pair := range []string{"ab", "bc", "cd"} {
			fia.json("POST", "/api/v1/records", map[string]any{"schema": "Call", "marking": all, "properties": map[string][]string{
				"callerPhone": {phone[pair[:1]]}, "receiverPhone": {phone[pair[1:]]}, "startDate": {"2024-03-01T10:00:00"}}}, 201, nil)
		}

		// A fresh chart from a: every node placed, not all on one spot.
		var net chartNet
		fia.json("POST", "/api/v1/charts/network", map[string]any{"seeds": []string{phone["a"]}, "hops": 3}, 200, &net)
		if !slices.Equal(net.ids(), []string{phone["a"], phone["b"], phone["c"], phone["d"]}) || len(net.Edges) != 3 {
			t.Fatalf("chart network: %+v", net)
		}
		ax, ay, _ := net.pos(phone["a"])
		dx, dy, _ := net.pos(phone["d"])
		if ax == dx && ay == dy {
			t.Errorf("a and d at the same place: %+v", net.Nodes)
		}

		// The chart holds a and c where the analyst put them; expanding a
		// brings b, the link b–c to the chart's c, and leaves a and c be.
		chart := []map[string]any{{"id": phone["a"], "x": -300, "y": 40.5}, {"id": phone["c"], "x": 300, "y": 40.5}}
		fia.json("POST", "/api/v1/charts/network", map[string]any{"seeds": []string{phone["a"]}, "hops": 1, "chart": chart}, 200, &net)
		if !slices.Equal(net.ids(), []string{phone["a"], phone["b"], phone["c"]}) || len(net.Edges) != 2 {
			t.Fatalf("expansion on a chart: %+v", net)
		}
		if x, y, _ := net.pos(phone["a"]); x != -300 || y != 40.5 {
			t.Errorf("a moved to %v,%v", x, y)
		}
		if x, y, _ := net.pos(phone["c"]); x != 300 || y != 40.5 {
			t.Errorf("c moved to %v,%v", x, y)
		}
		if x, _, _ := net.pos(phone["b"]); x <= -300 || x >= 300 {
			t.Errorf("b placed at x=%v, not between its two neighbours", x)
		}
		// ANF's chart may name d: nothing of it comes back.
		chart = append(chart, map[string]any{"id": phone["d"], "x": 0, "y": 0})
		st, body := anf.do("POST", "/api/v1/charts/network", map[string]any{"seeds": []string{phone["c"]}, "hops": 1, "chart": chart})
		if st != 200 || strings.Contains(string(body), phone["d"]) || strings.Contains(string(body), "03007000004") {
			t.Fatalf("ANF's expansion: %d %s", st, body)
		}

		// FIA saves a chart of all four; FIA reopens it as it was.
		save := map[string]any{"title": "Ring of four", "nodes": []map[string]any{
			{"id": phone["a"], "x": 0, "y": 0}, {"id": phone["b"], "x": 60, "y": 0}, {"id": phone["c"], "x": 120, "y": 0}, {"id": phone["d"], "x": 180, "y": 0}},
			"filters": map[string]any{"measure": "betweenness", "communities": true, "hidden_schemata": []string{"Payment"}}}
		var saved struct{ ID, URL string }
		fia.json("POST", "/api/v1/charts", save, 201, &saved)
		if saved.ID == "" || saved.URL != "/charts/"+saved.ID {
			t.Fatalf("save: %+v", saved)
		}
		var open struct {
			Chart   sqlstore.ChartSummary
			Filters sqlstore.ChartFilters
			chartNet
		}
		fia.json("GET", "/api/v1/charts/"+saved.ID, nil, 200, &open)
		if open.Chart.Title != "Ring of four" || len(open.Nodes) != 4 || len(open.Edges) != 3 || open.Filters.Measure != "betweenness" {
			t.Fatalf("FIA reopens: %+v", open)
		}
		if x, _, _ := open.pos(phone["d"]); x != 180 {
			t.Errorf("d's saved position: %v", x)
		}

		// ANF opens FIA's chart: a, b and c, not d or its call, not FIA's title.
		st, body = anf.do("GET", "/api/v1/charts/"+saved.ID, nil)
		if st != 200 || strings.Contains(string(body), phone["d"]) || strings.Contains(string(body), "03007000004") || strings.Contains(string(body), "Ring of four") {
			t.Fatalf("ANF opens FIA's chart: %d %s", st, body)
		}
		open.Chart.Title = ""
		anf.json("GET", "/api/v1/charts/"+saved.ID, nil, 200, &open)
		if len(open.Nodes) != 3 || len(open.Edges) != 2 || open.Chart.Agency != "FIA" {
			t.Fatalf("ANF's view of the chart: %+v", open)
		}
		// The list is the agency's.
		var list struct{ Charts []sqlstore.ChartSummary }
		fia.json("GET", "/api/v1/charts", nil, 200, &list)
		if len(list.Charts) != 1 || list.Charts[0].ID != saved.ID {
			t.Errorf("FIA's charts: %+v", list)
		}
		anf.json("GET", "/api/v1/charts", nil, 200, &list)
		if len(list.Charts) != 0 {
			t.Errorf("ANF's charts: %+v", list)
		}

		// GraphML: FIA's holds d with a community and the measure; ANF's
		// chart (what it sees) holds a, b, c; naming d answers like a
		// record that does not exist.
		graphml := func(c *client, seeds []string) (int, string) {
			st, body := c.do("POST", "/api/v1/charts/export", map[string]any{"format": "graphml", "seeds": seeds, "hops": 0, "measures": []string{"betweenness"}})
			return st, string(body)
		}
		st, doc := graphml(fia, []string{phone["a"], phone["b"], phone["c"], phone["d"]})
		if st != 200 || !strings.Contains(doc, phone["d"]) || !strings.Contains(doc, `attr.name="community"`) || !strings.Contains(doc, `attr.name="betweenness"`) {
			t.Fatalf("FIA's GraphML: %d %s", st, doc)
		}
		var g struct {
			Graph struct {
				Nodes []struct {
					ID string `xml:"id,attr"`
				} `xml:"node"`
				Edges []struct{} `xml:"edge"`
			} `xml:"graph"`
		}
		st, doc = graphml(anf, []string{phone["a"], phone["b"], phone["c"]})
		if err := xml.Unmarshal([]byte(doc), &g); st != 200 || err != nil || len(g.Graph.Nodes) != 3 || len(g.Graph.Edges) != 2 || strings.Contains(doc, phone["d"]) {
			t.Fatalf("ANF's GraphML: %d %v %s", st, err, doc)
		}
		if st, doc = graphml(anf, []string{phone["a"], phone["d"]}); st != http.StatusNotFound || strings.Contains(doc, "03007000004") {
			t.Errorf("ANF's GraphML naming d: %d %s", st, doc)
		}
		// A picture is drawn by the browser; the server logs it first.
		anf.json("POST", "/api/v1/charts/export", map[string]any{"format": "png", "seeds": []string{phone["a"], phone["b"]}}, 200, nil)

		for _, bad := range []struct {
			path string
			body map[string]any
			want string
		}{
			{"/api/v1/charts/export", map[string]any{"format": "svg", "seeds": []string{phone["a"]}}, "format"},
			{"/api/v1/charts/export", map[string]any{"format": "graphml", "seeds": []string{phone["a"]}, "measures": []string{"fame"}}, "measures"},
			{"/api/v1/charts/network", map[string]any{"seeds": []string{phone["a"]}, "chart": []map[string]any{{"id": phone["b"], "x": 1e9}}}, "chart"},
			{"/api/v1/charts", map[string]any{"title": "", "nodes": []map[string]any{{"id": phone["a"]}}}, "title"},
			{"/api/v1/charts", map[string]any{"title": "x", "nodes": []map[string]any{{"id": phone["a"]}}, "filters": map[string]any{"measure": "fame"}}, "filters.measure"},
		} {
			st, body := fia.do("POST", bad.path, bad.body)
			if st != 400 || !strings.Contains(string(body), bad.want) {
				t.Errorf("%s %v: %d %s", bad.path, bad.body, st, body)
			}
		}
		if st, _ := fia.do("GET", "/api/v1/charts/0190aaaa-0000-7000-8000-000000000000", nil); st != 404 {
			t.Errorf("a missing chart: %d", st)
		}
		if st, _ := anf.do("POST", "/api/v1/charts", save); st != 404 {
			t.Errorf("ANF saves a chart holding d: %d", st)
		}

		// Saving, opening, listing and exporting are in the log.
		aud, _, _ := s.UserByName(context.Background(), "fia.auditor")
		for _, want := range []struct{ action, user, query string }{
			{rabta.ActChartSave, "fia.analyst", ""}, {rabta.ActChartRead, "anf.analyst", ""}, {rabta.ActChartList, "anf.analyst", ""},
			{rabta.ActChartExport, "anf.analyst", "format=graphml"}, {rabta.ActChartExport, "anf.analyst", "format=png"},
		} {
			evs, err := s.AuditEvents(context.Background(), rabta.PrincipalOf(aud), sqlstore.AuditFilter{Action: want.action, Username: want.user, Limit: 20})
			found := false
			for _, e := range evs {
				found = found || e.Query == want.query
			}
			if err != nil || !found {
				t.Errorf("no %s %s by %s in the log (%v)", want.action, want.query, want.user, err)
			}
		}
	})
}
