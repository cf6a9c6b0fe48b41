package server

import (
	"cmp"
	"math"
	"net/http"
	"slices"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/graph"
	"github.com/rabta/rabta/sqlstore"
)

// networkRequest is the part of the network a request is about: the JSON
// form of sqlstore.NetworkQuery.
type networkRequest struct {
	Seeds     []string `json:"seeds"`
	Hops      int      `json:"hops"`
	MaxDegree int      `json:"max_degree"`
	MaxNodes  int      `json:"max_nodes"`
	Schemata  []string `json:"schemata"`
	From      string   `json:"from"` // dates, YYYY-MM-DD
	To        string   `json:"to"`
	// Case and Chart add seeds: the records of a case the caller sees in
	// full, the nodes of a saved chart.
	Case  string `json:"case"`
	Chart string `json:"chart"`
}

// addSeeds turns a case or a chart into seeds.
func (srv *Server) addSeeds(r *http.Request, n *networkRequest) error {
	p := sessionOf(r.Context()).p
	if n.Case != "" {
		ids, err := srv.store.CaseRecordIDs(srv.storeCtx(r), p, n.Case)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return rabta.Errorf(rabta.EInvalid, "case: no record of case %q that you see in full", n.Case)
		}
		n.Seeds = append(n.Seeds, ids...)
	}
	if n.Chart != "" {
		c, err := srv.store.Chart(srv.storeCtx(r), p, n.Chart)
		if err != nil {
			return err
		}
		for _, x := range c.Network.Nodes {
			n.Seeds = append(n.Seeds, x.ID)
		}
	}
	return nil
}

func (n networkRequest) query() sqlstore.NetworkQuery {
	return sqlstore.NetworkQuery{Seeds: n.Seeds, Hops: n.Hops, MaxDegree: n.MaxDegree, MaxNodes: n.MaxNodes,
		Schemata: n.Schemata, From: n.From, To: n.To}
}

// apiNetwork loads the network around seed records: POST /api/v1/network.
func (srv *Server) apiNetwork(w http.ResponseWriter, r *http.Request) {
	var in networkRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if err := srv.addSeeds(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	net, err := srv.store.Network(srv.storeCtx(r), sessionOf(r.Context()).p, in.query())
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, net)
}

// networkGraph turns a network into a graph for the engine: one node per
// record (ids as labels, in the network's order), one undirected edge per
// pair of records however many links join them. Measures on the platform
// are unweighted: link counts would be strengths to some measures and
// distances to others.
func networkGraph(net *sqlstore.Network) *graph.Graph {
	g, _ := networkBuilder(net).Build() // unweighted: no weight can be invalid
	return g
}

// networkBuilder holds the network's records as nodes 0.. in its order and
// one edge per linked pair, for callers that add nodes of their own.
func networkBuilder(net *sqlstore.Network) *graph.Builder {
	b := graph.NewBuilder(false, false)
	for _, n := range net.Nodes {
		b.Node(n.ID)
	}
	for _, e := range net.Edges {
		b.AddEdge(e.Source, e.Target, 1)
	}
	return b
}

type pathsRequest struct {
	networkRequest
	Source        string `json:"source"`
	Target        string `json:"target"`
	SourceProfile string `json:"source_profile"` // instead of source: any record of the profile the caller sees
	TargetProfile string `json:"target_profile"`
	Max           int    `json:"max"` // paths listed; default 20
}

// pathEnds are the records one end of a path search stands for: the record
// named, or the records of a profile the caller sees in full.
func (srv *Server) pathEnds(r *http.Request, p rabta.Principal, field, id, profileField, profile string) ([]string, error) {
	ctx := srv.storeCtx(r)
	switch {
	case (id == "") == (profile == ""):
		return nil, rabta.Errorf(rabta.EInvalid, "%s, %s: name one record or one profile", field, profileField)
	case id != "":
		// It must be a record the caller may see, or the answer would
		// tell "unreachable" from "hidden".
		if _, err := srv.store.Record(ctx, p, id); err != nil {
			return nil, rabta.Errorf(rabta.ENotFound, "%s: no record %q", field, id)
		}
		return []string{id}, nil
	}
	v, err := srv.store.Profile(ctx, p, profile)
	if err != nil && rabta.ErrorCode(err) != rabta.ENotFound {
		return nil, err
	}
	var ids []string
	if v != nil {
		for _, m := range v.Members {
			if m.Access == rabta.AccessFull {
				ids = append(ids, m.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil, rabta.Errorf(rabta.ENotFound, "%s: no profile %q", profileField, profile)
	}
	return ids, nil
}

// apiNetworkPaths finds the shortest paths between two records through the
// links the caller may see: POST /api/v1/network/paths. The search expands
// from the source hop by hop (hops: at most 6, default 4) until it meets
// the target, with the same hub and size limits as the link chart.
func (srv *Server) apiNetworkPaths(w http.ResponseWriter, r *http.Request) {
	var in pathsRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if len(in.Seeds) > 0 {
		srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "seeds: a path search starts from source"))
		return
	}
	if in.Max <= 0 {
		in.Max = 20
	}
	if in.Hops == 0 {
		in.Hops = 4
	}
	p := sessionOf(r.Context()).p
	sources, err := srv.pathEnds(r, p, "source", in.Source, "source_profile", in.SourceProfile)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	targets, err := srv.pathEnds(r, p, "target", in.Target, "target_profile", in.TargetProfile)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	q := in.query()
	q.Seeds, q.Until = sources, targets
	net, err := srv.store.Network(srv.storeCtx(r), p, q)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	g := networkGraph(net)
	out := struct {
		Source   string                 `json:"source"`
		Target   string                 `json:"target"`
		Distance *float64               `json:"distance"` // null: no path within the hops
		Paths    [][]string             `json:"paths"`
		Nodes    []sqlstore.NetworkNode `json:"nodes"` // the records on the paths
		Edges    []sqlstore.NetworkEdge `json:"edges"` // and the links between them
	}{Source: cmp.Or(in.Source, in.SourceProfile), Target: cmp.Or(in.Target, in.TargetProfile), Paths: [][]string{}, Nodes: []sqlstore.NetworkNode{}, Edges: []sqlstore.NetworkEdge{}}
	// The shortest of the paths between any source and any target.
	best := math.Inf(1)
	var paths [][]int32
	for _, a := range sources {
		s, _ := g.ID(a)
		for _, b := range targets {
			t, ok := g.ID(b)
			if !ok || s == t {
				continue
			}
			ps, dist := graph.ShortestPaths(g, s, t, in.Max)
			switch {
			case len(ps) == 0 || dist > best:
			case dist < best:
				best, paths = dist, ps
			default:
				paths = append(paths, ps...)
			}
		}
	}
	if len(paths) > in.Max {
		paths = paths[:in.Max]
	}
	on := map[string]bool{}
	for _, path := range paths {
		var ids []string
		for _, v := range path {
			ids = append(ids, g.Label(v))
			on[g.Label(v)] = true
		}
		out.Paths = append(out.Paths, ids)
	}
	if len(paths) > 0 {
		out.Distance = &best
	}
	for _, n := range net.Nodes {
		if on[n.ID] {
			out.Nodes = append(out.Nodes, n)
		}
	}
	for _, e := range net.Edges {
		if on[e.Source] && on[e.Target] {
			out.Edges = append(out.Edges, e)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

type analysisRequest struct {
	networkRequest
	Measures   []string        `json:"measures"`
	Top        int             `json:"top"`
	Resolution float64         `json:"resolution"`
	Disrupt    *disruptRequest `json:"disrupt"`
}

type disruptRequest struct {
	By        string `json:"by"`
	Mode      string `json:"mode"`
	BlockSize int    `json:"block_size"`
	Steps     int    `json:"steps"`
}

// apiNetworkAnalysis measures the network around seed records (or among a
// selection, with hops 0): POST /api/v1/network/analysis. It answers the
// contract of `rabta graph metrics` with record ids as nodes, each node's
// values and community, and optionally a disruption simulation.
func (srv *Server) apiNetworkAnalysis(w http.ResponseWriter, r *http.Request) {
	var in analysisRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if err := graph.CheckReportItems(in.Measures); err != nil {
		srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "measures: %v", err))
		return
	}
	var dopt graph.DisruptOptions
	if d := in.Disrupt; d != nil {
		if !slices.Contains(graph.Centralities, d.By) {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "disrupt.by: %q: want betweenness, degree, closeness, pagerank or eigenvector", d.By))
			return
		}
		switch d.Mode {
		case "", "sequential":
			d.Mode, dopt.Mode = "sequential", graph.Sequential
		case "block":
			dopt.Mode = graph.Block
		default:
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "disrupt.mode: %q: want sequential or block", d.Mode))
			return
		}
		if d.BlockSize < 0 || d.Steps < 0 {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "disrupt: block_size and steps must not be negative"))
			return
		}
		dopt.BlockSize, dopt.Steps = d.BlockSize, d.Steps
	}
	if err := srv.addSeeds(r, &in.networkRequest); err != nil {
		srv.writeError(w, r, err)
		return
	}
	net, err := srv.store.Network(srv.storeCtx(r), sessionOf(r.Context()).p, in.query())
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	g := networkGraph(net)
	rep, err := graph.Analyse(g, graph.ReportOptions{Measures: in.Measures, Top: in.Top, Resolution: in.Resolution, Seed: 1})
	if err != nil {
		srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "measures: %v", err))
		return
	}
	type nodeValues struct {
		sqlstore.NetworkNode
		Community *int32             `json:"community,omitempty"`
		Values    map[string]float64 `json:"values"`
	}
	nodes := make([]nodeValues, len(net.Nodes))
	for i, n := range net.Nodes {
		nodes[i] = nodeValues{NetworkNode: n, Values: map[string]float64{}}
		for m, vals := range rep.Values {
			nodes[i].Values[m] = vals[i]
		}
		if rep.Membership != nil {
			c := rep.Membership[i]
			nodes[i].Community = &c
		}
	}
	out := map[string]any{"report": rep, "nodes": nodes, "edges": net.Edges, "truncated": net.Truncated}
	if in.Disrupt != nil {
		res, err := graph.DisruptBy(g, in.Disrupt.By, dopt)
		if err != nil {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "disrupt.by: %v", err))
			return
		}
		removed := []string{}
		for _, v := range res.Removed {
			removed = append(removed, g.Label(v))
		}
		out["disruption"] = map[string]any{"by": in.Disrupt.By, "mode": in.Disrupt.Mode, "removed": removed,
			"largest_component": res.Largest, "fraction": res.Fraction}
	}
	writeJSON(w, http.StatusOK, out)
}
