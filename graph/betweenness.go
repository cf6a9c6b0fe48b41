package graph

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// BetweennessOptions tunes Betweenness.
type BetweennessOptions struct {
	// Normalized divides by (n-1)(n-2), the number of ordered pairs of other
	// nodes, as networkx betweenness_centrality(normalized=True) does for
	// directed and undirected graphs alike.
	Normalized bool
	// Workers is the number of goroutines; 0 means runtime.GOMAXPROCS(0).
	// The result does not depend on it, bit for bit.
	Workers int
}

// Betweenness is the exact (Brandes) betweenness centrality of every node:
// the sum over ordered pairs s ≠ t of other nodes of the fraction of shortest
// s–t paths that pass through the node. On a weighted graph a weight is a
// distance and paths are found with Dijkstra; two paths tie only when their
// lengths are exactly equal as float64 sums, as in networkx (a weight too
// small to change a path's float64 length does not make a shortest path).
// Otherwise paths are counted in hops.
//
// Without normalisation an undirected graph's sums are halved, since each
// unordered pair was counted in both directions; this is networkx's
// normalized=False. With Normalized, see BetweennessOptions. A graph of two
// nodes or fewer is never rescaled (all values are 0).
//
// The sources are split among Workers goroutines. The partial sums are kept
// per lane — sources s ≡ l (mod lanes), lanes fixed by N alone — and added in
// lane order, so the result is the same bit for bit however the work is
// scheduled and however many workers run.
func Betweenness(g *Graph, opt BetweennessOptions) []float64 {
	n := g.N()
	bc := make([]float64, n)
	if n < 3 {
		return bc // no node lies between two others
	}
	lanes := betweennessLanes(n)
	part := make([]float64, lanes*n)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, lanes)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			b := newBrandes(g)
			for {
				l := int(next.Add(1) - 1)
				if l >= lanes {
					return
				}
				acc := part[l*n : (l+1)*n]
				for s := l; s < n; s += lanes {
					if g.weighted {
						b.dijkstra(int32(s), acc)
					} else {
						b.bfs(int32(s), acc)
					}
				}
			}
		})
	}
	wg.Wait()
	for l := range lanes {
		for v, x := range part[l*n : (l+1)*n] {
			bc[v] += x
		}
	}
	scale := 1.0
	switch {
	case opt.Normalized:
		scale = 1 / (float64(n-1) * float64(n-2))
	case !g.directed:
		scale = 0.5
	}
	if scale != 1 {
		for v := range bc {
			bc[v] *= scale
		}
	}
	return bc
}

// betweennessLanes is the number of partial-sum vectors: enough to keep many
// cores busy, at most 64 MB of them, and a function of n only so that the
// order of floating-point additions never depends on the machine.
func betweennessLanes(n int) int {
	return max(1, min(32, n, (8<<20)/n))
}

// brandes holds one worker's buffers, reused for every source so that the
// inner loops allocate nothing.
type brandes struct {
	g     *Graph
	order []int32   // nodes in the order reached (BFS) or settled (Dijkstra); order[0] is the source
	hops  []int32   // BFS distance, -1 when not reached
	dist  []float64 // Dijkstra distance, +Inf when not reached
	sigma []float64 // number of shortest paths from the source
	coef  []float64 // BFS: (1 + delta[v]) / sigma[v], what v's predecessors pull
	sum   []float64 // Dijkstra: Σ (1 + delta[w]) / sigma[w] over v's successors w, pushed to v
	heap  sspHeap

	// The shortest-path DAG in the order nodes were reached: the successors
	// (BFS) or predecessors (Dijkstra) of order[i] are dag[end[i-1]:end[i]].
	dag []int32
	end []int
}

func newBrandes(g *Graph) *brandes {
	n := g.N()
	b := &brandes{g: g, order: make([]int32, n), sigma: make([]float64, n),
		dag: make([]int32, len(g.adj)), end: make([]int, n)}
	if g.weighted {
		b.dist = make([]float64, n)
		for v := range b.dist {
			b.dist[v] = math.Inf(1)
		}
		b.sum = make([]float64, n)
		b.heap = newSSPHeap(n)
	} else {
		b.hops = make([]int32, n)
		for v := range b.hops {
			b.hops[v] = -1
		}
		b.coef = make([]float64, n)
	}
	return b
}

// bfs adds source s's dependencies delta_s(v) to acc, counting paths in hops.
func (b *brandes) bfs(s int32, acc []float64) {
	off, adj := b.g.off, b.g.adj
	order, hops, sigma, coef, dag, end := b.order, b.hops, b.sigma, b.coef, b.dag, b.end
	order[0], hops[s], sigma[s] = s, 0, 1
	tail, k := 1, 0
	for head := 0; head < tail; head++ {
		v := order[head]
		h, sv := hops[v]+1, sigma[v]
		for _, w := range adj[off[v]:off[v+1]] {
			hw := hops[w]
			if hw < 0 {
				hops[w], hw = h, h
				order[tail] = w
				tail++
			}
			if hw == h {
				sigma[w] += sv
				dag[k] = w
				k++
			}
		}
		end[head] = k
	}
	// Walk the DAG backwards: every successor is finished before its
	// predecessors, so each node pulls from its own successor list and writes
	// only its own entries.
	for i := tail - 1; i > 0; i-- {
		v := order[i]
		var sum float64
		for _, w := range dag[end[i-1]:end[i]] {
			sum += coef[w]
		}
		d := sigma[v] * sum
		acc[v] += d
		coef[v] = (1 + d) / sigma[v]
	}
	for _, v := range order[:tail] {
		hops[v], sigma[v] = -1, 0
	}
}

// dijkstra is bfs with weights as distances. Two paths tie only when their
// float64 lengths are equal, the exact comparison networkx makes.
func (b *brandes) dijkstra(s int32, acc []float64) {
	g := b.g
	off, adj, wt := g.off, g.adj, g.w
	order, dist, sigma, sum, dag, end, h := b.order, b.dist, b.sigma, b.sum, b.dag, b.end, &b.heap
	dist[s] = 0
	h.push(s, 0)
	tail, k := 0, 0
	for h.len() > 0 {
		v, dv := h.pop()
		order[tail] = v
		// When v is settled so are all its predecessors: the in-neighbours u
		// with dist[u] + w(u,v) == dv. (dist[u] < dv also excludes a weight
		// lost to rounding, which would make u and v peers.) They give
		// sigma[v]; the source has none and sigma 1.
		sv := 0.0
		if v == s {
			sv = 1
		}
		lo, hi := off[v], off[v+1]
		ws := wt[lo:hi]
		if g.directed {
			ilo, ihi := g.inOff[v], g.inOff[v+1]
			iws := g.inW[ilo:ihi]
			for i, u := range g.inAdj[ilo:ihi] {
				if du := dist[u]; du < dv && du+iws[i] == dv {
					sv += sigma[u]
					dag[k] = u
					k++
				}
			}
			for i, w := range adj[lo:hi] {
				if nd := dv + ws[i]; nd < dist[w] {
					h.update(w, nd, dist[w])
					dist[w] = nd
				}
			}
		} else {
			// Undirected: one pass finds predecessors and relaxes the rest.
			for i, u := range adj[lo:hi] {
				du := dist[u]
				if du < dv {
					if du+ws[i] == dv {
						sv += sigma[u]
						dag[k] = u
						k++
					}
				} else if nd := dv + ws[i]; nd < du {
					h.update(u, nd, du)
					dist[u] = nd
				}
			}
		}
		sigma[v] = sv
		end[tail] = k
		tail++
	}
	// Backwards, each node's dependency is complete when it is reached and
	// is pushed to its predecessors.
	for i := tail - 1; i > 0; i-- {
		w := order[i]
		d := sigma[w] * sum[w]
		acc[w] += d
		c := (1 + d) / sigma[w]
		for _, v := range dag[end[i-1]:end[i]] {
			sum[v] += c
		}
	}
	for _, v := range order[:tail] {
		dist[v], sum[v] = math.Inf(1), 0
	}
}

// sspHeap is a 4-ary min-heap of nodes keyed by tentative distance, with
// each node's position so that a shorter path moves it up in place. Four
// children per node halve the depth that pop, the hot operation, walks down.
type sspHeap struct {
	items []sspItem
	pos   []int32 // node → index in items; stale once the node is popped
}

type sspItem struct {
	key  float64
	node int32
}

func newSSPHeap(n int) sspHeap {
	return sspHeap{items: make([]sspItem, 0, n), pos: make([]int32, n)}
}

func (h *sspHeap) len() int { return len(h.items) }

func (h *sspHeap) push(v int32, key float64) {
	h.items = append(h.items, sspItem{})
	h.up(len(h.items)-1, sspItem{key, v})
}

// update gives v the smaller key; old is its previous key, +Inf if v is not
// in the heap yet.
func (h *sspHeap) update(v int32, key, old float64) {
	if math.IsInf(old, 1) {
		h.push(v, key)
	} else {
		h.up(int(h.pos[v]), sspItem{key, v})
	}
}

func (h *sspHeap) pop() (int32, float64) {
	top := h.items[0]
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	if len(h.items) > 0 {
		h.down(last)
	}
	return top.node, top.key
}

// up places it at index i or above.
func (h *sspHeap) up(i int, it sspItem) {
	items, pos := h.items, h.pos
	for i > 0 {
		p := (i - 1) / 4
		if items[p].key <= it.key {
			break
		}
		items[i] = items[p]
		pos[items[i].node] = int32(i)
		i = p
	}
	items[i] = it
	pos[it.node] = int32(i)
}

// down places it, taken from the end, starting at the root.
func (h *sspHeap) down(it sspItem) {
	items, pos := h.items, h.pos
	n := len(items)
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		for j := c + 1; j < min(c+4, n); j++ {
			if items[j].key < items[m].key {
				m = j
			}
		}
		if it.key <= items[m].key {
			break
		}
		items[i] = items[m]
		pos[items[i].node] = int32(i)
		i = m
	}
	items[i] = it
	pos[it.node] = int32(i)
}
