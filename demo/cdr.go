package demo

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rabta/rabta/cdr"
)

// CDR writes a synthetic operator export of call detail records for the
// demo phone with the most calls — a phone of the heroin ring that ANF
// holds — as another agency would receive it from the operator: its calls
// with the ring (the demo's Call records touching the number), plus the
// noise real exports carry (calls with numbers no agency knows, messages
// from service codes). Importing it as FIA raises hits with ANF. It
// returns the subscriber's number. The export is deterministic.
func CDR(w io.Writer) (string, error) {
	ds := Build()
	type call struct {
		from, to, date, typ, dir, cell string
		secs                           string
	}
	byNumber := map[string][]call{}
	for _, bt := range ds.Batches {
		for _, r := range bt.Records {
			if r.Schema != "Call" {
				continue
			}
			p := r.Properties
			c := call{from: firstOf(p["callerNumber"]), to: firstOf(p["receiverNumber"]), date: firstOf(p["date"]),
				typ: firstOf(p["callType"]), secs: firstOf(p["duration"]), cell: firstOf(p["cellId"])}
			byNumber[c.from] = append(byNumber[c.from], c)
			byNumber[c.to] = append(byNumber[c.to], c)
		}
	}
	subject := ""
	for n, cs := range byNumber {
		if len(cs) > len(byNumber[subject]) || (len(cs) == len(byNumber[subject]) && n < subject) {
			subject = n
		}
	}
	if subject == "" {
		return "", fmt.Errorf("demo: no calls to export")
	}
	calls := byNumber[subject]
	// Noise: unknown numbers and service codes, on the same days.
	rng := rand.New(rand.NewPCG(seedHi, 0xcd))
	for i := range len(calls) / 4 {
		c := calls[rng.IntN(len(calls))]
		other := fmt.Sprintf("+92300%07d", 1000000+rng.IntN(8999999))
		typ := "voice"
		if i%3 == 0 {
			other, typ = pick(&builder{rng: rng}, []string{"8558", "JAZZ", "3737", "EASYPAISA"}), "sms"
		}
		calls = append(calls, call{from: other, to: subject, date: c.date, typ: typ, secs: fmt.Sprint(rng.IntN(200)), cell: c.cell})
	}
	slices.SortStableFunc(calls, func(a, b call) int { return strings.Compare(a.date, b.date) })

	cw := csv.NewWriter(w)
	cw.Write([]string{"A Party", "B Party", "Call Type", "Date", "Time", "Duration", "Cell ID", "IMEI"})
	imei := "35780502398494" // the subscriber's handset, as the network saw it
	imei += fmt.Sprint(luhn(imei))
	for _, c := range calls {
		t, err := time.Parse("2006-01-02T15:04:05", c.date)
		if err != nil {
			t, err = time.Parse("2006-01-02", c.date)
		}
		if err != nil {
			return "", fmt.Errorf("demo: call date %q: %w", c.date, err)
		}
		t = t.In(cdr.PKT)
		dir, other := "Outgoing", c.to
		if c.to == subject {
			dir, other = "Incoming", c.from
		}
		kind := "Call"
		if c.typ == "sms" {
			kind = "SMS"
		}
		secs := c.secs
		if secs == "" || kind == "SMS" {
			secs = "0"
		}
		cw.Write([]string{local(subject), local(other), kind + "-" + dir, t.Format("02/01/2006"), t.Format("15:04:05"), secs, c.cell, imei})
	}
	cw.Flush()
	return subject, cw.Error()
}

func firstOf(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// local writes a Pakistani number as operators export it (92XXXXXXXXXX).
func local(n string) string { return strings.TrimPrefix(n, "+") }

// luhn is the check digit of an IMEI's first 14 digits.
func luhn(d string) int {
	sum := 0
	for i := len(d) - 1; i >= 0; i-- {
		v := int(d[i] - '0')
		if (len(d)-1-i)%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return (10 - sum%10) % 10
}
