package screen

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/rabta/rabta/names"
)

// nameScore compares a query name with a listed name, both with weights
// set (see the package comment for the formula).
func nameScore(q, l pname, m *memo, scale float64) float64 {
	a := align(q, l, m)
	if a.sim <= 0 {
		return 0
	}
	return a.sim * math.Sqrt(a.covQ) * math.Sqrt(math.Sqrt(a.covL)) * (1 - math.Exp(-a.evidence/scale))
}

// evidenceScale is the weight of matched words at which a match has 63% of
// its full strength, as a share of the weight of a word seen once in the
// list (log of the number of names, 8.3 on the UN list): about one rare
// word, or two or three common ones. A listed name's commonest words
// (Muhammad, weight 2 on the UN list) alone cannot make a strong match
// however exactly they agree.
const evidenceScale = 0.6

// alignment is what screening needs to know of two aligned names.
type alignment struct {
	sim        float64 // names.Similarity's score of the alignment
	covQ, covL float64 // the share of each name's weight the aligned pairs account for
	evidence   float64 // Σ similarity × the lesser weight of each aligned pair
}

// align aligns the words of q and l one to one, best pairs first, and
// returns names.Similarity's score of the alignment — the weighted share
// of words aligned, each pair counting by its similarity, an unaligned
// word costing half its weight when only one name has words left over and
// all of it when both have — with the coverages and the evidence. It is
// names.Similarity with tokSim in place of names.TokenSim (and words
// written joined in one name aligned with the run of them in the other;
// TestAlignIsSimilarity holds it to names.Similarity where the two agree),
// computed here because screening needs more than the score.
func align(qn, ln pname, m *memo) alignment {
	q, l := qn.toks, ln.toks
	if len(q) == 0 || len(l) == 0 {
		return alignment{}
	}
	type pair struct {
		i, j int
		s    float64
	}
	var buf [64]pair
	pairs := buf[:0]
	for i := range q {
		for j := range l {
			if s := m.sim(i, &q[i], &l[j]); s > 0 {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	slices.SortFunc(pairs, func(x, y pair) int {
		if x.s != y.s {
			return cmp.Compare(y.s, x.s)
		}
		if x.i != y.i {
			return x.i - y.i
		}
		return x.j - y.j
	})
	var usedQ, usedL uint64
	var num, den, gotQ, gotL, allQ, allL, ev float64
	nq, nl := 0, 0
	for _, p := range pairs {
		if p.i >= 64 || p.j >= 64 || usedQ&(1<<p.i) != 0 || usedL&(1<<p.j) != 0 {
			continue
		}
		usedQ |= 1 << p.i
		usedL |= 1 << p.j
		nq++
		nl++
		wq, wl := q[p.i].Weight, l[p.j].Weight
		num += p.s * (wq + wl)
		den += wq + wl
		gotQ += p.s * wq
		gotL += p.s * wl
		ev += p.s * min(wq, wl)
	}
	// A word one name writes as one and the other as two or three
	// (Walijan / Wali Jan, Namchongang / Nam Chon Gang): a word left
	// unaligned may align with a run of adjacent unaligned words of the
	// other name, joined.
	if nq < len(q) && nl < len(l) {
		// queryRuns: a is the listed name, runs the query's, in memo
		// slots after the query's words.
		join := func(a []tok, runs []run, queryRuns bool, usedA, usedB *uint64, gotA, gotB *float64, na, nb *int) {
			for i := range a {
				if i >= 64 || *usedA&(1<<i) != 0 || a[i].Initial || a[i].Key == "" {
					continue
				}
				for k := range runs {
					r := &runs[k]
					mask := uint64(1<<r.n-1) << r.j
					if r.j+r.n > 64 || *usedB&mask != 0 || !mayJoin(&a[i], &r.t) {
						continue
					}
					var s float64
					if queryRuns {
						s = m.sim(len(q)+k, &r.t, &a[i])
					} else {
						s = m.sim(i, &a[i], &r.t)
					}
					if s < 0.8 {
						continue
					}
					*usedA |= 1 << i
					*usedB |= mask
					*na++
					*nb += r.n
					wa := a[i].Weight
					num += s * (wa + r.t.Weight)
					den += wa + r.t.Weight
					*gotA += s * wa
					*gotB += s * r.t.Weight
					ev += s * min(wa, r.t.Weight)
					break
				}
			}
		}
		join(q, ln.runs, false, &usedQ, &usedL, &gotQ, &gotL, &nq, &nl)
		join(l, qn.runs, true, &usedL, &usedQ, &gotL, &gotQ, &nl, &nq)
	}
	cost := 1.0
	if nq == len(q) || nl == len(l) {
		cost = 0.5
	}
	for i := range q {
		allQ += q[i].Weight
		if i >= 64 || usedQ&(1<<i) == 0 {
			den += cost * q[i].Weight
		}
	}
	for j := range l {
		allL += l[j].Weight
		if j >= 64 || usedL&(1<<j) == 0 {
			den += cost * l[j].Weight
		}
	}
	if den == 0 || allQ == 0 || allL == 0 {
		return alignment{}
	}
	return alignment{num / den, gotQ / allQ, gotL / allL, ev}
}

// memo remembers the similarities of one query's words (and runs of
// words) to the index's distinct words and runs, so that a word shared by
// many candidate names (Muhammad) is compared once per query. Slots are
// the query's words, then its runs. A nil memo computes every similarity.
type memo struct {
	words   int
	cache   [maxMemo][]float32 // by slot, then distinct word; -1 = not yet known
	touched [maxMemo][]int32
}

const maxMemo = 32

func newMemo(words int) *memo { return &memo{words: words} }

// sim is tokSim(qt, l), qt being the query's word or run in slot.
func (m *memo) sim(slot int, qt, l *tok) float64 {
	if m == nil || l.id < 0 || slot >= maxMemo {
		return tokSim(qt, l)
	}
	c := m.cache[slot]
	if c == nil {
		c = make([]float32, m.words)
		for j := range c {
			c[j] = -1
		}
		m.cache[slot] = c
	}
	if v := c[l.id]; v >= 0 {
		return float64(v)
	}
	v := tokSim(qt, l)
	c[l.id] = float32(v)
	m.touched[slot] = append(m.touched[slot], l.id)
	return float64(float32(v))
}

// reset forgets the query's similarities.
func (m *memo) reset() {
	for i := range m.touched {
		for _, id := range m.touched[i] {
			m.cache[i][id] = -1
		}
		m.touched[i] = m.touched[i][:0]
	}
}

// tokSim is names.TokenSim made stricter and looser where transliterated
// names need it. Stricter: two spellings alike only by Jaro–Winkler must
// also sound alike (Shahid and Shanqiti share a prefix, not a name).
// Looser: skeletons that differ only in consonants transliterations
// confuse (Pom/Bom, Tahir/Dahir, Jo/Cho; across scripts ثريا/Thoraya,
// علوش/Alouche, قدير/Ghedeir) or by one letter in a long word count as
// the same word at a discount. One skeleton for two unlike Latin spellings
// counts for less than names.TokenSim gives it (see below).
func tokSim(a, b *tok) float64 {
	if a.Text == b.Text || a.Initial || b.Initial || a.Key == "" || b.Key == "" {
		return names.TokenSim(a.Token, b.Token)
	}
	if a.Key == b.Key {
		s := names.TokenSim(a.Token, b.Token)
		if a.Arabic || b.Arabic || s > 0.85 {
			return s
		}
		// Two Latin spellings with one skeleton: a variant (Hussain,
		// Husain) when the spellings are alike too; otherwise a skeleton
		// of two or three letters says too little (Khan and Kony are both
		// "kn"), and a longer one a little less than a variant (Mahmood,
		// Muhammad).
		if names.JaroWinkler(a.Text, b.Text) >= 0.75 { // Khan/Kony: 0.70
			return s
		}
		if len(a.Key) <= 3 {
			return 0.5
		}
		return 0.7
	}
	// Skeletons whose lengths alone put them too far apart to agree
	// (each letter of difference costs at least 0.5) are not compared.
	la, lb := len(a.Key), len(b.Key)
	if 0.5*float64(max(la-lb, lb-la)) > 0.4*float64(max(la, lb)) {
		return 0
	}
	cross := a.Arabic != b.Arabic
	ks := skelSim(a.Key, b.Key, cross)
	if ks < 0.6 || cross && ks < 0.8 {
		// Across scripts only skeletons count: Jaro–Winkler on two or
		// three consonants finds likeness everywhere (Lucinda, lknd, and
		// آخوند, knd).
		return 0
	}
	s := names.TokenSim(a.Token, b.Token)
	switch {
	case ks >= 0.8:
		s = max(s, 0.85*ks)
	case !cross && ks >= 0.65:
		// One wrong letter in a short word: a typing error (Fxzal) or
		// another name (Arif, Asif). Some credit, so that a name whose
		// other words agree still comes first, never enough to match alone.
		s = max(s, oneEdit)
	}
	return s
}

const oneEdit = 0.3

// skelSim is one minus a weighted edit distance between two skeletons,
// divided by the longer one's length: confusable consonants substitute for
// 0.3, the weak letters w and y come and go for 0.5 and h for 0.7, two
// adjacent letters swap for 0.6, anything else costs 1. cross adds the confusions between Arabic script and its Latin
// spellings.
func skelSim(a, b string, cross bool) float64 {
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > 24 || lb > 24 {
		if a == b {
			return 1
		}
		return 0
	}
	sub := &subLatin
	if cross {
		sub = &subCross
	}
	// Past this cost the similarity is below 0.6, which tokSim treats as
	// no likeness at all: stop once two rows in a row exceed it (a swap
	// reaches back two rows).
	limit := 0.4 * float64(max(la, lb))
	var prev2, prev, cur [25]float64
	for j := 1; j <= lb; j++ {
		prev[j] = prev[j-1] + indelCost[b[j-1]&0x7f]
	}
	bestPrev := 0.0
	for i := 1; i <= la; i++ {
		ca := a[i-1] & 0x7f
		cur[0] = prev[0] + indelCost[ca]
		best := cur[0]
		for j := 1; j <= lb; j++ {
			cb := b[j-1] & 0x7f
			c := min(prev[j-1]+float64(sub[ca][cb]), prev[j]+indelCost[ca], cur[j-1]+indelCost[cb])
			if i > 1 && j > 1 && ca != cb && a[i-2]&0x7f == cb && b[j-2]&0x7f == ca {
				c = min(c, prev2[j-2]+swapCost)
			}
			cur[j] = c
			best = min(best, c)
		}
		if best > limit && bestPrev > limit {
			return 0
		}
		bestPrev = best
		prev2, prev = prev, cur
	}
	return 1 - prev[lb]/float64(max(la, lb))
}

// swapCost is the cost of two adjacent letters swapped, the commonest
// typing error after a wrong letter (Sogn for Song).
const swapCost = 0.6

// Edit costs of skeleton letters: indelCost by letter; subLatin and
// subCross by pair, for two Latin spellings and for Arabic script against
// Latin.
var (
	indelCost          [128]float64
	subLatin, subCross [128][128]float32
)

func init() {
	for c := range indelCost {
		indelCost[c] = 1
	}
	for _, c := range "wy" {
		indelCost[c] = 0.5
	}
	indelCost['h'] = 0.7
	for x := range 128 {
		for y := range 128 {
			if x != y {
				subLatin[x][y], subCross[x][y] = 1, 1
			}
		}
	}
	set := func(t *[128][128]float32, pairs ...string) {
		for _, p := range pairs {
			t[p[0]][p[1]], t[p[1]][p[0]] = 0.3, 0.3
		}
	}
	set(&subLatin, "bp", "dt", "gk", "jx")
	set(&subCross, "bp", "dt", "gk", "jx", "dz", "st", "sx", "gj")
}

// mayJoin is a quick test that a word could be a run of joined words: the
// skeletons start alike (up to confusable consonants) and are of lengths
// tokSim could accept.
func mayJoin(w, r *tok) bool {
	lw, lr := len(w.Key), len(r.Key)
	if lw == 0 || lr == 0 || 0.5*float64(max(lw-lr, lr-lw)) > 0.4*float64(max(lw, lr)) {
		return false
	}
	return looseClass(w.Key[0]) == looseClass(r.Key[0])
}

// pname is a name prepared for comparison: its words, and its runs of two
// or three adjacent words joined into one.
type pname struct {
	toks []tok
	runs []run
}

// run is a run of n adjacent words from the j-th, joined into the word t.
type run struct {
	j, n int
	t    tok
}

// runsOf lists the runs of two and three adjacent words of a name whose
// weights are set. A run mixing scripts or holding an initial or a title
// is left out.
func runsOf(ts []tok) []run {
	var out []run
	for j := 0; j+1 < len(ts) && j+1 < 64; j++ {
		for n := 2; n <= 3 && j+n <= len(ts) && j+n <= 64; n++ {
			t, ok := joined(ts[j : j+n])
			if !ok {
				break
			}
			out = append(out, run{j, n, t})
		}
	}
	return out
}

// joined makes one word of a run of words written apart, with their
// weights summed.
func joined(rs []tok) (t tok, ok bool) {
	var text strings.Builder
	for k, r := range rs {
		if r.Initial || r.minor || r.Key == "" || r.Arabic != rs[0].Arabic {
			return t, false
		}
		if rs[0].Arabic {
			// Skeletons join as the skeleton of the joined word would
			// be: a later word's initial vowel drops out (سيف الله, sf
			// al, is Seifallah, sfl).
			key := r.Key
			if k > 0 && key[0] == 'a' {
				key = key[1:]
			}
			text.WriteString(key)
		} else {
			text.WriteString(r.Text)
		}
		t.Weight += r.Weight
	}
	t.Text = text.String()
	t.Arabic = rs[0].Arabic
	if t.Arabic {
		t.Key = t.Text
	} else {
		t.Key = names.Skeleton(t.Text)
	}
	t.loose = looseKey(t.Key)
	t.id = -1
	return t, true
}
