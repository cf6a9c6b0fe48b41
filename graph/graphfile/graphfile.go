// Package graphfile reads and writes network files for `rabta graph`: edge
// lists (CSV, TSV or whitespace-separated), labelled adjacency matrices as
// UCINET exports them, GraphML, GEXF and Pajek .net on input; GraphML, GEXF
// 1.3 and a CSV edge list on output.
//
// # Formats
//
// Options.Format picks the format; when it is empty the file name's
// extension and the content decide. Edge-list extensions (.csv, .tsv, .tab,
// .txt, .edges, .edgelist, .dat) give a table: an adjacency matrix when its
// first cell is empty, else an edge list. .graphml, .xml and .gexf give XML,
// GraphML or GEXF by the root element. .net and .paj give Pajek, unless the
// first line does not start with '*': such a file (e.g. a bare "0 1" edge
// list saved as .net) is read as an edge list with a warning. Other names are
// recognised by content: '<' means XML, '*' Pajek, anything else a table.
//
// A UTF-8 byte order mark at the start of any file is skipped.
//
// # Node labels
//
// A node's label is its name in the file as given, trimmed of surrounding
// whitespace and then of surrounding double quotes (repeatedly, so
// `" "Bob" "` is Bob); labels are never empty. In GraphML the label is the
// node's id attribute (a "label" data value is not used), so the GraphML
// writer uses labels as ids. In GEXF it is the node's label attribute, or its
// id when it has none; in Pajek it is the vertex line's label (quoted or
// not), or the vertex number when the line has none. When the GEXF or Pajek
// labels are not unique, every node is labelled by its id or number instead
// and a warning says so. Node ids follow the order in which nodes are first
// seen (matrices: the column order; Pajek: vertex numbers 1..n).
//
// # Edge lists
//
// The first data line decides the separator: a tab outside quotes makes a
// TSV file (unless one of its first two tab-separated fields is empty, which
// means the tabs are blanks); else the more frequent of comma and semicolon
// outside quotes; else fields are separated by runs of spaces and tabs.
// Comma, semicolon and tab files follow CSV quoting ("Smith, J" and "" for a
// quote inside quotes; a quoted field may span lines). In whitespace files a
// field that starts with " runs to the next " that is followed by a blank or
// the end of the line. Blank lines and lines whose first non-blank character
// is # or % are skipped.
//
// The first row is a header, and is skipped, when
//   - its first two cells are both endpoint names (source, target, from, to,
//     node1, node2, src, dst, ego, alter, sender, receiver, caller, callee, …;
//     compared ignoring case, spaces, dashes, dots and underscores), or
//   - its third cell is a weight name (weight, value, count, calls, strength,
//     frequency, amount, …), or
//   - Weighted is set and its third cell is not a number (as a data row it
//     would be an error).
//
// The weight is the third column, or, after a header, the first column from
// the third on that the header names as a weight (so source,target,date,weight
// works). It is read only when Weighted is set: a missing or empty weight is
// 1, and one that is not a finite number greater than zero is an error naming
// the line. Further columns are ignored. A row with one label (or one empty
// end) declares a node without edges, which is how the CSV writer keeps
// isolated nodes; rows without labels are skipped.
//
// # Adjacency matrices
//
// A table whose first cell is empty is a labelled adjacency matrix: the first
// row holds the column labels, each further row a row label and one cell per
// column. The row labels must be the column labels (in any order) and there
// must be as many rows as columns; a 2-mode matrix (e.g. persons × meetings)
// is not square and is rejected with an error that says so. A cell is the tie
// value: empty or 0 means no tie, negative values are an error. Directed:
// each non-zero cell is an arc from its row to its column, with the cell as
// weight. Undirected: i and j are tied when either cell is non-zero; if the
// whole matrix is symmetric the weight is the cell value, otherwise it is the
// sum of both cells (calls i→j plus calls j→i, the total contact between the
// two) and, when Weighted, a warning says so. Non-zero diagonal cells are
// self-loops and are dropped.
//
// # GraphML, GEXF and Pajek
//
// A GraphML edge's weight is its <data> value for the key whose attr.name is
// "weight" in any case (for="edge" or "all"), else that key's <default>,
// else 1. A GEXF edge's weight is its weight attribute. A Pajek edge's weight
// is the number after its two vertices; *Edgeslist and *Arcslist lines give
// weight 1; other sections (*Partition, *Vector, …) are skipped with a
// warning and *Matrix is not supported.
//
// These formats say whether edges are directed. A file with any directed
// edge (GraphML edgedefault="directed" or directed="true", GEXF
// defaultedgetype or type "directed", Pajek *Arcs) gives a directed graph
// even if Options.Directed is false, and a warning says so. In a directed
// graph each undirected edge of such a file becomes two arcs.
//
// # Duplicates and self-loops
//
// Self-loops are dropped with a warning naming the line (the first 20 are
// listed, then a count). A pair listed more than once keeps its last weight
// (for an undirected graph a-b and b-a are the same pair); one warning gives
// the number of such duplicates.
package graphfile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rabta/rabta/graph"
)

// Options say how to read a file.
type Options struct {
	// Directed makes edge lists and matrices directed. Files that declare
	// direction (GraphML, GEXF, Pajek) are directed when they say so.
	Directed bool
	// Weighted uses the weight column, the matrix cell values, the GraphML
	// "weight" attribute, the GEXF weight or the Pajek edge value.
	Weighted bool
	// Format is "" to detect it from the name and content, or one of
	// "edgelist" (also "csv", "tsv"), "matrix", "graphml", "gexf" and
	// "pajek" (also "net").
	Format string
}

// Result is a graph read from a file.
type Result struct {
	Graph    *graph.Graph
	Warnings []string
	// Format is the format the file was read as: "edgelist", "matrix",
	// "graphml", "gexf" or "pajek".
	Format string
}

// Format names.
const (
	FormatEdgeList = "edgelist"
	FormatMatrix   = "matrix"
	FormatGraphML  = "graphml"
	FormatGEXF     = "gexf"
	FormatPajek    = "pajek"
	FormatCSV      = "csv" // output only: an edge list with a header
)

const (
	maxLoopWarnings = 20
	readBufSize     = 64 << 10
	maxLineLen      = 256 << 20
)

// maxVertices bounds the vertex count a Pajek *Vertices line may declare, so a
// corrupt count cannot exhaust memory. Tests lower it.
var maxVertices = 50_000_000

// Read reads the network file at path. Errors and warnings name the file
// (as path was given) and, where there is one, the line.
func Read(path string, opt Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(f, path, opt)
}

// Parse reads a network from r. The name is used in messages and, through
// its extension, to detect the format.
func Parse(r io.Reader, name string, opt Options) (*Result, error) {
	format, err := normFormat(opt.Format)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, readBufSize)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	p := &parser{name: name, opt: opt, br: br}
	var warn string
	if format == "" {
		format, warn = p.detect()
	}
	var g *graph.Graph
	switch format {
	case FormatEdgeList:
		g, err = p.readTable(false, false)
	case FormatMatrix:
		g, err = p.readTable(false, true)
	case "table": // detected: an edge list unless it looks like a matrix
		g, err = p.readTable(true, false)
	case FormatGraphML, FormatGEXF, "xml":
		g, err = p.readXML(format)
	case FormatPajek:
		g, err = p.readPajek()
	}
	if err != nil {
		return nil, err
	}
	if warn != "" {
		p.warns = append([]string{warn}, p.warns...)
	}
	return &Result{Graph: g, Warnings: p.warns, Format: p.format}, nil
}

func normFormat(f string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(f)) {
	case "":
		return "", nil
	case "edgelist", "edges", "csv", "tsv":
		return FormatEdgeList, nil
	case "matrix":
		return FormatMatrix, nil
	case "graphml":
		return FormatGraphML, nil
	case "gexf":
		return FormatGEXF, nil
	case "pajek", "net":
		return FormatPajek, nil
	}
	return "", fmt.Errorf("graphfile: unknown input format %q (want edgelist, matrix, graphml, gexf or pajek)", f)
}

// detect picks the format from the file name's extension and the content.
// Edge-list extensions (.csv, .tsv, .txt, .edges, …) are always read as a
// table; .graphml, .gexf and .xml as XML; .net and .paj as Pajek unless the
// first line does not start with '*', in which case the file is read as a
// plain edge list with a warning. Other names are detected by content: XML
// when it starts with '<', Pajek when the first line starts with '*', else a
// table.
func (p *parser) detect() (format, warning string) {
	ext := strings.ToLower(filepath.Ext(p.name))
	first := p.firstContent()
	switch ext {
	case ".csv", ".tsv", ".tab", ".txt", ".edges", ".edgelist", ".dat":
		return "table", ""
	case ".graphml", ".xml", ".gexf":
		return "xml", ""
	case ".net", ".paj", ".pajek":
		if len(first) > 0 && first[0] == '*' || len(first) == 0 {
			return FormatPajek, ""
		}
		return "table", fmt.Sprintf("%s: no Pajek *Vertices, *Edges or *Arcs line; read as a plain edge list", p.name)
	}
	switch {
	case len(first) > 0 && first[0] == '<':
		return "xml", ""
	case len(first) > 0 && first[0] == '*':
		return FormatPajek, ""
	}
	return "table", ""
}

// firstContent returns the buffered text (at most the first 64 KiB) from
// the first line that is neither blank nor a comment, without the line's
// leading blanks.
func (p *parser) firstContent() []byte {
	buf, _ := p.br.Peek(readBufSize)
	for len(buf) > 0 {
		line, rest := buf, []byte(nil)
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			line, rest = buf[:i], buf[i+1:]
		}
		if !skippable(line) {
			return bytes.TrimLeft(buf, " \t\r\v\f")
		}
		buf = rest
	}
	return nil
}

// parser holds the state shared by the readers.
type parser struct {
	name   string
	opt    Options
	br     *bufio.Reader
	format string
	warns  []string
}

func (p *parser) errf(line int, format string, args ...any) error {
	if line > 0 {
		return fmt.Errorf("%s:%d: %s", p.name, line, fmt.Sprintf(format, args...))
	}
	return fmt.Errorf("%s: %s", p.name, fmt.Sprintf(format, args...))
}

func (p *parser) warnf(line int, format string, args ...any) {
	if line > 0 {
		p.warns = append(p.warns, fmt.Sprintf("%s:%d: %s", p.name, line, fmt.Sprintf(format, args...)))
		return
	}
	p.warns = append(p.warns, fmt.Sprintf("%s: %s", p.name, fmt.Sprintf(format, args...)))
}

// collector gathers nodes and edges before the graph is built, so that the
// direction and the final labels can be settled after the whole file is read.
//
// A streaming collector (for edge lists, whose direction and labels are known
// as they are read) instead hands nodes and edges in batches to a goroutine
// that feeds a graph.Builder, so that reading and building overlap. Its
// owner must call stop (build does) so the goroutine ends.
type collector struct {
	labels []string
	index  *interner
	edges  []cedge // all edges, or the pending batch when streaming
	loops  int
	loopAt []loopAt // the first maxLoopWarnings self-loops

	feed     *feeder // streaming
	newNodes []string
}

// feeder is the goroutine of a streaming collector.
type feeder struct {
	b        *graph.Builder
	directed bool
	batches  chan batch
	free     chan batch
	done     chan struct{}
	stopped  bool
	added    int // edges and arcs passed to b; read after done
}

type batch struct {
	nodes []string // new labels, in id order, before the edges
	edges []cedge
}

const batchSize = 4096

type cedge struct {
	u, v int32
	w    float64
	both bool // an undirected edge: two arcs if the graph is directed
}

type loopAt struct {
	line int
	v    int32
}

func newCollector() *collector { return &collector{index: newInterner()} }

func newStreamingCollector(directed, weighted bool) *collector {
	f := &feeder{
		b: graph.NewBuilder(directed, weighted), directed: directed,
		batches: make(chan batch, 4), free: make(chan batch, 8), done: make(chan struct{}),
	}
	go func() {
		defer close(f.done)
		for bt := range f.batches {
			for _, l := range bt.nodes {
				f.b.Node(l)
			}
			for _, e := range bt.edges {
				f.b.AddEdgeID(e.u, e.v, e.w)
				f.added++
				if e.both && f.directed {
					f.b.AddEdgeID(e.v, e.u, e.w)
					f.added++
				}
			}
			select {
			case f.free <- batch{bt.nodes[:0], bt.edges[:0]}:
			default:
			}
		}
	}()
	return &collector{index: newInterner(), feed: f, edges: make([]cedge, 0, batchSize)}
}

// flush hands the pending nodes and edges to the feeder.
func (c *collector) flush() {
	c.feed.batches <- batch{c.newNodes, c.edges}
	select {
	case bt := <-c.feed.free:
		c.newNodes, c.edges = bt.nodes, bt.edges
	default:
		c.newNodes, c.edges = nil, make([]cedge, 0, batchSize)
	}
}

// stop ends a streaming collector's goroutine, after it has added what it
// was handed.
func (c *collector) stop() {
	if c.feed == nil || c.feed.stopped {
		return
	}
	c.feed.stopped = true
	close(c.feed.batches)
	<-c.feed.done
}

// node returns the id of the node labelled b, adding it if new; it does not
// allocate when the label is known.
func (c *collector) node(b []byte) int32 {
	v, found := c.index.lookup(b, true)
	if !found {
		s := string(b)
		c.labels = append(c.labels, s)
		if c.feed != nil {
			c.newNodes = append(c.newNodes, s)
		}
	}
	return v
}

func (c *collector) nodeStr(s string) int32 { return c.node([]byte(s)) }

// has returns the id of the node labelled b, if there is one.
func (c *collector) has(b []byte) (int32, bool) { return c.index.lookup(b, false) }

// edge records an edge read on the given line; a self-loop is counted and
// dropped.
func (c *collector) edge(u, v int32, w float64, both bool, line int) {
	if u == v {
		c.loops++
		if len(c.loopAt) < maxLoopWarnings {
			c.loopAt = append(c.loopAt, loopAt{line, u})
		}
		return
	}
	c.edges = append(c.edges, cedge{u, v, w, both})
	if c.feed != nil && len(c.edges) == batchSize {
		c.flush()
	}
}

// relabel replaces the labels (one per node, in id order) when they are all
// non-empty and distinct, and reports whether it did.
func (c *collector) relabel(labels []string) (dup string, ok bool) {
	if c.feed != nil {
		panic("graphfile: relabel on a streaming collector")
	}
	seen := make(map[string]struct{}, len(labels))
	for _, l := range labels {
		if l == "" {
			return "", false
		}
		if _, d := seen[l]; d {
			return l, false
		}
		seen[l] = struct{}{}
	}
	c.labels = labels
	c.index = nil
	return "", true
}

// build makes the graph and adds the self-loop and duplicate warnings. A
// streaming collector ignores directed (newStreamingCollector was told).
func (c *collector) build(p *parser, directed bool) (*graph.Graph, error) {
	var b *graph.Builder
	added := 0
	if c.feed != nil {
		c.flush()
		c.stop()
		b, added, directed = c.feed.b, c.feed.added, c.feed.directed
		c.edges = nil
	} else {
		b = graph.NewBuilder(directed, p.opt.Weighted)
		for _, l := range c.labels {
			b.Node(l)
		}
	}
	for _, e := range c.edges {
		b.AddEdgeID(e.u, e.v, e.w)
		added++
		if e.both && directed {
			b.AddEdgeID(e.v, e.u, e.w)
			added++
		}
	}
	g, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.name, err)
	}
	for _, l := range c.loopAt {
		p.warnf(l.line, "self-loop on %q dropped", c.labels[l.v])
	}
	if c.loops > len(c.loopAt) {
		p.warnf(0, "%d more self-loops dropped (%d in all)", c.loops-len(c.loopAt), c.loops)
	}
	if d := added - g.M(); d > 0 {
		what := "pair"
		if !directed {
			what = "pair (in either direction)"
		}
		s := "s"
		if d == 1 {
			s = ""
		}
		if p.opt.Weighted {
			p.warnf(0, "%d duplicate edge%s: a %s listed again; the last weight was kept", d, s, what)
		} else {
			p.warnf(0, "%d duplicate edge%s: a %s listed again; it counts once", d, s, what)
		}
	}
	return g, nil
}

// cleanLabel trims surrounding whitespace and double quotes.
func cleanLabel(b []byte) []byte {
	b = bytes.TrimSpace(b)
	for len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = bytes.TrimSpace(b[1 : len(b)-1])
	}
	return b
}

func cleanLabelString(s string) string {
	s = strings.TrimSpace(s)
	for len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// parseWeight parses a weight that must be a finite number above zero. The
// error message is complete (it names the value).
func parseWeight(b []byte) (float64, error) {
	b = bytes.TrimSpace(b)
	w, err := strconv.ParseFloat(string(b), 64)
	if err == nil && w > 0 && w <= math.MaxFloat64 {
		return w, nil
	}
	s := string(b)
	switch {
	case err != nil && err.(*strconv.NumError).Err == strconv.ErrRange:
		return 0, fmt.Errorf("weight %q is out of range", s)
	case err != nil:
		return 0, fmt.Errorf("weight %q is not a number", s)
	case math.IsNaN(w) || math.IsInf(w, 0):
		return 0, fmt.Errorf("weight %q is not a finite number", s)
	}
	return 0, fmt.Errorf("weight %q is not greater than zero", s)
}

// isNumber reports whether b parses as a number (perhaps out of range).
func isNumber(b []byte) bool {
	_, err := strconv.ParseFloat(string(bytes.TrimSpace(b)), 64)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return true
	}
	return err == nil
}
