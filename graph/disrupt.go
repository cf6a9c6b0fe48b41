package graph

import (
	"fmt"
	"math"
	"slices"
)

// Measure scores every node of a graph (higher = more important), such as a
// centrality. Disrupt calls it on the shrinking network.
type Measure func(*Graph) []float64

// DisruptMode says how often Disrupt recomputes the measure.
type DisruptMode int

const (
	// Sequential recomputes the measure after every removal, so each
	// arrest is chosen knowing how the network rearranged after the last.
	Sequential DisruptMode = iota
	// Block removes the top BlockSize nodes at once, then recomputes: a
	// coordinated operation against several targets, and cheaper.
	Block
)

// DisruptOptions configure a disruption simulation.
type DisruptOptions struct {
	Mode DisruptMode
	// BlockSize is the number of nodes removed per step in Block mode;
	// 0 means 5.
	BlockSize int
	// Steps is the number of steps (one removal in Sequential mode, one
	// block in Block mode); 0 means until 5 or fewer nodes remain.
	Steps int
}

// DisruptResult is the course of a simulated disruption.
type DisruptResult struct {
	// Removed lists the removed nodes (ids in the original graph) in the
	// order they were removed.
	Removed []int32
	// Largest is the size of the largest connected component before any
	// removal, then after each step.
	Largest []int
	// Fraction is Largest[k] / Largest[0] (0 for an empty graph).
	Fraction []float64
}

// Disrupt simulates removing (arresting) the most important nodes by the
// measure and records how the largest connected component (weakly connected
// when directed) shrinks. The measure is recomputed on the remaining network
// (g.Induced) after every removal in Sequential mode and after every block in
// Block mode.
//
// Ties are broken by the lower original node id: of nodes with equal scores
// the one seen first by the Builder is removed first. A NaN score ranks below
// every number. The simulation stops after opt.Steps steps, when 5 or fewer
// nodes remain if Steps is 0, or when no node is left.
func Disrupt(g *Graph, by Measure, opt DisruptOptions) DisruptResult {
	n := g.N()
	per := 1
	if opt.Mode == Block {
		per = opt.BlockSize
		if per <= 0 {
			per = 5
		}
	}
	removed := make([]bool, n)
	seen := make([]bool, n)
	res := DisruptResult{Removed: []int32{}, Largest: []int{largestMasked(g, nil, seen)}}
	left := n
	h, orig := g, []int32(nil) // orig nil: h is g itself
	for step := 0; left > 0; step++ {
		if (opt.Steps > 0 && step >= opt.Steps) || (opt.Steps <= 0 && left <= 5) {
			break
		}
		if step > 0 {
			h, orig = g.Induced(removed)
		}
		score := by(h)
		if len(score) != h.N() {
			panic(fmt.Sprintf("graph: Disrupt measure returned %d values for %d nodes", len(score), h.N()))
		}
		// Induced keeps nodes in their original order, so h's lower ids are
		// the lower original ids and TopK's tie rule carries over.
		for _, v := range TopK(score, min(per, left)) {
			if orig != nil {
				v = orig[v]
			}
			removed[v] = true
			res.Removed = append(res.Removed, v)
			left--
		}
		res.Largest = append(res.Largest, largestMasked(g, removed, seen))
	}
	res.Fraction = make([]float64, len(res.Largest))
	if res.Largest[0] > 0 {
		for i, l := range res.Largest {
			res.Fraction[i] = float64(l) / float64(res.Largest[0])
		}
	}
	return res
}

// TopK returns the ids of the k highest values, highest first; equal values
// come in order of lower id, and NaN ranks below every number. k larger than
// len(values) returns all of them; k <= 0 returns none.
func TopK(values []float64, k int) []int32 {
	n := len(values)
	k = min(k, n)
	if k <= 0 {
		return []int32{}
	}
	// above reports whether i ranks before j.
	above := func(i, j int32) bool {
		a, b := values[i], values[j]
		switch {
		case a > b:
			return true
		case a < b:
			return false
		case a == b:
			return i < j
		}
		// At least one is NaN.
		an, bn := math.IsNaN(a), math.IsNaN(b)
		if an != bn {
			return bn
		}
		return i < j
	}
	cmp := func(i, j int32) int {
		if i == j {
			return 0
		}
		if above(i, j) {
			return -1
		}
		return 1
	}
	if k == 1 {
		best := int32(0)
		for i := int32(1); i < int32(n); i++ {
			if above(i, best) {
				best = i
			}
		}
		return []int32{best}
	}
	if k*8 >= n {
		ids := make([]int32, n)
		for i := range ids {
			ids[i] = int32(i)
		}
		slices.SortFunc(ids, cmp)
		return ids[:k:k]
	}
	// A min-heap (by rank) of the best k so far: its root is the weakest.
	h := make([]int32, 0, k)
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			c := l
			if r := l + 1; r < len(h) && above(h[l], h[r]) {
				c = r
			}
			if !above(h[i], h[c]) {
				return
			}
			h[i], h[c] = h[c], h[i]
			i = c
		}
	}
	for i := int32(0); i < int32(n); i++ {
		if len(h) < k {
			h = append(h, i)
			for j := len(h) - 1; j > 0; {
				p := (j - 1) / 2
				if !above(h[p], h[j]) {
					break
				}
				h[p], h[j] = h[j], h[p]
				j = p
			}
			continue
		}
		if above(i, h[0]) {
			h[0] = i
			down(0)
		}
	}
	slices.SortFunc(h, cmp)
	return h
}
