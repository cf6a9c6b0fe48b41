package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/schema"
	"github.com/rabta/rabta/sqlstore"
)

// readsRecords reports whether p's roles involve records at all; for the
// others (admin, auditor, coordinator) every record is "none", so the UI
// does not ask the store, which would only log empty reads.
func readsRecords(p rabta.Principal) bool { return p.CanWriteRecords() }

type homeData struct {
	Reads  bool
	Counts sqlstore.Counts
	Recent []sqlstore.SearchHit
}

func (srv *Server) webHome(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	data := homeData{Reads: readsRecords(p)}
	if data.Reads {
		ctx := srv.storeCtx(r)
		var err error
		if data.Counts, err = srv.store.Count(ctx, p, ""); err != nil {
			srv.renderError(w, r, err)
			return
		}
		if data.Recent, err = srv.store.List(ctx, p, sqlstore.ListQuery{Limit: 10}); err != nil {
			srv.renderError(w, r, err)
			return
		}
	}
	srv.render(w, r, http.StatusOK, "home", srv.view(r, "home", data))
}

func (srv *Server) webPillar(w http.ResponseWriter, r *http.Request) {
	pillar := chi.URLParam(r, "pillar")
	srv.render(w, r, http.StatusOK, "pillar", srv.view(r, pillar, pillar))
}

type searchData struct {
	Q, Schema     string
	Schemata      []*schema.Schema
	Result        *sqlstore.SearchResult
	From, To      int
	PrevURL, Next string
	Error         string
}

const searchPage = 20

// webSearch serves the search page, or with HX-Request only the results,
// for the live search.
func (srv *Server) webSearch(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	q := r.URL.Query()
	data := searchData{Q: q.Get("q"), Schema: q.Get("schema"), Schemata: concreteSchemata()}
	v := srv.view(r, "search", &data)
	offset, err := intParam(r, "offset", 0)
	if err == nil && strings.TrimSpace(data.Q) != "" {
		data.Result, err = srv.store.Search(srv.storeCtx(r), p, sqlstore.SearchQuery{Q: data.Q, Schema: data.Schema, Limit: searchPage, Offset: offset})
	}
	status := http.StatusOK
	if err != nil {
		data.Error, status = rabta.ErrorMessage(err), statusOf(rabta.ErrorCode(err))
		if rabta.ErrorCode(err) == rabta.EInternal {
			srv.log.Error("search failed", "err", err)
		}
	}
	if res := data.Result; res != nil {
		data.From, data.To = offset+1, offset+len(res.Results)
		page := func(off int) string {
			return withQuery("/search", "q", data.Q, "schema", data.Schema, "purpose", v.Purpose, "offset", strconv.Itoa(off))
		}
		if offset > 0 {
			data.PrevURL = page(max(0, offset-searchPage))
		}
		if data.To < res.Total {
			data.Next = page(data.To)
		}
	}
	if isHTMX(r) {
		// htmx swaps only successful responses; the error is in the fragment.
		srv.renderFragment(w, r, "search", "results", v)
		return
	}
	srv.render(w, r, status, "search", v)
}

type listData struct {
	Schema   string
	Schemata []*schema.Schema
	Hits     []sqlstore.SearchHit
	Older    string
}

const listPage = 50

func (srv *Server) webList(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	q := r.URL.Query()
	data := listData{Schema: q.Get("schema"), Schemata: concreteSchemata()}
	hits, err := srv.store.List(srv.storeCtx(r), p, sqlstore.ListQuery{Schema: data.Schema, Before: q.Get("before"), Limit: listPage})
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Hits = hits
	v := srv.view(r, "pursue", &data)
	if len(hits) == listPage {
		data.Older = withQuery("/records", "schema", data.Schema, "purpose", v.Purpose, "before", hits[len(hits)-1].ID)
	}
	srv.render(w, r, http.StatusOK, "list", v)
}

// propView is one property of a record as the record page shows it.
type propView struct {
	Name, Label string
	Values      []string
	Entity      bool                 // values are record ids: link them
	Refs        []sqlstore.SearchHit // for entity values: what the viewer may know of each
	Text        bool                 // long text: keep line breaks
}

type recordData struct {
	Rec     *rabta.Record
	Schema  *schema.Schema
	Props   []propView
	Related []sqlstore.SearchHit
	CanEdit bool
	Profile string // the profile the record resolved into, if any
}

// recordProps lists the properties of rec that have values, in schema order.
func recordProps(s *schema.Schema, rec *rabta.Record) []propView {
	var out []propView
	for _, prop := range s.Properties() {
		if vals := rec.Properties[prop.Name]; len(vals) > 0 {
			out = append(out, propView{Name: prop.Name, Label: prop.Label, Values: vals,
				Entity: prop.Type == schema.TypeEntity, Text: prop.Type == schema.TypeText})
		}
	}
	return out
}

// readRecord reads a record for a page and answers the cases where there
// is nothing to show in full: a pointer page, or the one not-found page
// for both "missing" and "you may not know of it". ok is false when it has
// answered.
func (srv *Server) readRecord(w http.ResponseWriter, r *http.Request) (rec *rabta.Record, ok bool) {
	p := sessionOf(r.Context()).p
	rec, err := srv.store.Record(srv.storeCtx(r), p, chi.URLParam(r, "id"))
	var pe *sqlstore.PointerError
	switch {
	case errors.As(err, &pe):
		srv.render(w, r, http.StatusForbidden, "pointer", srv.view(r, "pursue", pe.Pointer))
		return nil, false
	case rabta.ErrorCode(err) == rabta.ENotFound:
		srv.renderNotFound(w, r)
		return nil, false
	case err != nil:
		srv.renderError(w, r, err)
		return nil, false
	}
	return rec, true
}

func (srv *Server) webRecord(w http.ResponseWriter, r *http.Request) {
	rec, ok := srv.readRecord(w, r)
	if !ok {
		return
	}
	p := sessionOf(r.Context()).p
	s, _ := schema.Get(rec.Schema)
	related, err := srv.store.Related(srv.storeCtx(r), p, rec.ID)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	props := recordProps(s, rec)
	var refIDs []string
	for _, pv := range props {
		if pv.Entity {
			refIDs = append(refIDs, pv.Values...)
		}
	}
	refs, err := srv.store.Summaries(srv.storeCtx(r), p, refIDs)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	byID := map[string]sqlstore.SearchHit{}
	for _, h := range refs {
		byID[h.ID] = h
	}
	for i := range props {
		if props[i].Entity {
			for _, v := range props[i].Values {
				if h, ok := byID[v]; ok {
					props[i].Refs = append(props[i].Refs, h)
				}
			}
		}
	}
	prof, err := srv.store.ProfileOf(srv.storeCtx(r), p, rec.ID)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data := recordData{Rec: rec, Schema: s, Props: props, Related: related, CanEdit: canEdit(p, rec), Profile: prof}
	srv.render(w, r, http.StatusOK, "record", srv.view(r, "pursue", data))
}

// canEdit reports whether p may edit rec; the store decides again on save.
func canEdit(p rabta.Principal, rec *rabta.Record) bool {
	return p.CanWriteRecords() && rec.Agency == p.Agency
}
