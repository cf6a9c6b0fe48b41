package main

import (
	"bufio"
	"os"
	"path/filepath"
	"testing"

	"github.com/rabta/rabta/ftm"
	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/internal/synth"
)

func TestMain(m *testing.M) {
	// The crash test runs this binary as the rabta command and kills it.
	if os.Getenv("RABTA_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	pgtest.Main(m)
}

// BenchmarkImportFile measures `rabta import` end to end on a FollowTheMoney
// JSON-lines file of b.N synthetic people: reading, parsing, validation,
// normalisation, writing and indexing, in one transaction.
//
//	go test ./cmd/rabta -run '^$' -bench ImportFile -benchtime 200000x
func BenchmarkImportFile(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			dir := b.TempDir()
			file := writePeople(b, filepath.Join(dir, "people.jsonl"), b.N)
			dsn := filepath.Join(dir, "bench.db")
			if db == "postgres" {
				dsn = pgtest.DSN(b)
			}
			if out, err := run(b, "", "agency", "add", "FIA", "--name", "FIA", "--db", dsn); err != nil {
				b.Fatal(err, out)
			}
			b.ResetTimer()
			if out, err := run(b, "", "import", file, "--agency", "FIA", "--db", dsn); err != nil {
				b.Fatal(err, out)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// writePeople writes n synthetic people as FtM JSON lines.
func writePeople(b *testing.B, path string, n int) string { return writePeopleFrom(b, path, 0, n) }

type lineWriter struct{ *bufio.Writer }

func newLineWriter(f *os.File) lineWriter { return lineWriter{bufio.NewWriterSize(f, 1<<20)} }

func (w lineWriter) person(i int) error { return ftm.Encode(w, synth.Person(1, i)) }
