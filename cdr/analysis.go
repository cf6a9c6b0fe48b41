package cdr

import (
	"slices"
	"strings"
	"time"
)

// Pair sums the contact between two numbers, in both directions.
type Pair struct {
	A        string    `json:"a"` // the lower of the two numbers
	B        string    `json:"b"`
	Calls    int       `json:"calls"`    // voice calls, both ways
	SMS      int       `json:"sms"`      // messages, both ways
	AToB     int       `json:"a_to_b"`   // calls and messages A made
	BToA     int       `json:"b_to_a"`   // and B made
	Duration int       `json:"duration"` // seconds of voice calls
	First    time.Time `json:"first"`
	Last     time.Time `json:"last"`
}

// Contacts is Calls + SMS (data sessions have no party and are not read).
func (p Pair) Contacts() int { return p.AToB + p.BToA }

// Pairs aggregates calls by pair of numbers, most contact first (then
// longest total duration, then by number), the order analysts read a
// CDR's "top contacts" in.
func Pairs(calls []Call) []Pair {
	idx := map[[2]string]int{}
	var out []Pair
	for _, c := range calls {
		a, b := c.Caller, c.Receiver
		fwd := true
		if b < a {
			a, b, fwd = b, a, false
		}
		k := [2]string{a, b}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Pair{A: a, B: b, First: c.Start, Last: c.Start})
		}
		p := &out[i]
		if c.Type == "sms" {
			p.SMS++
		} else {
			p.Calls++
			p.Duration += c.Duration
		}
		if fwd {
			p.AToB++
		} else {
			p.BToA++
		}
		if c.Start.Before(p.First) {
			p.First = c.Start
		}
		if c.Start.After(p.Last) {
			p.Last = c.Start
		}
	}
	slices.SortFunc(out, func(x, y Pair) int {
		if x.Contacts() != y.Contacts() {
			return y.Contacts() - x.Contacts()
		}
		if x.Duration != y.Duration {
			return y.Duration - x.Duration
		}
		if c := strings.Compare(x.A, y.A); c != 0 {
			return c
		}
		return strings.Compare(x.B, y.B)
	})
	return out
}

// Common is a number in contact with two or more of the subjects.
type Common struct {
	Number   string         `json:"number"`
	Subjects []string       `json:"subjects"` // the subjects it was in contact with, in the order given
	Contacts map[string]int `json:"contacts"` // calls and messages with each of them
	Total    int            `json:"total"`
}

// CommonContacts finds the numbers in contact with at least min of the
// subjects (min < 2 counts as 2): the go-betweens and shared handlers that
// tie separate targets together. Subjects themselves are listed too when
// they talk to other subjects. Most subjects first, then most contact,
// then by number.
func CommonContacts(calls []Call, subjects []string, min int) []Common {
	if min < 2 {
		min = 2
	}
	isSubject := map[string]bool{}
	for _, s := range subjects {
		isSubject[s] = true
	}
	per := map[string]map[string]int{} // other → subject → contacts
	add := func(subject, other string) {
		if per[other] == nil {
			per[other] = map[string]int{}
		}
		per[other][subject]++
	}
	for _, c := range calls {
		if isSubject[c.Caller] {
			add(c.Caller, c.Receiver)
		}
		if isSubject[c.Receiver] {
			add(c.Receiver, c.Caller)
		}
	}
	var out []Common
	for other, by := range per {
		if len(by) < min {
			continue
		}
		cm := Common{Number: other, Contacts: by}
		for _, s := range subjects {
			if n, ok := by[s]; ok && !slices.Contains(cm.Subjects, s) {
				cm.Subjects = append(cm.Subjects, s)
				cm.Total += n
			}
		}
		out = append(out, cm)
	}
	slices.SortFunc(out, func(x, y Common) int {
		if len(x.Subjects) != len(y.Subjects) {
			return len(y.Subjects) - len(x.Subjects)
		}
		if x.Total != y.Total {
			return y.Total - x.Total
		}
		return strings.Compare(x.Number, y.Number)
	})
	return out
}

// Pattern is when calls happen, in local time: by hour of day, by day of
// week (Monday first, as Pakistan's working week runs) and by date.
type Pattern struct {
	Hours    [24]int    `json:"hours"`
	Weekdays [7]int     `json:"weekdays"` // Monday … Sunday
	Days     []DayCount `json:"days"`     // dates with at least one call, in order
}

// DayCount is the number of calls on one local date.
type DayCount struct {
	Date  string `json:"date"` // YYYY-MM-DD
	Calls int    `json:"calls"`
}

// When counts calls (and messages) by local hour, weekday and date.
func When(calls []Call, loc *time.Location) Pattern {
	if loc == nil {
		loc = PKT
	}
	var p Pattern
	days := map[string]int{}
	for _, c := range calls {
		t := c.Start.In(loc)
		p.Hours[t.Hour()]++
		p.Weekdays[(int(t.Weekday())+6)%7]++
		days[t.Format("2006-01-02")]++
	}
	for d, n := range days {
		p.Days = append(p.Days, DayCount{d, n})
	}
	slices.SortFunc(p.Days, func(a, b DayCount) int { return strings.Compare(a.Date, b.Date) })
	return p
}
