package graphfile

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rabta/rabta/graph"
)

// Write writes g in the given format:
//
//   - "graphml": node ids are the labels, with a "label" data value too;
//     edges carry a "weight" data value when g is weighted; each attrs and
//     groups entry becomes a node key (attr.type double or int).
//   - "gexf": GEXF 1.3; node ids are 0..N-1 and labels are the labels; edges
//     carry a weight when g is weighted; attrs and groups become node
//     attributes with attvalues.
//   - "csv": an edge list with the header source,target (and weight when g
//     is weighted), one row per edge, then one row `label,` per node without
//     edges. attrs and groups are not written.
//
// attrs holds per-node numbers (e.g. "betweenness") and groups per-node
// integers (e.g. "community"), each indexed by node id; either may be nil. A
// NaN value is left out. Nodes are written in id order, edges in edge-id
// order and attributes in name order, so the output is stable. Each format
// reads back with Read, given the same Directed and Weighted options, to the
// same graph: the same labels, edges and weights, and with GraphML and GEXF
// the same node and edge ids too. (This holds for labels as Read makes them:
// not empty, no surrounding blanks or quotes.) GraphML and GEXF cannot hold
// some characters (control characters other than tab and newline, invalid
// UTF-8); a label with one is an error, while CSV writes any label.
func Write(w io.Writer, g *graph.Graph, format string, attrs map[string][]float64, groups map[string][]int32) error {
	n := g.N()
	for name, vs := range attrs {
		if len(vs) != n {
			return fmt.Errorf("graphfile: attribute %q has %d values for %d nodes", name, len(vs), n)
		}
		if _, dup := groups[name]; dup {
			return fmt.Errorf("graphfile: %q is both an attribute and a group", name)
		}
	}
	for name, vs := range groups {
		if len(vs) != n {
			return fmt.Errorf("graphfile: group %q has %d values for %d nodes", name, len(vs), n)
		}
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var err error
	switch strings.ToLower(format) {
	case FormatGraphML:
		err = writeGraphML(bw, g, attrs, groups)
	case FormatGEXF:
		err = writeGEXF(bw, g, attrs, groups)
	case FormatCSV, FormatEdgeList:
		err = writeCSV(bw, g)
	default:
		return fmt.Errorf("graphfile: unknown output format %q (want graphml, gexf or csv)", format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// column is one node attribute to write.
type column struct {
	name  string
	float []float64
	ints  []int32
}

func columns(attrs map[string][]float64, groups map[string][]int32) []column {
	var cols []column
	for name, vs := range attrs {
		cols = append(cols, column{name: name, float: vs})
	}
	for name, vs := range groups {
		cols = append(cols, column{name: name, ints: vs})
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].name < cols[j].name })
	return cols
}

// value formats node v's value, or reports there is none (NaN).
func (c column) value(v int) (string, bool) {
	if c.ints != nil {
		return strconv.FormatInt(int64(c.ints[v]), 10), true
	}
	f := c.float[v]
	switch {
	case math.IsNaN(f):
		return "", false
	case math.IsInf(f, 1):
		return "INF", true
	case math.IsInf(f, -1):
		return "-INF", true
	}
	return strconv.FormatFloat(f, 'g', -1, 64), true
}

func formatWeight(w float64) string { return strconv.FormatFloat(w, 'g', -1, 64) }

// validXML reports whether s holds only characters XML 1.0 allows.
func validXML(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if !(r == 0x09 || r == 0x0A || r == 0x0D ||
			r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
	}
	return true
}

// esc escapes s for XML text and attribute values (newlines and tabs as
// character references, so attribute values keep them).
func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func checkXMLLabels(g *graph.Graph, format string, cols []column) error {
	for v, l := range g.Labels() {
		if !validXML(l) {
			return fmt.Errorf("graphfile: node %d's label %q has characters %s cannot hold", v, l, format)
		}
	}
	for _, c := range cols {
		if !validXML(c.name) {
			return fmt.Errorf("graphfile: attribute name %q has characters %s cannot hold", c.name, format)
		}
	}
	return nil
}

func writeGraphML(w *bufio.Writer, g *graph.Graph, attrs map[string][]float64, groups map[string][]int32) error {
	cols := columns(attrs, groups)
	if err := checkXMLLabels(g, "GraphML", cols); err != nil {
		return err
	}
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	w.WriteString(`  <key id="label" for="node" attr.name="label" attr.type="string"/>` + "\n")
	if g.Weighted() {
		w.WriteString(`  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>` + "\n")
	}
	for i, c := range cols {
		typ := "double"
		if c.ints != nil {
			typ = "int"
		}
		fmt.Fprintf(w, "  <key id=\"a%d\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n", i, esc(c.name), typ)
	}
	dir := "undirected"
	if g.Directed() {
		dir = "directed"
	}
	fmt.Fprintf(w, "  <graph id=\"G\" edgedefault=\"%s\">\n", dir)
	labels := g.Labels()
	for v, l := range labels {
		el := esc(l)
		fmt.Fprintf(w, "    <node id=\"%s\"><data key=\"label\">%s</data>", el, el)
		for i, c := range cols {
			if s, ok := c.value(v); ok {
				fmt.Fprintf(w, "<data key=\"a%d\">%s</data>", i, s)
			}
		}
		w.WriteString("</node>\n")
	}
	for e := 0; e < g.M(); e++ {
		u, v, wt := g.Edge(int32(e))
		fmt.Fprintf(w, "    <edge id=\"e%d\" source=\"%s\" target=\"%s\"", e, esc(labels[u]), esc(labels[v]))
		if g.Weighted() {
			fmt.Fprintf(w, "><data key=\"weight\">%s</data></edge>\n", formatWeight(wt))
		} else {
			w.WriteString("/>\n")
		}
	}
	w.WriteString("  </graph>\n</graphml>\n")
	return nil
}

func writeGEXF(w *bufio.Writer, g *graph.Graph, attrs map[string][]float64, groups map[string][]int32) error {
	cols := columns(attrs, groups)
	if err := checkXMLLabels(g, "GEXF", cols); err != nil {
		return err
	}
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.WriteString(`<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">` + "\n")
	w.WriteString("  <meta>\n    <creator>Rabta</creator>\n  </meta>\n")
	dir := "undirected"
	if g.Directed() {
		dir = "directed"
	}
	fmt.Fprintf(w, "  <graph mode=\"static\" defaultedgetype=\"%s\">\n", dir)
	if len(cols) > 0 {
		w.WriteString("    <attributes class=\"node\" mode=\"static\">\n")
		for i, c := range cols {
			typ := "double"
			if c.ints != nil {
				typ = "integer"
			}
			fmt.Fprintf(w, "      <attribute id=\"%d\" title=\"%s\" type=\"%s\"/>\n", i, esc(c.name), typ)
		}
		w.WriteString("    </attributes>\n")
	}
	w.WriteString("    <nodes>\n")
	for v, l := range g.Labels() {
		fmt.Fprintf(w, "      <node id=\"%d\" label=\"%s\"", v, esc(l))
		if len(cols) == 0 {
			w.WriteString("/>\n")
			continue
		}
		w.WriteString("><attvalues>")
		for i, c := range cols {
			if s, ok := c.value(v); ok {
				fmt.Fprintf(w, "<attvalue for=\"%d\" value=\"%s\"/>", i, s)
			}
		}
		w.WriteString("</attvalues></node>\n")
	}
	w.WriteString("    </nodes>\n    <edges>\n")
	for e := 0; e < g.M(); e++ {
		u, v, wt := g.Edge(int32(e))
		fmt.Fprintf(w, "      <edge id=\"%d\" source=\"%d\" target=\"%d\"", e, u, v)
		if g.Weighted() {
			fmt.Fprintf(w, " weight=\"%s\"", formatWeight(wt))
		}
		w.WriteString("/>\n")
	}
	w.WriteString("    </edges>\n  </graph>\n</gexf>\n")
	return nil
}

func writeCSV(w *bufio.Writer, g *graph.Graph) error {
	if g.Weighted() {
		w.WriteString("source,target,weight\n")
	} else {
		w.WriteString("source,target\n")
	}
	labels := g.Labels()
	for e := 0; e < g.M(); e++ {
		u, v, wt := g.Edge(int32(e))
		csvField(w, labels[u])
		w.WriteByte(',')
		csvField(w, labels[v])
		if g.Weighted() {
			w.WriteByte(',')
			w.WriteString(formatWeight(wt))
		}
		w.WriteByte('\n')
	}
	for v := int32(0); v < int32(g.N()); v++ {
		if g.Degree(v) == 0 {
			csvField(w, labels[v])
			w.WriteString(",\n")
		}
	}
	return nil
}

// csvField writes s, quoted when it holds a separator, quote, line break or
// blank, or starts with a comment character.
func csvField(w *bufio.Writer, s string) {
	quote := s == "" || s[0] == '#' || s[0] == '%' || strings.ContainsAny(s, ",;\"\t\r\n\v\f ")
	if !quote {
		w.WriteString(s)
		return
	}
	w.WriteByte('"')
	w.WriteString(strings.ReplaceAll(s, `"`, `""`))
	w.WriteByte('"')
}
