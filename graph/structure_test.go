package graph

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
)

// goldenGraph is a graph as the testdata scripts write it: nodes 0..N-1 in
// networkx's order, edges as [u, v] or [u, v, weight].
type goldenGraph struct {
	N        int         `json:"n"`
	Directed bool        `json:"directed"`
	Weighted bool        `json:"weighted"`
	Edges    [][]float64 `json:"edges"`

	Components   [][]int32 `json:"components"`
	Articulation []int32   `json:"articulation_points"`
	Bridges      [][]int32 `json:"bridges"`
	Density      float64   `json:"density"`
}

// build adds nodes "0".."N-1" first so that node i has id i.
func (gg goldenGraph) build(t testing.TB) *Graph {
	t.Helper()
	b := NewBuilder(gg.Directed, gg.Weighted)
	for i := 0; i < gg.N; i++ {
		b.Node(strconv.Itoa(i))
	}
	for _, e := range gg.Edges {
		w := 1.0
		if len(e) > 2 {
			w = e[2]
		}
		b.AddEdgeID(int32(e[0]), int32(e[1]), w)
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

type structureGolden struct {
	Graphs map[string]goldenGraph `json:"graphs"`
	Paths  []struct {
		Graph string    `json:"graph"`
		S     int32     `json:"s"`
		T     int32     `json:"t"`
		Paths [][]int32 `json:"paths"`
		Dist  *float64  `json:"dist"`
	} `json:"paths"`
}

func readGoldenJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func loadStructureGolden(t testing.TB) structureGolden {
	var gold structureGolden
	readGoldenJSON(t, "testdata/structure_golden.json", &gold)
	if len(gold.Graphs) == 0 {
		t.Fatal("no graphs in structure_golden.json")
	}
	return gold
}

// pairGraph builds an unweighted graph from "a-b" pairs of one-letter
// labels; a lone label adds an isolated node.
func pairGraph(directed bool, pairs ...string) *Graph {
	b := NewBuilder(directed, false)
	for _, p := range pairs {
		if len(p) == 1 {
			b.Node(p)
			continue
		}
		b.AddEdge(p[:1], p[2:], 1)
	}
	g, err := b.Build()
	if err != nil {
		panic(err)
	}
	return g
}

// memberLists turns a membership into sorted member lists, sorted.
func memberLists(memb []int32) [][]int32 {
	k := int32(0)
	for _, c := range memb {
		k = max(k, c+1)
	}
	out := make([][]int32, k)
	for v, c := range memb {
		out[c] = append(out[c], int32(v))
	}
	slices.SortFunc(out, slices.Compare)
	return out
}

func TestComponentsGolden(t *testing.T) {
	gold := loadStructureGolden(t)
	for name, gg := range gold.Graphs {
		g := gg.build(t)
		memb, sizes := Components(g)
		got := memberLists(memb)
		if !slices.EqualFunc(got, gg.Components, slices.Equal) {
			t.Errorf("%s: components %v, networkx %v", name, got, gg.Components)
		}
		// Numbered by lowest member: first appearances are 0, 1, 2, …
		next := int32(0)
		for _, c := range memb {
			if c > next {
				t.Fatalf("%s: component %d appears before %d", name, c, next)
			}
			if c == next {
				next++
			}
		}
		count := make([]int, len(sizes))
		for _, c := range memb {
			count[c]++
		}
		if !slices.Equal(count, sizes) {
			t.Errorf("%s: sizes %v, counted %v", name, sizes, count)
		}
		largest := slices.Max(append(sizes, 0))
		if LargestComponent(g) != largest {
			t.Errorf("%s: LargestComponent %d, want %d", name, LargestComponent(g), largest)
		}
		if d := Density(g); d != gg.Density {
			t.Errorf("%s: density %v, networkx %v", name, d, gg.Density)
		}
	}
}

func TestComponentsSmall(t *testing.T) {
	empty, _ := NewBuilder(false, false).Build()
	if m, s := Components(empty); len(m) != 0 || len(s) != 0 || LargestComponent(empty) != 0 || Density(empty) != 0 {
		t.Fatalf("empty: %v %v", m, s)
	}
	// c is isolated and seen between the two parts; e→d is directed but
	// weakly connects d to e.
	g := pairGraph(true, "a-b", "c", "e-d", "b-a", "f-d")
	m, s := Components(g)
	if !slices.Equal(m, []int32{0, 0, 1, 2, 2, 2}) || !slices.Equal(s, []int{2, 1, 3}) {
		t.Fatalf("membership %v sizes %v", m, s)
	}
	if LargestComponent(g) != 3 {
		t.Fatal(LargestComponent(g))
	}
	// 4 directed edges (a→b, b→a, e→d, f→d) over 6·5 ordered pairs.
	if d := Density(g); d != 4.0/30 {
		t.Fatal(d)
	}
	if d := Density(pairGraph(false, "a-b", "b-c", "c")); d != 2.0/3 {
		t.Fatal(d)
	}
}

// bridgePairs turns bridge edge ids into sorted end pairs.
func bridgePairs(g *Graph, ids []int32) [][]int32 {
	var out [][]int32
	for _, e := range ids {
		u, v, _ := g.Edge(e)
		out = append(out, []int32{min(u, v), max(u, v)})
	}
	slices.SortFunc(out, slices.Compare)
	return slices.CompactFunc(out, slices.Equal)
}

func TestCutsGolden(t *testing.T) {
	gold := loadStructureGolden(t)
	for name, gg := range gold.Graphs {
		g := gg.build(t)
		if got := ArticulationPoints(g); !slices.Equal(got, gg.Articulation) {
			t.Errorf("%s: articulation points %v, networkx %v", name, got, gg.Articulation)
		}
		br := Bridges(g)
		if !slices.IsSorted(br) {
			t.Errorf("%s: bridges not sorted: %v", name, br)
		}
		if got := bridgePairs(g, br); !slices.EqualFunc(got, gg.Bridges, slices.Equal) && len(got)+len(gg.Bridges) > 0 {
			t.Errorf("%s: bridges %v, networkx %v", name, got, gg.Bridges)
		}
	}
}

func TestCutsSmall(t *testing.T) {
	// Path a-b-c-d: the inner nodes are cut points, every edge a bridge.
	g := pairGraph(false, "a-b", "b-c", "c-d")
	if got := ArticulationPoints(g); !slices.Equal(got, []int32{1, 2}) {
		t.Fatal(got)
	}
	if got := Bridges(g); !slices.Equal(got, []int32{0, 1, 2}) {
		t.Fatal(got)
	}
	// Two triangles sharing c, plus isolated x: only c cuts, no bridge.
	g = pairGraph(false, "a-b", "b-c", "c-a", "c-d", "d-e", "e-c", "x")
	if got := ArticulationPoints(g); !slices.Equal(got, []int32{2}) {
		t.Fatal(got)
	}
	if got := Bridges(g); len(got) != 0 {
		t.Fatal(got)
	}
	// Directed: a→b, b→a and b→c. On the undirected view b is a cut point
	// and both links are bridges; the a–b link has two edges (ids 0 and 1).
	g = pairGraph(true, "a-b", "b-a", "b-c")
	if got := ArticulationPoints(g); !slices.Equal(got, []int32{1}) {
		t.Fatal(got)
	}
	if got := Bridges(g); !slices.Equal(got, []int32{0, 1, 2}) {
		t.Fatal(got)
	}
	// A directed cycle a→b→c→a has no cut on the undirected view.
	g = pairGraph(true, "a-b", "b-c", "c-a")
	if len(ArticulationPoints(g)) != 0 || len(Bridges(g)) != 0 {
		t.Fatal("cycle has cuts")
	}
	empty, _ := NewBuilder(true, false).Build()
	if ArticulationPoints(empty) == nil || len(Bridges(empty)) != 0 {
		t.Fatal("empty graph")
	}
}

// TestCutsBruteForce checks cut points and bridges against their
// definition — removing them raises the number of components — on random
// sparse graphs, directed and undirected.
func TestCutsBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		directed := trial%2 == 1
		n := 2 + rng.IntN(14)
		b := NewBuilder(directed, false)
		for i := 0; i < n; i++ {
			b.Node(strconv.Itoa(i))
		}
		for e := rng.IntN(2 * n); e > 0; e-- {
			b.AddEdgeID(int32(rng.IntN(n)), int32(rng.IntN(n)), 1)
		}
		g, _ := b.Build()
		_, sizes := Components(g)
		base := len(sizes)
		var wantArt []int32
		for v := 0; v < n; v++ {
			removed := make([]bool, n)
			removed[v] = true
			h, _ := g.Induced(removed)
			if _, s := Components(h); len(s) > base {
				wantArt = append(wantArt, int32(v))
			}
		}
		if got := ArticulationPoints(g); !slices.Equal(got, wantArt) && len(got)+len(wantArt) > 0 {
			t.Fatalf("trial %d: articulation %v, want %v", trial, got, wantArt)
		}
		// A bridge: removing its link (both directions) splits a component.
		var wantBr []int32
		for e := int32(0); e < int32(g.M()); e++ {
			u, v, _ := g.Edge(e)
			nb := NewBuilder(directed, false)
			for i := 0; i < n; i++ {
				nb.Node(strconv.Itoa(i))
			}
			for f := int32(0); f < int32(g.M()); f++ {
				a, c, _ := g.Edge(f)
				if (a == u && c == v) || (a == v && c == u) {
					continue
				}
				nb.AddEdgeID(a, c, 1)
			}
			h, _ := nb.Build()
			if _, s := Components(h); len(s) > base {
				wantBr = append(wantBr, e)
			}
		}
		if got := Bridges(g); !slices.Equal(got, wantBr) && len(got)+len(wantBr) > 0 {
			t.Fatalf("trial %d: bridges %v, want %v", trial, got, wantBr)
		}
	}
}

// TestCutsLongPath runs the search down a path of a million nodes, which a
// recursive search would need a million frames for.
func TestCutsLongPath(t *testing.T) {
	if testing.Short() {
		t.Skip("long path")
	}
	const n = 1_000_000
	b := NewBuilder(false, false)
	for i := 0; i < n; i++ {
		b.Node(strconv.Itoa(i))
	}
	for i := int32(1); i < n; i++ {
		b.AddEdgeID(i-1, i, 1)
	}
	g, _ := b.Build()
	if a := ArticulationPoints(g); len(a) != n-2 || a[0] != 1 || a[len(a)-1] != n-2 {
		t.Fatalf("%d articulation points", len(a))
	}
	if br := Bridges(g); len(br) != n-1 {
		t.Fatalf("%d bridges", len(br))
	}
	if LargestComponent(g) != n {
		t.Fatal(LargestComponent(g))
	}
}

func BenchmarkComponents(b *testing.B) {
	g := plantedGraph(b, 5000, 20000, 50, 0.2, 1)
	b.ResetTimer()
	for b.Loop() {
		Components(g)
	}
}

func BenchmarkArticulationPoints(b *testing.B) {
	g := plantedGraph(b, 5000, 20000, 50, 0.2, 1)
	b.ResetTimer()
	for b.Loop() {
		ArticulationPoints(g)
	}
}
