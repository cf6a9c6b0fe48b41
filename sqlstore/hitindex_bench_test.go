package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
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
	"github.com/rabta/rabta/selector"
)

// TestHitIndexScale measures hit/no-hit checks with RABTA_BENCH_SELECTORS
// identifiers indexed (ten million for docs/benchmarks.md; the bar
// is p99 under 2 ms):
//
//	RABTA_BENCH_SELECTORS=10000000 go test ./sqlstore -run HitIndexScale -v -timeout 60m
//
// The index is filled with the real keyed hashes of synthetic CNICs,
// spread over 1,000 ANF records; then FIA analysts run checks through
// Store.Deconflict — the whole path: key, lookup, access decision, hit
// rows and audit event in one transaction — half of them for CNICs that
// are held (a hit each), half for CNICs that are not.
func TestHitIndexScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("RABTA_BENCH_SELECTORS"))
	if n == 0 {
		t.Skip("set RABTA_BENCH_SELECTORS=10000000 to run")
	}
	dbs := strings.Split(os.Getenv("RABTA_BENCH_DBS"), ",")
	if dbs[0] == "" {
		dbs = []string{"sqlite", "postgres"}
	}
	for _, db := range dbs {
		t.Run(db, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "bench.db")
			if db == "postgres" {
				dsn = pgtest.DSN(t)
			}
			s := openTest(t, dsn)
			f := setup(t, s)
			ctx := context.Background()
			const holders = 1000
			rids := make([]int64, 0, holders)
			for i := 0; i < holders; i++ {
				r := mustCreate(t, s, f.anf, person(fmt.Sprintf("Holder %d", i), nil, rabta.Marking{Release: rabta.ReleaseOriginator}))
				var rid int64
				if err := s.db.QueryRow(s.q("SELECT rid FROM records WHERE id = ?"), r.ID).Scan(&rid); err != nil {
					t.Fatal(err)
				}
				rids = append(rids, rid)
			}
			k, err := s.keyer(ctx)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			// The hashes are written in key order: a B-tree filled in
			// random order at this size spends its time on page misses,
			// and the fill is set-up, not what is measured.
			hashes := make([][selector.HashSize]byte, n)
			for i := range hashes {
				hashes[i] = k.Identifier(ident.Identifier{Kind: ident.CNIC, Value: synth.CNIC(7, i)}).Hash
			}
			slices.SortFunc(hashes, func(a, b [selector.HashSize]byte) int { return bytes.Compare(a[:], b[:]) })
			const chunk = 200_000
			rows := make([][]any, 0, chunk)
			for i := range hashes {
				rows = append(rows, []any{hashes[i][:], rids[i%holders], "cnic"})
				if len(rows) == chunk || i == n-1 {
					if err := fillSelectors(ctx, s, rows); err != nil {
						t.Fatal(err)
					}
					rows = rows[:0]
				}
			}
			hashes = nil
			if db == "postgres" {
				if _, err := s.db.Exec("ANALYZE selectors"); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%s: %d selectors indexed in %v", db, n, time.Since(start).Round(time.Second))

			const checks = 2000
			var lat []time.Duration
			hits := 0
			for i := 0; i < checks; i++ {
				v := synth.CNIC(7, (i*7919)%n)
				if i%2 == 1 {
					v = synth.CNIC(8, n+i) // not held
				}
				id, err := ident.Normalize(ident.CNIC, v)
				if err != nil {
					t.Fatal(err)
				}
				t0 := time.Now()
				hs, err := s.Deconflict(ctx, f.fia, DeconflictQuery{Selectors: []ident.Identifier{{Kind: ident.CNIC, Value: id}}, Purpose: "benchmark"})
				lat = append(lat, time.Since(t0))
				if err != nil {
					t.Fatal(err)
				}
				hits += len(hs)
			}
			if hits != checks/2 {
				t.Errorf("%d hits, want %d", hits, checks/2)
			}
			report(t, db+": Deconflict (lookup, decision, hit rows, audit event)", n, lat)

			// The lookup alone, as a read: what the index itself costs.
			lat = lat[:0]
			found := 0
			for i := 0; i < checks; i++ {
				v := synth.CNIC(7, (i*104729)%n)
				if i%2 == 1 {
					v = synth.CNIC(8, n+checks+i)
				}
				sel := k.Identifier(ident.Identifier{Kind: ident.CNIC, Value: v})
				t0 := time.Now()
				fs, err := s.lookup(ctx, s.db, []selector.Selector{sel}, "FIA", 0)
				lat = append(lat, time.Since(t0))
				if err != nil {
					t.Fatal(err)
				}
				found += len(fs)
			}
			if found != checks/2 {
				t.Errorf("lookup found %d, want %d", found, checks/2)
			}
			report(t, db+": index lookup alone", n, lat)
		})
	}
}

func report(t *testing.T, what string, n int, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(time.Microsecond) }
	t.Logf("%s, %d selectors indexed, %d calls: p50 %v p95 %v p99 %v max %v", what, n, len(lat), q(0.5), q(0.95), q(0.99), lat[len(lat)-1].Round(time.Microsecond))
}

// fillSelectors bulk-writes index rows: multi-row INSERTs on SQLite, COPY
// on PostgreSQL.
func fillSelectors(ctx context.Context, s *Store, rows [][]any) error {
	if s.dialect == SQLite {
		return s.tx(ctx, func(tx *sql.Tx) error {
			return multiInsert(ctx, tx, "INSERT INTO selectors", []string{"hash", "rid", "kind"}, rows)
		})
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().CopyFrom(ctx, pgx.Identifier{"selectors"}, []string{"hash", "rid", "kind"}, pgx.CopyFromRows(rows))
		return err
	})
}
