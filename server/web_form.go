package server

import (
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/schema"
)

// recordForm is the record form as the user filled it in: kept as entered,
// so that a refused record comes back with the input intact and the
// store's message beside it.
type recordForm struct {
	New        bool
	ID         string
	Schema     *schema.Schema
	Main, More []formProp // More is folded away unless it holds values
	MoreOpen   bool

	Release, Handling, Conditions, Classification string
	Agencies, Categories                          []string
	GSystem, GSource, GIntel, GHandling           string
	SourceReport, SourceDate                      string
	Subject, Basis, ReviewDate                    string
	Version                                       int

	Error    string
	Others   []rabta.Agency // the agencies a record may be released to
	Schemata []*schema.Schema
}

// formProp is one property row. Text properties get one box per value
// (values may span lines); the others one box with a value per line.
type formProp struct {
	*schema.Property
	Values   []string
	Required bool
	Invalid  bool // the store's message names this property
}

func (p formProp) Text() bool { return p.Type == schema.TypeText }

// commonProps are inherited properties worth showing without unfolding.
var commonProps = map[string]bool{"name": true, "alias": true, "country": true, "summary": true, "notes": true,
	"description": true, "address": true, "email": true, "phone": true, "idNumber": true, "date": true,
	"startDate": true, "endDate": true}

// Choices offered by the form.
func (recordForm) Releases() []rabta.Release {
	return []rabta.Release{rabta.ReleaseOriginator, rabta.ReleaseAgencies, rabta.ReleaseAll, rabta.ReleasePublic}
}
func (recordForm) Subjects() []rabta.SubjectCategory { return rabta.SubjectCategories }
func (recordForm) Systems() []string                 { return []string{"3x5x2", "5x5x5", "admiralty", "europol"} }

// newRecordForm lays out the rows of schema s with the given values.
func newRecordForm(s *schema.Schema, props map[string][]string) *recordForm {
	f := &recordForm{Schema: s}
	for _, p := range s.Properties() {
		fp := formProp{Property: p, Values: props[p.Name], Required: slices.Contains(s.Required, p.Name)}
		if fp.Required || p.Schema == s.Name || commonProps[p.Name] || slices.Contains(s.CaptionProperties, p.Name) {
			f.Main = append(f.Main, fp)
		} else {
			f.More = append(f.More, fp)
			f.MoreOpen = f.MoreOpen || len(fp.Values) > 0
		}
	}
	return f
}

// blankForm is the form for a new record of schema s, with the most
// restrictive sensible marking.
func blankForm(s *schema.Schema) *recordForm {
	f := newRecordForm(s, nil)
	f.New, f.Release, f.Handling, f.Classification, f.Basis, f.GSystem = true, "originator", "P", "restricted", "fact", "3x5x2"
	return f
}

func formFromRecord(rec *rabta.Record) *recordForm {
	s, _ := schema.Get(rec.Schema)
	f := newRecordForm(s, rec.Properties)
	m, g := rec.Marking, rec.Grading
	f.ID, f.Version = rec.ID, rec.Version
	f.Release, f.Agencies, f.Handling, f.Conditions, f.Classification = string(m.Release), m.Agencies, m.Handling, m.Conditions, string(m.Classification)
	for _, c := range m.Categories {
		f.Categories = append(f.Categories, string(c))
	}
	f.GSystem, f.GSource, f.GIntel, f.GHandling = g.System, g.Source, g.Intelligence, g.Handling
	if f.GSystem == "" {
		f.GSystem = "3x5x2"
	}
	f.SourceReport, f.SourceDate = rec.Provenance.SourceReport, rec.Provenance.SourceDate
	f.Subject, f.Basis, f.ReviewDate = string(rec.Subject), string(rec.Basis), rec.ReviewDate
	return f
}

// formFromRequest reads a posted record form.
func formFromRequest(r *http.Request) (*recordForm, error) {
	if err := r.ParseForm(); err != nil {
		return nil, rabta.Errorf(rabta.EInvalid, "reading the form: %v", err)
	}
	s, ok := schema.Get(r.PostFormValue("schema"))
	if !ok || s.Abstract {
		return nil, rabta.Errorf(rabta.EInvalid, "schema: %q is not a kind of record", r.PostFormValue("schema"))
	}
	props := map[string][]string{}
	for _, p := range s.Properties() {
		var vals []string
		for _, box := range r.PostForm["p."+p.Name] {
			if p.Type == schema.TypeText {
				if box = strings.TrimSpace(box); box != "" {
					vals = append(vals, box)
				}
				continue
			}
			for _, line := range strings.Split(box, "\n") {
				if line = strings.TrimSpace(line); line != "" {
					vals = append(vals, line)
				}
			}
		}
		if len(vals) > 0 {
			props[p.Name] = vals
		}
	}
	f := newRecordForm(s, props)
	v := r.PostFormValue
	f.Release, f.Handling, f.Conditions, f.Classification = v("release"), v("handling"), v("conditions"), v("classification")
	f.Agencies, f.Categories = r.PostForm["agencies"], r.PostForm["categories"]
	f.GSystem, f.GSource, f.GIntel, f.GHandling = v("grading_system"), v("grading_source"), v("grading_intelligence"), v("grading_handling")
	f.SourceReport, f.SourceDate = v("source_report"), v("source_date")
	f.Subject, f.Basis, f.ReviewDate = v("subject_category"), v("basis"), v("review_date")
	if s := v("version"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, rabta.Errorf(rabta.EInvalid, "version: %q is not a number", s)
		}
		f.Version = n
	}
	return f, nil
}

// record builds a fresh record from the form; the store may change it
// (normalising, numbering) without touching what the form shows.
func (f *recordForm) record() *rabta.Record {
	props := map[string][]string{}
	for _, p := range slices.Concat(f.Main, f.More) {
		if len(p.Values) > 0 {
			props[p.Name] = slices.Clone(p.Values)
		}
	}
	rec := &rabta.Record{ID: f.ID, Schema: f.Schema.Name, Properties: props, Version: f.Version,
		Marking: rabta.Marking{Release: rabta.Release(f.Release), Handling: f.Handling, Conditions: f.Conditions,
			Classification: rabta.Classification(f.Classification)},
		Provenance: rabta.Provenance{SourceReport: f.SourceReport, SourceDate: f.SourceDate},
		Subject:    rabta.SubjectCategory(f.Subject), Basis: rabta.Basis(f.Basis), ReviewDate: f.ReviewDate}
	// The agency boxes count only when the release names agencies, so a
	// box left ticked after choosing another release does no harm.
	if f.Release == string(rabta.ReleaseAgencies) {
		rec.Marking.Agencies = slices.Clone(f.Agencies)
	}
	for _, c := range f.Categories {
		rec.Marking.Categories = append(rec.Marking.Categories, rabta.Category(c))
	}
	if f.GSource+f.GIntel+f.GHandling != "" {
		rec.Grading = rabta.Grading{System: f.GSystem, Source: f.GSource, Intelligence: f.GIntel, Handling: f.GHandling}
	}
	return rec
}

// propertyPaths finds the properties a validation message names, as in
// "properties.birthDate[0]: …".
var propertyPaths = regexp.MustCompile(`properties\.([A-Za-z0-9_]+)`)

// markInvalid flags the rows the error names and unfolds them if hidden.
func (f *recordForm) markInvalid() {
	bad := map[string]bool{}
	for _, m := range propertyPaths.FindAllStringSubmatch(f.Error, -1) {
		bad[m[1]] = true
	}
	for i := range f.Main {
		f.Main[i].Invalid = bad[f.Main[i].Name]
	}
	for i := range f.More {
		f.More[i].Invalid = bad[f.More[i].Name]
		f.MoreOpen = f.MoreOpen || f.More[i].Invalid
	}
}

func (srv *Server) renderForm(w http.ResponseWriter, r *http.Request, status int, f *recordForm) {
	as, err := srv.store.Agencies(r.Context())
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	own := sessionOf(r.Context()).p.Agency
	for _, a := range as {
		if a.Code != own {
			f.Others = append(f.Others, a)
		}
	}
	f.Schemata = concreteSchemata()
	srv.render(w, r, status, "form", srv.view(r, "pursue", f))
}

// formFailed shows the form again with the store's message, or an error
// page for errors that are not about the input.
func (srv *Server) formFailed(w http.ResponseWriter, r *http.Request, f *recordForm, err error) {
	code := rabta.ErrorCode(err)
	if code == rabta.EInternal {
		srv.renderError(w, r, err)
		return
	}
	f.Error = rabta.ErrorMessage(err)
	f.markInvalid()
	srv.renderForm(w, r, statusOf(code), f)
}

func (srv *Server) webNewRecord(w http.ResponseWriter, r *http.Request) {
	if !sessionOf(r.Context()).p.CanWriteRecords() {
		srv.renderError(w, r, rabta.Errorf(rabta.EForbidden, "%s", catalogues[langOf(r)].T("error.nowrite")))
		return
	}
	name := r.URL.Query().Get("schema")
	if name == "" {
		name = "Person"
	}
	s, ok := schema.Get(name)
	if !ok || s.Abstract {
		srv.renderError(w, r, rabta.Errorf(rabta.EInvalid, "schema: %q is not a kind of record", name))
		return
	}
	srv.renderForm(w, r, http.StatusOK, blankForm(s))
}

func (srv *Server) webCreateRecord(w http.ResponseWriter, r *http.Request) {
	f, err := formFromRequest(r)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	f.New = true
	rec := f.record()
	if err := srv.store.CreateRecord(srv.storeCtx(r), sessionOf(r.Context()).p, rec); err != nil {
		srv.formFailed(w, r, f, err)
		return
	}
	http.Redirect(w, r, recordURL(rec.ID, ""), http.StatusSeeOther)
}

func (srv *Server) webEditRecord(w http.ResponseWriter, r *http.Request) {
	rec, ok := srv.readRecord(w, r)
	if !ok {
		return
	}
	if !canEdit(sessionOf(r.Context()).p, rec) {
		srv.renderError(w, r, rabta.Errorf(rabta.EForbidden, "%s", catalogues[langOf(r)].T("error.noedit", rec.Agency)))
		return
	}
	srv.renderForm(w, r, http.StatusOK, formFromRecord(rec))
}

func (srv *Server) webUpdateRecord(w http.ResponseWriter, r *http.Request) {
	f, err := formFromRequest(r)
	if err != nil {
		srv.renderError(w, r, err)
		return
	}
	f.ID = chi.URLParam(r, "id")
	rec := f.record()
	err = srv.store.UpdateRecord(srv.storeCtx(r), sessionOf(r.Context()).p, rec)
	switch {
	case rabta.ErrorCode(err) == rabta.ENotFound:
		srv.renderNotFound(w, r)
	case err != nil:
		srv.formFailed(w, r, f, err)
	default:
		http.Redirect(w, r, recordURL(rec.ID, ""), http.StatusSeeOther)
	}
}
