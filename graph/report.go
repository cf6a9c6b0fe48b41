package graph

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Ranked is a node and its value under a measure.
type Ranked struct {
	Node  string  `json:"node"`
	Value float64 `json:"value"`
}

// Report is an analysis of a whole network, as `rabta graph metrics` and
// the platform's analysis API give it. Its JSON is a contract.
type Report struct {
	Nodes            int                 `json:"nodes"`
	Edges            int                 `json:"edges"`
	Directed         bool                `json:"directed"`
	Weighted         bool                `json:"weighted"`
	Components       int                 `json:"components"`
	LargestComponent int                 `json:"largest_component"`
	Density          float64             `json:"density"`
	Communities      *int                `json:"communities,omitempty"`
	Modularity       *float64            `json:"modularity,omitempty"`
	Top              map[string][]Ranked `json:"top"`
	Articulation     []string            `json:"articulation_points,omitempty"`
	Bridges          [][2]string         `json:"bridges,omitempty"`
	Errors           map[string]string   `json:"errors,omitempty"`
	TimingsMS        map[string]float64  `json:"timings_ms"`

	// Values holds every computed measure for every node (by node id), and
	// Membership each node's community, for callers that show them all.
	Values     map[string][]float64 `json:"-"`
	Membership []int32              `json:"-"`
}

// ReportOptions choose what Analyse computes.
type ReportOptions struct {
	// Measures: names of NodeMeasures, "communities" and "cuts"
	// (articulation points and bridges). Empty = DefaultReport.
	Measures   []string
	Top        int // nodes listed per measure; 0 = 10
	Resolution float64
	Seed       uint64
	Iterations int // Leiden iterations; 0 = until nothing changes
}

// DefaultReport is what Analyse computes when no measures are named.
var DefaultReport = []string{"degree", "betweenness", "closeness", "pagerank", "eigenvector", "communities"}

// ReportItems lists every name ReportOptions.Measures accepts.
func ReportItems() []string { return append(MeasureNames(), "communities", "cuts") }

// CheckReportItems validates measure names, naming the first unknown one.
func CheckReportItems(names []string) error {
	for _, n := range names {
		if !slices.Contains(ReportItems(), n) {
			return fmt.Errorf("%q is not a measure (want some of %s)", n, strings.Join(ReportItems(), ", "))
		}
	}
	return nil
}

// Analyse computes the report. A measure that fails (eigenvector
// centrality that does not converge) is reported in Errors; the rest stand.
func Analyse(g *Graph, opt ReportOptions) (*Report, error) {
	want := opt.Measures
	if len(want) == 0 {
		want = DefaultReport
	}
	if err := CheckReportItems(want); err != nil {
		return nil, err
	}
	if opt.Top <= 0 {
		opt.Top = 10
	}
	if opt.Resolution == 0 {
		opt.Resolution = 1
	}
	r := &Report{Nodes: g.N(), Edges: g.M(), Directed: g.Directed(), Weighted: g.Weighted(),
		Top: map[string][]Ranked{}, TimingsMS: map[string]float64{}, Values: map[string][]float64{}}
	timed := func(name string, fn func()) {
		start := time.Now()
		fn()
		r.TimingsMS[name] = float64(time.Since(start).Microseconds()) / 1000
	}
	timed("components", func() {
		_, sizes := Components(g)
		r.Components = len(sizes)
		r.LargestComponent = LargestComponent(g)
		r.Density = Density(g)
	})
	done := map[string]bool{}
	for _, name := range want {
		if done[name] {
			continue
		}
		done[name] = true
		switch name {
		case "communities":
			timed(name, func() {
				r.Membership = Leiden(g, CommunityOptions{Resolution: opt.Resolution, Seed: opt.Seed, Iterations: opt.Iterations})
				k := 0
				for _, c := range r.Membership {
					k = max(k, int(c)+1)
				}
				q := Modularity(g, r.Membership, opt.Resolution)
				r.Communities, r.Modularity = &k, &q
			})
		case "cuts":
			timed(name, func() {
				r.Articulation = []string{}
				for _, v := range ArticulationPoints(g) {
					r.Articulation = append(r.Articulation, g.Label(v))
				}
				r.Bridges = [][2]string{}
				for _, e := range Bridges(g) {
					u, v, _ := g.Edge(e)
					r.Bridges = append(r.Bridges, [2]string{g.Label(u), g.Label(v)})
				}
			})
		default:
			m, _ := MeasureByName(name)
			var vals []float64
			var err error
			timed(name, func() { vals, err = m.Compute(g) })
			if err != nil {
				if r.Errors == nil {
					r.Errors = map[string]string{}
				}
				r.Errors[name] = err.Error()
				continue
			}
			r.Values[name] = vals
			top := []Ranked{}
			for _, v := range TopK(vals, opt.Top) {
				top = append(top, Ranked{g.Label(v), vals[v]})
			}
			r.Top[name] = top
		}
	}
	return r, nil
}
