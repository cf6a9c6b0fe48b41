package sqlstore

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/internal/synth"
)

var benchWriter = rabta.Principal{Username: "bench", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}

func benchStore(tb testing.TB, dsn string) *Store {
	s := openTest(tb, dsn)
	if err := s.CreateAgency(context.Background(), System, &rabta.Agency{Code: "FIA", Name: "FIA"}); err != nil {
		tb.Fatal(err)
	}
	return s
}

// importSynth imports n synthetic people into s and returns the rate.
func importSynth(tb testing.TB, s *Store, seed uint64, n int) float64 {
	i := 0
	next := func() (*rabta.Record, error) {
		if i == n {
			return nil, io.EOF
		}
		i++
		return synth.Person(seed, i-1), nil
	}
	start := time.Now()
	if _, err := s.Import(context.Background(), benchWriter, next, ImportOptions{}); err != nil {
		tb.Fatal(err)
	}
	return float64(n) / time.Since(start).Seconds()
}

// BenchmarkImport measures bulk import into SQLite and PostgreSQL:
//
//	go test ./sqlstore -run '^$' -bench Import -benchtime 100000x
func BenchmarkImport(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "bench.db")
			if db == "postgres" {
				dsn = pgtest.DSN(b)
			}
			s := benchStore(b, dsn)
			b.ResetTimer()
			rate := importSynth(b, s, 1, b.N)
			b.ReportMetric(rate, "records/s")
		})
	}
}

// BenchmarkRecordsCeiling is the peer of BenchmarkImport: the same
// people, prepared outside the timer, written as bare rows of the records
// table alone (its primary key and unique id only) with the same multi-row
// INSERT or COPY, in one transaction. No identifiers, references, hit/no-hit
// keys, full-text index or audit: what the driver and database cost before
// Rabta does anything a search or a deconfliction needs. Run them together:
//
//	go test ./sqlstore -run '^$' -bench 'Import|RecordsCeiling' -benchtime 100000x
func BenchmarkRecordsCeiling(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "bench.db")
			if db == "postgres" {
				dsn = pgtest.DSN(b)
			}
			s := benchStore(b, dsn)
			ctx := context.Background()
			if _, err := s.db.ExecContext(ctx, "CREATE TABLE bare_records AS SELECT * FROM records WHERE 1 = 0"); err != nil {
				b.Fatal(err)
			}
			for _, ddl := range []string{"CREATE UNIQUE INDEX bare_records_rid ON bare_records(rid)", "CREATE UNIQUE INDEX bare_records_id ON bare_records(id)"} {
				if _, err := s.db.ExecContext(ctx, ddl); err != nil {
					b.Fatal(err)
				}
			}
			rows := make([][]any, b.N)
			for i := range rows {
				r := synth.Person(1, i)
				r.Agency, r.Version = "FIA", 1
				row, err := prepare(r)
				if err != nil {
					b.Fatal(err)
				}
				rows[i] = append([]any{int64(i + 1)}, row.args()...)
			}
			conn, err := s.db.Conn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			if s.dialect == SQLite {
				if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -262144"); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if s.dialect == SQLite {
				err = multiInsert(ctx, tx, "INSERT INTO bare_records", recordColumns, rows)
			} else {
				err = conn.Raw(func(dc any) error {
					_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"bare_records"}, recordColumns, pgx.CopyFromRows(rows))
					return err
				})
			}
			if err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkRecordsIndexesPG splits the PostgreSQL ceiling by index: the
// same rows COPYed into a clone of records with its B-tree indexes only,
// plus the word index (generated tsvector and GIN), plus the trigram GIN,
// both, and the real records table:
//
//	go test ./sqlstore -run '^$' -bench RecordsIndexesPG -benchtime 100000x
func BenchmarkRecordsIndexesPG(b *testing.B) {
	s := benchStore(b, pgtest.DSN(b))
	ctx := context.Background()
	var rows [][]any
	const words = "ALTER TABLE t ADD COLUMN search_words tsvector GENERATED ALWAYS AS (to_tsvector('simple', search)) STORED; CREATE INDEX ON t USING GIN (search_words)"
	const trgm = "CREATE INDEX ON t USING GIN (search gin_trgm_ops)"
	for _, v := range []struct{ name, ddl string }{{"btree", ""}, {"words", words}, {"trigram", trgm}, {"both", words + "; " + trgm}, {"records", ""}} {
		b.Run(v.name, func(b *testing.B) {
			table := "records"
			if v.name != "records" {
				table = "t"
				for _, ddl := range []string{"DROP TABLE IF EXISTS t", "CREATE TABLE t AS SELECT " + strings.Join(recordColumns, ", ") + " FROM records WHERE 1 = 0",
					"CREATE UNIQUE INDEX ON t(rid); CREATE UNIQUE INDEX ON t(id); CREATE INDEX ON t(agency, rid); CREATE INDEX ON t(schema, rid)", v.ddl} {
					if _, err := s.db.ExecContext(ctx, ddl); ddl != "" && err != nil {
						b.Fatal(err)
					}
				}
			}
			for i := len(rows); i < b.N; i++ {
				r := synth.Person(1, i)
				r.Agency, r.Version = "FIA", 1
				row, err := prepare(r)
				if err != nil {
					b.Fatal(err)
				}
				rows = append(rows, append([]any{int64(i + 1)}, row.args()...))
			}
			if v.name == "records" {
				// Sub-benchmarks may run more than once: start empty.
				if _, err := s.db.ExecContext(ctx, "DELETE FROM records"); err != nil {
					b.Fatal(err)
				}
			}
			conn, err := s.db.Conn(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			b.ResetTimer()
			tx, err := conn.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if err := conn.Raw(func(dc any) error {
				_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{table}, recordColumns, pgx.CopyFromRows(rows[:b.N]))
				return err
			}); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// TestSearchLatency loads RABTA_BENCH_RECORDS synthetic people (default
// 3,000, so the suite stays fast; the figure in docs/benchmarks.md uses
// 1,000,000) and measures search latency over a mix of queries: full names,
// misspelt names, surnames, CNICs and phones in every common format.
//
//	RABTA_BENCH_RECORDS=1000000 go test ./sqlstore -run SearchLatency -v -timeout 60m
func TestSearchLatency(t *testing.T) {
	n := 3_000
	if v := os.Getenv("RABTA_BENCH_RECORDS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	dbs := []string{"sqlite", "postgres"}
	if v := os.Getenv("RABTA_BENCH_DBS"); v != "" {
		dbs = strings.Split(v, ",")
	}
	for _, db := range dbs {
		t.Run(db, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "bench.db")
			if db == "postgres" {
				dsn = pgtest.DSN(t)
			}
			var s *Store
			var rate float64
			// RABTA_BENCH_SQLITE_FILE keeps the loaded SQLite database for
			// the next run, which then measures search only.
			if keep := os.Getenv("RABTA_BENCH_SQLITE_FILE"); keep != "" && db == "sqlite" {
				if _, err := os.Stat(keep); err == nil {
					s = openTest(t, keep)
				} else {
					s = benchStore(t, keep)
					rate = importSynth(t, s, 1, n)
				}
			} else {
				s = benchStore(t, dsn)
				rate = importSynth(t, s, 1, n)
			}
			if db == "postgres" {
				s.db.Exec("ANALYZE")
			}
			reader := rabta.Principal{Username: "reader", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
			ctx := context.Background()
			var lat []time.Duration
			byKind := map[int][]time.Duration{}
			misses := 0
			for q := 0; q < 400; q++ {
				i := (q * 7_654_321) % n
				p := synth.Person(1, i)
				var query string
				switch q % 6 {
				case 0:
					query = p.Properties["name"][0]
				case 1:
					query = misspell(p.Properties["name"][0])
				case 2:
					query = ident.FormatCNIC(p.Properties["idNumber"][0])
				case 3:
					query = p.Properties["idNumber"][0]
				case 4:
					query = "0" + synth.Phone(1, i)[3:]
				case 5:
					query = strings.Fields(p.Properties["name"][0])[2] + " " + p.Properties["address"][0]
				}
				start := time.Now()
				res, err := s.Search(ctx, reader, SearchQuery{Q: query, Limit: 20})
				lat = append(lat, time.Since(start))
				byKind[q%6] = append(byKind[q%6], time.Since(start))
				if err != nil {
					t.Fatal(err)
				}
				_, hasPhone := p.Properties["phone"]
				if (q%6 == 2 || q%6 == 3 || q%6 == 4 && hasPhone) && !slices.ContainsFunc(res.Results, func(h SearchHit) bool { return h.ID == p.ID }) {
					misses++
				}
			}
			for k := 0; k < 6; k++ {
				d := byKind[k]
				slices.Sort(d)
				t.Logf("query kind %d: p50 %v max %v", k, d[len(d)/2], d[len(d)-1])
			}
			slices.Sort(lat)
			pct := func(f float64) time.Duration { return lat[int(f*float64(len(lat)-1))] }
			t.Logf("%s: %d records imported at %.0f records/s; search over %d queries: p50 %v p95 %v p99 %v max %v; identifier misses %d",
				db, n, rate, len(lat), pct(0.5), pct(0.95), pct(0.99), lat[len(lat)-1], misses)
			fmt.Fprintf(os.Stderr, "BENCH %s records=%d import_rate=%.0f p50=%v p95=%v p99=%v\n", db, n, rate, pct(0.5), pct(0.95), pct(0.99))
			if misses > 0 {
				t.Errorf("%d identifier searches missed their record", misses)
			}
		})
	}
}

// misspell swaps vowels the way transliterations differ (Muhammad/Mohammad).
func misspell(s string) string {
	return strings.NewReplacer("u", "o", "ee", "i", "a", "e").Replace(s)
}
