package graph

// NodeMeasure names a per-node measure, for the command line and the API.
type NodeMeasure struct {
	Name string
	// Distance reports whether the measure reads weights as distances
	// (paths); otherwise they are strengths.
	Distance bool
	Compute  func(*Graph) ([]float64, error)
}

// NodeMeasures are the measures offered by name, in the order they are
// listed: the five centralities first.
var NodeMeasures = []NodeMeasure{
	{"degree", false, func(g *Graph) ([]float64, error) { return DegreeCentrality(g), nil }},
	{"betweenness", true, func(g *Graph) ([]float64, error) {
		return Betweenness(g, BetweennessOptions{Normalized: true}), nil
	}},
	{"closeness", true, func(g *Graph) ([]float64, error) { return Closeness(g), nil }},
	{"pagerank", false, func(g *Graph) ([]float64, error) { return PageRank(g, 0.85), nil }},
	{"eigenvector", false, Eigenvector},
	{"strength", false, func(g *Graph) ([]float64, error) { return WeightedDegree(g), nil }},
	{"kcore", false, func(g *Graph) ([]float64, error) {
		cores := CoreNumber(g)
		out := make([]float64, len(cores))
		for i, c := range cores {
			out[i] = float64(c)
		}
		return out, nil
	}},
	{"clustering", false, func(g *Graph) ([]float64, error) { return Clustering(g), nil }},
}

// Centralities are the measures a disruption can remove by.
var Centralities = []string{"betweenness", "degree", "closeness", "pagerank", "eigenvector"}

// MeasureByName finds a node measure.
func MeasureByName(name string) (NodeMeasure, bool) {
	for _, m := range NodeMeasures {
		if m.Name == name {
			return m, true
		}
	}
	return NodeMeasure{}, false
}

// MeasureNames lists the node measures' names.
func MeasureNames() []string {
	out := make([]string, len(NodeMeasures))
	for i, m := range NodeMeasures {
		out[i] = m.Name
	}
	return out
}

// DisruptBy runs Disrupt with a named measure. A measure that fails on one
// of the shrinking networks (eigenvector centrality may not converge)
// stops the simulation with its error.
func DisruptBy(g *Graph, name string, opt DisruptOptions) (DisruptResult, error) {
	m, ok := MeasureByName(name)
	if !ok {
		return DisruptResult{}, errUnknownMeasure(name)
	}
	var failed error
	res := Disrupt(g, func(h *Graph) []float64 {
		vals, err := m.Compute(h)
		if err != nil {
			failed = err
			return make([]float64, h.N())
		}
		return vals
	}, opt)
	if failed != nil {
		return DisruptResult{}, failed
	}
	return res, nil
}

type errUnknownMeasure string

func (e errUnknownMeasure) Error() string { return "unknown measure " + string(e) }
