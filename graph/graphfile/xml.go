package graphfile

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/rabta/rabta/graph"
)

// readXML reads GraphML or GEXF with a streaming decoder; want is the format
// asked for, or "xml" for either.
func (p *parser) readXML(want string) (*graph.Graph, error) {
	d := xml.NewDecoder(p.br)
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unsupported encoding %q", label)
		}
		return enc.NewDecoder().Reader(in), nil
	}
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF {
				return nil, p.errf(0, "no XML root element")
			}
			return nil, p.xmlErr(d, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		root := se.Name.Local
		switch {
		case root == "graphml" && want != FormatGEXF:
			return p.readGraphML(d)
		case root == "gexf" && want != FormatGraphML:
			return p.readGEXF(d)
		}
		switch want {
		case FormatGraphML:
			return nil, p.errf(line(d), "the root element is <%s>, not <graphml>", root)
		case FormatGEXF:
			return nil, p.errf(line(d), "the root element is <%s>, not <gexf>", root)
		}
		return nil, p.errf(line(d), "the root element is <%s>; want <graphml> or <gexf>", root)
	}
}

func line(d *xml.Decoder) int {
	l, _ := d.InputPos()
	return l
}

func (p *parser) xmlErr(d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return p.errf(se.Line, "XML: %s", se.Msg)
	}
	if err == io.ErrUnexpectedEOF {
		return p.errf(line(d), "XML: unexpected end of file")
	}
	return p.errf(line(d), "XML: %v", err)
}

func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// xmlNode returns the node with the id attribute value s.
func (p *parser) xmlNode(c *collector, s string, what string, ln int) (int32, error) {
	l := cleanLabelString(s)
	if l == "" {
		return 0, p.errf(ln, "%s is empty", what)
	}
	return c.nodeStr(l), nil
}

// readGraphML reads the body of a <graphml> element. A node's label is its
// id. An edge's weight is its <data> value for the key whose attr.name is
// "weight" (any case; for edges or all), or that key's <default>, or 1.
func (p *parser) readGraphML(d *xml.Decoder) (*graph.Graph, error) {
	p.format = FormatGraphML
	c := newCollector()
	weightKey := map[string]bool{}
	weightDefault := ""
	var (
		inEdge, inWeight, inDefault bool
		defaultKey                  string
		text                        strings.Builder
		eu, ev                      int32
		ew                          string
		ewLine, edgeLine            int
		edgeDirected                bool
		edgeDefault                 []bool // edgedefault of the enclosing graphs
		arcs, edges                 bool
		graphs                      int
		hyper                       bool
		anyWeightKey                bool
	)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, p.xmlErr(d, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			ln := line(d)
			switch t.Name.Local {
			case "key":
				id, _ := attr(t, "id")
				name, _ := attr(t, "attr.name")
				for_, _ := attr(t, "for")
				if strings.EqualFold(strings.TrimSpace(name), "weight") && (for_ == "edge" || for_ == "all" || for_ == "") {
					weightKey[id] = true
					anyWeightKey = true
					defaultKey = id
				} else {
					defaultKey = ""
				}
			case "default":
				if defaultKey != "" {
					inDefault = true
					text.Reset()
				}
			case "graph":
				graphs++
				ed, _ := attr(t, "edgedefault")
				dir := edgeDefaultDirected(ed, edgeDefault)
				edgeDefault = append(edgeDefault, dir)
			case "node":
				id, _ := attr(t, "id")
				if _, err := p.xmlNode(c, id, "node id", ln); err != nil {
					return nil, err
				}
			case "edge":
				src, ok1 := attr(t, "source")
				dst, ok2 := attr(t, "target")
				if !ok1 || !ok2 {
					return nil, p.errf(ln, "<edge> without source or target")
				}
				if eu, err = p.xmlNode(c, src, "edge source", ln); err != nil {
					return nil, err
				}
				if ev, err = p.xmlNode(c, dst, "edge target", ln); err != nil {
					return nil, err
				}
				edgeDirected = len(edgeDefault) > 0 && edgeDefault[len(edgeDefault)-1]
				if dv, ok := attr(t, "directed"); ok {
					switch strings.TrimSpace(dv) {
					case "true", "1":
						edgeDirected = true
					case "false", "0":
						edgeDirected = false
					default:
						return nil, p.errf(ln, "edge attribute directed=%q is not true or false", dv)
					}
				}
				inEdge, ew, ewLine, edgeLine = true, weightDefault, 0, ln
			case "data":
				key, _ := attr(t, "key")
				if inEdge && (weightKey[key] || (!anyWeightKey && strings.EqualFold(key, "weight"))) {
					inWeight = true
					ewLine = ln
					text.Reset()
				}
			case "hyperedge":
				hyper = true
			}
		case xml.CharData:
			if inWeight || inDefault {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "default":
				if inDefault {
					weightDefault = text.String()
					inDefault = false
				}
			case "key":
				defaultKey = ""
			case "graph":
				if len(edgeDefault) > 0 {
					edgeDefault = edgeDefault[:len(edgeDefault)-1]
				}
			case "data":
				if inWeight {
					ew = text.String()
					inWeight = false
				}
			case "edge":
				if !inEdge {
					break
				}
				inEdge = false
				w := 1.0
				if p.opt.Weighted && strings.TrimSpace(ew) != "" {
					if w, err = parseWeight([]byte(ew)); err != nil {
						l := ewLine
						if l == 0 {
							l = edgeLine // the key's default
						}
						return nil, p.errf(l, "%v", err)
					}
				}
				c.edge(eu, ev, w, !edgeDirected, edgeLine)
				arcs = arcs || edgeDirected
				edges = edges || !edgeDirected
			}
		}
	}
	if graphs == 0 {
		return nil, p.errf(0, "no <graph> element")
	}
	if graphs > 1 {
		p.warnf(0, "%d <graph> elements; their nodes and edges were read into one graph", graphs)
	}
	if hyper {
		p.warnf(0, "hyperedges ignored")
	}
	return p.finishDirection(c, arcs, edges, "edges")
}

// edgeDefaultDirected reads an edgedefault value; without one a graph
// inherits its parent's, and a top-level graph is undirected.
func edgeDefaultDirected(v string, parents []bool) bool {
	switch strings.TrimSpace(v) {
	case "directed":
		return true
	case "undirected":
		return false
	}
	return len(parents) > 0 && parents[len(parents)-1]
}

// finishDirection builds the graph, directed when asked or when the file
// has a directed edge.
func (p *parser) finishDirection(c *collector, arcs, edges bool, what string) (*graph.Graph, error) {
	directed := p.opt.Directed || arcs
	if arcs && !p.opt.Directed {
		p.warnf(0, "the file has directed %s, so the graph is directed", what)
	}
	if directed && edges {
		p.warnf(0, "each undirected edge became two arcs, since the graph is directed")
	}
	return c.build(p, directed)
}

// readGEXF reads the body of a <gexf> element (versions 1.1 to 1.3). A node's
// label is its label attribute, or its id; an edge's weight is its weight
// attribute.
func (p *parser) readGEXF(d *xml.Decoder) (*graph.Graph, error) {
	p.format = FormatGEXF
	c := newCollector() // by node id
	var display []string
	graphs := 0
	defaultDirected := false
	var arcs, edges bool
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, p.xmlErr(d, err)
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		ln := line(d)
		switch t.Name.Local {
		case "graph":
			graphs++
			et, _ := attr(t, "defaultedgetype")
			defaultDirected = strings.TrimSpace(et) == "directed"
		case "node":
			id, _ := attr(t, "id")
			v, err := p.xmlNode(c, id, "node id", ln)
			if err != nil {
				return nil, err
			}
			for len(display) < len(c.labels) {
				display = append(display, "")
			}
			if l, ok := attr(t, "label"); ok {
				display[v] = cleanLabelString(l)
			}
		case "edge":
			src, ok1 := attr(t, "source")
			dst, ok2 := attr(t, "target")
			if !ok1 || !ok2 {
				return nil, p.errf(ln, "<edge> without source or target")
			}
			u, err := p.xmlNode(c, src, "edge source", ln)
			if err != nil {
				return nil, err
			}
			v, err := p.xmlNode(c, dst, "edge target", ln)
			if err != nil {
				return nil, err
			}
			dir := defaultDirected
			if et, ok := attr(t, "type"); ok {
				switch strings.TrimSpace(et) {
				case "directed":
					dir = true
				case "undirected", "mutual":
					dir = false
				default:
					return nil, p.errf(ln, "edge type %q is not directed, undirected or mutual", et)
				}
			}
			w := 1.0
			if ws, ok := attr(t, "weight"); ok && p.opt.Weighted && strings.TrimSpace(ws) != "" {
				if w, err = parseWeight([]byte(ws)); err != nil {
					return nil, p.errf(ln, "%v", err)
				}
			}
			c.edge(u, v, w, !dir, ln)
			arcs = arcs || dir
			edges = edges || !dir
		}
	}
	if graphs == 0 {
		return nil, p.errf(0, "no <graph> element")
	}
	labels := make([]string, len(c.labels))
	for i := range labels {
		labels[i] = c.labels[i]
		if i < len(display) && display[i] != "" {
			labels[i] = display[i]
		}
	}
	if dup, ok := c.relabel(labels); !ok {
		p.warnf(0, "node label %q is used more than once; nodes are labelled by their ids instead", dup)
	}
	return p.finishDirection(c, arcs, edges, "edges")
}
