package graph

import (
	"math"
	"math/rand/v2"
	"slices"
)

// CommunityOptions tune Leiden.
type CommunityOptions struct {
	// Resolution γ weighs the null model: above 1 favours smaller
	// communities, below 1 larger ones. 0 means 1.
	Resolution float64
	// Seed makes the run reproducible: the same graph, options and seed give
	// the same communities.
	Seed uint64
	// Iterations is how many Leiden iterations to run at most; each starts
	// from the partition the last one found, and the run stops early once an
	// iteration changes nothing. 0 means until nothing changes.
	Iterations int
}

// leidenMaxIterations bounds "until nothing changes": every change raises
// modularity, but rounding could in principle let two moves undo each other.
const leidenMaxIterations = 64

// leidenTheta is the randomness θ of the refinement phase, in units of edge
// weight; as in igraph and leidenalg, 0.01.
const leidenTheta = 0.01

// Leiden finds communities maximising modularity with the given resolution
// using the Leiden algorithm (Traag, Waltman & van Eck 2019): fast local
// moving of nodes, refinement of each community into well-connected parts,
// and aggregation of the graph by the refined partition, repeated until no
// node moves. It works on the undirected view of a directed graph (u→v and
// v→u become one link whose strength is the sum of the two weights when the
// graph is weighted, and 1 when it is not); weights are strengths. (For a
// directed graph Modularity reports networkx's directed measure, which
// Leiden does not optimise directly.)
//
// Every community it returns is connected. Community ids are 0.. in order of
// their lowest member's id; isolated nodes are communities of their own.
func Leiden(g *Graph, opt CommunityOptions) []int32 {
	n := g.N()
	memb := make([]int32, n)
	for i := range memb {
		memb[i] = int32(i)
	}
	if n == 0 {
		return memb
	}
	uv := undirected(g)
	lg := &wgraph{off: uv.off, adj: uv.adj, w: uv.w, k: make([]float64, n)}
	var total float64
	for v := 0; v < n; v++ {
		var s float64
		for _, w := range uv.w[uv.off[v]:uv.off[v+1]] {
			s += w
		}
		lg.k[v] = s
		total += s
	}
	if total > 0 {
		res := opt.Resolution
		if res == 0 {
			res = 1
		}
		st := newLeiden(n, res/total, opt.Seed)
		iters := opt.Iterations
		if iters <= 0 {
			iters = leidenMaxIterations
		}
		prev := make([]int32, n)
		for it := 0; it < iters; it++ {
			copy(prev, memb)
			st.iterate(lg, memb)
			if slices.Equal(prev, memb) { // both numbered by first appearance
				break
			}
		}
	}
	return connectedRenumber(uv, memb)
}

// connectedRenumber splits any community that is not connected into its
// connected parts (which can only raise modularity: no edge runs between the
// parts) and numbers communities by their lowest member. Leiden's own
// communities are connected; this makes it a guarantee.
func connectedRenumber(uv *uview, memb []int32) []int32 {
	n := len(memb)
	out := make([]int32, n)
	for i := range out {
		out[i] = -1
	}
	var next int32
	queue := make([]int32, 0, 64)
	for s := int32(0); s < int32(n); s++ {
		if out[s] >= 0 {
			continue
		}
		c := memb[s]
		out[s] = next
		queue = append(queue[:0], s)
		for i := 0; i < len(queue); i++ {
			v := queue[i]
			for _, u := range uv.adj[uv.off[v]:uv.off[v+1]] {
				if out[u] < 0 && memb[u] == c {
					out[u] = next
					queue = append(queue, u)
				}
			}
		}
		next++
	}
	return out
}

// wgraph is a level of the Leiden hierarchy: an undirected weighted graph
// without self-loops, in CSR form, with each node's strength k (for an
// aggregate node, the strength of its members, internal links included).
type wgraph struct {
	off []int64
	adj []int32
	w   []float64
	k   []float64
}

func (lg *wgraph) n() int { return len(lg.k) }

// leiden holds the scratch space of one run, sized for the base graph and
// reused by the smaller levels, so a run allocates almost nothing after it
// starts.
type leiden struct {
	gamma float64 // resolution / 2m
	rng   *rand.Rand

	// Local moving.
	ck      []float64 // community strength
	csize   []int32   // community node count
	wc      []float64 // weight from the current node to each community, or 0
	touched []int32   // communities with wc > 0
	empty   []int32   // ids of empty communities
	queue   []int32
	inq     []bool

	// Refinement; indexed by node, since a refined part is named after the
	// node it started from.
	rk     []float64 // part strength
	rext   []float64 // part's weight to the rest of its community
	vext   []float64 // node's weight to the rest of its community
	single []bool    // part still holds only its founder

	cand []int32   // parts v may join
	prob []float64 // their cumulative weights
	pcg  rand.PCG  // the community's own random stream
	crng *rand.Rand

	pos             []int32 // renumbering and aggregation scratch, -1 between uses
	r, p, np, level []int32 // per-level memberships
	members, start  []int32 // nodes grouped by community
	agg             [2]wgraph
}

func newLeiden(n int, gamma float64, seed uint64) *leiden {
	st := &leiden{
		gamma:   gamma,
		rng:     rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)),
		ck:      make([]float64, n),
		csize:   make([]int32, n),
		wc:      make([]float64, n),
		touched: make([]int32, 0, n), // no node has more neighbours
		queue:   make([]int32, n),
		inq:     make([]bool, n),
		rk:      make([]float64, n),
		rext:    make([]float64, n),
		vext:    make([]float64, n),
		single:  make([]bool, n),
		pos:     make([]int32, n),
		r:       make([]int32, n),
		p:       make([]int32, n),
		np:      make([]int32, n),
		level:   make([]int32, n),
		members: make([]int32, n),
		start:   make([]int32, n+1),
	}
	for i := range st.pos {
		st.pos[i] = -1
	}
	st.crng = rand.New(&st.pcg)
	return st
}

// iterate runs one Leiden iteration on base starting from memb (compact
// ids) and leaves the improved partition, numbered compactly, in memb.
func (st *leiden) iterate(base *wgraph, memb []int32) {
	n := base.n()
	lg := base
	p, np := st.p[:n], st.np[:n]
	copy(p, memb)
	level := st.level[:n] // base node → node of the current level
	for i := range level {
		level[i] = int32(i)
	}
	for depth := 0; ; depth++ {
		st.moveNodes(lg, p)
		nc := renumber(p, st.pos)
		if nc == lg.n() {
			break
		}
		r := st.refine(lg, p, nc)
		nr := renumber(r, st.pos)
		if nr == lg.n() {
			// Refinement merged nothing: aggregate by the partition itself
			// so the next level is smaller (as igraph does).
			copy(r, p)
			nr = nc
		}
		agg := &st.agg[depth%2] // never lg: lg is base or the other buffer
		st.aggregate(lg, r, nr, agg)
		np = np[:nr]
		for v := range r {
			np[r[v]] = p[v]
		}
		for i, l := range level {
			level[i] = r[l]
		}
		lg = agg
		p, np = np, p[:cap(p)]
	}
	for i, l := range level {
		memb[i] = p[l]
	}
	renumber(memb, st.pos)
}

// renumber maps p's ids onto 0..k-1 in order of first appearance and
// returns k. scratch must be all -1 over p's id range and is left so.
func renumber(p []int32, scratch []int32) int {
	var k int32
	for i, c := range p {
		if scratch[c] < 0 {
			scratch[c] = k
			k++
		}
		p[i] = scratch[c]
	}
	for i := range scratch[:len(p)] {
		scratch[i] = -1
	}
	return int(k)
}

// group sorts the nodes by their community in p (ids 0..nc-1), keeping id
// order within each: community c's nodes are members[start[c]:start[c+1]].
func (st *leiden) group(p []int32, nc int) (members, start []int32) {
	start = st.start[:nc+1]
	clear(start)
	for _, c := range p {
		start[c+1]++
	}
	for c := 0; c < nc; c++ {
		start[c+1] += start[c]
	}
	members = st.members[:len(p)]
	for v, c := range p {
		members[start[c]] = int32(v)
		start[c]++
	}
	// Each start[c] has moved to where c+1 starts; shift back.
	copy(start[1:], start[:nc])
	start[0] = 0
	return members, start
}

// moveNodes is Leiden's fast local moving: visit nodes from a queue (all of
// them, in random order, at first), move each to the neighbouring community
// (or an empty one) that raises modularity most, and requeue the neighbours
// that may now want to follow.
func (st *leiden) moveNodes(lg *wgraph, p []int32) {
	n := lg.n()
	ck, csize, wc := st.ck[:n], st.csize[:n], st.wc[:n]
	clear(ck)
	clear(csize)
	for v, c := range p {
		ck[c] += lg.k[v]
		csize[c]++
	}
	st.empty = st.empty[:0]
	for c := n - 1; c >= 0; c-- {
		if csize[c] == 0 {
			st.empty = append(st.empty, int32(c))
		}
	}
	queue, inq := st.queue[:n], st.inq[:n]
	for i := range queue {
		queue[i] = int32(i)
		inq[i] = true
	}
	shuffle(st.rng, queue)
	head, count := 0, n
	gamma := st.gamma
	for count > 0 {
		v := queue[head]
		head++
		if head == n {
			head = 0
		}
		count--
		inq[v] = false
		cur := p[v]
		kv := lg.k[v]
		// Weights are positive, so wc[c] == 0 means c is not yet touched.
		// Writing c unconditionally and advancing only for a new one avoids
		// a branch the processor could not predict.
		lo, hi := lg.off[v], lg.off[v+1]
		adj, ws := lg.adj[lo:hi], lg.w[lo:hi]
		touched := st.touched[:len(adj)]
		nt := 0
		for i, u := range adj {
			c := p[u]
			touched[nt] = c
			if wc[c] == 0 {
				nt++
			}
			wc[c] += ws[i]
		}
		touched = touched[:nt]
		ck[cur] -= kv
		gk := gamma * kv
		best := cur
		bestGain := wc[cur] - gk*ck[cur]
		for _, c := range touched {
			if gain := wc[c] - gk*ck[c]; gain > bestGain {
				best, bestGain = c, gain
			}
		}
		if bestGain < 0 && csize[cur] > 1 && len(st.empty) > 0 {
			best = st.empty[len(st.empty)-1]
			st.empty = st.empty[:len(st.empty)-1]
		}
		for _, c := range touched {
			wc[c] = 0
		}
		st.touched = touched
		ck[best] += kv
		if best == cur {
			continue
		}
		csize[cur]--
		if csize[cur] == 0 {
			st.empty = append(st.empty, cur)
		}
		csize[best]++
		p[v] = best
		for _, u := range adj {
			if !inq[u] && p[u] != best {
				inq[u] = true
				tail := head + count
				if tail >= n {
					tail -= n
				}
				queue[tail] = u
				count++
			}
		}
	}
}

// shuffle puts s in random order (Fisher–Yates).
func shuffle(rng *rand.Rand, s []int32) {
	for i := len(s) - 1; i > 0; i-- {
		j := rng.IntN(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}

// refine splits each community of p (ids 0..nc-1) into well-connected
// parts and returns the refined membership, each part named after a node
// in it. Communities are refined independently, each with its own random
// stream, so a community's parts do not depend on the others' (and the
// communities could be refined concurrently).
func (st *leiden) refine(lg *wgraph, p []int32, nc int) []int32 {
	members, start := st.group(p, nc)
	seed := st.rng.Uint64()
	for c := 0; c < nc; c++ {
		st.pcg.Seed(seed, uint64(c))
		st.refineCommunity(lg, p, int32(c), members[start[c]:start[c+1]])
	}
	return st.r[:lg.n()]
}

// refineCommunity refines community c with nodes ms: starting from
// singletons, each node that is well connected to its community joins, at
// random weighted towards higher gain, a well-connected part of the same
// community that does not lower modularity. It touches only the entries of
// ms in the node-indexed slices.
func (st *leiden) refineCommunity(lg *wgraph, p []int32, c int32, ms []int32) {
	r, rk, rext, vext, single, wc := st.r, st.rk, st.rext, st.vext, st.single, st.wc
	var kc float64 // community strength
	for _, v := range ms {
		r[v] = v
		rk[v] = lg.k[v]
		single[v] = true
		kc += lg.k[v]
		var e float64
		lo, hi := lg.off[v], lg.off[v+1]
		ws := lg.w[lo:hi]
		for i, u := range lg.adj[lo:hi] {
			if p[u] == c {
				e += ws[i]
			}
		}
		vext[v], rext[v] = e, e
	}
	if len(ms) == 1 {
		return
	}
	shuffle(st.crng, ms)
	gamma := st.gamma
	for _, v := range ms {
		if !single[v] || r[v] != v {
			continue
		}
		kv := lg.k[v]
		if vext[v] < gamma*kv*(kc-kv) {
			continue // not well connected to its community
		}
		// Take v out of its singleton and weigh the parts it could join. As
		// in moveNodes, wc[t] == 0 means part t is not yet touched; v's own
		// part is never among its neighbours' (v is alone in it).
		rk[v], rext[v] = 0, 0
		lo, hi := lg.off[v], lg.off[v+1]
		adj, ws := lg.adj[lo:hi], lg.w[lo:hi]
		touched := st.touched[:len(adj)]
		nt := 0
		for i, u := range adj {
			if p[u] != c {
				continue
			}
			t := r[u]
			touched[nt] = t
			if wc[t] == 0 {
				nt++
			}
			wc[t] += ws[i]
		}
		touched = touched[:nt]
		// v's own (now empty) part always qualifies, with gain 0.
		cand, prob := append(st.cand[:0], v), append(st.prob[:0], 0)
		maxGain, best := 0.0, 0
		gk := gamma * kv
		for _, t := range touched {
			if rext[t] < gamma*rk[t]*(kc-rk[t]) {
				continue // part not well connected
			}
			gain := wc[t] - gk*rk[t]
			if gain < 0 {
				continue
			}
			if gain > maxGain {
				maxGain, best = gain, len(cand)
			}
			cand = append(cand, t)
			prob = append(prob, gain)
		}
		// A part whose weight e^((gain−max)/θ) is below e^-40 could not
		// change the sum (at least 1) in float64: skip the exponential.
		var sum float64
		for i, gain := range prob {
			if d := (gain - maxGain) * (1 / leidenTheta); d > -40 {
				sum += expNeg(d)
			}
			prob[i] = sum
		}
		chosen := cand[best] // also if rounding puts x at sum
		if len(cand) > 1 {
			x := st.crng.Float64() * sum
			for i, cum := range prob {
				if x < cum {
					chosen = cand[i]
					break
				}
			}
		}
		r[v] = chosen
		rk[chosen] += kv
		rext[chosen] += vext[v] - 2*wc[chosen]
		if chosen != v {
			single[chosen] = false
		}
		for _, t := range touched {
			wc[t] = 0
		}
		st.touched, st.cand, st.prob = touched, cand, prob
	}
}

// aggregate builds into agg the graph whose nodes are r's communities
// (0..nr-1), linked with the summed weight of the links between them; links
// inside a community disappear (only its strength, kept in k, matters to
// modularity).
func (st *leiden) aggregate(lg *wgraph, r []int32, nr int, agg *wgraph) {
	members, start := st.group(r, nr)
	agg.off = slices.Grow(agg.off[:0], nr+1)[:nr+1]
	agg.k = slices.Grow(agg.k[:0], nr)[:nr]
	adj := slices.Grow(agg.adj[:0], len(lg.adj))[:len(lg.adj)]
	ws := slices.Grow(agg.w[:0], len(lg.adj))[:len(lg.adj)]
	pos := st.pos
	var end int32
	for c := int32(0); c < int32(nr); c++ {
		rowStart := end
		var k float64
		for _, v := range members[start[c]:start[c+1]] {
			k += lg.k[v]
			elo, ehi := lg.off[v], lg.off[v+1]
			eadj, ew := lg.adj[elo:ehi], lg.w[elo:ehi]
			for i, u := range eadj {
				d := r[u]
				if d == c {
					continue
				}
				if q := pos[d]; q >= rowStart { // d already in this row
					ws[q] += ew[i]
					continue
				}
				pos[d] = end
				adj[end], ws[end] = d, ew[i]
				end++
			}
		}
		agg.k[c] = k
		agg.off[c+1] = int64(end)
	}
	agg.off[0] = 0
	agg.adj, agg.w = adj[:end], ws[:end]
	for i := range pos[:nr] {
		pos[i] = -1
	}
}

// Modularity is the modularity of the partition membership (membership[v]
// is v's community; ids need not be compact but must not be negative) with
// the given resolution, as networkx.algorithms.community.modularity computes
// it: for an undirected graph Q = Σ_c [L_c/m − γ (K_c/2m)²], with L_c the
// weight inside community c, K_c its total strength and m the total weight;
// for a directed graph Q = Σ_c [L_c/m − γ K_c^out K_c^in / m²]. Weights are
// used when the graph is weighted. A graph without edges has modularity 0
// (networkx divides by zero).
func Modularity(g *Graph, membership []int32, resolution float64) float64 {
	n := g.N()
	if len(membership) != n {
		panic("graph: Modularity membership length differs from N")
	}
	if g.M() == 0 {
		return 0
	}
	ids := membership
	var maxID int32
	for _, c := range membership {
		if c < 0 {
			panic("graph: Modularity community id is negative")
		}
		maxID = max(maxID, c)
	}
	if int(maxID) >= 2*n {
		ids = make([]int32, n)
		copy(ids, membership)
		idx := map[int32]int32{}
		for i, c := range ids {
			d, ok := idx[c]
			if !ok {
				d = int32(len(idx))
				idx[c] = d
			}
			ids[i] = d
		}
		maxID = int32(len(idx) - 1)
	}
	kout := make([]float64, maxID+1)
	kin := kout
	if g.directed {
		kin = make([]float64, maxID+1)
	}
	var m, inside float64
	for e, w := range g.ew {
		u, v := g.src[e], g.dst[e]
		m += w
		kout[ids[u]] += w
		kin[ids[v]] += w
		if ids[u] == ids[v] {
			inside += w
		}
	}
	// For an undirected graph kout = kin holds each community's full
	// strength K_c (both ends of every edge were added to the same slice),
	// and Σ K_c² / (2m)² is the null model.
	var null float64
	for c := range kout {
		null += kout[c] * kin[c]
	}
	if g.directed {
		return inside/m - resolution*null/(m*m)
	}
	return inside/m - resolution*null/(4*m*m)
}

// expNeg approximates e^d for -40 < d <= 0 to about 1e-5, which is all the
// precision a random choice weighted by it needs, at a fraction of the cost
// of math.Exp.
func expNeg(d float64) float64 {
	x := d * math.Log2E
	i := math.Floor(x)
	f := x - i // 2^d = 2^i · 2^f with f in [0, 1)
	p := 1 + f*(0.6931471805599453+f*(0.2402265069591007+f*(0.05550410866482158+
		f*(0.009618129107628477+f*(0.0013333558146428443+f*0.00015403530393381606)))))
	return p * math.Float64frombits(uint64(int64(i)+1023)<<52)
}
