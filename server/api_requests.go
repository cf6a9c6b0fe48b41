package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sqlstore"
)

// Requests between agencies, the grants approving them creates, and the
// inbox. Handlers only decode and encode: the store checks who may do what.

type requestBody struct {
	Type          string   `json:"type"`
	To            string   `json:"to"`
	Case          string   `json:"case"`
	Records       []string `json:"records"`
	Profiles      []string `json:"profiles"`
	Hits          []int64  `json:"hits"`
	Selectors     []string `json:"selectors"`
	Justification string   `json:"justification"`
	Urgency       string   `json:"urgency"`
	Deadline      string   `json:"deadline"`
}

// parseWhen reads an RFC 3339 time or a date (the end of that day, in
// Pakistan's time, is the deadline a desk means by a date).
func parseWhen(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", v, rabta.PKT); err == nil {
		return d.Add(24*time.Hour - time.Second), nil
	}
	return time.Time{}, rabta.Errorf(rabta.EInvalid, "%s: %q is not an RFC 3339 time or a date (YYYY-MM-DD)", field, v)
}

func (srv *Server) apiCreateRequest(w http.ResponseWriter, r *http.Request) {
	var b requestBody
	if err := decodeJSON(r, &b); err != nil {
		srv.writeError(w, r, err)
		return
	}
	deadline, err := parseWhen("deadline", b.Deadline)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	req := &rabta.Request{Type: rabta.RequestType(b.Type), To: b.To, Case: b.Case, Justification: b.Justification,
		Urgency: rabta.Urgency(b.Urgency), Deadline: deadline,
		Subjects: rabta.Subjects{Records: b.Records, Profiles: b.Profiles, Hits: b.Hits, Selectors: b.Selectors}}
	if err := srv.store.CreateRequest(srv.storeCtx(r), sessionOf(r.Context()).p, req); err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, req)
}

func (srv *Server) apiRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	rs, err := srv.store.Requests(srv.storeCtx(r), sessionOf(r.Context()).p, sqlstore.RequestFilter{Box: q.Get("box"), State: q.Get("state")})
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if rs == nil {
		rs = []rabta.Request{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"requests": rs})
}

func (srv *Server) apiRequest(w http.ResponseWriter, r *http.Request) {
	req, err := srv.store.Request(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, req)
}

func (srv *Server) apiAcknowledgeRequest(w http.ResponseWriter, r *http.Request) {
	if _, err := srv.store.AcknowledgeRequest(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id")); err != nil {
		srv.writeError(w, r, err)
		return
	}
	srv.apiRequest(w, r) // the request as it now stands, replies included
}

type replyBody struct {
	Body    string `json:"body"`
	Final   bool   `json:"final"`
	Marking struct {
		Handling       string `json:"handling"`
		Conditions     string `json:"conditions"`
		Classification string `json:"classification"`
	} `json:"marking"`
}

func (srv *Server) apiReplyRequest(w http.ResponseWriter, r *http.Request) {
	var b replyBody
	if err := decodeJSON(r, &b); err != nil {
		srv.writeError(w, r, err)
		return
	}
	rp := rabta.Reply{Body: b.Body, Handling: b.Marking.Handling, Conditions: b.Marking.Conditions, Classification: rabta.Classification(b.Marking.Classification)}
	if _, err := srv.store.ReplyRequest(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), rp, b.Final); err != nil {
		srv.writeError(w, r, err)
		return
	}
	srv.apiRequest(w, r) // the request as it now stands, replies included
}

func (srv *Server) apiApproveRequest(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Records []string `json:"records"`
		Until   string   `json:"until"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &b); err != nil {
			srv.writeError(w, r, err)
			return
		}
	}
	until, err := parseWhen("until", b.Until)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	g, err := srv.store.ApproveRequest(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), sqlstore.Approval{Records: b.Records, Until: until})
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"grant": g})
}

func (srv *Server) apiRefuseRequest(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &b); err != nil {
		srv.writeError(w, r, err)
		return
	}
	if _, err := srv.store.RefuseRequest(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), b.Reason); err != nil {
		srv.writeError(w, r, err)
		return
	}
	srv.apiRequest(w, r) // the request as it now stands, replies included
}

func (srv *Server) apiWithdrawRequest(w http.ResponseWriter, r *http.Request) {
	if _, err := srv.store.WithdrawRequest(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id")); err != nil {
		srv.writeError(w, r, err)
		return
	}
	srv.apiRequest(w, r) // the request as it now stands, replies included
}

func (srv *Server) apiGrants(w http.ResponseWriter, r *http.Request) {
	gs, err := srv.store.Grants(srv.storeCtx(r), sessionOf(r.Context()).p)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if gs == nil {
		gs = []rabta.Grant{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"grants": gs})
}

func (srv *Server) apiRevokeGrant(w http.ResponseWriter, r *http.Request) {
	g, err := srv.store.RevokeGrant(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"grant": g})
}

func (srv *Server) apiInbox(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			srv.writeError(w, r, rabta.Errorf(rabta.EInvalid, "limit: want a number from 1 to 500, got %q", v))
			return
		}
		limit = n
	}
	ns, unread, err := srv.store.Inbox(srv.storeCtx(r), sessionOf(r.Context()).p, limit)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if ns == nil {
		ns = []sqlstore.Notification{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"notifications": ns, "unread": unread})
}

func (srv *Server) apiMarkRead(w http.ResponseWriter, r *http.Request) {
	var b struct {
		IDs []string `json:"ids"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &b); err != nil {
			srv.writeError(w, r, err)
			return
		}
	}
	if err := srv.store.MarkRead(srv.storeCtx(r), sessionOf(r.Context()).p, b.IDs); err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
