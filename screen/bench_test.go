package screen

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/internal/synth"
	"github.com/rabta/rabta/names"
	"github.com/rabta/rabta/sanctions"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const unList = "../../shared/data/un-sc-consolidated/UN_consolidated.xml"

func readUN(t testing.TB) *sanctions.List {
	t.Helper()
	l, err := sanctions.ReadFile(unList)
	if os.IsNotExist(err) {
		t.Skipf("SKIPPING: the UN list is not at %s (see ../shared/data/un-sc-consolidated/SOURCE.md)", unList)
	}
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// primaryOnly copies l keeping only each entry's primary name.
func primaryOnly(l *sanctions.List) *sanctions.List {
	p := &sanctions.List{Source: l.Source, Generated: l.Generated, Entries: slices.Clone(l.Entries)}
	for i := range p.Entries {
		e := &p.Entries[i]
		e.Names = []sanctions.Name{{Value: e.Name, Kind: sanctions.KindPrimary}}
	}
	return p
}

// benchQuery is one query of the screening benchmark: another name of a
// listed entry, which must find the entry by its primary name alone.
type benchQuery struct {
	kind, name, want, schema string
	shares                   bool // the name shares a word with the primary name (the same names.Skeleton)
}

// queryKinds, in the order reported.
var queryKinds = []string{"alias, good quality", "alias, low quality", "alias, entity (ungraded)", "former name (entity)", "original script", "all", sharing}

// sharing is the subset of queries that share a word with the primary
// name: the ones a name matcher can be expected to find.
const sharing = "all sharing a word with the primary name"

func sharesWord(a, b string) bool {
	d := names.Default()
	for _, x := range d.Parse(a).Tokens {
		for _, y := range d.Parse(b).Tokens {
			if x.Key != "" && x.Key == y.Key {
				return true
			}
		}
	}
	return false
}

func benchQueries(l *sanctions.List) []benchQuery {
	var qs []benchQuery
	for _, e := range l.Entries {
		for _, n := range e.Names {
			var kind string
			switch {
			case n.Kind == sanctions.KindOriginal:
				kind = "original script"
			case n.Kind == sanctions.KindFormer:
				kind = "former name (entity)"
			case n.Kind == sanctions.KindAlias && n.Quality == sanctions.QualityLow:
				kind = "alias, low quality"
			case n.Kind == sanctions.KindAlias && n.Quality == sanctions.QualityGood:
				kind = "alias, good quality"
			case n.Kind == sanctions.KindAlias:
				kind = "alias, entity (ungraded)"
			default:
				continue
			}
			if len(names.Tokens(n.Value)) == 0 {
				continue
			}
			qs = append(qs, benchQuery{kind, n.Value, e.ID, e.Schema, sharesWord(n.Value, e.Name)})
		}
	}
	return qs
}

type tally struct{ n, top1, top5 int }

func (t *tally) add(rank int) {
	t.n++
	if rank == 1 {
		t.top1++
	}
	if rank >= 1 && rank <= 5 {
		t.top5++
	}
}

func (t tally) rate(k int) float64 {
	if t.n == 0 {
		return 0
	}
	return float64(k) / float64(t.n)
}

// TestUNScreening is the screening benchmark (docs/benchmarks.md, "Sanctions
// screening"), in two parts. Aliases: an index of the UN list's primary
// names alone is queried with every alias and original-script name, and the
// entry itself must come first. Noisy names: each entry's primary name,
// misspelt, reordered or respelt, is screened against the whole list (every
// name indexed). It always runs (it takes a second or two) and asserts
// floors; with RABTA_BENCH_SCREEN=1 it also runs the same queries through
// PostgreSQL pg_trgm similarity() over the same names, measures false
// positives on names of people who are not listed, and prints the tables.
//
//	RABTA_BENCH_SCREEN=1 go test ./screen -run UNScreening -v
func TestUNScreening(t *testing.T) {
	full := readUN(t)
	prim := primaryOnly(full)
	ix := New(prim, Options{})
	qs := benchQueries(full)
	ours, qps, elapsed := runOurs(t, ix, qs, full)
	all := ours["all"]
	t.Logf("aliases: %d queries, top-1 %.3f, top-5 %.3f, %.0f queries/s (one goroutine)", all.n, all.rate(all.top1), all.rate(all.top5), qps)

	whole := New(full, Options{})
	noisy := noisyQueries(full)
	oursNoisy, qpsNoisy, elapsedNoisy := runOurs(t, whole, noisy, full)
	nall := oursNoisy["all"]
	t.Logf("noisy names: %d queries, top-1 %.3f, top-5 %.3f, %.0f queries/s (one goroutine)", nall.n, nall.rate(nall.top1), nall.rate(nall.top5), qpsNoisy)

	// Floors a little under the figures in docs/benchmarks.md, so that a
	// change that loses accuracy fails here. Many aliases share no word
	// with the primary name ("Abu Obaida" for TAUFIK RIFKI): no name
	// matcher finds those, which caps the reachable share well below 1.
	if r := all.rate(all.top1); r < 0.52 {
		t.Errorf("alias top-1 accuracy %.3f, want at least 0.52", r)
	}
	if o := ours["original script"]; o.rate(o.top1) < 0.92 {
		t.Errorf("original-script top-1 accuracy %.3f, want at least 0.92", o.rate(o.top1))
	}
	if r := nall.rate(nall.top1); r < 0.85 {
		t.Errorf("noisy-name top-1 accuracy %.3f, want at least 0.85", r)
	}
	if os.Getenv("RABTA_BENCH_SCREEN") != "1" {
		for _, set := range []map[string]*tally{ours, oursNoisy} {
			for _, k := range append(slices.Clone(queryKinds), noisyKinds...) {
				if o := set[k]; o != nil && o.n > 0 {
					t.Logf("  %-42s %5d  top-1 %.3f  top-5 %.3f", k, o.n, o.rate(o.top1), o.rate(o.top5))
				}
			}
		}
		return
	}

	db := trgmDB(t, full)
	peer := trgmPeer(t, db, qs, true)
	peerNoisy := trgmPeer(t, db, noisy, false)
	var b strings.Builder
	table := func(title string, kinds []string, o, p map[string]*tally) {
		fmt.Fprintf(&b, "\n%s\n\n| queries | n | ours top-1 | ours top-5 | pg_trgm top-1 | pg_trgm top-5 |\n|---|---|---|---|---|---|\n", title)
		for _, k := range kinds {
			o, p := o[k], p[k]
			if o == nil || o.n == 0 {
				continue
			}
			fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | %.3f | %.3f |\n", k, o.n, o.rate(o.top1), o.rate(o.top5), p.rate(p.top1), p.rate(p.top5))
		}
	}
	table("Aliases and original-script names against the primary names alone:", queryKinds, ours, peer)
	fmt.Fprintf(&b, "\nours: %.0f queries/s on one goroutine (%d queries in %v)\n", qps, len(qs), elapsed.Round(time.Millisecond))
	table("Noisy primary names against every name of the list:", append(noisyKinds, "all"), oursNoisy, peerNoisy)
	fmt.Fprintf(&b, "\nours: %.0f queries/s on one goroutine (%d queries in %v)\n", qpsNoisy, len(noisy), elapsedNoisy.Round(time.Millisecond))
	t.Log(b.String())

	falsePositives(t, whole, ix, qs, noisy)
}

// runOurs screens the queries one by one and tallies the rank of the
// wanted entry by kind of query.
func runOurs(t *testing.T, ix *Index, qs []benchQuery, l *sanctions.List) (map[string]*tally, float64, time.Duration) {
	out := map[string]*tally{}
	start := time.Now()
	var misses []string
	for _, q := range qs {
		cs := ix.Screen(Query{Name: q.name, Schema: q.schema}, 5)
		rank := 0
		for i, c := range cs {
			if c.ListID == q.want {
				rank = i + 1
				break
			}
		}
		for _, k := range []string{q.kind, "all", map[bool]string{true: sharing}[q.shares]} {
			if k == "" {
				continue
			}
			if out[k] == nil {
				out[k] = &tally{}
			}
			out[k].add(rank)
		}
		if rank != 1 && os.Getenv("RABTA_SCREEN_MISSES") != "" {
			got := "nothing"
			if len(cs) > 0 {
				got = fmt.Sprintf("%s %q %.3f", cs[0].ListID, cs[0].Name, cs[0].Score)
			}
			misses = append(misses, fmt.Sprintf("%-24s %q (want %s %q, rank %d) got %s", q.kind, q.name, q.want, nameOf(l, q.want), rank, got))
		}
	}
	elapsed := time.Since(start)
	for _, m := range misses {
		t.Log(m)
	}
	return out, float64(len(qs)) / elapsed.Seconds(), elapsed
}

// noisyKinds are the kinds of noisy names, in the order reported.
var noisyKinds = []string{"one typing error", "respelt vowels and doubled letters", "a word dropped, the rest reversed"}

// noisyQueries makes three noisy versions of every entry's primary name,
// the way clerks and other lists write names: one typing error (a letter
// replaced, dropped, added or swapped with the next) in a word of four or
// more letters; vowels respelt (a/e, i/ee, o/u) and doubled consonants
// single or single ones doubled; and, for names of three words or more, one
// word dropped and the rest in reverse order (two-word names only
// reversed). The same list always gives the same queries.
func noisyQueries(l *sanctions.List) []benchQuery {
	rng := rand.New(rand.NewPCG(2026, 2))
	var qs []benchQuery
	for _, e := range l.Entries {
		words := strings.Fields(e.Name)
		add := func(kind string, ws []string) {
			if name := strings.Join(ws, " "); name != e.Name && len(names.Tokens(name)) > 0 {
				qs = append(qs, benchQuery{kind, name, e.ID, e.Schema, false})
			}
		}
		// One typing error.
		var long []int
		for i, w := range words {
			if len([]rune(w)) >= 4 {
				long = append(long, i)
			}
		}
		if len(long) > 0 {
			ws := slices.Clone(words)
			i := long[rng.IntN(len(long))]
			ws[i] = typo(rng, ws[i])
			add(noisyKinds[0], ws)
		}
		// Respelt.
		ws := slices.Clone(words)
		for i := range ws {
			ws[i] = respell(rng, ws[i])
		}
		add(noisyKinds[1], ws)
		// Dropped and reversed.
		if len(words) >= 2 {
			ws := slices.Clone(words)
			if len(ws) >= 3 {
				i := rng.IntN(len(ws))
				ws = slices.Delete(ws, i, i+1)
			}
			slices.Reverse(ws)
			add(noisyKinds[2], ws)
		}
	}
	return qs
}

func typo(rng *rand.Rand, w string) string {
	rs := []rune(w)
	i := 1 + rng.IntN(len(rs)-1) // not the first letter: typists see that one
	letter := rune('A' + rng.IntN(26))
	switch rng.IntN(4) {
	case 0:
		rs[i] = letter
	case 1:
		rs = slices.Delete(rs, i, i+1)
	case 2:
		rs = slices.Insert(rs, i, letter)
	default:
		if i+1 < len(rs) {
			rs[i], rs[i+1] = rs[i+1], rs[i]
		} else {
			rs[i-1], rs[i] = rs[i], rs[i-1]
		}
	}
	return string(rs)
}

func respell(rng *rand.Rand, w string) string {
	var b strings.Builder
	rs := []rune(strings.ToUpper(w))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == 'A' && rng.IntN(2) == 0:
			b.WriteRune('E')
		case r == 'E' && rng.IntN(2) == 0:
			b.WriteRune('A')
		case r == 'I' && rng.IntN(2) == 0:
			b.WriteString("EE")
		case r == 'O' && rng.IntN(2) == 0:
			b.WriteRune('U')
		case r == 'U' && rng.IntN(2) == 0:
			b.WriteRune('O')
		case i+1 < len(rs) && rs[i+1] == r && !strings.ContainsRune("AEIOU", r) && rng.IntN(2) == 0:
			b.WriteRune(r) // a doubled consonant written once
			i++
		case strings.ContainsRune("BDKLMNRST", r) && i > 0 && i+1 < len(rs) && rng.IntN(6) == 0:
			b.WriteRune(r) // a single one doubled
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func nameOf(l *sanctions.List, id string) string {
	for _, e := range l.Entries {
		if e.ID == id {
			return e.Name
		}
	}
	return ""
}

// trgmDB loads every name of the list into PostgreSQL: a table of
// (list_id, schema, kind, name) with a pg_trgm index.
func trgmDB(t *testing.T, l *sanctions.List) *sql.DB {
	ctx := context.Background()
	db, err := sql.Open("pgx", pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, s := range []string{
		"CREATE EXTENSION IF NOT EXISTS pg_trgm",
		"CREATE TABLE names (list_id text NOT NULL, schema text NOT NULL, kind text NOT NULL, name text NOT NULL)",
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range l.Entries {
		for _, n := range e.Names {
			if _, err := tx.ExecContext(ctx, "INSERT INTO names VALUES ($1, $2, $3, $4)", e.ID, e.Schema, n.Kind, n.Value); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops); ANALYZE names"); err != nil {
		t.Fatal(err)
	}
	return db
}

// trgmPeer runs the queries through pg_trgm: ORDER BY similarity(name,
// query) DESC over the primary names alone (primary) or over every name,
// best name per entry, five entries.
func trgmPeer(t *testing.T, db *sql.DB, qs []benchQuery, primary bool) map[string]*tally {
	ctx := context.Background()
	q := `SELECT list_id FROM names WHERE schema = $2 GROUP BY list_id
		ORDER BY max(similarity(name, $1)) DESC, list_id LIMIT 5`
	if primary {
		q = `SELECT list_id FROM names WHERE schema = $2 AND kind = 'primary'
		ORDER BY similarity(name, $1) DESC, list_id LIMIT 5`
	}
	stmt, err := db.PrepareContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer stmt.Close()
	out := map[string]*tally{}
	start := time.Now()
	for _, q := range qs {
		rows, err := stmt.QueryContext(ctx, q.name, q.schema)
		if err != nil {
			t.Fatal(err)
		}
		rank, i := 0, 0
		for rows.Next() {
			i++
			var id string
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			if id == q.want && rank == 0 {
				rank = i
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		for _, k := range []string{q.kind, "all", map[bool]string{true: sharing}[q.shares]} {
			if k == "" {
				continue
			}
			if out[k] == nil {
				out[k] = &tally{}
			}
			out[k].add(rank)
		}
	}
	t.Logf("pg_trgm: %d queries in %v (%.0f queries/s, one connection)", len(qs), time.Since(start).Round(time.Millisecond), float64(len(qs))/time.Since(start).Seconds())
	return out
}

// falsePositives screens names of people who are not on the list against
// the whole list (every name indexed, as in production) and counts the
// queries with a candidate at or above each threshold; for comparison, the
// share of the benchmark's true queries (against the primary-only index)
// whose entry reaches the same thresholds.
func falsePositives(t *testing.T, full, prim *Index, qs, noisy []benchQuery) {
	thresholds := []float64{0.3, 0.5, 0.6, 0.7, 0.8}
	pops := []struct {
		name    string
		queries []Query
	}{
		{"synthetic Pakistani people (internal/synth), name only", synthQueries(10000, false)},
		{"synthetic Pakistani people, name and birth date", synthQueries(10000, true)},
		{"FEBRL-4a people (Australian), given name + surname", febrlQueries(t)},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n| population | queries |")
	for _, th := range thresholds {
		fmt.Fprintf(&b, " ≥ %.1f |", th)
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(thresholds)) + "\n")
	for _, p := range pops {
		if len(p.queries) == 0 {
			continue
		}
		counts := make([]int, len(thresholds))
		var worst []string
		for _, q := range p.queries {
			cs := full.Screen(q, 1)
			if len(cs) == 0 {
				continue
			}
			for i, th := range thresholds {
				if cs[0].Score >= th {
					counts[i]++
				}
			}
			if cs[0].Score >= 0.5 && len(worst) < 8 {
				worst = append(worst, fmt.Sprintf("%q → %s %q via %q %.3f", q.Name, cs[0].ListID, cs[0].Name, cs[0].Matched, cs[0].Score))
			}
		}
		fmt.Fprintf(&b, "| %s | %d |", p.name, len(p.queries))
		for _, c := range counts {
			fmt.Fprintf(&b, " %d (%.2f %%) |", c, 100*float64(c)/float64(len(p.queries)))
		}
		b.WriteString("\n")
		for _, w := range worst {
			t.Logf("  false positive: %s", w)
		}
	}
	// Recall at the same thresholds: the benchmark's queries whose own
	// entry reaches them.
	recall := func(label string, ix *Index, qs []benchQuery) {
		hits := make([]int, len(thresholds))
		for _, q := range qs {
			for _, c := range ix.Screen(Query{Name: q.name, Schema: q.schema}, 50) {
				if c.ListID == q.want {
					for i, th := range thresholds {
						if c.Score >= th {
							hits[i]++
						}
					}
					break
				}
			}
		}
		fmt.Fprintf(&b, "| *%s reaching the threshold* | %d |", label, len(qs))
		for _, h := range hits {
			fmt.Fprintf(&b, " %d (%.1f %%) |", h, 100*float64(h)/float64(len(qs)))
		}
		b.WriteString("\n")
	}
	recall("true queries: aliases, original script (primary names indexed)", prim, qs)
	recall("true queries: noisy primary names (every name indexed)", full, noisy)
	t.Log(b.String())
}

func synthQueries(n int, withDate bool) []Query {
	out := make([]Query, n)
	for i := range out {
		p := synth.Person(42, i)
		out[i] = Query{Name: p.Properties["name"][0], Schema: "Person"}
		if withDate {
			out[i].BirthDate = p.Properties["birthDate"][0]
		}
	}
	return out
}

func febrlQueries(t *testing.T) []Query {
	f, err := os.Open("../../shared/data/febrl/dataset4a.csv")
	if err != nil {
		t.Logf("no FEBRL data: %v", err)
		return nil
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.TrimLeadingSpace = true
	if _, err := r.Read(); err != nil {
		t.Fatal(err)
	}
	var out []Query
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if name := strings.TrimSpace(rec[1] + " " + rec[2]); name != "" {
			out = append(out, Query{Name: name, Schema: "Person"})
		}
	}
	return out
}

// BenchmarkScreen screens the benchmark's queries against the whole UN list
// (every name indexed), one query per iteration.
//
//	go test ./screen -run '^$' -bench Screen
func BenchmarkScreen(b *testing.B) {
	l := readUN(b)
	ix := New(l, Options{})
	qs := benchQueries(l)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := qs[i%len(qs)]
		ix.Screen(Query{Name: q.name, Schema: q.schema}, 5)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}
