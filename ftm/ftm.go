// Package ftm reads and writes records as FollowTheMoney entities, one JSON
// object per line, the format Aleph, OpenSanctions and the ftm tools use.
// Rabta's own fields (marking, grading, provenance, data-subject category,
// basis, review date) ride along as extra keys that FtM tools ignore.
package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/rabta/rabta"
)

// Properties are a record's property values as JSON carries them: an
// object of lists of strings. Decoding names the property at fault
// (properties.name), which encoding/json alone does not.
type Properties map[string][]string

// UnmarshalJSON decodes the object property by property.
func (p *Properties) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return &FieldError{Path: "properties", Message: "expected an object of property lists"}
	}
	out := make(Properties, len(raw))
	for name, v := range raw {
		var vals []string
		if err := json.Unmarshal(v, &vals); err != nil {
			return &FieldError{Path: "properties." + name, Message: "expected a list of strings, e.g. [\"value\"]"}
		}
		out[name] = vals
	}
	*p = out
	return nil
}

// FieldError is a decoding error at a JSON path.
type FieldError struct{ Path, Message string }

func (e *FieldError) Error() string { return e.Path + ": " + e.Message }

// Entity is the JSON shape of one line.
type Entity struct {
	ID         string            `json:"id"`
	Schema     string            `json:"schema"`
	Properties Properties        `json:"properties"`
	Caption    string            `json:"caption,omitempty"`
	Agency     string            `json:"agency,omitempty"`
	Marking    *rabta.Marking    `json:"marking,omitempty"`
	Grading    *rabta.Grading    `json:"grading,omitempty"`
	Provenance *rabta.Provenance `json:"provenance,omitempty"`
	Subject    string            `json:"subject_category,omitempty"`
	Basis      string            `json:"basis,omitempty"`
	ReviewDate string            `json:"review_date,omitempty"`
}

// Defaults fill what a line does not say: the marking and grading an import
// applies to records that carry none.
type Defaults struct {
	Marking rabta.Marking
	Grading rabta.Grading
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)

// Reader reads entities line by line, counting lines for error messages.
type Reader struct {
	name     string
	sc       *bufio.Scanner
	line     int
	defaults Defaults
}

// NewReader reads from r; name (a file name) prefixes every error.
func NewReader(r io.Reader, name string, d Defaults) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 16<<20) // one entity may be large, but not unbounded
	return &Reader{name: name, sc: sc, defaults: d}
}

// Line returns the number of the line last read.
func (r *Reader) Line() int { return r.line }

// Errorf returns an error naming the file and the current line.
func (r *Reader) Errorf(format string, args ...any) error {
	return rabta.Errorf(rabta.EInvalid, "%s:%d: %s", r.name, r.line, fmt.Sprintf(format, args...))
}

// Next returns the next record, or io.EOF at the end. Blank lines are
// skipped. The record is not yet validated against its schema: the store
// does that, and its error is wrapped with the file and line by the caller.
func (r *Reader) Next() (*rabta.Record, error) {
	for r.sc.Scan() {
		r.line++
		b := bytes.TrimSpace(r.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var e Entity
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, r.Errorf("%s", DescribeJSONError(err))
		}
		if e.ID == "" {
			return nil, r.Errorf("id: missing")
		}
		if !idPattern.MatchString(e.ID) {
			return nil, r.Errorf("id: %q must be 1–128 letters, digits, dots, colons, dashes or underscores", e.ID)
		}
		if e.Schema == "" {
			return nil, r.Errorf("schema: missing")
		}
		rec := &rabta.Record{ID: e.ID, Schema: e.Schema, Properties: e.Properties, ReviewDate: e.ReviewDate,
			Subject: rabta.SubjectCategory(e.Subject), Basis: rabta.Basis(e.Basis)}
		rec.Marking = cloneMarking(r.defaults.Marking)
		if e.Marking != nil {
			rec.Marking = *e.Marking
		}
		rec.Grading = r.defaults.Grading
		if e.Grading != nil {
			rec.Grading = *e.Grading
		}
		if e.Provenance != nil {
			rec.Provenance = *e.Provenance
		}
		return rec, nil
	}
	if err := r.sc.Err(); err != nil {
		return nil, rabta.Errorf(rabta.EInvalid, "%s:%d: %v", r.name, r.line+1, err)
	}
	return nil, io.EOF
}

func cloneMarking(m rabta.Marking) rabta.Marking {
	m.Agencies = append([]string(nil), m.Agencies...)
	m.Categories = append([]rabta.Category(nil), m.Categories...)
	return m
}

// DescribeJSONError turns a decoding error into a message that says where
// and what: the character offset of a syntax error, the field of a type
// error.
func DescribeJSONError(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var fe *FieldError
	switch {
	case errors.As(err, &fe):
		return fe.Error()
	case errors.As(err, &te) && te.Field == "":
		return "expected a JSON object, got JSON " + te.Value
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at character %d: %v", se.Offset, se)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed JSON: it ends in the middle of a value"
	case errors.As(err, &te):
		return fmt.Sprintf("%s: expected %s, got JSON %s", te.Field, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "JSON: " + err.Error()
}

// Encode writes one record as an FtM entity line.
func Encode(w io.Writer, r *rabta.Record) error {
	m, g, p := r.Marking, r.Grading, r.Provenance
	b, err := json.Marshal(Entity{ID: r.ID, Schema: r.Schema, Properties: r.Properties, Caption: r.Caption, Agency: r.Agency,
		Marking: &m, Grading: &g, Provenance: &p, Subject: string(r.Subject), Basis: string(r.Basis), ReviewDate: r.ReviewDate})
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}
