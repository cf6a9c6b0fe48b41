package match

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/names"
)

// Options tune a run. The zero value is usable.
type Options struct {
	// Threshold is the match probability at or above which a pair is a
	// match (default 0.5). Review is the lower bound of the review zone
	// (default 0.1): pairs between Review and Threshold are returned for
	// an analyst to judge, never merged.
	Threshold, Review float64
	// MaxBlock is the largest block used for candidates (default 200);
	// larger ones are hubs and are dropped.
	MaxBlock int
	// MaxCandidates stops adding a record's blocks, smallest first, once
	// it has this many candidates (default 50).
	MaxCandidates int
	// Samples is the number of random pairs that estimate u (default ten
	// per record, at least 50,000 and at most 300,000).
	Samples int
	// Dictionary of name variants and titles (default names.Default()).
	Dictionary *names.Dictionary
	// Explain asks for an explanation of every returned pair.
	Explain bool
	// Progress, when set, is told what the run is doing.
	Progress func(stage string, done, total int)
	// Workers is the number of goroutines (default GOMAXPROCS).
	Workers int
}

// Pair is a scored pair of records, by index into the input.
type Pair struct {
	A, B        int
	Probability float64
	Score       float64 // log2-odds
	Explanation string  // with Options.Explain
}

// Result is the outcome of a run.
type Result struct {
	Matches []Pair // every pair of records in one cluster (the matched edges and the pairs they join)
	Review  []Pair // pairs in the review zone, and matches the clustering refused
	Cluster []int  // per record, the index of its cluster's first record
	Model   Parameters
	Stats   Stats
}

// Stats counts what a run did.
type Stats struct {
	Records, Candidates, HubKeys, Features int
}

type scored struct {
	a, b int32
	p    pattern
	tf   float32
}

// Run resolves records: every pair of records (within and across sources)
// that is likely the same subject, and clusters of them.
func Run(records []Record, opt Options) (*Result, error) {
	if opt.Threshold == 0 {
		opt.Threshold = 0.5
	}
	if opt.Review == 0 || opt.Review > opt.Threshold {
		opt.Review = math.Min(0.1, opt.Threshold)
	}
	if opt.MaxBlock == 0 {
		opt.MaxBlock = 200
	}
	if opt.MaxCandidates == 0 {
		opt.MaxCandidates = 50
	}
	if opt.Samples == 0 {
		// Enough pairs to see rare agreements, not more: EM refines u
		// on the candidate pairs anyway.
		opt.Samples = min(max(10*len(records), 50_000), 300_000)
	}
	if opt.Dictionary == nil {
		opt.Dictionary = names.Default()
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if len(records) > math.MaxInt32 {
		return nil, fmt.Errorf("match: %d records is more than one run can take", len(records))
	}
	n := len(records)

	// Prepare: parse every value once, in parallel.
	es := make([]entity, n)
	have := map[string]bool{}
	for i := range records {
		for p, vs := range records[i].Values {
			if len(vs) > 0 {
				have[p] = true
			}
		}
	}
	parallel(n, opt.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			es[i] = prepare(&records[i], opt.Dictionary)
		}
	})
	progress("prepare", n, n)

	feats := features(have)
	if len(feats) > maxFeatures {
		return nil, fmt.Errorf("match: %d features, at most %d", len(feats), maxFeatures)
	}
	nameFreq, addrFreq := names.NewFreq(), names.NewFreq()
	for i := range es {
		if len(es[i].names) > 0 {
			nameFreq.Add(es[i].names[0])
		}
		if len(es[i].father) > 0 {
			nameFreq.Add(names.Name{Tokens: es[i].father})
		}
		if len(es[i].address) > 0 {
			addrFreq.Add(names.Name{Tokens: es[i].address})
		}
	}
	parallel(n, opt.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			e := &es[i]
			for k := range e.names {
				nameFreq.Set(e.names[k].Tokens)
			}
			nameFreq.Set(e.father)
			nameFreq.Set(e.employ)
			addrFreq.Set(e.address)
		}
	})
	c := &comparer{}
	md := &model{feats: feats, n: n}

	// Term frequencies of the values features agree on.
	seed := maphash.MakeSeed()
	tfh := make([][][]uint64, len(feats)) // feature → record → value hashes
	md.tfCount = make([]map[uint64]int32, len(feats))
	for f, ft := range feats {
		if ft.tf == nil {
			continue
		}
		tfh[f] = make([][]uint64, n)
		counts := map[uint64]int32{}
		for i := range es {
			vals := ft.tf(&es[i])
			hs := make([]uint64, 0, len(vals))
			for _, v := range vals {
				h := maphash.String(seed, v)
				if !slices.Contains(hs, h) {
					hs = append(hs, h)
					counts[h]++
				}
			}
			tfh[f][i] = hs
		}
		md.tfCount[f] = counts
	}

	md.estimateU(c, es, opt.Samples, opt.Workers)
	progress("estimate u", opt.Samples, opt.Samples)

	// Blocking.
	keys := make([][]uint64, n)
	parallel(n, opt.Workers, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			keys[i] = blockingKeys(&es[i], seed, nil)
		}
	})
	bl := buildBlocks(keys, opt.MaxBlock)
	progress("blocking", n, n)

	// Compare every candidate pair.
	tfAdj := func(f, a, b int) float64 {
		if tfh[f] == nil {
			return 0
		}
		// the rarest value both records have
		best := int32(0)
		for _, x := range tfh[f][a] {
			if slices.Contains(tfh[f][b], x) {
				if c := md.tfCount[f][x]; best == 0 || c < best {
					best = c
				}
			}
		}
		if best == 0 {
			return 0
		}
		uValue := float64(best) / float64(n)
		adj := math.Log2(md.u[f][1] / uValue)
		return math.Max(-10, math.Min(3, adj))
	}
	parts := make([][]scored, opt.Workers)
	var mu sync.Mutex
	done := 0
	parallelChunks(n, opt.Workers, 2048, func(w, lo, hi int) {
		var buf []int32
		out := parts[w]
		for i := lo; i < hi; i++ {
			buf = bl.candidates(int32(i), buf, opt.MaxCandidates)
			for _, j := range buf {
				a, b := &es[i], &es[j]
				if a.kind != 0 && b.kind != 0 && a.kind != b.kind {
					continue // a person is never an organisation
				}
				var p pattern
				tf := 0.0
				for f := range feats {
					l := feats[f].cmp(c, a, b)
					p |= pattern(l) << (4 * f)
					if l == 1 {
						tf += tfAdj(f, i, int(j))
					}
				}
				out = append(out, scored{int32(i), j, p, float32(tf)})
			}
		}
		parts[w] = out
		mu.Lock()
		done += hi - lo
		d := done
		mu.Unlock()
		progress("compare", d, n)
	})
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	pairs := make([]scored, 0, total)
	for w := range parts {
		pairs = append(pairs, parts[w]...)
		parts[w] = nil
	}
	slices.SortFunc(pairs, func(x, y scored) int {
		if x.a != y.a {
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})

	// Estimate m by EM over the patterns.
	counts := map[pattern]int{}
	for _, s := range pairs {
		counts[s.p]++
	}
	md.initM()
	md.em(counts, 100)
	progress("estimate m", len(counts), len(counts))

	res := &Result{Model: md.params(), Stats: Stats{Records: n, Candidates: len(pairs), HubKeys: bl.dropped, Features: len(feats)}}
	var matches []Pair
	for _, s := range pairs {
		sc, rule := md.ruled(s.p, float64(s.tf), &es[s.a], &es[s.b])
		pr := probability(sc)
		if pr < opt.Review {
			continue
		}
		pair := Pair{A: int(s.a), B: int(s.b), Probability: pr, Score: sc}
		if opt.Explain {
			pair.Explanation = md.explain(s.p, float64(s.tf), rule)
		}
		if pr >= opt.Threshold {
			matches = append(matches, pair)
		} else {
			res.Review = append(res.Review, pair)
		}
	}
	pairs = nil

	cl := newClusters(n)
	scoreOf := func(a, b int) (float64, string, pattern, float64) {
		p, tf := md.compare(c, &es[a], &es[b], tfAdj, a, b)
		sc, rule := md.ruled(p, tf, &es[a], &es[b])
		return sc, rule, p, tf
	}
	kept := map[[2]int]bool{}
	for _, ms := range cl.resolve(matches, func(a, b int) float64 { sc, _, _, _ := scoreOf(a, b); return sc }) {
		if ms.ok {
			kept[[2]int{ms.A, ms.B}] = true
			res.Matches = append(res.Matches, ms.Pair)
		} else {
			res.Review = append(res.Review, ms.Pair)
		}
	}
	// The clusters are the decision: every pair inside one is a match,
	// also those joined through a third record, with their own score.
	for _, members := range cl.groups() {
		for x := 0; x < len(members); x++ {
			for y := x + 1; y < len(members); y++ {
				a, b := int(members[x]), int(members[y])
				if kept[[2]int{a, b}] {
					continue
				}
				sc, rule, p, tf := scoreOf(a, b)
				pair := Pair{A: a, B: b, Probability: probability(sc), Score: sc}
				if opt.Explain {
					pair.Explanation = md.explain(p, tf, rule) + "; joined through the cluster"
				}
				res.Matches = append(res.Matches, pair)
			}
		}
	}
	slices.SortFunc(res.Matches, func(x, y Pair) int {
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
	res.Cluster = cl.labels()
	slices.SortFunc(res.Review, func(x, y Pair) int { return cmp.Compare(y.Probability, x.Probability) })
	progress("cluster", n, n)
	return res, nil
}

// compare computes the pattern and term-frequency adjustment of one pair.
func (md *model) compare(c *comparer, a, b *entity, tfAdj func(f, a, b int) float64, ia, ib int) (pattern, float64) {
	var p pattern
	tf := 0.0
	for f := range md.feats {
		l := md.feats[f].cmp(c, a, b)
		p |= pattern(l) << (4 * f)
		if l == 1 {
			tf += tfAdj(f, ia, ib)
		}
	}
	return p, tf
}

// ruled is the pair's score after the rules for strong identifiers: the
// same CNIC or passport number is near-certain unless sex or birth date
// contradict; two different valid CNICs or passports are strong evidence
// against, whatever the estimated weights say.
func (md *model) ruled(p pattern, tf float64, a, b *entity) (float64, string) {
	s := md.score(p, tf)
	contradicted := false
	for f, ft := range md.feats {
		l := p.level(f)
		if (ft.name == "gender" && l == 2) || (ft.name == "birthDate" && l == len(dateLevels)-1) {
			contradicted = true
		}
	}
	for f, ft := range md.feats {
		if !ft.strong {
			continue
		}
		switch p.level(f) {
		case 1:
			if !contradicted && s < 10 {
				return 10, "rule: same " + ft.name + " and nothing contradicts"
			}
		case 3:
			k := idNumber
			if ft.name == "passportNumber" {
				k = idPassport
			}
			if validStrong(k, a.ids[k]) && validStrong(k, b.ids[k]) {
				if w := md.weight(f, 3); w > -8 {
					return s - w - 8, "rule: different " + ft.name + " counts -8.0"
				}
			}
		}
	}
	return s, ""
}

// validStrong reports whether all values are valid CNICs (or passport
// numbers): only then is their difference proof of two people.
func validStrong(k int, vs []string) bool {
	for _, v := range vs {
		kind := ident.CNIC
		if k == idPassport {
			kind = ident.Passport
		}
		if _, err := ident.Normalize(kind, v); err != nil {
			return false
		}
	}
	return len(vs) > 0
}

// parallel runs fn over [0, n) split into one range per worker.
func parallel(n, workers int, fn func(lo, hi int)) {
	parallelChunks(n, workers, (n+workers-1)/max(workers, 1), func(_, lo, hi int) { fn(lo, hi) })
}

// parallelChunks hands out chunks of [0, n) to workers; fn learns its
// worker number so that it can append to its own slice.
func parallelChunks(n, workers, chunk int, fn func(w, lo, hi int)) {
	if chunk < 1 {
		chunk = 1
	}
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= n {
					return
				}
				fn(w, lo, min(lo+chunk, n))
			}
		}(w)
	}
	wg.Wait()
}

func sortStrings(s []string) { slices.Sort(s) }
