package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sanctions"
	"github.com/rabta/rabta/schema"
	"github.com/rabta/rabta/screen"
	"github.com/rabta/rabta/sqlstore"
)

// alertScore is the screening score at or above which a record raises an
// alert: well above the CLI's recall-minded 0.3, because an alert asks an
// analyst to act.
const alertScore = 0.6

// screenLoop screens every person and organisation against the current
// sanctions list, on arrival and again whenever a new list version is
// loaded, until ctx ends. Alerts carry the screener's evidence.
func screenLoop(ctx context.Context, s *sqlstore.Store, cache *screen.Cache, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := screenPending(ctx, s, cache); err != nil && ctx.Err() == nil {
			log.Error("screening", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// screenPending works through the records not yet screened against the
// current list version.
func screenPending(ctx context.Context, s *sqlstore.Store, cache *screen.Cache) error {
	ver, err := s.SanctionsVersion(ctx, "un-sc")
	if err != nil || ver == 0 {
		return err
	}
	ix, err := cache.Get(ver, func() (*sanctions.List, error) {
		_, l, err := s.CurrentSanctionsList(ctx, "un-sc")
		return l, err
	})
	if err != nil || ix == nil {
		return err
	}
	for ctx.Err() == nil {
		pend, err := s.PendingScreening(ctx, ver, 500)
		if err != nil || len(pend) == 0 {
			return err
		}
		var screened, alertRids []int64
		var alerts []sqlstore.ScreenAlert
		for _, t := range pend {
			screened = append(screened, t.RID)
			q, ok := screenQuery(t.Record)
			if !ok {
				continue
			}
			for _, c := range ix.Screen(q, 3) {
				if c.Score < alertScore {
					continue
				}
				alerts = append(alerts, sqlstore.ScreenAlert{ListID: c.ListID, Name: c.Name, Matched: c.Matched, Score: c.Score, Evidence: c.Evidence()})
				alertRids = append(alertRids, t.RID)
			}
		}
		if err := s.RecordScreening(ctx, ver, screened, alerts, alertRids); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// screenQuery builds the screening query of a person or organisation.
func screenQuery(r *rabta.Record) (screen.Query, bool) {
	sc, ok := schema.Get(r.Schema)
	if !ok || !(sc.IsA("Person") || sc.IsA("LegalEntity") || sc.IsA("Victim")) {
		return screen.Query{}, false
	}
	p := r.Properties
	var q screen.Query
	if sc.IsA("Person") || sc.IsA("Victim") {
		q.Schema = "person"
	} else {
		q.Schema = "organization"
	}
	all := append(append([]string(nil), p["name"]...), p["alias"]...)
	if full := strings.TrimSpace(strings.Join(append(append(p["firstName"], p["middleName"]...), p["lastName"]...), " ")); full != "" {
		all = append(all, full)
	}
	if len(all) == 0 {
		return q, false
	}
	q.Name, q.Aliases = all[0], all[1:]
	if len(p["birthDate"]) > 0 {
		q.BirthDate = p["birthDate"][0]
	}
	q.Nationality = strings.Join(p["nationality"], ";")
	return q, true
}
