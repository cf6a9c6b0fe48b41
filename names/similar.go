package names

import "math"

// Weights gives each token a weight by its rarity, so that "Muhammad" and
// "Khan" count for little and "Zulfiqar" for much. Freq builds one from
// data; a nil Weights uses Token.Weight, or 1 where that is unset.
type Weights interface {
	Weight(t Token) float64
}

// Freq counts in how many names each token occurs, to weigh tokens by
// inverse document frequency. It is not safe for concurrent Add; Weight may
// be called concurrently once counting is done.
type Freq struct {
	n     int
	count map[string]int // by Key (skeleton), so spellings and scripts share a count
}

// NewFreq returns an empty frequency table.
func NewFreq() *Freq { return &Freq{count: map[string]int{}} }

// Add counts the distinct tokens of one name.
func (f *Freq) Add(n Name) {
	f.n++
	for i, t := range n.Tokens {
		dup := false
		for _, u := range n.Tokens[:i] {
			if u.Key == t.Key {
				dup = true
				break
			}
		}
		if !dup {
			f.count[freqKey(t)]++
		}
	}
}

func freqKey(t Token) string {
	if t.Key == "" {
		return t.Text
	}
	return t.Key
}

// Count returns in how many names a token occurs.
func (f *Freq) Count(t Token) int { return f.count[freqKey(t)] }

// Names returns how many names were counted.
func (f *Freq) Names() int { return f.n }

// Weight is the token's inverse document frequency, log(N/df), floored so
// that the commonest words still count a little, and with unseen tokens as
// rare as a token seen once. Initials weigh as little as the commonest
// words: "M." could be any of them.
func (f *Freq) Weight(t Token) float64 {
	if t.Initial {
		return 0.5
	}
	n := float64(f.n) + 1
	df := float64(f.count[freqKey(t)])
	if df < 1 {
		df = 1
	}
	return math.Max(0.5, math.Log(n/df))
}

// Set stores each token's weight in the token itself (Token.Weight).
func (f *Freq) Set(ts []Token) {
	for i := range ts {
		ts[i].Weight = f.Weight(ts[i])
	}
}

// TokenSim is the similarity of two tokens in [0, 1]: 1 for the same
// canonical spelling, 0.9 for the same skeleton across scripts, 0.85 within
// Latin script (Hussain/Hassan share one), Jaro–Winkler above 0.8 (0.9
// for short words) for typing errors, 0.6 for an initial and a word it could stand for.
func TokenSim(a, b Token) float64 { return tokenSim(&a, &b, 0, 0) }

// tokenSim is TokenSim given the letterSets of a.Text and b.Text, or 0 for
// those not yet known.
func tokenSim(a, b *Token, setA, setB uint32) float64 {
	if a.Text == b.Text {
		if a.Initial != b.Initial {
			return 0.6
		}
		return 1
	}
	if a.Initial || b.Initial {
		if a.Text[0] == b.Text[0] {
			return 0.6
		}
		return 0
	}
	if a.Arabic || b.Arabic {
		if a.Key == b.Key && a.Key != "" {
			return 0.9
		}
		if JaroWinklerBound(a.Key, b.Key) < 0.85 {
			return 0
		}
		if jw := JaroWinkler(a.Key, b.Key); jw >= 0.85 {
			return jw * 0.85
		}
		return 0
	}
	s := 0.0
	if a.Key == b.Key && len(a.Key) >= 2 {
		s = 0.85
	}
	// Short names differ in one letter as often by being other names
	// (Asif, Arif, Atif) as by a typing error, so they need more.
	floor := 0.8
	if min(len(a.Text), len(b.Text)) <= 5 {
		floor = 0.9
	}
	if setA == 0 {
		setA = letterSet(a.Text)
	}
	if setB == 0 {
		setB = letterSet(b.Text)
	}
	if jwBound(a.Text, b.Text, setA, setB) < max(floor, s) {
		return s
	}
	if jw := JaroWinkler(a.Text, b.Text); jw >= floor && jw > s {
		s = jw
		if s > 0.95 {
			s = 0.95
		}
	}
	return s
}

// Similarity compares two token lists in any order: tokens are aligned one
// to one, best pairs first, and the score is the weighted share of tokens
// aligned, each pair counting by its similarity. A token that one name has
// and the other lacks (a middle name left out) costs half its weight; a
// token that meets only a different token costs all of it. Muhammad Asif
// Khan vs Asif Khan scores well; Muhammad Asif vs Muhammad Arif does not.
func Similarity(a, b []Token, w Weights) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	weight := func(t Token) float64 {
		switch {
		case w != nil:
			return w.Weight(t)
		case t.Weight > 0:
			return t.Weight
		}
		return 1
	}
	type pair struct {
		i, j int
		s    float64
	}
	var buf [36]pair
	pairs := buf[:0]
	// Each token's letters once, not once per pair (0: work them out
	// when needed).
	var setsA, setsB [8]uint32
	for i := range min(len(a), len(setsA)) {
		setsA[i] = letterSet(a[i].Text)
	}
	for j := range min(len(b), len(setsB)) {
		setsB[j] = letterSet(b[j].Text)
	}
	for i := range a {
		for j := range b {
			var setA, setB uint32
			if i < len(setsA) && j < len(setsB) {
				setA, setB = setsA[i], setsB[j]
			}
			if s := tokenSim(&a[i], &b[j], setA, setB); s > 0 {
				pairs = append(pairs, pair{i, j, s})
			}
		}
	}
	// Best pairs first, each token aligned once: the best pair whose
	// tokens are both free (ties to the earliest), again and again. That
	// is sorting the pairs and skipping taken tokens, without the sort.
	var usedA, usedB uint64
	var num, den float64
	matchedA, matchedB := 0, 0
	for {
		best := -1
		for k, p := range pairs {
			if p.i < 64 && p.j < 64 && usedA&(1<<p.i) == 0 && usedB&(1<<p.j) == 0 && (best < 0 || p.s > pairs[best].s) {
				best = k
			}
		}
		if best < 0 {
			break
		}
		p := pairs[best]
		usedA |= 1 << p.i
		usedB |= 1 << p.j
		matchedA++
		matchedB++
		wa, wb := weight(a[p.i]), weight(b[p.j])
		num += p.s * (wa + wb)
		den += wa + wb
	}
	// Unaligned tokens: when both names have some left, they disagree;
	// when only one has, the other name is just shorter.
	leftA, leftB := len(a)-matchedA, len(b)-matchedB
	cost := 1.0
	if leftA == 0 || leftB == 0 {
		cost = 0.5
	}
	for i := range a {
		if i >= 64 || usedA&(1<<i) == 0 {
			den += cost * weight(a[i])
		}
	}
	for j := range b {
		if j >= 64 || usedB&(1<<j) == 0 {
			den += cost * weight(b[j])
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// JaroWinklerBound is an upper bound of JaroWinkler(s, t) at a fraction
// of its cost, to skip it when it cannot reach a floor: no more characters
// can match than those of either string that occur in the other at all,
// and at best none is transposed.
func JaroWinklerBound(s, t string) float64 {
	if s == t {
		return 1
	}
	return jwBound(s, t, letterSet(s), letterSet(t))
}

// jwBound is JaroWinklerBound of two different strings given their
// letterSets (or supersets of them).
func jwBound(s, t string, inS, inT uint32) float64 {
	s, t = s[:min(len(s), 64)], t[:min(len(t), 64)]
	ms, mt := 0, 0
	for i := 0; i < len(s); i++ {
		ms += int(inT >> (s[i] & 31) & 1)
	}
	for i := 0; i < len(t); i++ {
		mt += int(inS >> (t[i] & 31) & 1)
	}
	m := min(ms, mt)
	if m == 0 {
		return 0
	}
	// Multiplications where JaroWinkler divides, much faster; the slack
	// covers their different rounding.
	fm := float64(m)
	jaro := (fm*reciprocal[len(s)] + fm*reciprocal[len(t)] + 1) * (1.0 / 3)
	prefix := 0
	for prefix < 4 && prefix < len(s) && prefix < len(t) && s[prefix] == t[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro) + 1e-9
}

// reciprocal[n] is 1/n, for the lengths jwBound meets.
var reciprocal = func() (r [65]float64) {
	for n := 1; n < len(r); n++ {
		r[n] = 1 / float64(n)
	}
	return r
}()

// letterSet has bit c&31 set for each byte c of s: the letters a to z have
// a bit each, other bytes share them, which only loosens jwBound.
func letterSet(s string) uint32 {
	var set uint32
	for i := 0; i < len(s); i++ {
		set |= 1 << (s[i] & 31)
	}
	return set
}

// JaroWinkler is the Jaro–Winkler similarity of two strings (prefix scale
// 0.1, up to four characters), compared byte by byte: callers pass folded
// Latin text or skeletons.
func JaroWinkler(s, t string) float64 {
	if s == t {
		return 1
	}
	ls, lt := len(s), len(t)
	if ls == 0 || lt == 0 {
		return 0
	}
	if ls > 64 || lt > 64 {
		s, t = s[:min(ls, 64)], t[:min(lt, 64)]
		ls, lt = len(s), len(t)
	}
	win := max(ls, lt)/2 - 1
	if win < 0 {
		win = 0
	}
	var ms, mt uint64
	m := 0
	for i := 0; i < ls; i++ {
		lo, hi := max(0, i-win), min(lt, i+win+1)
		for j := lo; j < hi; j++ {
			if mt&(1<<j) == 0 && s[i] == t[j] {
				ms |= 1 << i
				mt |= 1 << j
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	trans := 0
	j := 0
	for i := 0; i < ls; i++ {
		if ms&(1<<i) == 0 {
			continue
		}
		for mt&(1<<j) == 0 {
			j++
		}
		if s[i] != t[j] {
			trans++
		}
		j++
	}
	fm := float64(m)
	jaro := (fm/float64(ls) + fm/float64(lt) + (fm-float64(trans)/2)/fm) / 3
	prefix := 0
	for prefix < 4 && prefix < ls && prefix < lt && s[prefix] == t[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro)
}
