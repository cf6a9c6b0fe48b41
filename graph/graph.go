// Package graph is Rabta's network-analysis engine: a compact, immutable graph
// in compressed sparse row (CSR) form and the measures analysts ask of it —
// centrality, components, cut points, communities, paths, neighbourhoods and
// disruption simulation.
//
// Nodes are dense int32 ids 0..N-1 in the order they were first seen by the
// Builder; each keeps its label as given. Wherever a result must be ordered
// and values tie, the lower node id (the node seen first) comes first, so
// every answer is deterministic.
//
// Weights mean different things to different measures, as in networkx: for
// paths, betweenness and closeness a weight is a distance (a cost to cross the
// link); for degree, PageRank and eigenvector it is a strength. A graph built
// without weights has weight 1 on every edge and Weighted() false.
package graph

import (
	"fmt"
	"math"
	"sort"
)

// Graph is an immutable graph in CSR form. For an undirected graph every edge
// appears in the adjacency of both its ends; for a directed graph Out lists
// successors and In predecessors. Adjacency lists are sorted by node id.
type Graph struct {
	directed bool
	weighted bool
	labels   []string
	index    map[string]int32

	off []int64   // out (or undirected) offsets, len N+1
	adj []int32   // neighbour ids
	w   []float64 // weight per adj entry, parallel to adj
	eid []int32   // edge id per adj entry: both directions of an undirected edge share one

	inOff []int64 // directed only: in-adjacency
	inAdj []int32
	inW   []float64

	src, dst []int32 // edge id → ends (src < dst for undirected)
	ew       []float64
}

// N is the number of nodes.
func (g *Graph) N() int { return len(g.labels) }

// M is the number of edges (an undirected edge counts once).
func (g *Graph) M() int { return len(g.src) }

// Directed reports whether edges have a direction.
func (g *Graph) Directed() bool { return g.directed }

// Weighted reports whether the graph was built with weights that measures
// should use.
func (g *Graph) Weighted() bool { return g.weighted }

// Label is node v's label as given.
func (g *Graph) Label(v int32) string { return g.labels[v] }

// Labels returns all labels indexed by node id. The caller must not modify it.
func (g *Graph) Labels() []string { return g.labels }

// ID returns the node with the given label.
func (g *Graph) ID(label string) (int32, bool) {
	v, ok := g.index[label]
	return v, ok
}

// Out returns v's successors (all neighbours when undirected), sorted by id.
// The caller must not modify the slice.
func (g *Graph) Out(v int32) []int32 { return g.adj[g.off[v]:g.off[v+1]] }

// OutWeights is parallel to Out(v).
func (g *Graph) OutWeights(v int32) []float64 { return g.w[g.off[v]:g.off[v+1]] }

// OutEdges is parallel to Out(v) and gives each entry's edge id.
func (g *Graph) OutEdges(v int32) []int32 { return g.eid[g.off[v]:g.off[v+1]] }

// In returns v's predecessors (all neighbours when undirected).
func (g *Graph) In(v int32) []int32 {
	if !g.directed {
		return g.Out(v)
	}
	return g.inAdj[g.inOff[v]:g.inOff[v+1]]
}

// InWeights is parallel to In(v).
func (g *Graph) InWeights(v int32) []float64 {
	if !g.directed {
		return g.OutWeights(v)
	}
	return g.inW[g.inOff[v]:g.inOff[v+1]]
}

// Edge returns edge e's ends and weight. For an undirected graph u < v.
func (g *Graph) Edge(e int32) (u, v int32, w float64) { return g.src[e], g.dst[e], g.ew[e] }

// Degree is the number of v's neighbours (out plus in when directed, as
// networkx counts it).
func (g *Graph) Degree(v int32) int {
	d := int(g.off[v+1] - g.off[v])
	if g.directed {
		d += int(g.inOff[v+1] - g.inOff[v])
	}
	return d
}

// Builder collects nodes and edges and builds a Graph. Adding the same pair
// twice keeps the last weight (for an undirected graph, u–v and v–u are the
// same pair). Self-loops are dropped and counted, because none of the measures
// analysts use on criminal networks gives them a meaning.
type Builder struct {
	directed bool
	weighted bool
	labels   []string
	index    map[string]int32
	pairs    map[uint64]int32 // (u,v) → position in src/dst/w
	src, dst []int32
	w        []float64
	loops    int
}

// NewBuilder starts an empty graph.
func NewBuilder(directed, weighted bool) *Builder {
	return &Builder{directed: directed, weighted: weighted, index: map[string]int32{}, pairs: map[uint64]int32{}}
}

// Node returns the id of the node with this label, adding it if new.
func (b *Builder) Node(label string) int32 {
	if v, ok := b.index[label]; ok {
		return v
	}
	v := int32(len(b.labels))
	b.labels = append(b.labels, label)
	b.index[label] = v
	return v
}

// AddEdge adds an edge between the labelled nodes (adding them if new) with
// weight w; w is ignored unless the builder is weighted. It returns false for a
// self-loop, which is dropped (its node is still added).
func (b *Builder) AddEdge(from, to string, w float64) bool {
	return b.AddEdgeID(b.Node(from), b.Node(to), w)
}

// AddEdgeID is AddEdge for nodes already added.
func (b *Builder) AddEdgeID(u, v int32, w float64) bool {
	if u == v {
		b.loops++
		return false
	}
	if !b.weighted {
		w = 1
	}
	if !b.directed && u > v {
		u, v = v, u
	}
	key := uint64(uint32(u))<<32 | uint64(uint32(v))
	if i, ok := b.pairs[key]; ok {
		b.w[i] = w
		return true
	}
	b.pairs[key] = int32(len(b.src))
	b.src = append(b.src, u)
	b.dst = append(b.dst, v)
	b.w = append(b.w, w)
	return true
}

// SelfLoops is the number of self-loops dropped so far.
func (b *Builder) SelfLoops() int { return b.loops }

// Build returns the graph. Edge ids follow the order pairs were first added.
// It fails on a weight that is not a finite number greater than zero, since
// no measure can use one.
func (b *Builder) Build() (*Graph, error) {
	for i, w := range b.w {
		if !(w > 0) || math.IsInf(w, 0) {
			return nil, fmt.Errorf("graph: edge %q–%q has weight %v; weights must be finite and greater than zero",
				b.labels[b.src[i]], b.labels[b.dst[i]], w)
		}
	}
	g := &Graph{
		directed: b.directed, weighted: b.weighted,
		labels: b.labels, index: b.index,
		src: b.src, dst: b.dst, ew: b.w,
	}
	n := len(b.labels)
	m := len(b.src)
	ids := make([]int32, m)
	for i := range ids {
		ids[i] = int32(i)
	}
	if b.directed {
		g.off, g.adj, g.w, g.eid = csr(n, b.src, b.dst, b.w, ids)
		g.inOff, g.inAdj, g.inW, _ = csr(n, b.dst, b.src, b.w, ids)
	} else {
		from := make([]int32, 0, 2*m)
		to := make([]int32, 0, 2*m)
		w := make([]float64, 0, 2*m)
		e := make([]int32, 0, 2*m)
		from = append(append(from, b.src...), b.dst...)
		to = append(append(to, b.dst...), b.src...)
		w = append(append(w, b.w...), b.w...)
		e = append(append(e, ids...), ids...)
		g.off, g.adj, g.w, g.eid = csr(n, from, to, w, e)
	}
	return g, nil
}

// csr sorts the arcs from→to into compressed sparse rows with each row's
// neighbours in increasing id order.
func csr(n int, from, to []int32, w []float64, eid []int32) ([]int64, []int32, []float64, []int32) {
	off := make([]int64, n+1)
	for _, u := range from {
		off[u+1]++
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
	}
	next := make([]int64, n)
	copy(next, off[:n])
	adj := make([]int32, len(from))
	ws := make([]float64, len(from))
	es := make([]int32, len(from))
	for i, u := range from {
		p := next[u]
		next[u]++
		adj[p], ws[p], es[p] = to[i], w[i], eid[i]
	}
	for u := 0; u < n; u++ {
		lo, hi := off[u], off[u+1]
		if hi-lo > 1 {
			sort.Sort(row{adj[lo:hi], ws[lo:hi], es[lo:hi]})
		}
	}
	return off, adj, ws, es
}

type row struct {
	adj []int32
	w   []float64
	e   []int32
}

func (r row) Len() int           { return len(r.adj) }
func (r row) Less(i, j int) bool { return r.adj[i] < r.adj[j] }
func (r row) Swap(i, j int) {
	r.adj[i], r.adj[j] = r.adj[j], r.adj[i]
	r.w[i], r.w[j] = r.w[j], r.w[i]
	r.e[i], r.e[j] = r.e[j], r.e[i]
}

// Induced returns the subgraph without the removed nodes (removed[v] true),
// and for each of its nodes the id it had in g. Labels, direction and weights
// are kept. Disruption simulation recomputes measures on it.
func (g *Graph) Induced(removed []bool) (*Graph, []int32) {
	b := NewBuilder(g.directed, g.weighted)
	orig := make([]int32, 0, g.N())
	newID := make([]int32, g.N())
	for v := int32(0); v < int32(g.N()); v++ {
		if removed[v] {
			newID[v] = -1
			continue
		}
		newID[v] = b.Node(g.labels[v])
		orig = append(orig, v)
	}
	for e := range g.src {
		u, v := g.src[e], g.dst[e]
		if newID[u] >= 0 && newID[v] >= 0 {
			b.AddEdgeID(newID[u], newID[v], g.ew[e])
		}
	}
	h, _ := b.Build() // weights were valid in g
	return h, orig
}
