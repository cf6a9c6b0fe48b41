package graphfile

import (
	"bytes"
	"testing"
)

// checkParse parses data and, when that succeeds, checks the graph's labels
// and that it re-reads identically from each output format.
func checkParse(t *testing.T, data []byte, name, format string, directed, weighted bool) {
	res, err := Parse(bytes.NewReader(data), name, Options{Directed: directed, Weighted: weighted, Format: format})
	if err != nil {
		if res != nil {
			t.Fatalf("result with error %v", err)
		}
		return
	}
	g := res.Graph
	xmlOK := true
	for _, l := range g.Labels() {
		if l == "" || cleanLabelString(l) != l {
			t.Fatalf("label %q is not clean", l)
		}
		xmlOK = xmlOK && validXML(l)
	}
	for _, out := range []string{"csv", "graphml", "gexf"} {
		var buf bytes.Buffer
		if err := Write(&buf, g, out, nil, nil); err != nil {
			if out != "csv" && !xmlOK {
				continue
			}
			t.Fatalf("write %s: %v", out, err)
		}
		again, err := Parse(bytes.NewReader(buf.Bytes()), "again."+out, Options{Directed: g.Directed(), Weighted: g.Weighted()})
		if err != nil {
			t.Fatalf("re-read %s: %v\n%q", out, err, buf.Bytes())
		}
		if err := sameGraph(g, again.Graph, out != "csv"); err != nil {
			t.Fatalf("re-read %s: %v\n%q", out, err, buf.Bytes())
		}
	}
}

func lowerMaxVertices(f *testing.F) {
	old := maxVertices
	maxVertices = 1000
	f.Cleanup(func() { maxVertices = old })
}

func FuzzParseEdgeList(f *testing.F) {
	for _, s := range []string{
		"source,target\na,b\nb,c\n",
		"\ufeffSource,Target,Weight\r\n\"Smith, J\",\"O\"\"Neil\",2\r\nx,y,\r\n",
		"# c\n% c\n\na b 1\n\"John Smith\" \"Jane Doe\" 2.5\nc\n",
		"a\tb\t3\nb c\td e\t1e3\n",
		"a;b;2,5\n\"a\nb\";c\n",
		"a,a\nb,a\na,b,0\nx,y,-1\n",
		"p,q,calls\n1,2,7\n2,1,8\n",
	} {
		f.Add([]byte(s), false, false)
		f.Add([]byte(s), true, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, directed, weighted bool) {
		checkParse(t, data, "f.csv", "edgelist", directed, weighted)
		checkParse(t, data, "f", "", directed, weighted)
	})
}

func FuzzParseMatrix(f *testing.F) {
	for _, s := range []string{
		"\ufeff\"\",A,B,C\nA,0,1,0\nB,1,0,2\nC,0,2,0\n",
		"\"\",A,B,C\nA,0,5,0\nB,3,0,0\nC,1,0,7\n",
		",\"x 1\",\"y, 2\",\n\"y, 2\",1,0,\n\"x 1\",0,,\n",
		",e1,e2\np1,1,0\np2,1,1\np3,0,1\n",
		"\tA\tB\nA\t0\t1e308\nB\t1e308\t0\n",
	} {
		f.Add([]byte(s), false, false)
		f.Add([]byte(s), true, true)
		f.Add([]byte(s), false, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, directed, weighted bool) {
		checkParse(t, data, "m.csv", "matrix", directed, weighted)
		checkParse(t, data, "m.csv", "", directed, weighted)
	})
}

func FuzzParseGraphML(f *testing.F) {
	lowerMaxVertices(f)
	for _, s := range []string{
		`<?xml version="1.0"?><graphml><key id="d1" for="edge" attr.name="weight"><default>2</default></key><graph edgedefault="undirected"><node id="a"/><edge source="a" target="b"><data key="d1">3</data></edge><edge source="b" target="c" directed="true"/></graph></graphml>`,
		`<graphml><graph edgedefault="directed"><graph><edge source=" x " target="&quot;y&quot;"/></graph><hyperedge/></graph></graphml>`,
		`<gexf><graph defaultedgetype="directed"><nodes><node id="0" label="A"/><node id="1" label="A"/></nodes><edges><edge source="0" target="1" weight="2" type="mutual"/></edges></graph></gexf>`,
		`<?xml version="1.0" encoding="ISO-8859-1"?><graphml><graph><edge source="Jos` + "\xe9" + `" target="b"/></graph></graphml>`,
	} {
		f.Add([]byte(s), false, false)
		f.Add([]byte(s), true, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, directed, weighted bool) {
		checkParse(t, data, "g.graphml", "", directed, weighted)
	})
}

func FuzzParsePajek(f *testing.F) {
	lowerMaxVertices(f)
	for _, s := range []string{
		"% Pajek\n*Network test\n*Vertices 4\n1 \"Mohamed Atta\" 0.1 0.2 0.5\n2 \"Marwan Al-Shehhi\"\n3 Ziad\n*Edges\n1 2 2\n2 3\n3 1 0.5 c Blue\n",
		"*Vertices 3\n*Arcs\n1 2\n2 1\n*Edges\n2 3\n*Partition p\n1\n",
		"*vertices 4\n*edgeslist\n1 2 3 4\n*arcslist\n4 1\n",
		"*Edges\n10 20 3\n20 30\n",
		"*Vertices 3\n1 \"A\"\n2 \"A\"\n*Edges\n1 2\n3 3\n",
	} {
		f.Add([]byte(s), false, false)
		f.Add([]byte(s), true, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, directed, weighted bool) {
		checkParse(t, data, "p.net", "pajek", directed, weighted)
		checkParse(t, data, "p.net", "", directed, weighted)
	})
}
