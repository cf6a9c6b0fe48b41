package server

import (
	"net/http"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sqlstore"
)

type screenData struct {
	Q       screenRequest
	Checked bool
	Results []screenResult
	Alerts  []sqlstore.ScreenAlert
	Error   string
}

// webScreening shows the screening form, a result, and the alerts on the
// viewer's records.
func (srv *Server) webScreening(w http.ResponseWriter, r *http.Request) {
	data := &screenData{}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "%v", err))
			return
		}
		data.Q = screenRequest{Name: r.PostForm.Get("name"), BirthDate: r.PostForm.Get("birth_date"),
			Nationality: r.PostForm.Get("nationality"), Schema: r.PostForm.Get("schema")}
		res, err := srv.screen(r, data.Q)
		switch c := rabta.ErrorCode(err); {
		case err == nil:
			data.Checked, data.Results = true, res
		case c == rabta.EInvalid || c == rabta.ENotFound || c == rabta.EForbidden:
			data.Error, status = rabta.ErrorMessage(err), statusOf(c)
		default:
			srv.renderError(w, r, err)
			return
		}
	}
	as, err := srv.store.ScreeningAlerts(srv.storeCtx(r), sessionOf(r.Context()).p, 100)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Alerts = as
	srv.render(w, r, status, "screening", srv.view(r, "screening", data))
}
