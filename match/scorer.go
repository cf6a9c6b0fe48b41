package match

import (
	"fmt"
	"math"

	"github.com/rabta/rabta/names"
)

// Scorer scores pairs of records one at a time with a model estimated on a
// data set: what the platform uses to resolve records into profiles as they
// arrive, without re-running the whole data set for each new record.
// It is safe for concurrent use.
type Scorer struct {
	md             *model
	dict           *names.Dictionary
	nameF, addrF   *names.Freq
	records, cands int
}

// Train estimates a model from records as Run does — u from random pairs,
// then m, u and the match share by EM over the candidate pairs — and
// returns a Scorer that applies it. Word rarity comes from these records
// too; words never seen weigh as rare.
func Train(records []Record, opt Options) (*Scorer, error) {
	opt.defaults(len(records))
	if len(records) > math.MaxInt32 {
		return nil, fmt.Errorf("match: %d records is more than one run can take", len(records))
	}
	es, vocab, have, nameF, addrF := prepareFreq(records, opt)
	// Properties the training data lacks have no estimates: records to
	// score are compared on the others.
	feats := features(have)
	if len(feats) > maxFeatures {
		return nil, fmt.Errorf("match: %d features, at most %d", len(feats), maxFeatures)
	}
	c := &comparer{vocab: vocab}
	md := newModel(feats, len(es))
	md.estimateU(c, es, opt.Samples, opt.Workers)
	bl := block(es, vocab, opt)
	cands, counts := compareAll(c, md, es, bl, opt, func(string, int, int) {})
	md.initM()
	md.em(counts, 100)
	return &Scorer{md: md, dict: opt.Dictionary, nameF: nameF, addrF: addrF, records: len(es), cands: cands.len()}, nil
}

// Score compares two records. Value-frequency adjustments need the whole
// data set and are left out; the rules for strong identifiers apply.
func (s *Scorer) Score(a, b Record) Pair {
	pr := newPreparer(s.dict)
	ea, eb := pr.prepare(&a), pr.prepare(&b)
	vocab, addr := vocabulary([]*preparer{pr})
	for _, e := range []*entity{&ea, &eb} {
		for k, w := range e.words {
			e.words[k] = pr.renum[w]
		}
	}
	for w := range vocab {
		if addr[w] {
			vocab[w].Weight = s.addrF.Weight(vocab[w])
		} else {
			vocab[w].Weight = s.nameF.Weight(vocab[w])
		}
	}
	c := &comparer{vocab: vocab}
	p := s.md.pattern(c, &ea, &eb)
	sc, rule := s.md.ruled(p, 0, ea.strong&eb.strong)
	return Pair{A: 0, B: 1, Probability: probability(sc), Score: sc, Explanation: s.md.explain(p, 0, rule)}
}

// Model reports the estimated parameters.
func (s *Scorer) Model() Parameters { return s.md.params() }
