package sanctions

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Error is a problem with the input, located as precisely as the reader
// can: the file, the line (0 when it concerns the file as a whole) and the
// element. It prints as "file:line: element: message".
type Error struct {
	File string
	Line int    // 1-based; 0 when the error has no single place
	Elem string // e.g. "INDIVIDUAL" or "INDIVIDUAL_DATE_OF_BIRTH/DATE"; "" if none
	Msg  string
	Err  error // the underlying error (an *xml.SyntaxError, a read error), if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Elem != "" {
		b.WriteString(e.Elem)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ReadFile reads the list in the named file. Errors name the path as given.
func ReadFile(path string) (*List, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a whole list from r; name is the file name used in errors.
// It fails on the first problem: a list is loaded completely or not at all,
// since screening against half a list would report false "no match"es.
func Read(r io.Reader, name string) (*List, error) {
	d := NewDecoder(r, name)
	l := &List{Source: DefaultSource}
	for {
		e, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		l.Entries = append(l.Entries, *e)
	}
	l.Generated = d.Generated()
	return l, nil
}

// Decoder reads the entries of a list one at a time, for callers that
// index or store them as they come instead of holding the whole list.
// It makes the same checks as Read (unique IDs, at least one entry, nothing
// after the root), so a caller must discard what it took from a Decoder
// that ends in an error other than io.EOF.
type Decoder struct {
	name      string
	x         *xml.Decoder
	started   bool
	err       error // sticky: the error or io.EOF that ended decoding
	generated time.Time
	rootLine  int
	depth     int            // element depth below the document; 1 = inside the root
	ids       map[string]int // REFERENCE_NUMBER → line of its entry
}

// NewDecoder returns a Decoder reading from r; name is the file name used in
// errors. The input must be UTF-8, or declare ISO-8859-1 or Windows-1252.
func NewDecoder(r io.Reader, name string) *Decoder {
	x := xml.NewDecoder(r)
	x.CharsetReader = charsetReader
	return &Decoder{name: name, x: x, ids: make(map[string]int)}
}

// Generated is the list's dateGenerated attribute, zero if absent. It is
// known once Next has returned an entry.
func (d *Decoder) Generated() time.Time { return d.generated }

// Next returns the next entry, or io.EOF after the last one. Once it
// returns an error it returns that error again.
func (d *Decoder) Next() (*Entry, error) {
	if d.err != nil {
		return nil, d.err
	}
	e, err := d.next()
	if err != nil {
		d.err = err
	}
	return e, err
}

const rootElem = "CONSOLIDATED_LIST"

func (d *Decoder) next() (*Entry, error) {
	if !d.started {
		if err := d.prolog(); err != nil {
			return nil, err
		}
		d.started = true
	}
	for {
		line := d.line()
		tok, err := d.x.Token()
		if err != nil {
			return nil, d.tokenErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			local := t.Name.Local
			switch {
			case (local == "INDIVIDUAL" || local == "ENTITY") && d.depth <= 2:
				// Entries sit in INDIVIDUALS and ENTITIES, or straight
				// under the root in hand-made national lists.
				n, err := d.tree(local, line)
				if err != nil {
					return nil, err
				}
				e, err := d.entry(n)
				if err != nil {
					return nil, err
				}
				if first, dup := d.ids[e.ID]; dup {
					return nil, d.errAt(line, local, fmt.Sprintf("duplicate REFERENCE_NUMBER %s (also at line %d)", e.ID, first))
				}
				d.ids[e.ID] = line
				return e, nil
			case d.depth == 1:
				d.depth++ // INDIVIDUALS, ENTITIES or a container the UN adds later
			default:
				if err := d.x.Skip(); err != nil {
					return nil, d.tokenErr(err)
				}
			}
		case xml.EndElement:
			d.depth--
			if d.depth == 0 {
				if len(d.ids) == 0 {
					return nil, d.errAt(d.rootLine, rootElem, "no INDIVIDUAL or ENTITY entries")
				}
				if err := d.epilog(); err != nil {
					return nil, err
				}
				return nil, io.EOF
			}
		}
	}
}

// prolog reads up to and including the root element's start tag.
func (d *Decoder) prolog() error {
	text := false
	for {
		line := d.line()
		tok, err := d.x.Token()
		if err == io.EOF {
			if text {
				return &Error{File: d.name, Msg: "not a consolidated list (no XML element)"}
			}
			return &Error{File: d.name, Msg: "empty file"}
		}
		if err != nil {
			return d.tokenErr(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.Trim(t, " \t\r\n\ufeff")) > 0 {
				text = true
			}
		case xml.StartElement:
			if t.Name.Local != rootElem {
				return &Error{File: d.name, Msg: fmt.Sprintf("not a consolidated list (root element is <%s>)", t.Name.Local)}
			}
			d.rootLine = line
			d.depth = 1
			for _, a := range t.Attr {
				if a.Name.Local == "dateGenerated" {
					g, err := parseDateTime(a.Value)
					if err != nil {
						return d.errAt(line, rootElem, fmt.Sprintf("dateGenerated %q is not a date and time", a.Value))
					}
					d.generated = g
				}
			}
			return nil
		}
	}
}

// epilog checks that nothing but comments and space follows the root, so
// that two lists pasted into one file are not half read.
func (d *Decoder) epilog() error {
	for {
		line := d.line()
		tok, err := d.x.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return d.tokenErr(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return d.errAt(line, "", fmt.Sprintf("element <%s> after the end of %s", t.Name.Local, rootElem))
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return d.errAt(line, "", fmt.Sprintf("text after the end of %s", rootElem))
			}
		}
	}
}

// line is the decoder's line: before a Token call, the line on which the
// next token starts (a tag follows the previous token directly).
func (d *Decoder) line() int {
	l, _ := d.x.InputPos()
	return l
}

func (d *Decoder) errAt(line int, elem, msg string) *Error {
	return &Error{File: d.name, Line: line, Elem: elem, Msg: msg}
}

func (d *Decoder) tokenErr(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return &Error{File: d.name, Line: se.Line, Msg: "XML syntax error: " + se.Msg, Err: err}
	}
	if err == io.EOF {
		return &Error{File: d.name, Line: d.line(), Msg: "unexpected end of file", Err: io.ErrUnexpectedEOF}
	}
	return &Error{File: d.name, Line: d.line(), Msg: err.Error(), Err: err}
}

// node is an element of one entry, held only while the entry is converted.
type node struct {
	name string
	line int
	text []byte
	kids []*node
}

// tree reads the element whose start tag was just read into a node tree.
func (d *Decoder) tree(name string, line int) (*node, error) {
	root := &node{name: name, line: line}
	stack := []*node{root}
	for len(stack) > 0 {
		line := d.line()
		tok, err := d.x.Token()
		if err != nil {
			return nil, d.tokenErr(err)
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: t.Name.Local, line: line}
			top.kids = append(top.kids, n)
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(top.kids) == 0 { // text between child elements is layout
				top.text = append(top.text, t...)
			}
		}
	}
	return root, nil
}

// entry converts an INDIVIDUAL or ENTITY.
func (d *Decoder) entry(n *node) (*Entry, error) {
	e := &Entry{Schema: SchemaPerson}
	if n.name == "ENTITY" {
		e.Schema = SchemaOrganization
	}
	var (
		parts      [4]string
		originals  []string
		aliases    []Name
		aliasDates []BirthDate
		aliasPlace []string
		err        error
	)
	for _, k := range n.kids {
		elem := n.name + "/" + k.name
		switch k.name {
		case "DATAID":
			err = d.scalar(&e.DataID, k, elem)
		case "REFERENCE_NUMBER":
			err = d.scalar(&e.ID, k, elem)
		case "VERSIONNUM":
			var v string
			if v = clean(k.text); v != "" {
				if e.Version, err = strconv.Atoi(v); err != nil || e.Version < 0 {
					return nil, d.errAt(k.line, elem, fmt.Sprintf("%q is not a version number", v))
				}
			}
		case "FIRST_NAME":
			err = d.scalar(&parts[0], k, elem)
		case "SECOND_NAME":
			err = d.scalar(&parts[1], k, elem)
		case "THIRD_NAME":
			err = d.scalar(&parts[2], k, elem)
		case "FOURTH_NAME":
			err = d.scalar(&parts[3], k, elem)
		case "NAME_ORIGINAL_SCRIPT":
			if v := clean(k.text); v != "" {
				originals = append(originals, v)
			}
		case "UN_LIST_TYPE":
			err = d.scalar(&e.ListType, k, elem)
		case "LISTED_ON":
			err = d.scalar(&e.ListedOn, k, elem)
		case "GENDER":
			switch strings.ToLower(clean(k.text)) {
			case "male", "m":
				e.Gender = "male"
			case "female", "f":
				e.Gender = "female"
			}
		case "COMMENTS1":
			// The UN hard-wraps comments mid-sentence; the breaks carry
			// no meaning, so they are collapsed like any other space.
			err = d.scalar(&e.Comments, k, elem)
		case "TITLE":
			e.Title = values(e.Title, k)
		case "DESIGNATION":
			e.Designation = values(e.Designation, k)
		case "NATIONALITY":
			e.Nationalities = values(e.Nationalities, k)
		case "LAST_DAY_UPDATED":
			e.Updated = values(e.Updated, k)
		case "INDIVIDUAL_ALIAS", "ENTITY_ALIAS":
			a := alias(k)
			if a.Value != "" {
				aliases = append(aliases, a)
			}
			// Birth details given for one alias (often a false identity)
			// are still the person's: screening should find them.
			if v := sub(k, "DATE_OF_BIRTH"); v != "" {
				bd := BirthDate{Type: DateExact, Note: "alias"}
				if a.Value != "" {
					bd.Note = "alias " + a.Value
				}
				if bd.Date, bd.Year, err = parseDate(v); err != nil {
					return nil, d.errAt(child(k, "DATE_OF_BIRTH").line, k.name+"/DATE_OF_BIRTH", err.Error())
				}
				aliasDates = append(aliasDates, bd)
			}
			if p := joinParts(sub(k, "CITY_OF_BIRTH"), sub(k, "COUNTRY_OF_BIRTH")); p != "" {
				aliasPlace = append(aliasPlace, p)
			}
		case "INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS":
			if a := place(k, "STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"); a != "" {
				e.Addresses = appendNew(e.Addresses, a)
			}
		case "INDIVIDUAL_PLACE_OF_BIRTH":
			if p := place(k, "STREET", "CITY", "STATE_PROVINCE", "COUNTRY"); p != "" {
				e.BirthPlaces = appendNew(e.BirthPlaces, p)
			}
		case "INDIVIDUAL_DATE_OF_BIRTH":
			bd, ok, err := d.birthDate(k)
			if err != nil {
				return nil, err
			}
			if ok {
				e.BirthDates = appendDate(e.BirthDates, bd)
			}
		case "INDIVIDUAL_DOCUMENT":
			if doc, ok := document(k); ok {
				e.Documents = append(e.Documents, doc)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	for _, bd := range aliasDates {
		e.BirthDates = appendDate(e.BirthDates, bd)
	}
	for _, p := range aliasPlace {
		e.BirthPlaces = appendNew(e.BirthPlaces, p)
	}

	dataID := "no DATAID"
	if e.DataID != "" {
		dataID = "DATAID " + e.DataID
	}
	if e.ID == "" {
		return nil, d.errAt(n.line, n.name, fmt.Sprintf("missing REFERENCE_NUMBER (%s)", dataID))
	}

	e.Name = joinWords(parts[:])
	names := nameSet{}
	names.add(Name{Value: e.Name, Kind: KindPrimary})
	for _, o := range originals {
		names.add(Name{Value: o, Kind: KindOriginal})
	}
	for _, a := range aliases {
		names.add(a)
	}
	e.Names = names.list
	if len(e.Names) == 0 {
		return nil, d.errAt(n.line, n.name, fmt.Sprintf("%s has no name (%s)", e.ID, dataID))
	}
	if e.Name == "" {
		e.Name = e.Names[0].Value
	}
	return e, nil
}

// scalar sets *dst from a single-valued element. A second, different value
// for the same field is an error rather than a silent choice.
func (d *Decoder) scalar(dst *string, n *node, elem string) error {
	v := clean(n.text)
	if v == "" || v == *dst {
		return nil
	}
	if *dst != "" {
		return d.errAt(n.line, elem, fmt.Sprintf("given twice (%q and %q)", *dst, v))
	}
	*dst = v
	return nil
}

// birthDate converts an INDIVIDUAL_DATE_OF_BIRTH; ok is false when it is
// empty (the UN writes <TYPE_OF_DATE/> alone for "unknown").
func (d *Decoder) birthDate(n *node) (bd BirthDate, ok bool, err error) {
	for _, k := range n.kids {
		v := clean(k.text)
		if v == "" {
			continue
		}
		elem := n.name + "/" + k.name
		switch k.name {
		case "TYPE_OF_DATE":
			bd.Type = dateType(v)
		case "DATE":
			var y int
			if bd.Date, y, err = parseDate(v); err != nil {
				return bd, false, d.errAt(k.line, elem, err.Error())
			}
			if bd.Year == 0 {
				bd.Year = y
			}
		case "YEAR", "FROM_YEAR", "TO_YEAR":
			y, err := parseYear(v)
			if err != nil {
				return bd, false, d.errAt(k.line, elem, err.Error())
			}
			switch k.name {
			case "YEAR":
				bd.Year = y
			case "FROM_YEAR":
				bd.From = y
			case "TO_YEAR":
				bd.To = y
			}
		case "NOTE":
			bd.Note = joinNote(bd.Note, v)
		}
	}
	if bd.Date == "" && bd.Year == 0 && bd.From == 0 && bd.To == 0 && bd.Note == "" {
		return bd, false, nil
	}
	if bd.Type == "" {
		bd.Type = DateExact
		if bd.From != 0 || bd.To != 0 {
			bd.Type = DateBetween
		}
	}
	return bd, true, nil
}

func dateType(v string) string {
	switch t := strings.ToLower(v); t {
	case "approximately", "approximate", "approx", "approx.", "about", "circa", "ca.":
		return DateApproximately
	default:
		return t // "exact", "between", or a type the UN adds later
	}
}

// parseDate accepts YYYY-MM-DD (with an optional time or zone after it, as
// xs:date allows), YYYY-MM and YYYY. It returns the full date, if given,
// and the year.
func parseDate(v string) (date string, year int, err error) {
	bad := fmt.Errorf("%q is not a date (YYYY-MM-DD)", v)
	switch {
	case len(v) == 4:
		y, err := parseYear(v)
		if err != nil {
			return "", 0, bad
		}
		return "", y, nil
	case len(v) == 7:
		t, err := time.Parse("2006-01", v)
		if err != nil {
			return "", 0, bad
		}
		return "", t.Year(), nil
	case len(v) >= 10:
		if len(v) > 10 && !strings.ContainsRune("TZ+- ", rune(v[10])) {
			return "", 0, bad
		}
		t, err := time.Parse(time.DateOnly, v[:10])
		if err != nil {
			return "", 0, bad
		}
		return v[:10], t.Year(), nil
	}
	return "", 0, bad
}

func parseYear(v string) (int, error) {
	y, err := strconv.Atoi(v)
	if err != nil || y < 1 || y > 9999 || len(v) > 4 {
		return 0, fmt.Errorf("%q is not a year", v)
	}
	return y, nil
}

// parseDateTime reads dateGenerated: an xs:dateTime, with or without zone
// (UTC assumed), or a bare date.
func parseDateTime(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	var err error
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", time.DateOnly} {
		var t time.Time
		if t, err = time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// qualityPunct strips what varies between spellings of a QUALITY
// ("a.k.a.", "A.K.A", "aka", "f.k.a.").
var qualityPunct = strings.NewReplacer(".", "", " ", "", "-", "")

// alias converts an INDIVIDUAL_ALIAS or ENTITY_ALIAS; Value is "" for the
// empty <ALIAS_NAME/> the UN writes when there is none.
func alias(n *node) Name {
	a := Name{Value: sub(n, "ALIAS_NAME"), Kind: KindAlias, Note: sub(n, "NOTE")}
	q := strings.ToLower(sub(n, "QUALITY"))
	switch qualityPunct.Replace(q) {
	case "":
	case "good", "goodquality", "goodqualityaka":
		a.Quality = QualityGood
	case "low", "lowquality", "lowqualityaka":
		a.Quality = QualityLow
	case "aka": // entities: an ungraded alias
	case "fka", "formerlyknownas":
		a.Kind = KindFormer
	default:
		a.Quality = q // a grade the UN adds later, kept rather than guessed
	}
	return a
}

func document(n *node) (Document, bool) {
	doc := Document{
		Type:      sub(n, "TYPE_OF_DOCUMENT"),
		Subtype:   sub(n, "TYPE_OF_DOCUMENT2"),
		Number:    sub(n, "NUMBER"),
		Country:   sub(n, "ISSUING_COUNTRY"),
		IssueDate: sub(n, "DATE_OF_ISSUE"),
		Note:      sub(n, "NOTE"),
	}
	issuedIn := sub(n, "COUNTRY_OF_ISSUE")
	if doc.Country == "" {
		doc.Country = issuedIn
	}
	doc.IssuePlace = joinParts(sub(n, "CITY_OF_ISSUE"), issuedIn)
	return doc, doc != Document{}
}

// place joins the named parts of an address or place of birth, skipping
// empty parts and a part repeating the one before it (the UN sometimes puts
// the same words in STREET and CITY). A place with no parts but a note
// ("possibly Sabratha, Talil neighbourhood") is the note; otherwise the
// note ("as of June 2016") is dropped.
func place(n *node, fields ...string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = sub(n, f)
	}
	if p := joinParts(parts...); p != "" {
		return p
	}
	return sub(n, "NOTE")
}

func joinParts(parts ...string) string {
	var b strings.Builder
	prev := ""
	for _, p := range parts {
		if p == "" || strings.EqualFold(p, prev) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p)
		prev = p
	}
	return b.String()
}

func joinWords(parts []string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return b.String()
}

func joinNote(a, b string) string {
	switch {
	case b == "" || strings.Contains(a, b):
		return a
	case a == "":
		return b
	}
	return a + "; " + b
}

// child returns the first child element of n with the given name.
func child(n *node, name string) *node {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// sub returns the cleaned text of n's child elements with the given name,
// joined by "; " in the rare case there are several.
func sub(n *node, name string) string {
	out := ""
	for _, k := range n.kids {
		if k.name != name {
			continue
		}
		switch v := clean(k.text); {
		case v == "" || v == out:
		case out == "":
			out = v
		default:
			out += "; " + v
		}
	}
	return out
}

// values appends the distinct non-empty VALUEs of a multi-valued element.
func values(dst []string, n *node) []string {
	for _, k := range n.kids {
		if v := clean(k.text); v != "" {
			dst = appendNew(dst, v)
		}
	}
	return dst
}

func appendNew(dst []string, v string) []string {
	for _, s := range dst {
		if s == v {
			return dst
		}
	}
	return append(dst, v)
}

// appendDate appends bd unless a date with the same values but for the note
// is already there.
func appendDate(dst []BirthDate, bd BirthDate) []BirthDate {
	for _, o := range dst {
		if o.Type == bd.Type && o.Date == bd.Date && o.Year == bd.Year && o.From == bd.From && o.To == bd.To {
			return dst
		}
	}
	return append(dst, bd)
}

// nameSet collects an entry's names, dropping repeats that differ only in
// case: the first keeps its kind, takes the better alias quality, and
// gathers the notes.
type nameSet struct {
	list []Name
	seen map[string]int
}

func (s *nameSet) add(n Name) {
	if n.Value == "" {
		return
	}
	if s.seen == nil {
		s.seen = make(map[string]int)
	}
	key := strings.ToLower(n.Value)
	i, dup := s.seen[key]
	if !dup {
		s.seen[key] = len(s.list)
		s.list = append(s.list, n)
		return
	}
	o := &s.list[i]
	if o.Kind == KindAlias && o.Quality == QualityLow && n.Kind == KindAlias && n.Quality != QualityLow {
		o.Quality = n.Quality
	}
	o.Note = joinNote(o.Note, n.Note)
}

// clean trims space and collapses runs of it (line breaks the UN leaves
// inside names included) to one ASCII space.
func clean(b []byte) string {
	lastSpace := true // so leading space counts as a run
	for _, c := range b {
		switch {
		case c >= utf8.RuneSelf:
			return strings.Join(strings.Fields(string(b)), " ")
		case c == ' ':
			if lastSpace {
				return strings.Join(strings.Fields(string(b)), " ")
			}
			lastSpace = true
		case c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			return strings.Join(strings.Fields(string(b)), " ")
		default:
			lastSpace = false
		}
	}
	if lastSpace && len(b) > 0 {
		return strings.TrimRight(string(b), " ")
	}
	return string(b)
}
