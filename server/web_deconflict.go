package server

import (
	"net/http"
	"strings"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/sqlstore"
)

// checkForm is the deconfliction check as entered: up to three
// identifiers, a person's name with father's name and birth date, and the
// purpose the holders will read.
type checkForm struct {
	Types, Values                    [3]string
	Name, Father, BirthDate, Purpose string
}

type hitsData struct {
	F       checkForm
	Checked bool
	Hits    []sqlstore.Hit
	Inbox   []sqlstore.HitView
	Kinds   []ident.Kind
	Error   string
}

// webHits shows the check form and the agency's inbox.
func (srv *Server) webHits(w http.ResponseWriter, r *http.Request) {
	srv.showHits(w, r, &hitsData{}, http.StatusOK)
}

func (srv *Server) showHits(w http.ResponseWriter, r *http.Request, data *hitsData, status int) {
	data.Kinds = ident.Kinds()
	inbox, err := srv.store.Hits(srv.storeCtx(r), sessionOf(r.Context()).p, 100)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Inbox = inbox
	srv.render(w, r, status, "hits", srv.view(r, "hits", data))
}

// webDeconflict runs a check from the form.
func (srv *Server) webDeconflict(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "%v", err))
		return
	}
	data := &hitsData{F: checkForm{Name: r.PostForm.Get("name"), Father: r.PostForm.Get("father"),
		BirthDate: r.PostForm.Get("birth_date"), Purpose: r.PostForm.Get("purpose")}}
	in := deconflictRequest{Name: data.F.Name, FatherName: data.F.Father, BirthDate: data.F.BirthDate, Purpose: data.F.Purpose}
	types, values := r.PostForm["type"], r.PostForm["value"]
	for i := 0; i < len(values) && i < 3; i++ {
		v := strings.TrimSpace(values[i])
		t := ""
		if i < len(types) {
			t = types[i]
		}
		data.F.Types[i], data.F.Values[i] = t, v
		if v == "" {
			continue
		}
		if t == "" { // "any": recognise the kind from the value
			found := ident.Detect(v)
			if len(found) == 0 {
				data.Error = catalogues[langOf(r)].T("hits.unknown", v)
				srv.showHits(w, r, data, http.StatusBadRequest)
				return
			}
			t = string(found[0].Kind)
		}
		in.Selectors = append(in.Selectors, struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		}{t, v})
	}
	q, err := in.query()
	if err == nil {
		data.Hits, err = srv.deconflict(r, q)
	}
	if err != nil {
		if c := rabta.ErrorCode(err); c != rabta.EInvalid && c != rabta.EForbidden && c != "rate_limited" {
			srv.renderError(w, r, err)
			return
		}
		data.Error = rabta.ErrorMessage(err)
		srv.showHits(w, r, data, statusOf(rabta.ErrorCode(err)))
		return
	}
	data.Checked = true
	srv.showHits(w, r, data, http.StatusOK)
}
