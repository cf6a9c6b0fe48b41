package graphfile

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// writeEdgeList writes m random edges among n nodes, with weights, from a
// seeded generator; sep is ',' or ' '.
func writeEdgeList(tb testing.TB, path string, n, m int, sep byte) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	r := rand.New(rand.NewPCG(1, 2))
	if sep == ',' {
		w.WriteString("source,target,weight\n")
	}
	for i := 0; i < m; i++ {
		fmt.Fprintf(w, "person%d%cperson%d%c%d\n", r.IntN(n), sep, r.IntN(n), sep, 1+r.IntN(20))
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

func benchRead(b *testing.B, sep byte) {
	const n, m = 200_000, 1_000_000
	path := filepath.Join(b.TempDir(), "edges.csv")
	writeEdgeList(b, path, n, m, sep)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := Read(path, Options{Weighted: true})
		if err != nil {
			b.Fatal(err)
		}
		if res.Graph.M() < m*99/100 {
			b.Fatalf("M=%d", res.Graph.M())
		}
	}
}

// BenchmarkReadEdgeList reads a 1,000,000-edge weighted CSV edge list
// (200,000 nodes).
func BenchmarkReadEdgeList(b *testing.B) { benchRead(b, ',') }

// BenchmarkReadEdgeListSpaces reads the same as a space-separated file.
func BenchmarkReadEdgeListSpaces(b *testing.B) { benchRead(b, ' ') }
