package graphfile

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// lineReader returns physical lines without their '\n' (a '\r' before it is
// kept) and counts them.
type lineReader struct {
	br   *bufio.Reader
	line int // number of the line last returned, from 1
	long []byte
}

var errLongLine = errors.New("line too long")

// next returns the next line, or ok false at the end of the input.
func (lr *lineReader) next() (line []byte, ok bool, err error) {
	b, err := lr.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		lr.long = append(lr.long[:0], b...)
		for err == bufio.ErrBufferFull {
			if len(lr.long) > maxLineLen {
				return nil, false, errLongLine
			}
			b, err = lr.br.ReadSlice('\n')
			lr.long = append(lr.long, b...)
		}
		b = lr.long
	}
	if err != nil && err != io.EOF {
		return nil, false, err
	}
	if len(b) == 0 {
		return nil, false, nil
	}
	lr.line++
	if b[len(b)-1] == '\n' {
		b = b[:len(b)-1]
	}
	return b, true, nil
}

// skippable reports whether a line is blank or a comment (# or %).
func skippable(line []byte) bool {
	for _, c := range line {
		switch c {
		case ' ', '\t', '\r', '\v', '\f':
			continue
		case '#', '%':
			return true
		}
		return false
	}
	return true
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// splitter splits records into fields. sep is ',', '\t' or ';' for CSV-style
// records, or 0 for fields separated by runs of blanks.
type splitter struct {
	lr     *lineReader
	sep    byte
	buf    []byte
	spans  []int // start, end pairs into buf
	fields [][]byte
	line   int // first line of the record last returned
}

// errUnclosed reports a quoted field that runs to the end of the input.
var errUnclosed = errors.New("quoted field is never closed")

// next returns the fields of the next record that is not blank or a comment;
// fields are valid until the next call. ok is false at the end.
func (s *splitter) next() (fields [][]byte, ok bool, err error) {
	var line []byte
	for {
		line, ok, err = s.lr.next()
		if !ok || err != nil {
			return nil, false, err
		}
		if !skippable(line) {
			break
		}
	}
	s.line = s.lr.line
	s.buf = s.buf[:0]
	s.spans = s.spans[:0]
	if s.sep == 0 {
		s.splitBlank(line)
	} else if err := s.splitSep(line); err != nil {
		return nil, false, err
	}
	s.fields = s.fields[:0]
	for i := 0; i < len(s.spans); i += 2 {
		s.fields = append(s.fields, s.buf[s.spans[i]:s.spans[i+1]])
	}
	return s.fields, true, nil
}

// splitSep splits a CSV-style record: a field that starts (after blanks) with
// a double quote runs to the matching quote, "" stands for a quote, and the
// field may continue on the next lines. A quote that closes a field but is
// not followed by the separator or the end of the line is kept as a literal
// quote and the rest of the field is read unquoted, as encoding/csv's
// LazyQuotes reads a quote inside an unquoted field.
func (s *splitter) splitSep(line []byte) error {
	sep := s.sep
	i := 0
	for {
		for i < len(line) && isBlank(line[i]) && line[i] != sep {
			i++
		}
		start := len(s.buf)
		if i < len(line) && line[i] == '"' {
			i++
		quoted:
			for {
				j := bytes.IndexByte(line[i:], '"')
				if j < 0 {
					// The field goes on on the next line.
					s.buf = append(s.buf, line[i:]...)
					s.buf = append(s.buf, '\n')
					next, ok, err := s.lr.next()
					if err != nil {
						return err
					}
					if !ok {
						return errUnclosed
					}
					line, i = next, 0
					continue
				}
				s.buf = append(s.buf, line[i:i+j]...)
				i += j + 1
				if i < len(line) && line[i] == '"' {
					s.buf = append(s.buf, '"')
					i++
					continue
				}
				k := i
				for k < len(line) && isBlank(line[k]) && line[k] != sep {
					k++
				}
				if k == len(line) || line[k] == sep {
					i = k
					break quoted
				}
				// A stray quote: keep it and read on to the separator.
				s.buf = append(s.buf, '"')
				j = bytes.IndexByte(line[i:], sep)
				if j < 0 {
					j = len(line) - i
				}
				s.buf = append(s.buf, line[i:i+j]...)
				i += j
				break quoted
			}
		} else {
			j := bytes.IndexByte(line[i:], sep)
			if j < 0 {
				j = len(line) - i
			}
			s.buf = append(s.buf, line[i:i+j]...)
			i += j
		}
		s.spans = append(s.spans, start, len(s.buf))
		if i >= len(line) {
			return nil
		}
		i++ // the separator
	}
}

// splitBlank splits on runs of blanks. A field that starts with a double
// quote runs to the next quote that is followed by a blank or the end of the
// line; without one the quote is an ordinary character.
func (s *splitter) splitBlank(line []byte) {
	i := 0
	for {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i == len(line) {
			return
		}
		start := len(s.buf)
		if line[i] == '"' {
			if end := closingQuote(line, i+1); end >= 0 {
				s.buf = append(s.buf, line[i+1:end]...)
				s.spans = append(s.spans, start, len(s.buf))
				i = end + 1
				continue
			}
		}
		j := i
		for j < len(line) && !isBlank(line[j]) {
			j++
		}
		s.buf = append(s.buf, line[i:j]...)
		s.spans = append(s.spans, start, len(s.buf))
		i = j
	}
}

// closingQuote finds the quote at or after i that is followed by a blank or
// the end of the line, or -1.
func closingQuote(line []byte, i int) int {
	for i < len(line) {
		j := bytes.IndexByte(line[i:], '"')
		if j < 0 {
			return -1
		}
		j += i
		if j+1 == len(line) || isBlank(line[j+1]) {
			return j
		}
		i = j + 1
	}
	return -1
}

// sniffSep picks the separator of a table from its first record (text runs
// on past the record; a quoted field may span lines). A tab outside quotes
// makes a TSV file unless one of the first two tab-separated fields is empty
// (tabs used as blanks); else the more frequent of comma and semicolon
// outside quotes wins (a comma on a tie); else fields are separated by blanks.
func sniffSep(text []byte) byte {
	var tabs []int
	var comma, semi int
	inQuote := false
	end := len(text)
scan:
	for i, c := range text {
		switch c {
		case '"':
			// A quote opens a field only at its start; inside a quoted field
			// it closes it (a doubled quote closes and reopens).
			if inQuote {
				inQuote = false
			} else if i == 0 || text[i-1] == ',' || text[i-1] == ';' || isBlank(text[i-1]) {
				inQuote = true
			}
		case '\n':
			if !inQuote {
				end = i
				break scan
			}
		case '\t':
			if !inQuote {
				tabs = append(tabs, i)
			}
		case ',':
			if !inQuote {
				comma++
			}
		case ';':
			if !inQuote {
				semi++
			}
		}
	}
	if len(tabs) > 0 {
		first := bytes.TrimSpace(text[:tabs[0]])
		secondEnd := end
		if len(tabs) > 1 {
			secondEnd = tabs[1]
		}
		second := bytes.TrimSpace(text[tabs[0]+1 : secondEnd])
		if len(first) > 0 && len(second) > 0 {
			return '\t'
		}
	}
	switch {
	case semi > comma:
		return ';'
	case comma > 0:
		return ','
	}
	return 0
}
