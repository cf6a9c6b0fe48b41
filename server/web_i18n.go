package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The UI speaks English and Urdu. Every string it shows comes from a
// catalogue in i18n/; record content is shown as entered.

var languages = []string{"en", "ur"}

const langCookie = "lang"

// catalogue maps message keys to text in one language. Messages with
// arguments use fmt verbs. A key missing from a catalogue falls back to
// English, then to the key itself, so a gap shows rather than breaks the
// page (TestWebCatalogues keeps the catalogues complete).
type catalogue struct {
	msgs     map[string]string
	fallback *catalogue
}

var catalogues = mustLoadCatalogues()

func mustLoadCatalogues() map[string]*catalogue {
	cs := map[string]*catalogue{}
	for _, lang := range languages {
		b, err := webFiles.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			panic("server: i18n: " + err.Error())
		}
		c := &catalogue{}
		if err := json.Unmarshal(b, &c.msgs); err != nil {
			panic("server: i18n/" + lang + ".json: " + err.Error())
		}
		cs[lang] = c
	}
	for _, lang := range languages {
		if lang != "en" {
			cs[lang].fallback = cs["en"]
		}
	}
	return cs
}

// T returns the message for key, formatted with args if any.
func (c *catalogue) T(key string, args ...any) string {
	msg, ok := c.msgs[key]
	if !ok {
		if c.fallback != nil {
			return c.fallback.T(key, args...)
		}
		msg = key
	}
	if len(args) > 0 {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// langOf is the language of the UI for r: the lang cookie, else the
// browser's first preference if it is Urdu, else English.
func langOf(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value
	}
	if al := strings.ToLower(strings.TrimSpace(r.Header.Get("Accept-Language"))); strings.HasPrefix(al, "ur") {
		return "ur"
	}
	return "en"
}

func validLang(l string) bool { return l == "en" || l == "ur" }

func dirOf(lang string) string {
	if lang == "ur" {
		return "rtl"
	}
	return "ltr"
}

// webLang sets the language cookie and goes back to where the user was:
// the next parameter, or else the Referer, if either is a path on this site.
// (The site sends Referrer-Policy: no-referrer, so the links carry next.)
func (srv *Server) webLang(w http.ResponseWriter, r *http.Request) {
	to := r.URL.Query().Get("to")
	if !validLang(to) {
		to = "en"
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: to, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil || srv.cfg.SecureCookies})
	back := "/"
	if next := r.URL.Query().Get("next"); next != "" {
		back = localPath(next)
	} else if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		back = localPath(ref.RequestURI())
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}
