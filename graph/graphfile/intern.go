package graphfile

import (
	"bytes"
	"hash/maphash"
)

// interner maps labels to dense ids 0..n-1 in the order they were added. It
// is an open-addressing table of 8-byte slots (32 bits of hash, id+1) over
// the labels' bytes kept in one arena, which makes a lookup about twice as
// fast as a map[string]int32 on large files and needs no allocation.
type interner struct {
	seed   maphash.Seed
	arena  []byte // the labels' bytes, one after another
	starts []int  // label i is arena[starts[i]:starts[i+1]]
	table  []uint64
	mask   uint64
}

func newInterner() *interner {
	const size = 1 << 10
	return &interner{seed: maphash.MakeSeed(), starts: []int{0}, table: make([]uint64, size), mask: size - 1}
}

func (it *interner) len() int { return len(it.starts) - 1 }

func (it *interner) label(id uint32) []byte { return it.arena[it.starts[id]:it.starts[id+1]] }

// lookup returns the id of b; if b is new and add is set, it is added.
func (it *interner) lookup(b []byte, add bool) (id int32, found bool) {
	h := maphash.Bytes(it.seed, b)
	tag := h >> 32
	for i := h & it.mask; ; i = (i + 1) & it.mask {
		e := it.table[i]
		if e == 0 {
			if !add {
				return -1, false
			}
			n := it.len()
			it.arena = append(it.arena, b...)
			it.starts = append(it.starts, len(it.arena))
			it.table[i] = tag<<32 | uint64(n+1)
			if uint64(n+1)*2 > it.mask {
				it.grow()
			}
			return int32(n), false
		}
		if e>>32 == tag {
			if id := uint32(e) - 1; bytes.Equal(it.label(id), b) {
				return int32(id), true
			}
		}
	}
}

func (it *interner) grow() {
	size := uint64(len(it.table)) * 2
	it.table = make([]uint64, size)
	it.mask = size - 1
	for id := uint32(0); id < uint32(it.len()); id++ {
		h := maphash.Bytes(it.seed, it.label(id))
		i := h & it.mask
		for it.table[i] != 0 {
			i = (i + 1) & it.mask
		}
		it.table[i] = (h>>32)<<32 | uint64(id+1)
	}
}
