package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Property is one property of a schema, resolved through inheritance.
type Property struct {
	Name        string
	Label       string
	Description string
	Type        Type
	// Range is the schema an entity-typed value must point to (or a
	// descendant of it). Empty for other types.
	Range string
	// Schema is the schema that defines the property, which may be an
	// ancestor of the schema it was looked up on.
	Schema string
	// Extension is true where Rabta adds the property and FtM has none.
	Extension bool
}

// Edge names the two entity properties whose values a link connects.
type Edge struct {
	Source, Target string
	Label          string // e.g. "owns"
	Directed       bool   // false for symmetric links like Family
}

// Schema describes one kind of record. Schemata are shared and must be
// treated as read-only.
type Schema struct {
	Name, Label, Plural string
	Description         string
	Extends             []string
	Abstract            bool
	// Extension is true for schemata Rabta adds and FtM has none of.
	Extension bool
	Edge      *Edge
	// CaptionProperties lists the properties whose first value names a
	// record, in order of preference; see the Caption method. (FtM calls it
	// caption, but Go cannot have a field and a method of one name.)
	CaptionProperties []string
	// Required lists properties that must have at least one value,
	// including those required by ancestors.
	Required []string

	props     []*Property // resolved, inherited first
	byName    map[string]*Property
	ancestors map[string]bool // including the schema itself
}

// Limits on property values. Text (descriptions, notes) may be long; every
// other type holds a short value.
const (
	MaxValues      = 256
	MaxValueLen    = 4096
	MaxTextLen     = 65536
	MaxEntityIDLen = 128
)

//go:embed schemata.json
var schemataJSON []byte

// model is everything parsed from schemata.json.
type model struct {
	schemata  map[string]*Schema
	sorted    []*Schema
	countries map[string]bool
	topics    map[string]bool
}

var loaded = mustLoad(schemataJSON)

func mustLoad(data []byte) *model {
	m, err := load(data)
	if err != nil {
		// Only a broken embedded file gets here, so fail at start-up.
		panic("schema: schemata.json: " + err.Error())
	}
	return m
}

// Get returns the named schema.
func Get(name string) (*Schema, bool) {
	s, ok := loaded.schemata[name]
	return s, ok
}

// All returns every schema, abstract ones included, sorted by name.
func All() []*Schema {
	return slices.Clone(loaded.sorted)
}

// Property returns the named property, own or inherited.
func (s *Schema) Property(name string) (*Property, bool) {
	p, ok := s.byName[name]
	return p, ok
}

// Properties returns all properties, those of the root ancestors first and
// each schema's own in the order the data file lists them.
func (s *Schema) Properties() []*Property {
	return slices.Clone(s.props)
}

// IsA reports whether s is the named schema or inherits from it.
func (s *Schema) IsA(name string) bool {
	return s.ancestors[name]
}

// IsEdge reports whether records of s are links between two other records.
func (s *Schema) IsEdge() bool {
	return s.Edge != nil
}

// Caption returns the first value of the first caption property that has
// one, or the schema label when none does.
func (s *Schema) Caption(props map[string][]string) string {
	for _, name := range s.CaptionProperties {
		for _, v := range props[name] {
			if v = strings.TrimSpace(v); v != "" {
				return v
			}
		}
	}
	return s.Label
}

// searchTypes are the types that identify a record: what an analyst types
// into a search box to find it.
var searchTypes = map[Type]bool{
	TypeName:       true,
	TypeIdentifier: true,
	TypePhone:      true,
	TypeEmail:      true,
	TypeIBAN:       true,
}

// SearchText returns the names and identifiers of a record (name, alias,
// ID and registration numbers, phone numbers, e-mail addresses, IBANs),
// deduplicated, in property order. Descriptive text is left out so that
// search matches what a record is called, not what it mentions.
func (s *Schema) SearchText(props map[string][]string) []string {
	return s.values(props, func(p *Property) bool { return searchTypes[p.Type] })
}

// EntityRefs returns the ids of the records s refers to through its
// entity-typed properties, deduplicated, in property order. Keys that are
// not entity properties of s are ignored, so an unknown key cannot smuggle
// in a reference.
func (s *Schema) EntityRefs(props map[string][]string) []string {
	return s.values(props, func(p *Property) bool { return p.Type == TypeEntity })
}

func (s *Schema) values(props map[string][]string, want func(*Property) bool) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range s.props {
		if !want(p) {
			continue
		}
		for _, v := range props[p.Name] {
			v = strings.TrimSpace(v)
			if v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// The shape of schemata.json.
type fileModel struct {
	Schemata  []fileSchema `json:"schemata"`
	Countries []string     `json:"countries"`
	Topics    []string     `json:"topics"`
}

type fileSchema struct {
	Name        string         `json:"name"`
	Label       string         `json:"label"`
	Plural      string         `json:"plural"`
	Description string         `json:"description"`
	Extends     []string       `json:"extends"`
	Abstract    bool           `json:"abstract"`
	Extension   bool           `json:"extension"`
	Caption     []string       `json:"caption"`
	Required    []string       `json:"required"`
	Edge        *fileEdge      `json:"edge"`
	Properties  []fileProperty `json:"properties"`
}

type fileEdge struct {
	Source   string `json:"source"`
	Target   string `json:"target"`
	Label    string `json:"label"`
	Directed bool   `json:"directed"`
}

type fileProperty struct {
	Name        string `json:"name"`
	Label       string `json:"label"`
	Type        Type   `json:"type"`
	Range       string `json:"range"`
	Description string `json:"description"`
	Extension   bool   `json:"extension"`
}

// load parses and resolves a schemata file, checking it is consistent.
func load(data []byte) (*model, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt key in the data file is a bug
	var f fileModel
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	m := &model{
		schemata:  map[string]*Schema{},
		countries: map[string]bool{},
		topics:    map[string]bool{},
	}
	for _, c := range f.Countries {
		m.countries[c] = true
	}
	for _, t := range f.Topics {
		m.topics[t] = true
	}
	defs := map[string]*fileSchema{}
	for i := range f.Schemata {
		fs := &f.Schemata[i]
		if fs.Name == "" || fs.Label == "" || fs.Plural == "" {
			return nil, fmt.Errorf("schema #%d needs a name, label and plural", i)
		}
		if defs[fs.Name] != nil {
			return nil, fmt.Errorf("schema %s is defined twice", fs.Name)
		}
		defs[fs.Name] = fs
	}
	// Resolve parents before children; resolving marks progress so that a
	// cycle in extends is caught rather than recursing forever.
	const resolving = 1
	state := map[string]int{}
	var resolve func(name string) (*Schema, error)
	resolve = func(name string) (*Schema, error) {
		if s := m.schemata[name]; s != nil {
			return s, nil
		}
		if state[name] == resolving {
			return nil, fmt.Errorf("schema %s inherits from itself", name)
		}
		fs := defs[name]
		if fs == nil {
			return nil, fmt.Errorf("no schema %s", name)
		}
		state[name] = resolving
		s := &Schema{
			Name:        fs.Name,
			Label:       fs.Label,
			Plural:      fs.Plural,
			Description: fs.Description,
			Extends:     slices.Clone(fs.Extends),
			Abstract:    fs.Abstract,
			Extension:   fs.Extension,
			byName:      map[string]*Property{},
			ancestors:   map[string]bool{fs.Name: true},
		}
		var caption []string
		for _, pn := range fs.Extends {
			parent, err := resolve(pn)
			if err != nil {
				return nil, fmt.Errorf("schema %s extends %s: %w", name, pn, err)
			}
			for a := range parent.ancestors {
				s.ancestors[a] = true
			}
			for _, p := range parent.props {
				if err := s.add(p); err != nil {
					return nil, err
				}
			}
			caption = appendNew(caption, parent.CaptionProperties...)
			s.Required = appendNew(s.Required, parent.Required...)
		}
		for _, fp := range fs.Properties {
			p := &Property{
				Name:        fp.Name,
				Label:       fp.Label,
				Description: fp.Description,
				Type:        fp.Type,
				Range:       fp.Range,
				Schema:      fs.Name,
				Extension:   fp.Extension || fs.Extension,
			}
			if p.Type == "" {
				p.Type = TypeString // FtM's default
			}
			if err := checkProperty(p, defs); err != nil {
				return nil, err
			}
			if s.byName[p.Name] != nil && s.byName[p.Name].Schema == s.Name {
				return nil, fmt.Errorf("%s:%s is defined twice", s.Name, p.Name)
			}
			if err := s.add(p); err != nil {
				return nil, err
			}
		}
		// Own caption replaces the inherited one, as in FtM.
		if len(fs.Caption) > 0 {
			caption = slices.Clone(fs.Caption)
		}
		s.CaptionProperties = caption
		s.Required = appendNew(s.Required, fs.Required...)
		if fs.Edge != nil {
			s.Edge = &Edge{Source: fs.Edge.Source, Target: fs.Edge.Target, Label: fs.Edge.Label, Directed: fs.Edge.Directed}
		}
		if err := s.check(); err != nil {
			return nil, err
		}
		m.schemata[name] = s
		return s, nil
	}
	for _, fs := range f.Schemata {
		s, err := resolve(fs.Name)
		if err != nil {
			return nil, err
		}
		m.sorted = append(m.sorted, s)
	}
	slices.SortFunc(m.sorted, func(a, b *Schema) int { return strings.Compare(a.Name, b.Name) })
	return m, nil
}

// add adds an inherited or own property. The same name may arrive through
// two parents (Event is an Interval and a Thing, both with summary) or be
// redeclared by a child; either way it must keep its type and range. The
// first parent wins, and a child's own declaration replaces its parents'.
func (s *Schema) add(p *Property) error {
	old, ok := s.byName[p.Name]
	if !ok {
		s.byName[p.Name] = p
		s.props = append(s.props, p)
		return nil
	}
	if old.Type != p.Type || old.Range != p.Range {
		return fmt.Errorf("%s:%s is %s%s in %s but %s%s in %s", s.Name, p.Name,
			old.Type, rangeSuffix(old.Range), old.Schema, p.Type, rangeSuffix(p.Range), p.Schema)
	}
	if p.Schema == s.Name {
		s.byName[p.Name] = p
		s.props[slices.Index(s.props, old)] = p
	}
	return nil
}

func rangeSuffix(r string) string {
	if r == "" {
		return ""
	}
	return "→" + r
}

func checkProperty(p *Property, defs map[string]*fileSchema) error {
	q := p.Schema + ":" + p.Name
	if p.Name == "" || p.Label == "" {
		return fmt.Errorf("property %q needs a name and label", q)
	}
	if !knownTypes[p.Type] {
		return fmt.Errorf("%s has unknown type %q", q, p.Type)
	}
	if (p.Type == TypeEntity) != (p.Range != "") {
		return fmt.Errorf("%s: entity properties, and only they, need a range", q)
	}
	if p.Range != "" && defs[p.Range] == nil {
		return fmt.Errorf("%s has range %s, which is no schema", q, p.Range)
	}
	return nil
}

// check verifies the references a resolved schema makes to its properties.
func (s *Schema) check() error {
	for _, name := range s.CaptionProperties {
		if s.byName[name] == nil {
			return fmt.Errorf("%s: caption property %s does not exist", s.Name, name)
		}
	}
	for _, name := range s.Required {
		if s.byName[name] == nil {
			return fmt.Errorf("%s: required property %s does not exist", s.Name, name)
		}
	}
	if s.Edge != nil {
		for _, name := range []string{s.Edge.Source, s.Edge.Target} {
			p := s.byName[name]
			if p == nil || p.Type != TypeEntity {
				return fmt.Errorf("%s: edge end %q is not an entity property", s.Name, name)
			}
			// A link with a missing end would be a link to nowhere.
			if !slices.Contains(s.Required, name) {
				return fmt.Errorf("%s: edge end %s must be required", s.Name, name)
			}
		}
		if s.Abstract {
			return fmt.Errorf("%s: an abstract schema cannot be an edge", s.Name)
		}
	}
	return nil
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		if !slices.Contains(list, it) {
			list = append(list, it)
		}
	}
	return list
}
