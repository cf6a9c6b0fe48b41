package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/sqlstore"
)

const sessionCookie = "rabta_session"

// Lock-out after repeated failures, kept in the database.
const (
	maxFailures = 5
	lockFor     = 15 * time.Minute
)

type principalKey struct{}

// session is who is asking and how they authenticated.
type session struct {
	user   *rabta.User
	p      rabta.Principal
	token  string
	cookie bool // authenticated by cookie (browser): unsafe requests need the CSRF token
}

func sessionOf(ctx context.Context) *session {
	s, _ := ctx.Value(principalKey{}).(*session)
	return s
}

// storeCtx returns a context carrying the request details the store copies
// into audit events: the purpose the client declared and its address.
func (srv *Server) storeCtx(r *http.Request) context.Context {
	purpose := r.Header.Get("X-Rabta-Purpose")
	if purpose == "" {
		purpose = r.URL.Query().Get("purpose")
	}
	if purpose == "" {
		purpose = r.PostFormValue("purpose")
	}
	if len(purpose) > 500 {
		purpose = purpose[:500]
	}
	return sqlstore.WithRequest(r.Context(), sqlstore.Request{Purpose: purpose, Client: srv.clientAddr(r)})
}

// authenticate resolves the bearer token or session cookie to a principal.
// api selects JSON errors (API) or a redirect to the sign-in page (UI).
func (srv *Server) authenticate(api bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, cookie := "", false
			if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
				token = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
			} else if c, err := r.Cookie(sessionCookie); err == nil {
				token, cookie = c.Value, true
			}
			var u *rabta.User
			var err error
			if token != "" {
				u, _, err = srv.store.Authenticate(r.Context(), token, srv.cfg.SessionIdle)
			}
			if code := rabta.ErrorCode(err); code != "" && code != rabta.EUnauthorized && code != rabta.ENotFound {
				// The database failed: say so, rather than "sign in".
				if api {
					srv.writeError(w, r, err)
				} else {
					srv.renderError(w, r, err)
				}
				return
			}
			if token == "" || err != nil {
				if api {
					writeError(w, rabta.Errorf(rabta.EUnauthorized, "sign in first: send Authorization: Bearer <token>"))
				} else if r.Header.Get("HX-Request") != "" {
					// htmx would follow a redirect and paste the sign-in page
					// into a fragment; have it load the whole page instead.
					next := "/"
					if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil {
						next = u.RequestURI()
					}
					w.Header().Set("HX-Redirect", "/login?next="+url.QueryEscape(next))
					w.WriteHeader(http.StatusUnauthorized)
				} else {
					http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				}
				return
			}
			sess := &session{user: u, p: rabta.PrincipalOf(u), token: token, cookie: cookie}
			// Case membership widens access (rabta.Share); it is read
			// afresh on every request, so a member removed loses it at once.
			if sess.p.Cases, err = srv.store.UserCases(r.Context(), u.ID); err != nil {
				writeError(w, err)
				return
			}
			if cookie && !safeMethod(r.Method) && !validCSRF(r, token) {
				writeError(w, &rabta.Error{Code: "csrf", Message: "missing or wrong CSRF token: reload the page and try again"})
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, sess)))
		})
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfToken derives the CSRF token from the session token. Only a page of
// this origin can read it (it is rendered into the page; the cookie is
// HttpOnly), and any instance can check it without shared state.
func csrfToken(sessionToken string) string {
	sum := sha256.Sum256([]byte("rabta-csrf:" + sessionToken))
	return hex.EncodeToString(sum[:16])
}

func validCSRF(r *http.Request, sessionToken string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	want := csrfToken(sessionToken)
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// login checks a sign-in attempt and logs it. Every failure gives the same
// error after about the same work, whether the user exists or not.
func (srv *Server) login(r *http.Request, username, password, code string) (*rabta.User, error) {
	ctx := srv.storeCtx(r)
	if !srv.limiter.allow(srv.clientAddr(r)) {
		return nil, &rabta.Error{Code: "rate_limited", Message: "too many sign-in attempts from your address: wait a minute"}
	}
	fail := rabta.Errorf(rabta.EUnauthorized, "%s", auth.ErrBadCredentials.Error()+" (or the account is locked for a while after repeated failures)")
	u, cred, err := srv.store.UserByName(ctx, username)
	if rabta.ErrorCode(err) == rabta.ENotFound {
		auth.CheckDummy(password)
		if err := srv.store.RecordLogin(ctx, nil, username, false, 0, maxFailures, lockFor); err != nil {
			return nil, err
		}
		return nil, fail
	}
	if err != nil {
		return nil, err
	}
	ok := auth.CheckPassword(cred.PasswordHash, password) && !u.Disabled && time.Now().After(cred.LockedUntil)
	var step int64
	if ok && cred.TOTPSecret != "" {
		// A code is good once: one already used (or older) is refused.
		step, ok = auth.CheckTOTP(cred.TOTPSecret, code, time.Now())
		ok = ok && step > cred.TOTPLastStep
	}
	if !ok {
		if err := srv.store.RecordLogin(ctx, u, username, false, 0, maxFailures, lockFor); err != nil {
			return nil, err
		}
		return nil, fail
	}
	if cred.TOTPSecret == "" && !srv.cfg.Demo {
		// A second factor is required unless the agency's admin waived it.
		// Saying so is safe only here, after the password, lock and
		// account checks have all passed.
		a, err := srv.store.Agency(ctx, u.Agency)
		if err != nil {
			return nil, err
		}
		if !a.TOTPOptional {
			if err := srv.store.RecordLogin(ctx, u, username, false, 0, maxFailures, lockFor); err != nil {
				return nil, err
			}
			return nil, rabta.Errorf(rabta.EUnauthorized, "your account has no second factor yet: ask your administrator to run `rabta user totp %s`", u.Username)
		}
	}
	if err := srv.store.RecordLogin(ctx, u, username, true, step, maxFailures, lockFor); err != nil {
		return nil, err
	}
	return u, nil
}

// rateLimiter is a fixed-window counter per key. It protects one instance
// from floods; the lock-out that matters is in the database.
type rateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	counts map[string]int
	start  time.Time
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, counts: map[string]int{}, start: time.Now()}
}

func (l *rateLimiter) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Since(l.start) > l.window {
		l.counts, l.start = map[string]int{}, time.Now()
	}
	l.counts[key]++
	return l.counts[key] <= l.limit
}
