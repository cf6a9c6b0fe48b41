package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sqlstore"
)

// auditForm is the audit filter as entered.
type auditForm struct {
	User, Agency, Action, Object, Since, Until string
}

type auditData struct {
	F      auditForm
	Events []rabta.AuditEvent
	Older  string
	Verify *sqlstore.AuditCheck
	Error  string
}

const auditPage = 100

// parseAuditTime reads a time from the filter form: a date, a
// datetime-local value or RFC 3339, in UTC unless a zone is given.
func parseAuditTime(field, v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, rabta.Errorf(rabta.EInvalid, "%s: %q is not a date or time (2026-01-31 or 2026-01-31T14:00)", field, v)
}

func (srv *Server) webAudit(w http.ResponseWriter, r *http.Request) {
	srv.showAudit(w, r, nil)
}

// showAudit renders the audit page for the filter in the query, with the
// result of a chain check if one was just made.
func (srv *Server) showAudit(w http.ResponseWriter, r *http.Request, vr *sqlstore.AuditCheck) {
	p := sessionOf(r.Context()).p
	if !p.Has(rabta.RoleAuditor) {
		srv.renderError(w, r, rabta.Errorf(rabta.EForbidden, "%s", catalogues[langOf(r)].T("error.auditor")))
		return
	}
	q := r.URL.Query()
	data := &auditData{Verify: vr, F: auditForm{User: q.Get("user"), Agency: q.Get("agency"), Action: q.Get("action"),
		Object: q.Get("object"), Since: q.Get("since"), Until: q.Get("until")}}
	v := srv.view(r, "audit", data)
	f := sqlstore.AuditFilter{Username: strings.TrimSpace(data.F.User), Agency: strings.TrimSpace(data.F.Agency),
		Action: strings.TrimSpace(data.F.Action), Object: strings.TrimSpace(data.F.Object), Limit: auditPage}
	since, err := parseAuditTime("since", data.F.Since)
	var until time.Time
	if err == nil {
		until, err = parseAuditTime("until", data.F.Until)
	}
	var before int
	if err == nil {
		before, err = intParam(r, "before", 0)
	}
	if err != nil {
		data.Error = rabta.ErrorMessage(err)
		srv.render(w, r, statusOf(rabta.ErrorCode(err)), "audit", v)
		return
	}
	f.Since, f.Until, f.BeforeSeq = since, until, int64(before)
	evs, err := srv.store.AuditEvents(srv.storeCtx(r), p, f)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Events = evs
	if len(evs) == auditPage {
		af := data.F
		data.Older = withQuery("/audit", "user", af.User, "agency", af.Agency, "action", af.Action, "object", af.Object,
			"since", af.Since, "until", af.Until, "before", strconv.FormatInt(evs[len(evs)-1].Seq, 10))
	}
	srv.render(w, r, http.StatusOK, "audit", v)
}

// webAuditVerify checks the chain and shows the result: as a fragment for
// htmx, else on the audit page.
func (srv *Server) webAuditVerify(w http.ResponseWriter, r *http.Request) {
	vr, err := srv.verifyAudit(r)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	if isHTMX(r) {
		srv.renderFragment(w, r, "audit", "verify", srv.view(r, "audit", &auditData{Verify: vr}))
		return
	}
	srv.showAudit(w, r, vr)
}

// verifyAudit checks the audit chain for the auditor; the store logs it.
func (srv *Server) verifyAudit(r *http.Request) (*sqlstore.AuditCheck, error) {
	return srv.store.CheckAudit(srv.storeCtx(r), sessionOf(r.Context()).p)
}
