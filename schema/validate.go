package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Problem is one thing wrong with a record, at a JSON path such as
// "properties.birthDate[1]".
type Problem struct {
	Path    string
	Message string
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// ValidationError lists every problem found, so a caller can fix a record
// in one round trip instead of one error at a time.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

// Validate checks props against s and normalises them in place: values are
// trimmed and canonicalised (see NormalizeValue), duplicates that
// normalisation reveals are dropped, and properties left with no values
// are removed. It returns nil or a *ValidationError listing every problem:
// an abstract schema, an unknown property, too many values, a bad value or
// a missing required value. Valid properties are normalised even when
// others are not.
//
// Entity-typed values are checked to be well-formed ids only; whether they
// exist, and are of the property's Range, is for the store to check.
func (s *Schema) Validate(props map[string][]string) error {
	var probs []Problem
	if s.Abstract {
		probs = append(probs, Problem{"schema", fmt.Sprintf("%s is abstract and cannot be instantiated; use one of its descendants", s.Name)})
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	slices.Sort(names) // stable messages
	for _, name := range names {
		path := propertyPath(name)
		p, ok := s.byName[name]
		if !ok {
			probs = append(probs, Problem{path, fmt.Sprintf("%s has no property %s", s.Name, quote(name))})
			continue
		}
		vals := props[name]
		if len(vals) > MaxValues {
			probs = append(probs, Problem{path, fmt.Sprintf("%d values, at most %d allowed", len(vals), MaxValues)})
			continue
		}
		valid := true
		for i, v := range vals {
			n, err := NormalizeValue(p.Type, v)
			if err != nil {
				probs = append(probs, Problem{fmt.Sprintf("%s[%d]", path, i), err.Error()})
				valid = false
				continue
			}
			vals[i] = n
		}
		if !valid {
			continue // keep the indexes the messages refer to
		}
		if vals = dedupe(vals); len(vals) == 0 {
			delete(props, name)
		} else {
			props[name] = vals
		}
	}
	for _, name := range s.Required {
		if len(props[name]) == 0 {
			msg := fmt.Sprintf("%s requires a value", s.Name)
			if s.Edge != nil && (name == s.Edge.Source || name == s.Edge.Target) {
				msg = fmt.Sprintf("%s needs both ends of the link (%s and %s)", s.Name, s.Edge.Source, s.Edge.Target)
			}
			probs = append(probs, Problem{"properties." + name, msg})
		}
	}
	if len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	return nil
}

var plainName = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

// propertyPath builds the JSON path of a property, quoting a name that
// could not be a property name so that a hostile key cannot forge a path.
func propertyPath(name string) string {
	if plainName.MatchString(name) {
		return "properties." + name
	}
	return "properties[" + quote(name) + "]"
}

// dedupe drops repeated values, keeping the first: FtM property values are
// sets, and "Ali " and "Ali" are one value once trimmed.
func dedupe(vals []string) []string {
	out := vals[:0]
	for _, v := range vals {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
