package server

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sqlstore"
)

type profileData struct {
	Profile *sqlstore.ProfileView
}

// webProfile shows a profile: the viewer's records in full, other
// agencies' as pointers, and the evidence between records seen in full.
func (srv *Server) webProfile(w http.ResponseWriter, r *http.Request) {
	v, err := srv.store.Profile(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	srv.render(w, r, http.StatusOK, "profile", srv.view(r, "review", profileData{Profile: v}))
}

type reviewData struct {
	Items []sqlstore.ReviewItem
	Done  string
	Error string
}

// webReview is the review queue: pairs the matcher was unsure of.
func (srv *Server) webReview(w http.ResponseWriter, r *http.Request) {
	srv.showReview(w, r, &reviewData{Done: r.URL.Query().Get("done")}, http.StatusOK)
}

func (srv *Server) showReview(w http.ResponseWriter, r *http.Request, data *reviewData, status int) {
	items, err := srv.store.ReviewQueue(srv.storeCtx(r), sessionOf(r.Context()).p, 50)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Items = items
	srv.render(w, r, status, "review", srv.view(r, "review", data))
}

// webJudge records a judgement from the review queue or a profile page.
func (srv *Server) webJudge(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "%v", err))
		return
	}
	f := r.PostForm
	p := sessionOf(r.Context()).p
	if id := f.Get("retract"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		if err := srv.store.RetractJudgement(srv.storeCtx(r), p, n); err != nil {
			srv.renderError(w, r, err)
			return
		}
		http.Redirect(w, r, "/review?done=retracted", http.StatusSeeOther)
		return
	}
	_, err := srv.store.Judge(srv.storeCtx(r), p, f.Get("a"), f.Get("b"), f.Get("verdict"), f.Get("reason"))
	if err != nil {
		if rabta.ErrorCode(err) == rabta.EInvalid {
			srv.showReview(w, r, &reviewData{Error: rabta.ErrorMessage(err)}, http.StatusBadRequest)
			return
		}
		srv.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/review?done="+url.QueryEscape(f.Get("verdict")), http.StatusSeeOther)
}
