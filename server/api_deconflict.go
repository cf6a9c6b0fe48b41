package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/sqlstore"
)

// deconflictRequest is the body of POST /api/v1/deconflict.
type deconflictRequest struct {
	Selectors []struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"selectors"`
	Name       string `json:"name"`
	FatherName string `json:"father_name"`
	BirthDate  string `json:"birth_date"`
	Purpose    string `json:"purpose"`
}

// query checks and normalises the selectors; errors name the JSON path.
func (in *deconflictRequest) query() (sqlstore.DeconflictQuery, error) {
	q := sqlstore.DeconflictQuery{Name: in.Name, FatherName: in.FatherName, BirthDate: in.BirthDate, Purpose: in.Purpose}
	for i, s := range in.Selectors {
		k, err := ident.ParseKind(s.Type)
		if err != nil {
			return q, rabta.Errorf(rabta.EInvalid, "selectors[%d].type: unknown identifier type %q (want one of %s)", i, s.Type, kindNames())
		}
		v, err := ident.Normalize(k, s.Value)
		if err != nil {
			reason := err.Error()
			var ie *ident.Error
			if errors.As(err, &ie) {
				reason = ie.Reason
			}
			return q, rabta.Errorf(rabta.EInvalid, "selectors[%d].value: %s", i, reason)
		}
		q.Selectors = append(q.Selectors, ident.Identifier{Kind: k, Value: v})
	}
	return q, nil
}

func kindNames() string {
	var ks []string
	for _, k := range ident.Kinds() {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

// apiDeconflict runs a hit/no-hit check: the answer names agencies and
// contacts only; the holders are told who asked and why.
func (srv *Server) apiDeconflict(w http.ResponseWriter, r *http.Request) {
	var in deconflictRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	q, err := in.query()
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	hits, err := srv.deconflict(r, q)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if hits == nil {
		hits = []sqlstore.Hit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits})
}

// apiHits is the agency's hit inbox.
func (srv *Server) apiHits(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "limit: want a number from 1 to 500, got %q", v))
			return
		}
		limit = n
	}
	hits, err := srv.store.Hits(srv.storeCtx(r), sessionOf(r.Context()).p, limit)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if hits == nil {
		hits = []sqlstore.HitView{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"hits": hits})
}

// errTooManyChecks answers a user who checks faster than any desk needs.
var errTooManyChecks = &rabta.Error{Code: "rate_limited", Message: "too many hit/no-hit checks in the last minute: wait a minute (every check is logged and its holders are told)"}

// deconflict runs a check within the user's rate.
func (srv *Server) deconflict(r *http.Request, q sqlstore.DeconflictQuery) ([]sqlstore.Hit, error) {
	p := sessionOf(r.Context()).p
	if !srv.checks.allow(p.Username) {
		return nil, errTooManyChecks
	}
	return srv.store.Deconflict(srv.storeCtx(r), p, q)
}
