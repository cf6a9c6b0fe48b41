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

// callsResult is a call-record analysis, for the API and the web page.
type callsResult struct {
	Subjects []string               `json:"subjects"`
	Calls    int                    `json:"calls"`
	Pairs    []cdr.Pair             `json:"pairs"`
	Common   []cdr.Common           `json:"common"`
	When     cdr.Pattern            `json:"when"`
	Nodes    []sqlstore.NetworkNode `json:"nodes"` // captions (numbers) and holders for the ids above
}

// callsAnalysis analyses the calls of one or more phones that the caller
// may see: each pair's calls, messages, directions, total duration and
// first and last contact; the numbers in contact with two or more of the
// subjects; and when the calls happen (by local hour, weekday and date).
// Calls are the Call links the caller sees in full, with both ends.
func (srv *Server) callsAnalysis(r *http.Request, in callsRequest) (*callsResult, error) {
	if len(in.Phones) == 0 {
		return nil, rabta.Errorf(rabta.EInvalid, "phones: name at least one Phone record")
	}
	if in.Top <= 0 {
		in.Top = 50
	}
	net, err := srv.store.Network(srv.storeCtx(r), sessionOf(r.Context()).p, sqlstore.NetworkQuery{
		Seeds: in.Phones, Hops: 1, MaxNodes: sqlstore.MaxNetworkNodes, Schemata: []string{"Call"}, From: in.From, To: in.To})
	if err != nil {
		return nil, err
	}
	for _, n := range net.Nodes {
		if n.Hop == 0 && n.Schema != "Phone" {
			return nil, rabta.Errorf(rabta.EInvalid, "phones: %q is a %s, not a Phone", n.ID, n.Schema)
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
	res := &callsResult{Subjects: in.Phones, Calls: len(calls), Pairs: cdr.Pairs(calls),
		Common: cdr.CommonContacts(calls, in.Phones, in.MinCommon), When: cdr.When(calls, nil), Nodes: net.Nodes}
	if len(res.Pairs) > in.Top {
		res.Pairs = res.Pairs[:in.Top]
	}
	if res.Common == nil {
		res.Common = []cdr.Common{}
	}
	return res, nil
}

// apiCallsAnalysis is POST /api/v1/calls/analysis (see callsAnalysis).
func (srv *Server) apiCallsAnalysis(w http.ResponseWriter, r *http.Request) {
	var in callsRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	res, err := srv.callsAnalysis(r, in)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
