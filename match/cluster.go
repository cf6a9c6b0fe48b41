package match

import (
	"cmp"
	"slices"
)

// clusters is a union–find over records that merges two clusters only
// when the merge holds together as a whole, not just along one edge:
// single-edge chaining (A~B, B~C, so A=C) is how one vague record — a
// "M. Khan" with no birth date — or a shared hub would glue different
// people into one profile.
type clusters struct {
	parent  []int32
	members [][]int32 // for roots only
}

func newClusters(n int) *clusters {
	c := &clusters{parent: make([]int32, n), members: make([][]int32, n)}
	for i := range c.parent {
		c.parent[i] = int32(i)
	}
	return c
}

func (c *clusters) find(i int32) int32 {
	for c.parent[i] != i {
		c.parent[i] = c.parent[c.parent[i]]
		i = c.parent[i]
	}
	return i
}

func (c *clusters) size(root int32) int {
	if c.members[root] == nil {
		return 1
	}
	return len(c.members[root])
}

func (c *clusters) list(root int32) []int32 {
	if c.members[root] == nil {
		return []int32{root}
	}
	return c.members[root]
}

// Cross-pair rules for a merge of two clusters of more than one record
// between them: no pair may be a confident non-match (log2-odds below
// vetoScore), and the pairs must on average lean towards a match.
const (
	vetoScore     = -10.0
	minMeanProb   = 0.3
	maxCrossPairs = 400
)

type merge struct {
	Pair
	ok bool
}

// resolve merges along match edges, strongest first, and reports for each
// edge whether it was kept. scoreOf scores any pair of records.
func (c *clusters) resolve(edges []Pair, scoreOf func(a, b int) float64) []merge {
	slices.SortStableFunc(edges, func(x, y Pair) int {
		if x.Score != y.Score {
			return cmp.Compare(y.Score, x.Score)
		}
		if x.A != y.A {
			return x.A - y.A
		}
		return x.B - y.B
	})
	out := make([]merge, 0, len(edges))
	for _, e := range edges {
		ra, rb := c.find(int32(e.A)), c.find(int32(e.B))
		if ra == rb {
			out = append(out, merge{e, true})
			continue
		}
		if c.size(ra)+c.size(rb) > 2 && !c.coherent(ra, rb, e, scoreOf) {
			out = append(out, merge{e, false})
			continue
		}
		c.union(ra, rb)
		out = append(out, merge{e, true})
	}
	// An edge kept early may join records that a later refusal left in
	// separate clusters only if they are in one cluster at the end.
	for i := range out {
		if out[i].ok && c.find(int32(out[i].A)) != c.find(int32(out[i].B)) {
			out[i].ok = false
		}
	}
	return out
}

func (c *clusters) coherent(ra, rb int32, e Pair, scoreOf func(a, b int) float64) bool {
	xa, xb := c.list(ra), c.list(rb)
	sum, count := 0.0, 0
	for _, a := range xa {
		for _, b := range xb {
			if count >= maxCrossPairs {
				break
			}
			var s float64
			if int(a) == e.A && int(b) == e.B || int(a) == e.B && int(b) == e.A {
				s = e.Score
			} else {
				s = scoreOf(int(a), int(b))
			}
			if s < vetoScore {
				return false
			}
			sum += probability(s)
			count++
		}
	}
	return count == 0 || sum/float64(count) >= minMeanProb
}

func (c *clusters) union(ra, rb int32) {
	if c.size(ra) < c.size(rb) {
		ra, rb = rb, ra
	}
	la, lb := c.list(ra), c.list(rb)
	c.members[ra] = append(la, lb...)
	c.members[rb] = nil
	c.parent[rb] = ra
}

// labels returns each record's cluster as the smallest record index in it.
func (c *clusters) labels() []int {
	n := len(c.parent)
	low := make([]int32, n)
	for i := range low {
		low[i] = -1
	}
	out := make([]int, n)
	for i := 0; i < n; i++ {
		r := c.find(int32(i))
		if low[r] < 0 {
			low[r] = int32(i)
		}
		out[i] = int(low[r])
	}
	return out
}

// groups returns the members of every cluster of two or more records, each
// sorted, in order of their first member.
func (c *clusters) groups() [][]int32 {
	var out [][]int32
	for i := range c.parent {
		if c.parent[i] == int32(i) && len(c.members[i]) > 1 {
			m := slices.Clone(c.members[i])
			slices.Sort(m)
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b []int32) int { return int(a[0] - b[0]) })
	return out
}
