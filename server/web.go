package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/schema"
)

// The web UI is server-rendered HTML, enhanced with htmx where that helps
// (live search, the audit check). Everything it loads is embedded in the
// binary: no request leaves the machine, and the CSP allows only 'self',
// so there are no inline scripts or styles anywhere.

//go:embed templates static i18n
var webFiles embed.FS

// webRoutes mounts the web UI.
func (srv *Server) webRoutes(r chi.Router) {
	r.Handle("/static/*", staticHandler())
	r.Get("/lang", srv.webLang)
	r.Get("/login", srv.webLoginPage)
	r.Post("/login", srv.webLogin)
	r.Group(func(r chi.Router) {
		r.Use(srv.webCSRF, srv.authenticate(false))
		r.Post("/logout", srv.webLogout)
		r.Get("/", srv.webHome)
		r.Get("/{pillar:pursue|protect|prevent|promote}", srv.webPillar)
		r.Get("/search", srv.webSearch)
		r.Get("/records", srv.webList)
		r.Get("/records/new", srv.webNewRecord)
		r.Post("/records/new", srv.webCreateRecord)
		r.Get("/records/{id}", srv.webRecord)
		r.Get("/records/{id}/edit", srv.webEditRecord)
		r.Post("/records/{id}/edit", srv.webUpdateRecord)
		r.Get("/profiles/{id}", srv.webProfile)
		r.Get("/chart", srv.webChart)
		r.Get("/charts", srv.webCharts)
		r.Get("/charts/{id}", srv.webSavedChart)
		r.Get("/review", srv.webReview)
		r.Post("/review", srv.webJudge)
		r.Get("/screening", srv.webScreening)
		r.Get("/calls", srv.webCalls)
		r.Post("/screening", srv.webScreening)
		r.Get("/deconflict", srv.webHits)
		r.Post("/deconflict", srv.webDeconflict)
		r.Get("/requests", srv.webRequests)
		r.Get("/requests/new", srv.webNewRequest)
		r.Post("/requests/new", srv.webCreateRequest)
		r.Get("/requests/{id}", srv.webRequest)
		r.Post("/requests/{id}/{action:acknowledge|reply|approve|refuse|withdraw}", srv.webRequestAction)
		r.Post("/requests/{id}/replies/{reply}/attachments", srv.webReplyFile)
		r.Get("/grants", srv.webGrants)
		r.Post("/grants/{id}/revoke", srv.webRevokeGrant)
		r.Get("/operations", srv.webOperations)
		r.Post("/operations", srv.webCreateOperation)
		r.Get("/conflicts", srv.webConflicts)
		r.Post("/conflicts/{id}", srv.webResolveConflict)
		r.Post("/operations/{id}/cancel", srv.webCancelOperation)
		srv.webCaseRoutes(r)
		r.Get("/figures", srv.webFigures)
		r.Get("/inbox", srv.webInbox)
		r.Post("/inbox", srv.webMarkRead)
		r.Get("/audit", srv.webAudit)
		r.Post("/audit", srv.webAuditVerify)
		r.Get("/admin/agencies", srv.webAgencies)
		r.Post("/admin/agencies", srv.webCreateAgency)
		r.Get("/admin/users", srv.webUsers)
		r.Post("/admin/users", srv.webCreateUser)
		r.Post("/admin/users/{username}/{action:disable|enable}", srv.webSetUserDisabled)
		r.Post("/admin/users/{username}/totp", srv.webEnrolTOTP)
		r.Post("/admin/agencies/{code}/totp", srv.webSetAgencyTOTP)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { srv.renderNotFound(w, r) })
}

// pages are the templates in templates/ other than the shared ones; each
// defines "title" and "content" and is rendered inside "layout".
var pages = []string{"login", "home", "pillar", "search", "list", "record", "pointer", "form", "agencies", "users", "totp", "audit", "hits", "profile", "review", "screening", "chart", "charts", "calls",
	"requests", "requestform", "request", "grants", "operations", "conflicts", "inbox", "cases", "case", "figures", "error"}

// webUI holds the parsed templates, one set per language so that the t
// function is bound at parse time and the escaper runs once per set.
type webUI struct {
	pages   map[string]map[string]*template.Template // lang → page → template
	version map[string]string                        // static file → content hash
}

var ui = mustLoadUI()

func mustLoadUI() *webUI {
	u := &webUI{pages: map[string]map[string]*template.Template{}, version: map[string]string{}}
	err := fs.WalkDir(webFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := webFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		u.version[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:5])
		return nil
	})
	if err != nil {
		panic("server: static files: " + err.Error())
	}
	for _, lang := range languages {
		u.pages[lang] = map[string]*template.Template{}
		funcs := u.funcs(catalogues[lang])
		for _, page := range pages {
			t, err := template.New(page).Funcs(funcs).ParseFS(webFiles, "templates/layout.html", "templates/partials.html", "templates/"+page+".html")
			if err != nil {
				// Only a broken embedded template gets here: fail at start-up.
				panic("server: templates: " + err.Error())
			}
			u.pages[lang][page] = t
		}
	}
	return u
}

func (u *webUI) funcs(c *catalogue) template.FuncMap {
	return template.FuncMap{
		"t": c.T,
		"static": func(name string) string {
			v, ok := u.version[name]
			if !ok {
				panic("no static file " + name)
			}
			return "/static/" + name + "?v=" + v
		},
		"has":       contains,
		"recordURL": recordURL,
		"time":      fmtTime,
		"pkt":       fmtPKT,
		"join":      strings.Join,
		"bytes":     fmtBytes,
		"dict":      dict,
		"list":      func(xs ...string) []string { return xs },
		"schemaLabel": func(name string) string {
			if s, ok := schema.Get(name); ok {
				return s.Label
			}
			return name
		},
		"roles":           func() []rabta.Role { return rabta.Roles },
		"classifications": func() []rabta.Classification { return classifications },
		"categories":      func() []rabta.Category { return rabta.Categories },
	}
}

var classifications = []rabta.Classification{rabta.Unclassified, rabta.Restricted, rabta.Confidential, rabta.Secret}

// staticHandler serves the embedded assets. URLs carry a content hash
// (see the static template function), so they may be cached for good.
func staticHandler() http.Handler {
	sub, err := fs.Sub(webFiles, "static")
	if err != nil {
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(sub, name); err != nil || st.IsDir() || !fs.ValidPath(name) {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		files.ServeHTTP(w, r)
	})
}

// view is what every page template receives: the layout's needs, and the
// page's own data in Data.
type view struct {
	Lang, Dir string
	User      *rabta.User
	P         rabta.Principal
	CSRF      string
	Demo      bool
	Nav       string // the navigation entry to mark as current
	Here      string // where the language switch returns to
	Purpose   string // the purpose declared for this request, carried on links
	Data      any

	unread func() int // the header's unread count, asked for only by the layout
}

func (srv *Server) view(r *http.Request, nav string, data any) *view {
	lang := langOf(r)
	v := &view{Lang: lang, Dir: dirOf(lang), Demo: srv.cfg.Demo, Nav: nav, Data: data,
		Purpose: strings.TrimSpace(r.URL.Query().Get("purpose"))}
	if sess := sessionOf(r.Context()); sess != nil {
		v.User, v.P, v.CSRF = sess.user, sess.p, csrfToken(sess.token)
		v.unread = func() int { return srv.unread(r, sess.p) }
	}
	v.Here = "/"
	if r.Method == http.MethodGet {
		v.Here = r.URL.RequestURI()
	} else if !strings.HasPrefix(r.URL.Path, "/admin/users/") {
		v.Here = r.URL.Path // forms post back to a page that can be fetched
	}
	return v
}

// render writes a whole page. The page is rendered into a buffer first so
// that a template error becomes a clean 500 rather than half a page.
func (srv *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	srv.execute(w, r, status, page, "layout", v)
}

// renderFragment writes one named template of a page, for htmx requests.
func (srv *Server) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, v *view) {
	srv.execute(w, r, http.StatusOK, page, name, v)
}

func (srv *Server) execute(w http.ResponseWriter, r *http.Request, status int, page, name string, v *view) {
	var buf bytes.Buffer
	if err := ui.pages[v.Lang][page].ExecuteTemplate(&buf, name, v); err != nil {
		srv.log.Error("rendering page", "page", page, "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorData is the error page's data.
type errorData struct {
	Title   string // catalogue key
	Message string
}

// renderError shows err as a page, with the status its code maps to.
// Internal errors are logged and shown without detail.
func (srv *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := rabta.ErrorCode(err), rabta.ErrorMessage(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, msg = "too_large", fmt.Sprintf("request body larger than %d bytes", mbe.Limit)
	}
	title := "error.title"
	switch code {
	case rabta.EInternal:
		srv.log.Error("web request failed", "path", r.URL.Path, "err", err)
		msg = catalogues[langOf(r)].T("error.internal")
	case rabta.EForbidden, "csrf":
		title = "error.forbidden"
	case rabta.ENotFound:
		title = "error.notfound"
	}
	srv.render(w, r, statusOf(code), "error", srv.view(r, "", errorData{Title: title, Message: msg}))
}

// renderNotFound is the one answer for a record that does not exist and a
// record the user may not know of, and for unknown pages: it says nothing
// about what was asked for.
func (srv *Server) renderNotFound(w http.ResponseWriter, r *http.Request) {
	msg := catalogues[langOf(r)].T("error.notfound.text")
	srv.render(w, r, http.StatusNotFound, "error", srv.view(r, "", errorData{Title: "error.notfound", Message: msg}))
}

// webCSRF answers a cookie-authenticated form without a valid CSRF token
// with a page rather than the JSON error authenticate gives. authenticate
// still checks the token itself.
func (srv *Server) webCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !safeMethod(r.Method) && r.Header.Get("Authorization") == "" {
			if c, err := r.Cookie(sessionCookie); err == nil && !validCSRF(r, c.Value) {
				srv.renderError(w, r, &rabta.Error{Code: "csrf", Message: catalogues[langOf(r)].T("error.csrf")})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// isHTMX reports whether the request wants a fragment: htmx sends
// HX-Request, and a history restore wants the whole page.
func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// localPath returns p if it is a path on this site, else "/". It refuses
// "//host" and "/\host", which browsers take for other sites.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return p
}

// recordURL links to a record, carrying the declared purpose along.
func recordURL(id, purpose string) string {
	u := "/records/" + url.PathEscape(id)
	if purpose != "" {
		u += "?purpose=" + url.QueryEscape(purpose)
	}
	return u
}

// withQuery returns p with the non-empty values of kv (key, value, …) as
// its query.
func withQuery(p string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return p
	}
	return p + "?" + q.Encode()
}

// fmtBytes shows a file size as people read it.
func fmtBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// contains reports whether the slice list holds an element that prints as v.
func contains(list any, v string) bool {
	rv := reflect.ValueOf(list)
	if rv.Kind() != reflect.Slice {
		return false
	}
	for i := range rv.Len() {
		if fmt.Sprint(rv.Index(i).Interface()) == v {
			return true
		}
	}
	return false
}

func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, errors.New("dict: keys must be strings")
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// concreteSchemata lists the schemata records can be made of.
func concreteSchemata() []*schema.Schema {
	var out []*schema.Schema
	for _, s := range schema.All() {
		if !s.Abstract {
			out = append(out, s)
		}
	}
	return out
}
