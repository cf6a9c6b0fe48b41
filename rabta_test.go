package rabta

import (
	"strings"
	"testing"
)

func TestDecide(t *testing.T) {
	analyst := func(agency string, c Classification) Principal {
		return Principal{Username: "u", Agency: agency, Roles: []Role{RoleAnalyst}, Clearance: c}
	}
	prot := Principal{Username: "p", Agency: "NGO", Roles: []Role{RoleProtection}, Clearance: Confidential}
	both := Principal{Username: "b", Agency: "FIA", Roles: []Role{RoleAnalyst, RoleProtection}, Clearance: Secret}
	coord := Principal{Username: "c", Agency: "FIA", Roles: []Role{RoleCoordinator}, Clearance: Secret}
	m := func(rel Release, agencies []string, c Classification, cats ...Category) Marking {
		return Marking{Release: rel, Agencies: agencies, Classification: c, Categories: cats}
	}
	cases := []struct {
		name string
		p    Principal
		m    Marking
		want Access
	}{
		{"own, within clearance", analyst("FIA", Restricted), m(ReleaseOriginator, nil, Restricted), AccessFull},
		{"own, above clearance", analyst("FIA", Restricted), m(ReleaseOriginator, nil, Secret), AccessPointer},
		{"other, originator only", analyst("ANF", Secret), m(ReleaseOriginator, nil, Restricted), AccessPointer},
		{"other, named", analyst("ANF", Secret), m(ReleaseAgencies, []string{"ANF"}, Restricted), AccessFull},
		{"other, not named", analyst("FMU", Secret), m(ReleaseAgencies, []string{"ANF"}, Restricted), AccessPointer},
		{"other, all", analyst("FMU", Restricted), m(ReleaseAll, nil, Restricted), AccessFull},
		{"public", analyst("FMU", Unclassified), m(ReleasePublic, nil, Unclassified), AccessFull},
		{"victim, analyst", analyst("FIA", Secret), m(ReleaseOriginator, nil, Restricted, CatVictim), AccessPointer},
		{"victim, protection of permitted agency", prot, m(ReleaseAgencies, []string{"NGO"}, Restricted, CatVictim), AccessFull},
		{"victim, protection of other agency", prot, m(ReleaseOriginator, nil, Restricted, CatVictim), AccessPointer},
		{"minor, protection above clearance", prot, m(ReleaseAll, nil, Secret, CatMinor), AccessPointer},
		{"witness, analyst+protection", both, m(ReleaseOriginator, nil, Secret, CatWitness), AccessFull},
		{"protection only, intelligence record", prot, m(ReleaseAll, nil, Restricted), AccessPointer},
		{"informant, other agency", analyst("ANF", Secret), m(ReleaseAll, nil, Restricted, CatInformant), AccessNone},
		{"informant, own agency below clearance", analyst("FIA", Restricted), m(ReleaseOriginator, nil, Secret, CatInformant), AccessNone},
		{"informant, own agency protection only", Principal{Agency: "FIA", Roles: []Role{RoleProtection}, Clearance: Secret}, m(ReleaseOriginator, nil, Restricted, CatInformant), AccessNone},
		{"informant, own analyst", analyst("FIA", Secret), m(ReleaseOriginator, nil, Secret, CatInformant), AccessFull},
		{"coordinator reads no records", coord, m(ReleaseAll, nil, Restricted), AccessNone},
		{"no roles", Principal{Agency: "FIA", Clearance: Secret}, m(ReleaseAll, nil, Restricted), AccessNone},
	}
	for _, c := range cases {
		if got := Decide(c.p, "FIA", c.m); got != c.want {
			t.Errorf("%s: Decide = %s, want %s", c.name, got, c.want)
		}
	}
	if DecideLink(AccessFull, AccessFull, AccessPointer) != AccessPointer || DecideLink(AccessFull, AccessNone, AccessFull) != AccessNone ||
		DecideLink(AccessPointer, AccessFull, AccessFull) != AccessPointer || DecideLink(AccessFull, AccessFull, AccessFull) != AccessFull {
		t.Error("DecideLink is not the minimum")
	}
}

func TestMarkingNormalize(t *testing.T) {
	m := Marking{}
	if err := m.Normalize(); err != nil || m.Release != ReleaseOriginator || m.Handling != "P" || m.Classification != Restricted {
		t.Fatalf("defaults: %+v %v", m, err)
	}
	bad := []struct {
		m    Marking
		want string
	}{
		{Marking{Release: "everyone"}, "marking.release"},
		{Marking{Release: ReleaseAgencies}, "marking.agencies"},
		{Marking{Release: ReleaseAll, Agencies: []string{"ANF"}}, "marking.agencies"},
		{Marking{Handling: "X"}, "marking.handling"},
		{Marking{Handling: "C"}, "marking.conditions"},
		{Marking{Classification: "top"}, "marking.classification"},
		{Marking{Categories: []Category{"spy"}}, "marking.categories[0]"},
		{Marking{Release: ReleasePublic, Classification: Unclassified, Categories: []Category{CatMinor}}, "public"},
	}
	for _, b := range bad {
		err := b.m.Normalize()
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%+v: error %v, want one naming %s", b.m, err, b.want)
		}
	}
	m = Marking{Release: ReleaseAgencies, Agencies: []string{"anf", "FMU", "ANF"}, Handling: "c", Conditions: "no onward disclosure", Classification: Confidential, Categories: []Category{"Victim"}}
	if err := m.Normalize(); err != nil {
		t.Fatal(err)
	}
	if got := m.Banner(); got != "CONFIDENTIAL · REL TO ANF, FMU · HANDLING C · VICTIM" {
		t.Errorf("banner %q", got)
	}
}

func TestGradingNormalize(t *testing.T) {
	for _, g := range []Grading{{Source: "1", Intelligence: "a", Handling: "p"}, {System: "5x5x5", Source: "B", Intelligence: "3", Handling: "5"}, {System: "admiralty", Source: "F", Intelligence: "6"}, {}} {
		if err := g.Normalize(); err != nil {
			t.Errorf("%+v: %v", g, err)
		}
	}
	for _, g := range []Grading{{Source: "4", Intelligence: "A"}, {System: "nato", Source: "A", Intelligence: "1"}, {System: "admiralty", Source: "A", Intelligence: "1", Handling: "P"}, {System: "5x5x5", Source: "1", Intelligence: "A"}} {
		if err := g.Normalize(); err == nil {
			t.Errorf("%+v accepted", g)
		}
	}
	g := Grading{}
	g.Normalize()
	if g.String() != "ungraded" {
		t.Errorf("empty grading %q", g.String())
	}
}

func TestRecordNormalize(t *testing.T) {
	r := &Record{Schema: "Person", Properties: map[string][]string{"name": {"Muhammad Asif"}, "idNumber": {"35202-1234567-1"}, "phone": {"0300 1234567"}}, Subject: "Victim"}
	if err := r.Normalize(); err != nil {
		t.Fatal(err)
	}
	if r.Caption != "Muhammad Asif" || !r.Marking.Has(CatVictim) || r.Basis != BasisFact {
		t.Errorf("normalised %+v", r)
	}
	v := &Record{Schema: "Victim", Properties: map[string][]string{"person": {"p-1"}, "exploitationForm": {"forced labour"}}, Marking: Marking{Release: ReleaseAll}}
	if err := v.Normalize(); err != nil || !v.Marking.Has(CatVictim) {
		t.Errorf("a Victim record without the victim category: %+v %v", v.Marking, err)
	}
	bad := []struct {
		r    Record
		want string
	}{
		{Record{Schema: "Persn", Properties: map[string][]string{"name": {"x"}}}, `unknown schema "Persn"`},
		{Record{Schema: "Thing", Properties: map[string][]string{"name": {"x"}}}, "abstract"},
		{Record{Schema: "Person", Properties: map[string][]string{"colour": {"x"}}}, "colour"},
		{Record{Schema: "Person"}, "at least one property"},
		{Record{Schema: "Person", Properties: map[string][]string{"idNumber": {"35202-123456-1"}}}, "properties.idNumber[0]"},
		{Record{Schema: "Person", Properties: map[string][]string{"phone": {"12"}}}, "properties.phone[0]"},
		{Record{Schema: "BankAccount", Properties: map[string][]string{"iban": {"PK00SCBL0000001123456702"}}}, "properties.iban[0]"},
		{Record{Schema: "Phone", Properties: map[string][]string{"number": {"0300 1234567"}, "imei": {"357805023984943"}}}, "properties.imei[0]: imei \"357805023984943\": check digit is 3"},
		{Record{Schema: "Person", Properties: map[string][]string{"birthDate": {"31/02/1980"}}}, "birthDate"},
		{Record{Schema: "Person", Properties: map[string][]string{"name": {"x"}}, ReviewDate: "soon"}, "review_date"},
		{Record{Schema: "Person", Properties: map[string][]string{"name": {"x"}}, Subject: "villain"}, "subject_category"},
		{Record{Schema: "Person", Properties: map[string][]string{"name": {"x"}}, Basis: "rumour"}, "basis"},
		{Record{Schema: "Associate", Properties: map[string][]string{"person": {"a"}}}, "associate"},
		{Record{Schema: "Person", Properties: map[string][]string{"name": {"x"}}, Subject: SubjectVictim, Marking: Marking{Release: ReleasePublic, Classification: Unclassified}}, "public"},
	}
	for _, b := range bad {
		err := b.r.Normalize()
		if err == nil || !strings.Contains(err.Error(), b.want) || ErrorCode(err) != EInvalid {
			t.Errorf("%s %v: error %v, want an invalid error naming %q", b.r.Schema, b.r.Properties, err, b.want)
		}
	}
}

func TestIdentifiersByPropertyType(t *testing.T) {
	cases := []struct {
		r    Record
		want []string
	}{
		{Record{Schema: "Phone", Properties: map[string][]string{"number": {"0300 1234567"}}}, []string{"phone:+923001234567"}},
		{Record{Schema: "Call", Properties: map[string][]string{"callerPhone": {"ph-1"}, "receiverPhone": {"ph-2"}, "callerNumber": {"03001234567"}, "receiverNumber": {"+44 20 7946 0958"}}}, []string{"phone:+923001234567", "phone:+442079460958"}},
		{Record{Schema: "Company", Properties: map[string][]string{"name": {"Indus Traders"}, "registrationNumber": {"ABC123"}}}, nil},
		{Record{Schema: "Vehicle", Properties: map[string][]string{"registrationNumber": {"LEA-1234"}}}, []string{"plate:LEA1234"}},
		{Record{Schema: "Passport", Properties: map[string][]string{"holder": {"p-1"}, "number": {"ab 1234567"}}}, []string{"passport:AB1234567"}},
		{Record{Schema: "Person", Properties: map[string][]string{"idNumber": {"35202-1234567-1", "F-1234"}}}, []string{"cnic:3520212345671"}},
		// NTN: the check digit is not part of the key; an individual's
		// CNIC-as-NTN is also indexed as the CNIC, once.
		{Record{Schema: "Company", Properties: map[string][]string{"name": {"Indus Traders"}, "taxNumber": {"4174941-3"}}}, []string{"ntn:4174941"}},
		{Record{Schema: "Person", Properties: map[string][]string{"taxNumber": {"35202-1234567-1"}}}, []string{"ntn:3520212345671", "cnic:3520212345671"}},
		{Record{Schema: "Person", Properties: map[string][]string{"idNumber": {"3520212345671"}, "taxNumber": {"35202-1234567-1"}}}, []string{"cnic:3520212345671", "ntn:3520212345671"}},
		{Record{Schema: "Company", Properties: map[string][]string{"name": {"Gulf Trading"}, "taxNumber": {"12-3456789"}}}, nil}, // foreign TIN kept, not indexed
		// Wallets: any chain may be recorded, Bitcoin, EVM and TRON are indexed.
		{Record{Schema: "CryptoWallet", Properties: map[string][]string{"publicKey": {"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"}}}, []string{"wallet:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"}},
		{Record{Schema: "CryptoWallet", Properties: map[string][]string{"publicKey": {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}}, []string{"wallet:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}},
		{Record{Schema: "CryptoWallet", Properties: map[string][]string{"publicKey": {"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"}}}, nil},
		// IMEIs: a handset's and a call record's, including the spare 0 of
		// network records, meet in one key; filler zeros are not indexed.
		{Record{Schema: "Phone", Properties: map[string][]string{"number": {"0300 1234567"}, "imei": {"35-780502-398494-2"}}}, []string{"imei:357805023984942", "phone:+923001234567"}},
		{Record{Schema: "Phone", Properties: map[string][]string{"number": {"0300 1234567"}, "imei": {"000000000000000", "unknown"}}}, []string{"phone:+923001234567"}},
		{Record{Schema: "Call", Properties: map[string][]string{"callerPhone": {"ph-1"}, "receiverPhone": {"ph-2"}, "imei": {"357805023984940", "35780502398494x"}}}, []string{"imei:357805023984942"}},
	}
	for _, c := range cases {
		r := c.r
		if err := r.Normalize(); err != nil {
			t.Fatalf("%s: %v", r.Schema, err)
		}
		var got []string
		for _, id := range r.Identifiers() {
			got = append(got, id.String())
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%s %v: identifiers %v, want %v", r.Schema, r.Properties, got, c.want)
		}
	}
}
