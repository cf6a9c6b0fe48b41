package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/ftm"
	"github.com/rabta/rabta/schema"
	"github.com/rabta/rabta/sqlstore"
)

// decodeJSON reads exactly one JSON object into v, refusing unknown fields,
// and names the field at fault in its error.
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return rabta.Errorf(rabta.EInvalid, "reading body: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return rabta.Errorf(rabta.EInvalid, "empty body: expected a JSON object")
		}
		return rabta.Errorf(rabta.EInvalid, "%s", ftm.DescribeJSONError(err))
	}
	if dec.More() {
		return rabta.Errorf(rabta.EInvalid, "body holds more than one JSON value")
	}
	return nil
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTP     string `json:"totp"`
}

func (srv *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decodeJSON(r, &req); err != nil {
		srv.writeError(w, r, err)
		return
	}
	u, err := srv.login(r, req.Username, req.Password, req.TOTP)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	token := auth.NewToken()
	expires, err := srv.store.CreateToken(r.Context(), u, token, sqlstore.TokenLogin, "api login", srv.cfg.SessionTTL)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "expires_at": expires.Format(time.RFC3339)})
}

func (srv *Server) apiLogout(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r.Context())
	if err := srv.store.RevokeToken(srv.storeCtx(r), sess.p, sess.token); err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (srv *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, sessionOf(r.Context()).user)
}

func (srv *Server) apiSchemata(w http.ResponseWriter, r *http.Request) {
	type prop struct {
		Name  string `json:"name"`
		Label string `json:"label"`
		Type  string `json:"type"`
		Range string `json:"range,omitempty"`
	}
	type sc struct {
		Name       string `json:"name"`
		Label      string `json:"label"`
		Abstract   bool   `json:"abstract"`
		Edge       bool   `json:"edge"`
		Properties []prop `json:"properties"`
	}
	var out []sc
	for _, s := range schema.All() {
		x := sc{Name: s.Name, Label: s.Label, Abstract: s.Abstract, Edge: s.IsEdge()}
		for _, p := range s.Properties() {
			x.Properties = append(x.Properties, prop{p.Name, p.Label, string(p.Type), p.Range})
		}
		out = append(out, x)
	}
	writeJSON(w, http.StatusOK, map[string]any{"schemata": out})
}

// recordInput is the body of POST and PUT /api/v1/records. The holding
// agency and the author come from the session, never from the body.
type recordInput struct {
	Schema     string         `json:"schema"`
	Properties ftm.Properties `json:"properties"`
	Marking    rabta.Marking  `json:"marking"`
	Grading    rabta.Grading  `json:"grading"`
	Provenance struct {
		SourceReport string `json:"source_report"`
		SourceDate   string `json:"source_date"`
	} `json:"provenance"`
	Subject    string `json:"subject_category"`
	Basis      string `json:"basis"`
	ReviewDate string `json:"review_date"`
	Version    int    `json:"version"`
}

func (in *recordInput) record() *rabta.Record {
	return &rabta.Record{Schema: in.Schema, Properties: in.Properties, Marking: in.Marking, Grading: in.Grading,
		Provenance: rabta.Provenance{SourceReport: in.Provenance.SourceReport, SourceDate: in.Provenance.SourceDate},
		Subject:    rabta.SubjectCategory(in.Subject), Basis: rabta.Basis(in.Basis), ReviewDate: in.ReviewDate, Version: in.Version}
}

// fullRecord is a record as the API returns it.
type fullRecord struct {
	*rabta.Record
	Access rabta.Access `json:"access"`
	Banner string       `json:"banner"`
}

func (srv *Server) apiCreateRecord(w http.ResponseWriter, r *http.Request) {
	var in recordInput
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	rec := in.record()
	hits, err := srv.store.CreateRecordHits(srv.storeCtx(r), sessionOf(r.Context()).p, rec)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if hits == nil {
		hits = []sqlstore.Hit{}
	}
	writeJSON(w, http.StatusCreated, struct {
		fullRecord
		Hits []sqlstore.Hit `json:"hits"`
	}{fullRecord{rec, rabta.AccessFull, rec.Marking.Banner()}, hits})
}

func (srv *Server) apiUpdateRecord(w http.ResponseWriter, r *http.Request) {
	var in recordInput
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	rec := in.record()
	rec.ID = chi.URLParam(r, "id")
	err := srv.store.UpdateRecord(srv.storeCtx(r), sessionOf(r.Context()).p, rec)
	if rabta.ErrorCode(err) == rabta.ENotFound {
		srv.writeError(w, r, errRecordNotFound)
		return
	}
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, fullRecord{rec, rabta.AccessFull, rec.Marking.Banner()})
}

// errRecordNotFound is the one answer for "does not exist" and "you may
// not know it exists".
var errRecordNotFound = rabta.Errorf(rabta.ENotFound, "record not found")

func (srv *Server) apiGetRecord(w http.ResponseWriter, r *http.Request) {
	rec, err := srv.store.Record(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if rabta.ErrorCode(err) == rabta.ENotFound {
		srv.writeError(w, r, errRecordNotFound)
		return
	}
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, fullRecord{rec, rabta.AccessFull, rec.Marking.Banner()})
}

func intParam(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, rabta.Errorf(rabta.EInvalid, "%s: %q is not a non-negative whole number", name, v)
	}
	return n, nil
}

func (srv *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(r, "limit", 20)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	offset, err := intParam(r, "offset", 0)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	res, err := srv.store.Search(srv.storeCtx(r), sessionOf(r.Context()).p, sqlstore.SearchQuery{Q: q.Get("q"), Schema: q.Get("schema"), Limit: limit, Offset: offset})
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (srv *Server) apiListRecords(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(r, "limit", 50)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	hits, err := srv.store.List(srv.storeCtx(r), sessionOf(r.Context()).p, sqlstore.ListQuery{Schema: q.Get("schema"), Agency: strings.ToUpper(q.Get("agency")), Before: q.Get("before"), Limit: limit})
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if hits == nil {
		hits = []sqlstore.SearchHit{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": hits})
}

func (srv *Server) apiCountRecords(w http.ResponseWriter, r *http.Request) {
	c, err := srv.store.Count(srv.storeCtx(r), sessionOf(r.Context()).p, r.URL.Query().Get("schema"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// apiExport streams the records the principal sees in full as FtM JSON
// lines. The store logs each batch before it is written out.
func (srv *Server) apiExport(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("Content-Disposition", `attachment; filename="rabta-export.jsonl"`)
	started := false
	_, err := srv.store.Export(srv.storeCtx(r), sessionOf(r.Context()).p, func(rec *rabta.Record) error {
		started = true
		return ftm.Encode(w, rec)
	})
	switch {
	case err != nil && !started:
		w.Header().Set("Content-Disposition", "")
		srv.writeError(w, r, err)
	case err != nil:
		// Halfway through a stream the status is sent already: break the
		// connection so the client cannot take a cut file for a whole one.
		srv.log.Error("export failed while streaming", "err", err, "request_id", middleware.GetReqID(r.Context()))
		panic(http.ErrAbortHandler)
	}
}

func (srv *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := sqlstore.AuditFilter{Username: q.Get("user"), Agency: q.Get("agency"), Action: q.Get("action"), Object: q.Get("object")}
	var err error
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if v := q.Get(name); v != "" {
			if *dst, err = time.Parse(time.RFC3339, v); err != nil {
				srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "%s: %q is not an RFC 3339 time (2026-01-31T00:00:00Z)", name, v))
				return
			}
		}
	}
	before, err := intParam(r, "before", 0)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", 100)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	f.BeforeSeq, f.Limit = int64(before), limit
	evs, err := srv.store.AuditEvents(srv.storeCtx(r), sessionOf(r.Context()).p, f)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if evs == nil {
		evs = []rabta.AuditEvent{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"events": evs})
}

func (srv *Server) apiAuditVerify(w http.ResponseWriter, r *http.Request) {
	check, err := srv.store.CheckAudit(srv.storeCtx(r), sessionOf(r.Context()).p)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, check)
}

func (srv *Server) apiAgencies(w http.ResponseWriter, r *http.Request) {
	as, err := srv.store.Agencies(r.Context())
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"agencies": as})
}

func requireAdmin(p rabta.Principal) error {
	if !p.Has(rabta.RoleAdmin) {
		return rabta.Errorf(rabta.EForbidden, "only administrators may do this")
	}
	return nil
}

func (srv *Server) apiCreateAgency(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.writeError(w, r, err)
		return
	}
	var a rabta.Agency
	if err := decodeJSON(r, &a); err != nil {
		srv.writeError(w, r, err)
		return
	}
	// A new agency starts with the second factor required; only its own
	// administrators may waive it (PATCH /api/v1/agencies/{code}).
	a.TOTPOptional = false
	if err := srv.store.CreateAgency(srv.storeCtx(r), p, &a); err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// apiUpdateAgency changes an agency's name, contact point or whether its
// users may sign in without a second factor. Only the agency's own
// administrators may.
func (srv *Server) apiUpdateAgency(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	code := strings.ToUpper(chi.URLParam(r, "code"))
	if err := requireAdmin(p); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if p.Agency != code {
		srv.writeError(w, r, rabta.Errorf(rabta.EForbidden, "only %s's administrators may change %s", code, code))
		return
	}
	var upd sqlstore.AgencyUpdate
	if err := decodeJSON(r, &upd); err != nil {
		srv.writeError(w, r, err)
		return
	}
	a, err := srv.store.UpdateAgency(srv.storeCtx(r), p, code, upd)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

// Administrators manage the users of their own agency only.
func (srv *Server) apiUsers(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.writeError(w, r, err)
		return
	}
	us, err := srv.store.Users(r.Context(), p.Agency)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": us})
}

type userInput struct {
	Username  string               `json:"username"`
	Name      string               `json:"name"`
	Roles     []rabta.Role         `json:"roles"`
	Clearance rabta.Classification `json:"clearance"`
	Password  string               `json:"password"`
}

func (srv *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if err := requireAdmin(p); err != nil {
		srv.writeError(w, r, err)
		return
	}
	var in userInput
	if err := decodeJSON(r, &in); err != nil {
		srv.writeError(w, r, err)
		return
	}
	u, err := srv.createUser(r, p, in)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, u)
}

func (srv *Server) createUser(r *http.Request, p rabta.Principal, in userInput) (*rabta.User, error) {
	if err := auth.CheckPasswordPolicy(in.Password); err != nil {
		return nil, rabta.Errorf(rabta.EInvalid, "%v", err)
	}
	if in.Clearance == "" {
		in.Clearance = rabta.Restricted
	}
	u := &rabta.User{Username: in.Username, Name: in.Name, Agency: p.Agency, Roles: in.Roles, Clearance: in.Clearance}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	// An agency's administrator cannot hand out more than they hold, nor
	// appoint auditors: oversight is appointed by the platform operator
	// (rabta user add), so no agency can audit the others on its own say.
	if !p.Clearance.Covers(u.Clearance) {
		return nil, rabta.Errorf(rabta.EForbidden, "clearance: you may grant at most %s", p.Clearance)
	}
	if slices.Contains(u.Roles, rabta.RoleAuditor) {
		return nil, rabta.Errorf(rabta.EForbidden, "roles: auditors are appointed by the platform operator (rabta user add --roles auditor)")
	}
	hash, err := auth.HashPassword(in.Password, auth.DefaultParams)
	if err != nil {
		return nil, err
	}
	if err := srv.store.CreateUser(srv.storeCtx(r), p, u, hash); err != nil {
		return nil, err
	}
	return u, nil
}
