// Package resolve connects the matcher (package match) to the platform:
// it estimates a model from the stored records, scores pairs for the
// store's profile resolution, and keeps resolving records that arrive
// without a profile (imports, restarts) in the background.
package resolve

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/match"
	"github.com/rabta/rabta/schema"
	"github.com/rabta/rabta/sqlstore"
)

// Default zones of the platform's profile resolution.
const (
	Threshold = 0.9 // same subject: merged into one profile
	Review    = 0.3 // between Review and Threshold: for an analyst to judge
)

// Zones are the match and review thresholds in use.
type Zones struct{ Threshold, Review float64 }

// props maps FollowTheMoney properties of stored records to the matcher's.
var props = map[string]string{
	"name": "name", "alias": "alias", "weakAlias": "alias", "previousName": "alias",
	"firstName": "firstName", "middleName": "middleName", "lastName": "lastName", "fatherName": "fatherName",
	"birthDate": "birthDate", "birthPlace": "birthPlace", "gender": "gender", "nationality": "nationality",
	"idNumber": "idNumber", "passportNumber": "passportNumber", "taxNumber": "taxNumber",
	"phone": "phone", "email": "email", "address": "address", "country": "country",
	"registrationNumber": "idNumber", "incorporationDate": "birthDate", "jurisdiction": "country",
}

// Record turns a stored record into the matcher's form.
func Record(r *rabta.Record) match.Record {
	m := match.Record{ID: r.ID}
	for p, vs := range r.Properties {
		to, ok := props[p]
		if !ok {
			continue
		}
		for _, v := range vs {
			m.Add(to, v)
		}
	}
	if s, ok := schema.Get(r.Schema); ok {
		if s.IsA("Person") || s.IsA("Victim") {
			m.Add("schema", "person")
		} else {
			m.Add("schema", "organization")
		}
	}
	return m
}

// Scorer adapts a trained match.Scorer to the store.
type Scorer struct{ S *match.Scorer }

// Score implements sqlstore.PairScorer.
func (s Scorer) Score(a, b *rabta.Record) (float64, string) {
	p := s.S.Score(Record(a), Record(b))
	return p.Probability, p.Explanation
}

// Train estimates the matcher's model from up to limit of the store's
// resolvable records (persons and organisations): no labels needed.
func Train(ctx context.Context, st *sqlstore.Store, limit int) (*match.Scorer, int, error) {
	return TrainZones(ctx, st, limit, Zones{Threshold, Review})
}

// TrainZones is Train with the zones given.
func TrainZones(ctx context.Context, st *sqlstore.Store, limit int, z Zones) (*match.Scorer, int, error) {
	recs, err := st.ResolvableRecords(ctx, limit)
	if err != nil {
		return nil, 0, err
	}
	in := make([]match.Record, len(recs))
	for i, r := range recs {
		in[i] = Record(r)
	}
	sc, err := match.Train(in, match.Options{Threshold: z.Threshold, Review: z.Review})
	if err != nil {
		return nil, 0, fmt.Errorf("resolve: training: %w", err)
	}
	return sc, len(in), nil
}

// minTraining is the fewest records a model is estimated from: fewer give
// EM too little to tell matches from coincidences.
const minTraining = 200

// Start resolves pending records every interval until ctx ends. It trains
// the matcher once the platform holds minTraining resolvable records, and
// again whenever their number has doubled since. Training problems are
// logged, not fatal: the platform works without profiles.
func Start(ctx context.Context, st *sqlstore.Store, z Zones, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	trainedOn := 0
	for {
		n, err := st.CountResolvable(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("profile matcher", "err", err)
		}
		if n >= minTraining && n >= 2*trainedOn {
			sc, k, err := TrainZones(ctx, st, 200_000, z)
			if err != nil {
				log.Error("profile matcher not trained", "err", err)
			} else {
				st.SetPairScorer(Scorer{sc}, z.Threshold, z.Review)
				trainedOn = k
				log.Info("profile matcher trained", "records", k)
			}
		}
		for trainedOn > 0 && ctx.Err() == nil {
			k, err := st.ResolvePending(ctx, 500)
			if err != nil {
				if ctx.Err() == nil && !strings.Contains(err.Error(), "context canceled") {
					log.Error("resolving profiles", "err", err)
				}
				break
			}
			if k == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
