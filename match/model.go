package match

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// model is a Fellegi–Sunter model: for each feature and level, m (the
// probability of the level among true matches) and u (among non-matches);
// the weight of a level is log2(m/u) and a pair's score is the prior
// log-odds plus the weights of its levels.
type model struct {
	feats  []feature
	m, u   [][]float64
	lambda float64 // share of matches among candidate pairs
	// w and logOdds are the weights and prior once estimated (setWeights).
	w       [][]float64
	logOdds float64
	// tfs index the values of features with term frequencies; n is the
	// number of records.
	tfs []*tfIndex
	n   int
	// gender and birthDate are those features' indices, -1 if absent.
	gender, birthDate int
}

func newModel(feats []feature, n int) *model {
	md := &model{feats: feats, n: n, tfs: make([]*tfIndex, len(feats)), gender: -1, birthDate: -1}
	for f, ft := range feats {
		switch ft.name {
		case "gender":
			md.gender = f
		case "birthDate":
			md.birthDate = f
		}
	}
	return md
}

// pattern packs the levels of a comparison vector, four bits per feature.
type pattern uint64

func (p pattern) level(f int) int { return int(p>>(4*f)) & 0xF }

const maxFeatures = 16

func (md *model) weight(f, l int) float64 { return md.w[f][l] }

// prior is the log2-odds of a match before any evidence.
func (md *model) prior() float64 { return md.logOdds }

// setWeights computes the weights and prior from the estimates, once:
// scoring millions of pairs need not take their logarithms each time.
func (md *model) setWeights() {
	md.w = make([][]float64, len(md.feats))
	for f := range md.feats {
		md.w[f] = make([]float64, len(md.m[f]))
		for l := 1; l < len(md.m[f]); l++ {
			md.w[f][l] = math.Log2(md.m[f][l] / md.u[f][l])
			if md.feats[f].ordinal && l > 1 {
				// A weaker agreement is never more evidence than a
				// stronger one, whatever EM made of a small sample.
				md.w[f][l] = math.Min(md.w[f][l], md.w[f][l-1])
			}
		}
	}
	md.logOdds = math.Log2(md.lambda / (1 - md.lambda))
}

// estimateU estimates u from random pairs of records: nearly all random
// pairs are non-matches, so their level frequencies are u. Each worker
// draws from its own seeded generator, so runs are reproducible.
func (md *model) estimateU(c *comparer, es []entity, samples, workers int) {
	newCounts := func() [][]float64 {
		counts := make([][]float64, len(md.feats))
		for f := range md.feats {
			counts[f] = make([]float64, len(md.feats[f].levels))
		}
		return counts
	}
	n := len(es)
	parts := make([][][]float64, workers)
	if n >= 2 {
		if total := n * (n - 1) / 2; total <= samples {
			// Few records: every pair.
			parallelChunks(n, workers, 64, func(w, lo, hi int) {
				if parts[w] == nil {
					parts[w] = newCounts()
				}
				c := c.fork()
				for i := lo; i < hi; i++ {
					for j := i + 1; j < n; j++ {
						md.countLevels(c, &es[i], &es[j], parts[w])
					}
				}
			})
		} else {
			per := (samples + workers - 1) / workers
			parallelChunks(workers, workers, 1, func(_, w, _ int) {
				counts := newCounts()
				c := c.fork()
				rng := rand.New(rand.NewPCG(1, uint64(w)+2))
				for s := 0; s < per; s++ {
					i, j := rng.IntN(n), rng.IntN(n-1)
					if j >= i {
						j++
					}
					md.countLevels(c, &es[i], &es[j], counts)
				}
				parts[w] = counts
			})
		}
	}
	counts := newCounts()
	for _, p := range parts {
		for f := range p {
			for l := range p[f] {
				counts[f][l] += p[f][l]
			}
		}
	}
	md.u = make([][]float64, len(md.feats))
	for f := range md.feats {
		L := len(md.feats[f].levels)
		md.u[f] = make([]float64, L)
		sum := 0.0
		for l := 1; l < L; l++ {
			sum += counts[f][l]
		}
		for l := 1; l < L; l++ {
			// Laplace smoothing: a level never seen among random
			// pairs is rare, not impossible.
			md.u[f][l] = (counts[f][l] + 0.5) / (sum + 0.5*float64(L-1))
		}
	}
}

// agreement returns each feature's u of exact agreement (level 1), which
// term frequencies refine by value.
func (md *model) agreement() []float64 {
	u := make([]float64, len(md.feats))
	for f := range md.feats {
		u[f] = md.u[f][1]
	}
	return u
}

func (md *model) countLevels(c *comparer, a, b *entity, counts [][]float64) {
	if a.kind != 0 && b.kind != 0 && a.kind != b.kind {
		return
	}
	for f := range md.feats {
		counts[f][md.feats[f].cmp(c, a, b)]++
	}
}

// initM sets starting m probabilities: most matches agree exactly, fewer
// at each weaker level, a few disagree.
func (md *model) initM() {
	md.m = make([][]float64, len(md.feats))
	for f := range md.feats {
		L := len(md.feats[f].levels)
		m := make([]float64, L)
		rest := 0.2
		m[1] = 0.8
		for l := 2; l < L; l++ {
			rest /= 2
			m[l] = rest
		}
		m[L-1] += rest
		md.m[f] = m
	}
	md.lambda = 0.1
}

// em estimates m and lambda by expectation–maximisation over the
// candidate pairs' patterns, with u held at its random-pair estimate
// (estimating u by EM as well lets the "match" class drift to whatever
// else candidates share, such as a family's surname and address).
func (md *model) em(counts map[pattern]int, iterations int) {
	defer md.setWeights()
	type pc struct {
		p pattern
		n float64
	}
	pats := make([]pc, 0, len(counts))
	total := 0.0
	for p, n := range counts {
		pats = append(pats, pc{p, float64(n)})
		total += float64(n)
	}
	// A fixed order, so that the sums and thus the estimates do not
	// depend on map iteration.
	slices.SortFunc(pats, func(x, y pc) int { return cmp.Compare(x.p, y.p) })
	if total == 0 {
		return
	}
	F := len(md.feats)
	for it := 0; it < iterations; it++ {
		acc := make([][]float64, F)
		accU := make([][]float64, F)
		for f := range acc {
			acc[f] = make([]float64, len(md.feats[f].levels))
			accU[f] = make([]float64, len(md.feats[f].levels))
		}
		matches := 0.0
		logPrior := math.Log(md.lambda / (1 - md.lambda))
		for _, x := range pats {
			lo := logPrior
			for f := 0; f < F; f++ {
				if l := x.p.level(f); l != 0 {
					lo += math.Log(md.m[f][l] / md.u[f][l])
				}
			}
			g := 1 / (1 + math.Exp(-lo))
			w := g * x.n
			matches += w
			for f := 0; f < F; f++ {
				acc[f][x.p.level(f)] += w
				accU[f][x.p.level(f)] += x.n - w
			}
		}
		change := 0.0
		for f := 0; f < F; f++ {
			L := len(md.feats[f].levels)
			sum := 0.0
			for l := 1; l < L; l++ {
				sum += acc[f][l]
			}
			if sum < 1e-9 {
				continue
			}
			for l := 1; l < L; l++ {
				v := (acc[f][l] + 1e-3) / (sum + 1e-3*float64(L-1))
				change = math.Max(change, math.Abs(v-md.m[f][l]))
				md.m[f][l] = v
			}
			sumU := 0.0
			for l := 1; l < L; l++ {
				sumU += accU[f][l]
			}
			if sumU > 1 {
				for l := 1; l < L; l++ {
					md.u[f][l] = (accU[f][l] + 0.5) / (sumU + 0.5*float64(L-1))
				}
			}
		}
		lam := math.Min(math.Max(matches/total, 1e-6), 1-1e-6)
		change = math.Max(change, math.Abs(lam-md.lambda))
		md.lambda = lam
		if change < 1e-5 {
			break
		}
	}
}

// score returns the log2-odds of a match for a pair with pattern p and
// term-frequency adjustment tf.
func (md *model) score(p pattern, tf float64) float64 {
	s := md.prior() + tf
	for f := range md.feats {
		s += md.weight(f, p.level(f))
	}
	return s
}

// tf is the term-frequency adjustment of a pair with pattern p: for each
// feature it agrees on exactly, the rarest value both records have against
// u[f], the feature's u of exact agreement.
func (md *model) tf(p pattern, a, b int, u []float64) float64 {
	tf := 0.0
	for f, x := range md.tfs {
		if x == nil || p.level(f) != 1 {
			continue
		}
		if best := x.rarest(a, b); best > 0 {
			uValue := float64(best) / float64(md.n)
			tf += math.Max(-10, math.Min(3, math.Log2(u[f]/uValue)))
		}
	}
	return tf
}

// tfIndex holds, per record, hashes of the values a feature agrees on at
// level 1 and how many records have each.
type tfIndex struct {
	off   []int32 // record i's values are hash[off[i]:off[i+1]]
	hash  []uint64
	count []int32
}

func newTFIndex(c *comparer, es []entity, tf func(*comparer, *entity, []uint64) []uint64) *tfIndex {
	x := &tfIndex{off: make([]int32, len(es)+1), hash: make([]uint64, 0, len(es))}
	var hs []uint64
	for i := range es {
		start := len(x.hash)
		hs = tf(c, &es[i], hs[:0])
		for _, h := range hs {
			if !slices.Contains(x.hash[start:], h) {
				x.hash = append(x.hash, h)
			}
		}
		x.off[i+1] = int32(len(x.hash))
	}
	// Count by sorting: a map of a million values would be garbage of
	// several times their size.
	values := slices.Clone(x.hash)
	slices.Sort(values)
	var counts []int32
	distinct := values[:0]
	for k, h := range values {
		if k > 0 && h == values[k-1] {
			counts[len(counts)-1]++
			continue
		}
		distinct = append(distinct, h)
		counts = append(counts, 1)
	}
	x.count = make([]int32, len(x.hash))
	for k, h := range x.hash {
		i, _ := slices.BinarySearch(distinct, h)
		x.count[k] = counts[i]
	}
	return x
}

// rarest returns how many records have the rarest value records a and b
// share, 0 if they share none.
func (x *tfIndex) rarest(a, b int) int32 {
	best := int32(0)
	hb := x.hash[x.off[b]:x.off[b+1]]
	for k := x.off[a]; k < x.off[a+1]; k++ {
		if slices.Contains(hb, x.hash[k]) {
			if c := x.count[k]; best == 0 || c < best {
				best = c
			}
		}
	}
	return best
}

// Probability turns log2-odds into a probability.
func probability(score float64) float64 { return 1 / (1 + math.Exp2(-score)) }

// explain lists what each feature added or removed, strongest first.
func (md *model) explain(p pattern, tf float64, rule string) string {
	var parts []string
	parts = append(parts, fmt.Sprintf("prior %+.1f", md.prior()))
	for f, ft := range md.feats {
		l := p.level(f)
		if l == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %s %+.1f", ft.name, ft.levels[l], md.weight(f, l)))
	}
	if tf != 0 {
		parts = append(parts, fmt.Sprintf("value frequency %+.1f", tf))
	}
	if rule != "" {
		parts = append(parts, rule)
	}
	return strings.Join(parts, "; ")
}

// Parameters reports the estimated model for documentation and tests.
type Parameters struct {
	Lambda   float64
	Features []FeatureParams
}

// FeatureParams are one feature's levels with m, u and weight.
type FeatureParams struct {
	Name   string
	Levels []LevelParams
}

// LevelParams is one level of a feature.
type LevelParams struct {
	Level   string
	M, U, W float64
}

func (md *model) params() Parameters {
	p := Parameters{Lambda: md.lambda}
	for f, ft := range md.feats {
		fp := FeatureParams{Name: ft.name}
		for l := 1; l < len(ft.levels); l++ {
			fp.Levels = append(fp.Levels, LevelParams{ft.levels[l], md.m[f][l], md.u[f][l], md.weight(f, l)})
		}
		p.Features = append(p.Features, fp)
	}
	return p
}
