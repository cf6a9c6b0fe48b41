package graph

import (
	"math"
	"slices"
	"testing"
)

func TestShortestPathsGolden(t *testing.T) {
	gold := loadStructureGolden(t)
	graphs := map[string]*Graph{}
	for name, gg := range gold.Graphs {
		graphs[name] = gg.build(t)
	}
	multi := 0
	for _, q := range gold.Paths {
		g := graphs[q.Graph]
		paths, dist := ShortestPaths(g, q.S, q.T, 0)
		if q.Dist == nil {
			if paths != nil || !math.IsInf(dist, 1) {
				t.Errorf("%s %d→%d: got %v %v, networkx: no path", q.Graph, q.S, q.T, paths, dist)
			}
			continue
		}
		if dist != *q.Dist {
			t.Errorf("%s %d→%d: distance %v, networkx %v", q.Graph, q.S, q.T, dist, *q.Dist)
		}
		// networkx's paths were sorted by the script; ours come sorted.
		if !slices.EqualFunc(paths, q.Paths, slices.Equal) {
			t.Errorf("%s %d→%d: paths %v, networkx %v", q.Graph, q.S, q.T, paths, q.Paths)
		}
		if len(q.Paths) > 1 {
			multi++
			// A limit keeps the first paths of the same order.
			lim, _ := ShortestPaths(g, q.S, q.T, len(q.Paths)-1)
			if !slices.EqualFunc(lim, q.Paths[:len(q.Paths)-1], slices.Equal) {
				t.Errorf("%s %d→%d: limited paths %v", q.Graph, q.S, q.T, lim)
			}
		}
	}
	if multi < 10 {
		t.Fatalf("only %d queries with several shortest paths", multi)
	}
}

func TestShortestPathsSmall(t *testing.T) {
	// Weighted diamond: s-a-t costs 1+2, s-b-t costs 2+1, s-t directly 4.
	b := NewBuilder(false, true)
	b.AddEdge("s", "a", 1)
	b.AddEdge("a", "t", 2)
	b.AddEdge("s", "b", 2)
	b.AddEdge("b", "t", 1)
	b.AddEdge("s", "t", 4)
	b.Node("x")
	g, _ := b.Build()
	paths, d := ShortestPaths(g, 0, 2, 10)
	if d != 3 || !slices.EqualFunc(paths, [][]int32{{0, 1, 2}, {0, 3, 2}}, slices.Equal) {
		t.Fatalf("%v %v", paths, d)
	}
	if p, d := ShortestPaths(g, 0, 4, 10); p != nil || !math.IsInf(d, 1) {
		t.Fatalf("isolated: %v %v", p, d)
	}
	if p, d := ShortestPaths(g, 4, 4, 10); len(p) != 1 || !slices.Equal(p[0], []int32{4}) || d != 0 {
		t.Fatalf("self: %v %v", p, d)
	}
	// Unweighted, the direct edge wins.
	if p, d := ShortestPaths(pairGraph(false, "s-a", "a-t", "s-t"), 0, 2, 0); d != 1 || len(p) != 1 {
		t.Fatalf("%v %v", p, d)
	}
	// Directed: c→a exists but a→c does not.
	g = pairGraph(true, "a-b", "b-c", "c-a")
	if p, d := ShortestPaths(g, 0, 2, 0); d != 2 || !slices.Equal(p[0], []int32{0, 1, 2}) {
		t.Fatalf("%v %v", p, d)
	}
	if p, d := ShortestPaths(g, 2, 0, 0); d != 1 || !slices.Equal(p[0], []int32{2, 0}) {
		t.Fatalf("%v %v", p, d)
	}
	// A ladder of k squares has 2^k shortest corner-to-corner paths; the
	// limit stops enumeration early.
	lb := NewBuilder(false, false)
	prev := []string{"s"}
	for i := 0; i < 20; i++ {
		u, l, next := "u"+string(rune('A'+i)), "l"+string(rune('A'+i)), "m"+string(rune('A'+i))
		for _, p := range prev {
			lb.AddEdge(p, u, 1)
			lb.AddEdge(p, l, 1)
		}
		lb.AddEdge(u, next, 1)
		lb.AddEdge(l, next, 1)
		prev = []string{next}
	}
	lg, _ := lb.Build()
	end, _ := lg.ID("mT")
	p, d := ShortestPaths(lg, 0, end, 1000)
	if len(p) != 1000 || d != 40 {
		t.Fatalf("%d paths, distance %v", len(p), d)
	}
	if !slices.IsSortedFunc(p, slices.Compare) {
		t.Fatal("paths not in lexicographic order")
	}
}

func TestNeighbourhood(t *testing.T) {
	// s–a–b–c in a line; a is also tied to a hub h with five leaves.
	g := pairGraph(false, "s-a", "a-b", "b-c", "a-h", "h-1", "h-2", "h-3", "h-4", "h-5")
	id := func(l string) int32 { v, _ := g.ID(l); return v }
	ids := func(ls ...string) []int32 {
		var out []int32
		for _, l := range ls {
			out = append(out, id(l))
		}
		return out
	}
	nodes, hubs := Neighbourhood(g, ids("s"), HopOptions{Hops: 3})
	if !slices.Equal(nodes, ids("s", "a", "b", "h", "c", "1", "2", "3", "4", "5")) || len(hubs) != 0 {
		t.Fatalf("no suppression: %v %v", nodes, hubs)
	}
	// With hubs suppressed h is shown but its leaves are not.
	nodes, hubs = Neighbourhood(g, ids("s"), HopOptions{Hops: 3, MaxDegree: 4})
	if !slices.Equal(nodes, ids("s", "a", "b", "h", "c")) || !slices.Equal(hubs, ids("h")) {
		t.Fatalf("suppressed: %v %v", nodes, hubs)
	}
	// A seed is expanded even when it is a hub, and is not reported.
	nodes, hubs = Neighbourhood(g, ids("h", "h"), HopOptions{Hops: 1, MaxDegree: 4})
	if !slices.Equal(nodes, ids("h", "a", "1", "2", "3", "4", "5")) || len(hubs) != 0 {
		t.Fatalf("hub seed: %v %v", nodes, hubs)
	}
	// MaxNodes keeps the closest, ties by id.
	nodes, _ = Neighbourhood(g, ids("h"), HopOptions{Hops: 2, MaxNodes: 4})
	if !slices.Equal(nodes, ids("h", "a", "1", "2")) {
		t.Fatalf("capped: %v", nodes)
	}
	nodes, _ = Neighbourhood(g, ids("c", "s"), HopOptions{Hops: 0})
	if !slices.Equal(nodes, []int32{0, 3}) {
		t.Fatalf("hops 0: %v", nodes)
	}
	nodes, _ = Neighbourhood(g, ids("c", "s", "b"), HopOptions{Hops: 5, MaxNodes: 2})
	if !slices.Equal(nodes, []int32{0, 2}) {
		t.Fatalf("seeds capped: %v", nodes)
	}
	// Direction is ignored: from b, a→b's tail a is a neighbour.
	dg := pairGraph(true, "a-b", "c-a")
	nodes, _ = Neighbourhood(dg, []int32{1}, HopOptions{Hops: 2})
	if !slices.Equal(nodes, []int32{1, 0, 2}) {
		t.Fatalf("directed: %v", nodes)
	}
	empty, _ := NewBuilder(false, false).Build()
	if nodes, hubs := Neighbourhood(empty, nil, HopOptions{Hops: 2}); len(nodes) != 0 || len(hubs) != 0 {
		t.Fatal("empty")
	}
}

func BenchmarkShortestPaths(b *testing.B) {
	g := plantedGraph(b, 5000, 20000, 50, 0.2, 1)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ShortestPaths(g, int32(i%5000), int32((i*7919+13)%5000), 100)
	}
}
