package rabta

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/schema"
)

// SubjectCategory is the category of data subject (EU Law Enforcement
// Directive art. 6), recorded for every record about a person.
type SubjectCategory string

const (
	SubjectSuspect   SubjectCategory = "suspect"
	SubjectConvicted SubjectCategory = "convicted"
	SubjectVictim    SubjectCategory = "victim"
	SubjectWitness   SubjectCategory = "witness"
	SubjectOther     SubjectCategory = "other"
)

// SubjectCategories lists the categories in a stable order.
var SubjectCategories = []SubjectCategory{SubjectSuspect, SubjectConvicted, SubjectVictim, SubjectWitness, SubjectOther}

// Basis says whether a record states facts or a personal assessment (LED art. 7).
type Basis string

const (
	BasisFact       Basis = "fact"
	BasisAssessment Basis = "assessment"
)

// Provenance says where a record came from.
type Provenance struct {
	SourceReport string `json:"source_report"` // the originating report or reference
	SourceDate   string `json:"source_date"`   // date of the source report (YYYY-MM-DD)
	Author       string `json:"author"`        // username of the author on the platform
}

// Record is one agency's statement about one thing: a person, a phone, a
// payment, a call. It is owned by one agency, graded, marked and sourced.
type Record struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Caption    string              `json:"caption"`
	Properties map[string][]string `json:"properties"`
	Agency     string              `json:"agency"`
	Marking    Marking             `json:"marking"`
	Grading    Grading             `json:"grading"`
	Provenance Provenance          `json:"provenance"`
	Subject    SubjectCategory     `json:"subject_category,omitempty"`
	Basis      Basis               `json:"basis"`
	ReviewDate string              `json:"review_date,omitempty"`
	Version    int                 `json:"version"`
	CreatedAt  time.Time           `json:"created_at"`
	UpdatedAt  time.Time           `json:"updated_at"`

	idents []ident.Identifier // normal forms found by Normalize
}

// Identifiers returns the identifiers in the record's properties in normal
// form, as found by the last Normalize: what search and deconfliction match on.
func (r *Record) Identifiers() []ident.Identifier { return r.idents }

// Normalize fills defaults, canonicalises and validates a record before it
// is stored, returning a *Error that names the field at fault. It is the one
// write-side check every path (API, web, import) goes through.
func (r *Record) Normalize() error {
	s, ok := schema.Get(r.Schema)
	if !ok {
		return Errorf(EInvalid, "schema: unknown schema %q", r.Schema)
	}
	if s.Abstract {
		return Errorf(EInvalid, "schema: %q is abstract; use one of its descendants", r.Schema)
	}
	if r.Properties == nil {
		r.Properties = map[string][]string{}
	}
	if err := s.Validate(r.Properties); err != nil {
		var ve *schema.ValidationError
		if errors.As(err, &ve) {
			return Errorf(EInvalid, "%s", ve.Error())
		}
		return Errorf(EInvalid, "properties: %v", err)
	}
	if len(r.Properties) == 0 {
		return Errorf(EInvalid, "properties: a record needs at least one property")
	}
	var err error
	if r.idents, err = checkIdentifiers(s, r.Properties); err != nil {
		return err
	}
	if s.IsEdge() {
		for _, p := range []string{s.Edge.Source, s.Edge.Target} {
			if len(r.Properties[p]) == 0 {
				return Errorf(EInvalid, "properties.%s: a %s link needs both ends (%s and %s)", p, s.Name, s.Edge.Source, s.Edge.Target)
			}
		}
	}
	if err := r.Marking.Normalize(); err != nil {
		return err
	}
	if err := r.Grading.Normalize(); err != nil {
		return err
	}
	r.Subject = SubjectCategory(strings.ToLower(strings.TrimSpace(string(r.Subject))))
	if r.Subject != "" && !slices.Contains(SubjectCategories, r.Subject) {
		return Errorf(EInvalid, "subject_category: %q is not one of suspect, convicted, victim, witness, other", r.Subject)
	}
	// Records about victims are protected whatever the clerk ticked: the
	// Victim and Referral schemata always carry the victim category.
	if s.IsA("Victim") || s.IsA("Referral") {
		r.Marking.Categories = addCategory(r.Marking.Categories, CatVictim)
	}
	// The subject category and the special categories must agree: a victim
	// record carries the victim marking, so access narrows automatically.
	switch r.Subject {
	case SubjectVictim:
		r.Marking.Categories = addCategory(r.Marking.Categories, CatVictim)
	case SubjectWitness:
		r.Marking.Categories = addCategory(r.Marking.Categories, CatWitness)
	}
	if r.Marking.Release == ReleasePublic && len(r.Marking.Categories) > 0 {
		return Errorf(EInvalid, "marking.release: a victim or witness record cannot be public")
	}
	if r.Basis == "" {
		r.Basis = BasisFact
	}
	if r.Basis != BasisFact && r.Basis != BasisAssessment {
		return Errorf(EInvalid, "basis: %q is not fact or assessment", r.Basis)
	}
	for field, d := range map[string]*string{"review_date": &r.ReviewDate, "provenance.source_date": &r.Provenance.SourceDate} {
		*d = strings.TrimSpace(*d)
		if *d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, *d); err != nil {
			return Errorf(EInvalid, "%s: %q is not a date (use YYYY-MM-DD)", field, *d)
		}
	}
	r.Provenance.SourceReport = strings.TrimSpace(r.Provenance.SourceReport)
	r.Caption = s.Caption(r.Properties)
	return nil
}

func addCategory(cs []Category, c Category) []Category {
	if slices.Contains(cs, c) {
		return cs
	}
	cs = append(cs, c)
	slices.Sort(cs)
	return cs
}

// cnicShaped reports whether v looks like what a clerk types for a CNIC:
// 11 to 17 characters, digits and dashes only.
func cnicShaped(v string) bool {
	if len(v) < 11 || len(v) > 17 {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// imeiShaped reports whether v looks like an IMEI as a clerk types it: 14 to
// 16 digits with spaces, dashes or slashes, not all zeros (the usual "no
// IMEI" filler, which is simply not indexed).
func imeiShaped(v string) bool {
	digits, nonzero := 0, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits++
			nonzero = nonzero || c != '0'
		case c == ' ' || c == '-' || c == '/':
		default:
			return false
		}
	}
	return digits >= 14 && digits <= 16 && nonzero
}

// identifierKind says which kind of identifier property name of schema s
// holds, and whether a value that is not a valid one is refused (strict)
// or simply not indexed. Strict are the fields a clerk fills in by hand
// for a person or account — a phone, e-mail or IBAN that does not normalise
// would never meet its twin in search or deconfliction; lenient are fields
// that machines fill (call records) or that hold other countries' numbers.
//
// taxNumber (any country's TIN) and a CryptoWallet's publicKey (any chain)
// are lenient: indexed when they are a Pakistani NTN or a Bitcoin, EVM or
// TRON address, kept as given otherwise. A Phone's imei that has an IMEI's
// digits must be a valid one (a wrong check digit is a typo that would
// never meet its handset); a Call's imei comes from operators' records and
// is lenient.
func identifierKind(s *schema.Schema, name, value string) (kind ident.Kind, strict, ok bool) {
	prop, found := s.Property(name)
	if !found {
		return "", false, false
	}
	switch {
	case prop.Type == schema.TypePhone:
		return ident.Phone, name == "phone", true
	case prop.Type == schema.TypeEmail:
		return ident.Email, true, true
	case prop.Type == schema.TypeIBAN:
		return ident.IBAN, true, true
	case name == "passportNumber", name == "number" && s.IsA("Passport"):
		return ident.Passport, name == "passportNumber", true
	case name == "idNumber", name == "nationalId", name == "number" && s.IsA("Identification"):
		// Shaped like a CNIC, it must be a valid one; other national ids
		// (letters, other lengths) are kept as given.
		return ident.CNIC, cnicShaped(value), true
	case name == "registrationNumber" && s.IsA("Vehicle"):
		return ident.Plate, false, true
	case name == "taxNumber" && s.IsA("LegalEntity"):
		return ident.NTN, false, true
	case name == "publicKey" && s.IsA("CryptoWallet"):
		return ident.Wallet, false, true
	case name == "imei":
		return ident.IMEI, s.IsA("Phone") && imeiShaped(value), true
	}
	return "", false, false
}

// checkIdentifiers validates identifier properties and returns every
// identifier found, in normal form, without duplicates, together with the
// identifiers they imply (a CNIC given as a tax number is also a CNIC).
func checkIdentifiers(s *schema.Schema, props map[string][]string) ([]ident.Identifier, error) {
	var out []ident.Identifier
	seen := map[ident.Identifier]bool{}
	add := func(id ident.Identifier) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(props)) {
		for i, v := range props[name] {
			kind, strict, ok := identifierKind(s, name, v)
			if !ok {
				continue
			}
			norm, err := ident.Normalize(kind, v)
			switch {
			case err == nil:
				id := ident.Identifier{Kind: kind, Value: norm}
				add(id)
				for _, also := range ident.Implied(id) {
					add(also)
				}
			case strict:
				return nil, Errorf(EInvalid, "properties.%s[%d]: %v", name, i, err)
			}
		}
	}
	return out, nil
}

// Pointer is what a principal with pointer access learns of a record: that
// the holding agency has something of this schema, and whom to call.
type Pointer struct {
	ID      string  `json:"id"`
	Schema  string  `json:"schema"`
	Agency  string  `json:"agency"`
	Contact Contact `json:"contact"`
}
