package graph

// Centrality measures. Each returns one score per node indexed by node id and
// agrees with networkx 2.8.8 (to 1e-9, tested against its output) under the
// normalisation networkx documents for it; the doc comment of each function
// says which. Scores are left unranked: where values tie, callers order by the
// lower node id, as the package documentation says.

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// DegreeCentrality is each node's degree divided by n-1, the most it could
// have — networkx degree_centrality. A directed graph counts in- plus
// out-degree, so values can reach 2. On a graph of one node it is 1.
func DegreeCentrality(g *Graph) []float64 {
	n := g.N()
	c := make([]float64, n)
	if n <= 1 {
		for v := range c {
			c[v] = 1
		}
		return c
	}
	s := 1 / float64(n-1) // as networkx: degree times 1/(n-1)
	for v := range c {
		c[v] = float64(g.Degree(int32(v))) * s
	}
	return c
}

// WeightedDegree is each node's strength: the sum of its edge weights, out
// plus in for a directed graph (networkx G.degree(weight="weight")). On an
// unweighted graph it is the degree.
func WeightedDegree(g *Graph) []float64 {
	c := make([]float64, g.N())
	for v := range c {
		for _, w := range g.OutWeights(int32(v)) {
			c[v] += w
		}
		if g.directed {
			for _, w := range g.InWeights(int32(v)) {
				c[v] += w
			}
		}
	}
	return c
}

// Closeness is networkx closeness_centrality with wf_improved=True: for a
// node u that r-1 other nodes can reach at total distance D,
//
//	C(u) = (r-1)/D · (r-1)/(n-1),
//
// the Wasserman–Faust form that scales down nodes in small components; 0 when
// no other node reaches u. On a directed graph distances are incoming (from
// the others to u), as networkx measures them. Weights are distances.
func Closeness(g *Graph) []float64 {
	n := g.N()
	c := make([]float64, n)
	if n <= 1 {
		return c
	}
	// Incoming distances: search from u along in-edges.
	off, adj, wt := g.off, g.adj, g.w
	if g.directed {
		off, adj, wt = g.inOff, g.inAdj, g.inW
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			order := make([]int32, n)
			var hops []int32
			var dist []float64
			var h sspHeap
			if g.weighted {
				dist = make([]float64, n)
				for v := range dist {
					dist[v] = math.Inf(1)
				}
				h = newSSPHeap(n)
			} else {
				hops = make([]int32, n)
				for v := range hops {
					hops[v] = -1
				}
			}
			for {
				u := int32(next.Add(1) - 1)
				if int(u) >= n {
					return
				}
				var reached int
				var total float64
				if g.weighted {
					reached, total = dijkstraTotal(u, off, adj, wt, order, dist, &h)
				} else {
					reached, total = bfsTotal(u, off, adj, order, hops)
				}
				if total > 0 {
					r := float64(reached - 1)
					cu := r / total
					cu *= r / float64(n-1) // the same operations as networkx
					c[u] = cu
				}
			}
		})
	}
	wg.Wait()
	return c
}

// bfsTotal returns how many nodes s reaches (itself included) and the sum of
// their hop distances, leaving hops all -1 again.
func bfsTotal(s int32, off []int64, adj []int32, order, hops []int32) (int, float64) {
	order[0], hops[s] = s, 0
	tail := 1
	var total int64
	for head := 0; head < tail; head++ {
		v := order[head]
		h := hops[v] + 1
		for _, w := range adj[off[v]:off[v+1]] {
			if hops[w] < 0 {
				hops[w] = h
				total += int64(h)
				order[tail] = w
				tail++
			}
		}
	}
	for _, v := range order[:tail] {
		hops[v] = -1
	}
	return tail, float64(total)
}

// dijkstraTotal is bfsTotal with weights as distances; dist is left all +Inf.
func dijkstraTotal(s int32, off []int64, adj []int32, wt []float64, order []int32, dist []float64, h *sspHeap) (int, float64) {
	dist[s] = 0
	h.push(s, 0)
	tail := 0
	var total float64
	for h.len() > 0 {
		v, dv := h.pop()
		order[tail] = v
		tail++
		total += dv
		lo, hi := off[v], off[v+1]
		ws := wt[lo:hi]
		for i, w := range adj[lo:hi] {
			if nd := dv + ws[i]; nd < dist[w] {
				h.update(w, nd, dist[w])
				dist[w] = nd
			}
		}
	}
	for _, v := range order[:tail] {
		dist[v] = math.Inf(1)
	}
	return tail, total
}

// PageRank is networkx pagerank: the stationary distribution of a walk that
// follows an out-edge with probability alpha, chosen in proportion to its
// weight (a strength), and otherwise jumps to a node chosen uniformly; a node
// without out-edges jumps uniformly too. An undirected edge can be walked
// both ways. alpha 0 means 0.85; alpha must lie in [0, 1), and PageRank
// panics otherwise. The scores sum to 1.
//
// It iterates until the L1 change is below N·1e-15, far tighter than
// networkx's default tol=1e-6, or until alpha^k has shrunk the error to
// rounding noise.
func PageRank(g *Graph, alpha float64) []float64 {
	if alpha == 0 {
		alpha = 0.85
	}
	if !(alpha > 0 && alpha < 1) {
		panic(fmt.Sprintf("graph: PageRank alpha %v is not in [0, 1)", alpha))
	}
	n := g.N()
	x := make([]float64, n)
	if n == 0 {
		return x
	}
	inv := make([]float64, n) // 1 / out-strength; 0 marks a dangling node
	for u := range inv {
		var s float64
		for _, w := range g.OutWeights(int32(u)) {
			s += w
		}
		if s > 0 {
			inv[u] = 1 / s
		}
	}
	off, adj, wt := g.off, g.adj, g.w
	if g.directed {
		off, adj, wt = g.inOff, g.inAdj, g.inW
	}
	fn := float64(n)
	for v := range x {
		x[v] = 1 / fn
	}
	y := make([]float64, n) // x[u] / out-strength(u), what each edge carries
	next := make([]float64, n)
	// Each step shrinks the L1 error by alpha; past this many it is rounding.
	maxIter := int(math.Ceil(math.Log(1e-16)/math.Log(alpha))) + 10
	for range maxIter {
		var dangling float64
		for u, xu := range x {
			if inv[u] == 0 {
				dangling += xu
			}
			y[u] = xu * inv[u]
		}
		base := alpha*dangling/fn + (1-alpha)/fn
		var change float64
		for v := range next {
			lo, hi := off[v], off[v+1]
			ws := wt[lo:hi]
			var sum float64
			for i, u := range adj[lo:hi] {
				sum += y[u] * ws[i]
			}
			next[v] = alpha*sum + base
			change += math.Abs(next[v] - x[v])
		}
		x, next = next, x
		if change < fn*1e-15 {
			break
		}
	}
	return x
}

// ErrNotConverged is returned when a power iteration does not settle.
var ErrNotConverged = errors.New("graph: power iteration did not converge")

// eigenvectorMaxIter bounds Eigenvector's work: ten thousand sparse
// matrix-vector products.
const eigenvectorMaxIter = 10000

// Eigenvector is networkx eigenvector_centrality: the principal eigenvector
// of the adjacency matrix, found by power iteration on A + I from the uniform
// vector, with weights as strengths and scaled to unit Euclidean norm. On a
// directed graph a node scores by its in-edges (the left eigenvector), as in
// networkx.
//
// It iterates until the L1 change is below N·1e-15. That happens whenever the
// largest eigenvalue's eigenvectors dominate — any undirected graph, any
// strongly connected directed one. On a directed graph whose strongly
// connected parts feed one another with the same largest eigenvalue, as in
// any graph without cycles, the iteration only creeps (as 1/k); Eigenvector
// then returns an error wrapping ErrNotConverged after 10,000 iterations,
// where networkx raises PowerIterationFailedConvergence. An empty graph gives
// an empty result.
func Eigenvector(g *Graph) ([]float64, error) {
	n := g.N()
	x := make([]float64, n)
	if n == 0 {
		return x, nil
	}
	off, adj, wt := g.off, g.adj, g.w
	if g.directed {
		off, adj, wt = g.inOff, g.inAdj, g.inW
	}
	fn := float64(n)
	for v := range x {
		x[v] = 1 / fn
	}
	next := make([]float64, n)
	for range eigenvectorMaxIter {
		for v := range next {
			lo, hi := off[v], off[v+1]
			ws := wt[lo:hi]
			sum := x[v] // the I in A + I
			for i, u := range adj[lo:hi] {
				sum += x[u] * ws[i]
			}
			next[v] = sum
		}
		norm := norm2(next)
		if norm == 0 {
			norm = 1 // as networkx; cannot happen with positive weights
		}
		var change float64
		for v := range next {
			next[v] /= norm
			change += math.Abs(next[v] - x[v])
		}
		x, next = next, x
		if change < fn*1e-15 {
			return x, nil
		}
	}
	return nil, fmt.Errorf("%w: eigenvector centrality after %d iterations; no part of the directed graph dominates (a graph without cycles never converges)",
		ErrNotConverged, eigenvectorMaxIter)
}

// norm2 is the Euclidean norm, scaled against overflow as math.Hypot is.
func norm2(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = max(m, math.Abs(v))
	}
	if m == 0 || math.IsInf(m, 1) {
		return m
	}
	var s float64
	for _, v := range x {
		s += (v / m) * (v / m)
	}
	return m * math.Sqrt(s)
}

// CoreNumber is each node's core number, networkx core_number: the largest k
// such that the node belongs to a subgraph in which every node has degree at
// least k (Batagelj–Zaversnik, O(n+m)). A directed graph uses in- plus
// out-degree, as networkx does, so a reciprocated pair of arcs counts twice.
func CoreNumber(g *Graph) []int {
	n := g.N()
	deg := make([]int, n)
	maxDeg := 0
	for v := range deg {
		deg[v] = g.Degree(int32(v))
		maxDeg = max(maxDeg, deg[v])
	}
	// Bucket sort by degree: vert lists nodes by current degree, pos is each
	// node's index in vert, start[d] the first index holding degree d.
	start := make([]int, maxDeg+2)
	for _, d := range deg {
		start[d+1]++
	}
	for d := 1; d <= maxDeg+1; d++ {
		start[d] += start[d-1]
	}
	vert := make([]int32, n)
	pos := make([]int, n)
	fill := make([]int, maxDeg+1)
	copy(fill, start)
	for v, d := range deg {
		pos[v] = fill[d]
		vert[pos[v]] = int32(v)
		fill[d]++
	}
	lower := func(v, u int32) {
		if deg[u] > deg[v] {
			// Move u to the front of its bucket, then shrink the bucket.
			du, pu := deg[u], pos[u]
			pw := start[du]
			w := vert[pw]
			vert[pu], vert[pw] = w, u
			pos[u], pos[w] = pw, pu
			start[du]++
			deg[u]--
		}
	}
	for i := range n {
		v := vert[i]
		for _, u := range g.Out(v) {
			lower(v, u)
		}
		if g.directed {
			for _, u := range g.In(v) {
				lower(v, u)
			}
		}
	}
	return deg
}

// Clustering is each node's local clustering coefficient, networkx
// clustering:
//
//   - undirected, unweighted: the fraction of pairs of neighbours that are
//     linked, 2T/(d(d-1));
//   - undirected, weighted: the same sum with each triangle counted as the
//     geometric mean of its three weights, each divided by the graph's
//     largest weight (Onnela et al.);
//   - directed: Fagiolo's coefficient, which counts every way the arcs
//     between the node and two neighbours, and between the neighbours, can
//     run: T/(2(d_tot(d_tot-1) - 2d_↔)), with d_↔ the reciprocated
//     neighbours; weighted alike with geometric means.
//
// It is 0 when the node is in no triangle.
func Clustering(g *Graph) []float64 {
	n := g.N()
	c := make([]float64, n)
	// cw[e] is the cube root of arc e's weight over the largest weight, so
	// that a triangle's geometric mean is a product. On an unweighted graph
	// every cube root is 1 and the sums count triangles exactly.
	maxW := 0.0
	for _, w := range g.ew {
		maxW = max(maxW, w)
	}
	cbrts := func(ws []float64) []float64 {
		out := make([]float64, len(ws))
		for i, w := range ws {
			out[i] = 1
			if g.weighted {
				out[i] = math.Cbrt(w / maxW)
			}
		}
		return out
	}
	cw := cbrts(g.w)
	var cwIn []float64
	if g.directed {
		cwIn = cbrts(g.inW)
	}
	// mark[k] is the summed cube roots of the arcs between the current node
	// and k (0 if not adjacent); nbrs lists the marked nodes.
	mark := make([]float64, n)
	nbrs := make([]int32, 0, n)
	// link sums mark over the arcs of j, giving Σ_k s(j,k)·s(i,k).
	link := func(j int32) float64 {
		var sum float64
		lo, hi := g.off[j], g.off[j+1]
		ws := cw[lo:hi]
		for x, k := range g.adj[lo:hi] {
			sum += ws[x] * mark[k]
		}
		if g.directed {
			lo, hi := g.inOff[j], g.inOff[j+1]
			ws := cwIn[lo:hi]
			for x, k := range g.inAdj[lo:hi] {
				sum += ws[x] * mark[k]
			}
		}
		return sum
	}
	for i := range int32(n) {
		nbrs = nbrs[:0]
		lo, hi := g.off[i], g.off[i+1]
		for x, k := range g.adj[lo:hi] {
			nbrs = append(nbrs, k)
			mark[k] = cw[lo+int64(x)]
		}
		recip := 0
		if g.directed {
			lo, hi := g.inOff[i], g.inOff[i+1]
			for x, k := range g.inAdj[lo:hi] {
				if mark[k] == 0 {
					nbrs = append(nbrs, k)
				} else {
					recip++
				}
				mark[k] += cwIn[lo+int64(x)]
			}
		}
		// t sums over ordered pairs (j, k) of neighbours, so it counts each
		// triangle twice — the count networkx divides.
		var t float64
		for _, j := range nbrs {
			t += mark[j] * link(j)
		}
		for _, k := range nbrs {
			mark[k] = 0
		}
		if t == 0 {
			continue
		}
		if g.directed {
			d := g.Degree(i)
			c[i] = t / float64((d*(d-1)-2*recip)*2)
		} else {
			d := len(nbrs)
			c[i] = t / float64(d*(d-1))
		}
	}
	return c
}
