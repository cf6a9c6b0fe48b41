package server

import (
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/gazetteer"
	"github.com/rabta/rabta/sqlstore"
)

// Cases and joint investigation teams, the catalogues they use, and the
// coordinator's figures of cooperation.

func (srv *Server) apiCases(w http.ResponseWriter, r *http.Request) {
	cs, err := srv.store.Cases(srv.storeCtx(r), sessionOf(r.Context()).p)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if cs == nil {
		cs = []rabta.Case{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"cases": cs})
}

func (srv *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Number   string   `json:"number"`
		Title    string   `json:"title"`
		Offences []string `json:"offences"`
	}
	if err := decodeJSON(r, &b); err != nil {
		srv.writeError(w, r, err)
		return
	}
	c := &rabta.Case{Number: b.Number, Title: b.Title, Offences: b.Offences}
	if c.Offences == nil {
		c.Offences = []string{}
	}
	if err := srv.store.CreateCase(srv.storeCtx(r), sessionOf(r.Context()).p, c); err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

func (srv *Server) apiCase(w http.ResponseWriter, r *http.Request) {
	c, err := srv.store.Case(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// caseAction decodes a JSON body into v and runs do; it answers with the
// case as it now stands.
func caseAction[T any](srv *Server, do func(r *http.Request, p rabta.Principal, id string, v *T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v T
		if r.ContentLength != 0 {
			if err := decodeJSON(r, &v); err != nil {
				srv.writeError(w, r, err)
				return
			}
		}
		p, id := sessionOf(r.Context()).p, chi.URLParam(r, "id")
		if err := do(r, p, id, &v); err != nil {
			srv.writeError(w, r, err)
			return
		}
		if chi.URLParam(r, "username") == p.Username {
			// A member who left no longer sees the case.
			w.WriteHeader(http.StatusNoContent)
			return
		}
		srv.apiCase(w, r)
	}
}

type memberBody struct {
	Username string `json:"username"`
	Role     string `json:"role"`
}

type milestoneBody struct {
	Kind     string  `json:"kind"`
	Date     string  `json:"date"`
	Details  string  `json:"details"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
}

type taskBody struct {
	Title    string `json:"title"`
	Assignee string `json:"assignee"`
	Due      string `json:"due"`
}

type noteBody struct {
	Body           string `json:"body"`
	Classification string `json:"classification"`
}

func (srv *Server) caseRoutes(r chi.Router) {
	r.Get("/cases", srv.apiCases)
	r.Post("/cases", srv.apiCreateCase)
	r.Get("/cases/{id}", srv.apiCase)
	r.Post("/cases/{id}/members", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *memberBody) error {
		role := rabta.CaseRole(b.Role)
		if role == "" {
			role = rabta.CaseWorker
		}
		return srv.store.AddCaseMember(srv.storeCtx(r), p, id, b.Username, role)
	}))
	r.Delete("/cases/{id}/members/{username}", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, _ *struct{}) error {
		return srv.store.RemoveCaseMember(srv.storeCtx(r), p, id, chi.URLParam(r, "username"))
	}))
	r.Post("/cases/{id}/records", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *struct {
		ID string `json:"id"`
	}) error {
		return srv.store.AttachRecord(srv.storeCtx(r), p, id, b.ID)
	}))
	r.Post("/cases/{id}/profiles", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *struct {
		ID string `json:"id"`
	}) error {
		_, err := srv.store.AttachProfile(srv.storeCtx(r), p, id, b.ID)
		return err
	}))
	r.Delete("/cases/{id}/records/{record}", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, _ *struct{}) error {
		return srv.store.DetachRecord(srv.storeCtx(r), p, id, chi.URLParam(r, "record"))
	}))
	r.Post("/cases/{id}/status", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *struct {
		Status string `json:"status"`
	}) error {
		return srv.store.SetCaseStatus(srv.storeCtx(r), p, id, rabta.CaseStatus(b.Status))
	}))
	r.Post("/cases/{id}/milestones", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *milestoneBody) error {
		return srv.store.AddMilestone(srv.storeCtx(r), p, id, &rabta.Milestone{Kind: rabta.MilestoneKind(b.Kind), Date: b.Date, Details: b.Details,
			Quantity: b.Quantity, Unit: b.Unit, Amount: b.Amount, Currency: b.Currency})
	}))
	r.Post("/cases/{id}/tasks", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *taskBody) error {
		return srv.store.AddTask(srv.storeCtx(r), p, id, &rabta.Task{Title: b.Title, Assignee: b.Assignee, Due: b.Due})
	}))
	r.Post("/cases/{id}/tasks/{task}/status", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *struct {
		Status string `json:"status"`
	}) error {
		return srv.store.SetTaskStatus(srv.storeCtx(r), p, id, chi.URLParam(r, "task"), rabta.TaskStatus(b.Status))
	}))
	r.Post("/cases/{id}/notes", caseAction(srv, func(r *http.Request, p rabta.Principal, id string, b *noteBody) error {
		return srv.store.AddNote(srv.storeCtx(r), p, id, &rabta.Note{Body: b.Body, Classification: rabta.Classification(b.Classification)})
	}))
	r.Post("/cases/{id}/attachments", srv.apiAddAttachment)
	r.Get("/cases/{id}/attachments/{attachment}", srv.apiAttachment)
	r.Post("/requests/{id}/replies/{reply}/attachments", srv.apiAddReplyAttachment)
	r.Get("/requests/{id}/attachments/{attachment}", srv.apiReplyAttachment)
	r.Get("/offences", srv.apiOffences)
	r.Get("/districts", srv.apiDistricts)
	r.Get("/figures/cooperation", srv.apiCooperationFigures)
}

// readAttachment reads a multipart form: the file in "file", and the
// marking in "handling", "classification" and "categories".
func readAttachment(r *http.Request) (*rabta.Attachment, []byte, error) {
	if err := r.ParseMultipartForm(4 << 20); err != nil {
		return nil, nil, rabta.Errorf(rabta.EInvalid, "body: a multipart form with the file in \"file\": %v", err)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return nil, nil, rabta.Errorf(rabta.EInvalid, "file: missing")
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, rabta.MaxAttachment+1))
	if err != nil {
		return nil, nil, err
	}
	at := &rabta.Attachment{Name: hdr.Filename, MediaType: hdr.Header.Get("Content-Type"), Handling: r.FormValue("handling"),
		Classification: rabta.Classification(r.FormValue("classification"))}
	// Comma-separated (the API) or one per checkbox (the web form).
	for _, v := range r.Form["categories"] {
		for _, c := range strings.Split(v, ",") {
			if c = strings.TrimSpace(c); c != "" {
				at.Categories = append(at.Categories, rabta.Category(c))
			}
		}
	}
	return at, content, nil
}

func (srv *Server) apiAddAttachment(w http.ResponseWriter, r *http.Request) {
	at, content, err := readAttachment(r)
	if err == nil {
		err = srv.store.AddAttachment(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), at, content)
	}
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, at)
}

func (srv *Server) apiAddReplyAttachment(w http.ResponseWriter, r *http.Request) {
	at, content, err := readAttachment(r)
	if err == nil {
		err = srv.store.AddReplyAttachment(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), chi.URLParam(r, "reply"), at, content)
	}
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, at)
}

func (srv *Server) apiAttachment(w http.ResponseWriter, r *http.Request) {
	at, content, err := srv.store.AttachmentContent(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), chi.URLParam(r, "attachment"))
	sendAttachment(w, r, srv, at, content, err)
}

func (srv *Server) apiReplyAttachment(w http.ResponseWriter, r *http.Request) {
	at, content, err := srv.store.ReplyAttachmentContent(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), chi.URLParam(r, "attachment"))
	sendAttachment(w, r, srv, at, content, err)
}

// sendAttachment sends a file as a download that the browser never
// renders in Rabta's origin.
func sendAttachment(w http.ResponseWriter, r *http.Request, srv *Server, at *rabta.Attachment, content []byte, err error) {
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", `attachment; filename="`+strings.NewReplacer(`"`, "", "\\", "").Replace(at.Name)+`"`)
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Rabta-Marking", at.Handling+" "+string(at.Classification))
	w.WriteHeader(http.StatusOK)
	w.Write(content)
}

func (srv *Server) apiOffences(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"offences": srv.store.Offences().All()})
}

func (srv *Server) apiDistricts(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"districts": gazetteer.Districts()})
}

func (srv *Server) apiCooperationFigures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	figs, months, err := srv.store.CooperationFigures(srv.storeCtx(r), sessionOf(r.Context()).p, q.Get("from"), q.Get("to"))
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	if figs == nil {
		figs = []sqlstore.CoopFigures{}
	}
	if months == nil {
		months = []sqlstore.MonthTotals{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"figures": figs, "months": months})
}
