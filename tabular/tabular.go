// Package tabular reads delimited text files (CSV, TSV, semicolon- or
// pipe-separated) whose columns are mapped to record properties, for
// `rabta link` and `rabta screen`. Every error names the file, the line and
// the column.
package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Mapping maps column names to properties. Several columns may map to one
// property; a column may be absent from a file.
type Mapping struct {
	ID      string              // the column holding each row's identifier
	Columns map[string][]string // column → properties
}

// ParseMap parses COL=PROP arguments (each may hold several, separated by
// commas) checking every property with valid.
func ParseMap(args []string, valid func(string) bool, props []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, arg := range args {
		for _, part := range strings.Split(arg, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			col, prop, ok := strings.Cut(part, "=")
			col, prop = strings.TrimSpace(col), strings.TrimSpace(prop)
			if !ok || col == "" || prop == "" {
				return nil, fmt.Errorf("--map %q: want COLUMN=PROPERTY", part)
			}
			if !valid(prop) {
				return nil, fmt.Errorf("--map %q: unknown property %q (want one of %s)", part, prop, strings.Join(props, ", "))
			}
			out[col] = append(out[col], prop)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no --map COLUMN=PROPERTY given: nothing to compare")
	}
	return out, nil
}

// Row is one data row: its identifier, line and values by property.
type Row struct {
	ID     string
	Line   int
	Values map[string][]string
}

// Base is the file name without directory and extension, the prefix of
// record names (`people:17`).
func Base(path string) string {
	b := filepath.Base(path)
	return strings.TrimSuffix(b, filepath.Ext(b))
}

// ReadFile reads a whole file into rows.
func ReadFile(path string, m Mapping) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path, m)
}

// NewCSV prepares a CSV reader for a delimited text file: a UTF-8
// byte-order mark (as spreadsheet programs write) is skipped, the
// delimiter is the one of , tab ; | that splits the first line most, and
// an empty or binary file is refused. Records may have any number of
// fields: callers compare with the header and say so. name is used in
// errors.
func NewCSV(r io.Reader, name string) (*csv.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	head, err := br.Peek(4096)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, fmt.Errorf("%s: the file is empty", name)
	}
	if !isText(head) {
		return nil, fmt.Errorf("%s: not a text file", name)
	}
	cr := csv.NewReader(br)
	cr.Comma = sniff(head)
	// Leading spaces go (FEBRL writes ", "), but not with tabs as
	// separators: the reader would eat empty fields.
	cr.TrimLeadingSpace = cr.Comma != '\t'
	cr.FieldsPerRecord = -1
	return cr, nil
}

// Read reads rows from r; name is used in errors.
func Read(r io.Reader, name string, m Mapping) ([]Row, error) {
	cr, err := NewCSV(r, name)
	if err != nil {
		return nil, err
	}
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, ParseError(name, err)
	}
	cols := make([]string, len(header))
	idCol := -1
	seen := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		cols[i] = h
		if prev, dup := seen[h]; dup && h != "" {
			return nil, fmt.Errorf("%s:1: column %q appears twice (columns %d and %d)", name, h, prev+1, i+1)
		}
		seen[h] = i
	}
	find := func(col string) int {
		if i, ok := seen[col]; ok {
			return i
		}
		for i, c := range cols {
			if strings.EqualFold(c, col) {
				return i
			}
		}
		return -1
	}
	if idCol = find(m.ID); idCol < 0 {
		return nil, fmt.Errorf("%s:1: no column %q for --id (columns: %s)", name, m.ID, strings.Join(cols, ", "))
	}
	type use struct {
		col   int
		props []string
	}
	var uses []use
	for col, props := range m.Columns {
		if i := find(col); i >= 0 {
			uses = append(uses, use{i, props})
		}
	}
	// Columns in file order, so that several columns mapped to one
	// property always give their values in the same order.
	slices.SortFunc(uses, func(a, b use) int { return a.col - b.col })
	if len(uses) == 0 {
		return nil, fmt.Errorf("%s:1: none of the mapped columns is in the file (columns: %s)", name, strings.Join(cols, ", "))
	}
	var rows []Row
	ids := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ParseError(name, err)
		}
		line, _ := cr.FieldPos(0) // only valid after a successful read
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(cols) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", name, line, len(rec), len(cols))
		}
		id := strings.TrimSpace(rec[idCol])
		if id == "" {
			return nil, fmt.Errorf("%s:%d: column %q (--id) is empty", name, line, cols[idCol])
		}
		if prev, dup := ids[id]; dup {
			return nil, fmt.Errorf("%s:%d: column %q: id %q already used on line %d", name, line, cols[idCol], id, prev)
		}
		ids[id] = line
		row := Row{ID: id, Line: line, Values: map[string][]string{}}
		for _, u := range uses {
			v := strings.TrimSpace(rec[u.col])
			if v == "" {
				continue
			}
			for _, p := range u.props {
				row.Values[p] = append(row.Values[p], v)
			}
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no records after the header", name)
	}
	return rows, nil
}

// sniff picks the delimiter that splits the header line most.
func sniff(head []byte) rune {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	best, n := ',', 0
	for _, c := range []rune{',', '\t', ';', '|'} {
		if k := bytes.Count(line, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

func isText(b []byte) bool {
	return !bytes.ContainsRune(b, 0)
}

// ParseError words an encoding/csv error as file:line: at character N: what.
func ParseError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: at character %d: %v", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}
