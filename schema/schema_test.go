package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func mustGet(t *testing.T, name string) *Schema {
	t.Helper()
	s, ok := Get(name)
	if !ok {
		t.Fatalf("Get(%q): no such schema", name)
	}
	return s
}

func mustProp(t *testing.T, s *Schema, name string) *Property {
	t.Helper()
	p, ok := s.Property(name)
	if !ok {
		t.Fatalf("%s has no property %q", s.Name, name)
	}
	return p
}

func TestInheritance(t *testing.T) {
	person := mustGet(t, "Person")
	for _, c := range []struct {
		prop, definedIn string
		typ             Type
	}{
		{"name", "Thing", TypeName},
		{"country", "Thing", TypeCountry},
		{"addressEntity", "Thing", TypeEntity},
		{"idNumber", "LegalEntity", TypeIdentifier},
		{"phone", "LegalEntity", TypePhone},
		{"birthDate", "Person", TypeDate},
		{"fatherName", "Person", TypeString},
		{"gender", "Person", TypeGender},
		{"height", "Person", TypeNumber},
	} {
		p := mustProp(t, person, c.prop)
		if p.Schema != c.definedIn || p.Type != c.typ {
			t.Errorf("Person.%s: defined in %s as %s, want %s as %s", c.prop, p.Schema, p.Type, c.definedIn, c.typ)
		}
	}
	if p := mustProp(t, person, "addressEntity"); p.Range != "Address" {
		t.Errorf("addressEntity range = %q", p.Range)
	}
	if _, ok := person.Property("registrationNumberX"); ok {
		t.Error("Person has a property it should not")
	}
	// Root ancestors' properties come first.
	if first := person.Properties()[0]; first.Name != "name" {
		t.Errorf("first Person property = %s, want name", first.Name)
	}
	for _, a := range []string{"Person", "LegalEntity", "Thing"} {
		if !person.IsA(a) {
			t.Errorf("Person is not a %s", a)
		}
	}
	for _, a := range []string{"Organization", "Asset", "Interval", "Persn"} {
		if person.IsA(a) {
			t.Errorf("Person is a %s", a)
		}
	}

	company := mustGet(t, "Company")
	for _, a := range []string{"Organization", "LegalEntity", "Asset", "Value", "Thing"} {
		if !company.IsA(a) {
			t.Errorf("Company is not a %s", a)
		}
	}
	if p := mustProp(t, company, "amount"); p.Schema != "Value" || p.Type != TypeNumber {
		t.Errorf("Company.amount: %+v", p)
	}
	if !mustGet(t, "Passport").IsA("Identification") {
		t.Error("Passport is not an Identification")
	}
	if got := mustGet(t, "Passport").Required; !reflect.DeepEqual(got, []string{"holder", "number"}) {
		t.Errorf("Passport inherits required %v", got)
	}
}

// Event is both an Interval and a Thing; properties both define must
// arrive once, from the first parent.
func TestMultipleInheritance(t *testing.T) {
	ev := mustGet(t, "Event")
	if !ev.IsA("Interval") || !ev.IsA("Thing") {
		t.Fatal("Event should be an Interval and a Thing")
	}
	if p := mustProp(t, ev, "summary"); p.Schema != "Interval" || p.Type != TypeText {
		t.Errorf("Event.summary: %+v", p)
	}
	mustProp(t, ev, "name")
	mustProp(t, ev, "involved")
	seen := map[string]bool{}
	for _, p := range ev.Properties() {
		if seen[p.Name] {
			t.Errorf("Event lists %s twice", p.Name)
		}
		seen[p.Name] = true
	}
	if ev.IsEdge() {
		t.Error("Event is not an edge in FtM")
	}
}

func TestEdges(t *testing.T) {
	for _, c := range []struct {
		schema, source, sourceRange, target, targetRange string
		directed                                         bool
	}{
		{"Ownership", "owner", "LegalEntity", "asset", "Asset", true},
		{"Directorship", "director", "LegalEntity", "organization", "Organization", true},
		{"Membership", "member", "LegalEntity", "organization", "Organization", true},
		{"Employment", "employee", "Person", "employer", "Organization", true},
		{"Family", "person", "Person", "relative", "Person", false},
		{"Associate", "person", "Person", "associate", "Person", false},
		{"UnknownLink", "subject", "Thing", "object", "Thing", false},
		{"Payment", "payer", "LegalEntity", "beneficiary", "LegalEntity", true},
		{"Call", "callerPhone", "Phone", "receiverPhone", "Phone", true},
	} {
		s := mustGet(t, c.schema)
		if !s.IsEdge() {
			t.Errorf("%s is not an edge", c.schema)
			continue
		}
		if s.Edge.Source != c.source || s.Edge.Target != c.target || s.Edge.Directed != c.directed {
			t.Errorf("%s edge = %+v", c.schema, *s.Edge)
		}
		if r := mustProp(t, s, c.source).Range; r != c.sourceRange {
			t.Errorf("%s.%s range = %s, want %s", c.schema, c.source, r, c.sourceRange)
		}
		if r := mustProp(t, s, c.target).Range; r != c.targetRange {
			t.Errorf("%s.%s range = %s, want %s", c.schema, c.target, r, c.targetRange)
		}
	}
	// FtM's Call properties are kept beside Rabta's.
	call := mustGet(t, "Call")
	for name, typ := range map[string]Type{
		"caller": TypeEntity, "callerNumber": TypePhone, "receiver": TypeEntity,
		"receiverNumber": TypePhone, "duration": TypeNumber, "date": TypeDate,
		"startDate": TypeDate, "direction": TypeString, "cellId": TypeString, "imei": TypeIdentifier,
	} {
		if p := mustProp(t, call, name); p.Type != typ {
			t.Errorf("Call.%s type = %s, want %s", name, p.Type, typ)
		}
	}
	if mustProp(t, call, "caller").Range != "LegalEntity" || mustProp(t, call, "caller").Extension {
		t.Error("Call.caller should be FtM's caller → LegalEntity")
	}
	if !mustProp(t, call, "callerPhone").Extension {
		t.Error("Call.callerPhone is a Rabta extension")
	}
	for _, name := range []string{"Person", "Phone", "Event", "Arrest", "Victim", "Referral", "Seizure", "Identification", "Interest"} {
		if mustGet(t, name).IsEdge() {
			t.Errorf("%s should not be an edge", name)
		}
	}
}

func TestAllAndGet(t *testing.T) {
	all := All()
	if len(all) < 30 {
		t.Fatalf("only %d schemata", len(all))
	}
	if !slices.IsSortedFunc(all, func(a, b *Schema) int { return strings.Compare(a.Name, b.Name) }) {
		t.Error("All is not sorted by name")
	}
	all[0] = nil // must not corrupt the registry
	if All()[0] == nil {
		t.Error("All returned the registry's own slice")
	}
	for _, name := range []string{"Thing", "Interval", "Interest", "Value"} {
		if !mustGet(t, name).Abstract {
			t.Errorf("%s should be abstract", name)
		}
	}
	for _, name := range []string{"LegalEntity", "Person", "Company", "Asset", "Address", "Phone", "Case"} {
		if mustGet(t, name).Abstract {
			t.Errorf("%s should not be abstract", name)
		}
	}
	if _, ok := Get("Persn"); ok {
		t.Error("Get found a schema that does not exist")
	}
	for _, name := range []string{"Phone", "Case", "Offence", "Seizure", "Arrest", "Operation", "Victim", "Referral"} {
		s := mustGet(t, name)
		if !s.Extension {
			t.Errorf("%s should be marked as a Rabta extension", name)
		}
		for _, p := range s.Properties() {
			if p.Schema == name && !p.Extension {
				t.Errorf("%s.%s should be marked as an extension", name, p.Name)
			}
		}
	}
	if mustGet(t, "Person").Extension || mustProp(t, mustGet(t, "Phone"), "name").Extension {
		t.Error("FtM schemata and properties are not extensions")
	}
}

// TestConsistency checks the embedded file as a whole: what load checks
// one schema at a time, restated over the result.
func TestConsistency(t *testing.T) {
	for _, s := range All() {
		if s.Label == "" || s.Plural == "" {
			t.Errorf("%s lacks a label or plural", s.Name)
		}
		for _, parent := range s.Extends {
			if _, ok := Get(parent); !ok {
				t.Errorf("%s extends unknown %s", s.Name, parent)
			}
		}
		for _, p := range s.Properties() {
			if !knownTypes[p.Type] {
				t.Errorf("%s.%s has unknown type %s", s.Name, p.Name, p.Type)
			}
			if p.Type == TypeEntity {
				if _, ok := Get(p.Range); !ok {
					t.Errorf("%s.%s ranges over unknown schema %q", s.Name, p.Name, p.Range)
				}
			} else if p.Range != "" {
				t.Errorf("%s.%s is a %s with a range", s.Name, p.Name, p.Type)
			}
			if !s.IsA(p.Schema) {
				t.Errorf("%s.%s is defined in %s, which %s does not inherit", s.Name, p.Name, p.Schema, s.Name)
			}
		}
		for _, name := range s.CaptionProperties {
			mustProp(t, s, name)
		}
		for _, name := range s.Required {
			mustProp(t, s, name)
		}
		if s.IsEdge() {
			if s.Abstract {
				t.Errorf("%s is an abstract edge", s.Name)
			}
			for _, end := range []string{s.Edge.Source, s.Edge.Target} {
				if p := mustProp(t, s, end); p.Type != TypeEntity {
					t.Errorf("%s edge end %s is a %s, not an entity", s.Name, end, p.Type)
				}
				if !slices.Contains(s.Required, end) {
					t.Errorf("%s edge end %s is not required", s.Name, end)
				}
			}
		}
	}
}

func TestLoadRejectsBrokenFiles(t *testing.T) {
	thing := `{"name":"Thing","label":"Thing","plural":"Things","abstract":true,"properties":[{"name":"name","label":"Name","type":"name"}]}`
	for _, c := range []struct{ name, schemata, want string }{
		{"unknown field", `{"name":"A","label":"A","plural":"As","colour":"red"}`, "unknown field"},
		{"no plural", `{"name":"A","label":"A"}`, "needs a name, label and plural"},
		{"twice", thing + `,` + thing, "defined twice"},
		{"unknown parent", `{"name":"A","label":"A","plural":"As","extends":["Nope"]}`, "no schema Nope"},
		{"cycle", `{"name":"A","label":"A","plural":"As","extends":["B"]},{"name":"B","label":"B","plural":"Bs","extends":["A"]}`, "inherits from itself"},
		{"unknown type", `{"name":"A","label":"A","plural":"As","properties":[{"name":"x","label":"X","type":"colour"}]}`, "unknown type"},
		{"entity without range", `{"name":"A","label":"A","plural":"As","properties":[{"name":"x","label":"X","type":"entity"}]}`, "need a range"},
		{"range on string", `{"name":"A","label":"A","plural":"As","properties":[{"name":"x","label":"X","range":"A"}]}`, "need a range"},
		{"range unknown", `{"name":"A","label":"A","plural":"As","properties":[{"name":"x","label":"X","type":"entity","range":"Nope"}]}`, "which is no schema"},
		{"property twice", `{"name":"A","label":"A","plural":"As","properties":[{"name":"x","label":"X"},{"name":"x","label":"X"}]}`, "defined twice"},
		{"type conflict", thing + `,{"name":"A","label":"A","plural":"As","extends":["Thing"],"properties":[{"name":"name","label":"Name","type":"text"}]}`, "is name in Thing but text in A"},
		{"caption", `{"name":"A","label":"A","plural":"As","caption":["x"]}`, "caption property x"},
		{"required", `{"name":"A","label":"A","plural":"As","required":["x"]}`, "required property x"},
		{"edge end not entity", `{"name":"A","label":"A","plural":"As","required":["x","y"],"edge":{"source":"x","target":"y"},"properties":[{"name":"x","label":"X"},{"name":"y","label":"Y"}]}`, "not an entity property"},
		{"edge end optional", `{"name":"A","label":"A","plural":"As","edge":{"source":"x","target":"x"},"properties":[{"name":"x","label":"X","type":"entity","range":"A"}]}`, "must be required"},
	} {
		_, err := load([]byte(`{"schemata":[` + c.schemata + `]}`))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.want)
		}
	}
	// A valid override (same type, child's label) is allowed.
	m, err := load([]byte(`{"schemata":[` + thing + `,{"name":"A","label":"A","plural":"As","extends":["Thing"],"properties":[{"name":"name","label":"Title","type":"name"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := m.schemata["A"].byName["name"]; p.Label != "Title" || p.Schema != "A" || len(m.schemata["A"].props) != 1 {
		t.Errorf("override: %+v", p)
	}
}

func TestMustLoadPanicsOnBrokenFile(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("mustLoad accepted a broken file")
		}
	}()
	mustLoad([]byte(`{"schemata":[{"name":"A"}]}`))
}

func TestCaption(t *testing.T) {
	person := mustGet(t, "Person")
	for _, c := range []struct {
		props map[string][]string
		want  string
	}{
		{map[string][]string{"name": {"Ali Khan", "A. Khan"}, "lastName": {"Khan"}}, "Ali Khan"},
		{map[string][]string{"name": {"  ", ""}, "lastName": {"Khan"}}, "Khan"},
		{map[string][]string{"phone": {"+923001234567"}}, "+923001234567"},
		{map[string][]string{"notes": {"unnamed courier"}}, "Person"},
		{nil, "Person"},
	} {
		if got := person.Caption(c.props); got != c.want {
			t.Errorf("Caption(%v) = %q, want %q", c.props, got, c.want)
		}
	}
	passport := mustGet(t, "Passport")
	if got := passport.Caption(map[string][]string{"number": {"AB1234567"}}); got != "AB1234567" {
		t.Errorf("Passport caption = %q", got)
	}
	if got := mustGet(t, "Ownership").Caption(map[string][]string{"owner": {"p1"}, "asset": {"c1"}}); got != "Ownership" {
		t.Errorf("Ownership caption = %q", got)
	}
	if got := mustGet(t, "Call").Caption(map[string][]string{"receiverNumber": {"+923001234567"}}); got != "+923001234567" {
		t.Errorf("Call caption = %q", got)
	}
}

func TestSearchText(t *testing.T) {
	person := mustGet(t, "Person")
	got := person.SearchText(map[string][]string{
		"name":      {"Ali Khan"},
		"alias":     {"Ali Khan", "Kala"},
		"firstName": {"Ali"},
		"idNumber":  {"35202-1234567-1"},
		"phone":     {"+923001234567"},
		"notes":     {"runs a fleet of trucks"},
		"colour":    {"not a property"},
	})
	want := []string{"Ali Khan", "Kala", "+923001234567", "35202-1234567-1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("SearchText = %q, want %q", got, want)
	}
	if got := mustGet(t, "BankAccount").SearchText(map[string][]string{"iban": {"PK36SCBL0000001123456702"}, "bankName": {"HBL"}}); !reflect.DeepEqual(got, []string{"PK36SCBL0000001123456702"}) {
		t.Errorf("BankAccount SearchText = %q", got)
	}
	if got := mustGet(t, "Phone").SearchText(map[string][]string{"number": {"03001234567"}, "imei": {"356938035643809"}}); !reflect.DeepEqual(got, []string{"03001234567", "356938035643809"}) {
		t.Errorf("Phone SearchText = %q", got)
	}
}

func TestEntityRefs(t *testing.T) {
	pay := mustGet(t, "Payment")
	got := pay.EntityRefs(map[string][]string{
		"payer":        {"p1"},
		"beneficiary":  {"p2", "p1"},
		"payerAccount": {"acc1"},
		"amount":       {"1000"},
		"purpose":      {"p3"},
		"smuggled":     {"p9"},
	})
	// Property order: payer, payerAccount, beneficiary.
	if want := []string{"p1", "acc1", "p2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("EntityRefs = %q, want %q", got, want)
	}
	call := mustGet(t, "Call")
	got = call.EntityRefs(map[string][]string{"callerPhone": {"ph1"}, "receiverPhone": {"ph2"}, "caller": {"per1"}, "callerNumber": {"+923001234567"}})
	if want := []string{"per1", "ph1", "ph2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Call EntityRefs = %q, want %q", got, want)
	}
	if got := mustGet(t, "Person").EntityRefs(map[string][]string{"name": {"x"}}); got != nil {
		t.Errorf("Person with no refs: %q", got)
	}
}
