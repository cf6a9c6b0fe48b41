package server

import (
	"bytes"
	"math"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/graph"
	"github.com/rabta/rabta/graph/graphfile"
	"github.com/rabta/rabta/sqlstore"
)

// The link chart's endpoints. The browser never lays out a network: every
// node comes with its position, computed here with graph.Layout, and the
// nodes already on the chart are held where they stand so that an
// expansion adds to the picture rather than redrawing it.

// chartRequest is a network request from a chart: the network to load,
// and the nodes already on the chart where they stand.
type chartRequest struct {
	networkRequest
	Chart []sqlstore.ChartNode `json:"chart"`
}

// chartNode is a network node with its place on the chart.
type chartNode struct {
	sqlstore.NetworkNode
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

type chartNetwork struct {
	Nodes     []chartNode            `json:"nodes"`
	Edges     []sqlstore.NetworkEdge `json:"edges"`
	Truncated bool                   `json:"truncated"`
}

func checkChartNodes(nodes []sqlstore.ChartNode) error {
	if len(nodes) > sqlstore.MaxNetworkNodes {
		return rabta.Errorf(rabta.EInvalid, "chart: at most %d records", sqlstore.MaxNetworkNodes)
	}
	for _, n := range nodes {
		if math.Abs(n.X) > 1e7 || math.Abs(n.Y) > 1e7 {
			return rabta.Errorf(rabta.EInvalid, "chart: %q: position out of range", n.ID)
		}
	}
	return nil
}

// apiChartNetwork loads part of the network for a chart, with a position
// for every node: POST /api/v1/charts/network. The nodes in "chart" keep
// their positions, and the links from the network's outermost nodes to
// them come too (sqlstore.NetworkQuery.Among), so that an expansion shows
// how the new records join the rest of the chart.
func (srv *Server) apiChartNetwork(w http.ResponseWriter, r *http.Request) {
	var in chartRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if err := checkChartNodes(in.Chart); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if err := srv.addSeeds(r, &in.networkRequest); err != nil {
		srv.writeError(w, r, err)
		return
	}
	q := in.query()
	for _, n := range in.Chart {
		q.Among = append(q.Among, n.ID)
	}
	net, err := srv.store.Network(srv.storeCtx(r), sessionOf(r.Context()).p, q)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, placeNetwork(net, in.Chart))
}

// placeNetwork lays the network out around the chart's fixed nodes. The
// chart's other nodes take part as fixed obstacles, so new nodes settle
// near what they link to without landing on top of anything else. Their
// ids come from the client and never leave this function.
func placeNetwork(net *sqlstore.Network, chart []sqlstore.ChartNode) chartNetwork {
	b := networkBuilder(net)
	fixed := make(map[int32]graph.Point, len(chart))
	for _, c := range chart {
		fixed[b.Node(c.ID)] = graph.Point{X: c.X, Y: c.Y}
	}
	g, _ := b.Build() // unweighted: no weight can be invalid
	pos := graph.Layout(g, graph.LayoutOptions{Seed: 1, Fixed: fixed})
	out := chartNetwork{Nodes: make([]chartNode, len(net.Nodes)), Edges: net.Edges, Truncated: net.Truncated}
	for i, n := range net.Nodes {
		p, ok := fixed[int32(i)]
		if !ok {
			p = graph.Point{X: round1(pos[i].X), Y: round1(pos[i].Y)}
		}
		// A node on the chart stays exactly where it was, to the bit.
		out.Nodes[i] = chartNode{NetworkNode: n, X: p.X, Y: p.Y}
	}
	return out
}

// round1 keeps one decimal of a position: a tenth of a pixel is plenty,
// and a 5,000-node chart travels in half the bytes.
func round1(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return math.Round(v*10) / 10
}

type saveChartRequest struct {
	Title   string                `json:"title"`
	Nodes   []sqlstore.ChartNode  `json:"nodes"`
	Filters sqlstore.ChartFilters `json:"filters"`
	Case    string                `json:"case"`
}

// apiSaveChart saves a chart for the caller's agency: POST /api/v1/charts.
func (srv *Server) apiSaveChart(w http.ResponseWriter, r *http.Request) {
	var in saveChartRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	id, err := srv.store.SaveChart(srv.storeCtx(r), sessionOf(r.Context()).p, in.Title, sqlstore.ChartState{Nodes: in.Nodes, Filters: in.Filters, Case: in.Case})
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id, "url": "/charts/" + id})
}

// apiCharts lists the charts the caller's agency saved: GET /api/v1/charts.
func (srv *Server) apiCharts(w http.ResponseWriter, r *http.Request) {
	limit, err := intParam(r, "limit", 100)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	cs, err := srv.store.Charts(srv.storeCtx(r), sessionOf(r.Context()).p, limit)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"charts": cs})
}

// apiChart opens a saved chart: GET /api/v1/charts/{id}. Its records are
// loaded again for the caller (a colleague of another agency sees only
// what they may see), with their saved positions.
func (srv *Server) apiChart(w http.ResponseWriter, r *http.Request) {
	c, err := srv.store.Chart(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	net := chartNetwork{Nodes: make([]chartNode, len(c.Network.Nodes)), Edges: c.Network.Edges}
	for i, n := range c.Network.Nodes {
		net.Nodes[i] = chartNode{NetworkNode: n, X: c.Positions[i].X, Y: c.Positions[i].Y}
	}
	writeJSON(w, http.StatusOK, map[string]any{"chart": c.ChartSummary, "filters": c.Filters, "nodes": net.Nodes, "edges": net.Edges})
}

type exportChartRequest struct {
	networkRequest
	Format   string   `json:"format"`
	Measures []string `json:"measures"`
}

// apiExportChart exports the chart's network: POST /api/v1/charts/export.
// With format "graphml" it loads the network (seeds: the chart's records;
// hops 0; the chart's link-type and date filters) and answers a GraphML
// file of what the caller sees, each node with its community and the
// measures asked for. With format "png" the browser draws the picture
// itself and this only logs the export, before the browser makes it.
// Both are logged as chart.export.
func (srv *Server) apiExportChart(w http.ResponseWriter, r *http.Request) {
	var in exportChartRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	p := sessionOf(r.Context()).p
	ctx := srv.storeCtx(r)
	switch in.Format {
	case "png":
		// The ids are the browser's word for what it drew: bounded, and
		// logged as given.
		if len(in.Seeds) > sqlstore.MaxNetworkNodes {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "seeds: at most %d records", sqlstore.MaxNetworkNodes))
			return
		}
		for _, id := range in.Seeds {
			if len(id) > 100 {
				srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "seeds: %.20q… is not a record id", id))
				return
			}
		}
		if err := srv.store.AuditChartExport(ctx, p, "png", in.Seeds); err != nil {
			srv.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"logged": len(in.Seeds)})
		return
	case "graphml":
	default:
		srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "format: %q: want graphml or png", in.Format))
		return
	}
	for _, m := range in.Measures {
		if !slices.Contains(graph.Centralities, m) {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "measures: %q: want some of degree, betweenness, closeness, pagerank, eigenvector", m))
			return
		}
	}
	net, err := srv.store.Network(ctx, p, in.query())
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	g := networkGraph(net)
	rep, err := graph.Analyse(g, graph.ReportOptions{Measures: append(slices.Clone(in.Measures), "communities"), Top: 1, Seed: 1})
	if err != nil {
		srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "measures: %v", err))
		return
	}
	attrs := map[string][]float64{}
	for _, m := range in.Measures {
		if v, ok := rep.Values[m]; ok {
			attrs[m] = v
		}
	}
	var buf bytes.Buffer
	if err := graphfile.Write(&buf, g, graphfile.FormatGraphML, attrs, map[string][]int32{"community": rep.Membership}); err != nil {
		srv.writeError(w, r, err)
		return
	}
	ids := make([]string, len(net.Nodes))
	for i, n := range net.Nodes {
		ids[i] = n.ID
	}
	if err := srv.store.AuditChartExport(ctx, p, "graphml", ids); err != nil {
		srv.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/graphml+xml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="rabta-chart.graphml"`)
	w.Write(buf.Bytes())
}
