// Package sanctions reads the UN Security Council consolidated sanctions
// list (the XML published at scsanctions.un.org, schema sc-sanctions.xsd)
// and national lists in the same shape into plain Go values for the
// screening engine to index. It only reads; matching lives elsewhere.
//
// The reader streams: it decodes one INDIVIDUAL or ENTITY at a time, so a
// list of any size needs memory for one entry plus what the caller keeps.
// Bad input is an *Error naming the file, the line and the element.
package sanctions

import (
	"slices"
	"sort"
	"time"
)

// DefaultSource is List.Source for lists read by Read and ReadFile. A caller
// loading a national list sets its own source name after reading.
const DefaultSource = "un-sc"

// Schemata of entries, named as in FollowTheMoney.
const (
	SchemaPerson       = "Person"       // an INDIVIDUAL
	SchemaOrganization = "Organization" // an ENTITY
)

// Kinds of Name.
const (
	KindPrimary  = "primary"  // FIRST_NAME … FOURTH_NAME
	KindOriginal = "original" // NAME_ORIGINAL_SCRIPT (Arabic, Urdu, Korean, Cyrillic …)
	KindAlias    = "alias"    // an alias, "a.k.a." (Quality says how reliable the UN thinks it is)
	KindFormer   = "former"   // an entity's former name, "f.k.a." (FollowTheMoney previousName)
)

// Qualities of an alias, from QUALITY. The UN grades individuals' aliases
// Good or Low; entities' aliases ("a.k.a.") are not graded and have "".
// A matcher should treat "" like "good": only "low" marks a weak alias
// (a kunya such as "Abu Mohammed", a call sign, a single word).
const (
	QualityGood = "good"
	QualityLow  = "low"
)

// Types of BirthDate, from TYPE_OF_DATE.
const (
	DateExact         = "exact"
	DateApproximately = "approximately"
	DateBetween       = "between"
)

// List is one published sanctions list.
type List struct {
	Source    string    // DefaultSource unless the caller sets another
	Generated time.Time // the dateGenerated attribute; zero if absent
	Entries   []Entry   // in document order: individuals, then entities
}

// Entry is one listed person or organisation.
type Entry struct {
	ID      string // REFERENCE_NUMBER, e.g. "QDi.006": the identifier users see and cite
	DataID  string // DATAID, the UN's internal record number
	Version int    // VERSIONNUM (always 1 in the UN feed so far; see Diff)
	Schema  string // SchemaPerson or SchemaOrganization

	// Name is the primary name: FIRST_NAME … FOURTH_NAME joined by single
	// spaces. If the list gives none, it is the first of Names.
	Name string
	// Names holds every distinct name of the entry: the primary name first,
	// then the original-script name, then aliases and former names in list
	// order. Names that differ only in case or spacing appear once.
	Names []Name

	Title         []string    // TITLE values ("Doctor", "Maulavi", "Haji" …)
	Designation   []string    // DESIGNATION values (positions held)
	Gender        string      // "male", "female" or "" when not given
	BirthDates    []BirthDate // INDIVIDUAL_DATE_OF_BIRTH, then alias birth dates
	BirthPlaces   []string    // "street, city, province, country" with empty parts skipped
	Nationalities []string    // NATIONALITY values
	Documents     []Document  // INDIVIDUAL_DOCUMENT
	Addresses     []string    // "street, city, province, postcode, country" with empty parts skipped

	ListType string   // UN_LIST_TYPE: the sanctions regime ("Al-Qaida", "Taliban", "DPRK" …)
	ListedOn string   // LISTED_ON as given (YYYY-MM-DD in the UN feed)
	Updated  []string // LAST_DAY_UPDATED values as given, oldest first in the UN feed
	Comments string   // COMMENTS1, the narrative summary, whitespace-normalised
}

// Name is one name of an entry.
type Name struct {
	Value   string // whitespace-normalised; never empty
	Kind    string // KindPrimary, KindOriginal, KindAlias or KindFormer
	Quality string // for aliases: QualityGood, QualityLow, or "" when ungraded
	Note    string // the alias's NOTE ("Call sign", "born 16 Dec. 1948 …"), if any
}

// BirthDate is one date of birth, as exact, approximate or ranged as the list
// gives it.
type BirthDate struct {
	Type string // DateExact, DateApproximately or DateBetween
	Date string // "YYYY-MM-DD" when the full date is known, else ""
	Year int    // the year (of Date when Date is set); 0 if unknown
	From int    // for DateBetween: first possible year
	To   int    // for DateBetween: last possible year
	Note string // the list's note: "Approximately", "Nov. 1973", "24/06/1402 (Hijri Calendar)", "alias Djamel Mostafa" …
}

// Document is an identity document of a listed person.
type Document struct {
	Type       string // TYPE_OF_DOCUMENT as given: "Passport", "National Identification Number" …
	Subtype    string // TYPE_OF_DOCUMENT2, the list's own wording ("Service passport", "Ration Card no")
	Number     string // NUMBER as given (sometimes with words around it)
	Country    string // ISSUING_COUNTRY, or COUNTRY_OF_ISSUE when that is absent
	IssueDate  string // DATE_OF_ISSUE as given
	IssuePlace string // where it was issued: CITY_OF_ISSUE, COUNTRY_OF_ISSUE (e.g. a Tunisian passport issued in Milan, Italy)
	Note       string // NOTE ("expired on 7 Nov. 2001", "false passport" …)
}

// AllNames returns the distinct name values of e, primary first.
func (e *Entry) AllNames() []string {
	out := make([]string, 0, len(e.Names))
	for _, n := range e.Names {
		out = append(out, n.Value)
	}
	return out
}

// Equal reports whether e and o hold the same values in every field.
func (e *Entry) Equal(o *Entry) bool {
	return e.ID == o.ID && e.DataID == o.DataID && e.Version == o.Version &&
		e.Schema == o.Schema && e.Name == o.Name &&
		slices.Equal(e.Names, o.Names) &&
		slices.Equal(e.Title, o.Title) && slices.Equal(e.Designation, o.Designation) &&
		e.Gender == o.Gender &&
		slices.Equal(e.BirthDates, o.BirthDates) && slices.Equal(e.BirthPlaces, o.BirthPlaces) &&
		slices.Equal(e.Nationalities, o.Nationalities) &&
		slices.Equal(e.Documents, o.Documents) && slices.Equal(e.Addresses, o.Addresses) &&
		e.ListType == o.ListType && e.ListedOn == o.ListedOn &&
		slices.Equal(e.Updated, o.Updated) && e.Comments == o.Comments
}

// Diff compares two editions of a list by entry ID. It returns, each sorted,
// the IDs only in next (added), only in prev (removed), and in both but with
// a different Version or different content (changed). Content counts because
// the UN does not raise VERSIONNUM when it amends an entry: every entry of
// the 2026-02-27 list has version 1, amended ones included.
func Diff(prev, next *List) (added, removed, changed []string) {
	old := make(map[string]*Entry, len(prev.Entries))
	for i := range prev.Entries {
		old[prev.Entries[i].ID] = &prev.Entries[i]
	}
	seen := make(map[string]bool, len(next.Entries))
	for i := range next.Entries {
		n := &next.Entries[i]
		seen[n.ID] = true
		o, ok := old[n.ID]
		switch {
		case !ok:
			added = append(added, n.ID)
		case o.Version != n.Version || !o.Equal(n):
			changed = append(changed, n.ID)
		}
	}
	for id := range old {
		if !seen[id] {
			removed = append(removed, id)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	sort.Strings(changed)
	return added, removed, changed
}
