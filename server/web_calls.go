package server

import (
	"fmt"
	"net/http"

	"github.com/rabta/rabta"
)

// callsPage is what the call-analysis page shows.
type callsPage struct {
	Q        callsRequest
	Result   *callsResult
	Caption  map[string]string // record id → number, for the tables
	Hours    []bar
	Weekdays []bar
	Error    string
}

// bar is one column of a small SVG bar chart: its label, count and height
// in the chart's units (SVG attributes, so the strict CSP needs no style).
type bar struct {
	Label  string
	Count  int
	X, H   int
	Y      int
	Offset int // x of the label
}

const barChartHeight = 60

func bars(counts []int, labels []string) []bar {
	most := 1
	for _, c := range counts {
		most = max(most, c)
	}
	out := make([]bar, len(counts))
	for i, c := range counts {
		h := c * barChartHeight / most
		if c > 0 && h == 0 {
			h = 1
		}
		out[i] = bar{Label: labels[i], Count: c, X: i * 20, H: h, Y: barChartHeight - h, Offset: i*20 + 7}
	}
	return out
}

// webCalls is the call-record analysis of one or more phones:
// GET /calls?phone=ID&phone=ID&from=&to=.
func (srv *Server) webCalls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	data := &callsPage{Q: callsRequest{Phones: q["phone"], From: q.Get("from"), To: q.Get("to")}}
	status := http.StatusOK
	if len(data.Q.Phones) > 0 {
		res, err := srv.callsAnalysis(r, data.Q)
		switch c := rabta.ErrorCode(err); {
		case err == nil:
			data.Result = res
			data.Caption = map[string]string{}
			for _, n := range res.Nodes {
				data.Caption[n.ID] = n.Caption
			}
			hours := make([]string, 24)
			for h := range hours {
				if h%3 == 0 {
					hours[h] = fmt.Sprintf("%02d", h)
				}
			}
			data.Hours = bars(res.When.Hours[:], hours)
			data.Weekdays = bars(res.When.Weekdays[:], []string{"M", "T", "W", "T", "F", "S", "S"})
		case c == rabta.EInvalid || c == rabta.ENotFound:
			data.Error, status = rabta.ErrorMessage(err), statusOf(c)
		default:
			srv.renderError(w, r, err)
			return
		}
	}
	srv.render(w, r, status, "calls", srv.view(r, "chart", data))
}
