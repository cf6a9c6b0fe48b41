package graph

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Point is a node position in layout units.
type Point struct{ X, Y float64 }

// LayoutOptions tune Layout.
type LayoutOptions struct {
	Iterations int             // 0 = a default suited to the graph's size
	Seed       uint64          // same graph, options and seed: same positions
	Fixed      map[int32]Point // nodes whose positions are given (kept as they are; used when a chart grows by expansion so existing nodes do not jump)
}

// Output scale, in layout units, which are meant as cytoscape.js model
// coordinates (pixels at zoom 1; cytoscape's default node is 30 across).
const (
	layoutEdgeLen = 80.0 // a layout's median edge, unless nodes would then crowd:
	layoutNNDist  = 50.0 // the median distance from a node to its nearest one is at least this
	layoutMinDist = 40.0 // nodes nearer than this are pushed apart
	layoutGap     = 80.0 // space between packed components
)

// ForceAtlas2 and its Barnes–Hut approximation.
const (
	faKr       = 2.0 // repulsion (Gephi's scaling ratio), internal units
	faKg       = 1.0 // gravity, internal units
	faJitter   = 0.1 // nodes start within this share of a mean edge of their cluster
	faCool     = 0.3 // share of the last level's steps over which moves shrink to nothing
	faCoarsest = 8   // coarsening stops at this many movable nodes
	faExactMax = 48  // repulsion is exact in levels this small
	bhTheta    = 1.2 // a cell is far when its side < θ × its distance
	bhLeaf     = 16  // quadtree cells with at most this many nodes are leaves
	bhBits     = 16  // Morton resolution per axis; cells this deep are leaves
)

// Layout places the nodes of g (edge direction ignored) so that linked nodes are near and others apart.
//
// It is ForceAtlas2 (Jacomy et al. 2014) with LinLog off: linked nodes
// attract in proportion to their distance, every two nodes repel with
// (deg u + 1)(deg v + 1)/distance, so that a hub keeps its leaves around it,
// and a gravity of (deg + 1) pulls toward the centre. Nodes move at Gephi's
// adaptive speed (each slows down as its force swings) and the moves shrink
// to nothing over the last steps. Repulsion is approximated with a
// Barnes–Hut quadtree (θ = 1.2), so a step costs O(n log n + m). A multilevel
// scheme settles the overall shape cheaply: the graph is coarsened by
// matching nodes with light neighbours, the coarsest graph is laid out from
// seeded random positions, and each finer level starts from the coarser
// one. Edge weights are ignored.
//
// Each connected component is laid out on its own; components are packed in
// rows, largest first, centred on the origin, so isolated nodes form a grid.
//
// Positions are meant as cytoscape.js model coordinates (pixels at zoom 1): a
// component is scaled so that its median edge is 80 long, or longer when its
// nodes would then crowd (the median distance from a node to its nearest
// neighbour is then 50), and nodes nearer than 40 are pushed apart, so that
// nodes of cytoscape's default size (30) seldom overlap.
//
// Fixed nodes keep exactly the given positions; ids out of range and
// non-finite points are ignored. The components that hold fixed nodes are
// laid out together: every other node starts next to the neighbour through
// which it is reached from the fixed nodes, at the scale of the given
// positions (at which their links would be in equilibrium, so an earlier
// Layout's scale is kept), and then settles. Components without fixed nodes
// are packed below them.
//
// Iterations is the number of force steps on the full graph (per
// component); coarser levels take as many again, tiny ones twice as many.
// The default is 100 under 100 nodes, 60 up to 1,000, falling to 40 from
// 2,250.
//
// The result depends only on g, Fixed, Iterations and Seed; everything runs
// on the calling goroutine.
func Layout(g *Graph, opt LayoutOptions) []Point {
	n := g.N()
	out := make([]Point, n)
	if n == 0 {
		return out
	}
	fixed := make([]bool, n)
	var fixedIDs []int32
	for v, p := range opt.Fixed {
		if v >= 0 && int(v) < n && layFinite(p.X) && layFinite(p.Y) {
			fixedIDs = append(fixedIDs, v)
		}
	}
	slices.Sort(fixedIDs)
	for _, v := range fixedIDs {
		fixed[v] = true
		out[v] = opt.Fixed[v]
	}

	memb, sizes := Components(g)
	start := make([]int, len(sizes)+1)
	for c, sz := range sizes {
		start[c+1] = start[c] + sz
	}
	members := make([]int32, n)
	next := slices.Clone(start)
	for v := range n {
		c := memb[v]
		members[next[c]] = int32(v)
		next[c]++
	}
	anchored := make([]bool, len(sizes))
	for _, v := range fixedIDs {
		anchored[memb[v]] = true
	}

	local := make([]int32, n)
	var blocks []layBlock
	var anchorNodes []int32
	for c := range sizes {
		nodes := members[start[c]:start[c+1]]
		if anchored[c] {
			anchorNodes = append(anchorNodes, nodes...)
			continue
		}
		blocks = append(blocks, layFree(g, nodes, local, opt, uint64(c), out))
	}
	var box *layBox
	if len(anchorNodes) > 0 {
		slices.Sort(anchorNodes)
		layAnchored(g, anchorNodes, local, fixed, opt, out)
		b := layBoxOf(out, anchorNodes)
		box = &b
	}
	layPack(blocks, box, out)
	return out
}

func layFinite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func layIota(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(i)
	}
	return s
}

func layIterations(opt LayoutOptions, n int) int {
	if opt.Iterations > 0 {
		return opt.Iterations
	}
	if n < 100 {
		return 100
	}
	return min(60, max(40, int(1900/math.Sqrt(float64(n)))))
}

// layFree lays out one component without fixed nodes, scaled to output
// units, rotated so that its long axis is horizontal, with its bounding box
// at the origin.
func layFree(g *Graph, nodes, local []int32, opt LayoutOptions, comp uint64, out []Point) layBlock {
	b := layBlock{nodes: nodes}
	if len(nodes) == 1 {
		out[nodes[0]] = Point{}
		return b
	}
	fg := newFAGraph(g, nodes, local, nil)
	k := len(nodes)
	x, y := make([]float64, k), make([]float64, k)
	rng := rand.New(rand.NewPCG(opt.Seed, comp))
	faMultilevel(fg, x, y, layIterations(opt, k), 0, rng)
	sc := layScale(fg, x, y)
	// Principal axis horizontal.
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(k)
	my /= float64(k)
	var sxx, syy, sxy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxx += dx * dx
		syy += dy * dy
		sxy += dx * dy
	}
	a := 0.5 * math.Atan2(2*sxy, sxx-syy)
	cos, sin := math.Cos(a)*sc, math.Sin(a)*sc
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		x[i], y[i] = dx*cos+dy*sin, -dx*sin+dy*cos
	}
	laySeparate(x, y, fg.fixed)
	for i, v := range nodes {
		out[v] = Point{x[i], y[i]}
	}
	bb := layBoxOf(out, nodes)
	for _, v := range nodes {
		out[v].X -= bb.x0
		out[v].Y -= bb.y0
	}
	b.w, b.h = bb.x1-bb.x0, bb.y1-bb.y0
	return b
}

// layScale is the factor from internal to output units: the median edge
// becomes layoutEdgeLen long, or longer if the median distance from a node
// to its nearest neighbour would otherwise be under layoutNNDist.
func layScale(fg *faGraph, x, y []float64) float64 {
	el := make([]float64, len(fg.ea))
	for e, a := range fg.ea {
		b := fg.eb[e]
		el[e] = math.Hypot(x[b]-x[a], y[b]-y[a])
	}
	slices.Sort(el)
	med := el[len(el)/2]
	if !(med > 0) {
		return 1
	}
	h := med * layoutNNDist / layoutEdgeLen
	nn := layNearest(x, y, h)
	slices.Sort(nn)
	sc := layoutEdgeLen / med
	if m := nn[len(nn)/2]; m < h && m > 0 {
		sc = layoutNNDist / m
	}
	return sc
}

// layNearest returns each node's distance to its nearest other node, or
// h if that is h or more.
func layNearest(x, y []float64, h float64) []float64 {
	var gr layGrid
	gr.build(x, y, h)
	nn := make([]float64, len(x))
	for i := range nn {
		d2 := h * h
		gr.near(x[i], y[i], func(j int32) {
			if int(j) != i {
				dx, dy := x[j]-x[i], y[j]-y[i]
				d2 = min(d2, dx*dx+dy*dy)
			}
		})
		nn[i] = math.Sqrt(d2)
	}
	return nn
}

// laySeparate pushes apart nodes nearer than layoutMinDist (output units),
// moving only those not fixed: a few sweeps of pushes, then any node still
// too near another (wedged among fixed ones, say) moves to the nearest clear
// spot on a spiral around it.
func laySeparate(x, y []float64, fixed []bool) {
	const d = layoutMinDist
	const tol = 0.999 * d * d // pushes leave pairs a rounding error short
	var gr layGrid
	done := false
	for sweep := 0; sweep < 10 && !done; sweep++ {
		gr.build(x, y, d)
		done = true
		for i := range x {
			gr.near(x[i], y[i], func(j int32) {
				if int(j) <= i || (fixed[i] && fixed[j]) {
					return
				}
				dx, dy := x[i]-x[j], y[i]-y[j]
				d2 := dx*dx + dy*dy
				if d2 >= tol {
					return
				}
				if d2 == 0 {
					dx, dy, d2 = layNudge(int32(i), j)
				}
				dist := math.Sqrt(d2)
				push := (d - dist) / dist
				switch {
				case fixed[i]:
					x[j] -= dx * push
					y[j] -= dy * push
				case fixed[j]:
					x[i] += dx * push
					y[i] += dy * push
				default:
					x[i] += dx * push / 2
					y[i] += dy * push / 2
					x[j] -= dx * push / 2
					y[j] -= dy * push / 2
				}
				done = false
			})
		}
	}
	if done {
		return
	}
	gr.build(x, y, d)
	var moved []int32 // their grid cells are stale
	clashes := func(i int, px, py float64) bool {
		hit := false
		near := func(j int32) {
			if dx, dy := x[j]-px, y[j]-py; int(j) != i && dx*dx+dy*dy < tol {
				hit = true
			}
		}
		gr.near(px, py, near)
		for _, j := range moved {
			near(j)
		}
		return hit
	}
	for i := range x {
		if fixed[i] || !clashes(i, x[i], y[i]) {
			continue
		}
		for ring := 1; ring <= 100; ring++ {
			r, steps := float64(ring)*d/2, 6*ring
			found := false
			for k := 0; k < steps && !found; k++ {
				a := 2 * math.Pi * (float64(k) + 0.5*float64(ring&1)) / float64(steps)
				px, py := x[i]+r*math.Cos(a), y[i]+r*math.Sin(a)
				if !clashes(i, px, py) {
					x[i], y[i] = px, py
					found = true
				}
			}
			if found {
				moved = append(moved, int32(i))
				break
			}
		}
	}
}

// layGrid hashes points into square cells of side h.
type layGrid struct {
	h, x0, y0 float64
	items     []layItem // by cell, then id
}

type layItem struct {
	cell uint64 // column << 32 | row
	i    int32
}

func (gr *layGrid) build(x, y []float64, h float64) {
	gr.x0, gr.y0 = slices.Min(x), slices.Min(y)
	if ext := max(slices.Max(x)-gr.x0, slices.Max(y)-gr.y0); ext/h > 1<<30 {
		h = ext / (1 << 30)
	}
	gr.h = h
	gr.items = gr.items[:0]
	for i := range x {
		cx, cy := gr.cellOf(x[i], y[i])
		gr.items = append(gr.items, layItem{cx<<32 | cy, int32(i)})
	}
	slices.SortFunc(gr.items, func(a, b layItem) int {
		switch {
		case a.cell < b.cell:
			return -1
		case a.cell > b.cell:
			return 1
		}
		return int(a.i - b.i)
	})
}

func (gr *layGrid) cellOf(x, y float64) (uint64, uint64) {
	return uint64(max(0, (x-gr.x0)/gr.h)), uint64(max(0, (y-gr.y0)/gr.h))
}

// near calls fn for every point in the 3×3 cells around (x, y).
func (gr *layGrid) near(x, y float64, fn func(j int32)) {
	cx, cy := gr.cellOf(x, y)
	lo := cy
	if lo > 0 {
		lo--
	}
	for gx := max(cx, 1) - 1; gx <= cx+1; gx++ {
		first, last := gx<<32|lo, gx<<32|(cy+1)
		k, _ := slices.BinarySearchFunc(gr.items, first, func(it layItem, c uint64) int {
			switch {
			case it.cell < c:
				return -1
			case it.cell > c:
				return 1
			}
			return 0
		})
		for ; k < len(gr.items) && gr.items[k].cell <= last; k++ {
			fn(gr.items[k].i)
		}
	}
}

// layAnchored lays out the components holding fixed nodes, in one run: the
// fixed nodes keep their positions and the others settle around them.
func layAnchored(g *Graph, nodes, local []int32, fixed []bool, opt LayoutOptions, out []Point) {
	fg := newFAGraph(g, nodes, local, fixed)
	if fg.nfree == 0 {
		return
	}
	k := len(nodes)
	var cx, cy float64
	nf := 0
	for i, v := range nodes {
		if fg.fixed[i] {
			cx += out[v].X
			cy += out[v].Y
			nf++
		}
	}
	cx /= float64(nf)
	cy /= float64(nf)
	sc := layVirialScale(fg, nodes, out)
	if sc == 0 {
		// No fixed links to learn the scale from: use that of a free layout.
		free := &faGraph{mass: fg.mass, fixed: make([]bool, k), nfree: k, ea: fg.ea, eb: fg.eb, ew: fg.ew}
		x, y := make([]float64, k), make([]float64, k)
		faMultilevel(free, x, y, layIterations(opt, k)/2+1, 0, rand.New(rand.NewPCG(opt.Seed, 1<<40)))
		sc = layScale(free, x, y)
	}
	x, y := make([]float64, k), make([]float64, k)
	for i, v := range nodes {
		if fg.fixed[i] {
			x[i] = (out[v].X - cx) / sc
			y[i] = (out[v].Y - cy) / sc
		}
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 1<<41))
	faMultilevel(fg, x, y, layIterations(opt, k), 0.3*layoutEdgeLen/sc, rng)
	for i, v := range nodes {
		if fg.fixed[i] {
			x[i], y[i] = out[v].X, out[v].Y
		} else {
			x[i], y[i] = cx+x[i]*sc, cy+y[i]*sc
		}
	}
	laySeparate(x, y, fg.fixed)
	for i, v := range nodes {
		if !fg.fixed[i] {
			out[v] = Point{x[i], y[i]}
		}
	}
}

// layVirialScale estimates the factor from internal to output units at
// which the fixed nodes' given positions are a ForceAtlas2 equilibrium of the
// graph they induce: there the virial of the forces vanishes,
// kr·Σ m_i·m_j = Σ_edges d² + kg·Σ m_i·|p_i − c| (in internal units, pairs
// and centres per component). It returns 0 when fixed nodes share no edge.
func layVirialScale(fg *faGraph, nodes []int32, out []Point) float64 {
	k := len(fg.mass)
	// Union-find over fixed–fixed edges.
	parent := layIota(k)
	find := func(a int32) int32 {
		for parent[a] != a {
			parent[a] = parent[parent[a]]
			a = parent[a]
		}
		return a
	}
	mass := make([]float64, k)
	var A float64
	for e, a := range fg.ea {
		b := fg.eb[e]
		if !fg.fixed[a] || !fg.fixed[b] {
			continue
		}
		pa, pb := out[nodes[a]], out[nodes[b]]
		dx, dy := pa.X-pb.X, pa.Y-pb.Y
		A += dx*dx + dy*dy
		mass[a]++
		mass[b]++
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	if A == 0 {
		return 0
	}
	sm := make([]float64, k)
	sm2 := make([]float64, k)
	sx := make([]float64, k)
	sy := make([]float64, k)
	for i := range k {
		if !fg.fixed[i] || mass[i] == 0 {
			continue
		}
		m := mass[i] + 1
		r := find(int32(i))
		sm[r] += m
		sm2[r] += m * m
		sx[r] += m * out[nodes[i]].X
		sy[r] += m * out[nodes[i]].Y
	}
	var R, G float64
	for i := range k {
		if !fg.fixed[i] || mass[i] == 0 {
			continue
		}
		r := find(int32(i))
		if int32(i) == r {
			R += faKr * (sm[r]*sm[r] - sm2[r]) / 2
		}
		p := out[nodes[i]]
		G += faKg * (mass[i] + 1) * math.Hypot(p.X-sx[r]/sm[r], p.Y-sy[r]/sm[r])
	}
	u := (-G + math.Sqrt(G*G+4*A*R)) / (2 * A) // internal length per output unit
	if !(u > 0) || !layFinite(1/u) {
		return 0
	}
	return 1 / u
}

type layBox struct{ x0, y0, x1, y1 float64 }

func layBoxOf(p []Point, nodes []int32) layBox {
	b := layBox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, v := range nodes {
		b.x0, b.x1 = min(b.x0, p[v].X), max(b.x1, p[v].X)
		b.y0, b.y1 = min(b.y0, p[v].Y), max(b.y1, p[v].Y)
	}
	return b
}

// layBlock is a component laid out on its own, its bounding box at the
// origin.
type layBlock struct {
	nodes []int32
	w, h  float64
}

// layPack arranges the blocks in rows, largest component first: centred on
// the origin, or when there is an anchored part (box) below it.
func layPack(blocks []layBlock, box *layBox, out []Point) {
	if len(blocks) == 0 {
		return
	}
	slices.SortStableFunc(blocks, func(a, b layBlock) int {
		if len(a.nodes) != len(b.nodes) {
			return len(b.nodes) - len(a.nodes)
		}
		return int(a.nodes[0] - b.nodes[0])
	})
	var area, maxW float64
	for _, b := range blocks {
		area += (b.w + layoutGap) * (b.h + layoutGap)
		maxW = max(maxW, b.w)
	}
	width := max(maxW, 1.5*math.Sqrt(area))
	if box != nil {
		width = max(maxW, box.x1-box.x0)
	}
	var x, y, rowH, totalW float64
	ox := make([]float64, len(blocks))
	oy := make([]float64, len(blocks))
	for i, b := range blocks {
		if x > 0 && x+b.w > width {
			x = 0
			y += rowH + layoutGap
			rowH = 0
		}
		ox[i], oy[i] = x, y
		totalW = max(totalW, x+b.w)
		x += b.w + layoutGap
		rowH = max(rowH, b.h)
	}
	totalH := y + rowH
	dx, dy := -totalW/2, -totalH/2
	if box != nil {
		dx, dy = box.x0, box.y1+layoutGap
	}
	for i, b := range blocks {
		for _, v := range b.nodes {
			out[v].X += ox[i] + dx
			out[v].Y += oy[i] + dy
		}
	}
}

// faGraph is the input of one force run: a weighted undirected graph whose
// nodes carry ForceAtlas2 masses, some of them fixed.
type faGraph struct {
	mass   []float64
	fixed  []bool
	nfree  int
	ea, eb []int32 // edge ends, ea < eb
	ew     []float64
}

// newFAGraph is the undirected, unweighted view of g restricted to nodes
// (ascending ids forming whole components); a node's mass is its degree + 1.
// local is scratch of length g.N() or nil; fixed is indexed by global id or
// nil.
func newFAGraph(g *Graph, nodes []int32, local []int32, fixed []bool) *faGraph {
	k := len(nodes)
	if local == nil {
		local = make([]int32, g.N())
	}
	for i, v := range nodes {
		local[v] = int32(i)
	}
	fg := &faGraph{mass: make([]float64, k), fixed: make([]bool, k)}
	var buf []int32
	for i, v := range nodes {
		buf = layNeighbours(g, v, buf[:0])
		fg.mass[i] = float64(len(buf) + 1)
		for _, u := range buf {
			if j := local[u]; j > int32(i) {
				fg.ea = append(fg.ea, int32(i))
				fg.eb = append(fg.eb, j)
				fg.ew = append(fg.ew, 1)
			}
		}
		if fixed != nil && fixed[v] {
			fg.fixed[i] = true
		} else {
			fg.nfree++
		}
	}
	return fg
}

// layNeighbours appends v's distinct neighbours, ignoring direction, in
// ascending order.
func layNeighbours(g *Graph, v int32, buf []int32) []int32 {
	out := g.Out(v)
	if !g.directed {
		return append(buf, out...)
	}
	in := g.In(v)
	i, j := 0, 0
	for i < len(out) || j < len(in) {
		switch {
		case j == len(in) || (i < len(out) && out[i] < in[j]):
			buf = append(buf, out[i])
			i++
		case i == len(out) || in[j] < out[i]:
			buf = append(buf, in[j])
			j++
		default:
			buf = append(buf, out[i])
			i++
			j++
		}
	}
	return buf
}

// coarsen merges movable nodes into clusters — a heavy-edge matching that
// prefers light neighbours, then each unmatched node joins its lightest
// matched neighbour — and returns the cluster graph and each node's cluster.
// Fixed nodes stay clusters of their own.
func (fg *faGraph) coarsen() (*faGraph, []int32) {
	n := len(fg.mass)
	off, adj, aw := fg.adjacency()
	order := layIota(n)
	slices.SortStableFunc(order, func(a, b int32) int {
		if fg.mass[a] < fg.mass[b] {
			return -1
		}
		if fg.mass[a] > fg.mass[b] {
			return 1
		}
		return 0
	})
	match := make([]int32, n)
	for i := range match {
		match[i] = -1
	}
	for _, u := range order {
		if fg.fixed[u] || match[u] >= 0 {
			continue
		}
		best, bestS := int32(-1), 0.0
		for k := off[u]; k < off[u+1]; k++ {
			v := adj[k]
			if fg.fixed[v] || match[v] >= 0 {
				continue
			}
			s := aw[k] / (fg.mass[u] * fg.mass[v])
			if best < 0 || s > bestS || (s == bestS && v < best) {
				best, bestS = v, s
			}
		}
		if best >= 0 {
			match[u], match[best] = best, u
		}
	}
	// rep[u] is a node standing for u's cluster: the lower end of a match.
	rep := make([]int32, n)
	cmass := make([]float64, n)
	for u := int32(0); int(u) < n; u++ {
		rep[u] = u
		if m := match[u]; m >= 0 && m < u {
			rep[u] = m
		}
		cmass[rep[u]] += fg.mass[u]
	}
	for _, u := range order {
		if fg.fixed[u] || match[u] >= 0 {
			continue
		}
		best := int32(-1)
		for k := off[u]; k < off[u+1]; k++ {
			v := adj[k]
			if fg.fixed[v] || match[v] < 0 {
				continue
			}
			r := rep[v]
			if best < 0 || cmass[r] < cmass[best] || (cmass[r] == cmass[best] && r < best) {
				best = r
			}
		}
		if best >= 0 {
			cmass[u] -= fg.mass[u]
			rep[u] = best
			cmass[best] += fg.mass[u]
		}
	}
	// Number clusters by their lowest member.
	cid := make([]int32, n)
	for i := range cid {
		cid[i] = -1
	}
	parent := make([]int32, n)
	nc := int32(0)
	for u := 0; u < n; u++ {
		r := rep[u]
		if cid[r] < 0 {
			cid[r] = nc
			nc++
		}
		parent[u] = cid[r]
	}
	c := &faGraph{mass: make([]float64, nc), fixed: make([]bool, nc)}
	for u := 0; u < n; u++ {
		p := parent[u]
		c.mass[p] += fg.mass[u]
		if fg.fixed[u] {
			c.fixed[p] = true
		}
	}
	for p := range c.fixed {
		if !c.fixed[p] {
			c.nfree++
		}
	}
	type kw struct {
		key uint64
		w   float64
	}
	es := make([]kw, 0, len(fg.ea))
	for e, a := range fg.ea {
		pa, pb := parent[a], parent[fg.eb[e]]
		if pa == pb {
			continue
		}
		if pa > pb {
			pa, pb = pb, pa
		}
		es = append(es, kw{uint64(pa)<<32 | uint64(pb), fg.ew[e]})
	}
	slices.SortStableFunc(es, func(a, b kw) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	for i := 0; i < len(es); {
		j, w := i, 0.0
		for ; j < len(es) && es[j].key == es[i].key; j++ {
			w += es[j].w
		}
		c.ea = append(c.ea, int32(es[i].key>>32))
		c.eb = append(c.eb, int32(uint32(es[i].key)))
		c.ew = append(c.ew, w)
		i = j
	}
	return c, parent
}

// faMultilevel lays out fg: x, y hold the fixed nodes' positions (internal
// units) and receive everyone's. It coarsens fg, lays out the coarsest graph
// from a seeded start, and refines level by level. r0 is how far from a
// placed neighbour a node starts when there are fixed nodes.
func faMultilevel(fg *faGraph, x, y []float64, iters int, r0 float64, rng *rand.Rand) {
	levels := []*faGraph{fg}
	var parents [][]int32
	for len(levels) < 64 {
		top := levels[len(levels)-1]
		if top.nfree <= faCoarsest {
			break
		}
		c, p := top.coarsen()
		if float64(c.nfree) > 0.85*float64(top.nfree) {
			break
		}
		levels = append(levels, c)
		parents = append(parents, p)
	}
	xs, ys := make([][]float64, len(levels)), make([][]float64, len(levels))
	xs[0], ys[0] = x, y
	for l := 1; l < len(levels); l++ {
		xs[l] = make([]float64, len(levels[l].mass))
		ys[l] = make([]float64, len(levels[l].mass))
		for u, p := range parents[l-1] {
			if levels[l-1].fixed[u] {
				xs[l][p], ys[l][p] = xs[l-1][u], ys[l-1][u]
			}
		}
	}
	top := len(levels) - 1
	faStart(levels[top], xs[top], ys[top], r0, rng)
	var sim faSim
	for l := top; l >= 0; l-- {
		it := iters
		if l > 0 {
			if len(levels[l].mass) <= faExactMax {
				it = 2 * iters
			}
		}
		sim.reset(levels[l], xs[l], ys[l])
		if l > 0 {
			sim.run(it, 0)
		} else {
			sim.run(it, int(faCool*float64(it)))
		}
		if l == 0 {
			break
		}
		// Prolong: each movable node starts near its cluster.
		r := faJitter * sim.meanEdge()
		fine := levels[l-1]
		for u, p := range parents[l-1] {
			if fine.fixed[u] {
				continue
			}
			a := rng.Float64() * 2 * math.Pi
			d := r * math.Sqrt(rng.Float64())
			xs[l-1][u] = xs[l][p] + d*math.Cos(a)
			ys[l-1][u] = ys[l][p] + d*math.Sin(a)
		}
	}
}

// adjacency is fg's edges as compressed rows.
func (fg *faGraph) adjacency() (off, adj []int32, aw []float64) {
	n := len(fg.mass)
	off = make([]int32, n+1)
	for e := range fg.ea {
		off[fg.ea[e]+1]++
		off[fg.eb[e]+1]++
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
	}
	next := slices.Clone(off[:n])
	adj = make([]int32, off[n])
	aw = make([]float64, off[n])
	for e, a := range fg.ea {
		b, w := fg.eb[e], fg.ew[e]
		adj[next[a]], aw[next[a]] = b, w
		next[a]++
		adj[next[b]], aw[next[b]] = a, w
		next[b]++
	}
	return off, adj, aw
}

// faStart places the movable nodes of the coarsest graph: breadth first from
// the fixed nodes, each within r0 of the neighbour that reached it; at random
// in a square when there are no fixed nodes (or none reaches them).
func faStart(fg *faGraph, x, y []float64, r0 float64, rng *rand.Rand) {
	placed := slices.Clone(fg.fixed)
	if fg.nfree < len(fg.mass) {
		off, adj, _ := fg.adjacency()
		var queue []int32
		for i, f := range fg.fixed {
			if f {
				queue = append(queue, int32(i))
			}
		}
		for q := 0; q < len(queue); q++ {
			v := queue[q]
			for _, u := range adj[off[v]:off[v+1]] {
				if placed[u] {
					continue
				}
				placed[u] = true
				a := rng.Float64() * 2 * math.Pi
				d := r0 * (0.5 + 0.5*rng.Float64())
				x[u] = x[v] + d*math.Cos(a)
				y[u] = y[v] + d*math.Sin(a)
				queue = append(queue, u)
			}
		}
	}
	var total float64
	for _, m := range fg.mass {
		total += m
	}
	r := math.Sqrt(faKr * total)
	for i := range x {
		if !placed[i] {
			x[i] = (rng.Float64()*2 - 1) * r
			y[i] = (rng.Float64()*2 - 1) * r
		}
	}
}

// faSim is the ForceAtlas2 state of one level.
type faSim struct {
	g              *faGraph
	x, y           []float64
	fx, fy, ox, oy []float64
	free           []int32
	speed, eff     float64
	damp           float64 // displacement factor while cooling

	tree         bhTree
	stack        []int32
	interactions int64 // repulsion terms evaluated, for tests
}

func (s *faSim) reset(g *faGraph, x, y []float64) {
	k := len(x)
	s.g, s.x, s.y = g, x, y
	grow := func(a []float64) []float64 {
		if cap(a) < k {
			return make([]float64, k)
		}
		a = a[:k]
		clear(a)
		return a
	}
	s.fx, s.fy, s.ox, s.oy = grow(s.fx), grow(s.fy), grow(s.ox), grow(s.oy)
	s.free = s.free[:0]
	for i, f := range g.fixed {
		if !f {
			s.free = append(s.free, int32(i))
		}
	}
	s.speed, s.eff = 1, 1
}

// run does iters steps, the last cool of them with displacements shrinking
// linearly towards zero.
func (s *faSim) run(iters, cool int) {
	s.damp = 1
	for it := 0; it < iters; it++ {
		if left := iters - it; left <= cool {
			s.damp = float64(left) / float64(cool+1)
		}
		s.step()
	}
}

func (s *faSim) meanEdge() float64 {
	if len(s.g.ea) == 0 {
		return 1
	}
	var sum float64
	for e, a := range s.g.ea {
		b := s.g.eb[e]
		sum += math.Hypot(s.x[b]-s.x[a], s.y[b]-s.y[a])
	}
	return sum / float64(len(s.g.ea))
}

func (s *faSim) step() {
	s.ox, s.fx = s.fx, s.ox
	s.oy, s.fy = s.fy, s.oy
	clear(s.fx)
	clear(s.fy)
	mass := s.g.mass
	if len(s.x) <= faExactMax {
		s.repelExact()
	} else {
		s.tree.build(s.x, s.y, mass, s.g.fixed)
		s.repelTree()
	}
	for _, i := range s.free {
		dx, dy := s.x[i], s.y[i] // gravity pulls to the origin
		if d := math.Sqrt(dx*dx + dy*dy); d > 0 {
			f := faKg * mass[i] / d
			s.fx[i] -= dx * f
			s.fy[i] -= dy * f
		}
	}
	for e, a := range s.g.ea {
		b, w := s.g.eb[e], s.g.ew[e]
		dx, dy := (s.x[b]-s.x[a])*w, (s.y[b]-s.y[a])*w
		s.fx[a] += dx
		s.fy[a] += dy
		s.fx[b] -= dx
		s.fy[b] -= dy
	}
	s.move()
}

// move is ForceAtlas2's adaptive speed (as in Gephi): the global speed rises
// while nodes keep their direction and falls when they swing, and each node
// is slowed further by its own swinging.
func (s *faSim) move() {
	mass := s.g.mass
	var swing, tract float64
	for _, i := range s.free {
		sx, sy := s.ox[i]-s.fx[i], s.oy[i]-s.fy[i]
		tx, ty := s.ox[i]+s.fx[i], s.oy[i]+s.fy[i]
		swing += mass[i] * math.Sqrt(sx*sx+sy*sy)
		tract += mass[i] * 0.5 * math.Sqrt(tx*tx+ty*ty)
	}
	if swing > 0 && tract > 0 {
		k := float64(len(s.x))
		est := 0.05 * math.Sqrt(k)
		jt := max(math.Sqrt(est), min(10, est*tract/(k*k)))
		const minEff = 0.05
		if swing/tract > 2 {
			if s.eff > minEff {
				s.eff *= 0.5
			}
			jt = max(jt, 1)
		}
		target := jt * s.eff * tract / swing
		if swing > jt*tract {
			if s.eff > minEff {
				s.eff *= 0.7
			}
		} else if s.speed < 1000 {
			s.eff *= 1.3
		}
		s.speed += min(target-s.speed, 0.5*s.speed)
	}
	for _, i := range s.free {
		sx, sy := s.ox[i]-s.fx[i], s.oy[i]-s.fy[i]
		sw := mass[i] * math.Sqrt(sx*sx+sy*sy)
		f := s.damp * s.speed / (1 + math.Sqrt(s.speed*sw))
		s.x[i] += s.fx[i] * f
		s.y[i] += s.fy[i] * f
	}
}

// repelExact adds every pair's repulsion kr·m_i·m_j/d.
func (s *faSim) repelExact() {
	k := len(s.x)
	mass, fixed := s.g.mass, s.g.fixed
	for i := 0; i < k; i++ {
		xi, yi, mi := s.x[i], s.y[i], faKr*mass[i]
		var fx, fy float64
		for j := i + 1; j < k; j++ {
			if fixed[i] && fixed[j] {
				continue
			}
			dx, dy := xi-s.x[j], yi-s.y[j]
			d2 := dx*dx + dy*dy
			if d2 == 0 {
				dx, dy, d2 = layNudge(int32(i), int32(j))
			}
			f := mi * mass[j] / d2
			fx += dx * f
			fy += dy * f
			s.fx[j] -= dx * f
			s.fy[j] -= dy * f
		}
		s.fx[i] += fx
		s.fy[i] += fy
	}
	s.interactions += int64(k * (k - 1) / 2)
}

// layNudge is a small deterministic separation for nodes i < j at the same
// place: a vector from j to i and its squared length.
func layNudge(i, j int32) (dx, dy, d2 float64) {
	a := float64(uint32(i)*2654435761+uint32(j)*40503) * (2 * math.Pi / (1 << 32))
	const r = 0.01
	return r * math.Cos(a), r * math.Sin(a), r * r
}

// repelTree adds the repulsion on every movable node, one quadtree leaf at a
// time: a cell far from the whole leaf acts through its mass at its centre
// of mass, a near leaf node by node.
func (s *faSim) repelTree() {
	t := &s.tree
	const th2 = bhTheta * bhTheta
	for gi := range t.cells {
		g := &t.cells[gi]
		if g.child >= 0 || g.nfree == 0 {
			continue
		}
		glo, ghi := g.lo, g.hi
		gx, gy, gm := t.px[glo:ghi], t.py[glo:ghi], t.pm[glo:ghi]
		gfx, gfy := t.fx[glo:ghi], t.fy[glo:ghi]
		x0, x1, y0, y1 := gx[0], gx[0], gy[0], gy[0]
		for a := 1; a < len(gx); a++ {
			x0, x1 = min(x0, gx[a]), max(x1, gx[a])
			y0, y1 = min(y0, gy[a]), max(y1, gy[a])
		}
		var count int64
		stack := append(s.stack[:0], 0)
		for len(stack) > 0 {
			c := &t.cells[stack[len(stack)-1]]
			stack = stack[:len(stack)-1]
			if c.lo <= glo && ghi <= c.hi { // c holds the leaf itself
				if c.child >= 0 {
					for ch := c.child; ch < c.child+c.nchild; ch++ {
						stack = append(stack, ch)
					}
					continue
				}
				for a := range gx {
					for b := a + 1; b < len(gx); b++ {
						dx, dy := gx[a]-gx[b], gy[a]-gy[b]
						d2 := dx*dx + dy*dy
						if d2 == 0 {
							dx, dy, d2 = layNudge(t.perm[glo+int32(a)], t.perm[glo+int32(b)])
						}
						f := faKr * gm[a] * gm[b] / d2
						gfx[a] += dx * f
						gfy[a] += dy * f
						gfx[b] -= dx * f
						gfy[b] -= dy * f
					}
				}
				count += int64(len(gx) * (len(gx) - 1) / 2)
				continue
			}
			dx := max(x0-c.cx, c.cx-x1, 0)
			dy := max(y0-c.cy, c.cy-y1, 0)
			if c.w*c.w < th2*(dx*dx+dy*dy) {
				km := faKr * c.m
				for a := range gx {
					dx, dy := gx[a]-c.cx, gy[a]-c.cy
					f := km * gm[a] / (dx*dx + dy*dy)
					gfx[a] += dx * f
					gfy[a] += dy * f
				}
				count += int64(len(gx))
				continue
			}
			if c.child >= 0 {
				for ch := c.child; ch < c.child+c.nchild; ch++ {
					stack = append(stack, ch)
				}
				continue
			}
			cx, cy, cm := t.px[c.lo:c.hi], t.py[c.lo:c.hi], t.pm[c.lo:c.hi]
			for a := range gx {
				xa, ya := gx[a], gy[a]
				var fx, fy float64
				for b := range cx {
					dx, dy := xa-cx[b], ya-cy[b]
					d2 := dx*dx + dy*dy
					if d2 == 0 {
						i, j := t.perm[glo+int32(a)], t.perm[c.lo+int32(b)]
						if i < j {
							dx, dy, d2 = layNudge(i, j)
						} else {
							dx, dy, d2 = layNudge(j, i)
							dx, dy = -dx, -dy
						}
					}
					f := cm[b] / d2
					fx += dx * f
					fy += dy * f
				}
				km := faKr * gm[a]
				gfx[a] += fx * km
				gfy[a] += fy * km
			}
			count += int64(len(gx) * len(cx))
		}
		s.stack = stack
		s.interactions += count
	}
	for r, i := range t.perm {
		s.fx[i] += t.fx[r]
		s.fy[i] += t.fy[r]
	}
}

// bhTree is a quadtree over node positions, built from their Morton order.
// Cells are stored in one slice; a cell's non-empty children are
// consecutive, and its nodes are the range lo..hi of the Morton order.
type bhTree struct {
	cells          []bhCell
	keys, tmp      []uint64
	perm           []int32   // node at each Morton rank
	px, py, pm, fx []float64 // by Morton rank
	fy             []float64
	pfree          []bool
}

type bhCell struct {
	cx, cy, m float64 // centre of mass, mass
	w         float64 // side
	child     int32   // first child, or -1 for a leaf
	nchild    int32
	lo, hi    int32
	nfree     int32
}

func (t *bhTree) build(x, y, m []float64, fixed []bool) {
	k := len(x)
	x0, y0, x1, y1 := x[0], y[0], x[0], y[0]
	for i := 1; i < k; i++ {
		x0, x1 = min(x0, x[i]), max(x1, x[i])
		y0, y1 = min(y0, y[i]), max(y1, y[i])
	}
	w := max(x1-x0, y1-y0)
	if !(w > 0) {
		w = 1
	}
	sc := float64(1<<bhBits-1) / w
	t.keys = t.keys[:0]
	for i := 0; i < k; i++ {
		qx := uint32((x[i] - x0) * sc)
		qy := uint32((y[i] - y0) * sc)
		t.keys = append(t.keys, uint64(laySpread(qx)|laySpread(qy)<<1)<<32|uint64(i))
	}
	t.tmp = layResize(t.tmp, k)
	layRadixSort(t.keys, t.tmp)
	t.perm = layResize(t.perm, k)
	t.px, t.py, t.pm = layResize(t.px, k), layResize(t.py, k), layResize(t.pm, k)
	t.fx, t.fy = layResize(t.fx, k), layResize(t.fy, k)
	clear(t.fx)
	clear(t.fy)
	t.pfree = layResize(t.pfree, k)
	for r, key := range t.keys {
		i := int32(uint32(key))
		t.perm[r] = i
		t.px[r], t.py[r], t.pm[r] = x[i], y[i], m[i]
		t.pfree[r] = !fixed[i]
	}
	t.cells = append(t.cells[:0], bhCell{w: w, lo: 0, hi: int32(k)})
	t.split(0, 0)
}

// layRadixSort sorts keys by their high 32 bits, stably; tmp is scratch of
// the same length.
func layRadixSort(keys, tmp []uint64) {
	for shift := 32; shift < 64; shift += 8 {
		var count [257]int
		for _, k := range keys {
			count[(k>>shift)&0xff+1]++
		}
		if count[(keys[0]>>shift)&0xff+1] == len(keys) {
			continue // every key has this digit
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, k := range keys {
			d := (k >> shift) & 0xff
			tmp[count[d]] = k
			count[d]++
		}
		copy(keys, tmp)
	}
}

func layResize[T any](s []T, k int) []T {
	if cap(s) < k {
		return make([]T, k)
	}
	return s[:k]
}

// laySpread moves bit b of v (b < 16) to bit 2b.
func laySpread(v uint32) uint32 {
	v &= 0xffff
	v = (v | v<<8) & 0x00ff00ff
	v = (v | v<<4) & 0x0f0f0f0f
	v = (v | v<<2) & 0x33333333
	v = (v | v<<1) & 0x55555555
	return v
}

func (t *bhTree) split(ci int32, depth int) {
	c := t.cells[ci]
	if int(c.hi-c.lo) <= bhLeaf || depth >= bhBits {
		var sm, sx, sy float64
		var nf int32
		for r := c.lo; r < c.hi; r++ {
			sm += t.pm[r]
			sx += t.pm[r] * t.px[r]
			sy += t.pm[r] * t.py[r]
			if t.pfree[r] {
				nf++
			}
		}
		cp := &t.cells[ci]
		cp.child = -1
		cp.m, cp.cx, cp.cy, cp.nfree = sm, sx/sm, sy/sm, nf
		return
	}
	shift := 62 - 2*depth // quadrant bits of the Morton code (bits 32..63 of a key)
	first := int32(len(t.cells))
	for r := c.lo; r < c.hi; {
		q := t.keys[r] >> shift & 3
		e := r + 1
		for e < c.hi && t.keys[e]>>shift&3 == q {
			e++
		}
		t.cells = append(t.cells, bhCell{w: c.w / 2, lo: r, hi: e})
		r = e
	}
	n := int32(len(t.cells)) - first
	var sm, sx, sy float64
	var nf int32
	for ch := first; ch < first+n; ch++ {
		t.split(ch, depth+1)
		cc := &t.cells[ch]
		sm += cc.m
		sx += cc.m * cc.cx
		sy += cc.m * cc.cy
		nf += cc.nfree
	}
	cp := &t.cells[ci]
	cp.child, cp.nchild = first, n
	cp.m, cp.cx, cp.cy, cp.nfree = sm, sx/sm, sy/sm, nf
}
