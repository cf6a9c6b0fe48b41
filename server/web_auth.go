package server

import (
	"net/http"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/sqlstore"
)

type loginData struct {
	Next     string
	Username string
	Error    string
}

func (srv *Server) webLoginPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"))
	srv.render(w, r, http.StatusOK, "login", srv.view(r, "", loginData{Next: next}))
}

// webLogin signs in with the form and starts a browser session. A failure
// says only that the sign-in failed, never which part was wrong.
func (srv *Server) webLogin(w http.ResponseWriter, r *http.Request) {
	username := r.PostFormValue("username")
	data := loginData{Next: localPath(r.PostFormValue("next")), Username: username}
	u, err := srv.login(r, username, r.PostFormValue("password"), r.PostFormValue("code"))
	if err != nil {
		c := catalogues[langOf(r)]
		switch code := rabta.ErrorCode(err); code {
		case rabta.EUnauthorized:
			data.Error = c.T("login.failed")
		case "rate_limited":
			data.Error = c.T("login.ratelimited")
		default:
			srv.renderError(w, r, err)
			return
		}
		srv.render(w, r, statusOf(rabta.ErrorCode(err)), "login", srv.view(r, "", data))
		return
	}
	token := auth.NewToken()
	expires, err := srv.store.CreateToken(r.Context(), u, token, sqlstore.TokenSession, "browser", srv.cfg.SessionTTL)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || srv.cfg.SecureCookies,
		MaxAge: max(1, int(time.Until(expires).Seconds()))})
	http.Redirect(w, r, data.Next, http.StatusSeeOther)
}

func (srv *Server) webLogout(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r.Context())
	if err := srv.store.RevokeToken(srv.storeCtx(r), sess.p, sess.token); err != nil {
		srv.renderError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil || srv.cfg.SecureCookies, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
