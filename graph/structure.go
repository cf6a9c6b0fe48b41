package graph

import "slices"

// Components returns the connected components (weakly connected when the
// graph is directed): membership[v] is v's component, and sizes[c] the number
// of nodes in component c. Components are numbered 0.. in order of their
// lowest node id, so component 0 always holds node 0. An isolated node is a
// component of its own.
func Components(g *Graph) (membership []int32, sizes []int) {
	n := g.N()
	membership = make([]int32, n)
	for i := range membership {
		membership[i] = -1
	}
	queue := make([]int32, 0, 64)
	for s := int32(0); s < int32(n); s++ {
		if membership[s] >= 0 {
			continue
		}
		c := int32(len(sizes))
		membership[s] = c
		queue = append(queue[:0], s)
		for i := 0; i < len(queue); i++ {
			v := queue[i]
			for _, u := range g.Out(v) {
				if membership[u] < 0 {
					membership[u] = c
					queue = append(queue, u)
				}
			}
			if g.directed {
				for _, u := range g.In(v) {
					if membership[u] < 0 {
						membership[u] = c
						queue = append(queue, u)
					}
				}
			}
		}
		sizes = append(sizes, len(queue))
	}
	return membership, sizes
}

// LargestComponent is the number of nodes in the largest (weakly) connected
// component; 0 for an empty graph.
func LargestComponent(g *Graph) int {
	return largestMasked(g, nil, nil)
}

// largestMasked is the largest component of g without the removed nodes
// (removed may be nil). It lets disruption simulation measure the network
// after each arrest without building the subgraph. seen is scratch of length
// N or nil.
func largestMasked(g *Graph, removed []bool, seen []bool) int {
	n := g.N()
	if len(seen) < n {
		seen = make([]bool, n)
	} else {
		clear(seen[:n])
	}
	best := 0
	queue := make([]int32, 0, 64)
	visit := func(u int32) {
		if !seen[u] && (removed == nil || !removed[u]) {
			seen[u] = true
			queue = append(queue, u)
		}
	}
	for s := int32(0); s < int32(n); s++ {
		if seen[s] || (removed != nil && removed[s]) {
			continue
		}
		seen[s] = true
		queue = append(queue[:0], s)
		for i := 0; i < len(queue); i++ {
			v := queue[i]
			for _, u := range g.Out(v) {
				visit(u)
			}
			if g.directed {
				for _, u := range g.In(v) {
					visit(u)
				}
			}
		}
		best = max(best, len(queue))
	}
	return best
}

// Density is the fraction of possible edges present, as networkx computes it:
// M / (N(N-1)/2) for an undirected graph, M / (N(N-1)) for a directed one,
// and 0 for a graph of fewer than two nodes.
func Density(g *Graph) float64 {
	n := float64(g.N())
	if n < 2 {
		return 0
	}
	d := float64(g.M()) / (n * (n - 1))
	if !g.directed {
		d *= 2
	}
	return d
}

// uview is the simple undirected view of a graph: each linked pair once in
// the adjacency of both ends, sorted by id. For a directed graph u→v and v→u
// become one link; its weight is their sum (strengths add up) and eid names
// the edge of the two with the lower id.
type uview struct {
	off []int64
	adj []int32
	w   []float64
	eid []int32
}

func undirected(g *Graph) *uview {
	if !g.directed {
		return &uview{off: g.off, adj: g.adj, w: g.w, eid: g.eid}
	}
	n := g.N()
	off := make([]int64, n+1)
	for v := 0; v < n; v++ {
		out, in := g.adj[g.off[v]:g.off[v+1]], g.inAdj[g.inOff[v]:g.inOff[v+1]]
		i, j, k := 0, 0, 0
		for i < len(out) || j < len(in) {
			switch {
			case j == len(in) || (i < len(out) && out[i] < in[j]):
				i++
			case i == len(out) || in[j] < out[i]:
				j++
			default:
				i++
				j++
			}
			k++
		}
		off[v+1] = off[v] + int64(k)
	}
	m := off[n]
	uv := &uview{off: off, adj: make([]int32, m), w: make([]float64, m), eid: make([]int32, m)}
	// Edge ids of in-arcs are not kept in the CSR; find them from the
	// other end's out-list, which is sorted.
	inEdge := func(v, u int32) int32 { // edge id of u→v
		row := g.Out(u)
		i, _ := slices.BinarySearch(row, v)
		return g.OutEdges(u)[i]
	}
	for v := int32(0); v < int32(n); v++ {
		lo, hi := g.off[v], g.off[v+1]
		out, ow, oe := g.adj[lo:hi], g.w[lo:hi], g.eid[lo:hi]
		ilo, ihi := g.inOff[v], g.inOff[v+1]
		in, iw := g.inAdj[ilo:ihi], g.inW[ilo:ihi]
		i, j, k := 0, 0, off[v]
		for i < len(out) || j < len(in) {
			switch {
			case j == len(in) || (i < len(out) && out[i] < in[j]):
				uv.adj[k], uv.w[k], uv.eid[k] = out[i], ow[i], oe[i]
				i++
			case i == len(out) || in[j] < out[i]:
				uv.adj[k], uv.w[k], uv.eid[k] = in[j], iw[j], inEdge(v, in[j])
				j++
			default:
				w := ow[i] + iw[j]
				if !g.weighted {
					w = 1
				}
				uv.adj[k], uv.w[k], uv.eid[k] = out[i], w, min(oe[i], inEdge(v, in[j]))
				i++
				j++
			}
			k++
		}
	}
	return uv
}

// ArticulationPoints returns, sorted, the nodes whose removal splits their
// component (on the undirected view of a directed graph) — in a criminal
// network, the brokers that alone hold two parts together. It matches
// networkx.articulation_points.
func ArticulationPoints(g *Graph) []int32 {
	art, _ := cuts(g, true, false)
	return art
}

// Bridges returns, sorted, the ids of the edges whose removal splits their
// component (on the undirected view), as networkx.bridges does. In a
// directed graph where u→v and v→u are both present, the link counts once
// and, when it is a bridge, both edge ids are returned.
func Bridges(g *Graph) []int32 {
	_, br := cuts(g, false, true)
	return br
}

// cuts runs Tarjan's depth-first search without recursion, so a path of a
// million nodes needs no deep call stack.
func cuts(g *Graph, wantArt, wantBridges bool) (art, bridges []int32) {
	n := g.N()
	if n == 0 {
		return []int32{}, []int32{}
	}
	uv := undirected(g)
	disc := make([]int32, n) // discovery time, 0 = unvisited
	low := make([]int32, n)
	parent := make([]int32, n)
	pedge := make([]int32, n) // edge id of the tree edge to the parent
	next := make([]int64, n)  // next adjacency position to look at
	isArt := make([]bool, n)
	stack := make([]int32, 0, 64)
	var time int32
	for r := int32(0); r < int32(n); r++ {
		if disc[r] != 0 {
			continue
		}
		time++
		disc[r], low[r], parent[r], next[r] = time, time, -1, uv.off[r]
		stack = append(stack[:0], r)
		rootChildren := 0
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			if p := next[v]; p < uv.off[v+1] {
				next[v]++
				u := uv.adj[p]
				if u == parent[v] { // the view is simple: the parent appears once
					continue
				}
				if disc[u] == 0 {
					time++
					disc[u], low[u], parent[u], pedge[u], next[u] = time, time, v, uv.eid[p], uv.off[u]
					stack = append(stack, u)
					if v == r {
						rootChildren++
					}
				} else if disc[u] < low[v] {
					low[v] = disc[u]
				}
				continue
			}
			stack = stack[:len(stack)-1]
			p := parent[v]
			if p < 0 {
				continue
			}
			if low[v] < low[p] {
				low[p] = low[v]
			}
			if low[v] > disc[p] && wantBridges {
				bridges = append(bridges, pedge[v])
				if g.directed { // the reverse arc, if any, is the same link
					a, b := g.src[pedge[v]], g.dst[pedge[v]]
					row := g.Out(b)
					if i, ok := slices.BinarySearch(row, a); ok {
						bridges = append(bridges, g.OutEdges(b)[i])
					}
				}
			}
			if p != r && low[v] >= disc[p] {
				isArt[p] = true
			}
		}
		if rootChildren >= 2 {
			isArt[r] = true
		}
	}
	art = []int32{}
	if wantArt {
		for v := range isArt {
			if isArt[v] {
				art = append(art, int32(v))
			}
		}
	}
	if bridges == nil {
		bridges = []int32{}
	}
	slices.Sort(bridges)
	return art, bridges
}
