package match

import (
	"slices"
	"strconv"

	"github.com/rabta/rabta/names"
)

// blockingKeys returns the keys under which a record is filed: two records
// become a candidate pair when they share a key. Keys are chosen so that a
// true match shares at least one despite typing errors in any one field:
//   - every identifier (ID, passport, tax number, phone, e-mail);
//   - every pair of name skeletons (first and last name in any order);
//   - each name skeleton with the birth year;
//   - the full birth date with the initial of each name token;
//   - the postal code with each name skeleton;
//   - the city and the birth place with each name skeleton;
//   - each name skeleton with the initial of another (one misspelt word
//     and no birth date);
//   - a lone name skeleton, for one-word names (organisations, mononyms).
//
// Keys shared by more than maxBlock records are dropped when candidates are
// made: that is the hub suppression that keeps a call-centre number or
// "Muhammad Khan" from pairing everybody with everybody.
//
// The keys are appended to buf, sorted and each once.
func blockingKeys(e *entity, vocab []names.Token, buf []uint64) []uint64 {
	start := len(buf)
	h := func(parts ...string) {
		m := newHash()
		for _, p := range parts {
			m = m.add(p)
		}
		buf = append(buf, uint64(m))
	}
	for k, prop := range idProps {
		for _, v := range e.idsOf(k) {
			if len(v) >= 4 {
				h("id", prop, v)
			}
		}
	}
	var years []string
	var full []string
	for _, d := range e.dob {
		if d.Year != 0 {
			years = append(years, strconv.Itoa(d.Year))
		}
		if d.Day != 0 {
			full = append(full, d.String())
			if d.Day <= 12 {
				// also the day/month-swapped reading
				full = append(full, strconv.Itoa(d.Year)+"-"+two(d.Day)+"-"+two(d.Month))
			}
		}
	}
	for k := range int(e.nNames) {
		n := e.part(k)
		var kb [4]string
		keys := nameKeys(kb[:], vocab, n)
		for i := 0; i < len(keys); i++ {
			for j := i + 1; j < len(keys); j++ {
				a, b := keys[i], keys[j]
				if a > b {
					a, b = b, a
				}
				h("nn", a, b)
			}
			for _, y := range years {
				h("ny", keys[i], y)
			}
			if e.postal != "" {
				h("np", keys[i], e.postal)
			}
			for _, pl := range [...]string{e.city, e.place} {
				if pl != "" {
					h("nc", keys[i], pl)
				}
			}
			for j := range keys {
				if j != i {
					h("ni", keys[i], keys[j][:1])
				}
			}
		}
		if len(keys) == 1 {
			h("n1", keys[0])
		}
		for _, d := range full {
			for _, w := range n {
				h("dn", d, vocab[w].Text[:1])
			}
		}
	}
	keys := buf[start:]
	slices.Sort(keys)
	return buf[:start+len(slices.Compact(keys))]
}

// nameKeys returns the distinct skeletons of the first four whole words,
// in buf.
func nameKeys(buf []string, vocab []names.Token, words []int32) []string {
	keys := buf[:0]
	for _, w := range words {
		t := &vocab[w]
		if t.Initial {
			continue
		}
		k := t.Key
		if k == "" {
			k = t.Text
		}
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
		if len(keys) == 4 {
			break
		}
	}
	return keys
}

// hash is 64-bit FNV-1a over strings each closed by a zero byte. Unlike
// maphash it has no random seed, so the order of equally large blocks, and
// with it a record's candidates, is the same in every run.
type hash uint64

func newHash() hash { return 14695981039346656037 }

func (h hash) add(s string) hash {
	for i := 0; i < len(s); i++ {
		h = (h ^ hash(s[i])) * 1099511628211
	}
	return h * 1099511628211
}

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// blocks is the inverted index from key to records, kept as each record's
// usable blocks (neither hubs nor of one record), smallest first.
type blocks struct {
	off     []int32    // record i's blocks are ranges[off[i]:off[i+1]]
	ranges  [][2]int32 // a block's records are members[lo:hi], in order
	members []int32
	dropped int // keys dropped as hubs
}

// maxKeys bounds the usable blocks taken per record, in order of key.
const maxKeys = 64

// keyChunk holds the blocking keys of the records from lo on: record lo+k
// has keys[off[k]:off[k+1]].
type keyChunk struct {
	lo   int
	off  []int32
	keys []uint64
}

// keyParts is how many parts, by their top bits, the keys are sorted in:
// a part at a time needs a fraction of the memory of them all.
const keyParts = 16

func buildBlocks(chunks []keyChunk, n, maxBlock, workers int) *blocks {
	type entry struct {
		key uint64
		idx int32
	}
	type part struct {
		members []int32
		usable  [][2]int32 // into members, in order of key
		dropped int
	}
	var sizes [keyParts]int
	for _, ch := range chunks {
		for _, key := range ch.keys {
			sizes[key>>60]++
		}
	}
	parts := make([]part, keyParts)
	bufs := make([][]entry, workers)
	parallelChunks(keyParts, workers, 1, func(w, p, _ int) {
		entries := slices.Grow(bufs[w][:0], sizes[p])
		defer func() { bufs[w] = entries }()
		for _, ch := range chunks {
			for k := range len(ch.off) - 1 {
				for _, key := range ch.keys[ch.off[k]:ch.off[k+1]] {
					if key>>60 == uint64(p) {
						entries = append(entries, entry{key, int32(ch.lo + k)})
					}
				}
			}
		}
		slices.SortFunc(entries, func(a, b entry) int {
			if a.key != b.key {
				if a.key < b.key {
					return -1
				}
				return 1
			}
			return int(a.idx - b.idx)
		})
		pt := &parts[p]
		for lo := 0; lo < len(entries); {
			hi := lo + 1
			for hi < len(entries) && entries[hi].key == entries[lo].key {
				hi++
			}
			size := hi - lo
			switch {
			case size > maxBlock:
				pt.dropped++
			case size >= 2:
				start := int32(len(pt.members))
				for _, e := range entries[lo:hi] {
					pt.members = append(pt.members, e.idx)
				}
				pt.usable = append(pt.usable, [2]int32{start, int32(len(pt.members))})
			}
			lo = hi
		}
	})
	nm, nu := 0, 0
	for _, pt := range parts {
		nm += len(pt.members)
		nu += len(pt.usable)
	}
	b := &blocks{off: make([]int32, n+1), members: make([]int32, 0, nm)}
	usable := make([][2]int32, 0, nu) // in order of key
	for _, pt := range parts {
		base := int32(len(b.members))
		b.members = append(b.members, pt.members...)
		for _, r := range pt.usable {
			usable = append(usable, [2]int32{base + r[0], base + r[1]})
		}
		b.dropped += pt.dropped
	}
	// Each record's blocks: counted, then filled in order of key.
	count := b.off[1:]
	for _, r := range usable {
		for _, i := range b.members[r[0]:r[1]] {
			count[i] = min(count[i]+1, maxKeys)
		}
	}
	for i := 1; i < len(b.off); i++ {
		b.off[i] += b.off[i-1]
	}
	b.ranges = make([][2]int32, b.off[n])
	next := slices.Clone(b.off[:n])
	for _, r := range usable {
		for _, i := range b.members[r[0]:r[1]] {
			if next[i] < b.off[i+1] {
				b.ranges[next[i]] = r
				next[i]++
			}
		}
	}
	for i := range n {
		slices.SortFunc(b.ranges[b.off[i]:b.off[i+1]], func(x, y [2]int32) int { return int((x[1] - x[0]) - (y[1] - y[0])) })
	}
	return b
}

// candidates appends to buf the records after i that share a usable block
// with record i, each once, in ascending order. Blocks are taken smallest
// first, and a block that would take the candidates past limit is left
// out, unless the record has no candidates yet: a record's most selective
// keys (an identifier, a rare name pair) find its matches, and a common
// key adds only work.
func (b *blocks) candidates(i int32, buf []int32, limit int) []int32 {
	buf = buf[:0]
	for _, r := range b.ranges[b.off[i]:b.off[i+1]] {
		if len(buf) > 0 && len(buf)+int(r[1]-r[0]) > limit {
			break
		}
		m := b.members[r[0]:r[1]]
		// members are sorted: skip those up to i
		lo, _ := slices.BinarySearch(m, i+1)
		buf = append(buf, m[lo:]...)
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}
