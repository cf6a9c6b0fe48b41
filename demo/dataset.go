package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/schema"
)

// The seed fixes the demo: the same seed gives the same records, byte for
// byte, on every machine.
const seedHi, seedLo = 0x5241_4254_41, 2025_0412

// Batch is the records one user imports in one transaction.
type Batch struct {
	Username string
	Records  []*rabta.Record
}

// Dataset is the whole demo, built in memory.
type Dataset struct {
	// Batches are imported in this order: a record may refer to records of
	// its own batch or of earlier ones.
	Batches []Batch
	// Subjects maps the id of every record about a person, company, phone,
	// bank account, vehicle or address to the key of the real-world thing it
	// describes: p0042 for persons, c007 for companies and groups, and
	// phone:+92…, iban:…, plate:… or address:… for the rest. Records with
	// one key are the same subject, held by one or more agencies under
	// whatever names and identifiers they recorded: the ground truth for
	// entity resolution and deconfliction.
	Subjects map[string]string
	// Examples are things to try in the demo, for the start-up banner.
	Examples []Example
}

// Example is a search worth trying in the demo, and as whom.
type Example struct {
	Username string `json:"username"`
	Query    string `json:"query"`
	Note     string `json:"note"`
}

// importOrder is the order of the batches. Intelligence desks come first,
// then protection desks, whose victim records point to the suspects and
// cases the intelligence desks hold and to the shelter's own record.
var importOrder = []string{
	"fia.analyst", "punjab-police.analyst", "customs.analyst", "anf.analyst", "fmu.analyst",
	"ngo-shelter.protection", "punjab-police.protection", "fia.protection",
}

// Build makes the demo's records. It is deterministic and touches no
// database.
func Build() *Dataset {
	b := newBuilder()
	b.smuggling()
	b.heroin()
	b.hawala()
	b.background()
	b.informants()
	ds := &Dataset{Subjects: b.truth, Examples: b.examples}
	for _, u := range importOrder {
		ds.Batches = append(ds.Batches, *b.batches[u])
	}
	return ds
}

// Len returns the number of records.
func (ds *Dataset) Len() int {
	n := 0
	for _, bt := range ds.Batches {
		n += len(bt.Records)
	}
	return n
}

// check verifies what the store would otherwise refuse halfway through a
// load: every record is valid, every id unique, and every reference names
// a record of the same batch or an earlier one that is not another
// agency's informant record (which the importer could not know of).
func (ds *Dataset) check() error {
	type loc struct {
		batch     int
		agency    string
		informant bool
	}
	seen := map[string]loc{}
	for i, bt := range ds.Batches {
		agency := strings.ToUpper(bt.Username[:strings.IndexByte(bt.Username, '.')])
		for _, r := range bt.Records {
			if _, dup := seen[r.ID]; dup {
				return fmt.Errorf("demo: record id %s used twice", r.ID)
			}
			seen[r.ID] = loc{i, agency, slices.Contains(r.Marking.Categories, rabta.CatInformant)}
		}
	}
	for i, bt := range ds.Batches {
		agency := seen[bt.Records[0].ID].agency
		for _, r := range bt.Records {
			c := *r
			c.Properties = clone(r.Properties)
			c.Marking.Agencies = slices.Clone(r.Marking.Agencies)
			c.Marking.Categories = slices.Clone(r.Marking.Categories)
			if err := c.Normalize(); err != nil {
				return fmt.Errorf("demo: record %s: %w", r.ID, err)
			}
			sc, _ := schema.Get(r.Schema)
			for _, ref := range sc.EntityRefs(r.Properties) {
				to, ok := seen[ref]
				switch {
				case !ok:
					return fmt.Errorf("demo: record %s refers to missing %s", r.ID, ref)
				case to.batch > i:
					return fmt.Errorf("demo: record %s refers to %s, imported later", r.ID, ref)
				case to.informant && to.agency != agency:
					return fmt.Errorf("demo: record %s refers to another agency's informant record %s", r.ID, ref)
				}
			}
		}
	}
	return nil
}

func clone(p map[string][]string) map[string][]string {
	out := make(map[string][]string, len(p))
	for k, v := range p {
		out[k] = slices.Clone(v)
	}
	return out
}

// builder holds the state of one Build.
type builder struct {
	rng       *rand.Rand
	batches   map[string]*Batch
	seq       map[string]int                      // "agency/schema" → last number used
	truth     map[string]string                   // record id → subject key
	held      map[string]map[string]*rabta.Record // agency → subject key → its record
	phoneRec  map[string]map[string]*rabta.Record // agency → phone number → Phone record
	issued    map[string]bool                     // identifiers handed out, "kind:value"
	people    []*person
	companies int
	examples  []Example
	n1        *smugglers // what the later networks reuse of the first
	n2        *traffickers
	policeFIR map[*victimCase]*rabta.Record // the FIR a victim's father lodged
}

func newBuilder() *builder {
	b := &builder{
		rng:       rand.New(rand.NewPCG(seedHi, seedLo)),
		batches:   map[string]*Batch{},
		seq:       map[string]int{},
		truth:     map[string]string{},
		held:      map[string]map[string]*rabta.Record{},
		phoneRec:  map[string]map[string]*rabta.Record{},
		issued:    map[string]bool{},
		policeFIR: map[*victimCase]*rabta.Record{},
	}
	for _, u := range importOrder {
		b.batches[u] = &Batch{Username: u}
	}
	return b
}

func (b *builder) chance(p float64) bool { return b.rng.Float64() < p }

func pick[T any](b *builder, xs []T) T { return xs[b.rng.IntN(len(xs))] }

func pickStr(b *builder, xs []string) string { return pick(b, xs) }

// some returns k distinct elements of xs in random order (all if k ≥ len).
func some[T any](b *builder, xs []T, k int) []T {
	ys := slices.Clone(xs)
	b.rng.Shuffle(len(ys), func(i, j int) { ys[i], ys[j] = ys[j], ys[i] })
	return ys[:min(k, len(ys))]
}

// issue records an identifier as handed out; false if it already was.
func (b *builder) issue(key string) bool {
	if b.issued[key] {
		return false
	}
	b.issued[key] = true
	return true
}

func (b *builder) nextID(agency, schemaName string) string {
	k := agency + "/" + schemaName
	b.seq[k]++
	return fmt.Sprintf("%s-%s-%04d", strings.ToLower(agency), strings.ToLower(schemaName), b.seq[k])
}

// asOf is the demo's today: nothing it records happened later, and every
// desk's reporting period ends by then.
var asOf = day(2026, 2, 20)

// upTo keeps a drawn date (a referral, an identification) from running past
// the end of January 2026, so a report on it exists in every desk's period.
func upTo(t time.Time) time.Time {
	if last := day(2026, 1, 31); t.After(last) {
		return last
	}
	return t
}

// day is a fixed calendar date; the demo never reads the clock.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func (b *builder) between(from, to time.Time) time.Time {
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, b.rng.IntN(days+1))
}

// at is a time of day on date d, for calls and payments.
func (b *builder) at(d time.Time) string {
	t := d.Add(time.Duration(7*3600+b.rng.IntN(16*3600)) * time.Second)
	return t.Format("2006-01-02T15:04:05")
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

// props is a record's properties under construction.
type props map[string][]string

// add appends the non-empty values.
func (p props) add(key string, vals ...string) props {
	for _, v := range vals {
		if v != "" {
			p[key] = append(p[key], v)
		}
	}
	return p
}

// report is a source report: records from one report share its reference
// and date.
type report struct{ ref, date string }

// desk is one agency's desk working one case: who imports its records, to
// whom it usually releases them, how it grades and what its reports are
// called.
type desk struct {
	b          *builder
	batch      *Batch
	agency     string
	partners   []string // agencies it usually releases to
	grading    string   // partner grading system used for part of its records, or "none"
	partnerPct float64  // share of records graded in that system
	protection bool     // a victim-protection desk
	reports    []report
}

// deskSpec describes a desk. Its reports are numbered prefix/year/number
// and dated within [from, to].
type deskSpec struct {
	user       string
	partners   []string
	prefix     string
	from, to   time.Time
	grading    string
	partnerPct float64
	protection bool
}

func (b *builder) desk(s deskSpec) *desk {
	agency := strings.ToUpper(s.user[:strings.IndexByte(s.user, '.')])
	d := &desk{b: b, batch: b.batches[s.user], agency: agency, partners: s.partners, grading: s.grading,
		partnerPct: s.partnerPct, protection: s.protection}
	// Sixty reports over the period, numbered in date order as registries do.
	// The last report is written on the period's last day, so every
	// record of the period has a report on or after its date.
	dates := []time.Time{s.to}
	for range 59 {
		dates = append(dates, b.between(s.from, s.to))
	}
	slices.SortFunc(dates, func(x, y time.Time) int { return x.Compare(y) })
	n := 40 + b.rng.IntN(300)
	for _, t := range dates {
		n += 1 + b.rng.IntN(9)
		d.reports = append(d.reports, report{fmt.Sprintf("%s/%d/%04d", s.prefix, t.Year(), n), date(t)})
	}
	return d
}

// conditions are handling conditions for records with handling code C.
var conditions = []string{
	"Not to be used in evidence without reference to the originator.",
	"No executive action without the originator's consent.",
	"Do not disclose to the subject's employer or bank.",
	"Sanitise before sharing with foreign partners.",
	"Deconflict with the originator before any approach to the subject.",
}

// marking draws a marking as the desk usually marks: mostly its own or
// released to its partners, some to all agencies, mostly restricted or
// confidential and a few secret.
func (d *desk) marking() rabta.Marking {
	b := d.b
	m := rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Restricted}
	switch r := b.rng.Float64(); {
	case r < 0.33 || len(d.partners) == 0:
	case r < 0.83:
		m.Release, m.Agencies = rabta.ReleaseAgencies, slices.Clone(d.partners)
	default:
		m.Release = rabta.ReleaseAll
	}
	switch r := b.rng.Float64(); {
	case r < 0.47:
	case r < 0.95:
		m.Classification = rabta.Confidential
	default:
		m.Classification = rabta.Secret
	}
	if b.chance(0.12) {
		m.Handling, m.Conditions = "C", pickStr(b, conditions)
	}
	if d.protection {
		// Victim records go to the partners who protect victims, never further.
		m.Release, m.Agencies, m.Classification = rabta.ReleaseAgencies, slices.Clone(d.partners), rabta.Confidential
		m.Categories = []rabta.Category{rabta.CatVictim}
	}
	return m
}

// weighted draws one of vals with the given weights (in percent).
func weighted(b *builder, vals []string, weights []int) string {
	r := b.rng.IntN(100)
	for i, w := range weights {
		if r < w {
			return vals[i]
		}
		r -= w
	}
	return vals[len(vals)-1]
}

// grade draws a grading: 3x5x2 mostly, the desk's partner system for some
// records (kept as the partner sent it), none where the desk does not grade.
func (d *desk) grade(handling string) rabta.Grading {
	b := d.b
	if d.grading == "none" {
		return rabta.Grading{}
	}
	if d.grading != "" && b.chance(d.partnerPct) {
		switch d.grading {
		case "5x5x5":
			return rabta.Grading{System: "5x5x5",
				Source:       weighted(b, []string{"A", "B", "C", "D", "E"}, []int{10, 40, 35, 10, 5}),
				Intelligence: weighted(b, []string{"1", "2", "3", "4", "5"}, []int{10, 40, 35, 10, 5}),
				Handling:     weighted(b, []string{"1", "2", "3", "4", "5"}, []int{55, 15, 15, 10, 5})}
		case "admiralty":
			return rabta.Grading{System: "admiralty",
				Source:       weighted(b, []string{"A", "B", "C", "D", "E", "F"}, []int{8, 42, 32, 10, 3, 5}),
				Intelligence: weighted(b, []string{"1", "2", "3", "4", "5", "6"}, []int{12, 40, 30, 10, 3, 5})}
		}
	}
	return rabta.Grading{System: "3x5x2",
		Source:       weighted(b, []string{"1", "2", "3"}, []int{25, 50, 25}),
		Intelligence: weighted(b, []string{"A", "B", "C", "D", "E"}, []int{12, 38, 33, 12, 5}),
		Handling:     handling}
}

// contentDates are the properties that date what a record reports.
var contentDates = []string{"date", "identifiedDate", "startDate", "openingDate", "incorporationDate"}

// reportOn picks the report a record comes from: one written on or soon
// after the latest date the record mentions, so no report describes what
// had not yet happened.
func (d *desk) reportOn(p props) report {
	latest := ""
	for _, k := range contentDates {
		for _, v := range p[k] {
			if len(v) >= 10 && v[:10] > latest {
				latest = v[:10]
			}
		}
	}
	i, _ := slices.BinarySearchFunc(d.reports, latest, func(r report, t string) int { return strings.Compare(r.date, t) })
	if i >= len(d.reports) {
		return d.reports[len(d.reports)-1]
	}
	if latest == "" {
		return pick(d.b, d.reports)
	}
	// One of the next few reports: records are written up within weeks.
	return d.reports[min(len(d.reports)-1, i+d.b.rng.IntN(4))]
}

// mod adjusts a record after the desk has drawn its defaults.
type mod func(*rabta.Record)

// subject sets the category of data subject and, as Normalize would, the
// special category that goes with it, so links to the record inherit it.
func subject(c rabta.SubjectCategory) mod {
	return func(r *rabta.Record) {
		r.Subject = c
		switch c {
		case rabta.SubjectVictim:
			withCategory(rabta.CatVictim)(r)
		case rabta.SubjectWitness:
			withCategory(rabta.CatWitness)(r)
		}
	}
}

func assessed(r *rabta.Record) { r.Basis = rabta.BasisAssessment }

// marked replaces the drawn marking, keeping the grading's handling code
// in step with it.
func marked(m rabta.Marking) mod {
	return func(r *rabta.Record) {
		r.Marking = m
		if r.Grading.System == "3x5x2" {
			r.Grading.Handling = m.Handling
		}
	}
}

// about marks a record as about p where p is a minor.
func about(p *person) mod {
	return func(r *rabta.Record) {
		if p != nil && p.minor && !slices.Contains(r.Marking.Categories, rabta.CatMinor) {
			r.Marking.Categories = append(r.Marking.Categories, rabta.CatMinor)
		}
	}
}

// informant marks a record as concerning an informant: the holding
// agency's cleared intelligence staff alone know it exists.
func informant(r *rabta.Record) {
	marked(rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "C", Classification: rabta.Secret,
		Conditions: "Source protection: no dissemination; no action without the source handler's approval.",
		Categories: []rabta.Category{rabta.CatInformant}})(r)
}

// add makes a record held by the desk's agency.
func (d *desk) add(schemaName string, p props, mods ...mod) *rabta.Record {
	b := d.b
	m := d.marking()
	rep := d.reportOn(p)
	r := &rabta.Record{
		ID:         b.nextID(d.agency, schemaName),
		Schema:     schemaName,
		Properties: p,
		Marking:    m,
		Grading:    d.grade(m.Handling),
		Provenance: rabta.Provenance{SourceReport: rep.ref, SourceDate: rep.date},
		Basis:      rabta.BasisFact,
	}
	if b.chance(0.4) {
		r.ReviewDate = date(b.between(day(2026, 6, 1), day(2028, 12, 31)))
	}
	for _, f := range mods {
		f(r)
	}
	d.batch.Records = append(d.batch.Records, r)
	return r
}

// link makes a link record between two records of the desk (or records it
// may know of).
func (d *desk) link(schemaName string, from, to *rabta.Record, p props, mods ...mod) *rabta.Record {
	sc, _ := schema.Get(schemaName)
	if p == nil {
		p = props{}
	}
	p.add(sc.Edge.Source, from.ID).add(sc.Edge.Target, to.ID)
	if (schemaName == "Associate" || schemaName == "UnknownLink") && d.b.chance(0.2) {
		mods = append(mods, assessed) // who knows whom is often an analyst's judgement
	}
	// A link says something about both ends, so it is at least as
	// protected as either.
	for _, end := range []*rabta.Record{from, to} {
		for _, c := range end.Marking.Categories {
			if c != rabta.CatInformant {
				mods = append(mods, withCategory(c))
			}
		}
		if slices.Contains(end.Marking.Categories, rabta.CatInformant) {
			mods = append(mods, informant)
		}
	}
	return d.add(schemaName, p, mods...)
}

func withCategory(c rabta.Category) mod {
	return func(r *rabta.Record) {
		if !slices.Contains(r.Marking.Categories, c) {
			r.Marking.Categories = append(r.Marking.Categories, c)
		}
		if c == rabta.CatVictim || c == rabta.CatMinor || c == rabta.CatWitness {
			if r.Marking.Classification == rabta.Restricted {
				r.Marking.Classification = rabta.Confidential
			}
		}
	}
}

// known reports whether the desk's agency holds a record of p.
func (d *desk) known(p *person) bool {
	_, ok := d.b.held[d.agency][p.key]
	return ok
}

// rec returns the desk's agency's record of subject key.
func (d *desk) rec(key string) *rabta.Record {
	r, ok := d.b.held[d.agency][key]
	if !ok {
		panic("demo: " + d.agency + " holds no record of " + key)
	}
	return r
}

func (b *builder) hold(agency, key string, r *rabta.Record) {
	if b.held[agency] == nil {
		b.held[agency] = map[string]*rabta.Record{}
	}
	b.held[agency][key] = r
	b.truth[r.ID] = key
}
