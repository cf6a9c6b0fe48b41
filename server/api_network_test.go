package server_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

// TestNetworkAPI: a chain of calls a–b–c–d plus a triangle b–e–f, all FIA's;
// the network, a path and an analysis through the API, and bad requests
// named by field.
func TestNetworkAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		addAgency(t, s, "FIA")
		addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		c := login(t, ts.URL, "fia.analyst")
		phone := map[string]string{}
		for i, n := range []string{"a", "b", "c", "d", "e", "f"} {
			var rec struct{ ID string }
			c.json("POST", "/api/v1/records", map[string]any{"schema": "Phone", "properties": map[string][]string{"number": {"0300100000" + string(rune('0'+i))}}}, 201, &rec)
			phone[n] = rec.ID
		}
		for _, pair := range []string{"ab", "bc", "cd", "be", "ef", "fb"} {
			c.json("POST", "/api/v1/records", map[string]any{"schema": "Call", "properties": map[string][]string{
				"callerPhone": {phone[pair[:1]]}, "receiverPhone": {phone[pair[1:]]}, "startDate": {"2024-03-01T10:00:00"}}}, 201, nil)
		}
		var net sqlstore.Network
		c.json("POST", "/api/v1/network", map[string]any{"seeds": []string{phone["a"]}, "hops": 2}, 200, &net)
		if len(net.Nodes) != 5 || len(net.Edges) != 5 || net.Nodes[0].ID != phone["a"] || net.Nodes[1].ID != phone["b"] || net.Nodes[1].Hop != 1 {
			t.Fatalf("network: %+v", net)
		}
		var paths struct {
			Distance *float64
			Paths    [][]string
			Nodes    []sqlstore.NetworkNode
		}
		c.json("POST", "/api/v1/network/paths", map[string]any{"source": phone["a"], "target": phone["d"]}, 200, &paths)
		if paths.Distance == nil || *paths.Distance != 3 || len(paths.Paths) != 1 || strings.Join(paths.Paths[0], ",") != strings.Join([]string{phone["a"], phone["b"], phone["c"], phone["d"]}, ",") || len(paths.Nodes) != 4 {
			t.Fatalf("paths: %+v", paths)
		}
		c.json("POST", "/api/v1/network/paths", map[string]any{"source": phone["a"], "target": phone["d"], "hops": 2}, 200, &paths)
		if paths.Distance != nil || len(paths.Paths) != 0 {
			t.Fatalf("paths within 2 hops: %+v", paths)
		}
		var an struct {
			Report struct {
				Nodes, Edges int
				Communities  int
				Top          map[string][]struct {
					Node  string
					Value float64
				}
			}
			Nodes []struct {
				ID        string
				Community *int
				Values    map[string]float64
			}
			Disruption struct {
				Removed []string
				Largest []int `json:"largest_component"`
			}
		}
		c.json("POST", "/api/v1/network/analysis", map[string]any{"seeds": []string{phone["a"]}, "hops": 3,
			"measures": []string{"betweenness", "degree", "communities"}, "top": 1, "disrupt": map[string]any{"by": "betweenness", "steps": 1}}, 200, &an)
		if an.Report.Nodes != 6 || an.Report.Edges != 6 || an.Report.Top["betweenness"][0].Node != phone["b"] || an.Nodes[1].Values["betweenness"] != an.Report.Top["betweenness"][0].Value || an.Nodes[1].Community == nil {
			t.Fatalf("analysis: %+v", an)
		}
		if len(an.Disruption.Removed) != 1 || an.Disruption.Removed[0] != phone["b"] || an.Disruption.Largest[0] != 6 || an.Disruption.Largest[1] != 2 {
			t.Fatalf("disruption: %+v", an.Disruption)
		}
		// Between profiles: Asif is held twice (judged the same); the
		// second record is the one linked onward to Bilal.
		person := func(name string) string {
			var rec struct{ ID string }
			c.json("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": map[string][]string{"name": {name}}}, 201, &rec)
			return rec.ID
		}
		asif1, asif2, go1, bilal := person("Asif Ali"), person("Asif Ali Khan"), person("Go Between"), person("Bilal Shah")
		for _, l := range [][2]string{{asif2, go1}, {go1, bilal}} {
			c.json("POST", "/api/v1/records", map[string]any{"schema": "Associate", "properties": map[string][]string{"person": {l[0]}, "associate": {l[1]}}}, 201, nil)
		}
		var judged struct{ Profile string }
		c.json("POST", "/api/v1/judgements", map[string]any{"a": asif1, "b": asif2, "verdict": "same", "reason": "same CNIC on file"}, 201, &judged)
		if judged.Profile == "" {
			t.Fatal("no profile after a same judgement")
		}
		c.json("POST", "/api/v1/network/paths", map[string]any{"source_profile": judged.Profile, "target": bilal}, 200, &paths)
		if paths.Distance == nil || *paths.Distance != 2 || len(paths.Paths) != 1 || paths.Paths[0][0] != asif2 {
			t.Fatalf("profile paths: %+v", paths)
		}
		if st, body := c.do("POST", "/api/v1/network/paths", map[string]any{"source_profile": "nope", "target": bilal}); st != 404 || !strings.Contains(string(body), "source_profile") {
			t.Errorf("unknown profile: %d %s", st, body)
		}
		for _, bad := range []struct {
			path string
			body map[string]any
			want string
		}{
			{"/api/v1/network", map[string]any{"seeds": []string{phone["a"]}, "hops": 7}, "hops"},
			{"/api/v1/network", map[string]any{"seeds": []string{}}, "seeds"},
			{"/api/v1/network", map[string]any{"seeds": []string{phone["a"]}, "colour": "red"}, "colour"},
			{"/api/v1/network", map[string]any{"seeds": []string{phone["a"]}, "schemata": []string{"Person"}}, "schemata"},
			{"/api/v1/network/paths", map[string]any{"source": phone["a"]}, "target, target_profile"},
			{"/api/v1/network/paths", map[string]any{"source": phone["a"], "source_profile": "x", "target": phone["b"]}, "source, source_profile"},
			{"/api/v1/network/analysis", map[string]any{"seeds": []string{phone["a"]}, "measures": []string{"fame"}}, "measures"},
			{"/api/v1/network/analysis", map[string]any{"seeds": []string{phone["a"]}, "disrupt": map[string]any{"by": "luck"}}, "disrupt.by"},
		} {
			st, body := c.do("POST", bad.path, bad.body)
			if st != 400 || !strings.Contains(string(body), bad.want) {
				t.Errorf("%s %v: %d %s", bad.path, bad.body, st, body)
			}
		}
	})
}

// TestCallsAnalysisAPI: two subjects share a contact; pairs, common
// contacts and the time pattern come from the calls the caller sees.
func TestCallsAnalysisAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		addAgency(t, s, "FIA")
		addUser(t, s, "fia.analyst", "FIA", rabta.Secret, rabta.RoleAnalyst)
		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		c := login(t, ts.URL, "fia.analyst")
		phone := map[string]string{}
		for i, n := range []string{"s1", "s2", "go", "x"} {
			var rec struct{ ID string }
			c.json("POST", "/api/v1/records", map[string]any{"schema": "Phone", "properties": map[string][]string{"number": {"0300200000" + string(rune('0'+i))}}}, 201, &rec)
			phone[n] = rec.ID
		}
		call := func(a, b, at, dur, typ string) {
			c.json("POST", "/api/v1/records", map[string]any{"schema": "Call", "properties": map[string][]string{
				"callerPhone": {phone[a]}, "receiverPhone": {phone[b]}, "startDate": {at}, "duration": {dur}, "callType": {typ}}}, 201, nil)
		}
		call("s1", "go", "2024-03-01T17:00:00", "60", "voice") // 22:00 PKT, a Friday
		call("go", "s1", "2024-03-02T17:00:00", "30", "voice")
		call("s1", "go", "2024-03-02T18:00:00", "0", "sms")
		call("s2", "go", "2024-03-03T05:00:00", "120", "voice")
		call("s1", "x", "2024-04-01T05:00:00", "10", "voice")
		var res struct {
			Calls int
			Pairs []struct {
				A, B                 string
				Calls, SMS, Duration int
			}
			Common []struct {
				Number   string
				Subjects []string
			}
			When struct {
				Hours    []int
				Weekdays []int
			}
		}
		c.json("POST", "/api/v1/calls/analysis", map[string]any{"phones": []string{phone["s1"], phone["s2"]}, "to": "2024-03-31"}, 200, &res)
		if res.Calls != 4 || len(res.Pairs) != 2 || res.Pairs[0].Calls != 2 || res.Pairs[0].SMS != 1 || res.Pairs[0].Duration != 90 {
			t.Fatalf("pairs: %+v", res)
		}
		if len(res.Common) != 1 || res.Common[0].Number != phone["go"] || len(res.Common[0].Subjects) != 2 {
			t.Fatalf("common: %+v", res.Common)
		}
		if res.When.Hours[22] != 2 || res.When.Weekdays[4] != 1 {
			t.Errorf("when: %+v", res.When)
		}
		st, body := c.do("POST", "/api/v1/calls/analysis", map[string]any{"phones": []string{}})
		if st != 400 || !strings.Contains(string(body), "phones") {
			t.Errorf("no phones: %d %s", st, body)
		}
	})
}
