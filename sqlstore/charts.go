package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/graph"
	"github.com/rabta/rabta/schema"
)

// A saved link chart holds record ids, where they stood and the view's
// filters — never a caption or a property. Opening it loads every node and
// link again through Network for whoever opens it, so a chart can show no
// more than its reader may see now, whoever saved it and whatever they saw.

// ChartNode is a record on a chart and where it stands.
type ChartNode struct {
	ID string  `json:"id"`
	X  float64 `json:"x"`
	Y  float64 `json:"y"`
}

// ChartFilters are the view settings saved with a chart.
type ChartFilters struct {
	// HiddenSchemata are link schemata the view leaves out (Call, …).
	HiddenSchemata []string `json:"hidden_schemata,omitempty"`
	// From and To (YYYY-MM-DD) hide links dated outside the range.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Measure sizes the nodes: one of graph.Centralities; empty = one size.
	Measure string `json:"measure,omitempty"`
	// Communities colours the nodes by community.
	Communities bool `json:"communities,omitempty"`
}

// ChartState is what a chart stores.
type ChartState struct {
	Nodes   []ChartNode  `json:"nodes"`
	Filters ChartFilters `json:"filters"`
	// Case, if set, saves the chart to a case of which the saver is a
	// working member: its members then find it and see its title.
	Case string `json:"case,omitempty"`
}

// ChartSummary describes a saved chart.
type ChartSummary struct {
	ID string `json:"id"`
	// Title and Owner are the saving agency's own words and staff: they
	// are shown to that agency only; to others both are empty.
	Title     string    `json:"title"`
	Owner     string    `json:"owner,omitempty"`
	Agency    string    `json:"agency"`
	CreatedAt time.Time `json:"created_at"`
	Nodes     int       `json:"nodes"` // as saved; to another agency, as many as it sees
	Case      string    `json:"case,omitempty"`
}

// OpenChart is a saved chart as one principal sees it now.
type OpenChart struct {
	ChartSummary
	Filters ChartFilters `json:"filters"`
	// Positions are the saved positions of the nodes in Network (the
	// others are not named at all).
	Positions []ChartNode `json:"positions"`
	Network   *Network    `json:"-"`
}

// Limits of a saved chart.
const maxChartTitle = 200

// SaveChart stores a chart for p's agency and logs it (chart.save). Every
// node must be a record p sees in full, as Network requires of seeds.
// st.Nodes are stored in the order given; the chart's id is returned.
// With st.Case the chart is saved to that case too.
func (s *Store) SaveChart(ctx context.Context, p rabta.Principal, title string, st ChartState) (string, error) {
	if !p.CanWriteRecords() {
		return "", rabta.Errorf(rabta.EForbidden, "your roles do not include work on records")
	}
	title = strings.TrimSpace(title)
	if title == "" {
		return "", rabta.Errorf(rabta.EInvalid, "title: give the chart a title")
	}
	if utf8.RuneCountInString(title) > maxChartTitle || !utf8.ValidString(title) {
		return "", rabta.Errorf(rabta.EInvalid, "title: at most %d characters", maxChartTitle)
	}
	if err := st.check(); err != nil {
		return "", err
	}
	if st.Case != "" {
		a, err := s.caseAccessOf(ctx, s.db, p, st.Case)
		if err != nil || !a.works() {
			return "", rabta.Errorf(rabta.EInvalid, "case: no case %q you work on", st.Case)
		}
	}
	if err := s.checkChartNodes(ctx, p, st.Nodes); err != nil {
		return "", err
	}
	if st.Filters.HiddenSchemata == nil {
		st.Filters.HiddenSchemata = []string{}
	}
	state, err := json.Marshal(st)
	if err != nil {
		return "", err
	}
	uid, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	id := uid.String()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO charts (id, owner, agency, title, case_ref, created_at, nodes, state)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), id, p.Username, p.Agency, title, nullable(st.Case), micros(s.now()), len(st.Nodes), string(state)); err != nil {
			return err
		}
		e := event(ctx, p, rabta.ActChartSave, id)
		e.Count = len(st.Nodes)
		return s.appendAudit(ctx, tx, e)
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

func (st *ChartState) check() error {
	if len(st.Nodes) == 0 {
		return rabta.Errorf(rabta.EInvalid, "nodes: a chart needs at least one record")
	}
	if len(st.Nodes) > MaxNetworkNodes {
		return rabta.Errorf(rabta.EInvalid, "nodes: at most %d records", MaxNetworkNodes)
	}
	seen := make(map[string]bool, len(st.Nodes))
	for _, n := range st.Nodes {
		if seen[n.ID] {
			return rabta.Errorf(rabta.EInvalid, "nodes: %q is there twice", n.ID)
		}
		seen[n.ID] = true
		if math.IsNaN(n.X) || math.IsNaN(n.Y) || math.Abs(n.X) > 1e7 || math.Abs(n.Y) > 1e7 {
			return rabta.Errorf(rabta.EInvalid, "nodes: %q: position out of range", n.ID)
		}
	}
	f := &st.Filters
	for _, sc := range f.HiddenSchemata {
		if s, ok := schema.Get(sc); !ok || !s.IsEdge() {
			return rabta.Errorf(rabta.EInvalid, "filters.hidden_schemata: %q is not a link schema", sc)
		}
	}
	for _, d := range []struct{ name, v string }{{"filters.from", f.From}, {"filters.to", f.To}} {
		if d.v == "" {
			continue
		}
		if _, err := schema.NormalizeValue(schema.TypeDate, d.v); err != nil || len(d.v) != 10 {
			return rabta.Errorf(rabta.EInvalid, "%s: %q is not a date (YYYY-MM-DD)", d.name, d.v)
		}
	}
	if f.Measure != "" && !slices.Contains(graph.Centralities, f.Measure) {
		return rabta.Errorf(rabta.EInvalid, "filters.measure: %q: want one of %s", f.Measure, strings.Join(graph.Centralities, ", "))
	}
	return nil
}

// checkChartNodes refuses a node p may not see in full exactly as Network
// refuses such a seed: as if it did not exist.
func (s *Store) checkChartNodes(ctx context.Context, p rabta.Principal, nodes []ChartNode) error {
	for start := 0; start < len(nodes); start += 1000 {
		chunk := nodes[start:min(len(nodes), start+1000)]
		args := make([]any, len(chunk))
		for i, n := range chunk {
			args[i] = n.ID
		}
		ms, err := s.metas(ctx, "WHERE id IN ("+placeholders(len(args))+")", args...)
		if err != nil {
			return err
		}
		byID := make(map[string]*meta, len(ms))
		for _, m := range ms {
			byID[m.id] = m
		}
		for _, n := range chunk {
			m, ok := byID[n.ID]
			if ok {
				a, err := s.decide(ctx, p, m)
				if err != nil {
					return err
				}
				ok = a == rabta.AccessFull
			}
			if !ok {
				return rabta.Errorf(rabta.ENotFound, "nodes: no record %q", n.ID)
			}
			if sc, _ := schema.Get(m.schema); sc != nil && sc.IsEdge() {
				return rabta.Errorf(rabta.EInvalid, "nodes: %q is a link (%s); a chart shows links between its records by itself", n.ID, m.schema)
			}
		}
	}
	return nil
}

// Chart opens a saved chart for p: its nodes are the saved records p sees
// in full now (loaded through Network, hops 0, which logs network.read),
// with the links among them p sees, and their saved positions. Any chart
// may be opened by its id (an analyst may send the link to a colleague of
// another agency); the title and owner are shown to the saving agency only.
// Logged as chart.read, the count being the nodes p sees.
func (s *Store) Chart(ctx context.Context, p rabta.Principal, id string) (*OpenChart, error) {
	if !p.CanWriteRecords() {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not include work on records")
	}
	var c OpenChart
	var created int64
	var state string
	err := s.db.QueryRowContext(ctx, s.q("SELECT id, owner, agency, title, coalesce(case_ref, ''), created_at, nodes, state FROM charts WHERE id = ?"), id).
		Scan(&c.ID, &c.Owner, &c.Agency, &c.Title, &c.Case, &created, &c.ChartSummary.Nodes, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rabta.Errorf(rabta.ENotFound, "no chart %q", id)
	}
	if err != nil {
		return nil, err
	}
	c.CreatedAt = fromMicros(created)
	member := c.Case != "" && slices.Contains(p.Cases, c.Case)
	if c.Agency != p.Agency && !member {
		c.Title, c.Owner, c.Case = "", "", ""
	}
	var st ChartState
	if err := json.Unmarshal([]byte(state), &st); err != nil {
		return nil, err
	}
	c.Filters = st.Filters
	seeds := make([]string, len(st.Nodes))
	for i, n := range st.Nodes {
		seeds[i] = n.ID
	}
	net, err := s.Network(ctx, p, NetworkQuery{Seeds: seeds, Hops: 0, MaxNodes: len(seeds), dropHidden: true})
	if err != nil {
		return nil, err
	}
	c.Network = net
	if c.Agency != p.Agency {
		// The saved count would tell another agency how many records it
		// cannot see are on the chart.
		c.ChartSummary.Nodes = len(net.Nodes)
	}
	pos := make(map[string]ChartNode, len(st.Nodes))
	for _, n := range st.Nodes {
		pos[n.ID] = n
	}
	c.Positions = make([]ChartNode, 0, len(net.Nodes))
	for _, n := range net.Nodes {
		c.Positions = append(c.Positions, pos[n.ID])
	}
	e := event(ctx, p, rabta.ActChartRead, c.ID)
	e.Count = len(net.Nodes)
	if err := s.Audit(ctx, e); err != nil {
		return nil, err
	}
	return &c, nil
}

// Charts lists the charts saved by p's agency, newest first, and logs the
// listing (chart.list).
func (s *Store) Charts(ctx context.Context, p rabta.Principal, limit int) ([]ChartSummary, error) {
	if !p.CanWriteRecords() {
		return nil, rabta.Errorf(rabta.EForbidden, "your roles do not include work on records")
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	where, args := "agency = ?", []any{p.Agency}
	if len(p.Cases) > 0 {
		where = "(agency = ? OR case_ref IN (" + placeholders(len(p.Cases)) + "))"
		for _, c := range p.Cases {
			args = append(args, c)
		}
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT id, owner, agency, title, coalesce(case_ref, ''), created_at, nodes FROM charts WHERE "+where+" ORDER BY created_at DESC, id DESC LIMIT ?"), append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ChartSummary{}
	for rows.Next() {
		var c ChartSummary
		var created int64
		if err := rows.Scan(&c.ID, &c.Owner, &c.Agency, &c.Title, &c.Case, &created, &c.Nodes); err != nil {
			return nil, err
		}
		c.CreatedAt = fromMicros(created)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		if out[i].Agency == p.Agency {
			continue
		}
		// Another agency's chart, found through a case: count only what p
		// sees, or the saved count tells of records p may not know of.
		if out[i].Nodes, err = s.visibleChartNodes(ctx, p, out[i].ID); err != nil {
			return nil, err
		}
	}
	e := event(ctx, p, rabta.ActChartList)
	e.Count = len(out)
	return out, s.Audit(ctx, e)
}

// AuditChartExport logs the export of a chart's network (GraphML written
// by the server, or a picture the browser made of what it shows): the
// format, and as objects the records exported.
func (s *Store) AuditChartExport(ctx context.Context, p rabta.Principal, format string, ids []string) error {
	e := event(ctx, p, rabta.ActChartExport, ids...)
	e.Query, e.Count = "format="+format, len(ids)
	return s.Audit(ctx, e)
}

// visibleChartNodes counts the records of a saved chart that p may see.
func (s *Store) visibleChartNodes(ctx context.Context, p rabta.Principal, id string) (int, error) {
	var state string
	if err := s.db.QueryRowContext(ctx, s.q("SELECT state FROM charts WHERE id = ?"), id).Scan(&state); err != nil {
		return 0, err
	}
	var st ChartState
	if err := json.Unmarshal([]byte(state), &st); err != nil {
		return 0, err
	}
	n := 0
	for start := 0; start < len(st.Nodes); start += 500 {
		chunk := st.Nodes[start:min(len(st.Nodes), start+500)]
		args := make([]any, len(chunk))
		for i, c := range chunk {
			args[i] = c.ID
		}
		ms, err := s.metas(ctx, "WHERE id IN ("+placeholders(len(args))+")", args...)
		if err != nil {
			return 0, err
		}
		for _, m := range ms {
			a, err := s.decide(ctx, p, m)
			if err != nil {
				return 0, err
			}
			if a == rabta.AccessFull {
				n++
			}
		}
	}
	return n, nil
}
