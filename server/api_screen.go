package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sanctions"
	"github.com/rabta/rabta/screen"
	"github.com/rabta/rabta/sqlstore"
)

// screenIndex returns the index of the current UN list (nil if none).
func (srv *Server) screenIndex(ctx context.Context) (*screen.Index, error) {
	ver, err := srv.store.SanctionsVersion(ctx, "un-sc")
	if err != nil {
		return nil, err
	}
	return srv.screens.Get(ver, func() (*sanctions.List, error) {
		_, l, err := srv.store.CurrentSanctionsList(ctx, "un-sc")
		return l, err
	})
}

type screenRequest struct {
	Name        string   `json:"name"`
	Aliases     []string `json:"aliases"`
	BirthDate   string   `json:"birth_date"`
	Nationality string   `json:"nationality"`
	Schema      string   `json:"schema"`
	Top         int      `json:"top"`
}

// screenResult is a candidate with its evidence.
type screenResult struct {
	screen.Candidate
	Evidence string `json:"evidence"`
}

// screen runs one query for a principal and audits it (the list is public;
// the query is not).
func (srv *Server) screen(r *http.Request, in screenRequest) ([]screenResult, error) {
	p := sessionOf(r.Context()).p
	if !p.CanWriteRecords() && !p.Has(rabta.RoleProtection) && !p.Has(rabta.RoleCoordinator) {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not allow screening")
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, rabta.Errorf(rabta.EInvalid, "name: give the name to screen")
	}
	if in.Top <= 0 || in.Top > 50 {
		in.Top = 10
	}
	ix, err := srv.screenIndex(r.Context())
	if err != nil {
		return nil, err
	}
	if ix == nil {
		return nil, rabta.Errorf(rabta.ENotFound, "no sanctions list is loaded (rabta import --format un-sc FILE)")
	}
	cands := ix.Screen(screen.Query{Name: in.Name, Aliases: in.Aliases, BirthDate: in.BirthDate, Nationality: in.Nationality, Schema: in.Schema}, in.Top)
	out := make([]screenResult, 0, len(cands))
	for _, c := range cands {
		out = append(out, screenResult{c, c.Evidence()})
	}
	if err := srv.store.AuditScreening(srv.storeCtx(r), p, in.Name, len(out)); err != nil {
		return nil, err
	}
	return out, nil
}

// apiScreen screens one name against the current sanctions list:
// {"query":…,"candidates":[{"list_id","name","matched","score","evidence"}]}.
func (srv *Server) apiScreen(w http.ResponseWriter, r *http.Request) {
	var in screenRequest
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	out, err := srv.screen(r, in)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"query": in, "candidates": out})
}

// apiScreeningAlerts lists the screening alerts on records the caller sees in full.
func (srv *Server) apiScreeningAlerts(w http.ResponseWriter, r *http.Request) {
	limit, err := intParam(r, "limit", 100)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	as, err := srv.store.ScreeningAlerts(srv.storeCtx(r), sessionOf(r.Context()).p, limit)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if as == nil {
		as = []sqlstore.ScreenAlert{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"alerts": as})
}
