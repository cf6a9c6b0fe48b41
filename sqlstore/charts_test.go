package sqlstore

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rabta/rabta"
)

// TestCharts: FIA saves a chart holding a phone only FIA may see; FIA
// reopens it whole, ANF opens it by its id and sees only what ANF may see
// now, without FIA's title; the listing is per agency; bad charts are
// refused naming the field; every step is logged.
func TestCharts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		n := buildNet(t, s, f)
		private := mustCreate(t, s, f.fia, &rabta.Record{Schema: "Phone", Properties: map[string][]string{"number": {"03009990001"}},
			Marking: rabta.Marking{Release: rabta.ReleaseOriginator}})
		mustCreate(t, s, f.fia, &rabta.Record{Schema: "Call", Marking: rabta.Marking{Release: rabta.ReleaseAll}, Properties: map[string][]string{
			"callerPhone": {n.boss.ID}, "receiverPhone": {private.ID}, "startDate": {"2024-03-09T10:00:00"}}})

		st := ChartState{Nodes: []ChartNode{{ID: n.boss.ID, X: 0, Y: 0}, {ID: n.lt1.ID, X: 100, Y: 0}, {ID: n.lt2.ID, X: 0, Y: 100}, {ID: private.ID, X: -100, Y: 5.5}},
			Filters: ChartFilters{HiddenSchemata: []string{"Payment"}, From: "2024-01-01", Measure: "betweenness", Communities: true}}
		id, err := s.SaveChart(ctx, f.fia, "  Boss and lieutenants  ", st)
		if err != nil {
			t.Fatal(err)
		}

		// FIA reopens it: every node, every link among them, the positions.
		c, err := s.Chart(ctx, f.fia, id)
		if err != nil {
			t.Fatal(err)
		}
		nodes, edges := ids(c.Network)
		if c.Title != "Boss and lieutenants" || c.Owner != "fia.analyst" || c.Agency != "FIA" || c.Nodes != 4 ||
			!slices.Equal(nodes, []string{n.boss.ID, n.lt1.ID, n.lt2.ID, private.ID}) || edges != 4 {
			t.Fatalf("FIA opens: %+v, nodes %v, %d edges", c.ChartSummary, nodes, edges)
		}
		if len(c.Positions) != 4 || c.Positions[3] != st.Nodes[3] || c.Filters.Measure != "betweenness" || !slices.Equal(c.Filters.HiddenSchemata, []string{"Payment"}) {
			t.Fatalf("positions and filters: %+v %+v", c.Positions, c.Filters)
		}

		// ANF opens it: the private phone and its call are not there, not
		// even as an id; neither are FIA's title and analyst.
		c, err = s.Chart(ctx, f.anf, id)
		if err != nil {
			t.Fatal(err)
		}
		nodes, edges = ids(c.Network)
		if !slices.Equal(nodes, []string{n.boss.ID, n.lt1.ID, n.lt2.ID}) || edges != 3 || c.Title != "" || c.Owner != "" || len(c.Positions) != 3 || c.Nodes != 3 {
			t.Fatalf("ANF opens: %+v, nodes %v, %d edges", c, nodes, edges)
		}
		for _, p := range c.Positions {
			if p.ID == private.ID {
				t.Fatal("ANF is given the private phone's position")
			}
		}
		for _, e := range c.Network.Edges {
			if e.Source == private.ID || e.Target == private.ID {
				t.Fatal("ANF is given a link to the private phone")
			}
		}

		// The agency's list.
		list, err := s.Charts(ctx, f.fia, 0)
		if err != nil || len(list) != 1 || list[0].ID != id || list[0].Title != "Boss and lieutenants" || list[0].Nodes != 4 {
			t.Fatalf("FIA's charts: %+v %v", list, err)
		}
		if list, err := s.Charts(ctx, f.anf, 0); err != nil || len(list) != 0 {
			t.Fatalf("ANF's charts: %+v %v", list, err)
		}

		// A chart can hold only records its saver sees in full.
		if _, err := s.SaveChart(ctx, f.anf, "mine", ChartState{Nodes: []ChartNode{{ID: n.courier.ID}, {ID: private.ID}}}); rabta.ErrorCode(err) != rabta.ENotFound ||
			rabta.ErrorMessage(err) != `nodes: no record "`+private.ID+`"` {
			t.Errorf("ANF saves FIA's private phone: %v", err)
		}
		var link string
		for _, e := range c.Network.Edges {
			link = e.ID
		}
		for _, bad := range []struct {
			title string
			st    ChartState
			want  string
		}{
			{"", st, "title"},
			{strings.Repeat("x", 201), st, "title"},
			{"x", ChartState{}, "nodes"},
			{"x", ChartState{Nodes: []ChartNode{{ID: n.boss.ID}, {ID: n.boss.ID}}}, "twice"},
			{"x", ChartState{Nodes: []ChartNode{{ID: link}}}, "is a link"},
			{"x", ChartState{Nodes: []ChartNode{{ID: n.boss.ID, X: 1e9}}}, "position"},
			{"x", ChartState{Nodes: []ChartNode{{ID: n.boss.ID}}, Filters: ChartFilters{HiddenSchemata: []string{"Person"}}}, "filters.hidden_schemata"},
			{"x", ChartState{Nodes: []ChartNode{{ID: n.boss.ID}}, Filters: ChartFilters{To: "soon"}}, "filters.to"},
			{"x", ChartState{Nodes: []ChartNode{{ID: n.boss.ID}}, Filters: ChartFilters{Measure: "fame"}}, "filters.measure"},
		} {
			if _, err := s.SaveChart(ctx, f.fia, bad.title, bad.st); err == nil || !strings.Contains(rabta.ErrorMessage(err), bad.want) {
				t.Errorf("save %q %+v: %v, want an error naming %s", bad.title, bad.st, err, bad.want)
			}
		}
		if _, err := s.SaveChart(ctx, f.auditor, "x", st); rabta.ErrorCode(err) != rabta.EForbidden {
			t.Errorf("an auditor saves a chart: %v", err)
		}
		if _, err := s.Chart(ctx, f.fia, "no-such-chart"); rabta.ErrorCode(err) != rabta.ENotFound {
			t.Errorf("a missing chart: %v", err)
		}

		// Saving, opening and listing are logged; opening also as a
		// network read of the saved ids.
		for _, want := range []struct {
			action, user string
			count        int
		}{{rabta.ActChartSave, "fia.analyst", 4}, {rabta.ActChartRead, "anf.analyst", 3}, {rabta.ActChartList, "anf.analyst", 0}} {
			evs, err := s.AuditEvents(ctx, f.auditor, AuditFilter{Action: want.action, Username: want.user, Limit: 10})
			if err != nil || len(evs) == 0 || evs[0].Count != want.count {
				t.Errorf("%s by %s: %+v %v", want.action, want.user, evs, err)
			}
		}
		if evs, err := s.AuditEvents(ctx, f.auditor, AuditFilter{Action: rabta.ActNetworkRead, Username: "anf.analyst", Object: private.ID, Limit: 10}); err != nil || len(evs) != 1 || evs[0].Count != 3 {
			t.Errorf("ANF's network read of the chart: %+v %v", evs, err)
		}
	})
}

// TestNetworkAmong: an expansion returns the links from its new nodes to
// the records already on the chart the caller sees, and nothing of those it
// does not.
func TestNetworkAmong(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		n := buildNet(t, s, f)
		// The chart holds the boss and the centre; FIA expands the boss.
		// lt2 comes in, and with it its call to the centre.
		net, err := s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Hops: 1, Among: []string{n.boss.ID, n.centre.ID, n.courier.ID}})
		if err != nil {
			t.Fatal(err)
		}
		nodes, edges := ids(net)
		if !slices.Equal(nodes, []string{n.boss.ID, n.lt1.ID, n.lt2.ID, n.centre.ID}) || edges != 4 {
			t.Fatalf("expansion among the chart: %v, %d edges", nodes, edges)
		}
		// The courier is ANF's, not released: naming it changes nothing.
		for _, nd := range net.Nodes {
			if nd.ID == n.courier.ID {
				t.Fatal("a record FIA may not see came back")
			}
		}
		// Records already on the chart do not count towards MaxNodes: it caps
		// what the chart gains. Expanding the centre on a chart holding lt2
		// with room for three: lt2 and three callers.
		net, err = s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.centre.ID}, Hops: 1, MaxNodes: 4, MaxDegree: 100, Among: []string{n.centre.ID, n.lt2.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if nodes, _ := ids(net); len(nodes) != 5 || !slices.Contains(nodes, n.lt2.ID) || !net.Truncated {
			t.Fatalf("room for three: %v, truncated %v", nodes, net.Truncated)
		}
		// Too many is refused.
		if _, err := s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Among: make([]string, MaxNetworkNodes+1)}); rabta.ErrorCode(err) != rabta.EInvalid {
			t.Errorf("among too many: %v", err)
		}
	})
}
