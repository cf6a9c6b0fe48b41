package graphfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/rabta/rabta/graph"
)

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

func csvRecord(t *testing.T, s string) []string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if err != nil {
		t.Fatalf("encoding/csv on %q: %v", s, err)
	}
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec
}

// sameGraph compares two graphs by label: the same direction, weighting,
// labels, edges and weights. With exact, node and edge ids must match too.
func sameGraph(a, b *graph.Graph, exact bool) error {
	if a.Directed() != b.Directed() || a.Weighted() != b.Weighted() {
		return fmt.Errorf("directed/weighted %v/%v vs %v/%v", a.Directed(), a.Weighted(), b.Directed(), b.Weighted())
	}
	if a.N() != b.N() || a.M() != b.M() {
		return fmt.Errorf("N=%d M=%d vs N=%d M=%d", a.N(), a.M(), b.N(), b.M())
	}
	if exact {
		for v := range a.Labels() {
			if a.Label(int32(v)) != b.Label(int32(v)) {
				return fmt.Errorf("node %d: %q vs %q", v, a.Label(int32(v)), b.Label(int32(v)))
			}
		}
		for e := int32(0); e < int32(a.M()); e++ {
			u1, v1, w1 := a.Edge(e)
			u2, v2, w2 := b.Edge(e)
			if u1 != u2 || v1 != v2 || w1 != w2 {
				return fmt.Errorf("edge %d: %d-%d:%g vs %d-%d:%g", e, u1, v1, w1, u2, v2, w2)
			}
		}
		return nil
	}
	for _, l := range a.Labels() {
		if _, ok := b.ID(l); !ok {
			return fmt.Errorf("label %q missing", l)
		}
	}
	for e := int32(0); e < int32(a.M()); e++ {
		u, v, w := a.Edge(e)
		bu, _ := b.ID(a.Label(u))
		bv, _ := b.ID(a.Label(v))
		found := false
		for i, x := range b.Out(bu) {
			if x == bv {
				found = true
				if bw := b.OutWeights(bu)[i]; bw != w {
					return fmt.Errorf("edge %q-%q: weight %g vs %g", a.Label(u), a.Label(v), w, bw)
				}
			}
		}
		if !found {
			return fmt.Errorf("edge %q-%q missing", a.Label(u), a.Label(v))
		}
	}
	return nil
}

// reread writes g in the format and reads it back.
func reread(g *graph.Graph, format string, attrs map[string][]float64, groups map[string][]int32) (*Result, []byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, g, format, attrs, groups); err != nil {
		return nil, nil, err
	}
	name := "out." + format
	res, err := Parse(bytes.NewReader(buf.Bytes()), name, Options{Directed: g.Directed(), Weighted: g.Weighted()})
	return res, buf.Bytes(), err
}

func testGraph(t *testing.T, directed, weighted bool) *graph.Graph {
	t.Helper()
	b := graph.NewBuilder(directed, weighted)
	b.Node("solo") // isolated
	edges := []struct {
		u, v string
		w    float64
	}{
		{"Mohamed Atta", "Marwan Al-Shehhi", 3},
		{"Smith, J", `O"Neil`, 0.1},
		{"#hash", "%pct", 1e-9},
		{"José Ñúñez", "李小龙", 12345.678},
		{"line\nbreak", "tab\there", 2},
		{"a<b>&c", "'single'", 7},
		{"Marwan Al-Shehhi", "Mohamed Atta", 4},
		{"source", "target", 1},
		{"1", "2", 1.5},
	}
	for _, e := range edges {
		b.AddEdge(e.u, e.v, e.w)
	}
	b.AddEdge("loop", "loop", 1) // leaves an isolated node
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestRoundTrip(t *testing.T) {
	for _, directed := range []bool{false, true} {
		for _, weighted := range []bool{false, true} {
			g := testGraph(t, directed, weighted)
			attrs := map[string][]float64{"betweenness": make([]float64, g.N())}
			groups := map[string][]int32{"community": make([]int32, g.N())}
			for v := range g.N() {
				attrs["betweenness"][v] = float64(v) / 3
				groups["community"][v] = int32(v % 3)
			}
			attrs["betweenness"][1] = math.NaN()
			for _, format := range []string{"graphml", "gexf", "csv"} {
				t.Run(fmt.Sprintf("%s/directed=%v/weighted=%v", format, directed, weighted), func(t *testing.T) {
					res, out, err := reread(g, format, attrs, groups)
					if err != nil {
						t.Fatalf("%v\n%s", err, out)
					}
					if len(res.Warnings) != 0 {
						t.Errorf("warnings %q", res.Warnings)
					}
					if err := sameGraph(g, res.Graph, format != "csv"); err != nil {
						t.Fatalf("%v\n%s", err, out)
					}
					if format != "csv" {
						if err := sameGraph(g, res.Graph, false); err != nil {
							t.Fatal(err)
						}
					}
					// Stable output.
					var again bytes.Buffer
					if err := Write(&again, g, format, attrs, groups); err != nil || !bytes.Equal(again.Bytes(), out) {
						t.Fatalf("second write differs (%v)", err)
					}
				})
			}
		}
	}
}

func TestWriteGraphMLOutput(t *testing.T) {
	b := graph.NewBuilder(false, true)
	b.AddEdge("a", "b c", 2.5)
	b.AddEdge("b c", "d", 1)
	g, _ := b.Build()
	var buf bytes.Buffer
	err := Write(&buf, g, "graphml", map[string][]float64{"betweenness": {0, 1, math.Inf(1)}}, map[string][]int32{"community": {0, 0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="label" for="node" attr.name="label" attr.type="string"/>
  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>
  <key id="a0" for="node" attr.name="betweenness" attr.type="double"/>
  <key id="a1" for="node" attr.name="community" attr.type="int"/>
  <graph id="G" edgedefault="undirected">
    <node id="a"><data key="label">a</data><data key="a0">0</data><data key="a1">0</data></node>
    <node id="b c"><data key="label">b c</data><data key="a0">1</data><data key="a1">0</data></node>
    <node id="d"><data key="label">d</data><data key="a0">INF</data><data key="a1">1</data></node>
    <edge id="e0" source="a" target="b c"><data key="weight">2.5</data></edge>
    <edge id="e1" source="b c" target="d"><data key="weight">1</data></edge>
  </graph>
</graphml>
`
	if buf.String() != want {
		t.Fatalf("got\n%s", buf.String())
	}
}

func TestWriteGEXFAndCSVOutput(t *testing.T) {
	b := graph.NewBuilder(true, false)
	b.AddEdge("a", "b", 1)
	b.Node("z")
	g, _ := b.Build()
	var buf bytes.Buffer
	if err := Write(&buf, g, "gexf", nil, map[string][]int32{"community": {3, 4, 5}}); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta>
    <creator>Rabta</creator>
  </meta>
  <graph mode="static" defaultedgetype="directed">
    <attributes class="node" mode="static">
      <attribute id="0" title="community" type="integer"/>
    </attributes>
    <nodes>
      <node id="0" label="a"><attvalues><attvalue for="0" value="3"/></attvalues></node>
      <node id="1" label="b"><attvalues><attvalue for="0" value="4"/></attvalues></node>
      <node id="2" label="z"><attvalues><attvalue for="0" value="5"/></attvalues></node>
    </nodes>
    <edges>
      <edge id="0" source="0" target="1"/>
    </edges>
  </graph>
</gexf>
`
	if buf.String() != want {
		t.Fatalf("got\n%s", buf.String())
	}
	buf.Reset()
	if err := Write(&buf, g, "CSV", nil, nil); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "source,target\na,b\nz,\n" {
		t.Fatalf("got %q", buf.String())
	}
}

func TestWriteErrors(t *testing.T) {
	b := graph.NewBuilder(false, false)
	b.AddEdge("a", "b\x01", 1)
	g, _ := b.Build()
	var buf bytes.Buffer
	for _, c := range []struct {
		format string
		attrs  map[string][]float64
		groups map[string][]int32
		want   string
	}{
		{"dot", nil, nil, `unknown output format "dot"`},
		{"csv", map[string][]float64{"x": {1}}, nil, `attribute "x" has 1 values for 2 nodes`},
		{"csv", nil, map[string][]int32{"c": {1, 2, 3}}, `group "c" has 3 values for 2 nodes`},
		{"csv", map[string][]float64{"c": {1, 2}}, map[string][]int32{"c": {1, 2}}, `"c" is both an attribute and a group`},
		{"graphml", nil, nil, `label "b\x01" has characters GraphML cannot hold`},
		{"gexf", nil, nil, `label "b\x01" has characters GEXF cannot hold`},
	} {
		err := Write(&buf, g, c.format, c.attrs, c.groups)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.format, err, c.want)
		}
	}
	// CSV keeps any label.
	res, out, err := reread(g, "csv", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sameGraph(g, res.Graph, false); err != nil {
		t.Fatalf("%v\n%q", err, out)
	}
}
