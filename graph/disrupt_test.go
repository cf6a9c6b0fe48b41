package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// degreeMeasure is the measure the tests disrupt by: each node's number of links.
func degreeMeasure(g *Graph) []float64 {
	d := make([]float64, g.N())
	for v := range d {
		d[v] = float64(g.Degree(int32(v)))
	}
	return d
}

// hubAndPath is a hub h with four leaves x1..x4, tied to the end a of a
// path a-b-c-d: ids h=0, x1..x4=1..4, a=5, b=6, c=7, d=8.
func hubAndPath() *Graph {
	b := NewBuilder(false, false)
	for _, l := range []string{"h", "x1", "x2", "x3", "x4", "a", "b", "c", "d"} {
		b.Node(l)
	}
	for _, e := range [][2]string{{"h", "x1"}, {"h", "x2"}, {"h", "x3"}, {"h", "x4"}, {"h", "a"}, {"a", "b"}, {"b", "c"}, {"c", "d"}} {
		b.AddEdge(e[0], e[1], 1)
	}
	g, _ := b.Build()
	return g
}

func TestDisruptSequential(t *testing.T) {
	g := hubAndPath()
	// Worked by hand: h (degree 5) goes first, leaving the path a-b-c-d
	// (4) and isolated leaves; then b and c tie at degree 2 and the lower
	// id, b, goes, leaving c-d (2); then c (degree 1, tied with d, lower
	// id); then every node has degree 0 and x1, the lowest id left, goes.
	// Five nodes remain, so it stops.
	res := Disrupt(g, degreeMeasure, DisruptOptions{})
	if !slices.Equal(res.Removed, []int32{0, 6, 7, 1}) {
		t.Fatalf("removed %v", res.Removed)
	}
	if !slices.Equal(res.Largest, []int{9, 4, 2, 1, 1}) {
		t.Fatalf("largest %v", res.Largest)
	}
	want := []float64{1, 4.0 / 9, 2.0 / 9, 1.0 / 9, 1.0 / 9}
	if !slices.Equal(res.Fraction, want) {
		t.Fatalf("fraction %v", res.Fraction)
	}
	// Steps limits the number of removals.
	res = Disrupt(g, degreeMeasure, DisruptOptions{Steps: 2})
	if !slices.Equal(res.Removed, []int32{0, 6}) || !slices.Equal(res.Largest, []int{9, 4, 2}) {
		t.Fatalf("2 steps: %v %v", res.Removed, res.Largest)
	}
}

func TestDisruptBlock(t *testing.T) {
	g := hubAndPath()
	// Block of 2 on the whole graph: h, then a (a, b, c tie at 2; a is the
	// lowest id). b-c-d remains (3). Recomputed: c (2), then b and d tie
	// at 1 and b goes. Five nodes remain.
	res := Disrupt(g, degreeMeasure, DisruptOptions{Mode: Block, BlockSize: 2})
	if !slices.Equal(res.Removed, []int32{0, 5, 7, 6}) || !slices.Equal(res.Largest, []int{9, 3, 1}) {
		t.Fatalf("removed %v largest %v", res.Removed, res.Largest)
	}
	if len(res.Fraction) != 3 || res.Fraction[1] != 3.0/9 {
		t.Fatalf("fraction %v", res.Fraction)
	}
	// The default block is 5; one step removes h, a, b, c and x1.
	res = Disrupt(g, degreeMeasure, DisruptOptions{Mode: Block, Steps: 1})
	if !slices.Equal(res.Removed, []int32{0, 5, 6, 7, 1}) || !slices.Equal(res.Largest, []int{9, 1}) {
		t.Fatalf("default block: %v %v", res.Removed, res.Largest)
	}
}

// TestDisruptRecomputes checks that the measure sees the remaining network
// (ids renumbered by Induced) and that its choices map back to g's ids.
func TestDisruptRecomputes(t *testing.T) {
	g := hubAndPath()
	rank := map[string]float64{"d": 9, "b": 8, "x3": 7, "h": 6}
	var sizes []int
	byLabel := func(h *Graph) []float64 {
		sizes = append(sizes, h.N())
		s := make([]float64, h.N())
		for v := range s {
			s[v] = rank[h.Label(int32(v))]
		}
		return s
	}
	res := Disrupt(g, byLabel, DisruptOptions{Steps: 4})
	if !slices.Equal(res.Removed, []int32{8, 6, 3, 0}) {
		t.Fatalf("removed %v", res.Removed)
	}
	if !slices.Equal(sizes, []int{9, 8, 7, 6}) {
		t.Fatalf("measure saw sizes %v", sizes)
	}
	// Without d the rest hangs together (8); without b, c is cut off (6);
	// without x3, 5; without h, everything is isolated.
	if !slices.Equal(res.Largest, []int{9, 8, 6, 5, 1}) {
		t.Fatalf("largest %v", res.Largest)
	}
}

func TestDisruptEdgeCases(t *testing.T) {
	empty, _ := NewBuilder(false, false).Build()
	res := Disrupt(empty, degreeMeasure, DisruptOptions{})
	if len(res.Removed) != 0 || !slices.Equal(res.Largest, []int{0}) || !slices.Equal(res.Fraction, []float64{0}) {
		t.Fatalf("empty: %+v", res)
	}
	// More steps than nodes: everything goes, then it stops.
	res = Disrupt(pairGraph(true, "a-b", "c"), degreeMeasure, DisruptOptions{Steps: 10})
	if !slices.Equal(res.Removed, []int32{0, 1, 2}) || !slices.Equal(res.Largest, []int{2, 1, 1, 0}) {
		t.Fatalf("all removed: %+v", res)
	}
	// A NaN score ranks below every number.
	nan := func(h *Graph) []float64 {
		s := degreeMeasure(h)
		s[0] = math.NaN()
		return s
	}
	res = Disrupt(pairGraph(false, "a-b", "b-c", "c-d", "e-f", "g"), nan, DisruptOptions{Mode: Block, BlockSize: 3, Steps: 1})
	if !slices.Equal(res.Removed, []int32{1, 2, 3}) {
		t.Fatalf("NaN: %v", res.Removed)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("a measure of the wrong length was accepted")
		}
	}()
	Disrupt(hubAndPath(), func(*Graph) []float64 { return []float64{1} }, DisruptOptions{})
}

func TestTopK(t *testing.T) {
	v := []float64{3, 1, 3, math.NaN(), 2, math.Inf(-1)}
	if got := TopK(v, 3); !slices.Equal(got, []int32{0, 2, 4}) {
		t.Fatal(got)
	}
	if got := TopK(v, 10); !slices.Equal(got, []int32{0, 2, 4, 1, 5, 3}) {
		t.Fatal(got)
	}
	if got := TopK(v, 1); !slices.Equal(got, []int32{0}) {
		t.Fatal(got)
	}
	if got := TopK(v, 0); got == nil || len(got) != 0 {
		t.Fatal(got)
	}
	if got := TopK(nil, 3); len(got) != 0 {
		t.Fatal(got)
	}
	// The heap (small k) and the sort (large k) agree with a plain sort,
	// ties and NaNs included.
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 50; trial++ {
		n := 1 + rng.IntN(2000)
		vals := make([]float64, n)
		for i := range vals {
			switch rng.IntN(10) {
			case 0:
				vals[i] = math.NaN()
			default:
				vals[i] = float64(rng.IntN(20))
			}
		}
		ids := make([]int32, n)
		for i := range ids {
			ids[i] = int32(i)
		}
		// A stable sort keeps ids in order among equals.
		slices.SortStableFunc(ids, func(a, b int32) int {
			va, vb := vals[a], vals[b]
			an, bn := math.IsNaN(va), math.IsNaN(vb)
			switch {
			case an && bn:
				return 0
			case an:
				return 1
			case bn:
				return -1
			case va > vb:
				return -1
			case va < vb:
				return 1
			}
			return 0
		})
		for _, k := range []int{1, 2, 7, n / 8, n / 2, n} {
			if k < 1 {
				continue
			}
			if got := TopK(vals, k); !slices.Equal(got, ids[:k]) {
				t.Fatalf("n=%d k=%d: %v, want %v", n, k, got, ids[:k])
			}
		}
	}
}
