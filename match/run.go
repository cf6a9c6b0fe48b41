package match

import (
	"cmp"
	"fmt"
	"maps"
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

// defaults fills the options a caller left at zero, for n records.
func (opt *Options) defaults(n int) {
	if opt.MaxBlock == 0 {
		opt.MaxBlock = 200
	}
	if opt.MaxCandidates == 0 {
		opt.MaxCandidates = 50
	}
	if opt.Samples == 0 {
		// Enough pairs to see rare agreements, not more: EM refines u
		// on the candidate pairs anyway.
		opt.Samples = min(max(10*n, 50_000), 300_000)
	}
	if opt.Dictionary == nil {
		opt.Dictionary = names.Default()
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
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
	opt.defaults(len(records))
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	if len(records) > math.MaxInt32 {
		return nil, fmt.Errorf("match: %d records is more than one run can take", len(records))
	}
	n := len(records)

	es, vocab, have := prepareAll(records, opt)
	progress("prepare", n, n)

	feats := features(have)
	if len(feats) > maxFeatures {
		return nil, fmt.Errorf("match: %d features, at most %d", len(feats), maxFeatures)
	}
	c := &comparer{vocab: vocab}
	md := newModel(feats, n)
	md.estimateU(c, es, opt.Samples, opt.Workers)
	uRandom := md.agreement() // candidates' value frequencies weigh against it
	progress("estimate u", opt.Samples, opt.Samples)

	bl := block(es, vocab, opt)
	hubs := bl.dropped
	progress("blocking", n, n)

	cands, counts := compareAll(c, md, es, bl, opt, progress)

	// Estimate m by EM over the patterns.
	md.initM()
	md.em(counts, 100)
	progress("estimate m", len(counts), len(counts))

	// Term frequencies of the values features agree on, for scoring.
	parallelChunks(len(feats), opt.Workers, 1, func(_, f, _ int) {
		if feats[f].tf != nil {
			md.tfs[f] = newTFIndex(c, es, feats[f].tf)
		}
	})
	matches, review := scoreAll(md, cands, uRandom, opt)
	res := &Result{Review: review, Model: md.params(),
		Stats: Stats{Records: n, Candidates: cands.len(), HubKeys: hubs, Features: len(feats)}}

	// Pairs that were candidates keep their pattern; others, met only
	// when clustering, are compared now. Both are scored alike: value
	// frequencies weigh against the u of random pairs, which is what a
	// value's frequency estimates. (Against u as EM left it, an exact
	// agreement among candidates, common by construction, made every
	// cluster-time pair look rarer than it is and glued clusters.)
	scoreOf := func(a, b int) (float64, string, pattern, float64) {
		p, ok := cands.find(a, b)
		if !ok {
			p = md.pattern(c, &es[a], &es[b])
		}
		tf := md.tf(p, a, b, uRandom)
		sc, rule := md.ruled(p, tf, es[a].strong&es[b].strong)
		return sc, rule, p, tf
	}
	// A merge refused once is often tried again through another edge:
	// remember the cross pairs' scores.
	crossScores := map[[2]int32]float64{}
	cl := newClusters(n)
	kept := make(map[[2]int]bool, len(matches))
	res.Matches = make([]Pair, 0, len(matches))
	for _, ms := range cl.resolve(matches, func(a, b int) float64 {
		k := [2]int32{int32(a), int32(b)}
		sc, ok := crossScores[k]
		if !ok {
			sc, _, _, _ = scoreOf(a, b)
			crossScores[k] = sc
		}
		return sc
	}) {
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

// prepareAll parses every record once, in parallel, and returns them with
// the vocabulary of their words, weighted by rarity, and which properties
// occur.
func prepareAll(records []Record, opt Options) ([]entity, []names.Token, map[string]bool) {
	es, vocab, have, _, _ := prepareFreq(records, opt)
	return es, vocab, have
}

// prepareFreq is prepareAll that also returns the frequency tables that
// weigh name and address words.
func prepareFreq(records []Record, opt Options) ([]entity, []names.Token, map[string]bool, *names.Freq, *names.Freq) {
	n := len(records)
	es := make([]entity, n)
	have := map[string]bool{}
	var mu sync.Mutex
	size := max((n+opt.Workers-1)/opt.Workers, 1)
	preps := make([]*preparer, (n+size-1)/size)
	parallelChunks(n, opt.Workers, size, func(_, lo, hi int) {
		pr := newPreparer(opt.Dictionary)
		seen := map[string]bool{}
		for i := lo; i < hi; i++ {
			for p, vs := range records[i].Values {
				if len(vs) > 0 {
					seen[p] = true
				}
			}
			es[i] = pr.prepare(&records[i])
		}
		preps[lo/size] = pr
		mu.Lock()
		maps.Copy(have, seen)
		mu.Unlock()
	})
	vocab, addr := vocabulary(preps)
	parallelChunks(n, opt.Workers, size, func(_, lo, hi int) {
		renum := preps[lo/size].renum
		for i := lo; i < hi; i++ {
			for k, w := range es[i].words {
				es[i].words[k] = renum[w]
			}
		}
	})

	// Words weigh by their rarity among names (addresses).
	nameFreq, addrFreq := names.NewFreq(), names.NewFreq()
	var ts []names.Token
	for i := range es {
		e := &es[i]
		for _, k := range [...]int{0, partFather} {
			if ws := e.part(k); len(ws) > 0 {
				ts = spell(ts[:0], vocab, ws)
				nameFreq.Add(names.Name{Tokens: ts})
			}
		}
		if ws := e.part(partAddress); len(ws) > 0 {
			ts = spell(ts[:0], vocab, ws)
			addrFreq.Add(names.Name{Tokens: ts})
		}
	}
	for w := range vocab {
		if addr[w] {
			vocab[w].Weight = addrFreq.Weight(vocab[w])
		} else {
			vocab[w].Weight = nameFreq.Weight(vocab[w])
		}
	}
	return es, vocab, have, nameFreq, addrFreq
}

// block files the records under their blocking keys, in parallel.
func block(es []entity, vocab []names.Token, opt Options) *blocks {
	const chunk = 4096
	keys := make([]keyChunk, (len(es)+chunk-1)/chunk)
	bufs := make([][]uint64, opt.Workers)
	parallelChunks(len(es), opt.Workers, chunk, func(w, lo, hi int) {
		ch := keyChunk{lo: lo, off: make([]int32, 1, hi-lo+1)}
		buf := bufs[w][:0]
		for i := lo; i < hi; i++ {
			buf = blockingKeys(&es[i], vocab, buf)
			ch.off = append(ch.off, int32(len(buf)))
		}
		ch.keys = slices.Clone(buf)
		keys[lo/chunk] = ch
		bufs[w] = buf
	})
	return buildBlocks(keys, len(es), opt.MaxBlock, opt.Workers)
}

// compareAll compares every candidate pair into its pattern of levels, in
// parallel, and counts the patterns for EM. The term-frequency adjustment
// waits for scoring: only pairs that agree on something need it.
func compareAll(c *comparer, md *model, es []entity, bl *blocks, opt Options, progress func(string, int, int)) (*candidates, map[pattern]int) {
	n := len(es)
	cands := &candidates{chunk: 1024}
	cands.parts = make([]pairChunk, (n+cands.chunk-1)/cands.chunk)
	counts := make([]map[pattern]int, opt.Workers)
	bufs := make([][]candidate, opt.Workers)
	forks := make([]*comparer, opt.Workers)
	var mu sync.Mutex
	done := 0
	parallelChunks(n, opt.Workers, cands.chunk, func(w, lo, hi int) {
		if counts[w] == nil {
			counts[w] = map[pattern]int{}
			forks[w] = c.fork()
		}
		c := forks[w]
		var buf []int32
		out := bufs[w][:0]
		off := make([]int32, 1, hi-lo+1)
		touched := 0
		for i := lo; i < hi; i++ {
			buf = bl.candidates(int32(i), buf, opt.MaxCandidates)
			for _, j := range buf {
				touched += es[j].touch()
			}
			for _, j := range buf {
				a, b := &es[i], &es[j]
				if a.kind != 0 && b.kind != 0 && a.kind != b.kind {
					continue // a person is never an organisation
				}
				p := md.pattern(c, a, b)
				counts[w][p]++
				out = append(out, candidate{j, a.strong & b.strong, p})
			}
			off = append(off, int32(len(out)))
		}
		cands.parts[lo/cands.chunk] = pairChunk{off, slices.Clone(out), touched}
		bufs[w] = out
		mu.Lock()
		done += hi - lo
		d := done
		mu.Unlock()
		progress("compare", d, n)
	})
	total := map[pattern]int{}
	for _, cs := range counts {
		for p, k := range cs {
			total[p] += k
		}
	}
	return cands, total
}

// scoreAll scores every candidate pair, in parallel, and returns in order
// of (a, b) the matches and those for review.
func scoreAll(md *model, cands *candidates, u []float64, opt Options) (matches, review []Pair) {
	type part struct{ matches, review []Pair }
	parts := make([]part, len(cands.parts))
	parallelChunks(len(cands.parts), opt.Workers, 1, func(_, k, _ int) {
		out := &parts[k]
		cands.each(k, func(a, b int, s candidate) {
			tf := md.tf(s.p, a, b, u)
			sc, rule := md.ruled(s.p, tf, s.strong)
			pr := probability(sc)
			if pr < opt.Review {
				return
			}
			pair := Pair{A: a, B: b, Probability: pr, Score: sc}
			if opt.Explain {
				pair.Explanation = md.explain(s.p, tf, rule)
			}
			if pr >= opt.Threshold {
				out.matches = append(out.matches, pair)
			} else {
				out.review = append(out.review, pair)
			}
		})
	})
	nm, nr := 0, 0
	for _, pt := range parts {
		nm += len(pt.matches)
		nr += len(pt.review)
	}
	matches, review = make([]Pair, 0, nm), make([]Pair, 0, nr)
	for _, pt := range parts {
		matches = append(matches, pt.matches...)
		review = append(review, pt.review...)
	}
	return matches, review
}

// candidate is a candidate pair (with a implied by where it is stored):
// its pattern of levels, and which strong identifiers both records have
// valid (entity.strong), so that scoring need not read the records again.
type candidate struct {
	b      int32
	strong uint8
	p      pattern
}

// pairChunk holds the candidate pairs of a chunk of records: record
// lo+k's are pairs[off[k]:off[k+1]], in order of b.
type pairChunk struct {
	off     []int32
	pairs   []candidate
	touched int // see entity.touch
}

// candidates are all candidate pairs, by chunks of records in order.
type candidates struct {
	chunk int
	parts []pairChunk
}

func (cs *candidates) len() int {
	n := 0
	for _, pc := range cs.parts {
		n += len(pc.pairs)
	}
	return n
}

// each calls fn for every pair of chunk k, in order.
func (cs *candidates) each(k int, fn func(a, b int, s candidate)) {
	pc := &cs.parts[k]
	for x := 0; x+1 < len(pc.off); x++ {
		for _, s := range pc.pairs[pc.off[x]:pc.off[x+1]] {
			fn(k*cs.chunk+x, int(s.b), s)
		}
	}
}

// find returns the pattern of (a, b) if it is a candidate pair. Pairs are
// kept as they were compared, a < b.
func (cs *candidates) find(a, b int) (pattern, bool) {
	pc := &cs.parts[a/cs.chunk]
	x := a % cs.chunk
	ps := pc.pairs[pc.off[x]:pc.off[x+1]]
	i, ok := slices.BinarySearchFunc(ps, int32(b), func(s candidate, b int32) int { return cmp.Compare(s.b, b) })
	if !ok {
		return 0, false
	}
	return ps[i].p, true
}

// pattern compares two records into their pattern of levels.
func (md *model) pattern(c *comparer, a, b *entity) pattern {
	var p pattern
	for f := range md.feats {
		p |= pattern(md.feats[f].cmp(c, a, b)) << (4 * f)
	}
	return p
}

// ruled is the pair's score after the rules for strong identifiers: the
// same CNIC or passport number is near-certain unless sex or birth date
// contradict; two different valid CNICs or passports are strong evidence
// against, whatever the estimated weights say. Bit k of strong is set when
// both records' identifiers of kind k are valid (entity.strong).
func (md *model) ruled(p pattern, tf float64, strong uint8) (float64, string) {
	s := md.score(p, tf)
	contradicted := md.gender >= 0 && p.level(md.gender) == 2 ||
		md.birthDate >= 0 && p.level(md.birthDate) == len(dateLevels)-1
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
			if strong&(1<<k) != 0 {
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
