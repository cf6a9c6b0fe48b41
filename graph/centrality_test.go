package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
)

// goldenRandom is testdata/golden_random.json, written by
// testdata/networkx_golden.py with networkx 2.8.8.
type goldenRandom struct {
	NetworkX string `json:"networkx"`
	Graphs   []struct {
		Name     string      `json:"name"`
		Directed bool        `json:"directed"`
		Weighted bool        `json:"weighted"`
		N        int         `json:"n"`
		Alpha    float64     `json:"alpha"`
		Edges    [][]float64 `json:"edges"` // u, v[, w]
		goldenMeasures
	} `json:"graphs"`
}

// goldenMeasures are networkx's values, indexed by node id (or keyed by label
// in golden_networks.json, through the type parameter of measuresOf).
type goldenMeasures struct {
	Degree         []float64 `json:"degree"`
	WeightedDegree []float64 `json:"weighted_degree"`
	Betweenness    []float64 `json:"betweenness"`
	BetweennessRaw []float64 `json:"betweenness_raw"`
	Closeness      []float64 `json:"closeness"`
	PageRank       []float64 `json:"pagerank"`
	Eigenvector    []float64 `json:"eigenvector"` // nil: networkx did not converge
	Core           []float64 `json:"core"`
	Clustering     []float64 `json:"clustering"`
}

func loadGoldenRandom(t testing.TB) goldenRandom {
	t.Helper()
	data, err := os.ReadFile("testdata/golden_random.json")
	if err != nil {
		t.Fatal(err)
	}
	var gr goldenRandom
	if err := json.Unmarshal(data, &gr); err != nil {
		t.Fatal(err)
	}
	if gr.NetworkX != "2.8.8" || len(gr.Graphs) == 0 {
		t.Fatalf("golden file from networkx %q with %d graphs", gr.NetworkX, len(gr.Graphs))
	}
	return gr
}

// near reports whether got agrees with want to 1e-9 relative, or 1e-12
// absolute for values that are zero up to rounding.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Abs(want)+1e-12
}

// compareMeasures checks every measure of g against networkx's values, given
// in g's node order.
func compareMeasures(t *testing.T, g *Graph, alpha float64, want goldenMeasures) {
	t.Helper()
	vec := func(name string, got, want []float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d values, want %d", name, len(got), len(want))
			return
		}
		bad := 0
		for v := range got {
			if !near(got[v], want[v]) {
				if bad < 3 {
					t.Errorf("%s[%s] = %.17g, networkx %.17g", name, g.Label(int32(v)), got[v], want[v])
				}
				bad++
			}
		}
		if bad > 3 {
			t.Errorf("%s: %d of %d values differ", name, bad, len(got))
		}
	}
	vec("degree", DegreeCentrality(g), want.Degree)
	vec("weighted degree", WeightedDegree(g), want.WeightedDegree)
	vec("betweenness", Betweenness(g, BetweennessOptions{Normalized: true}), want.Betweenness)
	vec("betweenness raw", Betweenness(g, BetweennessOptions{}), want.BetweennessRaw)
	vec("closeness", Closeness(g), want.Closeness)
	vec("pagerank", PageRank(g, alpha), want.PageRank)
	eig, err := Eigenvector(g)
	switch {
	case want.Eigenvector == nil && !errors.Is(err, ErrNotConverged):
		t.Errorf("eigenvector: networkx does not converge, got err %v", err)
	case want.Eigenvector != nil && err != nil:
		t.Errorf("eigenvector: %v", err)
	case want.Eigenvector != nil:
		vec("eigenvector", eig, want.Eigenvector)
	}
	core := CoreNumber(g)
	coref := make([]float64, len(core))
	for v, k := range core {
		coref[v] = float64(k)
	}
	vec("core number", coref, want.Core)
	vec("clustering", Clustering(g), want.Clustering)
}

func TestCentralityMatchesNetworkX(t *testing.T) {
	for _, tc := range loadGoldenRandom(t).Graphs {
		t.Run(tc.Name, func(t *testing.T) {
			b := NewBuilder(tc.Directed, tc.Weighted)
			for v := range tc.N {
				b.Node(strconv.Itoa(v))
			}
			for _, e := range tc.Edges {
				w := 1.0
				if tc.Weighted {
					w = e[2]
				}
				b.AddEdgeID(int32(e[0]), int32(e[1]), w)
			}
			g, err := b.Build()
			if err != nil {
				t.Fatal(err)
			}
			if g.N() != tc.N || g.M() != len(tc.Edges) {
				t.Fatalf("built N=%d M=%d, want %d %d", g.N(), g.M(), tc.N, len(tc.Edges))
			}
			compareMeasures(t, g, tc.Alpha, tc.goldenMeasures)
		})
	}
}

// The golden graphs with weights in tenths have paths whose lengths are equal
// on paper but not as float64 sums (0.1+0.2 != 0.3); networkx tells them apart
// and so must we. Make sure such near-ties actually occur in the test data.
func TestGoldenHasFloatNearTies(t *testing.T) {
	for _, tc := range loadGoldenRandom(t).Graphs {
		if tc.Name != "er_undirected_tenths" {
			continue
		}
		b := NewBuilder(false, true)
		for v := range tc.N {
			b.Node(strconv.Itoa(v))
		}
		for _, e := range tc.Edges {
			b.AddEdgeID(int32(e[0]), int32(e[1]), e[2])
		}
		g, _ := b.Build()
		// Count edges u→v whose path through u is within 1e-12 of v's
		// distance without being equal to it.
		near := 0
		for s := range int32(g.N()) {
			dist := dijkstraAll(g, s)
			for v := range int32(g.N()) {
				for i, u := range g.Out(v) {
					d := dist[v] + g.OutWeights(v)[i]
					if d != dist[u] && math.Abs(d-dist[u]) < 1e-12 {
						near++
					}
				}
			}
		}
		if near == 0 {
			t.Fatal("no float near-ties in er_undirected_tenths; the test data does not exercise exact comparison")
		}
		return
	}
	t.Fatal("er_undirected_tenths missing")
}

// dijkstraAll is a plain O(n²) Dijkstra, independent of the heap under test.
func dijkstraAll(g *Graph, s int32) []float64 {
	n := g.N()
	dist := make([]float64, n)
	done := make([]bool, n)
	for v := range dist {
		dist[v] = math.Inf(1)
	}
	dist[s] = 0
	for {
		v := int32(-1)
		for u := range int32(n) {
			if !done[u] && !math.IsInf(dist[u], 1) && (v < 0 || dist[u] < dist[v]) {
				v = u
			}
		}
		if v < 0 {
			return dist
		}
		done[v] = true
		for i, u := range g.Out(v) {
			dist[u] = min(dist[u], dist[v]+g.OutWeights(v)[i])
		}
	}
}

func TestBetweennessDeterministic(t *testing.T) {
	for _, weighted := range []bool{false, true} {
		g := benchGraph(t, 600, 2400, weighted)
		want := Betweenness(g, BetweennessOptions{Workers: 1})
		for _, w := range []int{0, 2, 3, 7, 64} {
			if got := Betweenness(g, BetweennessOptions{Workers: w}); !slices.Equal(got, want) {
				t.Fatalf("weighted=%v: Workers=%d differs from Workers=1", weighted, w)
			}
		}
	}
}

// The worker buffers are allocated once, not per source.
func TestBetweennessAllocations(t *testing.T) {
	for _, weighted := range []bool{false, true} {
		g := benchGraph(t, 400, 1600, weighted)
		allocs := testing.AllocsPerRun(3, func() { Betweenness(g, BetweennessOptions{Workers: 2}) })
		if allocs > 40 {
			t.Errorf("weighted=%v: %v allocations for 400 sources", weighted, allocs)
		}
	}
}

func TestPageRankAlpha(t *testing.T) {
	g := benchGraph(t, 50, 120, false)
	if !slices.Equal(PageRank(g, 0), PageRank(g, 0.85)) {
		t.Error("alpha 0 is not 0.85")
	}
	var sum float64
	for _, x := range PageRank(g, 0.5) {
		sum += x
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("PageRank sums to %v", sum)
	}
	for _, a := range []float64{1, -0.1, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("alpha %v accepted", a)
				}
			}()
			PageRank(g, a)
		}()
	}
}

func TestEmptyGraph(t *testing.T) {
	g, err := NewBuilder(true, true).Build()
	if err != nil {
		t.Fatal(err)
	}
	if e, err := Eigenvector(g); len(e) != 0 || err != nil {
		t.Fatal(e, err)
	}
	if len(Betweenness(g, BetweennessOptions{})) != 0 || len(Closeness(g)) != 0 || len(PageRank(g, 0)) != 0 ||
		len(CoreNumber(g)) != 0 || len(Clustering(g)) != 0 || len(DegreeCentrality(g)) != 0 {
		t.Fatal("non-empty result on the empty graph")
	}
}

// benchGraph is a seeded preferential-attachment graph: each new node links
// to four earlier nodes picked in proportion to degree, then uniform random
// edges are added until there are m. Weighted graphs get integer weights 1–5.
func benchGraph(tb testing.TB, n, m int, weighted bool) *Graph {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2026, uint64(n)))
	b := NewBuilder(false, weighted)
	for v := range n {
		b.Node(strconv.Itoa(v))
	}
	var ends []int32 // every edge's ends: picking from it is picking by degree
	add := func(u, v int32) {
		if b.AddEdgeID(u, v, float64(1+rng.IntN(5))) {
			ends = append(ends, u, v)
		}
	}
	const k = 4
	for u := range int32(k + 1) {
		for v := range u {
			add(u, v)
		}
	}
	for u := int32(k + 1); int(u) < n; u++ {
		picked := make(map[int32]bool, k)
		for len(picked) < k {
			v := ends[rng.IntN(len(ends))]
			if !picked[v] {
				picked[v] = true
				add(u, v)
			}
		}
	}
	for len(b.src) < m {
		u, v := int32(rng.IntN(n)), int32(rng.IntN(n))
		if u != v {
			key := uint64(uint32(min(u, v)))<<32 | uint64(uint32(max(u, v)))
			if _, dup := b.pairs[key]; !dup {
				add(u, v)
			}
		}
	}
	g, err := b.Build()
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// With RABTA_BENCH_GRAPH=path, writes the benchmark graph as "u v w" lines so
// that other tools (igraph, networkx) can be timed on the same graph.
func TestWriteBenchGraph(t *testing.T) {
	path := os.Getenv("RABTA_BENCH_GRAPH")
	if path == "" {
		t.Skip("set RABTA_BENCH_GRAPH to write the benchmark graph")
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	g := benchGraph(t, 5000, 20000, true)
	for e := range int32(g.M()) {
		u, v, w := g.Edge(e)
		fmt.Fprintf(f, "%d %d %g\n", u, v, w)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkBetweenness(b *testing.B) {
	g := benchGraph(b, 5000, 20000, false)
	for b.Loop() {
		Betweenness(g, BetweennessOptions{Normalized: true})
	}
}

func BenchmarkBetweennessOneWorker(b *testing.B) {
	g := benchGraph(b, 5000, 20000, false)
	for b.Loop() {
		Betweenness(g, BetweennessOptions{Normalized: true, Workers: 1})
	}
}

func BenchmarkBetweennessWeighted(b *testing.B) {
	g := benchGraph(b, 5000, 20000, true)
	for b.Loop() {
		Betweenness(g, BetweennessOptions{Normalized: true})
	}
}

func BenchmarkCloseness(b *testing.B) {
	g := benchGraph(b, 5000, 20000, false)
	for b.Loop() {
		Closeness(g)
	}
}

func BenchmarkPageRank(b *testing.B) {
	g := benchGraph(b, 5000, 20000, false)
	for b.Loop() {
		PageRank(g, 0.85)
	}
}

func BenchmarkEigenvector(b *testing.B) {
	g := benchGraph(b, 5000, 20000, false)
	for b.Loop() {
		if _, err := Eigenvector(g); err != nil {
			b.Fatal(err)
		}
	}
}
