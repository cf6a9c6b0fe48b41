package graphfile

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The shared data folder sits next to the repository; the files are read in
// place and never copied into the repository.
const networks = "../../../shared/data/networks"

func needFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("SKIPPING: %s not found", path)
	}
}

func weightSum(t *testing.T, res *Result) float64 {
	t.Helper()
	s := 0.0
	for e := int32(0); e < int32(res.Graph.M()); e++ {
		_, _, w := res.Graph.Edge(e)
		s += w
	}
	return s
}

func TestRealKrebs(t *testing.T) {
	dir := filepath.Join(networks, "krebs_911")
	t.Run("krebs62", func(t *testing.T) {
		p := filepath.Join(dir, "krebs62_lcc_clean_edgelist.csv")
		needFile(t, p)
		res, err := Read(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		g := res.Graph
		if res.Format != "edgelist" || g.N() != 62 || g.M() != 153 || len(res.Warnings) != 0 {
			t.Fatalf("format %s N=%d M=%d warnings %q", res.Format, g.N(), g.M(), res.Warnings)
		}
		if _, ok := g.ID("Mohamed Atta"); !ok {
			t.Fatal("no Mohamed Atta")
		}
		if _, ok := g.ID("source"); ok {
			t.Fatal("header read as data")
		}
	})
	t.Run("terrorists_34", func(t *testing.T) {
		// Despite its .net name this is a plain space-separated edge list with
		// 0-based ids (no *Vertices line); terrorists_34_node_map.txt names them.
		p := filepath.Join(dir, "terrorists_34.net")
		needFile(t, p)
		res, err := Read(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		g := res.Graph
		if res.Format != "edgelist" || g.N() != 34 || g.M() != 93 {
			t.Fatalf("format %s N=%d M=%d", res.Format, g.N(), g.M())
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "read as a plain edge list") {
			t.Fatalf("warnings %q", res.Warnings)
		}
		if _, ok := g.ID("0"); !ok {
			t.Fatal("no node 0")
		}
	})
	t.Run("snabook raw", func(t *testing.T) {
		// Raw pairs with duplicates, reversed pairs and a trailing space:
		// SOURCE.md gives 69 names and 159 unique undirected edges.
		p := filepath.Join(dir, "9_11_edgelist_snabook.txt")
		needFile(t, p)
		res, err := Read(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		g := res.Graph
		if g.N() != 69 || g.M() != 159 {
			t.Fatalf("N=%d M=%d", g.N(), g.M())
		}
		if _, ok := g.ID("Mounir El Motassadeq"); !ok {
			t.Fatal("trailing space not trimmed")
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "duplicate edges") {
			t.Fatalf("warnings %q", res.Warnings)
		}
	})
}

func TestRealUCINETMatrices(t *testing.T) {
	dir := filepath.Join(networks, "ucinet_covert_mcmacdonald")
	// N and undirected E from SOURCE.md; arcs (directed ties) from SOURCE.md
	// for CAVIAR and CIELNET, and counted with Python's csv module for the
	// others (twice E for the symmetric matrices).
	for _, c := range []struct {
		file    string
		n, e, a int
	}{
		{"morselli_caviar.csv", 110, 205, 295},
		{"morselli_cielnet.csv", 25, 35, 45},
		{"morselli_siren.csv", 44, 103, 206},
		{"morselli_togo.csv", 33, 47, 94},
		{"natajaran_cocaine.csv", 28, 40, 40},
		{"natajaran_heroin.csv", 38, 87, 168},
		{"berlusconietal_oversize.csv", 89, 146, 292},
		{"ITALIAN_GANGS.csv", 67, 114, 228},
		{"LONDON_GANG.csv", 54, 315, 630},
		{"MONTREALGANG.csv", 35, 78, 153},
		{"macdonald_tfc.csv", 112, 361, 722},
		{"luciaetal_montagna.csv", 40, 51, 72},
	} {
		t.Run(c.file, func(t *testing.T) {
			p := filepath.Join(dir, c.file)
			needFile(t, p)
			for _, directed := range []bool{false, true} {
				res, err := Read(p, Options{Directed: directed, Weighted: true})
				if err != nil {
					t.Fatal(err)
				}
				g := res.Graph
				want := c.e
				if directed {
					want = c.a
				}
				if res.Format != "matrix" || g.N() != c.n || g.M() != want {
					t.Fatalf("directed=%v: format %s N=%d M=%d; want N=%d M=%d", directed, res.Format, g.N(), g.M(), c.n, want)
				}
			}
		})
	}
	t.Run("caviar weights", func(t *testing.T) {
		p := filepath.Join(dir, "morselli_caviar.csv")
		needFile(t, p)
		res, err := Read(p, Options{Weighted: true})
		if err != nil {
			t.Fatal(err)
		}
		// Calls 1→2 = 52 and 2→1 = 29: the undirected tie has 81.
		g := res.Graph
		u, _ := g.ID("1")
		v, _ := g.ID("2")
		i := slices.Index(g.Out(u), v)
		if i < 0 || g.OutWeights(u)[i] != 81 {
			t.Fatalf("tie 1–2 at %d, want weight 81", i)
		}
		if s := weightSum(t, res); s != 3546 {
			t.Fatalf("total weight %g, want 3546 (all calls)", s)
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "sum of both cells") {
			t.Fatalf("warnings %q", res.Warnings)
		}
	})
	t.Run("london symmetric weights", func(t *testing.T) {
		p := filepath.Join(dir, "LONDON_GANG.csv")
		needFile(t, p)
		res, err := Read(p, Options{Weighted: true})
		if err != nil {
			t.Fatal(err)
		}
		if s := weightSum(t, res); s != 505 || len(res.Warnings) != 0 {
			t.Fatalf("total weight %g (want 505, the upper triangle), warnings %q", s, res.Warnings)
		}
	})
	t.Run("NDRANGHETAMAFIA_2M is 2-mode", func(t *testing.T) {
		p := filepath.Join(dir, "NDRANGHETAMAFIA_2M.csv")
		needFile(t, p)
		_, err := Read(p, Options{})
		if err == nil {
			t.Fatal("a 2-mode matrix was read")
		}
		want := p + ":1: the first cell is empty, so this looks like a labelled adjacency matrix, but it has 47 column labels and 156 rows"
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "2-mode") {
			t.Fatalf("err %v", err)
		}
	})
}
