package schema

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// problems returns the problems of a Validate error, failing if the error
// is not a *ValidationError.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is a %T, not a *ValidationError", err, err)
	}
	out := make([]string, len(ve.Problems))
	for i, p := range ve.Problems {
		out[i] = p.String()
	}
	return out
}

func TestValidateNormalisesInPlace(t *testing.T) {
	props := map[string][]string{
		"name":        {"  Muhammad   Ali  Khan ", "Muhammad Ali Khan"},
		"fatherName":  {" Abdul Rehman "},
		"birthDate":   {"1980-02-29"},
		"nationality": {"PK", "pk"},
		"gender":      {"Male"},
		"phone":       {"0300-1234567", "+92 300 1234567"},
		"email":       {"Ali.Khan@Example.PK"},
		"idNumber":    {"35202-1234567-1"},
		"height":      {"175.5"},
		"modifiedAt":  {"2024-03-01T10:15:00+05:00"},
		"topics":      {"Crime.Traffick.Drug"},
		"website":     {"https://example.pk/ali"},
		"alias":       {},
		"notes":       {"Line one.\nLine two."},
	}
	if err := mustGet(t, "Person").Validate(props); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := map[string][]string{
		"name":        {"Muhammad Ali Khan"},
		"fatherName":  {"Abdul Rehman"},
		"birthDate":   {"1980-02-29"},
		"nationality": {"pk"},
		"gender":      {"male"},
		"phone":       {"03001234567", "+923001234567"},
		"email":       {"Ali.Khan@example.pk"},
		"idNumber":    {"35202-1234567-1"},
		"height":      {"175.5"},
		"modifiedAt":  {"2024-03-01T05:15:00"},
		"topics":      {"crime.traffick.drug"},
		"website":     {"https://example.pk/ali"},
		"notes":       {"Line one.\nLine two."},
	}
	if !reflect.DeepEqual(props, want) {
		t.Errorf("normalised props:\n got %q\nwant %q", props, want)
	}
}

func TestValidateHappyPaths(t *testing.T) {
	for _, c := range []struct {
		schema string
		props  map[string][]string
	}{
		{"Company", map[string][]string{"name": {"Zam Zam Traders (Pvt) Ltd"}, "registrationNumber": {"0123456"}, "jurisdiction": {"pk"}, "amount": {"1500000"}, "currency": {"PKR"}}},
		{"Ownership", map[string][]string{"owner": {"person-1"}, "asset": {"company-1"}, "percentage": {"51"}, "startDate": {"2019"}}},
		{"Family", map[string][]string{"person": {"p1"}, "relative": {"p2"}, "relationship": {"brother"}}},
		{"Call", map[string][]string{"callerPhone": {"ph-1"}, "receiverPhone": {"ph-2"}, "callerNumber": {"+923001234567"}, "duration": {"62"}, "startDate": {"2024-05-01T21:14:03Z"}, "direction": {"outgoing"}, "cellId": {"410-01-1234-5678"}}},
		{"Payment", map[string][]string{"payer": {"p1"}, "beneficiary": {"p2"}, "payerAccount": {"acc-1"}, "amount": {"250000.00"}, "currency": {"PKR"}, "method": {"hawala"}, "date": {"2023-11"}}},
		{"BankAccount", map[string][]string{"iban": {"pk36 scbl 0000 0011 2345 6702"}, "bankName": {"Standard Chartered"}}},
		{"Phone", map[string][]string{"number": {"+923001234567"}, "imei": {"356938035643809"}, "provider": {"Jazz"}, "owner": {"p1"}}},
		{"Seizure", map[string][]string{"item": {"heroin"}, "quantity": {"12.5"}, "unit": {"kg"}, "value": {"50000000"}, "currency": {"PKR"}, "date": {"2024-02-11"}, "place": {"Torkham"}, "case": {"case-7"}}},
		{"Arrest", map[string][]string{"person": {"p1"}, "date": {"2024-02-11"}, "charge": {"CNSA 1997 s. 9(c)"}, "case": {"case-7"}}},
		{"Victim", map[string][]string{"person": {"p3"}, "exploitationForm": {"bonded labour"}, "identifiedDate": {"2024-01"}}},
		{"Referral", map[string][]string{"victim": {"p3"}, "service": {"shelter"}, "provider": {"org-9"}, "dueDate": {"2024-02-01"}}},
		{"Operation", map[string][]string{"name": {"Op Sahil"}, "latitude": {"24.8607"}, "longitude": {"67.0011"}, "radius": {"500"}}},
		{"Case", map[string][]string{"caseNumber": {"FIA/CCW/2024/17"}, "title": {"Remittance fraud"}, "openingDate": {"2024-01-03"}}},
		{"Identification", map[string][]string{"holder": {"p1"}, "number": {"35202-1234567-1"}, "type": {"CNIC"}, "country": {"PK"}}},
	} {
		if err := mustGet(t, c.schema).Validate(c.props); err != nil {
			t.Errorf("%s: %v", c.schema, err)
		}
	}
}

func TestValidateReportsEveryProblemWithItsPath(t *testing.T) {
	props := map[string][]string{
		"name":        {"Ali Khan"},
		"birthDate":   {"1980-02-01", "31/02/1980", "2020-13-01"},
		"colour":      {"blue"},
		"nationality": {"Pakistan"},
		"gender":      {"M"},
		"height":      {"175 cm"},
		"website":     {"javascript:alert(1)"},
		"parent":      {"has space"},
		"alias":       make([]string, MaxValues+1),
		"firstName":   {"   "},
	}
	got := problems(t, mustGet(t, "Person").Validate(props))
	want := []string{
		`properties.alias: 257 values, at most 256 allowed`,
		`properties.birthDate[1]: "31/02/1980" is not a date (use YYYY-MM-DD)`,
		`properties.birthDate[2]: "2020-13-01" is not a date (use YYYY-MM-DD)`,
		`properties.colour: Person has no property "colour"`,
		`properties.firstName[0]: value is empty`,
		`properties.gender[0]: "M" is not a gender (use male, female or other)`,
		`properties.height[0]: "175 cm" is not a plain number (digits, optional sign and decimal point; no units or separators)`,
		`properties.nationality[0]: "Pakistan" is not an ISO 3166-1 alpha-2 country code (e.g. pk)`,
		`properties.parent[0]: "has space" is not a record id (no spaces, at most 128 characters)`,
		`properties.website[0]: "javascript:alert(1)" is not an http or https URL`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
	// Valid properties are normalised even though the record is refused,
	// and a property with a bad value keeps its indexes.
	if props["name"][0] != "Ali Khan" || len(props["birthDate"]) != 3 {
		t.Errorf("props after failed Validate: %q", props)
	}
	err := mustGet(t, "Person").Validate(map[string][]string{"colour": {"x"}, "gender": {"x"}})
	if msg := err.Error(); msg != `properties.colour: Person has no property "colour"; properties.gender[0]: "x" is not a gender (use male, female or other)` {
		t.Errorf("Error() = %q", msg)
	}
}

func TestValidateRefusesAbstractSchemata(t *testing.T) {
	for _, name := range []string{"Thing", "Interval", "Interest", "Value"} {
		got := problems(t, mustGet(t, name).Validate(map[string][]string{}))
		want := name + " is abstract and cannot be instantiated; use one of its descendants"
		if len(got) != 1 || got[0] != "schema: "+want {
			t.Errorf("%s: %q", name, got)
		}
	}
}

func TestValidateRequired(t *testing.T) {
	for _, c := range []struct {
		schema string
		props  map[string][]string
		want   []string
	}{
		{"Ownership", map[string][]string{"owner": {"p1"}}, []string{"properties.asset: Ownership needs both ends of the link (owner and asset)"}},
		{"Call", map[string][]string{"callerNumber": {"+923001234567"}}, []string{
			"properties.callerPhone: Call needs both ends of the link (callerPhone and receiverPhone)",
			"properties.receiverPhone: Call needs both ends of the link (callerPhone and receiverPhone)",
		}},
		// An empty list is no value, and whitespace is none either.
		{"Family", map[string][]string{"person": {"p1"}, "relative": {}}, []string{"properties.relative: Family needs both ends of the link (person and relative)"}},
		{"Arrest", map[string][]string{"date": {"2024"}}, []string{"properties.person: Arrest requires a value"}},
		{"Passport", map[string][]string{"holder": {"p1"}}, []string{"properties.number: Passport requires a value"}},
	} {
		got := problems(t, mustGet(t, c.schema).Validate(c.props))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.schema, got, c.want)
		}
	}
	// FtM requires a name on every Thing; Rabta does not, as subjects are
	// often unnamed.
	if err := mustGet(t, "Person").Validate(map[string][]string{"idNumber": {"35202-1234567-1"}}); err != nil {
		t.Errorf("unnamed person: %v", err)
	}
}

func TestValidateLimits(t *testing.T) {
	person := mustGet(t, "Person")
	long := strings.Repeat("a", MaxValueLen)
	if err := person.Validate(map[string][]string{"name": {long}}); err != nil {
		t.Errorf("value of exactly MaxValueLen: %v", err)
	}
	got := problems(t, person.Validate(map[string][]string{"name": {long + "a"}}))
	if want := []string{"properties.name[0]: value is 4097 characters long, at most 4096 allowed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("long name: %q", got)
	}
	// Characters, not bytes: Urdu takes two bytes a letter.
	if err := person.Validate(map[string][]string{"name": {strings.Repeat("ع", MaxValueLen)}}); err != nil {
		t.Errorf("long Urdu name: %v", err)
	}
	if err := person.Validate(map[string][]string{"notes": {long + "a"}}); err != nil {
		t.Errorf("long text: %v", err)
	}
	got = problems(t, person.Validate(map[string][]string{"notes": {strings.Repeat("a", MaxTextLen+1)}}))
	if len(got) != 1 || !strings.HasPrefix(got[0], "properties.notes[0]: value is 65537 characters long") {
		t.Errorf("too long text: %q", got)
	}
	vals := make([]string, MaxValues)
	for i := range vals {
		vals[i] = strings.Repeat("x", i+1)
	}
	if err := person.Validate(map[string][]string{"alias": vals}); err != nil {
		t.Errorf("MaxValues aliases: %v", err)
	}
	got = problems(t, person.Validate(map[string][]string{"name": {"bad\xffutf8"}, "parent": {strings.Repeat("x", MaxEntityIDLen+1)}}))
	want := []string{
		`properties.name[0]: value is not valid UTF-8`,
		`properties.parent[0]: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"… is not a record id (no spaces, at most 128 characters)`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestValidateHostilePropertyNames(t *testing.T) {
	got := problems(t, mustGet(t, "Person").Validate(map[string][]string{"x: y\nproperties.name": {"v"}}))
	want := []string{`properties["x: y\nproperties.name"]: Person has no property "x: y\nproperties.name"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestValidateNilMap(t *testing.T) {
	if err := mustGet(t, "Person").Validate(nil); err != nil {
		t.Errorf("nil props: %v", err)
	}
	if err := mustGet(t, "Ownership").Validate(nil); err == nil {
		t.Error("Ownership with no props validated")
	}
}
