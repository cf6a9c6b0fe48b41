package graphfile

import (
	"bytes"
	"errors"
	"math"
	"strconv"

	"github.com/rabta/rabta/graph"
)

// readTable reads an edge list or an adjacency matrix. With detect, a table
// whose first cell is empty is read as a matrix; with matrix, it always is.
func (p *parser) readTable(detect, matrix bool) (*graph.Graph, error) {
	sp := &splitter{lr: &lineReader{br: p.br}, sep: sniffSep(p.firstContent())}
	rec, ok, err := sp.next()
	if err != nil {
		return nil, p.readErr(sp, err)
	}
	if matrix || (ok && detect && len(rec) >= 2 && len(cleanLabel(rec[0])) == 0) {
		return p.readMatrix(sp, rec, ok)
	}
	return p.readEdgeList(sp, rec, ok)
}

func (p *parser) readErr(sp *splitter, err error) error {
	switch {
	case errors.Is(err, errUnclosed):
		return p.errf(sp.line, "quoted field starting on this line is never closed")
	case errors.Is(err, errLongLine):
		return p.errf(sp.lr.line+1, "line longer than %d MiB", maxLineLen>>20)
	}
	return p.errf(0, "%v", err)
}

// Header names, compared after headerKey.
var endpointNames = set("source", "target", "from", "to", "node1", "node2", "nodea", "nodeb",
	"src", "dst", "dest", "destination", "sourceid", "targetid", "fromid", "toid",
	"sourcenode", "targetnode", "fromnode", "tonode", "vertex1", "vertex2",
	"ego", "alter", "actor1", "actor2", "person1", "person2", "caller", "callee",
	"sender", "receiver", "head", "tail")

var weightNames = set("weight", "weights", "value", "count", "calls", "strength",
	"frequency", "freq", "amount", "ties", "tie")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// headerKey lowercases a cell and drops spaces, dashes, underscores and dots.
func headerKey(b []byte) string {
	b = cleanLabel(b)
	if len(b) > 32 {
		return ""
	}
	var out []byte
	for _, c := range b {
		switch {
		case c == ' ' || c == '-' || c == '_' || c == '.':
		case 'A' <= c && c <= 'Z':
			out = append(out, c+'a'-'A')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// header reports whether the first row is a header (see the package comment)
// and which column holds the weight.
func header(rec [][]byte, weighted bool) (bool, int) {
	if len(rec) < 2 {
		return false, 2
	}
	isHeader := endpointNames[headerKey(rec[0])] && endpointNames[headerKey(rec[1])]
	if len(rec) >= 3 {
		third := bytes.TrimSpace(rec[2])
		if weightNames[headerKey(third)] || (weighted && len(third) > 0 && !isNumber(third)) {
			isHeader = true
		}
	}
	if !isHeader {
		return false, 2
	}
	for j := 2; j < len(rec); j++ {
		if weightNames[headerKey(rec[j])] {
			return true, j
		}
	}
	return true, 2
}

func (p *parser) readEdgeList(sp *splitter, rec [][]byte, ok bool) (*graph.Graph, error) {
	p.format = FormatEdgeList
	c := newStreamingCollector(p.opt.Directed, p.opt.Weighted)
	defer c.stop()
	wcol := 2
	var err error
	if ok {
		var isHeader bool
		if isHeader, wcol = header(rec, p.opt.Weighted); isHeader {
			rec, ok, err = sp.next()
		}
	}
	for ; ok && err == nil; rec, ok, err = sp.next() {
		var a, b []byte
		if len(rec) > 0 {
			a = cleanLabel(rec[0])
		}
		if len(rec) > 1 {
			b = cleanLabel(rec[1])
		}
		switch {
		case len(a) == 0 && len(b) == 0:
		case len(b) == 0:
			c.node(a)
		case len(a) == 0:
			c.node(b)
		default:
			w := 1.0
			if p.opt.Weighted && wcol < len(rec) {
				if f := bytes.TrimSpace(rec[wcol]); len(f) > 0 {
					var werr error
					if w, werr = parseWeight(f); werr != nil {
						return nil, p.errf(sp.line, "%v", werr)
					}
				}
			}
			c.edge(c.node(a), c.node(b), w, false, sp.line)
		}
	}
	if err != nil {
		return nil, p.readErr(sp, err)
	}
	return c.build(p, p.opt.Directed)
}

type mcell struct {
	col int32
	val float64
}

// readMatrix reads a labelled adjacency matrix whose first record is head.
func (p *parser) readMatrix(sp *splitter, head [][]byte, ok bool) (*graph.Graph, error) {
	p.format = FormatMatrix
	c := newCollector()
	if !ok {
		return c.build(p, p.opt.Directed)
	}
	headLine := sp.line
	n := len(head) - 1
	for n > 0 && len(cleanLabel(head[n])) == 0 { // a trailing separator
		n--
	}
	for j := 1; j <= n; j++ {
		l := cleanLabel(head[j])
		if len(l) == 0 {
			return nil, p.errf(headLine, "matrix column %d has no label", j+1)
		}
		if _, dup := c.has(l); dup {
			return nil, p.errf(headLine, "matrix column label %q appears twice", l)
		}
		c.node(l)
	}
	cells := make([][]mcell, n)
	rowLine := make([]int, n)
	rows := 0
	var unknown, dup string
	var unknownLine, dupLine int
	rec, ok, err := sp.next()
	for ; ok && err == nil; rec, ok, err = sp.next() {
		rows++
		line := sp.line
		label := cleanLabel(rec[0])
		m := len(rec) - 1
		for m > n && len(bytes.TrimSpace(rec[m])) == 0 {
			m--
		}
		if m != n {
			return nil, p.errf(line, "matrix row %q has %d cells, want %d (one per column label)", label, m, n)
		}
		id, known := c.has(label)
		switch {
		case !known:
			if unknown == "" {
				unknown, unknownLine = string(label), line
			}
			continue
		case rowLine[id] != 0:
			if dup == "" {
				dup, dupLine = string(label), line
			}
			continue
		}
		rowLine[id] = line
		for j := 0; j < n; j++ {
			f := bytes.TrimSpace(rec[j+1])
			if len(f) == 0 {
				continue
			}
			v, perr := strconv.ParseFloat(string(f), 64)
			switch {
			case perr != nil || math.IsNaN(v) || math.IsInf(v, 0):
				return nil, p.errf(line, "matrix cell %q (row %q, column %q) is not a finite number", f, label, c.labels[j])
			case v < 0:
				return nil, p.errf(line, "matrix cell %v (row %q, column %q) is negative; signed ties are not supported", v, label, c.labels[j])
			case v > 0:
				cells[id] = append(cells[id], mcell{int32(j), v})
			}
		}
	}
	if err != nil {
		return nil, p.readErr(sp, err)
	}
	if rows != n {
		return nil, p.errf(headLine, "the first cell is empty, so this looks like a labelled adjacency matrix, but it has %d column labels and %d rows; "+
			"an adjacency matrix is square with the same labels on rows and columns (a 2-mode matrix, e.g. persons × events, is not supported: project it to one mode first)", n, rows)
	}
	if unknown != "" {
		return nil, p.errf(unknownLine, "matrix row label %q is not among the column labels; an adjacency matrix has the same labels on rows and columns", unknown)
	}
	if dup != "" {
		return nil, p.errf(dupLine, "matrix row label %q appears twice", dup)
	}

	if p.opt.Directed {
		for i := range cells {
			for _, e := range cells[i] {
				c.edge(int32(i), e.col, e.val, false, rowLine[i])
			}
		}
		return c.build(p, true)
	}
	val := make(map[uint64]float64)
	for i := range cells {
		for _, e := range cells[i] {
			val[uint64(i)<<32|uint64(e.col)] = e.val
		}
	}
	symmetric := true
	for k, v := range val {
		if val[k<<32|k>>32] != v {
			symmetric = false
			break
		}
	}
	for i := range cells {
		for _, e := range cells[i] {
			j := int(e.col)
			back, tied := val[uint64(j)<<32|uint64(i)]
			switch {
			case j == i:
				c.edge(int32(i), int32(i), 1, false, rowLine[i])
			case j < i && tied:
				// Added with row j.
			case symmetric:
				c.edge(int32(i), int32(j), e.val, false, rowLine[i])
			default:
				sum := e.val + back
				if math.IsInf(sum, 0) {
					return nil, p.errf(rowLine[i], "matrix cells for %q and %q add up to more than the largest number", c.labels[i], c.labels[j])
				}
				c.edge(int32(i), int32(j), sum, false, rowLine[i])
			}
		}
	}
	if !symmetric && p.opt.Weighted {
		p.warnf(0, "the matrix is not symmetric; each undirected tie's weight is the sum of both cells (i→j plus j→i); read it as directed to keep them apart")
	}
	return c.build(p, false)
}
