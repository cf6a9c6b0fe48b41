package graph

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// The published networks are not in the repository (no licence to
// redistribute them); these tests read them from the shared data folder and
// compare with testdata/golden_networks.json, which holds only networkx's
// values by node label and the recipe each graph was built with.
const networksDir = "../../shared/data/networks"

type goldenNetwork struct {
	Name     string  `json:"name"`
	File     string  `json:"file"`
	Format   string  `json:"format"` // "edgelist" or "matrix"
	Mode     string  `json:"mode"`   // matrix: "binary", "sum" or "directed"
	Recipe   string  `json:"recipe"`
	Directed bool    `json:"directed"`
	Weighted bool    `json:"weighted"`
	Alpha    float64 `json:"alpha"`
	N        int     `json:"n"`
	M        int     `json:"m"`

	Degree         map[string]float64 `json:"degree"`
	WeightedDegree map[string]float64 `json:"weighted_degree"`
	Betweenness    map[string]float64 `json:"betweenness"`
	BetweennessRaw map[string]float64 `json:"betweenness_raw"`
	Closeness      map[string]float64 `json:"closeness"`
	PageRank       map[string]float64 `json:"pagerank"`
	Eigenvector    map[string]float64 `json:"eigenvector"`
	Core           map[string]float64 `json:"core"`
	Clustering     map[string]float64 `json:"clustering"`
}

// loadNetwork builds the network as the golden file's recipe says, or skips.
func loadNetwork(t *testing.T, net goldenNetwork) *Graph {
	t.Helper()
	path := filepath.Join(networksDir, net.File)
	if _, err := os.Stat(path); err != nil {
		t.Skipf("SKIPPING: %s not found", path)
	}
	var g *Graph
	var err error
	if net.Format == "edgelist" {
		g, err = readEdgeListCSV(path)
	} else {
		g, err = readMatrixCSV(path, net.Mode)
	}
	if err != nil {
		t.Fatal(err)
	}
	if g.N() != net.N || g.M() != net.M || g.Directed() != net.Directed || g.Weighted() != net.Weighted {
		t.Fatalf("%s: built N=%d M=%d directed=%v weighted=%v; networkx had N=%d M=%d directed=%v weighted=%v",
			net.Name, g.N(), g.M(), g.Directed(), g.Weighted(), net.N, net.M, net.Directed, net.Weighted)
	}
	return g
}

func readCSV(path string) ([][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	return csv.NewReader(bytes.NewReader(data)).ReadAll()
}

// readEdgeListCSV reads an undirected, unweighted "source,target" edge list.
func readEdgeListCSV(path string) (*Graph, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 || !slices.Equal(rows[0], []string{"source", "target"}) {
		return nil, fmt.Errorf("%s: header is not source,target", path)
	}
	b := NewBuilder(false, false)
	for _, r := range rows[1:] {
		b.AddEdge(r[0], r[1], 1)
	}
	return b.Build()
}

// readMatrixCSV reads an adjacency matrix whose first row and column are
// labels. mode "binary": undirected, an edge where a_ij or a_ji is non-zero;
// "sum": undirected, weight a_ij + a_ji; "directed": arc i→j of weight a_ij.
// The diagonal is dropped.
func readMatrixCSV(path, mode string) (*Graph, error) {
	rows, err := readCSV(path)
	if err != nil {
		return nil, err
	}
	labels := rows[0][1:]
	n := len(labels)
	if len(rows) != n+1 {
		return nil, fmt.Errorf("%s: %d labels but %d rows", path, n, len(rows)-1)
	}
	a := make([][]float64, n)
	for i, r := range rows[1:] {
		if r[0] != labels[i] || len(r) != n+1 {
			return nil, fmt.Errorf("%s: row %d is %q with %d cells", path, i+1, r[0], len(r))
		}
		a[i] = make([]float64, n)
		for j, cell := range r[1:] {
			if a[i][j], err = strconv.ParseFloat(cell, 64); err != nil {
				return nil, fmt.Errorf("%s: row %d column %d: %v", path, i+1, j+1, err)
			}
		}
	}
	b := NewBuilder(mode == "directed", mode != "binary")
	for _, l := range labels {
		b.Node(l)
	}
	for i := range n {
		for j := range n {
			switch {
			case i == j:
			case mode == "directed":
				if a[i][j] != 0 {
					b.AddEdgeID(int32(i), int32(j), a[i][j])
				}
			case i < j && (a[i][j] != 0 || a[j][i] != 0):
				b.AddEdgeID(int32(i), int32(j), a[i][j]+a[j][i])
			}
		}
	}
	return b.Build()
}

func loadGoldenNetworks(t *testing.T) []goldenNetwork {
	t.Helper()
	data, err := os.ReadFile("testdata/golden_networks.json")
	if err != nil {
		t.Fatal(err)
	}
	var gn struct {
		NetworkX string          `json:"networkx"`
		Networks []goldenNetwork `json:"networks"`
	}
	if err := json.Unmarshal(data, &gn); err != nil {
		t.Fatal(err)
	}
	if gn.NetworkX != "2.8.8" || len(gn.Networks) == 0 {
		t.Fatalf("golden file from networkx %q with %d networks", gn.NetworkX, len(gn.Networks))
	}
	return gn.Networks
}

// byNode puts values keyed by label in g's node order.
func byNode(t *testing.T, g *Graph, m map[string]float64) []float64 {
	t.Helper()
	if m == nil {
		return nil
	}
	if len(m) != g.N() {
		t.Fatalf("%d golden values for %d nodes", len(m), g.N())
	}
	out := make([]float64, g.N())
	for l, x := range m {
		v, ok := g.ID(l)
		if !ok {
			t.Fatalf("golden node %q not in the graph", l)
		}
		out[v] = x
	}
	return out
}

func TestNetworksMatchNetworkX(t *testing.T) {
	for _, net := range loadGoldenNetworks(t) {
		t.Run(net.Name, func(t *testing.T) {
			g := loadNetwork(t, net)
			compareMeasures(t, g, net.Alpha, goldenMeasures{
				Degree:         byNode(t, g, net.Degree),
				WeightedDegree: byNode(t, g, net.WeightedDegree),
				Betweenness:    byNode(t, g, net.Betweenness),
				BetweennessRaw: byNode(t, g, net.BetweennessRaw),
				Closeness:      byNode(t, g, net.Closeness),
				PageRank:       byNode(t, g, net.PageRank),
				Eigenvector:    byNode(t, g, net.Eigenvector),
				Core:           byNode(t, g, net.Core),
				Clustering:     byNode(t, g, net.Clustering),
			})
		})
	}
}

func findNetwork(t *testing.T, name string) (*Graph, goldenNetwork) {
	t.Helper()
	for _, net := range loadGoldenNetworks(t) {
		if net.Name == name {
			return loadNetwork(t, net), net
		}
	}
	t.Fatalf("%s not in golden_networks.json", name)
	return nil, goldenNetwork{}
}

// Krebs (2002) reports these for the 9/11 network; they pin the normalisation.
func TestKrebsPublishedValues(t *testing.T) {
	g, _ := findNetwork(t, "krebs62")
	atta, ok := g.ID("Mohamed Atta")
	if !ok {
		t.Fatal("Mohamed Atta missing")
	}
	if b := Betweenness(g, BetweennessOptions{Normalized: true})[atta]; math.Round(b*1000) != 588 {
		t.Errorf("Atta's normalised betweenness %.4f, want 0.588", b)
	}
	var sum float64
	for _, c := range Closeness(g) {
		sum += c
	}
	if mean := sum / float64(g.N()); math.Round(mean*1000) != 352 {
		t.Errorf("mean closeness %.4f, want 0.352", mean)
	}
}

// Morselli (2009): in CAVIAR the trafficker N1 is the top broker, N12 next.
func TestCaviarBrokers(t *testing.T) {
	g, _ := findNetwork(t, "caviar")
	bc := Betweenness(g, BetweennessOptions{Normalized: true})
	ids := make([]int32, g.N())
	for v := range ids {
		ids[v] = int32(v)
	}
	slices.SortStableFunc(ids, func(a, b int32) int {
		if bc[a] != bc[b] {
			if bc[a] > bc[b] {
				return -1
			}
			return 1
		}
		return 0
	})
	if top := []string{g.Label(ids[0]), g.Label(ids[1])}; !slices.Equal(top, []string{"1", "12"}) {
		t.Errorf("top brokers by betweenness %q, want N1 then N12", top)
	}
}
