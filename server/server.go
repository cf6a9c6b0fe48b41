// Package server is Rabta's HTTP edge: the JSON API under /api/v1, the
// server-rendered web UI, sessions and tokens, security headers, rate
// limits and metrics. It holds no access rules of its own: every read and
// write goes to the store with the principal, and the store decides and
// logs.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/screen"
	"github.com/rabta/rabta/sqlstore"
)

// Config configures a server.
type Config struct {
	// Demo marks a demo platform: the UI says so on every page and demo
	// accounts sign in without a second factor.
	Demo bool
	// SecureCookies forces the Secure flag on cookies, for deployments
	// behind a TLS-terminating proxy. Under direct TLS it is set anyway.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For. Only set
	// it behind a proxy that overwrites that header.
	TrustProxy bool
	// SessionTTL is how long a sign-in lasts at most.
	SessionTTL time.Duration
	// SessionIdle ends a sign-in that has not been used for this long
	// (machine tokens from `rabta user token` are not affected).
	SessionIdle time.Duration
	// MaxBody is the largest request body accepted, in bytes.
	MaxBody int64
	// LoginRate is how many sign-in attempts one client address may make
	// per minute on one instance; the lock-out after repeated failures is
	// kept in the database and holds across instances.
	LoginRate int
	// CheckRate is how many hit/no-hit checks one user may make per minute
	// on one instance (default 120): enough for any desk, too few to walk
	// through a block of phone numbers.
	CheckRate int
	Version   string
	Logger    *slog.Logger
}

func (c *Config) defaults() {
	if c.SessionTTL == 0 {
		c.SessionTTL = 12 * time.Hour
	}
	if c.SessionIdle == 0 {
		c.SessionIdle = 30 * time.Minute
	}
	if c.MaxBody == 0 {
		c.MaxBody = 1 << 20
	}
	if c.CheckRate == 0 {
		c.CheckRate = 120
	}
	if c.LoginRate == 0 {
		c.LoginRate = 20
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// Server serves the API and the UI over one store.
type Server struct {
	store   *sqlstore.Store
	cfg     Config
	log     *slog.Logger
	limiter *rateLimiter
	metrics *metrics
	handler http.Handler
	// checks limits hit/no-hit checks per user.
	checks *rateLimiter
	// screens is this instance's index of the current sanctions list.
	screens screen.Cache
}

// New returns a server over store s.
func New(s *sqlstore.Store, cfg Config) *Server {
	cfg.defaults()
	srv := &Server{store: s, cfg: cfg, log: cfg.Logger, limiter: newRateLimiter(cfg.LoginRate, time.Minute),
		checks: newRateLimiter(cfg.CheckRate, time.Minute), metrics: newMetrics()}
	srv.handler = srv.routes()
	return srv
}

// ServeHTTP implements http.Handler.
func (srv *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { srv.handler.ServeHTTP(w, r) }

func (srv *Server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, srv.recoverer, srv.securityHeaders, srv.instrument, srv.limitBody)
	cop := http.NewCrossOriginProtection()
	r.Use(cop.Handler) // refuses cross-site unsafe requests (Sec-Fetch-Site / Origin)

	r.Get("/healthz", srv.healthz)
	r.Handle("/metrics", promhttp.HandlerFor(srv.metrics.registry, promhttp.HandlerOpts{}))

	r.Route("/api/v1", func(r chi.Router) {
		r.Get("/openapi.json", srv.openapi)
		r.Post("/auth/login", srv.apiLogin)
		r.Group(func(r chi.Router) {
			r.Use(srv.authenticate(true))
			r.Post("/auth/logout", srv.apiLogout)
			r.Get("/me", srv.apiMe)
			r.Get("/schemata", srv.apiSchemata)
			r.Get("/records", srv.apiListRecords)
			r.Post("/records", srv.apiCreateRecord)
			r.Get("/records/count", srv.apiCountRecords)
			r.Get("/records/{id}", srv.apiGetRecord)
			r.Put("/records/{id}", srv.apiUpdateRecord)
			r.Get("/search", srv.apiSearch)
			r.Post("/deconflict", srv.apiDeconflict)
			r.Get("/hits", srv.apiHits)
			r.Post("/screen", srv.apiScreen)
			r.Get("/screening/alerts", srv.apiScreeningAlerts)
			r.Post("/network", srv.apiNetwork)
			r.Post("/network/paths", srv.apiNetworkPaths)
			r.Post("/network/analysis", srv.apiNetworkAnalysis)
			r.Post("/calls/analysis", srv.apiCallsAnalysis)
			r.Get("/charts", srv.apiCharts)
			r.Post("/charts", srv.apiSaveChart)
			r.Post("/charts/network", srv.apiChartNetwork)
			r.Post("/charts/export", srv.apiExportChart)
			r.Get("/charts/{id}", srv.apiChart)
			r.Get("/profiles/{id}", srv.apiProfile)
			r.Get("/records/{id}/profile", srv.apiRecordProfile)
			r.Get("/review", srv.apiReview)
			r.Post("/judgements", srv.apiJudge)
			r.Delete("/judgements/{id}", srv.apiRetractJudgement)
			r.Get("/export", srv.apiExport)
			r.Get("/audit", srv.apiAudit)
			r.Get("/audit/verify", srv.apiAuditVerify)
			r.Get("/agencies", srv.apiAgencies)
			r.Post("/agencies", srv.apiCreateAgency)
			r.Patch("/agencies/{code}", srv.apiUpdateAgency)
			r.Get("/users", srv.apiUsers)
			r.Post("/users", srv.apiCreateUser)
			r.Get("/requests", srv.apiRequests)
			r.Post("/requests", srv.apiCreateRequest)
			r.Get("/requests/{id}", srv.apiRequest)
			r.Post("/requests/{id}/acknowledge", srv.apiAcknowledgeRequest)
			r.Post("/requests/{id}/reply", srv.apiReplyRequest)
			r.Post("/requests/{id}/approve", srv.apiApproveRequest)
			r.Post("/requests/{id}/refuse", srv.apiRefuseRequest)
			r.Post("/requests/{id}/withdraw", srv.apiWithdrawRequest)
			r.Get("/grants", srv.apiGrants)
			r.Delete("/grants/{id}", srv.apiRevokeGrant)
			r.Get("/operations", srv.apiOperations)
			r.Post("/operations", srv.apiCreateOperation)
			r.Post("/operations/{id}/cancel", srv.apiCancelOperation)
			r.Get("/conflicts", srv.apiConflicts)
			r.Post("/conflicts/{id}/resolve", srv.apiResolveConflict)
			srv.caseRoutes(r)
			r.Get("/inbox", srv.apiInbox)
			r.Post("/inbox/read", srv.apiMarkRead)
		})
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			writeError(w, rabta.Errorf(rabta.ENotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
		})
	})
	srv.webRoutes(r)
	return r
}

func (srv *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := srv.store.DB().PingContext(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": srv.store.Dialect().String()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "database": srv.store.Dialect().String(), "version": srv.cfg.Version})
}

// securityHeaders sets a strict CSP and the usual hardening headers. The UI
// loads nothing from outside the binary, so 'self' is all it needs.
func (srv *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses bodies larger than MaxBody with 413.
func (srv *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := srv.cfg.MaxBody
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/attachments") {
			limit = max(limit, rabta.MaxAttachment+1<<20) // a case's files, with the form around them
		}
		if r.ContentLength > limit {
			writeError(w, &rabta.Error{Code: "too_large", Message: "request body larger than " + strconv.FormatInt(limit, 10) + " bytes"})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

func (srv *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				srv.log.Error("panic serving request", "path", r.URL.Path, "panic", v, "request_id", middleware.GetReqID(r.Context()))
				writeError(w, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientAddr is the address logged for a request.
func (srv *Server) clientAddr(r *http.Request) string {
	if srv.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			return strings.TrimSpace(strings.Split(xff, ",")[0])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// statusOf maps a domain error code to an HTTP status.
func statusOf(code string) int {
	switch code {
	case rabta.ENotFound:
		return http.StatusNotFound
	case rabta.EInvalid:
		return http.StatusBadRequest
	case rabta.EConflict:
		return http.StatusConflict
	case rabta.EUnauthorized:
		return http.StatusUnauthorized
	case rabta.EForbidden, rabta.EPointer, "csrf":
		return http.StatusForbidden
	case "too_large":
		return http.StatusRequestEntityTooLarge
	case "rate_limited":
		return http.StatusTooManyRequests
	case "method":
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError is writeError that also logs internal errors, whose detail the
// client never sees.
func (srv *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if rabta.ErrorCode(err) == rabta.EInternal {
		srv.log.Error("internal error", "err", err, "route", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
	}
	writeError(w, err)
}

// writeError writes {"error":{"code","message"}}; internal errors are shown
// without detail (Server.writeError logs them).
func writeError(w http.ResponseWriter, err error) {
	code := rabta.ErrorCode(err)
	var pe *sqlstore.PointerError
	if errors.As(err, &pe) {
		writeJSON(w, http.StatusForbidden, map[string]any{
			"error":   apiError{Code: rabta.EPointer, Message: "this record is held by " + pe.Pointer.Agency + "; contact them to request access"},
			"pointer": pe.Pointer,
		})
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, err = "too_large", &rabta.Error{Code: "too_large", Message: "request body larger than " + strconv.FormatInt(mbe.Limit, 10) + " bytes"}
	}
	writeJSON(w, statusOf(code), map[string]any{"error": apiError{Code: code, Message: rabta.ErrorMessage(err)}})
}

// metrics are the Prometheus metrics of one instance.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rabta_http_requests_total", Help: "HTTP requests by route and status."}, []string{"route", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rabta_http_request_seconds", Help: "HTTP request duration by route.", Buckets: prometheus.DefBuckets}, []string{"route"})
	m.registry.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (srv *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := chi.RouteContext(r.Context()).RoutePattern()
		if route == "" {
			route = "unmatched"
		}
		srv.metrics.requests.WithLabelValues(route, strconv.Itoa(ww.Status())).Inc()
		srv.metrics.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		// No query strings in the log: they may hold names or identifiers.
		srv.log.Info("request", "method", r.Method, "route", route, "status", ww.Status(),
			"ms", time.Since(start).Milliseconds(), "request_id", middleware.GetReqID(r.Context()))
	})
}
