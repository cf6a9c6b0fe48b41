package sqlstore

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/internal/pgtest"
)

// callGraph imports phones phones and calls calls between them (a seeded
// preferential-attachment pattern: some numbers are busy), all released
// to every agency, and returns the phones' ids.
func callGraph(tb testing.TB, s *Store, phones, calls int) []string {
	rng := rand.New(rand.NewPCG(7, 11))
	ids := make([]string, phones)
	var ends []int // every call end so far: picking from it favours busy numbers
	var recs []*rabta.Record
	for i := range phones {
		ids[i] = fmt.Sprintf("bench-phone-%d", i)
		recs = append(recs, &rabta.Record{ID: ids[i], Schema: "Phone", Marking: rabta.Marking{Release: rabta.ReleaseAll},
			Properties: map[string][]string{"number": {fmt.Sprintf("+92300%07d", 1000000+i)}}})
	}
	for i := range calls {
		a := rng.IntN(phones)
		b := rng.IntN(phones)
		if len(ends) > 0 && rng.IntN(2) == 0 {
			b = ends[rng.IntN(len(ends))]
		}
		if a == b {
			b = (b + 1) % phones
		}
		ends = append(ends, a, b)
		recs = append(recs, &rabta.Record{ID: fmt.Sprintf("bench-call-%d", i), Schema: "Call", Marking: rabta.Marking{Release: rabta.ReleaseAll},
			Properties: map[string][]string{"callerPhone": {ids[a]}, "receiverPhone": {ids[b]}, "startDate": {fmt.Sprintf("2025-%02d-%02dT10:00:00", 1+i%12, 1+i%28)}, "duration": {"60"}}})
	}
	i := 0
	next := func() (*rabta.Record, error) {
		if i == len(recs) {
			return nil, io.EOF
		}
		i++
		return recs[i-1], nil
	}
	if _, err := s.Import(context.Background(), benchWriter, next, ImportOptions{}); err != nil {
		tb.Fatal(err)
	}
	return ids
}

// BenchmarkNetwork loads a link chart's worth of network — 5,000 phones and
// 20,000 calls, everything within 6 hops, as another agency (so every link
// and end goes through the access decision):
//
//	go test ./sqlstore -run '^$' -bench Network -benchtime 5x
func BenchmarkNetwork(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "bench.db")
			if db == "postgres" {
				dsn = pgtest.DSN(b)
			}
			s := benchStore(b, dsn)
			if err := s.CreateAgency(context.Background(), System, &rabta.Agency{Code: "ANF", Name: "ANF"}); err != nil {
				b.Fatal(err)
			}
			ids := callGraph(b, s, 5000, 20000)
			reader := rabta.Principal{Username: "reader", Agency: "ANF", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
			q := NetworkQuery{Seeds: ids[:1], Hops: 6, MaxNodes: MaxNetworkNodes, MaxDegree: 100000}
			b.ResetTimer()
			var net *Network
			for range b.N {
				var err error
				if net, err = s.Network(context.Background(), reader, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(net.Nodes)), "nodes")
			b.ReportMetric(float64(len(net.Edges)), "edges")
		})
	}
}
