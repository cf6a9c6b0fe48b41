package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/graph"
	"github.com/rabta/rabta/schema"
	"github.com/rabta/rabta/sqlstore"
)

// The link chart page is a shell: static/chart.js draws the chart with
// cytoscape.js and fetches everything it shows from the chart endpoints of
// the API (with the session cookie and the page's CSRF token), so the
// access decision and the audit log are the API's.

type chartData struct {
	Seed      string // record to start from
	Hops      int
	MaxNodes  int
	MaxDegree int
	Chart     string // saved chart to open
	Case      string // case whose records to start from, and to save to
	Cases     []rabta.Case
	Limit     int // records a chart may hold
	Links     []*schema.Schema
	Measures  []string
}

// linkSchemata are the link types a chart's filter can list.
func linkSchemata() []*schema.Schema {
	var out []*schema.Schema
	for _, s := range schema.All() {
		if !s.Abstract && s.IsEdge() {
			out = append(out, s)
		}
	}
	return out
}

// chartAllowed answers the page for principals whose roles involve no
// records: a chart would only ever be empty for them.
func (srv *Server) chartAllowed(w http.ResponseWriter, r *http.Request) bool {
	if !readsRecords(sessionOf(r.Context()).p) {
		srv.renderError(w, r, rabta.Errorf(rabta.EForbidden, "%s", catalogues[langOf(r)].T("chart.forbidden")))
		return false
	}
	return true
}

// webChart is a new chart, empty or grown from ?seed=<record id>
// (&hops=, &max_nodes=, &max_degree= as the network API takes them).
func (srv *Server) webChart(w http.ResponseWriter, r *http.Request) {
	if !srv.chartAllowed(w, r) {
		return
	}
	data := chartData{Seed: r.URL.Query().Get("seed"), Limit: sqlstore.MaxNetworkNodes, Links: linkSchemata(), Measures: graph.Centralities}
	for _, p := range []struct {
		name     string
		v        *int
		def, max int
	}{{"hops", &data.Hops, 1, sqlstore.MaxHops}, {"max_nodes", &data.MaxNodes, 500, sqlstore.MaxNetworkNodes}, {"max_degree", &data.MaxDegree, 50, sqlstore.MaxNetworkNodes}} {
		n, err := intParam(r, p.name, p.def)
		if err == nil && n > p.max {
			err = rabta.Errorf(rabta.EInvalid, "%s: at most %s", p.name, strconv.Itoa(p.max))
		}
		if err != nil {
			srv.renderError(w, r, err)
			return
		}
		*p.v = n
	}
	if data.MaxDegree == 0 {
		data.MaxDegree = 50
	}
	data.Case = r.URL.Query().Get("case")
	if err := srv.chartCases(r, &data); err != nil {
		srv.renderError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "chart", srv.view(r, "chart", data))
}

// webSavedChart opens a saved chart (chart.js loads it).
func (srv *Server) webSavedChart(w http.ResponseWriter, r *http.Request) {
	if !srv.chartAllowed(w, r) {
		return
	}
	data := chartData{Chart: chi.URLParam(r, "id"), MaxDegree: 50, Limit: sqlstore.MaxNetworkNodes, Links: linkSchemata(), Measures: graph.Centralities}
	if err := srv.chartCases(r, &data); err != nil {
		srv.renderError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "chart", srv.view(r, "chart", data))
}

// webCharts lists the agency's saved charts.
func (srv *Server) webCharts(w http.ResponseWriter, r *http.Request) {
	if !srv.chartAllowed(w, r) {
		return
	}
	cs, err := srv.store.Charts(srv.storeCtx(r), sessionOf(r.Context()).p, 200)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "charts", srv.view(r, "chart", cs))
}

// chartCases lists the open cases a chart may be saved to.
func (srv *Server) chartCases(r *http.Request, data *chartData) error {
	cs, err := srv.store.Cases(srv.storeCtx(r), sessionOf(r.Context()).p)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Status == rabta.CaseOpen {
			data.Cases = append(data.Cases, c)
		}
	}
	return nil
}
