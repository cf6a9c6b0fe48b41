package ftm

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/rabta/rabta"
)

func TestRoundTrip(t *testing.T) {
	r := &rabta.Record{ID: "fia-1", Schema: "Person", Caption: "Muhammad Asif", Agency: "FIA",
		Properties: map[string][]string{"name": {"Muhammad Asif"}, "alias": {"محمد آصف"}},
		Marking:    rabta.Marking{Release: rabta.ReleaseAgencies, Agencies: []string{"ANF"}, Handling: "C", Conditions: "no onward disclosure", Classification: rabta.Confidential, Categories: []rabta.Category{}},
		Grading:    rabta.Grading{System: "3x5x2", Source: "2", Intelligence: "B", Handling: "C"},
		Provenance: rabta.Provenance{SourceReport: "FIA/2026/1", SourceDate: "2026-01-02", Author: "fia.analyst"},
		Subject:    rabta.SubjectSuspect, Basis: rabta.BasisAssessment, ReviewDate: "2027-01-01"}
	var buf bytes.Buffer
	if err := Encode(&buf, r); err != nil {
		t.Fatal(err)
	}
	got, err := NewReader(&buf, "x.jsonl", Defaults{}).Next()
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != r.ID || got.Properties["alias"][0] != "محمد آصف" || got.Marking.Conditions != r.Marking.Conditions ||
		got.Grading != r.Grading || got.Provenance != r.Provenance || got.Subject != r.Subject || got.Basis != r.Basis || got.ReviewDate != r.ReviewDate {
		t.Fatalf("round trip: %+v", got)
	}
}

func TestDefaultsAndErrors(t *testing.T) {
	in := "\n" + `{"id":"a","schema":"Person","properties":{"name":["x"]}}` + "\n"
	d := Defaults{Marking: rabta.Marking{Release: rabta.ReleaseAll, Agencies: []string{}}, Grading: rabta.Grading{System: "3x5x2", Source: "1", Intelligence: "A", Handling: "P"}}
	rd := NewReader(strings.NewReader(in), "in.jsonl", d)
	r, err := rd.Next()
	if err != nil || r.Marking.Release != rabta.ReleaseAll || r.Grading.Source != "1" || rd.Line() != 2 {
		t.Fatalf("defaults: %+v %v line %d", r, err, rd.Line())
	}
	if _, err := rd.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("end: %v", err)
	}
	bad := []struct{ line, want string }{
		{`{"id":"a","schema":"Person","properties":{"name":["x"]}`, "in.jsonl:1: malformed JSON"},
		{`{"id":"a","schema":"Person","properties":{"name":"x"}}`, "in.jsonl:1: properties.name: expected a list of strings"},
		{`{"id":"a","schema":"Person","colour":"red"}`, `in.jsonl:1: unknown field "colour"`},
		{`{"schema":"Person"}`, "in.jsonl:1: id: missing"},
		{`{"id":"a b","schema":"Person"}`, `in.jsonl:1: id: "a b"`},
		{`{"id":"a"}`, "in.jsonl:1: schema: missing"},
		{`[1,2]`, "in.jsonl:1:"},
	}
	for _, b := range bad {
		_, err := NewReader(strings.NewReader(b.line), "in.jsonl", Defaults{}).Next()
		if err == nil || !strings.HasPrefix(err.Error(), b.want) || rabta.ErrorCode(err) != rabta.EInvalid {
			t.Errorf("%s: error %v, want prefix %q", b.line, err, b.want)
		}
	}
}

// FuzzReader feeds arbitrary input to the importer's reader: it must never
// panic, every error must name the file and a line, and every record it
// returns must have an id and a schema.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","schema":"Person","properties":{"name":["x"]}}`,
		`{"id":"a","schema":"Person","properties":{"name":["x"]},"marking":{"release":"all"},"grading":{"source":"1"}}` + "\n\n" + `{"id":"b"}`,
		`{"id":"`, "\x00\xff", `{"properties":{"a":[1]}}`, strings.Repeat("{", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		rd := NewReader(strings.NewReader(in), "f.jsonl", Defaults{})
		for i := 0; i < 1000; i++ {
			r, err := rd.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "f.jsonl:") {
					t.Fatalf("error without file and line: %v", err)
				}
				return
			}
			if r.ID == "" || r.Schema == "" {
				t.Fatalf("record without id or schema: %+v", r)
			}
			// Whatever the reader lets through, normalising it must not panic.
			r.Normalize()
		}
	})
}
