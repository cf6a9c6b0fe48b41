package match

import (
	"hash/maphash"
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
//   - a lone name skeleton, for one-word names (organisations, mononyms).
//
// Keys shared by more than maxBlock records are dropped when candidates are
// made: that is the hub suppression that keeps a call-centre number or
// "Muhammad Khan" from pairing everybody with everybody.
func blockingKeys(e *entity, seed maphash.Seed, buf []uint64) []uint64 {
	h := func(parts ...string) {
		var m maphash.Hash
		m.SetSeed(seed)
		for _, p := range parts {
			m.WriteString(p)
			m.WriteByte(0)
		}
		buf = append(buf, m.Sum64())
	}
	for k, vs := range e.ids {
		for _, v := range vs {
			if len(v) >= 4 {
				h("id", idProps[k], v)
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
	for _, n := range e.names {
		keys := nameKeys(n.Tokens)
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
		}
		if len(keys) == 1 {
			h("n1", keys[0])
		}
		for _, d := range full {
			for _, t := range n.Tokens {
				h("dn", d, t.Text[:1])
			}
		}
	}
	slices.Sort(buf)
	return slices.Compact(buf)
}

// nameKeys returns the distinct skeletons of the first four whole words.
func nameKeys(ts []names.Token) []string {
	var keys []string
	for _, t := range ts {
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

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// blocks is the inverted index from key to records.
type blocks struct {
	keys    [][]uint64          // per record
	ranges  map[uint64][2]int32 // key → members[lo:hi], only for usable blocks
	members []int32
	dropped int // keys dropped as hubs
}

func buildBlocks(keys [][]uint64, maxBlock int) *blocks {
	type entry struct {
		key uint64
		idx int32
	}
	n := 0
	for _, ks := range keys {
		n += len(ks)
	}
	entries := make([]entry, 0, n)
	for i, ks := range keys {
		for _, k := range ks {
			entries = append(entries, entry{k, int32(i)})
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
	b := &blocks{keys: keys, ranges: map[uint64][2]int32{}, members: make([]int32, 0, n/2)}
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].key == entries[lo].key {
			hi++
		}
		size := hi - lo
		switch {
		case size > maxBlock:
			b.dropped++
		case size >= 2:
			start := int32(len(b.members))
			for _, e := range entries[lo:hi] {
				b.members = append(b.members, e.idx)
			}
			b.ranges[entries[lo].key] = [2]int32{start, int32(len(b.members))}
		}
		lo = hi
	}
	return b
}

// candidates appends to buf the records after i that share a usable key
// with record i, each once, in ascending order. Keys are taken smallest
// block first, and a block that would take the candidates past limit is
// left out, unless the record has no candidates yet: a record's most selective keys (an identifier, a rare name pair)
// find its matches, and a common key adds only work.
func (b *blocks) candidates(i int32, buf []int32, limit int) []int32 {
	buf = buf[:0]
	var order [64][2]int32
	ks := order[:0]
	for _, k := range b.keys[i] {
		if r, ok := b.ranges[k]; ok && len(ks) < len(order) {
			ks = append(ks, r)
		}
	}
	slices.SortFunc(ks, func(x, y [2]int32) int { return int((x[1] - x[0]) - (y[1] - y[0])) })
	for _, r := range ks {
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
