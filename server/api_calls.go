package server

import (
	"net/http"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/cdr"
	"github.com/rabta/rabta/sqlstore"
)

type callsRequest struct {
	Phones    []string `json:"phones"` // Phone record ids: the subjects
	From      string   `json:"from"`   // dates, YYYY-MM-DD
	To        string   `json:"to"`
	MinCommon int      `json:"min_common"` // common contacts: of at least this many subjects (default 2)
	Top       int      `json:"top"`        // pairs listed (default 50)
}

// apiCallsAnalysis analyses the calls of one or more phones that the caller
// may see: POST /api/v1/calls/analysis. It answers each pair's calls,
// messages, directions, total duration and first and last contact; the
// numbers in contact with two or more of the subjects; and when the calls
// happen (by local hour, weekday and date). Calls are the Call links the
// caller sees in full, with both ends.
func (srv *Server) apiCallsAnalysis(w http.ResponseWriter, r *http.Request) {
	var in callsRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if len(in.Phones) == 0 {
		srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "phones: name at least one Phone record"))
		return
	}
	if in.Top <= 0 {
		in.Top = 50
	}
	net, err := srv.store.Network(srv.storeCtx(r), sessionOf(r.Context()).p, sqlstore.NetworkQuery{
		Seeds: in.Phones, Hops: 1, MaxNodes: sqlstore.MaxNetworkNodes, Schemata: []string{"Call"}, From: in.From, To: in.To})
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	for _, n := range net.Nodes {
		if n.Hop == 0 && n.Schema != "Phone" {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "phones: %q is a %s, not a Phone", n.ID, n.Schema))
			return
		}
	}
	calls := make([]cdr.Call, 0, len(net.Edges))
	for _, e := range net.Edges {
		start, _ := time.Parse("2006-01-02T15:04:05", e.Date)
		if len(e.Date) == 10 {
			start, _ = time.Parse("2006-01-02", e.Date)
		}
		c := cdr.Call{Caller: e.Source, Receiver: e.Target, Start: start, Duration: int(e.Duration), Type: e.CallType}
		if c.Type == "" {
			c.Type = "voice"
		}
		calls = append(calls, c)
	}
	pairs := cdr.Pairs(calls)
	if len(pairs) > in.Top {
		pairs = pairs[:in.Top]
	}
	common := cdr.CommonContacts(calls, in.Phones, in.MinCommon)
	if common == nil {
		common = []cdr.Common{}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"subjects": in.Phones,
		"calls":    len(calls),
		"pairs":    pairs,
		"common":   common,
		"when":     cdr.When(calls, nil),
		"nodes":    net.Nodes, // captions (numbers) and holders for the ids above
	})
}
