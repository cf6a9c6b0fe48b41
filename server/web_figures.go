package server

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sqlstore"
)

// The coordinator's figures of cooperation: a table by month and agency,
// and bar charts drawn here as SVG attributes (the CSP allows no inline
// style), as the call analysis draws its bars.

type figuresData struct {
	From, To string
	Figures  []sqlstore.CoopFigures
	Agencies []agencyBar // requests received in the period, by agency
	Months   []monthBars // joint cases and conflicts, by month
	Error    string
}

// Size of the requests chart, in its own units.
const (
	figLabelW = 64  // agency codes left of the bars
	figBarW   = 400 // the longest bar
	figRowH   = 22
	figMonthW = 40 // one month's pair of bars
	figMonthH = 80
)

// AgenciesHeight and MonthsWidth size the charts' viewBoxes; a few months
// keep the width of a dozen, so that their bars are not drawn huge.
func (d *figuresData) AgenciesHeight() int { return len(d.Agencies)*figRowH + 4 }
func (d *figuresData) MonthsWidth() int    { return max(len(d.Months), 12) * figMonthW }

// Median shows a row's median time to answer, in hours.
func (d *figuresData) Median(f sqlstore.CoopFigures) string {
	if f.MedianHoursToAnswer == nil {
		return "—"
	}
	return strconv.FormatFloat(*f.MedianHoursToAnswer, 'f', 1, 64)
}

// segment is one part of an agency's bar: how its requests ended.
type segment struct {
	Class string // CSS class, which colours it
	Key   string // catalogue key of what it counts
	Count int
	X, W  int
}

type agencyBar struct {
	Agency   string
	Received int
	Y, TextY int
	EndX     int // where the total is written
	Segs     []segment
}

type monthBars struct {
	Month            string
	Joint, Conflicts bar
	LabelX           int
}

func (srv *Server) webFigures(w http.ResponseWriter, r *http.Request) {
	p := sessionOf(r.Context()).p
	if !p.Has(rabta.RoleCoordinator) {
		srv.renderError(w, r, rabta.Errorf(rabta.EForbidden, "%s", catalogues[langOf(r)].T("error.nofigures")))
		return
	}
	// The last twelve months unless the form says otherwise (an empty
	// bound is no bound).
	q, now := r.URL.Query(), time.Now().In(rabta.PKT)
	data := &figuresData{From: now.AddDate(0, -11, 1-now.Day()).Format("2006-01"), To: now.Format("2006-01")}
	if q.Has("from") || q.Has("to") {
		data.From, data.To = q.Get("from"), q.Get("to")
	}
	figs, totals, err := srv.store.CooperationFigures(srv.storeCtx(r), p, data.From, data.To)
	status := http.StatusOK
	switch {
	case err == nil:
		data.Figures = figs
		data.Agencies, data.Months = agencyBars(figs), monthlyBars(totals, data.From, data.To)
	case formError(err):
		data.Error, status = rabta.ErrorMessage(err), statusOf(rabta.ErrorCode(err))
	default:
		srv.renderError(w, r, err)
		return
	}
	srv.render(w, r, status, "figures", srv.view(r, "figures", data))
}

// agencyBars sums the period's requests received by agency, each bar split
// by how they ended; the rest are open within their deadline or withdrawn.
func agencyBars(figs []sqlstore.CoopFigures) []agencyBar {
	sums := map[string]*sqlstore.CoopFigures{}
	for _, f := range figs {
		s := sums[f.Agency]
		if s == nil {
			s = &sqlstore.CoopFigures{Agency: f.Agency}
			sums[f.Agency] = s
		}
		s.RequestsReceived += f.RequestsReceived
		s.AnsweredInTime += f.AnsweredInTime
		s.AnsweredLate += f.AnsweredLate
		s.Refused += f.Refused
		s.OpenOverdue += f.OpenOverdue
	}
	most := 1
	var agencies []string
	for a, s := range sums {
		if s.RequestsReceived > 0 {
			agencies = append(agencies, a)
			most = max(most, s.RequestsReceived)
		}
	}
	slices.Sort(agencies)
	out := make([]agencyBar, len(agencies))
	for i, a := range agencies {
		s := sums[a]
		b := agencyBar{Agency: a, Received: s.RequestsReceived, Y: i*figRowH + 2, TextY: i*figRowH + 15}
		x := figLabelW
		for _, sg := range []segment{
			{Class: "seg-intime", Key: "figures.intime", Count: s.AnsweredInTime},
			{Class: "seg-late", Key: "figures.late", Count: s.AnsweredLate},
			{Class: "seg-refused", Key: "figures.refused", Count: s.Refused},
			{Class: "seg-overdue", Key: "figures.overdue", Count: s.OpenOverdue},
			{Class: "seg-other", Key: "figures.other", Count: s.RequestsReceived - s.AnsweredInTime - s.AnsweredLate - s.Refused - s.OpenOverdue},
		} {
			if sg.Count <= 0 {
				continue
			}
			sg.X, sg.W = x, max(1, sg.Count*figBarW/most)
			x += sg.W
			b.Segs = append(b.Segs, sg)
		}
		b.EndX = x + 4
		out[i] = b
	}
	return out
}

// monthlyBars draws joint cases and conflicts by month (each counted once),
// for every month of the period asked for (or, unbounded or longer than
// five years, from the first to the last with figures).
func monthlyBars(totals []sqlstore.MonthTotals, from, to string) []monthBars {
	if len(totals) == 0 {
		return nil
	}
	joint, conflicts := map[string]int{}, map[string]int{}
	first, last := totals[0].Month, totals[0].Month
	for _, t := range totals {
		joint[t.Month] += t.JointCasesOpened
		conflicts[t.Month] += t.ConflictsFound
		first, last = min(first, t.Month), max(last, t.Month)
	}
	months := monthsFrom(first, last)
	if from != "" && to != "" {
		if all := monthsFrom(from, to); len(all) <= 60 {
			months = all
		}
	}
	most := 1
	for _, m := range months {
		most = max(most, joint[m], conflicts[m])
	}
	height := func(c int) int {
		h := c * figMonthH / most
		if c > 0 && h == 0 {
			h = 1
		}
		return h
	}
	out := make([]monthBars, len(months))
	for i, m := range months {
		x0 := i * figMonthW
		jh, ch := height(joint[m]), height(conflicts[m])
		out[i] = monthBars{Month: m, LabelX: x0 + figMonthW/2,
			Joint:     bar{Count: joint[m], X: x0 + 5, H: jh, Y: figMonthH - jh, Offset: x0 + 12},
			Conflicts: bar{Count: conflicts[m], X: x0 + 21, H: ch, Y: figMonthH - ch, Offset: x0 + 28}}
	}
	return out
}

// monthsFrom lists the months (YYYY-MM) from first to last.
func monthsFrom(first, last string) []string {
	t, err := time.Parse("2006-01", first)
	if err != nil {
		return nil
	}
	var months []string
	for m := first; m <= last && len(months) <= 1200; m = t.Format("2006-01") {
		months = append(months, m)
		t = t.AddDate(0, 1, 0)
	}
	return months
}
