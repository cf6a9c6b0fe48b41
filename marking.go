package rabta

import (
	"fmt"
	"slices"
	"strings"
)

// Classification is a record's protective level and, for users, the highest
// level they are cleared to read. Ordered: a user reads a record only if the
// user's clearance is at least the record's classification.
type Classification string

const (
	Unclassified Classification = "unclassified"
	Restricted   Classification = "restricted"
	Confidential Classification = "confidential"
	Secret       Classification = "secret"
)

var classificationRank = map[Classification]int{Unclassified: 0, Restricted: 1, Confidential: 2, Secret: 3}

// Valid reports whether c is a known level.
func (c Classification) Valid() bool { _, ok := classificationRank[c]; return ok }

// Covers reports whether a clearance of c is enough to read material at level x.
func (c Classification) Covers(x Classification) bool {
	cr, ok1 := classificationRank[c]
	xr, ok2 := classificationRank[x]
	return ok1 && ok2 && cr >= xr
}

// Release is how far a record may be shared.
type Release string

const (
	ReleaseOriginator Release = "originator" // the holding agency only
	ReleaseAgencies   Release = "agencies"   // the holding agency and those named
	ReleaseAll        Release = "all"        // every agency on the platform
	ReleasePublic     Release = "public"     // no limit (TLP:CLEAR)
)

// Category is a special category of data subject that narrows access further.
type Category string

const (
	CatVictim    Category = "victim"
	CatWitness   Category = "witness"
	CatMinor     Category = "minor"
	CatInformant Category = "informant"
)

// Categories lists every special category in a stable order.
var Categories = []Category{CatVictim, CatWitness, CatMinor, CatInformant}

// Marking says who may see a record and how it must be handled. It travels
// with the record everywhere.
type Marking struct {
	Release        Release        `json:"release"`
	Agencies       []string       `json:"agencies"`
	Handling       string         `json:"handling"` // P or C (3x5x2 handling code)
	Conditions     string         `json:"conditions"`
	Classification Classification `json:"classification"`
	Categories     []Category     `json:"categories"`
}

// Has reports whether the marking carries category c.
func (m Marking) Has(c Category) bool { return slices.Contains(m.Categories, c) }

// Protected reports whether the record is about a victim, witness or minor,
// whose details only the protection role sees.
func (m Marking) Protected() bool { return m.Has(CatVictim) || m.Has(CatWitness) || m.Has(CatMinor) }

// ReleasedTo reports whether the marking releases the record to agency code
// (the holding agency is not named here; see Decide).
func (m Marking) ReleasedTo(code string) bool {
	switch m.Release {
	case ReleaseAll, ReleasePublic:
		return true
	case ReleaseAgencies:
		return slices.Contains(m.Agencies, code)
	}
	return false
}

// Normalize fills defaults and canonicalises a marking in place, then
// validates it. The default is the most restrictive sensible marking.
func (m *Marking) Normalize() error {
	if m.Release == "" {
		m.Release = ReleaseOriginator
	}
	if m.Handling == "" {
		m.Handling = "P"
	}
	if m.Classification == "" {
		m.Classification = Restricted
	}
	m.Handling = strings.ToUpper(strings.TrimSpace(m.Handling))
	m.Conditions = strings.TrimSpace(m.Conditions)
	for i, a := range m.Agencies {
		m.Agencies[i] = strings.ToUpper(strings.TrimSpace(a))
	}
	slices.Sort(m.Agencies)
	m.Agencies = slices.Compact(m.Agencies)
	if m.Agencies == nil {
		m.Agencies = []string{}
	}
	for i, c := range m.Categories {
		m.Categories[i] = Category(strings.ToLower(strings.TrimSpace(string(c))))
	}
	slices.Sort(m.Categories)
	m.Categories = slices.Compact(m.Categories)
	if m.Categories == nil {
		m.Categories = []Category{}
	}

	switch m.Release {
	case ReleaseOriginator, ReleaseAll, ReleasePublic:
		if len(m.Agencies) > 0 {
			return Errorf(EInvalid, "marking.agencies: only allowed with release \"agencies\" (release is %q)", m.Release)
		}
	case ReleaseAgencies:
		if len(m.Agencies) == 0 {
			return Errorf(EInvalid, "marking.agencies: release \"agencies\" needs at least one agency")
		}
	default:
		return Errorf(EInvalid, "marking.release: %q is not one of originator, agencies, all, public", m.Release)
	}
	switch m.Handling {
	case "P":
	case "C":
		if m.Conditions == "" {
			return Errorf(EInvalid, "marking.conditions: handling C needs the conditions that apply")
		}
	default:
		return Errorf(EInvalid, "marking.handling: %q is not P or C", m.Handling)
	}
	if !m.Classification.Valid() {
		return Errorf(EInvalid, "marking.classification: %q is not one of unclassified, restricted, confidential, secret", m.Classification)
	}
	for i, c := range m.Categories {
		if !slices.Contains(Categories, c) {
			return Errorf(EInvalid, "marking.categories[%d]: %q is not one of victim, witness, minor, informant", i, c)
		}
	}
	if (m.Release == ReleasePublic) && (len(m.Categories) > 0 || m.Classification != Unclassified) {
		return Errorf(EInvalid, "marking.release: a public record must be unclassified and carry no special category")
	}
	return nil
}

// Banner is the one-line marking shown at the top and bottom of a record.
func (m Marking) Banner() string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(string(m.Classification)))
	switch m.Release {
	case ReleaseOriginator:
		b.WriteString(" · ORIGINATOR ONLY")
	case ReleaseAgencies:
		fmt.Fprintf(&b, " · REL TO %s", strings.Join(m.Agencies, ", "))
	case ReleaseAll:
		b.WriteString(" · ALL AGENCIES")
	case ReleasePublic:
		b.WriteString(" · PUBLIC")
	}
	fmt.Fprintf(&b, " · HANDLING %s", m.Handling)
	for _, c := range m.Categories {
		b.WriteString(" · " + strings.ToUpper(string(c)))
	}
	return b.String()
}
