package graph

import (
	"slices"
	"testing"
)

func TestBuilderCSR(t *testing.T) {
	b := NewBuilder(false, true)
	b.AddEdge("a", "b", 2)
	b.AddEdge("b", "c", 1)
	b.AddEdge("c", "a", 4)
	b.AddEdge("b", "a", 3) // same undirected pair: last weight wins
	if b.AddEdge("c", "c", 1) {
		t.Fatal("self-loop accepted")
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if g.N() != 3 || g.M() != 3 || b.SelfLoops() != 1 {
		t.Fatalf("N=%d M=%d loops=%d", g.N(), g.M(), b.SelfLoops())
	}
	a, _ := g.ID("a")
	if got := g.Out(a); !slices.Equal(got, []int32{1, 2}) {
		t.Fatalf("Out(a)=%v", got)
	}
	if w := g.OutWeights(a); !slices.Equal(w, []float64{3, 4}) {
		t.Fatalf("weights=%v", w)
	}
	if g.Degree(a) != 2 {
		t.Fatal(g.Degree(a))
	}
	h, orig := g.Induced([]bool{false, true, false})
	if h.N() != 2 || h.M() != 1 || !slices.Equal(orig, []int32{0, 2}) {
		t.Fatalf("induced N=%d M=%d orig=%v", h.N(), h.M(), orig)
	}
}

func TestBuilderDirected(t *testing.T) {
	b := NewBuilder(true, false)
	b.AddEdge("a", "b", 9)
	b.AddEdge("b", "a", 9)
	b.AddEdge("c", "a", 9)
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	if g.M() != 3 {
		t.Fatal(g.M())
	}
	a, _ := g.ID("a")
	if !slices.Equal(g.In(a), []int32{1, 2}) || !slices.Equal(g.Out(a), []int32{1}) || g.Degree(a) != 3 {
		t.Fatalf("in=%v out=%v", g.In(a), g.Out(a))
	}
	if g.OutWeights(a)[0] != 1 {
		t.Fatal("unweighted graph kept a weight")
	}
}

func TestBuildRejectsBadWeight(t *testing.T) {
	b := NewBuilder(false, true)
	b.AddEdge("a", "b", 0)
	if _, err := b.Build(); err == nil {
		t.Fatal("zero weight accepted")
	}
}
