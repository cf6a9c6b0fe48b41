package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/schema"
)

// NetworkQuery selects the part of the network around seed records that a
// link chart or an analysis needs.
type NetworkQuery struct {
	Seeds []string // record ids
	// Hops is how many links out from the seeds to go: 0 gives the seeds
	// and the links among them (an analyst's selection). At most MaxHops.
	Hops int
	// MaxDegree: a node (other than a seed) with more visible links than
	// this is a hub — a call centre, a bank's pooled account — shown with
	// its links to the nodes already there, but not expanded. 0 = 50.
	MaxDegree int
	// MaxNodes caps the network, nearest nodes first. 0 = 500; at most
	// MaxNetworkNodes.
	MaxNodes int
	// Schemata are the link schemata to follow (Call, Payment, …); empty =
	// every link.
	Schemata []string
	// From and To (YYYY-MM-DD) leave out links dated outside the range;
	// links without a date stay.
	From, To string
	// Until stops the expansion after the hop that reaches any of these
	// records (path finding); empty = expand all Hops.
	Until []string
	// Among are records already on the caller's link chart. Links from the
	// network's outermost nodes to those of them the caller sees are kept,
	// and those records returned with them, so that a node added by an
	// expansion shows its links to the rest of the chart; they do not count
	// towards MaxNodes, which then caps what the chart gains. At most
	// MaxNetworkNodes.
	Among []string

	// dropHidden leaves out seeds the principal may not see in full (or
	// that are gone, or are links) instead of refusing them: for opening a
	// saved chart, whose ids someone else chose.
	dropHidden bool
}

// Limits of a network query.
const (
	MaxHops         = 6
	MaxNetworkNodes = 5000
)

// netChunk is how many ids one traversal query carries: large chunks save
// round trips (on PostgreSQL most of the time), well within both databases'
// limits on parameters.
const netChunk = 4000

// NetworkNode is a record in a network.
type NetworkNode struct {
	ID      string `json:"id"`
	Schema  string `json:"schema"`
	Caption string `json:"caption"`
	Agency  string `json:"agency"`
	Hop     int    `json:"hop"`           // links from the nearest seed
	Hub     bool   `json:"hub,omitempty"` // not expanded: too many links
}

// NetworkEdge is a link record between two nodes.
type NetworkEdge struct {
	ID       string  `json:"id"`
	Schema   string  `json:"schema"`
	Source   string  `json:"source"`
	Target   string  `json:"target"`
	Directed bool    `json:"directed"`
	Label    string  `json:"label"`
	Date     string  `json:"date,omitempty"`     // date or start date
	Duration float64 `json:"duration,omitempty"` // calls: seconds
	Amount   float64 `json:"amount,omitempty"`   // payments
	CallType string  `json:"call_type,omitempty"`
}

// Network is what a principal may see of the network around the seeds:
// records it sees in full, joined by links it sees in full (a link and
// both its ends). Nodes are in order of hop, then of storage; edges in
// order of storage.
type Network struct {
	Nodes     []NetworkNode `json:"nodes"`
	Edges     []NetworkEdge `json:"edges"`
	Truncated bool          `json:"truncated"` // MaxNodes was reached
}

// netNode is a node during the traversal.
type netNode struct {
	m   *meta
	hop int
	hub bool
}

// netLink is a visible link during the traversal.
type netLink struct {
	m        *meta
	ends     [2]int64 // source, target rids
	endMetas [2]*meta
	directed bool
	label    string
	props    map[string][]string
}

// Network loads the network around the seeds, hop by hop, through the
// links the principal may see, and logs the read (the seeds as objects,
// the number of nodes as the count). A seed the principal may not see in
// full is reported as missing, like one that does not exist.
func (s *Store) Network(ctx context.Context, p rabta.Principal, q NetworkQuery) (*Network, error) {
	if err := q.normalize(); err != nil {
		return nil, err
	}
	t := &traversal{s: s, p: p, q: q, nodes: map[int64]*netNode{}, links: map[int64]*netLink{}, decided: map[int64]rabta.Access{}, known: map[int64]*meta{}}
	net, err := t.run(ctx)
	if err != nil {
		return nil, err
	}
	e := event(ctx, p, rabta.ActNetworkRead, q.Seeds...)
	e.Query = networkQueryText(q)
	e.Count = len(net.Nodes)
	return net, s.Audit(ctx, e)
}

func (q *NetworkQuery) normalize() error {
	if len(q.Seeds) == 0 {
		return rabta.Errorf(rabta.EInvalid, "seeds: give at least one record")
	}
	if len(q.Seeds) > MaxNetworkNodes {
		return rabta.Errorf(rabta.EInvalid, "seeds: at most %d records", MaxNetworkNodes)
	}
	if len(q.Among) > MaxNetworkNodes {
		return rabta.Errorf(rabta.EInvalid, "among: at most %d records", MaxNetworkNodes)
	}
	if q.Hops < 0 || q.Hops > MaxHops {
		return rabta.Errorf(rabta.EInvalid, "hops: %d is out of range 0–%d", q.Hops, MaxHops)
	}
	if q.MaxDegree < 0 || q.MaxNodes < 0 || q.MaxNodes > MaxNetworkNodes {
		return rabta.Errorf(rabta.EInvalid, "max_nodes: at most %d", MaxNetworkNodes)
	}
	if q.MaxDegree == 0 {
		q.MaxDegree = 50
	}
	if q.MaxNodes == 0 {
		q.MaxNodes = 500
	}
	q.MaxNodes = max(q.MaxNodes, len(q.Seeds))
	for _, sc := range q.Schemata {
		if s, ok := schema.Get(sc); !ok || !s.IsEdge() {
			return rabta.Errorf(rabta.EInvalid, "schemata: %q is not a link schema", sc)
		}
	}
	for _, d := range []struct{ name, v string }{{"from", q.From}, {"to", q.To}} {
		if d.v == "" {
			continue
		}
		if _, err := schema.NormalizeValue(schema.TypeDate, d.v); err != nil || len(d.v) != 10 {
			return rabta.Errorf(rabta.EInvalid, "%s: %q is not a date (YYYY-MM-DD)", d.name, d.v)
		}
	}
	return nil
}

func networkQueryText(q NetworkQuery) string {
	var b strings.Builder
	b.WriteString("hops=")
	b.WriteString(strconv.Itoa(q.Hops))
	if len(q.Schemata) > 0 {
		b.WriteString(" schemata=" + strings.Join(q.Schemata, ","))
	}
	if q.From != "" || q.To != "" {
		b.WriteString(" dates=" + q.From + ".." + q.To)
	}
	if len(q.Until) > 0 {
		b.WriteString(" until=" + strings.Join(q.Until, ","))
	}
	return b.String()
}

type traversal struct {
	s       *Store
	p       rabta.Principal
	q       NetworkQuery
	nodes   map[int64]*netNode
	order   []int64
	links   map[int64]*netLink // visible links kept
	seen    map[int64]bool     // links already examined
	decided map[int64]rabta.Access
	deg     map[int64]int   // visible links examined so far, by end
	known   map[int64]*meta // Among records the principal sees in full
	fresh   int             // nodes that are not among the known: what MaxNodes caps
	full    bool            // MaxNodes reached
	// truncated: a node was left out because the network was full.
	truncated bool
}

func (t *traversal) run(ctx context.Context) (*Network, error) {
	t.seen, t.deg = map[int64]bool{}, map[int64]int{}
	args := make([]any, len(t.q.Seeds))
	for i, id := range t.q.Seeds {
		args[i] = id
	}
	ms, err := t.s.metas(ctx, "WHERE id IN ("+placeholders(len(args))+")", args...)
	if err != nil {
		return nil, err
	}
	byID := map[string]*meta{}
	for _, m := range ms {
		byID[m.id] = m
	}
	for _, id := range t.q.Seeds {
		m, ok := byID[id]
		if ok {
			a, err := t.access(ctx, m)
			if err != nil {
				return nil, err
			}
			ok = a == rabta.AccessFull
		}
		if !ok {
			if t.q.dropHidden {
				continue
			}
			return nil, rabta.Errorf(rabta.ENotFound, "seeds: no record %q", id)
		}
		if sc, _ := schema.Get(m.schema); sc != nil && sc.IsEdge() {
			if t.q.dropHidden {
				continue
			}
			return nil, rabta.Errorf(rabta.EInvalid, "seeds: %q is a link (%s); start from the records it joins", id, m.schema)
		}
		t.add(m, 0)
	}
	if err := t.loadKnown(ctx); err != nil {
		return nil, err
	}
	frontier := slices.Clone(t.order)
	for hop := 0; hop <= t.q.Hops && len(frontier) > 0; hop++ {
		last := hop == t.q.Hops
		next, err := t.expand(ctx, frontier, hop, last)
		if err != nil {
			return nil, err
		}
		frontier = next
		if len(t.q.Until) > 0 && t.reached() {
			// Links among the nodes found so far, then stop.
			if _, err := t.expand(ctx, frontier, hop+1, true); err != nil {
				return nil, err
			}
			break
		}
	}
	return t.result(), nil
}

// loadKnown decides the Among records: only those the principal sees in
// full (and that are not links) may be joined to the network.
func (t *traversal) loadKnown(ctx context.Context) error {
	for start := 0; start < len(t.q.Among); start += 1000 {
		chunk := t.q.Among[start:min(len(t.q.Among), start+1000)]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		ms, err := t.s.metas(ctx, "WHERE id IN ("+placeholders(len(args))+")", args...)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if _, ok := t.nodes[m.rid]; ok {
				continue
			}
			if sc, _ := schema.Get(m.schema); sc != nil && sc.IsEdge() {
				continue
			}
			a, err := t.access(ctx, m)
			if err != nil {
				return err
			}
			if a == rabta.AccessFull {
				t.known[m.rid] = m
			}
		}
	}
	return nil
}

// reached reports whether a node is one of q.Until.
func (t *traversal) reached() bool {
	for _, n := range t.nodes {
		if slices.Contains(t.q.Until, n.m.id) {
			return true
		}
	}
	return false
}

func (t *traversal) add(m *meta, hop int) {
	if _, ok := t.nodes[m.rid]; ok {
		return
	}
	t.nodes[m.rid] = &netNode{m: m, hop: hop}
	t.order = append(t.order, m.rid)
	if _, ok := t.known[m.rid]; !ok {
		t.fresh++ // records already on the caller's chart do not count
	}
	if t.fresh >= t.q.MaxNodes {
		t.full = true
	}
}

// access is the access decision, remembered for the traversal.
func (t *traversal) access(ctx context.Context, m *meta) (rabta.Access, error) {
	if a, ok := t.decided[m.rid]; ok {
		return a, nil
	}
	a, err := t.s.decide(ctx, t.p, m)
	if err != nil {
		return "", err
	}
	t.decided[m.rid] = a
	return a, nil
}

// linkRef is one end of a link found by the ref index.
type linkRef struct {
	link int64
	prop string
	end  *meta
}

// expand examines the links of the frontier nodes: it keeps the visible
// ones (after the schema and date filters) and, unless last, adds their
// other ends as nodes of hop+1, nearest first, up to MaxNodes. Hubs keep
// only links to nodes already present. It returns the new nodes.
func (t *traversal) expand(ctx context.Context, frontier []int64, hop int, last bool) ([]int64, error) {
	// Links touching the frontier, by the reference index.
	var linkRids []int64
	for start := 0; start < len(frontier); start += netChunk {
		chunk := frontier[start:min(len(frontier), start+netChunk)]
		args := make([]any, 0, len(chunk)+len(t.q.Schemata))
		for _, rid := range chunk {
			args = append(args, t.nodes[rid].m.id)
		}
		query := "SELECT DISTINCT f.rid FROM record_refs f JOIN records l ON l.rid = f.rid WHERE f.ref_id IN (" + placeholders(len(chunk)) + ")"
		if len(t.q.Schemata) > 0 {
			query += " AND l.schema IN (" + placeholders(len(t.q.Schemata)) + ")"
			for _, sc := range t.q.Schemata {
				args = append(args, sc)
			}
		}
		rids, err := t.s.ridsOf(ctx, t.s.db, t.s.q(query), args...)
		if err != nil {
			return nil, err
		}
		for _, r := range rids {
			if !t.seen[r] {
				t.seen[r] = true
				linkRids = append(linkRids, r)
			}
		}
	}
	slices.Sort(linkRids)
	visible, err := t.visibleLinks(ctx, linkRids)
	if err != nil {
		return nil, err
	}
	// Every link of a frontier node has now been examined once, so its
	// visible degree is complete: hubs are known before anything is added.
	for _, l := range visible {
		t.deg[l.ends[0]]++
		t.deg[l.ends[1]]++
	}
	for _, r := range frontier {
		if n := t.nodes[r]; n.hop > 0 && t.deg[r] > t.q.MaxDegree {
			n.hub = true
		}
	}
	var added []int64
	for _, l := range visible {
		a, b := l.ends[0], l.ends[1]
		_, haveA := t.nodes[a]
		_, haveB := t.nodes[b]
		if haveA && haveB {
			t.links[l.m.rid] = l
			continue
		}
		if last {
			// A link to a record already on the caller's chart joins it.
			for i, end := range l.ends {
				if _, ok := t.known[end]; ok && !(haveA && i == 0 || haveB && i == 1) {
					t.add(l.endMetas[i], hop+1)
					t.links[l.m.rid] = l
				}
			}
			continue
		}
		// One end is new: it joins unless the known end is a hub or the
		// network is full.
		known, other, om := a, b, l.endMetas[1]
		if !haveA {
			known, other, om = b, a, l.endMetas[0]
		}
		if t.nodes[known].hub || t.full {
			if t.full {
				t.truncated = true
			}
			continue
		}
		t.add(om, hop+1)
		added = append(added, other)
		t.links[l.m.rid] = l
	}
	return added, nil
}

// visibleLinks loads the links, decides each (a link is visible in full
// only if it and both ends are), and applies the date filter.
func (t *traversal) visibleLinks(ctx context.Context, rids []int64) ([]*netLink, error) {
	var out []*netLink
	for start := 0; start < len(rids); start += netChunk {
		chunk := rids[start:min(len(rids), start+netChunk)]
		args := make([]any, len(chunk))
		for i, r := range chunk {
			args[i] = r
		}
		ms, err := t.s.metas(ctx, "WHERE rid IN ("+placeholders(len(chunk))+") ORDER BY rid", args...)
		if err != nil {
			return nil, err
		}
		ends, err := t.ends(ctx, chunk)
		if err != nil {
			return nil, err
		}
		var keep []*netLink
		for _, m := range ms {
			sc, ok := schema.Get(m.schema)
			if !ok || !sc.IsEdge() {
				continue // a record naming the node in a property, not a link
			}
			// The access decision on the link with the ends loaded in bulk
			// (decide would load them link by link).
			var src, dst *meta
			var endMetas []*meta
			for _, r := range ends[m.rid] {
				switch r.prop {
				case sc.Edge.Source:
					src = cmp.Or(src, r.end)
				case sc.Edge.Target:
					dst = cmp.Or(dst, r.end)
				default:
					continue
				}
				endMetas = append(endMetas, r.end)
			}
			a := m.decide(t.p, t.s.now())
			if a != rabta.AccessNone {
				if a, err = t.s.decideEnds(ctx, t.p, a, endMetas, 0); err != nil {
					return nil, err
				}
			}
			if a != rabta.AccessFull || src == nil || dst == nil || src.rid == dst.rid {
				continue
			}
			keep = append(keep, &netLink{m: m, ends: [2]int64{src.rid, dst.rid}, endMetas: [2]*meta{src, dst}, directed: sc.Edge.Directed, label: sc.Edge.Label})
		}
		if err := t.loadProps(ctx, keep); err != nil {
			return nil, err
		}
		for _, l := range keep {
			if t.inDates(l) {
				out = append(out, l)
			}
		}
	}
	return out, nil
}

// ends returns the entity references of the links, with the referenced
// records' metas.
func (t *traversal) ends(ctx context.Context, rids []int64) (map[int64][]linkRef, error) {
	args := make([]any, len(rids))
	for i, r := range rids {
		args[i] = r
	}
	rows, err := t.s.db.QueryContext(ctx, t.s.q("SELECT f.rid, f.prop, "+prefixCols("r.", metaCols)+
		" FROM record_refs f JOIN records r ON r.id = f.ref_id WHERE f.rid IN ("+placeholders(len(rids))+") ORDER BY f.rid, f.prop, r.rid"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]linkRef{}
	for rows.Next() {
		var ref linkRef
		var m meta
		if err := rows.Scan(&ref.link, &ref.prop, &m.rid, &m.id, &m.schema, &m.agency, &m.caption, &m.release, &m.relAgencies, &m.classification, &m.categories, &m.shares); err != nil {
			return nil, err
		}
		ref.end = &m
		out[ref.link] = append(out[ref.link], ref)
	}
	return out, rows.Err()
}

func (t *traversal) loadProps(ctx context.Context, ls []*netLink) error {
	if len(ls) == 0 {
		return nil
	}
	args := make([]any, len(ls))
	byRid := map[int64]*netLink{}
	for i, l := range ls {
		args[i] = l.m.rid
		byRid[l.m.rid] = l
	}
	rows, err := t.s.db.QueryContext(ctx, t.s.q("SELECT rid, properties FROM records WHERE rid IN ("+placeholders(len(ls))+")"), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var props string
		if err := rows.Scan(&rid, &props); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(props), &byRid[rid].props); err != nil {
			return err
		}
	}
	return rows.Err()
}

// linkDate is a link's date: its date, else its start date.
func linkDate(props map[string][]string) string {
	for _, k := range []string{"date", "startDate"} {
		if v := props[k]; len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

func (t *traversal) inDates(l *netLink) bool {
	d := linkDate(l.props)
	if d == "" || (t.q.From == "" && t.q.To == "") {
		return true
	}
	day := d[:min(10, len(d))]
	if t.q.From != "" && day < t.q.From {
		return false
	}
	return t.q.To == "" || day <= t.q.To
}

func (t *traversal) result() *Network {
	net := &Network{Nodes: []NetworkNode{}, Edges: []NetworkEdge{}, Truncated: t.truncated}
	// Hop order is discovery order already: seeds, then each hop's nodes.
	for _, rid := range t.order {
		n := t.nodes[rid]
		net.Nodes = append(net.Nodes, NetworkNode{ID: n.m.id, Schema: n.m.schema, Caption: n.m.caption, Agency: n.m.agency, Hop: n.hop, Hub: n.hub})
	}
	rids := make([]int64, 0, len(t.links))
	for r := range t.links {
		rids = append(rids, r)
	}
	slices.Sort(rids)
	for _, r := range rids {
		l := t.links[r]
		e := NetworkEdge{ID: l.m.id, Schema: l.m.schema, Source: t.nodes[l.ends[0]].m.id, Target: t.nodes[l.ends[1]].m.id,
			Directed: l.directed, Label: l.label, Date: linkDate(l.props)}
		e.Duration = firstNumber(l.props["duration"])
		e.Amount = firstNumber(l.props["amount"])
		if v := l.props["callType"]; len(v) > 0 {
			e.CallType = v[0]
		}
		net.Edges = append(net.Edges, e)
	}
	return net
}

func firstNumber(v []string) float64 {
	if len(v) == 0 {
		return 0
	}
	f, _ := strconv.ParseFloat(v[0], 64)
	return f
}
