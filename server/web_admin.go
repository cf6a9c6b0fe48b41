package server

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/sqlstore"
)

type agenciesData struct {
	Agencies []rabta.Agency
	Form     rabta.Agency
	Added    string
	Error    string
}

func (srv *Server) webAgencies(w http.ResponseWriter, r *http.Request) {
	srv.showAgencies(w, r, http.StatusOK, &agenciesData{Added: r.URL.Query().Get("added")})
}

func (srv *Server) showAgencies(w http.ResponseWriter, r *http.Request, status int, data *agenciesData) {
	if err := requireAdmin(sessionOf(r.Context()).p); err != nil {
		srv.renderError(w, r, err)
		return
	}
	as, err := srv.store.Agencies(r.Context())
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Agencies = as
	srv.render(w, r, status, "agencies", srv.view(r, "admin", data))
}

func (srv *Server) webCreateAgency(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.renderError(w, r, err)
		return
	}
	v := r.PostFormValue
	// A new agency starts with the second factor required; its own
	// administrators may waive it.
	a := rabta.Agency{Code: v("code"), Name: v("name"),
		Contact: rabta.Contact{Desk: strings.TrimSpace(v("desk")), Phone: strings.TrimSpace(v("phone")), Email: strings.TrimSpace(v("email"))}}
	if err := srv.store.CreateAgency(srv.storeCtx(r), p, &a); err != nil {
		if rabta.ErrorCode(err) == rabta.EInternal {
			srv.renderError(w, r, err)
			return
		}
		srv.showAgencies(w, r, statusOf(rabta.ErrorCode(err)), &agenciesData{Form: a, Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/admin/agencies?added="+url.QueryEscape(a.Code), http.StatusSeeOther)
}

type usersData struct {
	Users []rabta.User
	Form  userInput // never holds the password
	Added string
	Error string
}

// Administrators manage the users of their own agency only.
func (srv *Server) webUsers(w http.ResponseWriter, r *http.Request) {
	data := &usersData{Added: r.URL.Query().Get("added"), Form: userInput{Clearance: rabta.Restricted}}
	srv.showUsers(w, r, http.StatusOK, data)
}

func (srv *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, data *usersData) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.renderError(w, r, err)
		return
	}
	us, err := srv.store.Users(r.Context(), p.Agency)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Users = us
	srv.render(w, r, status, "users", srv.view(r, "admin", data))
}

func (srv *Server) webCreateUser(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.renderError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "reading the form: %v", err))
		return
	}
	in := userInput{Username: r.PostFormValue("username"), Name: strings.TrimSpace(r.PostFormValue("name")),
		Clearance: rabta.Classification(r.PostFormValue("clearance")), Password: r.PostFormValue("password")}
	for _, role := range r.PostForm["roles"] {
		in.Roles = append(in.Roles, rabta.Role(role))
	}
	u, err := srv.createUser(r, p, in)
	if err != nil {
		if rabta.ErrorCode(err) == rabta.EInternal {
			srv.renderError(w, r, err)
			return
		}
		in.Password = ""
		srv.showUsers(w, r, statusOf(rabta.ErrorCode(err)), &usersData{Form: in, Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/admin/users?added="+url.QueryEscape(u.Username), http.StatusSeeOther)
}

// webSetUserDisabled disables or enables a user of the admin's agency.
// Disabling ends the user's sessions at once (the store revokes them).
func (srv *Server) webSetUserDisabled(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.renderError(w, r, err)
		return
	}
	name := chi.URLParam(r, "username")
	u, _, err := srv.store.UserByName(r.Context(), name)
	if rabta.ErrorCode(err) == rabta.ENotFound || err == nil && u.Agency != p.Agency {
		srv.renderNotFound(w, r) // another agency's users are not this admin's to know
		return
	}
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	disable := chi.URLParam(r, "action") == "disable"
	if disable && u.ID == p.UserID {
		srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "%s", catalogues[langOf(r)].T("users.noselfdisable")))
		return
	}
	if err := srv.store.UpdateUser(srv.storeCtx(r), p, u.Username, sqlstore.UserUpdate{Disabled: &disable}); err != nil {
		srv.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
}

type totpData struct {
	Username string
	Secret   string
	URL      string
	QR       template.URL // data: URL of the PNG, allowed by the CSP's img-src
}

// webEnrolTOTP gives a user of the admin's agency a new second factor and
// shows it once, as a QR code and as text, for the user's authenticator
// app. The user's sessions end (the store revokes them).
func (srv *Server) webEnrolTOTP(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.renderError(w, r, err)
		return
	}
	u, _, err := srv.store.UserByName(r.Context(), chi.URLParam(r, "username"))
	if rabta.ErrorCode(err) == rabta.ENotFound || err == nil && u.Agency != p.Agency {
		srv.renderNotFound(w, r)
		return
	}
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	secret, otpURL, err := auth.NewTOTP(u.Username)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	png, err := auth.TOTPQR(otpURL, 240)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	if err := srv.store.UpdateUser(srv.storeCtx(r), p, u.Username, sqlstore.UserUpdate{TOTPSecret: &secret}); err != nil {
		srv.renderError(w, r, err)
		return
	}
	data := totpData{Username: u.Username, Secret: secret, URL: otpURL,
		QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))}
	srv.render(w, r, http.StatusOK, "totp", srv.view(r, "admin", data))
}

// webSetAgencyTOTP lets an agency's administrator require or waive the
// second factor for the agency's users.
func (srv *Server) webSetAgencyTOTP(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.renderError(w, r, err)
		return
	}
	code := strings.ToUpper(chi.URLParam(r, "code"))
	if code != p.Agency {
		srv.renderError(w, r, rabta.Errorf(rabta.EForbidden, "only %s's administrators may change %s", code, code))
		return
	}
	optional := r.PostFormValue("totp") == "optional"
	if _, err := srv.store.UpdateAgency(srv.storeCtx(r), p, code, sqlstore.AgencyUpdate{TOTPOptional: &optional}); err != nil {
		srv.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/agencies", http.StatusSeeOther)
}
