package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sqlstore"
)

// apiProfile shows a profile as the caller may see it.
func (srv *Server) apiProfile(w http.ResponseWriter, r *http.Request) {
	v, err := srv.store.Profile(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if v.Pairs == nil {
		v.Pairs = []sqlstore.ProfilePair{}
	}
	writeJSON(w, http.StatusOK, v)
}

// apiRecordProfile names the profile of a record the caller may know of.
func (srv *Server) apiRecordProfile(w http.ResponseWriter, r *http.Request) {
	id, err := srv.store.ProfileOf(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if err != nil {
		srv.writeError(w, r, errRecordNotFound)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"profile": id})
}

// apiReview is the caller's review queue.
func (srv *Server) apiReview(w http.ResponseWriter, r *http.Request) {
	limit, err := intParam(r, "limit", 50)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	items, err := srv.store.ReviewQueue(srv.storeCtx(r), sessionOf(r.Context()).p, limit)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if items == nil {
		items = []sqlstore.ReviewItem{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"pairs": items})
}

type judgementRequest struct {
	A       string `json:"a"`
	B       string `json:"b"`
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

// apiJudge records a judgement on two records.
func (srv *Server) apiJudge(w http.ResponseWriter, r *http.Request) {
	var in judgementRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if in.A == "" || in.B == "" {
		srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "a, b: name the two records"))
		return
	}
	p := sessionOf(r.Context()).p
	id, err := srv.store.Judge(srv.storeCtx(r), p, in.A, in.B, in.Verdict, in.Reason)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	prof, _ := srv.store.ProfileOf(srv.storeCtx(r), p, in.A)
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "profile": prof})
}

// apiRetractJudgement withdraws a judgement.
func (srv *Server) apiRetractJudgement(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		srv.writeError(w, r, rabta.Errorf(rabta.ENotFound, "judgement not found"))
		return
	}
	if err := srv.store.RetractJudgement(srv.storeCtx(r), sessionOf(r.Context()).p, id); err != nil {
		srv.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
