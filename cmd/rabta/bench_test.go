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

func TestMain(m *testing.M) { pgtest.Main(m) }

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
func writePeople(b *testing.B, path string, n int) string {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < n; i++ {
		ftm.Encode(w, synth.Person(1, i))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}
