package graphfile

import (
	"strconv"
	"strings"

	"github.com/rabta/rabta/graph"
)

// readPajek reads a Pajek .net file: *Vertices n with `id "label" …` lines,
// then *Edges (undirected) or *Arcs (directed) lines `from to [value …]`, or
// *Edgeslist / *Arcslist lines `from to1 to2 …`. Lines starting with % are
// comments. Other sections (*Partition, *Vector, …) are skipped with a
// warning; *Matrix is not supported.
func (p *parser) readPajek() (*graph.Graph, error) {
	p.format = FormatPajek
	sp := &splitter{lr: &lineReader{br: p.br}}
	c := newCollector()
	n := -1 // vertices declared by *Vertices, -1 without one
	var vlabel []string
	section, title := "", ""
	var arcs, edges bool // seen an arc or an undirected edge
	started := false
	for {
		rec, ok, err := sp.next()
		if err != nil {
			return nil, p.readErr(sp, err)
		}
		if !ok {
			break
		}
		line := sp.line
		if len(rec) > 0 && len(rec[0]) > 0 && rec[0][0] == '*' {
			started = true
			title = string(rec[0])
			kw := strings.ToLower(title)
			switch kw {
			case "*network":
				section = ""
			case "*vertices":
				if n >= 0 {
					return nil, p.errf(line, "a second *Vertices line")
				}
				if len(c.labels) > 0 {
					return nil, p.errf(line, "*Vertices after edges")
				}
				if len(rec) < 2 {
					return nil, p.errf(line, "*Vertices needs the number of vertices")
				}
				k, err := strconv.Atoi(string(rec[1]))
				if err != nil || k < 0 {
					return nil, p.errf(line, "*Vertices count %q is not a number of vertices", rec[1])
				}
				if k > maxVertices {
					return nil, p.errf(line, "*Vertices %d: more than %d vertices", k, maxVertices)
				}
				n = k
				vlabel = make([]string, n)
				for i := 1; i <= n; i++ {
					c.nodeStr(strconv.Itoa(i))
				}
				section = "vertices"
			case "*edges", "*arcs", "*edgeslist", "*arcslist":
				section = kw[1:]
			case "*matrix":
				return nil, p.errf(line, "Pajek *Matrix sections are not supported; save the network with *Edges or *Arcs")
			default:
				section = "skip"
				p.warnf(line, "section %s ignored", title)
			}
			continue
		}
		if !started {
			return nil, p.errf(line, "expected *Vertices, *Edges or *Arcs, found %q", short(strings.Join(strs(rec), " ")))
		}
		switch section {
		case "":
			return nil, p.errf(line, "line outside a *Vertices, *Edges or *Arcs section")
		case "skip":
		case "vertices":
			v, err := p.pajekVertex(c, rec[0], n, line)
			if err != nil {
				return nil, err
			}
			if len(rec) > 1 {
				vlabel[v] = string(cleanLabel(rec[1]))
			}
		case "edges", "arcs":
			if len(rec) < 2 {
				s := "s"
				if len(rec) == 1 {
					s = ""
				}
				return nil, p.errf(line, "%s line has %d field%s, want 2 or 3", title, len(rec), s)
			}
			u, err := p.pajekVertex(c, rec[0], n, line)
			if err != nil {
				return nil, err
			}
			v, err := p.pajekVertex(c, rec[1], n, line)
			if err != nil {
				return nil, err
			}
			w := 1.0
			if p.opt.Weighted && len(rec) >= 3 {
				if w, err = parseWeight(rec[2]); err != nil {
					return nil, p.errf(line, "%v", err)
				}
			}
			c.edge(u, v, w, section == "edges", line)
			arcs = arcs || section == "arcs"
			edges = edges || section == "edges"
		case "edgeslist", "arcslist":
			u, err := p.pajekVertex(c, rec[0], n, line)
			if err != nil {
				return nil, err
			}
			for _, f := range rec[1:] {
				v, err := p.pajekVertex(c, f, n, line)
				if err != nil {
					return nil, err
				}
				c.edge(u, v, 1, section == "edgeslist", line)
				arcs = arcs || section == "arcslist"
				edges = edges || section == "edgeslist"
			}
		}
	}
	if n >= 0 {
		labels := make([]string, n)
		for i := range labels {
			labels[i] = vlabel[i]
			if labels[i] == "" {
				labels[i] = c.labels[i]
			}
		}
		if dup, ok := c.relabel(labels); !ok {
			p.warnf(0, "vertex label %q is used more than once; vertices are labelled by their numbers instead", dup)
		}
	}
	directed := p.opt.Directed || arcs
	if arcs && !p.opt.Directed {
		p.warnf(0, "the file has *Arcs, so the graph is directed")
	}
	if directed && edges {
		p.warnf(0, "each undirected *Edges line became two arcs, since the graph is directed")
	}
	return c.build(p, directed)
}

// pajekVertex returns the node of vertex number f.
func (p *parser) pajekVertex(c *collector, f []byte, n, line int) (int32, error) {
	f = cleanLabel(f)
	k, err := strconv.Atoi(string(f))
	if err != nil {
		return 0, p.errf(line, "vertex %q is not a number", f)
	}
	if n >= 0 {
		if k < 1 || k > n {
			return 0, p.errf(line, "vertex %d is not between 1 and %d (*Vertices %d)", k, n, n)
		}
		return int32(k - 1), nil
	}
	return c.node(f), nil
}

func strs(rec [][]byte) []string {
	out := make([]string, len(rec))
	for i, f := range rec {
		out[i] = string(f)
	}
	return out
}

// short cuts s to 60 bytes for a message.
func short(s string) string {
	if len(s) <= 60 {
		return s
	}
	return s[:57] + "..."
}
