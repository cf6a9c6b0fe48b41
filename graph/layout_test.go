package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"
)

// layGraph builds an undirected graph on nodes "0".."n-1" (node i has id i).
func layGraph(t testing.TB, n int, edges [][2]int32) *Graph {
	t.Helper()
	b := NewBuilder(false, false)
	for i := 0; i < n; i++ {
		b.Node(strconv.Itoa(i))
	}
	for _, e := range edges {
		b.AddEdgeID(e[0], e[1], 1)
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func layPath(n int) [][2]int32 {
	var es [][2]int32
	for i := int32(1); int(i) < n; i++ {
		es = append(es, [2]int32{i - 1, i})
	}
	return es
}

// layClusters is k dense random clusters of size s (edge probability p),
// cluster c holding nodes c·s..c·s+s−1, each joined to the next by one edge.
func layClusters(k, s int, p float64, seed uint64) [][2]int32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	var es [][2]int32
	for c := 0; c < k; c++ {
		base := int32(c * s)
		for i := int32(0); int(i) < s; i++ {
			for j := i + 1; int(j) < s; j++ {
				if j == i+1 || rng.Float64() < p { // the ring keeps it connected
					es = append(es, [2]int32{base + i, base + j})
				}
			}
		}
		if c > 0 {
			es = append(es, [2]int32{base - 1, base})
		}
	}
	return es
}

func layDist(p []Point, u, v int32) float64 {
	return math.Hypot(p[u].X-p[v].X, p[u].Y-p[v].Y)
}

func checkLayoutFinite(t *testing.T, name string, p []Point) {
	t.Helper()
	for v, q := range p {
		if !layFinite(q.X) || !layFinite(q.Y) {
			t.Fatalf("%s: node %d at %v", name, v, q)
		}
	}
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

// edgeLengths returns the lengths of g's edges.
func edgeLengths(g *Graph, p []Point) []float64 {
	var ls []float64
	for e := int32(0); int(e) < g.M(); e++ {
		u, v, _ := g.Edge(e)
		ls = append(ls, layDist(p, u, v))
	}
	return ls
}

// minGap is the smallest distance between two nodes (O(n²); tests only).
func minGap(p []Point) float64 {
	best := math.Inf(1)
	for u := range p {
		for v := u + 1; v < len(p); v++ {
			best = min(best, layDist(p, int32(u), int32(v)))
		}
	}
	return best
}

func TestLayoutSmallGraphs(t *testing.T) {
	if p := Layout(layGraph(t, 0, nil), LayoutOptions{}); len(p) != 0 {
		t.Fatalf("empty graph: %v", p)
	}
	if p := Layout(layGraph(t, 1, nil), LayoutOptions{}); len(p) != 1 || p[0] != (Point{}) {
		t.Fatalf("one node: %v", p)
	}
	// One edge: exactly the output edge length.
	p := Layout(layGraph(t, 2, [][2]int32{{0, 1}}), LayoutOptions{})
	if d := layDist(p, 0, 1); math.Abs(d-layoutEdgeLen) > 1e-9 {
		t.Errorf("one edge is %v long, want %v", d, layoutEdgeLen)
	}
	// No edges: a grid of isolated nodes, layoutGap apart.
	p = Layout(layGraph(t, 10, nil), LayoutOptions{})
	checkLayoutFinite(t, "isolated", p)
	if g := minGap(p); math.Abs(g-layoutGap) > 1e-9 {
		t.Errorf("isolated nodes %v apart, want %v", g, layoutGap)
	}
	// A component plus isolated nodes: packed without overlap.
	g := layGraph(t, 25, append(layClusters(1, 20, 0.3, 1), [2]int32{20, 21}))
	p = Layout(g, LayoutOptions{})
	checkLayoutFinite(t, "mixed", p)
	if d := minGap(p); d < layoutMinDist*0.99 {
		t.Errorf("mixed: two nodes %v apart", d)
	}
}

// Direction is ignored: a directed graph is laid out as its undirected view.
func TestLayoutDirected(t *testing.T) {
	es := layClusters(3, 15, 0.3, 2)
	bd := NewBuilder(true, false)
	for i := 0; i < 45; i++ {
		bd.Node(strconv.Itoa(i))
	}
	for i, e := range es {
		if i%3 == 0 {
			bd.AddEdgeID(e[1], e[0], 1)
		} else {
			bd.AddEdgeID(e[0], e[1], 1)
		}
		if i%5 == 0 {
			bd.AddEdgeID(e[1], e[0], 1) // reciprocal: still one link
		}
	}
	dg, err := bd.Build()
	if err != nil {
		t.Fatal(err)
	}
	want := Layout(layGraph(t, 45, es), LayoutOptions{Seed: 3})
	if got := Layout(dg, LayoutOptions{Seed: 3}); !slices.Equal(got, want) {
		t.Error("directed graph laid out differently from its undirected view")
	}
}

func samePoints(a, b []Point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i].X) != math.Float64bits(b[i].X) || math.Float64bits(a[i].Y) != math.Float64bits(b[i].Y) {
			return false
		}
	}
	return true
}

func TestLayoutDeterministic(t *testing.T) {
	g := plantedGraph(t, 1500, 6000, 12, 0.1, 5) // Barnes–Hut, several levels
	a := Layout(g, LayoutOptions{Seed: 7})
	if b := Layout(g, LayoutOptions{Seed: 7}); !samePoints(a, b) {
		t.Fatal("same seed, different layouts")
	}
	if c := Layout(g, LayoutOptions{Seed: 8}); samePoints(a, c) {
		t.Error("different seeds, same layout")
	}
	// Fixed is a map: its iteration order must not matter. Each call gets
	// a freshly built map, which Go iterates in a new random order.
	fixed := func() map[int32]Point {
		m := map[int32]Point{}
		for v := int32(0); v < 1500; v += 3 {
			m[v] = a[v]
		}
		return m
	}
	f1 := Layout(g, LayoutOptions{Seed: 9, Fixed: fixed()})
	for i := 0; i < 3; i++ {
		if f2 := Layout(g, LayoutOptions{Seed: 9, Fixed: fixed()}); !samePoints(f1, f2) {
			t.Fatal("same fixed nodes and seed, different layouts")
		}
	}
}

func TestLayoutFixedExact(t *testing.T) {
	g := plantedGraph(t, 300, 900, 4, 0.1, 2)
	rng := rand.New(rand.NewPCG(4, 4))
	fixed := map[int32]Point{}
	for v := int32(0); v < 300; v += 2 {
		fixed[v] = Point{rng.NormFloat64()*1234.5678 - 1e4, rng.NormFloat64()*987.654321 + 0.1}
	}
	fixed[-1] = Point{1, 1}          // no such node
	fixed[300] = Point{2, 2}         // no such node
	fixed[1] = Point{math.NaN(), 0}  // ignored: laid out like the others
	fixed[3] = Point{math.Inf(1), 0} // ignored
	p := Layout(g, LayoutOptions{Fixed: fixed})
	checkLayoutFinite(t, "fixed", p)
	for v, q := range fixed {
		if v < 0 || v >= 300 || v == 1 || v == 3 {
			continue
		}
		if p[v] != q {
			t.Fatalf("fixed node %d at %v, given %v", v, p[v], q)
		}
	}
	// All fixed: returned as given.
	all := map[int32]Point{}
	for v := int32(0); v < 300; v++ {
		all[v] = Point{float64(v) * 1.5, -float64(v)}
	}
	p = Layout(g, LayoutOptions{Fixed: all})
	for v, q := range all {
		if p[v] != q {
			t.Fatalf("all fixed: node %d at %v, given %v", v, p[v], q)
		}
	}
}

// layExpand is g (built by layGraph) plus, for each hub, k new leaves, and
// links among new nodes and from new nodes to old ones.
func layExpand(t testing.TB, g *Graph, hubs []int32, k int, seed uint64) (*Graph, []int32) {
	rng := rand.New(rand.NewPCG(seed, 9))
	var es [][2]int32
	for e := int32(0); int(e) < g.M(); e++ {
		u, v, _ := g.Edge(e)
		es = append(es, [2]int32{u, v})
	}
	n := int32(g.N())
	var leaves []int32
	for _, h := range hubs {
		for i := 0; i < k; i++ {
			es = append(es, [2]int32{h, n})
			leaves = append(leaves, n)
			n++
		}
	}
	// Some new nodes linked to two old ones, and to each other.
	for i := 0; i < k; i++ {
		es = append(es, [2]int32{n, int32(rng.IntN(g.N()))}, [2]int32{n, int32(rng.IntN(g.N()))})
		if i > 0 {
			es = append(es, [2]int32{n - 1, n})
		}
		n++
	}
	return layGraph(t, int(n), es), leaves
}

// A chart grows by expansion: the old nodes stay, the new ones settle next
// to their neighbours at the chart's scale, clear of everyone.
func TestLayoutExpansion(t *testing.T) {
	for seed := uint64(0); seed < 4; seed++ {
		g := plantedGraph(t, 150, 450, 5, 0.05, seed)
		p := Layout(g, LayoutOptions{Seed: seed})
		hubs := []int32{3, 50, 100}
		h, leaves := layExpand(t, g, hubs, 12, seed)
		fixed := map[int32]Point{}
		for v, q := range p {
			fixed[int32(v)] = q
		}
		q := Layout(h, LayoutOptions{Seed: seed, Fixed: fixed})
		checkLayoutFinite(t, "expansion", q)
		for v := range p {
			if q[v] != p[v] {
				t.Fatalf("seed %d: old node %d moved", seed, v)
			}
		}
		oldMed := medianOf(edgeLengths(g, p))
		var newLens []float64
		for e := int32(0); int(e) < h.M(); e++ {
			u, v, _ := h.Edge(e)
			if int(v) >= g.N() {
				newLens = append(newLens, layDist(q, u, v))
			}
		}
		ratio := medianOf(newLens) / oldMed
		for i, l := range leaves {
			hub := hubs[i/12]
			if d := layDist(q, l, hub); d > 4*oldMed {
				t.Errorf("seed %d: new leaf %d is %.0f from its hub (median old edge %.0f)", seed, l, d, oldMed)
			}
		}
		gap := math.Inf(1)
		for v := g.N(); v < h.N(); v++ {
			for u := 0; u < h.N(); u++ {
				if u != v {
					gap = min(gap, layDist(q, int32(u), int32(v)))
				}
			}
		}
		t.Logf("seed %d: new/old median edge %.2f, nearest to a new node %.1f", seed, ratio, gap)
		if ratio < 0.5 || ratio > 2 {
			t.Errorf("seed %d: new edges' median %.2f× the old ones'", seed, ratio)
		}
		if gap < layoutMinDist*0.99 {
			t.Errorf("seed %d: a new node is %.1f from another", seed, gap)
		}
	}
}

// Expanding a single node: no fixed links to take the scale from.
func TestLayoutExpandOneNode(t *testing.T) {
	var es [][2]int32
	for i := int32(1); i <= 12; i++ {
		es = append(es, [2]int32{0, i})
	}
	g := layGraph(t, 13, es)
	c := Point{500, -300}
	p := Layout(g, LayoutOptions{Fixed: map[int32]Point{0: c}})
	checkLayoutFinite(t, "star", p)
	if p[0] != c {
		t.Fatalf("hub at %v", p[0])
	}
	for v := int32(1); v <= 12; v++ {
		if d := layDist(p, 0, v); d < layoutMinDist*0.99 || d > 6*layoutEdgeLen {
			t.Errorf("leaf %d is %.0f from the hub", v, d)
		}
	}
}

func TestLayoutNoNaN(t *testing.T) {
	complete := func(n int) [][2]int32 {
		var es [][2]int32
		for i := int32(0); int(i) < n; i++ {
			for j := i + 1; int(j) < n; j++ {
				es = append(es, [2]int32{i, j})
			}
		}
		return es
	}
	same := func(ids ...int32) map[int32]Point {
		m := map[int32]Point{}
		for _, v := range ids {
			m[v] = Point{7, 7}
		}
		return m
	}
	cases := []struct {
		name string
		g    *Graph
		opt  LayoutOptions
	}{
		{"K40", layGraph(t, 40, complete(40)), LayoutOptions{}},
		{"K150", layGraph(t, 150, complete(150)), LayoutOptions{}},
		{"K60 one step", layGraph(t, 60, complete(60)), LayoutOptions{Iterations: 1}},
		{"fixed on one spot", layGraph(t, 80, layClusters(4, 20, 0.3, 3)), LayoutOptions{Fixed: same(0, 1, 2, 3, 20, 21, 40, 41, 60)}},
		{"all but one on one spot", layGraph(t, 5, [][2]int32{{0, 1}, {1, 2}, {2, 3}, {3, 4}}), LayoutOptions{Fixed: same(0, 1, 3, 4)}},
		{"fixed far apart", layGraph(t, 60, layClusters(3, 20, 0.3, 4)), LayoutOptions{Fixed: map[int32]Point{0: {-1e9, 1e9}, 1: {1e9, -1e9}, 40: {0, 0}}}},
		{"isolated", layGraph(t, 3000, nil), LayoutOptions{}},
		{"pairs", layGraph(t, 400, func() [][2]int32 {
			var es [][2]int32
			for i := int32(0); i < 400; i += 2 {
				es = append(es, [2]int32{i, i + 1})
			}
			return es
		}()), LayoutOptions{}},
		{"many iterations", layGraph(t, 300, layClusters(3, 100, 0.05, 5)), LayoutOptions{Iterations: 400}},
	}
	for _, c := range cases {
		checkLayoutFinite(t, c.name, Layout(c.g, c.opt))
	}
}

// Two dense clusters joined by one edge are drawn as two blobs.
func TestLayoutTwoClusters(t *testing.T) {
	for seed := uint64(0); seed < 5; seed++ {
		const s = 20
		g := layGraph(t, 2*s, layClusters(2, s, 0.5, seed))
		p := Layout(g, LayoutOptions{Seed: seed})
		var cen [2]Point
		for v := 0; v < 2*s; v++ {
			cen[v/s].X += p[v].X / s
			cen[v/s].Y += p[v].Y / s
		}
		var intra float64
		var pairs int
		for u := 0; u < 2*s; u++ {
			for v := u + 1; v < 2*s; v++ {
				if u/s == v/s {
					intra += layDist(p, int32(u), int32(v))
					pairs++
				}
			}
		}
		intra /= float64(pairs)
		between := math.Hypot(cen[0].X-cen[1].X, cen[0].Y-cen[1].Y)
		t.Logf("seed %d: centroids %.0f apart, mean distance within a cluster %.0f (ratio %.2f)", seed, between, intra, between/intra)
		if between < 2*intra {
			t.Errorf("seed %d: centroids %.0f apart, mean intra-cluster distance %.0f", seed, between, intra)
		}
	}
}

// A path is drawn nearly straight: near along the path is near in the plane.
func TestLayoutPath(t *testing.T) {
	for _, n := range []int{10, 30, 100} {
		g := layGraph(t, n, layPath(n))
		p := Layout(g, LayoutOptions{Seed: 1})
		var near, far float64
		var nn, nf int
		for u := 0; u < n; u++ {
			for v := u + 1; v < n; v++ {
				switch d := layDist(p, int32(u), int32(v)); {
				case v == u+1:
					near += d
					nn++
				case v-u >= n/3:
					far += d
					nf++
				}
			}
		}
		near /= float64(nn)
		far /= float64(nf)
		end := layDist(p, 0, int32(n-1))
		t.Logf("path %d: consecutive %.1f, ≥ n/3 apart %.0f, ends %.0f (%.2f of the length)", n, near, far, end, end/(near*float64(n-1)))
		if math.Abs(medianOf(edgeLengths(g, p))-layoutEdgeLen) > 0.01*layoutEdgeLen {
			t.Errorf("path %d: median edge %.1f, want %v", n, medianOf(edgeLengths(g, p)), layoutEdgeLen)
		}
		if far < 5*near {
			t.Errorf("path %d: nodes ≥ n/3 apart on the path are %.0f apart, consecutive ones %.0f", n, far, near)
		}
		if end < 0.5*near*float64(n-1) {
			t.Errorf("path %d: ends %.0f apart, path length %.0f", n, end, near*float64(n-1))
		}
	}
}

// On a planted-partition graph, edges are short next to typical distances
// and communities are compact.
func TestLayoutPlantedPartition(t *testing.T) {
	for _, tc := range []struct{ n, m, k int }{{200, 800, 6}, {1000, 4000, 10}} {
		g, truth := planted(t, tc.n, tc.m, tc.k, 0.05, 3)
		p := Layout(g, LayoutOptions{Seed: 1})
		var edge float64
		for _, l := range edgeLengths(g, p) {
			edge += l
		}
		edge /= float64(g.M())
		var all, intra, inter float64
		var na, ni, ne int
		for u := 0; u < tc.n; u++ {
			for v := u + 1; v < tc.n; v++ {
				d := layDist(p, int32(u), int32(v))
				all += d
				na++
				if truth[u] == truth[v] {
					intra += d
					ni++
				} else {
					inter += d
					ne++
				}
			}
		}
		all /= float64(na)
		intra /= float64(ni)
		inter /= float64(ne)
		t.Logf("n=%d: mean edge / mean distance %.3f, intra / inter-community distance %.3f", tc.n, edge/all, intra/inter)
		if edge > 0.35*all {
			t.Errorf("n=%d: mean edge %.0f, mean distance %.0f", tc.n, edge, all)
		}
		if intra > 0.5*inter {
			t.Errorf("n=%d: mean distance within communities %.0f, between %.0f", tc.n, intra, inter)
		}
	}
}

// Degree-weighted repulsion keeps each hub's leaves around it.
func TestLayoutHubLeaves(t *testing.T) {
	const hubs, leaves = 6, 10
	var es [][2]int32
	for h := int32(0); h < hubs; h++ {
		es = append(es, [2]int32{h, (h + 1) % hubs})
		for l := int32(0); l < leaves; l++ {
			es = append(es, [2]int32{h, hubs + h*leaves + l})
		}
	}
	g := layGraph(t, hubs*(leaves+1), es)
	p := Layout(g, LayoutOptions{Seed: 2})
	for l := int32(hubs); int(l) < g.N(); l++ {
		own := (l - hubs) / leaves
		for h := int32(0); h < hubs; h++ {
			if h != own && layDist(p, l, h) <= layDist(p, l, own) {
				t.Errorf("leaf %d is nearer hub %d than its own hub %d", l, h, own)
			}
		}
	}
}

// Dense graphs are scaled up until nodes have room, then pushed apart.
func TestLayoutScaleDense(t *testing.T) {
	g := plantedGraph(t, 400, 2400, 4, 0.05, 1)
	p := Layout(g, LayoutOptions{Seed: 1})
	nn := make([]float64, g.N())
	for u := range nn {
		nn[u] = math.Inf(1)
		for v := range nn {
			if u != v {
				nn[u] = min(nn[u], layDist(p, int32(u), int32(v)))
			}
		}
	}
	med, low := medianOf(nn), slices.Min(nn)
	t.Logf("median edge %.0f, median nearest neighbour %.1f, nearest pair %.1f", medianOf(edgeLengths(g, p)), med, low)
	if med < 0.9*layoutNNDist {
		t.Errorf("median nearest-neighbour distance %.1f", med)
	}
	if low < 0.99*layoutMinDist {
		t.Errorf("two nodes %.1f apart", low)
	}
}

// Barnes–Hut keeps repulsion near O(n log n): the terms evaluated per node
// grow slowly with n (they would grow 4× from 5,000 to 20,000 nodes if it
// were quadratic).
func TestLayoutRepulsionWork(t *testing.T) {
	perNode := func(n int) float64 {
		g := plantedGraph(t, n, 4*n, n/200, 0.1, 1)
		fg := newFAGraph(g, layIota(n), nil, nil)
		x, y := make([]float64, n), make([]float64, n)
		faMultilevel(fg, x, y, 20, 0, rand.New(rand.NewPCG(1, 1)))
		var s faSim
		s.reset(fg, x, y)
		s.run(5, 0)
		return float64(s.interactions) / float64(5*n)
	}
	a, b := perNode(5000), perNode(20000)
	t.Logf("repulsion terms per node and step: %.0f at 5,000 nodes, %.0f at 20,000", a, b)
	if a > 250 || b > 1.5*a {
		t.Errorf("repulsion terms per node: %.0f at 5,000 nodes, %.0f at 20,000", a, b)
	}
}

func benchLayout(b *testing.B, n, m, k int, budget time.Duration) {
	g := plantedGraph(b, n, m, k, 0.1, 1)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Layout(g, LayoutOptions{Seed: uint64(i)})
	}
	b.StopTimer()
	if per := b.Elapsed() / time.Duration(b.N); per > budget {
		b.Errorf("Layout of %d nodes, %d edges took %v, budget %v", n, m, per, budget)
	}
}

// BenchmarkLayout5000 is the web chart's worst case: 5,000 nodes and 20,000
// edges with community structure. It fails over its time budget.
func BenchmarkLayout5000(b *testing.B) { benchLayout(b, 5000, 20000, 25, time.Second) }
func BenchmarkLayout1000(b *testing.B) { benchLayout(b, 1000, 4000, 10, 200*time.Millisecond) }
func BenchmarkLayout200(b *testing.B)  { benchLayout(b, 200, 800, 6, 20*time.Millisecond) }

// BenchmarkLayoutExpand adds 48 nodes to a laid-out 1,000-node chart.
func BenchmarkLayoutExpand(b *testing.B) {
	g := plantedGraph(b, 1000, 4000, 10, 0.1, 1)
	p := Layout(g, LayoutOptions{})
	fixed := map[int32]Point{}
	for v, q := range p {
		fixed[int32(v)] = q
	}
	h, _ := layExpand(b, g, []int32{1, 2, 3}, 12, 1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Layout(h, LayoutOptions{Fixed: fixed})
	}
}
