package graph

import (
	"math"
	"slices"
)

// ShortestPaths returns the shortest paths from s to t — breadth-first when
// the graph is unweighted, Dijkstra with weights as distances when it is
// weighted, following edge directions when it is directed — and their length.
// When several paths are equally short, all are returned (as
// networkx.all_shortest_paths does), up to limit of them, in lexicographic
// order of their node ids, so the same query always gives the same paths;
// limit <= 0 means all, which on a dense graph can be exponentially many.
// A path from s to itself is [s] with length 0; when t cannot be reached the
// result is nil and +Inf.
func ShortestPaths(g *Graph, s, t int32, limit int) ([][]int32, float64) {
	n := g.N()
	if s < 0 || t < 0 || int(s) >= n || int(t) >= n {
		panic("graph: ShortestPaths node id out of range")
	}
	if s == t {
		return [][]int32{{s}}, 0
	}
	dist := make([]float64, n)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	dist[s] = 0
	if g.weighted {
		dijkstraTo(g, s, t, dist)
	} else {
		bfsTo(g, s, t, dist)
	}
	if math.IsInf(dist[t], 1) {
		return nil, math.Inf(1)
	}
	// Mark the nodes on some shortest path: those from which t is reached
	// along edges that are tight (dist[u]+w == dist[v], compared exactly as
	// the search computed them, as networkx does).
	on := make([]bool, n)
	on[t] = true
	stack := []int32{t}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		in, iw := g.In(v), g.InWeights(v)
		for i, u := range in {
			if !on[u] && dist[u]+iw[i] == dist[v] {
				on[u] = true
				stack = append(stack, u)
			}
		}
	}
	// Enumerate depth first, trying successors in increasing id order (the
	// adjacency is sorted), which yields paths in lexicographic order. Every
	// marked node leads on to t, so the search never backs out of a dead end.
	var paths [][]int32
	path := []int32{s}
	pos := []int{0} // per path position: next adjacency index to try
	for len(path) > 0 {
		d := len(path) - 1
		u := path[d]
		if u == t {
			paths = append(paths, slices.Clone(path))
			if limit > 0 && len(paths) >= limit {
				break
			}
			path, pos = path[:d], pos[:d]
			continue
		}
		out, ow := g.Out(u), g.OutWeights(u)
		i := pos[d]
		for i < len(out) && !(on[out[i]] && dist[u]+ow[i] == dist[out[i]]) {
			i++
		}
		if i == len(out) {
			path, pos = path[:d], pos[:d]
			continue
		}
		pos[d] = i + 1
		path = append(path, out[i])
		pos = append(pos, 0)
	}
	return paths, dist[t]
}

// bfsTo fills dist with hop counts from s until t's level is reached.
func bfsTo(g *Graph, s, t int32, dist []float64) {
	queue := []int32{s}
	for i := 0; i < len(queue); i++ {
		v := queue[i]
		if dist[v] >= dist[t] {
			return
		}
		for _, u := range g.Out(v) {
			if math.IsInf(dist[u], 1) {
				dist[u] = dist[v] + 1
				queue = append(queue, u)
			}
		}
	}
}

// dijkstraTo fills dist with weighted distances from s until t is settled;
// every node closer than t is then final.
func dijkstraTo(g *Graph, s, t int32, dist []float64) {
	h := distHeap{{0, s}}
	done := make([]bool, g.N())
	for len(h) > 0 {
		it := h.pop()
		v := it.v
		if done[v] {
			continue
		}
		done[v] = true
		if v == t {
			return
		}
		out, ow := g.Out(v), g.OutWeights(v)
		for i, u := range out {
			if d := dist[v] + ow[i]; d < dist[u] {
				dist[u] = d
				h.push(distItem{d, u})
			}
		}
	}
}

type distItem struct {
	d float64
	v int32
}

// distHeap is a binary min-heap on (distance, node id).
type distHeap []distItem

func (h distItem) less(o distItem) bool { return h.d < o.d || (h.d == o.d && h.v < o.v) }

func (h *distHeap) push(it distItem) {
	*h = append(*h, it)
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !a[i].less(a[p]) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *distHeap) pop() distItem {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(a) {
			break
		}
		c := l
		if r := l + 1; r < len(a) && a[r].less(a[l]) {
			c = r
		}
		if !a[c].less(a[i]) {
			break
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
	*h = a
	return top
}

// HopOptions bound a neighbourhood expansion.
type HopOptions struct {
	// Hops is how many links out from the seeds to go (0: the seeds only).
	Hops int
	// MaxDegree, when > 0, stops expansion through hubs: a node with more
	// neighbours than this is included but its own neighbours are not
	// (a call centre or a bank's pooled account would otherwise pull in the
	// whole network). Seeds are always expanded.
	MaxDegree int
	// MaxNodes, when > 0, caps the result: the closest nodes are kept, and
	// among equally close ones the lower ids.
	MaxNodes int
}

// Neighbourhood returns the nodes within opt.Hops links of the seeds, ignoring
// edge direction, ordered by distance from the nearest seed and then by id
// (seeds first), and the hubs among them: the included nodes other than seeds
// with more than opt.MaxDegree neighbours, whose neighbours were left out
// (sorted by id). Duplicate seeds count once.
func Neighbourhood(g *Graph, seeds []int32, opt HopOptions) (nodes []int32, hubs []int32) {
	n := g.N()
	seen := make([]bool, n)
	nodes = []int32{}
	hubs = []int32{}
	full := func() bool { return opt.MaxNodes > 0 && len(nodes) >= opt.MaxNodes }
	isHub := func(v int32) bool { return opt.MaxDegree > 0 && g.Degree(v) > opt.MaxDegree }
	level := make([]int32, 0, len(seeds))
	for _, s := range seeds {
		if s < 0 || int(s) >= n {
			panic("graph: Neighbourhood seed out of range")
		}
		if !seen[s] {
			seen[s] = true
			level = append(level, s)
		}
	}
	slices.Sort(level)
	nseeds := -1
	var next []int32
	for hop := 0; len(level) > 0; hop++ {
		if opt.MaxNodes > 0 && len(nodes)+len(level) > opt.MaxNodes {
			level = level[:opt.MaxNodes-len(nodes)]
		}
		nodes = append(nodes, level...)
		if nseeds < 0 {
			nseeds = len(nodes)
		}
		if full() || hop >= opt.Hops {
			break
		}
		next = next[:0]
		for _, v := range level {
			if hop > 0 && isHub(v) {
				continue
			}
			for _, u := range g.Out(v) {
				if !seen[u] {
					seen[u] = true
					next = append(next, u)
				}
			}
			if g.directed {
				for _, u := range g.In(v) {
					if !seen[u] {
						seen[u] = true
						next = append(next, u)
					}
				}
			}
		}
		slices.Sort(next)
		level, next = next, level
	}
	// Every included hub is reported, also those on the last level, so the
	// analyst sees which nodes of the chart stand for far more contacts.
	if nseeds >= 0 {
		for _, v := range nodes[nseeds:] {
			if isHub(v) {
				hubs = append(hubs, v)
			}
		}
	}
	slices.Sort(hubs)
	return nodes, hubs
}
