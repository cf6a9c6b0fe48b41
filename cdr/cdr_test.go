package cdr

import (
	"io"
	"strings"
	"testing"
	"time"
)

const jazzExport = "\xef\xbb\xbfA-Party;B-Party;Call Type;Date;Time;Duration;Cell ID;IMEI\n" +
	"03001234567;03217654321;Outgoing Call;01/03/2024;14:22:05;0:01:35;410-01-1234-5678;357805023984942\n" +
	"03001234567;+92 321 7654321;Incoming;01/03/2024;23:05:00;40;410-01-1234-5678;\n" +
	"03001234567;923334445556;SMS-Out;02/03/2024;09:00:00;0;410-01-1234-9999;\n" +
	"03001234567;JAZZ;SMS-In;02/03/2024;09:01:00;0;;\n" +
	"03001234567;03217654321;MOC;04/03/2024;10:00:00;120;;\n"

func TestReadOperatorExport(t *testing.T) {
	rd, err := NewReader(strings.NewReader(jazzExport), "jazz.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	calls, err := ReadAll(rd)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 4 {
		t.Fatalf("%d calls, want 4: %+v", len(calls), calls)
	}
	c := calls[0]
	want := time.Date(2024, 3, 1, 9, 22, 5, 0, time.UTC) // 14:22:05 PKT
	if c.Caller != "+923001234567" || c.Receiver != "+923217654321" || !c.Start.Equal(want) || c.Duration != 95 ||
		c.Direction != "outgoing" || c.Type != "voice" || c.CellID != "410-01-1234-5678" || c.IMEI != "357805023984942" || c.Line != 2 {
		t.Errorf("first call = %+v", c)
	}
	if in := calls[1]; in.Caller != "+923217654321" || in.Receiver != "+923001234567" || in.Direction != "incoming" || in.Other() != "+923217654321" {
		t.Errorf("incoming call = %+v", in)
	}
	if sms := calls[2]; sms.Type != "sms" || sms.Receiver != "+923334445556" || sms.Direction != "outgoing" {
		t.Errorf("sms = %+v", sms)
	}
	if moc := calls[3]; moc.Direction != "outgoing" || moc.Type != "voice" || moc.Duration != 120 {
		t.Errorf("MOC = %+v", moc)
	}
	skipped, n := rd.Skipped()
	if n != 1 || len(skipped) != 1 || !strings.Contains(skipped[0], "jazz.csv:5:") || !strings.Contains(skipped[0], `"JAZZ"`) {
		t.Errorf("skipped = %v (%d)", skipped, n)
	}
}

func TestReadMapAndZone(t *testing.T) {
	in := "subscriber_msisdn,party2,when,secs,dir\n" +
		"+923001234567,+923217654321,2024-03-01T09:22:05Z,10,O\n" +
		"+923001234567,+923217654321,2024-03-01 14:22:05,10,T\n"
	if _, err := NewReader(strings.NewReader(in), "x.csv", Options{}); err == nil || !strings.Contains(err.Error(), "x.csv:1: no column for a_number, b_number, start") {
		t.Fatalf("unmapped header: %v", err)
	}
	m, err := ParseMap([]string{"subscriber_msisdn=a_number", "party2=b_number", "when=start", "secs=duration", "dir=direction"})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := NewReader(strings.NewReader(in), "x.csv", Options{Map: m, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rd.Next(); err == nil || !strings.Contains(err.Error(), `x.csv:2: direction: "O" is neither incoming nor outgoing`) {
		t.Fatalf("bad direction: %v", err)
	}
	if _, err := ParseMap([]string{"a=number"}); err == nil || !strings.Contains(err.Error(), `unknown field "number"`) {
		t.Errorf("bad field: %v", err)
	}
	if _, err := NewReader(strings.NewReader(in), "x.csv", Options{Map: map[string]string{"nope": "imei"}}); err == nil || !strings.Contains(err.Error(), `column "nope"`) {
		t.Errorf("missing mapped column: %v", err)
	}
}

func TestReadErrorsNameLineAndField(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a_number,b_number,start,duration\n03001234567,03217654321,yesterday,5\n", `f.csv:2: start: "yesterday" is not a date and time`},
		{"a_number,b_number,start,duration\n03001234567,03217654321,2024-03-01 10:00:00,-4\n", `f.csv:2: duration: "-4" is not a duration`},
		{"a_number,b_number,start,duration\n03001234567,03217654321,2024-03-01 10:00:00\n", "f.csv:2: 3 fields, the header has 4"},
		{"a_number,b_number,start\n,03217654321,2024-03-01 10:00:00\n", "f.csv:2: a_number: the subscriber's number is empty"},
		{"a_number,b_number,start\nCALLME,03217654321,2024-03-01 10:00:00\n", "f.csv:2: a_number: phone"},
		{"", "f.csv: the file is empty"},
	} {
		rd, err := NewReader(strings.NewReader(c.in), "f.csv", Options{})
		if err == nil {
			_, err = ReadAll(rd)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.in, err, c.want)
		}
	}
}

func TestParseTimeAndDuration(t *testing.T) {
	want := time.Date(2024, 3, 1, 9, 5, 0, 0, time.UTC)
	for _, s := range []string{"2024-03-01 14:05:00", "01/03/2024 14:05:00", "1/3/2024 14:05", "01-Mar-2024 14:05:00", "01/03/2024 02:05:00 PM", "20240301140500", "2024-03-01T09:05:00Z"} {
		got, err := ParseTime(s, PKT)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v", s, got, err)
		}
	}
	for s, want := range map[string]int{"95": 95, "95.4": 95, "1:35": 95, "0:01:35": 95, "1:00:00": 3600} {
		if got, err := parseDuration(s); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %d, %v", s, got, err)
		}
	}
	for _, s := range []string{"x", "1:2:3:4", "-1", "1:-5"} {
		if _, err := parseDuration(s); err == nil {
			t.Errorf("parseDuration(%q) accepted", s)
		}
	}
}

func call(from, to string, at string, dur int, typ string) Call {
	t, err := ParseTime(at, time.UTC)
	if err != nil {
		panic(err)
	}
	return Call{Caller: from, Receiver: to, Subject: from, Start: t, Duration: dur, Type: typ}
}

func TestPairs(t *testing.T) {
	calls := []Call{
		call("+1", "+2", "2024-03-01 10:00:00", 60, "voice"),
		call("+2", "+1", "2024-03-03 10:00:00", 30, "voice"),
		call("+1", "+2", "2024-02-28 10:00:00", 0, "sms"),
		call("+1", "+3", "2024-03-02 10:00:00", 600, "voice"),
		call("+4", "+3", "2024-03-02 11:00:00", 600, "voice"),
	}
	ps := Pairs(calls)
	if len(ps) != 3 {
		t.Fatalf("%d pairs", len(ps))
	}
	p := ps[0]
	if p.A != "+1" || p.B != "+2" || p.Calls != 2 || p.SMS != 1 || p.AToB != 2 || p.BToA != 1 || p.Duration != 90 ||
		p.First.Format("01-02") != "02-28" || p.Last.Format("01-02") != "03-03" {
		t.Errorf("top pair = %+v", p)
	}
	// Equal contact: the longer total first, then by number.
	if ps[1].A != "+1" || ps[1].B != "+3" || ps[2].A != "+3" || ps[2].B != "+4" {
		t.Errorf("order = %+v", ps)
	}
}

func TestCommonContacts(t *testing.T) {
	calls := []Call{
		call("+1", "+9", "2024-03-01 10:00:00", 60, "voice"),
		call("+9", "+1", "2024-03-01 11:00:00", 60, "voice"),
		call("+2", "+9", "2024-03-01 12:00:00", 60, "voice"),
		call("+3", "+9", "2024-03-01 12:00:00", 60, "voice"),
		call("+1", "+8", "2024-03-01 10:00:00", 60, "voice"),
		call("+2", "+8", "2024-03-01 10:00:00", 60, "voice"),
		call("+1", "+7", "2024-03-01 10:00:00", 60, "voice"), // one subject only
		call("+1", "+2", "2024-03-01 10:00:00", 60, "voice"), // subjects in touch
		call("+3", "+2", "2024-03-01 10:00:00", 60, "voice"),
	}
	cs := CommonContacts(calls, []string{"+1", "+2", "+3"}, 0)
	var got []string
	for _, c := range cs {
		got = append(got, c.Number+":"+strings.Join(c.Subjects, ","))
	}
	want := "+9:+1,+2,+3 +2:+1,+3 +8:+1,+2"
	if strings.Join(got, " ") != want {
		t.Errorf("common = %v, want %s", got, want)
	}
	if cs[0].Contacts["+1"] != 2 || cs[0].Total != 4 {
		t.Errorf("+9 = %+v", cs[0])
	}
	if n := len(CommonContacts(calls, []string{"+1", "+2", "+3"}, 3)); n != 1 {
		t.Errorf("min 3: %d", n)
	}
}

func TestWhen(t *testing.T) {
	calls := []Call{
		call("+1", "+2", "2024-03-01 19:30:00", 60, "voice"), // Friday 00:30 PKT on Saturday 2 March
		call("+1", "+2", "2024-03-01 05:00:00", 60, "voice"), // Friday 10:00 PKT
		call("+1", "+2", "2024-03-04 05:00:00", 60, "voice"), // Monday 10:00 PKT
	}
	p := When(calls, nil)
	if p.Hours[0] != 1 || p.Hours[10] != 2 {
		t.Errorf("hours = %v", p.Hours)
	}
	if p.Weekdays[0] != 1 || p.Weekdays[4] != 1 || p.Weekdays[5] != 1 {
		t.Errorf("weekdays = %v", p.Weekdays)
	}
	if len(p.Days) != 3 || p.Days[0] != (DayCount{"2024-03-01", 1}) || p.Days[1] != (DayCount{"2024-03-02", 1}) {
		t.Errorf("days = %v", p.Days)
	}
}

func TestRecords(t *testing.T) {
	rd, err := NewReader(strings.NewReader(jazzExport), "jazz.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	hs, err := Handsets(rd)
	if err != nil || len(hs) != 1 || len(hs["+923001234567"]) != 1 {
		t.Fatalf("handsets %v %v", hs, err)
	}
	rd, _ = NewReader(strings.NewReader(jazzExport), "jazz.csv", Options{})
	recs := NewRecords(rd, "FIA", hs, nil)
	var schemas []string
	for {
		r, err := recs.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Normalize(); err != nil {
			t.Fatalf("%s: %v", r.ID, err)
		}
		schemas = append(schemas, r.Schema)
		if r.ID == PhoneID("FIA", "+923001234567") && r.Properties["imei"][0] != "357805023984942" {
			t.Errorf("subscriber's phone without its handset: %v", r.Properties)
		}
		if r.Schema == "Call" && (r.Properties["callerPhone"][0] != PhoneID("FIA", r.Properties["callerNumber"][0])) {
			t.Errorf("call %v", r.Properties)
		}
	}
	// Three phones, each once, before the first call naming them; four calls.
	if got := strings.Join(schemas, " "); got != "Phone Phone Call Call Phone Call Call" {
		t.Errorf("records = %s", got)
	}
	if recs.Calls() != 4 || recs.Records() != 7 {
		t.Errorf("calls %d records %d", recs.Calls(), recs.Records())
	}
	a := call("+923001234567", "+923217654321", "2024-03-01 10:00:00", 60, "voice")
	b := a
	b.Duration = 61
	if CallID("FIA", a) == CallID("FIA", b) || CallID("FIA", a) != CallID("FIA", a) || CallID("FIA", a) == CallID("ANF", a) {
		t.Error("call ids must identify the call and the agency")
	}
}
