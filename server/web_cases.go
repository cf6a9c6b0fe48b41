package server

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/offence"
)

// Cases and joint investigation teams: the user's cases, and one case with
// its members, records, milestones, tasks, notes, files and timeline. As on
// the other cooperation pages, a form is shown to those who may plausibly
// use it; the store decides.

// lawGroup is one law's offences, for the grouped offence picker.
type lawGroup struct {
	Law      string
	Offences []offence.Offence
}

func lawGroups(c *offence.Catalogue) []lawGroup {
	var out []lawGroup
	for _, o := range c.All() {
		if n := len(out); n == 0 || out[n-1].Law != o.Law {
			out = append(out, lawGroup{Law: o.Law})
		}
		last := &out[len(out)-1]
		last.Offences = append(last.Offences, o)
	}
	return out
}

// opensCases mirrors the store's rule for opening a case, to offer the form.
func opensCases(p rabta.Principal) bool {
	return p.ReadsIntelligence()
}

// caseForm is the new-case form as entered.
type caseForm struct {
	Title, Number string
	Offences      []string
}

type casesData struct {
	Cases   []rabta.Case
	F       caseForm
	Laws    []lawGroup
	Titles  map[string]string // offence code → title
	CanOpen bool
	Error   string
}

func (srv *Server) webCases(w http.ResponseWriter, r *http.Request) {
	srv.showCases(w, r, http.StatusOK, &casesData{})
}

func (srv *Server) showCases(w http.ResponseWriter, r *http.Request, status int, data *casesData) {
	p := sessionOf(r.Context()).p
	cs, err := srv.store.Cases(srv.storeCtx(r), p)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	cat := srv.store.Offences()
	data.Cases, data.CanOpen, data.Laws, data.Titles = cs, opensCases(p), lawGroups(cat), map[string]string{}
	for _, o := range cat.All() {
		data.Titles[o.Code] = o.Title
	}
	srv.render(w, r, status, "cases", srv.view(r, "cases", data))
}

// webCreateCase opens a case led by the user's agency and opens its page.
func (srv *Server) webCreateCase(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "reading the form: %v", err))
		return
	}
	f := caseForm{Title: r.PostForm.Get("title"), Number: r.PostForm.Get("number"), Offences: r.PostForm["offences"]}
	// The store sorts and normalises the codes; the form keeps them as chosen.
	c := &rabta.Case{Title: f.Title, Number: f.Number, Offences: append([]string{}, f.Offences...)}
	if err := srv.store.CreateCase(srv.storeCtx(r), sessionOf(r.Context()).p, c); err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		srv.showCases(w, r, statusOf(rabta.ErrorCode(err)), &casesData{F: f, Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/cases/"+url.PathEscape(c.ID)+"?done=created", http.StatusSeeOther)
}

// caseInput is what was typed into the case page's forms, kept when the
// store refuses one of them.
type caseInput struct {
	Username, Role                                        string
	Record                                                string
	Status                                                string
	Kind, Date, Details, Quantity, Unit, Amount, Currency string
	Task, Assignee, Due                                   string
	Note, NoteClass                                       string
	Handling, FileClass                                   string
	Categories                                            []string
}

// readCaseInput reads the fields of one form: the note and file forms
// share the name "classification".
func readCaseInput(r *http.Request, form string) caseInput {
	v := r.PostFormValue
	in := caseInput{Username: v("username"), Role: v("role"), Record: v("record"),
		Kind: v("kind"), Date: v("date"), Details: v("details"), Quantity: v("quantity"), Unit: v("unit"), Amount: v("amount"), Currency: v("currency"),
		Task: v("title"), Assignee: v("assignee"), Due: v("due"), Note: v("body")}
	switch form {
	case "status":
		in.Status = v("status")
	case "note":
		in.NoteClass = v("classification")
	case "attachment":
		in.Handling, in.FileClass, in.Categories = v("handling"), v("classification"), r.PostForm["categories"]
	}
	return in
}

// caseActions are what the case page offers its reader.
type caseActions struct {
	Role   rabta.CaseRole // the reader's role in the case; "" for a supervisor of the lead agency who is no member
	Manage bool           // members, status: a lead, or a supervisor of the lead agency
	Work   bool           // records, milestones, tasks, notes, files: not observers, and not while closed
}

type caseData struct {
	C        *rabta.Case
	Can      caseActions
	In       caseInput
	Form     string // the form that Done or Error concerns
	Done     string
	Error    string
	Offences []offence.Offence // the case's, with their titles
	Kinds    []rabta.MilestoneKind
	Classes  []rabta.Classification // those the reader may mark a note or file with
	Today    string
	Purpose  string // the purpose records opened from the case are read for

	p rabta.Principal
}

// CanDetach mirrors the store: the holding agency, whoever attached it, or
// the case's managers.
func (d *caseData) CanDetach(cr rabta.CaseRecord) bool {
	return d.C.Status != rabta.CaseClosed && (d.Can.Manage || cr.Agency == d.p.Agency || cr.AddedBy == d.p.Username)
}

// CanSetTask mirrors the store: the assignee or the case's managers.
func (d *caseData) CanSetTask(t rabta.Task) bool {
	return d.C.Status != rabta.CaseClosed && (d.Can.Manage || t.Assignee == d.p.Username)
}

// caseSections are the page's sections each form returns to.
var caseSections = map[string]string{"created": "", "member": "members", "unmember": "members", "attach": "records", "profile": "records", "detach": "records",
	"status": "status", "milestone": "milestones", "task": "tasks", "taskstatus": "tasks", "note": "notes", "attachment": "attachments"}

func (srv *Server) webCase(w http.ResponseWriter, r *http.Request) {
	data := &caseData{}
	if d := r.URL.Query().Get("done"); d != "" {
		if _, ok := caseSections[d]; ok {
			data.Form, data.Done = d, d
		}
	}
	srv.showCase(w, r, http.StatusOK, data)
}

func (srv *Server) showCase(w http.ResponseWriter, r *http.Request, status int, data *caseData) {
	p := sessionOf(r.Context()).p
	c, err := srv.store.Case(srv.storeCtx(r), p, chi.URLParam(r, "id"))
	if rabta.ErrorCode(err) == rabta.ENotFound {
		srv.renderNotFound(w, r)
		return
	}
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.C, data.p, data.Kinds, data.Purpose = c, p, rabta.MilestoneKinds, "case:"+c.ID
	if i := slices.IndexFunc(c.Members, func(m rabta.CaseMember) bool { return m.Username == p.Username }); i >= 0 {
		data.Can.Role = c.Members[i].Role
	}
	data.Can.Manage = data.Can.Role == rabta.CaseLead || p.Agency == c.Lead && p.Has(rabta.RoleSupervisor)
	data.Can.Work = c.Status != rabta.CaseClosed && (data.Can.Manage || data.Can.Role == rabta.CaseWorker)
	cat := srv.store.Offences()
	for _, code := range c.Offences {
		o, ok := cat.Get(code)
		if !ok {
			o = offence.Offence{Code: code}
		}
		data.Offences = append(data.Offences, o)
	}
	data.Classes = clearedClasses(p)
	data.Today = time.Now().In(rabta.PKT).Format(time.DateOnly)
	in := &data.In
	in.Role = cmp.Or(in.Role, string(rabta.CaseWorker))
	in.Status = cmp.Or(in.Status, string(c.Status))
	in.Kind = cmp.Or(in.Kind, string(rabta.MilestoneFIR))
	in.Date = cmp.Or(in.Date, data.Today)
	in.NoteClass = cmp.Or(in.NoteClass, string(rabta.Restricted))
	in.FileClass = cmp.Or(in.FileClass, string(rabta.Restricted))
	in.Handling = cmp.Or(in.Handling, "P")
	srv.render(w, r, status, "case", srv.view(r, "cases", data))
}

// caseAction runs one form of the case page; a refusal by the store comes
// back on the page beside the form, with what was typed.
func (srv *Server) caseAction(form string, do func(r *http.Request, p rabta.Principal, id string, in *caseInput) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, id := sessionOf(r.Context()).p, chi.URLParam(r, "id")
		in := readCaseInput(r, form)
		if err := do(r, p, id, &in); err != nil {
			if !formError(err) {
				srv.renderError(w, r, err)
				return
			}
			srv.showCase(w, r, statusOf(rabta.ErrorCode(err)), &caseData{In: in, Form: form, Error: rabta.ErrorMessage(err)})
			return
		}
		next := "/cases/" + url.PathEscape(id) + "?done=" + form + "#" + caseSections[form]
		if form == "unmember" && chi.URLParam(r, "username") == p.Username {
			next = "/cases" // a lead who left may no longer see the case
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// webCaseRoutes mounts the cases, one case, its forms and its files.
func (srv *Server) webCaseRoutes(r chi.Router) {
	r.Get("/cases", srv.webCases)
	r.Post("/cases", srv.webCreateCase)
	r.Get("/cases/{id}", srv.webCase)
	r.Get("/cases/{id}/attachments/{att}", srv.webCaseAttachment)
	r.Post("/cases/{id}/members", srv.caseAction("member", func(r *http.Request, p rabta.Principal, id string, in *caseInput) error {
		return srv.store.AddCaseMember(srv.storeCtx(r), p, id, strings.ToLower(strings.TrimSpace(in.Username)), rabta.CaseRole(in.Role))
	}))
	r.Post("/cases/{id}/members/{username}/remove", srv.caseAction("unmember", func(r *http.Request, p rabta.Principal, id string, _ *caseInput) error {
		return srv.store.RemoveCaseMember(srv.storeCtx(r), p, id, chi.URLParam(r, "username"))
	}))
	r.Post("/cases/{id}/records", srv.caseAction("attach", func(r *http.Request, p rabta.Principal, id string, in *caseInput) error {
		return srv.store.AttachRecord(srv.storeCtx(r), p, id, strings.TrimSpace(in.Record))
	}))
	r.Post("/cases/{id}/profiles", srv.caseAction("profile", func(r *http.Request, p rabta.Principal, id string, _ *caseInput) error {
		_, err := srv.store.AttachProfile(srv.storeCtx(r), p, id, strings.TrimSpace(r.PostFormValue("profile")))
		return err
	}))
	r.Post("/cases/{id}/records/{record}/detach", srv.caseAction("detach", func(r *http.Request, p rabta.Principal, id string, _ *caseInput) error {
		return srv.store.DetachRecord(srv.storeCtx(r), p, id, chi.URLParam(r, "record"))
	}))
	r.Post("/cases/{id}/status", srv.caseAction("status", func(r *http.Request, p rabta.Principal, id string, in *caseInput) error {
		return srv.store.SetCaseStatus(srv.storeCtx(r), p, id, rabta.CaseStatus(in.Status))
	}))
	r.Post("/cases/{id}/milestones", srv.caseAction("milestone", func(r *http.Request, p rabta.Principal, id string, in *caseInput) error {
		m, err := in.milestone()
		if err != nil {
			return err
		}
		return srv.store.AddMilestone(srv.storeCtx(r), p, id, m)
	}))
	r.Post("/cases/{id}/tasks", srv.caseAction("task", func(r *http.Request, p rabta.Principal, id string, in *caseInput) error {
		return srv.store.AddTask(srv.storeCtx(r), p, id, &rabta.Task{Title: in.Task, Assignee: in.Assignee, Due: strings.TrimSpace(in.Due)})
	}))
	r.Post("/cases/{id}/tasks/{task}/status", srv.caseAction("taskstatus", func(r *http.Request, p rabta.Principal, id string, _ *caseInput) error {
		return srv.store.SetTaskStatus(srv.storeCtx(r), p, id, chi.URLParam(r, "task"), rabta.TaskStatus(r.PostFormValue("status")))
	}))
	r.Post("/cases/{id}/notes", srv.caseAction("note", func(r *http.Request, p rabta.Principal, id string, in *caseInput) error {
		return srv.store.AddNote(srv.storeCtx(r), p, id, &rabta.Note{Body: in.Note, Classification: rabta.Classification(in.NoteClass)})
	}))
	// The path ends in /attachments so that limitBody lets a file through.
	r.Post("/cases/{id}/attachments", srv.caseAction("attachment", func(r *http.Request, p rabta.Principal, id string, _ *caseInput) error {
		at, content, err := readAttachment(r)
		if err != nil {
			return err
		}
		return srv.store.AddAttachment(srv.storeCtx(r), p, id, at, content)
	}))
}

// milestone reads the milestone form; empty numbers are zero.
func (in *caseInput) milestone() (*rabta.Milestone, error) {
	m := &rabta.Milestone{Kind: rabta.MilestoneKind(in.Kind), Date: strings.TrimSpace(in.Date), Details: in.Details,
		Unit: strings.TrimSpace(in.Unit), Currency: strings.TrimSpace(in.Currency)}
	for _, x := range []struct {
		field, value string
		to           *float64
	}{{"quantity", in.Quantity, &m.Quantity}, {"amount", in.Amount, &m.Amount}} {
		if s := strings.TrimSpace(x.value); s != "" {
			n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
			if err != nil {
				return nil, rabta.Errorf(rabta.EInvalid, "%s: %q is not a number", x.field, s)
			}
			*x.to = n
		}
	}
	return m, nil
}

// webCaseAttachment sends a case's file as the API does: a download the
// browser never renders in Rabta's origin.
func (srv *Server) webCaseAttachment(w http.ResponseWriter, r *http.Request) {
	at, content, err := srv.store.AttachmentContent(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id"), chi.URLParam(r, "att"))
	if rabta.ErrorCode(err) == rabta.ENotFound {
		srv.renderNotFound(w, r)
		return
	}
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	sendAttachment(w, r, srv, at, content, nil)
}
