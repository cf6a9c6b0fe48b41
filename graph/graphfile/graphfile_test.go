package graphfile

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rabta/rabta/graph"
)

// edgeList renders g's edges in edge-id order: "a-b" (undirected) or "a>b"
// (directed), with ":w" when g is weighted.
func edgeList(g *graph.Graph) string {
	var parts []string
	sep := "-"
	if g.Directed() {
		sep = ">"
	}
	for e := 0; e < g.M(); e++ {
		u, v, w := g.Edge(int32(e))
		s := g.Label(u) + sep + g.Label(v)
		if g.Weighted() {
			s += fmt.Sprintf(":%g", w)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

type readCase struct {
	name    string
	file    string // name passed to Parse
	in      string
	opt     Options
	format  string   // want Result.Format
	labels  string   // want labels in id order, joined by "|"
	edges   string   // want edgeList
	warns   []string // substrings each of some warning
	nwarn   int      // want exactly this many warnings (-1: don't check)
	wantErr string   // substring of the error
}

func runCases(t *testing.T, cases []readCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := c.file
			if file == "" {
				file = "in.csv"
			}
			res, err := Parse(strings.NewReader(c.in), file, c.opt)
			if c.wantErr != "" {
				if err == nil {
					t.Fatalf("no error; want %q (edges %s)", c.wantErr, edgeList(res.Graph))
				}
				if !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("error %q; want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := res.Graph
			if c.format != "" && res.Format != c.format {
				t.Errorf("format %q; want %q", res.Format, c.format)
			}
			if c.labels != "" {
				if got := strings.Join(g.Labels(), "|"); got != c.labels {
					t.Errorf("labels\n got %s\nwant %s", got, c.labels)
				}
			}
			if got := edgeList(g); got != c.edges {
				t.Errorf("edges\n got %s\nwant %s", got, c.edges)
			}
			for _, w := range c.warns {
				found := false
				for _, have := range res.Warnings {
					found = found || strings.Contains(have, w)
				}
				if !found {
					t.Errorf("no warning contains %q; warnings: %q", w, res.Warnings)
				}
			}
			if c.nwarn >= 0 && len(res.Warnings) != c.nwarn {
				t.Errorf("%d warnings, want %d: %q", len(res.Warnings), c.nwarn, res.Warnings)
			}
		})
	}
}

func TestEdgeList(t *testing.T) {
	W := Options{Weighted: true}
	runCases(t, []readCase{
		{name: "header", in: "source,target\na,b\nb,c\n", format: "edgelist", labels: "a|b|c", edges: "a-b b-c"},
		{name: "BOM CRLF header", in: "\ufeffSource,Target\r\na,b\r\nc,a\r\n", labels: "a|b|c", edges: "a-b a-c"},
		{name: "no header", in: "a,b\nb,c", edges: "a-b b-c"},
		{name: "header names mixed", in: "From ID,to_id\nx,y\n", edges: "x-y"},
		{name: "N1,N2 is data", in: "N1,N2\nN2,N3\n", edges: "N1-N2 N2-N3"},
		{name: "quoted commas", in: "source,target\n\"Smith, J\",\"Doe, A\"\n\"Doe, A\",\"O\"\"Neil\"\n",
			labels: `Smith, J|Doe, A|O"Neil`, edges: `Smith, J-Doe, A Doe, A-O"Neil`},
		{name: "trimmed blanks and quotes", in: "  a  , \" b \" \n", labels: "a|b", edges: "a-b"},
		{name: "quoted field over two lines", in: "\"a\nb\",c\nc,d\n", labels: "a\nb|c|d", edges: "a\nb-c c-d"},
		{name: "unclosed quote", in: "a,b\nc,\"d\ne,f\n", wantErr: "in.csv:2: quoted field starting on this line is never closed"},
		{name: "stray quote", in: "O\"Brien,b\n\"x\"y,z\n", labels: `O"Brien|b|x"y|z`, edges: `O"Brien-b x"y-z`},
		{name: "comments and blanks", in: "# a comment\n\n% another\nsource target\n  # indented\na b\n\n", edges: "a-b"},
		{name: "whitespace runs", file: "g.txt", in: "a   b\t\tc\nb\tc\n", edges: "a-b b-c"},
		{name: "tab separated", file: "g.txt", in: "a b\tc\nc\td e\n", edges: "a b-c c-d e"},
		{name: "whitespace quoted labels", file: "g.txt", in: "\"John Smith\" \"Jane Doe\"\n\"Jane Doe\" Bob\n",
			labels: "John Smith|Jane Doe|Bob", edges: "John Smith-Jane Doe Jane Doe-Bob"},
		{name: "tsv labels with spaces", file: "g.tsv", in: "Person 1\tPerson 2\nAl Capone\tFrank Nitti\nFrank Nitti\tPaul Ricca\n",
			edges: "Al Capone-Frank Nitti Frank Nitti-Paul Ricca"},
		{name: "semicolons", in: "a;b;2,5\nb;c;1\n", edges: "a-b b-c"},
		{name: "weighted", in: "a,b,2\nb,c,0.5\nc,d\nd,e,\n", opt: W, edges: "a-b:2 b-c:0.5 c-d:1 d-e:1"},
		{name: "weighted whitespace", file: "g.edges", in: "1 2 3.5\n2 3 1e2\n", opt: W, edges: "1-2:3.5 2-3:100"},
		{name: "unweighted ignores weights", in: "a,b,2\nb,c,friend\n", edges: "a-b b-c"},
		{name: "weight header name", in: "p,q,calls\na,b,7\n", opt: W, edges: "a-b:7"},
		{name: "weight header unweighted", in: "p,q,weight\na,b,7\n", edges: "a-b"},
		{name: "weighted non-number header", in: "caller_msisdn,callee_msisdn,n_calls\n111,222,4\n", opt: W, edges: "111-222:4"},
		{name: "weight column by name", in: "source,target,date,weight\na,b,2024-01-01,3\n", opt: W, edges: "a-b:3"},
		{name: "bad weight", in: "# calls\nsource,target,weight\n\na,b,1\nb,c,x\n", opt: W, wantErr: `in.csv:5: weight "x" is not a number`},
		{name: "zero weight", in: "a,b,0\n", opt: W, wantErr: `in.csv:1: weight "0" is not greater than zero`},
		{name: "negative weight", in: "a,b,1\na,c,-2\n", opt: W, wantErr: `in.csv:2: weight "-2" is not greater than zero`},
		{name: "infinite weight", in: "a,b,1\na,c,Inf\n", opt: W, wantErr: `in.csv:2: weight "Inf" is not a finite number`},
		{name: "huge weight", in: "a,b,1e999\n", opt: W, wantErr: `in.csv:1: weight "1e999" is out of range`},
		{name: "directed", in: "a,b\nb,a\n", opt: Options{Directed: true}, edges: "a>b b>a", nwarn: 0},
		{name: "self-loop", in: "source,target\na,b\nc,c\n", labels: "a|b|c", edges: "a-b",
			warns: []string{`in.csv:3: self-loop on "c" dropped`}, nwarn: 1},
		{name: "duplicates last weight", in: "a,b,1\nb,a,5\nb,c,1\nb,c,2\n", opt: W, edges: "a-b:5 b-c:2",
			warns: []string{"2 duplicate edges", "last weight was kept"}, nwarn: 1},
		{name: "duplicates directed", in: "a,b\nb,a\na,b\n", opt: Options{Directed: true}, edges: "a>b b>a",
			warns: []string{"1 duplicate edge:"}, nwarn: 1},
		{name: "isolated nodes", in: "source,target\na,b\nc,\n,d\n,\n", labels: "a|b|c|d", edges: "a-b"},
		{name: "single-field isolate", file: "g.txt", in: "a b\nc\n", labels: "a|b|c", edges: "a-b"},
		{name: "extra columns ignored", in: "a,b,1,x,y\n", opt: W, edges: "a-b:1"},
		{name: "empty", in: "", edges: ""},
		{name: "only comments", in: "# nothing\n", edges: ""},
		{name: "format override", file: "x.graphml", in: "a b\n", opt: Options{Format: "edgelist"}, edges: "a-b"},
	})
}

func TestSelfLoopWarningsCapped(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 25; i++ {
		fmt.Fprintf(&b, "n%d,n%d\n", i, i)
	}
	b.WriteString("a,b\n")
	res, err := Parse(strings.NewReader(b.String()), "loops.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 21 {
		t.Fatalf("%d warnings: %q", len(res.Warnings), res.Warnings)
	}
	if res.Warnings[0] != `loops.csv:1: self-loop on "n0" dropped` || res.Warnings[19] != `loops.csv:20: self-loop on "n19" dropped` {
		t.Fatalf("warnings %q", res.Warnings[:20])
	}
	if res.Warnings[20] != "loops.csv: 5 more self-loops dropped (25 in all)" {
		t.Fatalf("last warning %q", res.Warnings[20])
	}
	if res.Graph.N() != 27 || res.Graph.M() != 1 {
		t.Fatalf("N=%d M=%d", res.Graph.N(), res.Graph.M())
	}
}

func TestMatrix(t *testing.T) {
	const sym = "\ufeff\"\",A,B,C\nA,0,1,0\nB,1,0,2\nC,0,2,0\n"
	const asym = "\"\",A,B,C\nA,0,5,0\nB,3,0,0\nC,1,0,0\n"
	runCases(t, []readCase{
		{name: "symmetric", in: sym, format: "matrix", labels: "A|B|C", edges: "A-B B-C", nwarn: 0},
		{name: "symmetric weighted keeps the cell", in: sym, opt: Options{Weighted: true}, edges: "A-B:1 B-C:2", nwarn: 0},
		{name: "symmetric directed", in: sym, opt: Options{Directed: true}, edges: "A>B B>A B>C C>B"},
		{name: "asymmetric undirected sums", in: asym, opt: Options{Weighted: true}, edges: "A-B:8 A-C:1",
			warns: []string{"sum of both cells"}, nwarn: 1},
		{name: "asymmetric unweighted", in: asym, edges: "A-B A-C", nwarn: 0},
		{name: "asymmetric directed", in: asym, opt: Options{Directed: true, Weighted: true}, edges: "A>B:5 B>A:3 C>A:1", nwarn: 0},
		{name: "quoted labels, rows reordered", in: "\"\",\"x 1\",\"y, 2\"\n\"y, 2\",1,0\n\"x 1\",0,0\n",
			labels: "x 1|y, 2", edges: "x 1-y, 2"},
		{name: "diagonal", in: "\"\",A,B\nA,0,1\nB,1,4\n", edges: "A-B", warns: []string{`in.csv:3: self-loop on "B" dropped`}, nwarn: 1},
		{name: "empty cells and trailing comma", in: ",A,B,\nA,,1,\nB,1,,\n", edges: "A-B"},
		{name: "isolates kept", in: ",A,B,C\nA,0,0,0\nB,0,0,1\nC,0,1,0\n", labels: "A|B|C", edges: "B-C"},
		{name: "tab separated", in: "\tA\tB\nA\t0\t1\nB\t1\t0\n", edges: "A-B"},
		{name: "forced matrix", in: "ID,A,B\nA,0,1\nB,1,0\n", opt: Options{Format: "matrix"}, edges: "A-B"},
		{name: "forced edgelist", in: ",A\n", opt: Options{Format: "edgelist"}, labels: "A", edges: ""},
		{name: "2-mode", in: ",e1,e2\np1,1,0\np2,1,1\np3,0,1\n", wantErr: "in.csv:1: the first cell is empty, so this looks like a labelled adjacency matrix, but it has 2 column labels and 3 rows"},
		{name: "row label unknown", in: ",A,B\nA,0,1\nC,1,0\n", wantErr: `in.csv:3: matrix row label "C" is not among the column labels`},
		{name: "row label twice", in: ",A,B\nA,0,1\nA,1,0\n", wantErr: `in.csv:3: matrix row label "A" appears twice`},
		{name: "column label twice", in: ",A,A\nA,0,1\nA,1,0\n", wantErr: `in.csv:1: matrix column label "A" appears twice`},
		{name: "short row", in: ",A,B\nA,0\nB,1,0\n", wantErr: `in.csv:2: matrix row "A" has 1 cells, want 2`},
		{name: "bad cell", in: "# m\n,A,B\nA,0,x\nB,1,0\n", wantErr: `in.csv:3: matrix cell "x" (row "A", column "B") is not a finite number`},
		{name: "negative cell", in: ",A,B\nA,0,-1\nB,1,0\n", wantErr: `in.csv:2: matrix cell -1 (row "A", column "B") is negative`},
	})
}

func TestGraphML(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="d0" for="node" attr.name="weight" attr.type="double"/>
  <key id="d1" for="edge" attr.name="Weight" attr.type="double"><default>2</default></key>
  <key id="d2" for="edge" attr.name="kind" attr.type="string"/>
  <graph id="G" edgedefault="undirected">
    <node id="a"><data key="d0">9</data></node>
    <node id=" b "/>
    <node id="&quot;c d&quot;"/>
    <edge source="a" target="b"><data key="d1">3.5</data><data key="d2">x</data></edge>
    <edge source="b" target="c d"/>
    <edge source="c d" target="e"><data key="d1">1</data></edge>
  </graph>
</graphml>`
	W := Options{Weighted: true}
	runCases(t, []readCase{
		{name: "weighted", file: "g.graphml", in: doc, opt: W, format: "graphml", labels: "a|b|c d|e", edges: "a-b:3.5 b-c d:2 c d-e:1", nwarn: 0},
		{name: "unweighted", file: "g.graphml", in: doc, labels: "a|b|c d|e", edges: "a-b b-c d c d-e"},
		{name: "detected without extension", file: "g", in: "\ufeff" + doc, opt: W, format: "graphml", edges: "a-b:3.5 b-c d:2 c d-e:1"},
		{name: "directed file", file: "g.xml", in: `<graphml><graph edgedefault="directed"><node id="a"/><edge source="a" target="b"/><edge source="b" target="a"/></graph></graphml>`,
			edges: "a>b b>a", warns: []string{"the graph is directed"}, nwarn: 1},
		{name: "mixed edges", file: "g.graphml", in: `<graphml><graph edgedefault="undirected"><edge source="a" target="b" directed="true"/><edge source="b" target="c"/></graph></graphml>`,
			edges: "a>b b>c c>b", warns: []string{"the graph is directed", "two arcs"}, nwarn: 2},
		{name: "undirected file read directed", file: "g.graphml", in: `<graphml><graph edgedefault="undirected"><edge source="a" target="b"/></graph></graphml>`,
			opt: Options{Directed: true}, edges: "a>b b>a", warns: []string{"two arcs"}, nwarn: 1},
		{name: "weight key by id only", file: "g.graphml", in: `<graphml><graph><edge source="a" target="b"><data key="weight">4</data></edge></graph></graphml>`,
			opt: W, edges: "a-b:4"},
		{name: "self-loop and duplicate", file: "g.graphml", in: "<graphml><graph>\n<edge source=\"a\" target=\"a\"/>\n<edge source=\"a\" target=\"b\"/>\n<edge source=\"b\" target=\"a\"/>\n</graph></graphml>",
			edges: "a-b", warns: []string{`g.graphml:2: self-loop on "a" dropped`, "1 duplicate edge"}, nwarn: 2},
		{name: "bad weight", file: "g.graphml", in: "<graphml>\n<key id=\"w\" for=\"edge\" attr.name=\"weight\"/>\n<graph>\n<edge source=\"a\" target=\"b\">\n<data key=\"w\">heavy</data></edge></graph></graphml>",
			opt: W, wantErr: `g.graphml:5: weight "heavy" is not a number`},
		{name: "negative weight", file: "g.graphml", in: "<graphml><key id=\"w\" for=\"edge\" attr.name=\"weight\"/><graph>\n<edge source=\"a\" target=\"b\"><data key=\"w\">-1</data></edge></graph></graphml>",
			opt: W, wantErr: `g.graphml:2: weight "-1" is not greater than zero`},
		{name: "syntax error", file: "g.graphml", in: "<graphml>\n<graph>\n<node id=\"a\">\n</graph></graphml>", wantErr: "g.graphml:4: XML:"},
		{name: "truncated", file: "g.graphml", in: "<graphml>\n<graph>\n<node id=\"a\"/>\n", wantErr: "g.graphml:"},
		{name: "no source", file: "g.graphml", in: "<graphml><graph>\n<edge target=\"a\"/></graph></graphml>", wantErr: "g.graphml:2: <edge> without source or target"},
		{name: "empty id", file: "g.graphml", in: "<graphml><graph>\n<node id=\" \"/></graph></graphml>", wantErr: "g.graphml:2: node id is empty"},
		{name: "no graph", file: "g.graphml", in: "<graphml/>", wantErr: "no <graph> element"},
		{name: "not graphml", file: "g.xml", in: "<html><body/></html>", wantErr: "g.xml:1: the root element is <html>; want <graphml> or <gexf>"},
		{name: "gexf asked", file: "g.graphml", in: doc, opt: Options{Format: "gexf"}, wantErr: "the root element is <graphml>, not <gexf>"},
		{name: "not xml", file: "g.graphml", in: "a,b\n", wantErr: "g.graphml:"},
		{name: "latin-1", file: "g.graphml", in: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><graphml><graph><edge source=\"Jos\xe9\" target=\"b\"/></graph></graphml>",
			labels: "José|b", edges: "José-b"},
	})
}

func TestGEXF(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.2" version="1.2">
  <graph mode="static" defaultedgetype="undirected">
    <nodes>
      <node id="0" label="Alice"/>
      <node id="1" label="Bob"/>
      <node id="2"/>
    </nodes>
    <edges>
      <edge id="0" source="0" target="1" weight="2.5"/>
      <edge id="1" source="1" target="2"/>
      <edge id="2" source="2" target="0" type="directed" weight="3"/>
    </edges>
  </graph>
</gexf>`
	runCases(t, []readCase{
		{name: "labels", file: "g.gexf", in: doc, opt: Options{Weighted: true}, format: "gexf", labels: "Alice|Bob|2",
			edges: "Alice>Bob:2.5 Bob>Alice:2.5 Bob>2:1 2>Bob:1 2>Alice:3", warns: []string{"the graph is directed", "two arcs"}, nwarn: 2},
		{name: "duplicate labels", file: "g.gexf", in: `<gexf><graph><nodes><node id="a" label="X"/><node id="b" label="X"/></nodes><edges><edge source="a" target="b"/></edges></graph></gexf>`,
			labels: "a|b", edges: "a-b", warns: []string{`node label "X" is used more than once`}, nwarn: 1},
		{name: "bad type", file: "g.gexf", in: "<gexf><graph>\n<edges><edge source=\"a\" target=\"b\" type=\"sideways\"/></edges></graph></gexf>", wantErr: "g.gexf:2: edge type"},
	})
}

func TestPajek(t *testing.T) {
	W := Options{Weighted: true}
	runCases(t, []readCase{
		{name: "vertices and edges", file: "g.net", opt: W, format: "pajek",
			in:     "% Pajek\n*Network test\n*Vertices 4\n1 \"Mohamed Atta\" 0.1 0.2 0.5\n2 \"Marwan Al-Shehhi\"\n3 Ziad\n*Edges\n1 2 2\n2 3\n3 1 0.5 c Blue\n",
			labels: "Mohamed Atta|Marwan Al-Shehhi|Ziad|4", edges: "Mohamed Atta-Marwan Al-Shehhi:2 Marwan Al-Shehhi-Ziad:1 Mohamed Atta-Ziad:0.5", nwarn: 0},
		{name: "arcs make it directed", file: "g.net", in: "*Vertices 3\n*Arcs\n1 2\n2 1\n*Edges\n2 3\n",
			labels: "1|2|3", edges: "1>2 2>1 2>3 3>2", warns: []string{"the file has *Arcs", "two arcs"}, nwarn: 2},
		{name: "lists", file: "g.net", in: "*vertices 4\n*edgeslist\n1 2 3 4\n*arcslist\n4 1\n", opt: Options{Directed: true},
			edges: "1>2 2>1 1>3 3>1 1>4 4>1", warns: []string{"two arcs", "1 duplicate edge"}, nwarn: 2},
		{name: "no vertices section", file: "g.paj", in: "*Edges\n10 20\n20 30\n", labels: "10|20|30", edges: "10-20 20-30"},
		{name: "detected without extension", file: "g", in: "*Vertices 2\n*Edges\n1 2\n", format: "pajek", edges: "1-2"},
		{name: "duplicate labels", file: "g.net", in: "*Vertices 3\n1 \"A\"\n2 \"A\"\n*Edges\n1 2\n", labels: "1|2|3", edges: "1-2",
			warns: []string{`vertex label "A" is used more than once`}, nwarn: 1},
		{name: "skip section", file: "g.net", in: "*Vertices 2\n*Edges\n1 2\n*Partition p\n*Vertices 2\n", wantErr: "g.net:5: a second *Vertices line"},
		{name: "unknown section", file: "g.net", in: "*Vertices 2\n*Edges\n1 2\n*Vector v\n1.5\n2.5\n", edges: "1-2", warns: []string{"g.net:4: section *Vector ignored"}, nwarn: 1},
		{name: "short edge line", file: "g.net", in: "*Vertices 3\n*Edges\n1 2\n3\n", wantErr: "g.net:4: *Edges line has 1 field, want 2 or 3"},
		{name: "out of range", file: "g.net", in: "*Vertices 3\n*Arcs\n1 4\n", wantErr: "g.net:3: vertex 4 is not between 1 and 3"},
		{name: "not a number", file: "g.net", in: "*Vertices 3\n*Edges\n1 b\n", wantErr: `g.net:3: vertex "b" is not a number`},
		{name: "bad weight", file: "g.net", in: "*Vertices 3\n*Edges\n1 2 x\n", opt: W, wantErr: `g.net:3: weight "x" is not a number`},
		{name: "bad count", file: "g.net", in: "*Vertices many\n", wantErr: `g.net:1: *Vertices count "many"`},
		{name: "too many", file: "g.net", in: "*Vertices 999999999999\n", wantErr: "g.net:1: *Vertices 999999999999: more than"},
		{name: "matrix", file: "g.net", in: "*Vertices 2\n*Matrix\n0 1\n1 0\n", wantErr: "*Matrix sections are not supported"},
		{name: "forced without header", file: "g.txt", in: "1 2\n", opt: Options{Format: "pajek"}, wantErr: `g.txt:1: expected *Vertices, *Edges or *Arcs, found "1 2"`},
		{name: "plain edge list named .net", file: "t.net", in: "0 1\n1 2\n", format: "edgelist", edges: "0-1 1-2",
			warns: []string{"t.net: no Pajek *Vertices, *Edges or *Arcs line; read as a plain edge list"}, nwarn: 1},
	})
}

func TestOptionsFormat(t *testing.T) {
	if _, err := Parse(strings.NewReader("a b"), "x", Options{Format: "dot"}); err == nil || !strings.Contains(err.Error(), `unknown input format "dot"`) {
		t.Fatalf("err %v", err)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing.csv"), Options{}); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Fatalf("err %v", err)
	}
	p := filepath.Join(t.TempDir(), "net.csv")
	if err := os.WriteFile(p, []byte("source,target\na,b\nb,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Read(p, Options{Weighted: true})
	if err != nil || edgeList(res.Graph) != "a-b:1 b-x:1" {
		t.Fatalf("%v %v", res, err)
	}
	if err := os.WriteFile(p, []byte("a,b,1\nb,c,z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(p, Options{Weighted: true}); err == nil || err.Error() != p+`:2: weight "z" is not a number` {
		t.Fatalf("err %v", err)
	}
}

func TestSplitterMatchesCSVQuoting(t *testing.T) {
	// Well-formed CSV splits as encoding/csv does.
	for _, in := range []string{
		`a,b,c`, `"a,b",c`, `"a""b",""`, `,,`, `"x"`, "\"multi\nline\",z", `a b,"c d"`,
	} {
		sp := &splitter{lr: &lineReader{br: bufioReader(in)}, sep: ','}
		rec, ok, err := sp.next()
		if !ok || err != nil {
			t.Fatalf("%q: %v %v", in, ok, err)
		}
		want := csvRecord(t, in)
		got := strs(rec)
		for i := range got {
			got[i] = strings.TrimSpace(got[i])
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
	}
}
