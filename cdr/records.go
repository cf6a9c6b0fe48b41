package cdr

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/rabta/rabta"
)

// PhoneID is the id of an agency's Phone record for a number. It is
// derived from the number, so every CDR of the agency that names the
// number links to the same record.
func PhoneID(agency, e164 string) string {
	return "phone-" + strings.ToLower(agency) + "-" + strings.TrimPrefix(e164, "+")
}

// CallID is the id of a call's record, derived from what identifies the
// call (parties, start, duration, type), so that the same call in two
// overlapping exports is stored once.
func CallID(agency string, c Call) string {
	h := sha256.Sum256([]byte(strings.Join([]string{agency, c.Caller, c.Receiver, c.Start.Format("2006-01-02T15:04:05Z"), strconv.Itoa(c.Duration), c.Type}, "|")))
	return "call-" + strings.ToLower(agency) + "-" + hex.EncodeToString(h[:12])
}

// PhoneRecord is a Phone record for a number, with the handsets (IMEIs)
// the network saw it in.
func PhoneRecord(agency, e164 string, imeis ...string) *rabta.Record {
	p := map[string][]string{"number": {e164}}
	if len(imeis) > 0 {
		p["imei"] = imeis
	}
	return &rabta.Record{ID: PhoneID(agency, e164), Schema: "Phone", Properties: p}
}

// Handsets reads every call and returns, for each subscriber, the IMEIs of
// the handsets its calls were made from, in order of first use: a change of
// handset is what an analyst looks for, and an IMEI on the Phone record is
// what meets another agency's record of the same handset.
func Handsets(rd *Reader) (map[string][]string, error) {
	out := map[string][]string{}
	for {
		c, err := rd.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if c.IMEI != "" && !slices.Contains(out[c.Subject], c.IMEI) {
			out[c.Subject] = append(out[c.Subject], c.IMEI)
		}
	}
}

// Record is the call as a Call link between the two Phone records.
func (c Call) Record(agency string) *rabta.Record {
	p := map[string][]string{
		"callerPhone":    {PhoneID(agency, c.Caller)},
		"receiverPhone":  {PhoneID(agency, c.Receiver)},
		"callerNumber":   {c.Caller},
		"receiverNumber": {c.Receiver},
		"startDate":      {c.Start.Format("2006-01-02T15:04:05")},
		"duration":       {strconv.Itoa(c.Duration)},
	}
	set := func(k, v string) {
		if v != "" {
			p[k] = []string{v}
		}
	}
	set("direction", c.Direction)
	set("callType", c.Type)
	set("cellId", c.CellID)
	set("imei", c.IMEI)
	return &rabta.Record{ID: CallID(agency, c), Schema: "Call", Properties: p}
}

// Records turns a Reader's calls into records for an import: each number's
// Phone record the first time it appears, then the Call. Marking, grading
// and source are applied by stamp. Phones and calls the agency already
// holds (from an earlier or overlapping export) are the importer's to skip.
type Records struct {
	rd       *Reader
	agency   string
	handsets map[string][]string
	stamp    func(*rabta.Record)
	seen     map[string]bool
	pending  []*rabta.Record
	calls    int
	records  int
	Line     int // line of the last call read, for errors
}

// NewRecords reads calls from rd as records of agency; handsets (from
// Handsets, may be nil) go on the subscribers' Phone records; stamp sets
// each record's marking, grading and provenance.
func NewRecords(rd *Reader, agency string, handsets map[string][]string, stamp func(*rabta.Record)) *Records {
	return &Records{rd: rd, agency: agency, handsets: handsets, stamp: stamp, seen: map[string]bool{}}
}

// Calls is the number of calls read so far.
func (r *Records) Calls() int { return r.calls }

// Records is the number of records returned so far.
func (r *Records) Records() int { return r.records }

// Next returns the next record, or io.EOF.
func (r *Records) Next() (*rabta.Record, error) {
	for len(r.pending) == 0 {
		c, err := r.rd.Next()
		if err != nil {
			return nil, err
		}
		r.calls++
		r.Line = c.Line
		for _, n := range []string{c.Caller, c.Receiver} {
			id := PhoneID(r.agency, n)
			if r.seen[id] {
				continue
			}
			r.seen[id] = true
			r.pending = append(r.pending, PhoneRecord(r.agency, n, r.handsets[n]...))
		}
		r.pending = append(r.pending, c.Record(r.agency))
	}
	rec := r.pending[0]
	r.pending = r.pending[1:]
	r.records++
	if r.stamp != nil {
		r.stamp(rec)
	}
	return rec, nil
}

// ReadAll reads every call, in order of start.
func ReadAll(rd *Reader) ([]Call, error) {
	var out []Call
	for {
		c, err := rd.Next()
		if err == io.EOF {
			sortCalls(out)
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}
