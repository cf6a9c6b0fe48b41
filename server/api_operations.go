package server

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
)

// Planned operations and their conflicts (event deconfliction).

type operationBody struct {
	Type     string          `json:"type"`
	Title    string          `json:"title"`
	Lat      float64         `json:"lat"`
	Lon      float64         `json:"lon"`
	RadiusM  float64         `json:"radius_m"`
	District string          `json:"district"`
	Start    string          `json:"start"`
	End      string          `json:"end"`
	Contact  rabta.OpContact `json:"contact"`
}

func (srv *Server) apiCreateOperation(w http.ResponseWriter, r *http.Request) {
	var b operationBody
	if err := decodeJSON(r, &b); err != nil {
		srv.writeError(w, r, err)
		return
	}
	var times [2]time.Time
	for i, v := range []struct{ field, value string }{{"start", b.Start}, {"end", b.End}} {
		t, err := time.Parse(time.RFC3339, v.value)
		if err != nil {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "%s: %q is not an RFC 3339 time (2026-12-01T05:00:00+05:00)", v.field, v.value))
			return
		}
		times[i] = t
	}
	o := &rabta.Operation{Type: rabta.OperationType(b.Type), Title: b.Title, Lat: b.Lat, Lon: b.Lon, RadiusM: b.RadiusM,
		District: b.District, Start: times[0], End: times[1], Contact: b.Contact}
	if err := srv.store.CreateOperation(srv.storeCtx(r), sessionOf(r.Context()).p, o); err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, o)
}

func (srv *Server) apiOperations(w http.ResponseWriter, r *http.Request) {
	ops, err := srv.store.Operations(srv.storeCtx(r), sessionOf(r.Context()).p, r.URL.Query().Get("ended") == "true")
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if ops == nil {
		ops = []rabta.Operation{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"operations": ops})
}

func (srv *Server) apiCancelOperation(w http.ResponseWriter, r *http.Request) {
	if err := srv.store.CancelOperation(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id")); err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (srv *Server) apiConflicts(w http.ResponseWriter, r *http.Request) {
	cs, err := srv.store.Conflicts(srv.storeCtx(r), sessionOf(r.Context()).p)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if cs == nil {
		cs = []rabta.Conflict{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"conflicts": cs})
}

func (srv *Server) apiResolveConflict(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Resolution string `json:"resolution"`
		Note       string `json:"note"`
	}
	if err := decodeJSON(r, &b); err != nil {
		srv.writeError(w, r, err)
		return
	}
	c, err := srv.store.ResolveConflict(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), rabta.Resolution(b.Resolution), b.Note)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}
