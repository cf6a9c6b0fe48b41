package server

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/gazetteer"
	"github.com/rabta/rabta/sqlstore"
)

// Cooperation between agencies: requests and the grants their approval
// creates, planned operations and their conflicts, and the inbox that tells
// people of both. The handlers read forms and show what the store answers.
// The store decides who may do what, so an action shown here is a
// convenience for those who may take it, never the check.

// formError reports whether err belongs in the form that caused it (the
// user can act on it); internal errors go to the error page and the log.
func formError(err error) bool { return rabta.ErrorCode(err) != rabta.EInternal }

// fmtPKT shows a time as the desks read deadlines and windows: in
// Pakistan time.
func fmtPKT(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(rabta.PKT).Format("2006-01-02 15:04 MST")
}

// Unread is the header's count of the user's unread notifications. Only
// the layout asks, so fragments and pages without a session cost nothing.
func (v *view) Unread() int {
	if v.unread == nil {
		return 0
	}
	return v.unread()
}

// unread counts p's unread notifications. The store does not log it (see
// Store.Unread); a failure leaves the count out of the header rather than
// failing the page.
func (srv *Server) unread(r *http.Request, p rabta.Principal) int {
	n, err := srv.store.Unread(r.Context(), p)
	if err != nil {
		srv.log.Warn("counting unread notifications", "user", p.Username, "err", err)
		return 0
	}
	return n
}

// splitIDs splits ids typed with commas, spaces or line breaks between them.
func splitIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// nonEmptyLines returns the non-empty lines of s, trimmed.
func nonEmptyLines(s string) []string {
	var out []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Requests.

type requestsData struct {
	In, Out []rabta.Request
}

// webRequests lists the requests the user's agency received and sent.
func (srv *Server) webRequests(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	rs, err := srv.store.Requests(srv.storeCtx(r), p, sqlstore.RequestFilter{})
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	var data requestsData
	for _, q := range rs {
		if q.To == p.Agency {
			data.In = append(data.In, q)
		} else {
			data.Out = append(data.Out, q)
		}
	}
	srv.render(w, r, http.StatusOK, "requests", srv.view(r, "requests", data))
}

// requestForm is the new-request form as entered.
type requestForm struct {
	Type, To, Case, Urgency, Deadline       string
	Records, Hits, Selectors, Justification string
}

type requestFormData struct {
	F        requestForm
	Agencies []rabta.Agency // every agency but the user's
	Cases    []string       // the user's cases, to which a request may belong
	Error    string
}

// webNewRequest shows the form, filled from the query: to, records
// (comma-separated ids) and hits, as a pointer or a sent hit links to it.
func (srv *Server) webNewRequest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := requestForm{Type: q.Get("type"), To: strings.ToUpper(q.Get("to")), Records: q.Get("records"), Hits: q.Get("hits"),
		Urgency: string(rabta.UrgencyRoutine), Deadline: time.Now().In(rabta.PKT).AddDate(0, 0, 7).Format(time.DateOnly)}
	if f.Type == "" {
		f.Type = string(rabta.RequestRFI)
		if f.Records != "" || f.Hits != "" {
			f.Type = string(rabta.RequestAccess)
		}
	}
	srv.showRequestForm(w, r, http.StatusOK, &requestFormData{F: f})
}

func (srv *Server) showRequestForm(w http.ResponseWriter, r *http.Request, status int, data *requestFormData) {
	p := sessionOf(r.Context()).p
	if !p.CanWriteRecords() {
		srv.renderError(w, r, rabta.Errorf(rabta.EForbidden, "%s", catalogues[langOf(r)].T("error.norequests")))
		return
	}
	as, err := srv.store.Agencies(r.Context())
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Agencies = slices.DeleteFunc(as, func(a rabta.Agency) bool { return a.Code == p.Agency })
	data.Cases = p.Cases
	srv.render(w, r, status, "requestform", srv.view(r, "requests", data))
}

// webCreateRequest files the request and opens it.
func (srv *Server) webCreateRequest(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "reading the form: %v", err))
		return
	}
	v := r.PostForm.Get
	f := requestForm{Type: v("type"), To: v("to"), Case: v("case"), Urgency: v("urgency"), Deadline: v("deadline"),
		Records: v("records"), Hits: v("hits"), Selectors: v("selectors"), Justification: v("justification")}
	req, err := f.request()
	if err == nil {
		err = srv.store.CreateRequest(srv.storeCtx(r), sessionOf(r.Context()).p, req)
	}
	if err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		srv.showRequestForm(w, r, statusOf(rabta.ErrorCode(err)), &requestFormData{F: f, Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/requests/"+url.PathEscape(req.ID)+"?done=sent", http.StatusSeeOther)
}

// request turns the form into a request for the store to check.
func (f requestForm) request() (*rabta.Request, error) {
	deadline, err := parseWhen("deadline", strings.TrimSpace(f.Deadline))
	if err != nil {
		return nil, err
	}
	req := &rabta.Request{Type: rabta.RequestType(f.Type), To: f.To, Case: f.Case, Justification: f.Justification,
		Urgency: rabta.Urgency(f.Urgency), Deadline: deadline,
		Subjects: rabta.Subjects{Records: splitIDs(f.Records), Selectors: nonEmptyLines(f.Selectors)}}
	for _, h := range splitIDs(f.Hits) {
		n, err := strconv.ParseInt(h, 10, 64)
		if err != nil {
			return nil, rabta.Errorf(rabta.EInvalid, "hits: %q is not a hit number", h)
		}
		req.Subjects.Hits = append(req.Subjects.Hits, n)
	}
	return req, nil
}

// requestActions are the actions the request page offers its reader.
type requestActions struct {
	Acknowledge bool // the receiving agency has not yet said it works on it
	Decide      bool // refuse, as a supervisor of the receiving agency
	Approve     bool // grant access (access requests)
	Answer      bool // reply with the final answer (other requests)
	Withdraw    bool // its author, or a supervisor of the requesting agency
	Revoke      bool // end the grant, as a supervisor of the holder
}

func actionsFor(p rabta.Principal, q *rabta.Request) requestActions {
	receiver, open := q.To == p.Agency, q.State.Open()
	a := requestActions{
		Acknowledge: receiver && q.State == rabta.StateSubmitted,
		Decide:      receiver && open && p.DecidesRequests(),
		Withdraw:    q.From == p.Agency && open && (q.CreatedBy == p.Username || p.Has(rabta.RoleSupervisor)),
		Revoke:      q.Grant != nil && q.Grant.Holder == p.Agency && p.DecidesRequests() && q.Grant.RevokedAt == nil,
	}
	a.Approve = a.Decide && q.Type == rabta.RequestAccess
	a.Answer = a.Decide && q.Type != rabta.RequestAccess
	return a
}

// replyInput is the reply form as entered, kept when the store refuses it.
type replyInput struct {
	Body, Classification, Handling, Conditions string
}

type requestData struct {
	R       *rabta.Request
	Can     requestActions
	Done    string // the action just taken, for the confirmation
	Reply   replyInput
	Reason  string
	Until   string
	Error   string
	Classes []rabta.Classification // those the reader may mark a reply with
	// Asked are the records an access request stands for, as the
	// receiving agency sees them; Grant those ticked to grant only some.
	Asked []sqlstore.SearchHit
	Grant []string
}

// requestDone are the confirmations the request page shows after a redirect.
var requestDone = []string{"sent", "acknowledge", "reply", "approve", "refuse", "withdraw", "revoke", "file"}

func (srv *Server) webRequest(w http.ResponseWriter, r *http.Request) {
	data := &requestData{}
	if d := r.URL.Query().Get("done"); slices.Contains(requestDone, d) {
		data.Done = d
	}
	srv.showRequest(w, r, http.StatusOK, data)
}

func (srv *Server) showRequest(w http.ResponseWriter, r *http.Request, status int, data *requestData) {
	p := sessionOf(r.Context()).p
	q, err := srv.store.Request(srv.storeCtx(r), p, chi.URLParam(r, "id"))
	if rabta.ErrorCode(err) == rabta.ENotFound {
		srv.renderNotFound(w, r)
		return
	}
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.R, data.Can = q, actionsFor(p, q)
	// A reply is marked Restricted, P unless the writer chose otherwise.
	data.Reply.Classification = cmp.Or(data.Reply.Classification, string(rabta.Restricted))
	data.Reply.Handling = cmp.Or(data.Reply.Handling, "P")
	data.Classes = clearedClasses(p)
	// The receiver decides on what a request stands for, which for a hit
	// the requester never learns: its own records, shown by caption.
	if q.To == p.Agency && len(q.Asked) > 0 {
		if data.Asked, err = srv.store.Summaries(srv.storeCtx(r), p, q.Asked); err != nil {
			srv.renderError(w, r, err)
			return
		}
	}
	srv.render(w, r, status, "request", srv.view(r, "requests", data))
}

// webRequestAction takes one action on a request; a refusal by the store
// comes back on the request page with what was typed.
func (srv *Server) webRequestAction(w http.ResponseWriter, r *http.Request) {
	p, ctx, id, action := sessionOf(r.Context()).p, srv.storeCtx(r), chi.URLParam(r, "id"), chi.URLParam(r, "action")
	v := r.PostFormValue
	data := &requestData{Reason: v("reason"), Until: v("until"),
		Reply: replyInput{Body: v("body"), Classification: v("classification"), Handling: v("handling"), Conditions: v("conditions")}}
	data.Grant = r.PostForm["records"] // parsed by v
	var err error
	switch action {
	case "acknowledge":
		_, err = srv.store.AcknowledgeRequest(ctx, p, id)
	case "reply":
		rp := rabta.Reply{Body: data.Reply.Body, Handling: data.Reply.Handling, Conditions: strings.TrimSpace(data.Reply.Conditions),
			Classification: rabta.Classification(data.Reply.Classification)}
		_, err = srv.store.ReplyRequest(ctx, p, id, rp, v("final") == "1")
	case "approve":
		var until time.Time
		if until, err = parseWhen("until", strings.TrimSpace(data.Until)); err == nil {
			// None ticked grants every record asked for.
			_, err = srv.store.ApproveRequest(ctx, p, id, sqlstore.Approval{Records: data.Grant, Until: until})
		}
	case "refuse":
		_, err = srv.store.RefuseRequest(ctx, p, id, data.Reason)
	case "withdraw":
		_, err = srv.store.WithdrawRequest(ctx, p, id)
	}
	if err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		data.Error = rabta.ErrorMessage(err)
		srv.showRequest(w, r, statusOf(rabta.ErrorCode(err)), data)
		return
	}
	http.Redirect(w, r, "/requests/"+url.PathEscape(id)+"?done="+action, http.StatusSeeOther)
}

// webReplyFile attaches a file to one's own reply. The path ends in
// /attachments so that limitBody lets a file through.
func (srv *Server) webReplyFile(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	at, content, err := readAttachment(r)
	if err == nil {
		err = srv.store.AddReplyAttachment(srv.storeCtx(r), sessionOf(r.Context()).p, id, chi.URLParam(r, "reply"), at, content)
	}
	if err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		srv.showRequest(w, r, statusOf(rabta.ErrorCode(err)), &requestData{Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/requests/"+url.PathEscape(id)+"?done=file", http.StatusSeeOther)
}

// Grants.

type grantsData struct {
	Grants  []rabta.Grant
	Revoked bool
	Error   string
}

func (srv *Server) webGrants(w http.ResponseWriter, r *http.Request) {
	srv.showGrants(w, r, http.StatusOK, &grantsData{Revoked: r.URL.Query().Has("revoked")})
}

func (srv *Server) showGrants(w http.ResponseWriter, r *http.Request, status int, data *grantsData) {
	gs, err := srv.store.Grants(srv.storeCtx(r), sessionOf(r.Context()).p)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Grants = gs
	srv.render(w, r, status, "grants", srv.view(r, "requests", data))
}

// webRevokeGrant ends a grant, then returns to the page it was revoked
// from (next), or the grants.
func (srv *Server) webRevokeGrant(w http.ResponseWriter, r *http.Request) {
	if _, err := srv.store.RevokeGrant(srv.storeCtx(r), sessionOf(r.Context()).p, chi.URLParam(r, "id")); err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		srv.showGrants(w, r, statusOf(rabta.ErrorCode(err)), &grantsData{Error: rabta.ErrorMessage(err)})
		return
	}
	next := "/grants?revoked=1"
	if n := r.PostFormValue("next"); n != "" {
		next = localPath(n)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// Operations and conflicts.

// opForm is the operation form as entered; times are datetime-local
// values in Pakistan time.
type opForm struct {
	Type, Title, District, Lat, Lon, Radius string
	Start, End, ContactName, ContactPhone   string
}

type province struct {
	Name      string
	Districts []gazetteer.District
}

type operationsData struct {
	F          opForm
	Types      []rabta.OperationType
	Provinces  []province
	Ops        []rabta.Operation
	Registered *rabta.Operation // just registered: its conflicts come first
	Cancelled  bool             // one was just cancelled
	Error      string
}

// blankOpForm is a new operation's form: a raid, with the user as contact.
func blankOpForm(r *http.Request) opForm {
	u := sessionOf(r.Context()).user
	return opForm{Type: string(rabta.OpRaid), ContactName: cmp.Or(u.Name, u.Username)}
}

func (srv *Server) webOperations(w http.ResponseWriter, r *http.Request) {
	srv.showOperations(w, r, http.StatusOK, &operationsData{F: blankOpForm(r), Cancelled: r.URL.Query().Has("cancelled")})
}

func (srv *Server) showOperations(w http.ResponseWriter, r *http.Request, status int, data *operationsData) {
	ops, err := srv.store.Operations(srv.storeCtx(r), sessionOf(r.Context()).p, false)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Ops, data.Types = ops, rabta.OperationTypes
	if id := r.URL.Query().Get("registered"); id != "" {
		if i := slices.IndexFunc(ops, func(o rabta.Operation) bool { return o.ID == id }); i >= 0 {
			data.Registered = &ops[i]
		}
	}
	for _, d := range gazetteer.Districts() {
		if n := len(data.Provinces); n == 0 || data.Provinces[n-1].Name != d.Province {
			data.Provinces = append(data.Provinces, province{Name: d.Province})
		}
		last := &data.Provinces[len(data.Provinces)-1]
		last.Districts = append(last.Districts, d)
	}
	srv.render(w, r, status, "operations", srv.view(r, "operations", data))
}

// webCreateOperation registers an operation, then shows the page with the
// conflicts it raised first.
func (srv *Server) webCreateOperation(w http.ResponseWriter, r *http.Request) {
	v := r.PostFormValue
	f := opForm{Type: v("type"), Title: v("title"), District: v("district"), Lat: v("lat"), Lon: v("lon"), Radius: v("radius_m"),
		Start: v("start"), End: v("end"), ContactName: v("contact_name"), ContactPhone: v("contact_phone")}
	o, err := f.operation()
	// A place is a district or a point; half a point would put the
	// operation on the equator or the prime meridian.
	lat, lon := strings.TrimSpace(f.Lat) != "", strings.TrimSpace(f.Lon) != ""
	if err == nil && !(lat && lon || !lat && !lon && o.District != "") {
		err = rabta.Errorf(rabta.EInvalid, "%s", catalogues[langOf(r)].T("ops.noplace"))
	}
	if err == nil {
		err = srv.store.CreateOperation(srv.storeCtx(r), sessionOf(r.Context()).p, o)
	}
	if err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		srv.showOperations(w, r, statusOf(rabta.ErrorCode(err)), &operationsData{F: f, Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/operations?registered="+url.QueryEscape(o.ID)+"#registered", http.StatusSeeOther)
}

// webCancelOperation withdraws one of the agency's operations; its
// conflicts stay on record.
func (srv *Server) webCancelOperation(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	if err := srv.store.CancelOperation(srv.storeCtx(r), sessionOf(r.Context()).p, id); err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		srv.showOperations(w, r, statusOf(rabta.ErrorCode(err)), &operationsData{F: blankOpForm(r), Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/operations?cancelled=1#"+url.PathEscape(id), http.StatusSeeOther)
}

// operation reads the form. Coordinates, where given, win over the
// district (the store fills what the district implies).
func (f opForm) operation() (*rabta.Operation, error) {
	o := &rabta.Operation{Type: rabta.OperationType(f.Type), Title: f.Title, District: f.District,
		Contact: rabta.OpContact{Name: strings.TrimSpace(f.ContactName), Phone: strings.TrimSpace(f.ContactPhone)}}
	for _, x := range []struct {
		field, value string
		to           *float64
	}{{"lat", f.Lat, &o.Lat}, {"lon", f.Lon, &o.Lon}, {"radius_m", f.Radius, &o.RadiusM}} {
		if s := strings.TrimSpace(x.value); s != "" {
			n, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, rabta.Errorf(rabta.EInvalid, "%s: %q is not a number", x.field, s)
			}
			*x.to = n
		}
	}
	for _, x := range []struct {
		field, value string
		to           *time.Time
	}{{"start", f.Start, &o.Start}, {"end", f.End, &o.End}} {
		t, err := parseLocal(x.value)
		if err != nil {
			return nil, rabta.Errorf(rabta.EInvalid, "%s: %q is not a date and time (YYYY-MM-DD HH:MM, Pakistan time)", x.field, x.value)
		}
		*x.to = t
	}
	return o, nil
}

// parseLocal reads a datetime-local value (with or without seconds) as
// Pakistan time.
func parseLocal(s string) (time.Time, error) {
	s = strings.Replace(strings.TrimSpace(s), " ", "T", 1)
	t, err := time.ParseInLocation("2006-01-02T15:04", s, rabta.PKT)
	if err != nil {
		t, err = time.ParseInLocation("2006-01-02T15:04:05", s, rabta.PKT)
	}
	return t, err
}

type conflictsData struct {
	Conflicts   []rabta.Conflict
	Ours        map[string]string // our operation's id → its title
	Resolutions []rabta.Resolution
	Resolved    bool
	Error       string
}

func (srv *Server) webConflicts(w http.ResponseWriter, r *http.Request) {
	srv.showConflicts(w, r, http.StatusOK, &conflictsData{Resolved: r.URL.Query().Has("resolved")})
}

func (srv *Server) showConflicts(w http.ResponseWriter, r *http.Request, status int, data *conflictsData) {
	p, ctx := sessionOf(r.Context()).p, srv.storeCtx(r)
	cs, err := srv.store.Conflicts(ctx, p)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	ops, err := srv.store.Operations(ctx, p, true)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data.Conflicts, data.Resolutions, data.Ours = cs, rabta.Resolutions, map[string]string{}
	for _, o := range ops {
		data.Ours[o.ID] = o.Title
	}
	srv.render(w, r, status, "conflicts", srv.view(r, "operations", data))
}

func (srv *Server) webResolveConflict(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	_, err := srv.store.ResolveConflict(srv.storeCtx(r), sessionOf(r.Context()).p, id, rabta.Resolution(r.PostFormValue("resolution")), r.PostFormValue("note"))
	if rabta.ErrorCode(err) == rabta.ENotFound {
		srv.renderNotFound(w, r)
		return
	}
	if err != nil {
		if !formError(err) {
			srv.renderError(w, r, err)
			return
		}
		srv.showConflicts(w, r, statusOf(rabta.ErrorCode(err)), &conflictsData{Error: rabta.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/conflicts?resolved=1#"+url.PathEscape(id), http.StatusSeeOther)
}

// Inbox.

// inboxItem is a notification with the page of its object.
type inboxItem struct {
	sqlstore.Notification
	URL  string
	Kind string // catalogue key of its kind
}

type inboxData struct {
	Items  []inboxItem
	Unread int
}

// noteKinds are the kinds the catalogues name; others show as "other".
var noteKinds = []string{sqlstore.NoteHit, sqlstore.NoteRequestReceived, sqlstore.NoteRequestAnswered, sqlstore.NoteRequestOverdue,
	sqlstore.NoteConflict, sqlstore.NoteConflictResolved, sqlstore.NoteTaskAssigned, sqlstore.NoteGrantExpiring, sqlstore.NoteGrantRevoked,
	sqlstore.NoteCaseMember}

func (srv *Server) webInbox(w http.ResponseWriter, r *http.Request) {
	ns, unread, err := srv.store.Inbox(srv.storeCtx(r), sessionOf(r.Context()).p, 100)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	data := inboxData{Unread: unread}
	for _, n := range ns {
		kind := "inbox.kind.other"
		if slices.Contains(noteKinds, n.Kind) {
			kind = "inbox.kind." + n.Kind
		}
		data.Items = append(data.Items, inboxItem{Notification: n, URL: objectURL(n.Object), Kind: kind})
	}
	v := srv.view(r, "inbox", data)
	v.unread = func() int { return unread } // counted already
	srv.render(w, r, http.StatusOK, "inbox", v)
}

func (srv *Server) webMarkRead(w http.ResponseWriter, r *http.Request) {
	if err := srv.store.MarkRead(srv.storeCtx(r), sessionOf(r.Context()).p, nil); err != nil {
		srv.renderError(w, r, err)
		return
	}
	http.Redirect(w, r, "/inbox", http.StatusSeeOther)
}

// objectURL is the page of a notification's object ("request:ID", …), or
// "" for an object without a page.
func objectURL(object string) string {
	kind, id, _ := strings.Cut(object, ":")
	if kind == "hits" {
		return "/deconflict"
	}
	if id == "" {
		return ""
	}
	switch kind {
	case "request":
		return "/requests/" + url.PathEscape(id)
	case "conflict":
		return "/conflicts#" + url.PathEscape(id)
	case "operation":
		return "/operations#" + url.PathEscape(id)
	case "case":
		return "/cases/" + url.PathEscape(id)
	}
	return ""
}

// clearedClasses are the classifications p may mark something with.
func clearedClasses(p rabta.Principal) []rabta.Classification {
	var out []rabta.Classification
	for _, c := range classifications {
		if p.Clearance.Covers(c) {
			out = append(out, c)
		}
	}
	return out
}
