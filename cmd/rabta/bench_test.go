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
	dir := b.TempDir()
	file := filepath.Join(dir, "people.jsonl")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 0; i < b.N; i++ {
		ftm.Encode(w, synth.Person(1, i))
	}
	w.Flush()
	f.Close()
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "bench.db")
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
