package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sanctions"
)

// ListLoad reports what loading a sanctions list changed.
type ListLoad struct {
	Version                          int64
	Entries, Added, Removed, Changed int
}

// LoadSanctionsList stores a new version of a sanctions list and makes it
// the current one of its source. Earlier versions stay (history); each
// entry is stored with how it changed since the previous version.
func (s *Store) LoadSanctionsList(ctx context.Context, by rabta.Principal, l *sanctions.List) (*ListLoad, error) {
	if !by.Has(rabta.RoleAdmin) && by.Username != System.Username {
		return nil, rabta.Errorf(rabta.EForbidden, "only administrators load sanctions lists")
	}
	prevVersion, prev, err := s.CurrentSanctionsList(ctx, l.Source)
	if err != nil {
		return nil, err
	}
	var added, removed, changed []string
	if prev == nil {
		for _, e := range l.Entries {
			added = append(added, e.ID)
		}
	} else {
		added, removed, changed = sanctions.Diff(prev, l)
	}
	res := &ListLoad{Entries: len(l.Entries), Added: len(added), Removed: len(removed), Changed: len(changed)}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("UPDATE sanction_lists SET current = FALSE WHERE source = ? AND current"), l.Source); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, s.q(`INSERT INTO sanction_lists (source, generated, loaded_at, loaded_by, entries, added, removed, changed, current)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE) RETURNING version`), l.Source, micros(l.Generated), micros(s.now()), by.Username,
			res.Entries, res.Added, res.Removed, res.Changed).Scan(&res.Version); err != nil {
			return err
		}
		kind := map[string]string{}
		for _, id := range added {
			kind[id] = "added"
		}
		for _, id := range changed {
			kind[id] = "changed"
		}
		var rows [][]any
		for i := range l.Entries {
			e := &l.Entries[i]
			b, err := json.Marshal(e)
			if err != nil {
				return err
			}
			ch := kind[e.ID]
			if ch == "" {
				ch = "same"
			}
			rows = append(rows, []any{res.Version, e.ID, ch, string(b)})
		}
		// Removed entries are kept in the new version's rows too, marked,
		// so the history of a delisting is one query.
		if prev != nil {
			for i := range prev.Entries {
				if slices.Contains(removed, prev.Entries[i].ID) {
					b, _ := json.Marshal(&prev.Entries[i])
					rows = append(rows, []any{res.Version, prev.Entries[i].ID, "removed", string(b)})
				}
			}
		}
		for start := 0; start < len(rows); start += 200 {
			chunk := rows[start:min(len(rows), start+200)]
			var args []any
			for _, r := range chunk {
				args = append(args, r...)
			}
			one := "(?, ?, ?, ?)"
			vals := one
			for i := 1; i < len(chunk); i++ {
				vals += ", " + one
			}
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO sanction_entries (version, ref, change, data) VALUES "+vals), args...); err != nil {
				return err
			}
		}
		e := event(ctx, by, rabta.ActSanctionsLoad, fmt.Sprintf("sanctions:%s:%d", l.Source, res.Version))
		e.Count = res.Entries
		e.Query = fmt.Sprintf("added %d, removed %d, changed %d (previous version %d)", res.Added, res.Removed, res.Changed, prevVersion)
		return s.appendAudit(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// CurrentSanctionsList returns the current version of a source's list
// (nil and 0 if none was loaded). Removed entries are not in it.
func (s *Store) CurrentSanctionsList(ctx context.Context, source string) (int64, *sanctions.List, error) {
	var version, generated int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT version, generated FROM sanction_lists WHERE source = ? AND current"), source).Scan(&version, &generated)
	if err == sql.ErrNoRows {
		return 0, nil, nil
	}
	if err != nil {
		return 0, nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT data FROM sanction_entries WHERE version = ? AND change <> 'removed' ORDER BY ref"), version)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	l := &sanctions.List{Source: source, Generated: fromMicros(generated)}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return 0, nil, err
		}
		var e sanctions.Entry
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			return 0, nil, err
		}
		l.Entries = append(l.Entries, e)
	}
	return version, l, rows.Err()
}

// SanctionsVersion returns the current version number of a source's list
// (0 if none): cheap, so that every instance can notice a new list.
func (s *Store) SanctionsVersion(ctx context.Context, source string) (int64, error) {
	var v int64
	err := s.db.QueryRowContext(ctx, s.q("SELECT coalesce(max(version), 0) FROM sanction_lists WHERE source = ? AND current"), source).Scan(&v)
	return v, err
}

// ScreenTarget is a record to screen, for the platform's screener only.
type ScreenTarget struct {
	RID    int64
	Record *rabta.Record
}

// PendingScreening returns up to limit person and organisation records not
// yet screened against list version: new records, and all of them after a
// new list is loaded.
func (s *Store) PendingScreening(ctx context.Context, version int64, limit int) ([]ScreenTarget, error) {
	rids, err := s.ridsOf(ctx, s.db, s.q(`SELECT r.rid FROM records r LEFT JOIN screenings sc ON sc.rid = r.rid
		WHERE sc.rid IS NULL OR sc.version < ? ORDER BY r.rid LIMIT ?`), version, limit)
	if err != nil {
		return nil, err
	}
	recs, err := s.fullByRid(ctx, s.db, rids)
	if err != nil {
		return nil, err
	}
	out := make([]ScreenTarget, 0, len(rids))
	for _, rid := range rids {
		if r := recs[rid]; r != nil {
			out = append(out, ScreenTarget{RID: rid, Record: r})
		}
	}
	return out, nil
}

// ScreenAlert is one record's likely match on a sanctions list.
type ScreenAlert struct {
	ID       int64     `json:"id"`
	At       time.Time `json:"at"`
	Record   string    `json:"record"`
	Caption  string    `json:"caption"`
	Agency   string    `json:"agency"`
	ListID   string    `json:"list_id"`
	Name     string    `json:"name"`
	Matched  string    `json:"matched"`
	Score    float64   `json:"score"`
	Evidence string    `json:"evidence"`
}

// RecordScreening marks records as screened against version and stores
// their alerts (a record and a list entry alert once, whatever the list
// version), logging the run as the platform's own write.
func (s *Store) RecordScreening(ctx context.Context, version int64, screened []int64, alerts []ScreenAlert, rids []int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		for _, rid := range screened {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO screenings (rid, version) VALUES (?, ?)
				ON CONFLICT (rid) DO UPDATE SET version = excluded.version`), rid, version); err != nil {
				return err
			}
		}
		for i, a := range alerts {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO screen_alerts (at, rid, version, ref, name, matched, score, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (rid, ref) DO NOTHING`), micros(s.now()), rids[i], version, a.ListID, a.Name, a.Matched, a.Score, a.Evidence); err != nil {
				return err
			}
		}
		e := event(ctx, System, rabta.ActScreenRun)
		e.Query = fmt.Sprintf("list version %d: %d records screened, %d alerts", version, len(screened), len(alerts))
		e.Count = len(alerts)
		return s.appendAudit(ctx, tx, e)
	})
}

// ScreeningAlerts returns the alerts on records the principal sees in full,
// newest first.
func (s *Store) ScreeningAlerts(ctx context.Context, p rabta.Principal, limit int) ([]ScreenAlert, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT a.id, a.at, a.ref, a.name, a.matched, a.score, a.evidence, `+prefixCols("r.", metaCols)+`
		FROM screen_alerts a JOIN records r ON r.rid = a.rid ORDER BY a.id DESC LIMIT ?`), limit*5)
	if err != nil {
		return nil, err
	}
	type row struct {
		a ScreenAlert
		m meta
	}
	var rs []row
	for rows.Next() {
		var x row
		var at int64
		if err := rows.Scan(&x.a.ID, &at, &x.a.ListID, &x.a.Name, &x.a.Matched, &x.a.Score, &x.a.Evidence,
			&x.m.rid, &x.m.id, &x.m.schema, &x.m.agency, &x.m.caption, &x.m.release, &x.m.relAgencies, &x.m.classification, &x.m.categories, &x.m.shares); err != nil {
			rows.Close()
			return nil, err
		}
		x.a.At = fromMicros(at)
		rs = append(rs, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []ScreenAlert
	for _, x := range rs {
		if len(out) == limit {
			break
		}
		acc, err := s.decide(ctx, p, &x.m)
		if err != nil {
			return nil, err
		}
		if acc != rabta.AccessFull {
			continue
		}
		x.a.Record, x.a.Caption, x.a.Agency = x.m.id, x.m.caption, x.m.agency
		out = append(out, x.a)
	}
	e := event(ctx, p, rabta.ActScreenRead)
	e.Count = len(out)
	if err := s.Audit(ctx, e); err != nil {
		return nil, err
	}
	return out, nil
}

// AuditScreening logs an interactive screening: the list is public, the
// name screened is not.
func (s *Store) AuditScreening(ctx context.Context, p rabta.Principal, query string, candidates int) error {
	e := event(ctx, p, rabta.ActScreen)
	e.Query, e.Count = query, candidates
	return s.Audit(ctx, e)
}
