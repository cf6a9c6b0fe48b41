package sanctions

import (
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// charsetReader lets national lists exported by older systems declare
// ISO-8859-1 or Windows-1252; encoding/xml itself reads only UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1":
		return &singleByteReader{r: in}, nil
	case "windows-1252", "cp1252", "x-cp1252":
		return &singleByteReader{r: in, high: &cp1252}, nil
	}
	return nil, errors.New("not supported; convert the file to UTF-8")
}

// singleByteReader decodes ISO-8859-1, or Windows-1252 when high maps the
// bytes 0x80–0x9F, into UTF-8.
type singleByteReader struct {
	r    io.Reader
	high *[32]rune
	in   [4096]byte
	dec  []byte // decoded bytes
	buf  []byte // the part of dec not yet read
	err  error
}

func (s *singleByteReader) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		n, err := s.r.Read(s.in[:])
		s.err = err
		out := s.dec[:0]
		for _, c := range s.in[:n] {
			r := rune(c)
			if s.high != nil && c >= 0x80 && c < 0xA0 {
				r = s.high[c-0x80]
			}
			out = utf8.AppendRune(out, r)
		}
		s.dec, s.buf = out, out
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// cp1252 maps Windows-1252 bytes 0x80–0x9F; the five undefined ones map to
// the C1 controls of the same value, as browsers do.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}
