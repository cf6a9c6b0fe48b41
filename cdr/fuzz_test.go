package cdr

import (
	"io"
	"strings"
	"testing"
)

// FuzzReader: any input gives calls or an error naming the file, never a
// panic; every call read is between two distinct E.164 numbers, with a
// duration that is not negative.
func FuzzReader(f *testing.F) {
	f.Add(jazzExport)
	f.Add("a_number,b_number,start,duration\n03001234567,03217654321,2024-03-01 10:00:00,5\n")
	f.Add("A;B;Date;Time;Dur\n+923001234567;0092 321 7654321;1/3/2024;9:05;1:02:03\n")
	f.Add("a_number\tb_number\tstart\tdirection\n923001234567\t03217654321\t20240301140500\tMT\n")
	f.Fuzz(func(t *testing.T, in string) {
		rd, err := NewReader(strings.NewReader(in), "f.csv", Options{})
		if err != nil {
			if !strings.Contains(err.Error(), "f.csv") && !strings.HasPrefix(err.Error(), "--map") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for range 10000 {
			c, err := rd.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !strings.Contains(err.Error(), "f.csv") {
					t.Fatalf("error without the file name: %v", err)
				}
				return
			}
			if !strings.HasPrefix(c.Caller, "+") || !strings.HasPrefix(c.Receiver, "+") || c.Caller == c.Receiver || c.Duration < 0 || c.Start.IsZero() {
				t.Fatalf("bad call %+v from %q", c, in)
			}
			if r := c.Record("FIA"); r.Normalize() != nil {
				t.Fatalf("call record does not validate: %v", r.Normalize())
			}
		}
	})
}
