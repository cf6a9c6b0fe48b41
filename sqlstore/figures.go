package sqlstore

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/rabta/rabta"
)

// Figures of cooperation for the strategy's coordinator: how agencies
// answer one another, how many cases they run jointly, how many operation
// conflicts were found and how they were settled. Counts only: no request,
// case or operation content.

// CoopFigures is one agency's figures for one month (PKT).
type CoopFigures struct {
	Agency string `json:"agency"`
	Month  string `json:"month"` // YYYY-MM
	// Requests the agency received in the month, and of them: answered
	// (or granted) by the deadline, answered late, refused, still open
	// past the deadline.
	RequestsReceived int `json:"requests_received"`
	AnsweredInTime   int `json:"answered_in_time"`
	AnsweredLate     int `json:"answered_late"`
	Refused          int `json:"refused"`
	OpenOverdue      int `json:"open_overdue"`
	// MedianHoursToAnswer over the requests answered or refused; null
	// when there were none.
	MedianHoursToAnswer *float64 `json:"median_hours_to_answer"`
	RequestsSent        int      `json:"requests_sent"`
	// Joint cases opened in the month in which the agency takes part.
	JointCasesOpened int `json:"joint_cases_opened"`
	// Conflicts found between the agency's operations and another's, and
	// how many of them were resolved by each outcome.
	ConflictsFound int            `json:"conflicts_found"`
	Resolutions    map[string]int `json:"resolutions"`
}

// MonthTotals are the platform's figures for one month, each case and
// conflict counted once (the agencies' figures count them once per
// agency taking part).
type MonthTotals struct {
	Month            string         `json:"month"`
	JointCasesOpened int            `json:"joint_cases_opened"`
	ConflictsFound   int            `json:"conflicts_found"`
	Resolutions      map[string]int `json:"resolutions"`
}

// CooperationFigures returns figures by agency and month for months in
// [from, to] (YYYY-MM; empty for no bound), and the platform's totals by
// month. Only the coordinator role.
func (s *Store) CooperationFigures(ctx context.Context, p rabta.Principal, from, to string) ([]CoopFigures, []MonthTotals, error) {
	if !p.Has(rabta.RoleCoordinator) {
		return nil, nil, rabta.Errorf(rabta.EForbidden, "figures are for the coordinator role")
	}
	for _, m := range []struct{ field, v string }{{"from", from}, {"to", to}} {
		if m.v == "" {
			continue
		}
		if _, err := time.Parse("2006-01", m.v); err != nil {
			return nil, nil, rabta.Errorf(rabta.EInvalid, "%s: %q is not a month (YYYY-MM)", m.field, m.v)
		}
	}
	now := s.now()
	figs := map[[2]string]*CoopFigures{}
	at := func(agency string, t time.Time) *CoopFigures {
		month := t.In(rabta.PKT).Format("2006-01")
		k := [2]string{agency, month}
		if figs[k] == nil {
			figs[k] = &CoopFigures{Agency: agency, Month: month, Resolutions: map[string]int{}}
		}
		return figs[k]
	}
	hours := map[[2]string][]float64{}
	totals := map[string]*MonthTotals{}
	total := func(t time.Time) *MonthTotals {
		month := t.In(rabta.PKT).Format("2006-01")
		if totals[month] == nil {
			totals[month] = &MonthTotals{Month: month, Resolutions: map[string]int{}}
		}
		return totals[month]
	}

	rows, err := s.db.QueryContext(ctx, "SELECT from_agency, to_agency, state, deadline, created_at, closed_at FROM requests")
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var fromA, toA, state string
		var deadline, created, closed int64
		if err := rows.Scan(&fromA, &toA, &state, &deadline, &created, &closed); err != nil {
			rows.Close()
			return nil, nil, err
		}
		c := fromMicros(created)
		at(fromA, c).RequestsSent++
		f := at(toA, c)
		f.RequestsReceived++
		switch rabta.RequestState(state) {
		case rabta.StateAnswered:
			if closed <= deadline {
				f.AnsweredInTime++
			} else {
				f.AnsweredLate++
			}
		case rabta.StateRefused:
			f.Refused++
		case rabta.StateSubmitted, rabta.StateAcknowledged:
			if micros(now) > deadline {
				f.OpenOverdue++
			}
		}
		if state == string(rabta.StateAnswered) || state == string(rabta.StateRefused) {
			k := [2]string{f.Agency, f.Month}
			hours[k] = append(hours[k], float64(closed-created)/3.6e9)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}

	rows, err = s.db.QueryContext(ctx, `SELECT c.id, c.created_at, m.agency FROM cases c JOIN (SELECT DISTINCT case_id, agency FROM case_members) m ON m.case_id = c.id
		WHERE (SELECT count(DISTINCT agency) FROM case_members x WHERE x.case_id = c.id) > 1`)
	if err != nil {
		return nil, nil, err
	}
	counted := map[string]bool{}
	for rows.Next() {
		var id, agency string
		var created int64
		if err := rows.Scan(&id, &created, &agency); err != nil {
			rows.Close()
			return nil, nil, err
		}
		at(agency, fromMicros(created)).JointCasesOpened++
		if !counted[id] {
			counted[id] = true
			total(fromMicros(created)).JointCasesOpened++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}

	rows, err = s.db.QueryContext(ctx, "SELECT agency_a, agency_b, found_at, resolution FROM conflicts")
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var a, b, res string
		var found int64
		if err := rows.Scan(&a, &b, &found, &res); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if res == "" {
			res = "unresolved"
		}
		for _, agency := range []string{a, b} {
			f := at(agency, fromMicros(found))
			f.ConflictsFound++
			f.Resolutions[res]++
		}
		t := total(fromMicros(found))
		t.ConflictsFound++
		t.Resolutions[res]++
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}

	var out []CoopFigures
	for k, f := range figs {
		if from != "" && f.Month < from || to != "" && f.Month > to {
			continue
		}
		if h := hours[k]; len(h) > 0 {
			m := median(h)
			f.MedianHoursToAnswer = &m
		}
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].Agency < out[j].Agency
	})
	var months []MonthTotals
	for _, t := range totals {
		if (from == "" || t.Month >= from) && (to == "" || t.Month <= to) {
			months = append(months, *t)
		}
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Month < months[j].Month })
	e := event(ctx, p, rabta.ActFiguresRead)
	e.Query, e.Count = "cooperation from="+from+" to="+to, len(out)
	return out, months, s.Audit(ctx, e)
}

func median(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
