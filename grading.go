package rabta

import (
	"slices"
	"strings"
)

// Grading is the evaluation of a record's source and content. Rabta grades in
// 3x5x2 by default; gradings from partners' systems (5x5x5, Admiralty,
// Europol) are kept exactly as given, never converted upwards.
type Grading struct {
	System       string `json:"system"`
	Source       string `json:"source"`
	Intelligence string `json:"intelligence"`
	Handling     string `json:"handling"`
}

// gradingSystems lists the values each known system allows, in the order
// source, intelligence, handling ("" = the system has no such part).
var gradingSystems = map[string][3][]string{
	"3x5x2":     {{"1", "2", "3"}, {"A", "B", "C", "D", "E"}, {"P", "C"}},
	"5x5x5":     {{"A", "B", "C", "D", "E"}, {"1", "2", "3", "4", "5"}, {"1", "2", "3", "4", "5"}},
	"admiralty": {{"A", "B", "C", "D", "E", "F"}, {"1", "2", "3", "4", "5", "6"}, nil},
	"europol":   {{"A", "B", "C", "X"}, {"1", "2", "3", "4"}, {"H0", "H1", "H2", "H3"}},
}

// Normalize fills the default system and validates the grading. A grading
// with no parts at all is "ungraded" (System ""): the author did not grade
// the record and a supervisor may do so later; Rabta never invents a grade.
func (g *Grading) Normalize() error {
	g.System = strings.ToLower(strings.TrimSpace(g.System))
	g.Source = strings.ToUpper(strings.TrimSpace(g.Source))
	g.Intelligence = strings.ToUpper(strings.TrimSpace(g.Intelligence))
	g.Handling = strings.ToUpper(strings.TrimSpace(g.Handling))
	if g.Source == "" && g.Intelligence == "" && g.Handling == "" {
		g.System = ""
		return nil
	}
	if g.System == "" {
		g.System = "3x5x2"
	}
	allowed, ok := gradingSystems[g.System]
	if !ok {
		return Errorf(EInvalid, "grading.system: %q is not one of 3x5x2, 5x5x5, admiralty, europol", g.System)
	}
	check := func(field, v string, vals []string) error {
		if vals == nil {
			if v != "" {
				return Errorf(EInvalid, "grading.%s: %s has no %s part", field, g.System, field)
			}
			return nil
		}
		if !slices.Contains(vals, v) {
			return Errorf(EInvalid, "grading.%s: %q is not valid in %s (one of %s)", field, v, g.System, strings.Join(vals, ", "))
		}
		return nil
	}
	if err := check("source", g.Source, allowed[0]); err != nil {
		return err
	}
	if err := check("intelligence", g.Intelligence, allowed[1]); err != nil {
		return err
	}
	return check("handling", g.Handling, allowed[2])
}

// String renders the grading compactly, e.g. "1A P (3x5x2)".
func (g Grading) String() string {
	if g.System == "" {
		return "ungraded"
	}
	s := g.Source + g.Intelligence
	if g.Handling != "" {
		s += " " + g.Handling
	}
	return s + " (" + g.System + ")"
}
