// Package cdr reads call detail records — the CSV exports telecom operators
// give investigators for a subscriber's number — and runs the analyses
// analysts ask of them: who calls whom, how often and for how long; which
// numbers two or more subjects have in common; and when the calls happen.
//
// A row names the subscriber's number (the A-number), the other party (the
// B-number), when the call started, how long it lasted, and usually its
// direction as seen from the subscriber, the serving cell and the handset's
// IMEI. Numbers become E.164 (Pakistani numbers may be written 03…, 92… or
// +92…); times without a zone are read in Pakistan Standard Time (UTC+5,
// which has no daylight saving) unless told otherwise.
package cdr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/schema"
	"github.com/rabta/rabta/tabular"
)

// Fields a CDR column can be mapped to.
const (
	FieldA         = "a_number"  // the subscriber whose record it is
	FieldB         = "b_number"  // the other party
	FieldStart     = "start"     // date and time in one column
	FieldDate      = "date"      // date alone (with FieldTime)
	FieldTime      = "time"      // time of day alone (with FieldDate)
	FieldDuration  = "duration"  // seconds, or H:MM:SS / M:SS
	FieldDirection = "direction" // incoming / outgoing (as seen from the A-number)
	FieldType      = "type"      // voice, sms, data; often also carries the direction ("SMS-In")
	FieldCell      = "cell_id"
	FieldIMEI      = "imei"
	FieldIMSI      = "imsi"
)

// Fields lists every field, for help texts and errors.
var Fields = []string{FieldA, FieldB, FieldStart, FieldDate, FieldTime, FieldDuration, FieldDirection, FieldType, FieldCell, FieldIMEI, FieldIMSI}

// headerNames are the column names operators and agencies' tools use for
// each field, compared without case, spaces, dashes, dots or underscores.
var headerNames = map[string][]string{
	FieldA:         {"anumber", "aparty", "aparty number", "a", "msisdn", "subscriber", "targetnumber", "target", "callingnumber", "calling", "caller", "originating", "from", "source"},
	FieldB:         {"bnumber", "bparty", "b", "othernumber", "otherparty", "callednumber", "called", "receiver", "terminating", "to", "destination", "contact"},
	FieldStart:     {"start", "starttime", "startdatetime", "datetime", "calldatetime", "timestamp", "calltime", "callstart", "eventtime"},
	FieldDate:      {"date", "calldate", "startdate"},
	FieldTime:      {"time", "starttimeofday"},
	FieldDuration:  {"duration", "dur", "durationsec", "durationseconds", "seconds", "callduration", "durationsecs"},
	FieldDirection: {"direction", "calldirection", "inout", "io"},
	FieldType:      {"type", "calltype", "service", "eventtype", "usagetype", "recordtype"},
	FieldCell:      {"cellid", "cell", "cgi", "ecgi", "site", "siteid", "lacci", "firstcellid", "cellidstart"},
	FieldIMEI:      {"imei", "handset", "imeinumber"},
	FieldIMSI:      {"imsi", "imsinumber"},
}

// Call is one row of a CDR, normalised: Caller called (or texted)
// Receiver.
type Call struct {
	Line      int       // line in the file
	Caller    string    // E.164
	Receiver  string    // E.164
	Subject   string    // the A-number, E.164: whose record it is
	Start     time.Time // UTC
	Duration  int       // seconds
	Direction string    // "outgoing" or "incoming" from the subject's side; "" if not recorded
	Type      string    // "voice", "sms", "data" or "" if not recorded
	CellID    string
	IMEI      string // normal form (ident)
	IMSI      string
}

// Other is the party that is not the subject.
func (c Call) Other() string {
	if c.Caller == c.Subject {
		return c.Receiver
	}
	return c.Caller
}

// Options control reading.
type Options struct {
	// Map gives columns' fields (COLUMN → field), overriding the
	// recognised header names.
	Map map[string]string
	// Location is the zone of times written without one; nil = PKT.
	Location *time.Location
}

// PKT is Pakistan Standard Time.
var PKT = rabta.PKT

// Reader reads calls from a CSV (comma, semicolon, tab or pipe separated)
// with a header row.
type Reader struct {
	name    string
	cr      *csv.Reader
	col     map[string]int // field → column
	ncols   int
	loc     *time.Location
	skipped []string
	nskip   int
}

// MaxWarnings is how many skipped rows a Reader lists; the rest are
// counted.
const MaxWarnings = 20

// NewReader reads the header and works out which column holds what. name
// is used in errors ("calls.csv:17: …").
func NewReader(r io.Reader, name string, opt Options) (*Reader, error) {
	cr, err := tabular.NewCSV(r, name)
	if err != nil {
		return nil, err
	}
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s:1: %v", name, err)
	}
	rd := &Reader{name: name, cr: cr, col: map[string]int{}, ncols: len(header), loc: opt.Location}
	if rd.loc == nil {
		rd.loc = PKT
	}
	mapped := map[string]string{}
	for col, field := range opt.Map {
		if !validField(field) {
			return nil, fmt.Errorf("--map %s=%s: unknown field %q (want one of %s)", col, field, field, strings.Join(Fields, ", "))
		}
		mapped[fold(col)] = field
	}
	for i, h := range header {
		f, ok := mapped[fold(h)]
		if !ok {
			f = recognise(h)
		}
		if f == "" {
			continue
		}
		if _, dup := rd.col[f]; dup {
			if _, explicit := mapped[fold(h)]; !explicit {
				continue // the first column of a kind wins unless mapped
			}
		}
		rd.col[f] = i
	}
	for col := range opt.Map {
		found := false
		for _, h := range header {
			if fold(h) == fold(col) {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("%s:1: --map names column %q, which is not in the header (columns: %s)", name, col, strings.Join(header, ", "))
		}
	}
	var missing []string
	for _, f := range []string{FieldA, FieldB} {
		if _, ok := rd.col[f]; !ok {
			missing = append(missing, f)
		}
	}
	_, start := rd.col[FieldStart]
	_, date := rd.col[FieldDate]
	if !start && !date {
		missing = append(missing, FieldStart+" (or "+FieldDate+" and "+FieldTime+")")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s:1: no column for %s (columns: %s; map them with --map COLUMN=FIELD)", name, strings.Join(missing, ", "), strings.Join(header, ", "))
	}
	return rd, nil
}

func validField(f string) bool {
	for _, x := range Fields {
		if x == f {
			return true
		}
	}
	return false
}

// fold reduces a header to letters and digits in lower case.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func recognise(h string) string {
	k := fold(h)
	for f, names := range headerNames {
		for _, n := range names {
			if fold(n) == k {
				return f
			}
		}
	}
	return ""
}

// Skipped lists rows that were not calls between two phone numbers
// (service short codes, alphanumeric senders, data sessions without a
// party), at most MaxWarnings of them, and how many there were in all.
func (r *Reader) Skipped() ([]string, int) { return r.skipped, r.nskip }

func (r *Reader) skip(line int, format string, args ...any) {
	r.nskip++
	if len(r.skipped) < MaxWarnings {
		r.skipped = append(r.skipped, fmt.Sprintf("%s:%d: ", r.name, line)+fmt.Sprintf(format, args...))
	}
}

// Next returns the next call, or io.EOF. A row that cannot be read (a bad
// date or duration, a wrong number of fields) is an error naming the line
// and column; a row whose party is not a phone number is skipped and
// reported by Skipped.
func (r *Reader) Next() (Call, error) {
	for {
		rec, err := r.cr.Read()
		if err == io.EOF {
			return Call{}, io.EOF
		}
		if err != nil {
			return Call{}, tabular.ParseError(r.name, err)
		}
		line, _ := r.cr.FieldPos(0) // only valid after a successful read
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != r.ncols {
			return Call{}, fmt.Errorf("%s:%d: %d fields, the header has %d", r.name, line, len(rec), r.ncols)
		}
		c, ok, err := r.row(rec, line)
		if err != nil {
			return Call{}, err
		}
		if ok {
			return c, nil
		}
	}
}

func (r *Reader) get(rec []string, field string) string {
	if i, ok := r.col[field]; ok {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func (r *Reader) row(rec []string, line int) (Call, bool, error) {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s: %s", r.name, line, field, fmt.Sprintf(format, args...))
	}
	c := Call{Line: line}
	typ := strings.ToLower(r.get(rec, FieldType))
	switch {
	case strings.Contains(typ, "sms") || strings.Contains(typ, "text") || strings.Contains(typ, "msg"):
		c.Type = "sms"
	case strings.Contains(typ, "data") || strings.Contains(typ, "gprs") || strings.Contains(typ, "internet"):
		c.Type = "data"
	case strings.Contains(typ, "voice") || strings.Contains(typ, "call") || hasWord(typ, "moc", "mtc"):
		c.Type = "voice"
	}
	dir := strings.ToLower(r.get(rec, FieldDirection))
	if dir == "" {
		dir = typ // "SMS-In", "Incoming call"
	}
	switch {
	case hasWord(dir, "in", "incoming", "mt", "terminating", "terminated", "received", "rcvd", "inbound", "mtc", "mtsms", "smsmt"):
		c.Direction = "incoming"
	case hasWord(dir, "out", "outgoing", "mo", "originating", "originated", "dialled", "dialed", "sent", "outbound", "moc", "mosms", "smsmo"):
		c.Direction = "outgoing"
	case r.get(rec, FieldDirection) != "":
		return c, false, bad(FieldDirection, "%q is neither incoming nor outgoing", r.get(rec, FieldDirection))
	}
	a, b := r.get(rec, FieldA), r.get(rec, FieldB)
	if a == "" {
		return c, false, bad(FieldA, "the subscriber's number is empty")
	}
	an, err := ident.Normalize(ident.Phone, a)
	if err != nil {
		return c, false, bad(FieldA, "%v", err)
	}
	if b == "" {
		r.skip(line, "no other party (%s)", orDash(typ))
		return c, false, nil
	}
	bn, err := ident.Normalize(ident.Phone, b)
	if err != nil {
		r.skip(line, "other party %q is not a phone number (a service code or sender name); skipped", b)
		return c, false, nil
	}
	if an == bn {
		r.skip(line, "a call from %s to itself (voicemail?); skipped", an)
		return c, false, nil
	}
	c.Subject = an
	c.Caller, c.Receiver = an, bn
	if c.Direction == "incoming" {
		c.Caller, c.Receiver = bn, an
	}
	if c.Start, err = r.start(rec); err != nil {
		return c, false, bad(r.startField(), "%v", err)
	}
	if d := r.get(rec, FieldDuration); d != "" {
		if c.Duration, err = parseDuration(d); err != nil {
			return c, false, bad(FieldDuration, "%v", err)
		}
	}
	for _, f := range []struct {
		field string
		to    *string
	}{{FieldCell, &c.CellID}, {FieldIMSI, &c.IMSI}} {
		if v := r.get(rec, f.field); v != "" {
			if *f.to, err = schema.NormalizeValue(schema.TypeString, v); err != nil {
				return c, false, bad(f.field, "%v", err)
			}
		}
	}
	if v := r.get(rec, FieldIMEI); v != "" {
		// A handset id the network garbled is noted, not fatal: the call
		// still happened.
		if n, err := ident.Normalize(ident.IMEI, v); err == nil {
			c.IMEI = n
		} else {
			r.skip(line, "IMEI %q is not valid and was left out (the call is kept)", v)
			r.nskip-- // the row itself was not skipped
		}
	}
	return c, true, nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// hasWord reports whether s, split at anything but letters, has one of
// the words.
func hasWord(s string, words ...string) bool {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		for _, w := range words {
			if f == w {
				return true
			}
		}
	}
	return false
}

func (r *Reader) startField() string {
	if _, ok := r.col[FieldStart]; ok {
		return FieldStart
	}
	return FieldDate
}

func (r *Reader) start(rec []string) (time.Time, error) {
	s := r.get(rec, FieldStart)
	if s == "" {
		s = strings.TrimSpace(r.get(rec, FieldDate) + " " + r.get(rec, FieldTime))
	}
	if s == "" {
		return time.Time{}, errors.New("the start time is empty")
	}
	return ParseTime(s, r.loc)
}

// timeLayouts are the layouts operators' exports use. Day-first numeric
// dates are read day first, as Pakistani operators write them; ISO dates
// are year first.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"02/01/2006 15:04:05",
	"02/01/2006 15:04",
	"02-01-2006 15:04:05",
	"02-01-2006 15:04",
	"02.01.2006 15:04:05",
	"02-Jan-2006 15:04:05",
	"02-Jan-2006 15:04",
	"02-Jan-06 15:04:05",
	"02 Jan 2006 15:04:05",
	"2-Jan-2006 3:04:05 PM",
	"02/01/2006 3:04:05 PM",
	"02/01/2006 03:04:05 PM",
	"2006-01-02 3:04:05 PM",
	"20060102150405",
	"2006-01-02",
	"02/01/2006",
}

// ParseTime reads a date and time in the layouts CDR exports use; times
// without a zone are in loc. It returns UTC. Years before 1990 (before
// mobile networks kept such records) or after 2100 are refused as misread.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	// Single-digit days and months ("1/3/2024 9:05:00") last.
	for _, l := range append(timeLayouts, "2/1/2006 15:04:05", "2/1/2006 15:04") {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			if y := t.Year(); y < 1990 || y > 2100 {
				return time.Time{}, fmt.Errorf("%q: year %d is out of range", s, y)
			}
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time this reader knows (e.g. 2024-03-01 14:22:05 or 01/03/2024 14:22:05, day first)", s)
}

// parseDuration reads seconds ("95", "95.0") or H:MM:SS / M:SS.
func parseDuration(s string) (int, error) {
	if strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if len(parts) > 3 {
			return 0, fmt.Errorf("%q is not a duration (seconds, M:SS or H:MM:SS)", s)
		}
		total := 0
		for _, p := range parts {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("%q is not a duration (seconds, M:SS or H:MM:SS)", s)
			}
			total = total*60 + n
		}
		return total, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 7*24*3600 {
		return 0, fmt.Errorf("%q is not a duration in seconds", s)
	}
	return int(f + 0.5), nil
}

// ParseMap reads COLUMN=FIELD arguments.
func ParseMap(args []string) (map[string]string, error) {
	out := map[string]string{}
	for _, arg := range args {
		col, field, ok := strings.Cut(arg, "=")
		col, field = strings.TrimSpace(col), strings.TrimSpace(field)
		if !ok || col == "" || field == "" {
			return nil, fmt.Errorf("--map %q: want COLUMN=FIELD", arg)
		}
		if !validField(field) {
			return nil, fmt.Errorf("--map %q: unknown field %q (want one of %s)", arg, field, strings.Join(Fields, ", "))
		}
		out[col] = field
	}
	return out, nil
}

// sortCalls orders calls by start, then by line.
func sortCalls(cs []Call) {
	sort.SliceStable(cs, func(i, j int) bool {
		if !cs[i].Start.Equal(cs[j].Start) {
			return cs[i].Start.Before(cs[j].Start)
		}
		return cs[i].Line < cs[j].Line
	})
}
