// Package offence is a catalogue of offences under Pakistani law, used to
// tag cases and records with the provisions they concern.
//
// The built-in catalogue (Builtin) is embedded from offences.csv (see SOURCE.md for
// where its headings come from); agencies extend it with files of the same
// shape read by Load and added with Merge.
package offence

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
)

// Offence is one punishable provision of one law.
type Offence struct {
	Code    string `json:"code"`    // stable machine id, e.g. "PPC-302"
	Law     string `json:"law"`     // short title and year, e.g. "Pakistan Penal Code, 1860"
	Section string `json:"section"` // as the statute numbers it, e.g. "365-A", "156(1)(8)"
	Title   string `json:"title"`   // the section's heading
}

// Catalogue is an ordered set of offences keyed by code. Its methods may be
// called concurrently, except Merge, which must not run alongside others.
type Catalogue struct {
	list  []Offence
	index map[string]int // upper-cased code → position in list
}

//go:embed offences.csv
var offencesCSV []byte

var parsed = sync.OnceValue(func() *Catalogue {
	c, err := Load(bytes.NewReader(offencesCSV), "offences.csv")
	if err != nil {
		panic("offence: embedded catalogue is broken: " + err.Error())
	}
	return c
})

// Builtin returns the embedded catalogue. The file is parsed once; each
// call returns a separate copy, so merging extensions into one caller's
// catalogue never changes what another caller sees.
func Builtin() *Catalogue { return parsed().clone() }

var (
	header = []string{"code", "law", "section", "title"}
	codeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*-[0-9A-Za-z-]+$`)
)

// Load reads a catalogue in the shape of offences.csv: a header
// "code,law,section,title" and one offence per record. name labels errors,
// which read like `offences.csv:17: code "x": ...`.
func Load(r io.Reader, name string) (*Catalogue, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted below, to report it our way
	c := &Catalogue{index: map[string]int{}}
	lines := map[string]int{} // upper-cased code → line, for duplicate reports
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			if first {
				return nil, fmt.Errorf("%s: empty file, want header %q", name, strings.Join(header, ","))
			}
			return c, nil
		}
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %w", name, pe.Line, pe.Err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // spreadsheets add a BOM
			}
			if strings.Join(rec, ",") != strings.Join(header, ",") {
				return nil, fmt.Errorf("%s:%d: header is %q, want %q", name, line, strings.Join(rec, ","), strings.Join(header, ","))
			}
			continue
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d (%s)", name, line, len(rec), len(header), strings.Join(header, ","))
		}
		o := Offence{
			Code:    strings.TrimSpace(rec[0]),
			Law:     strings.TrimSpace(rec[1]),
			Section: strings.TrimSpace(rec[2]),
			Title:   strings.TrimSpace(rec[3]),
		}
		if err := o.validate(); err != nil {
			return nil, fmt.Errorf("%s:%d: code %q: %w", name, line, o.Code, err)
		}
		key := strings.ToUpper(o.Code)
		if prev, dup := lines[key]; dup {
			return nil, fmt.Errorf("%s:%d: code %q: duplicate of line %d", name, line, o.Code, prev)
		}
		lines[key] = line
		c.add(o)
	}
}

func (o Offence) validate() error {
	if !codeRE.MatchString(o.Code) {
		return fmt.Errorf("code does not match %s", codeRE)
	}
	for _, f := range []struct{ name, value string }{
		{"law", o.Law}, {"section", o.Section}, {"title", o.Title},
	} {
		if f.value == "" {
			return fmt.Errorf("%s is empty", f.name)
		}
	}
	return nil
}

func (c *Catalogue) add(o Offence) {
	c.index[strings.ToUpper(o.Code)] = len(c.list)
	c.list = append(c.list, o)
}

func (c *Catalogue) clone() *Catalogue {
	n := &Catalogue{list: make([]Offence, 0, len(c.list)), index: make(map[string]int, len(c.list))}
	for _, o := range c.list {
		n.add(o)
	}
	return n
}

// Merge appends other's offences that c lacks, in other's order. An entry
// already present verbatim is skipped; a code already present with any
// other law, section or title is an error naming it, and then c is left
// unchanged: two meanings for one code would mislabel tagged cases.
func (c *Catalogue) Merge(other *Catalogue) error {
	var add []Offence
	for _, o := range other.list {
		i, ok := c.index[strings.ToUpper(o.Code)]
		if !ok {
			add = append(add, o)
			continue
		}
		if have := c.list[i]; have != o {
			return fmt.Errorf("offence: code %q: already in catalogue as %s s.%s %q, not %s s.%s %q",
				o.Code, have.Law, have.Section, have.Title, o.Law, o.Section, o.Title)
		}
	}
	for _, o := range add {
		c.add(o)
	}
	return nil
}

// Get returns the offence with the code, compared case-insensitively.
func (c *Catalogue) Get(code string) (Offence, bool) {
	i, ok := c.index[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Offence{}, false
	}
	return c.list[i], true
}

// All returns the offences in file order (merged ones after).
func (c *Catalogue) All() []Offence {
	return append([]Offence(nil), c.list...)
}

// Laws returns the distinct laws in order of first appearance.
func (c *Catalogue) Laws() []string {
	var laws []string
	seen := map[string]bool{}
	for _, o := range c.list {
		if !seen[o.Law] {
			seen[o.Law] = true
			laws = append(laws, o.Law)
		}
	}
	return laws
}
