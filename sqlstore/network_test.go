package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rabta/rabta"
)

// netFixture: FIA holds a boss, two lieutenants and a call centre number
// called by twenty people; ANF holds one courier, released to nobody.
//
//	boss ─ lt1 ─ courier(ANF)
//	  └── lt2 ─ centre ─ 20 callers
type netFixture struct {
	boss, lt1, lt2, centre, courier *rabta.Record
	callers                         []*rabta.Record
}

func buildNet(t *testing.T, s *Store, f fixture) netFixture {
	t.Helper()
	all := rabta.Marking{Release: rabta.ReleaseAll}
	phone := func(p rabta.Principal, n string, m rabta.Marking) *rabta.Record {
		return mustCreate(t, s, p, &rabta.Record{Schema: "Phone", Properties: map[string][]string{"number": {n}}, Marking: m})
	}
	call := func(p rabta.Principal, a, b *rabta.Record, date string, m rabta.Marking) {
		mustCreate(t, s, p, &rabta.Record{Schema: "Call", Marking: m, Properties: map[string][]string{
			"callerPhone": {a.ID}, "receiverPhone": {b.ID}, "startDate": {date}, "duration": {"60"}}})
	}
	var n netFixture
	n.boss = phone(f.fia, "03001000001", all)
	n.lt1 = phone(f.fia, "03001000002", all)
	n.lt2 = phone(f.fia, "03001000003", all)
	n.centre = phone(f.fia, "03001000004", all)
	n.courier = phone(f.anf, "03001000005", rabta.Marking{Release: rabta.ReleaseOriginator})
	call(f.fia, n.boss, n.lt1, "2024-03-01T10:00:00", all)
	call(f.fia, n.boss, n.lt2, "2024-05-01T10:00:00", all)
	call(f.fia, n.lt1, n.boss, "2024-03-02T10:00:00", all) // a second call on the pair
	call(f.anf, n.lt1, n.courier, "2024-03-03T10:00:00", rabta.Marking{Release: rabta.ReleaseAll})
	call(f.fia, n.lt2, n.centre, "2024-03-04T10:00:00", all)
	for i := range 20 {
		c := phone(f.fia, fmt.Sprintf("030020000%02d", i), all)
		n.callers = append(n.callers, c)
		call(f.fia, c, n.centre, "2024-03-05T10:00:00", all)
	}
	return n
}

func ids(net *Network) (nodes []string, edges int) {
	for _, n := range net.Nodes {
		nodes = append(nodes, n.ID)
	}
	return nodes, len(net.Edges)
}

func TestNetwork(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		n := buildNet(t, s, f)

		// One hop from the boss: two lieutenants, three calls.
		net, err := s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Hops: 1})
		if err != nil {
			t.Fatal(err)
		}
		nodes, edges := ids(net)
		if !slices.Equal(nodes, []string{n.boss.ID, n.lt1.ID, n.lt2.ID}) || edges != 3 || net.Nodes[1].Hop != 1 {
			t.Fatalf("1 hop: %v, %d edges", nodes, edges)
		}

		// Two hops: the centre is a hub (21 links > 10): shown, not expanded.
		// The courier is ANF's and not released: neither it nor the call
		// to it may appear, though the call itself was released to all.
		net, err = s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Hops: 3, MaxDegree: 10})
		if err != nil {
			t.Fatal(err)
		}
		nodes, edges = ids(net)
		if !slices.Equal(nodes, []string{n.boss.ID, n.lt1.ID, n.lt2.ID, n.centre.ID}) || edges != 4 || !net.Nodes[3].Hub {
			t.Fatalf("hub suppression / access: %v, %d edges, %+v", nodes, edges, net.Nodes)
		}
		// Without the cap, the callers come in, up to MaxNodes.
		net, err = s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Hops: 3, MaxNodes: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(net.Nodes) != 10 || !net.Truncated {
			t.Fatalf("MaxNodes: %d nodes, truncated %v", len(net.Nodes), net.Truncated)
		}
		// ANF sees its courier's call with lt1, and lt1 (released to all).
		net, err = s.Network(ctx, f.anf, NetworkQuery{Seeds: []string{n.courier.ID}, Hops: 1})
		if err != nil {
			t.Fatal(err)
		}
		if nodes, edges = ids(net); !slices.Equal(nodes, []string{n.courier.ID, n.lt1.ID}) || edges != 1 {
			t.Fatalf("ANF: %v %d", nodes, edges)
		}
		// Dates and link types filter; links without dates would stay.
		net, err = s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Hops: 1, From: "2024-04-01"})
		if err != nil {
			t.Fatal(err)
		}
		if nodes, edges = ids(net); !slices.Equal(nodes, []string{n.boss.ID, n.lt2.ID}) || edges != 1 || net.Edges[0].Date != "2024-05-01T10:00:00" || net.Edges[0].Duration != 60 {
			t.Fatalf("from: %v %d %+v", nodes, edges, net.Edges)
		}
		net, err = s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Hops: 1, Schemata: []string{"Payment"}})
		if err != nil || len(net.Nodes) != 1 || len(net.Edges) != 0 {
			t.Fatalf("schemata: %+v %v", net, err)
		}
		// A selection (no hops): the seeds and the links among them.
		net, err = s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.lt2.ID, n.centre.ID, n.callers[0].ID}})
		if nodes, edges = ids(net); err != nil || len(nodes) != 3 || edges != 2 {
			t.Fatalf("selection: %v %d %v", nodes, edges, err)
		}
		// Until: stop once the target is reached.
		net, err = s.Network(ctx, f.fia, NetworkQuery{Seeds: []string{n.boss.ID}, Hops: 6, Until: []string{n.centre.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if nodes, _ = ids(net); !slices.Contains(nodes, n.centre.ID) || len(nodes) > 5 {
			t.Fatalf("until: %v", nodes)
		}
		// A seed FIA may not see is missing, like one that does not exist;
		// a link is not a seed; bad options are named.
		for _, q := range []NetworkQuery{{Seeds: []string{n.courier.ID}}, {Seeds: []string{"no-such-record"}}} {
			if _, err := s.Network(ctx, f.fia, q); rabta.ErrorCode(err) != rabta.ENotFound || rabta.ErrorMessage(err) != fmt.Sprintf("seeds: no record %q", q.Seeds[0]) {
				t.Errorf("%v: %v", q.Seeds, err)
			}
		}
		for _, q := range []NetworkQuery{{}, {Seeds: []string{n.boss.ID}, Hops: 9}, {Seeds: []string{n.boss.ID}, Schemata: []string{"Person"}},
			{Seeds: []string{n.boss.ID}, From: "March"}, {Seeds: []string{n.boss.ID}, MaxNodes: 100000}} {
			if _, err := s.Network(ctx, f.fia, q); rabta.ErrorCode(err) != rabta.EInvalid {
				t.Errorf("%+v: %v", q, err)
			}
		}
		// Every load is logged with its seeds.
		evs, err := s.AuditEvents(ctx, f.auditor, AuditFilter{Action: rabta.ActNetworkRead, Object: n.boss.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 6 || evs[0].Username != f.fia.Username || evs[0].Count != 4 || evs[0].Query != "hops=6 until="+n.centre.ID {
			t.Errorf("audit: %d network events naming the boss; newest %+v", len(evs), evs[0])
		}
	})
}
