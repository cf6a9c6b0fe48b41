package demo

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/sqlstore"
)

func openStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLoad loads the demo once and checks it from the outside, through
// the store, as a user of the demo would meet it.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	start := time.Now()
	sum, err := Load(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded in %v\n%s", time.Since(start), sum)
	ds := Build()

	t.Run("cooperation", func(t *testing.T) {
		who := func(name string) rabta.Principal {
			u, _, err := s.UserByName(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			p := rabta.PrincipalOf(u)
			p.Cases, _ = s.UserCases(ctx, u.ID)
			return p
		}
		cs, err := s.Cases(ctx, who("customs.investigator"))
		if err != nil || len(cs) != 1 || !cs[0].Joint {
			t.Fatalf("customs investigator's cases: %+v %v", cs, err)
		}
		c, err := s.Case(ctx, who("customs.investigator"), cs[0].ID)
		if err != nil || len(c.Records) < 8 || len(c.Milestones) != 4 || len(c.Tasks) != 1 {
			t.Fatalf("the joint case: %+v %v", c, err)
		}
		full := 0
		for _, r := range c.Records {
			if r.Access == rabta.AccessFull {
				full++
			}
		}
		if full != len(c.Records) {
			t.Errorf("the customs member sees %d of the case's %d records in full", full, len(c.Records))
		}
		conflicts, err := s.Conflicts(ctx, who("customs.supervisor"))
		if err != nil || len(conflicts) != 1 || conflicts[0].Agency != "ANF" {
			t.Errorf("customs conflicts: %+v %v", conflicts, err)
		}
		in, err := s.Requests(ctx, who("anf.supervisor"), sqlstore.RequestFilter{Box: "in", State: "open"})
		if err != nil || len(in) != 1 || in[0].From != "FIA" || in[0].Type != rabta.RequestAccess {
			t.Errorf("ANF's open requests: %+v %v", in, err)
		}
	})

	t.Run("summary", func(t *testing.T) {
		if sum.Agencies != 7 || sum.Users != 2+7*len(rabta.Roles) {
			t.Errorf("agencies %d, users %d", sum.Agencies, sum.Users)
		}
		if sum.Records != ds.Len() || sum.Records < 3000 || sum.Records > 5000 {
			t.Errorf("records %d (built %d), want 3,000-5,000", sum.Records, ds.Len())
		}
		var stored int
		if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM records").Scan(&stored); err != nil || stored != sum.Records {
			t.Errorf("stored %d records, summary says %d (%v)", stored, sum.Records, err)
		}
		total := 0
		for _, n := range sum.BySchema {
			total += n
		}
		if total != sum.Records {
			t.Errorf("by schema adds up to %d, not %d", total, sum.Records)
		}
		for _, sc := range []string{"Person", "Company", "Organization", "Phone", "BankAccount", "Vehicle", "Address", "Passport",
			"Associate", "Family", "Membership", "Employment", "Ownership", "Directorship", "Payment", "Call", "Event", "UnknownLink",
			"Case", "Offence", "Arrest", "Seizure", "Victim", "Referral"} {
			if sum.BySchema[sc] == 0 {
				t.Errorf("no %s records", sc)
			}
		}
		for _, a := range []string{"FIA", "ANF", "FMU", "CUSTOMS", "PUNJAB-POLICE", "NGO-SHELTER"} {
			if sum.ByAgency[a] == 0 {
				t.Errorf("agency %s holds no records", a)
			}
		}
		if str := sum.String(); !strings.Contains(str, "7 agencies") || !strings.Contains(str, "Person") {
			t.Errorf("summary text:\n%s", str)
		}
	})

	t.Run("twice", func(t *testing.T) {
		_, err := Load(ctx, s)
		if rabta.ErrorCode(err) != rabta.EConflict || err.Error() != "the demo is already loaded" {
			t.Fatalf("second load: %v", err)
		}
	})

	t.Run("users", func(t *testing.T) {
		u, cred, err := s.UserByName(ctx, "fia.analyst")
		if err != nil {
			t.Fatal(err)
		}
		if u.Agency != "FIA" || !slices.Equal(u.Roles, []rabta.Role{rabta.RoleAnalyst}) || u.Clearance != rabta.Confidential {
			t.Errorf("fia.analyst = %+v", u)
		}
		if !auth.CheckPassword(cred.PasswordHash, Password) {
			t.Error("fia.analyst: password demo does not match")
		}
		for _, name := range []string{"admin", "auditor", "anf.supervisor", "punjab-police.protection", "ngo-shelter.protection"} {
			if _, _, err := s.UserByName(ctx, name); err != nil {
				t.Errorf("user %s: %v", name, err)
			}
		}
		users, err := s.Users(ctx, "")
		if err != nil || len(users) != len(Usernames()) {
			t.Errorf("%d users stored, %d demo usernames (%v)", len(users), len(Usernames()), err)
		}
		as, err := s.Agencies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as {
			if !a.TOTPOptional {
				t.Errorf("agency %s requires a second factor", a.Code)
			}
		}
	})

	t.Run("networks", func(t *testing.T) {
		// Each network is there: its designated group, its people and its
		// characteristic records.
		counts := map[string]int{}
		rows, err := s.DB().QueryContext(ctx, "SELECT agency || '/' || schema, count(*) FROM records GROUP BY 1")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				t.Fatal(err)
			}
			counts[k] = n
		}
		rows.Close()
		var groups []string
		rows, err = s.DB().QueryContext(ctx, "SELECT caption FROM records WHERE schema = 'Organization'")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c string
			rows.Scan(&c)
			groups = append(groups, c)
		}
		rows.Close()
		for _, g := range []string{"Gujrat–Quetta migrant smuggling network", "Karachi port heroin ring", "Peshawar–Dubai hawala network"} {
			if !slices.Contains(groups, g) {
				t.Errorf("no group %q among %v", g, groups)
			}
		}
		for k, min := range map[string]int{
			// 1. migrant smuggling
			"FIA/Membership": 25, "FIA/Call": 300, "PUNJAB-POLICE/Case": 5, "NGO-SHELTER/Victim": 50, "FIA/Victim": 50,
			"NGO-SHELTER/Referral": 50, "FIA/Passport": 20,
			// 2. heroin
			"CUSTOMS/Event": 40, "CUSTOMS/Company": 8, "ANF/Call": 300, "ANF/Seizure": 2, "ANF/Vehicle": 4,
			// 3. hawala
			"FMU/Payment": 400, "FMU/BankAccount": 80, "FIA/Payment": 50,
		} {
			if counts[k] < min {
				t.Errorf("%s: %d records, want at least %d", k, counts[k], min)
			}
		}
		// FMU sees the typologies: structured cash deposits just under the
		// reporting threshold, and collection accounts fed by many payers.
		rows, err = s.DB().QueryContext(ctx, "SELECT properties FROM records WHERE schema = 'Payment' AND agency = 'FMU'")
		if err != nil {
			t.Fatal(err)
		}
		structured := 0
		payers := map[string]map[string]bool{}
		for rows.Next() {
			var raw string
			rows.Scan(&raw)
			var p map[string][]string
			if err := json.Unmarshal([]byte(raw), &p); err != nil {
				t.Fatal(err)
			}
			amt, _ := strconv.Atoi(first(p["amount"]))
			if first(p["method"]) == "cash deposit" && amt >= ctrThreshold*9/10 && amt < ctrThreshold {
				structured++
			}
			if acct := first(p["beneficiaryAccount"]); acct != "" {
				if payers[acct] == nil {
					payers[acct] = map[string]bool{}
				}
				payers[acct][first(p["payer"])] = true
			}
		}
		rows.Close()
		fanIn := 0
		for _, ps := range payers {
			if len(ps) >= 5 {
				fanIn++
			}
		}
		if structured < 100 || fanIn < 3 {
			t.Errorf("%d structured deposits, %d fan-in accounts", structured, fanIn)
		}
	})

	t.Run("shared subjects", func(t *testing.T) {
		// Subjects whose records at two or more agencies share a CNIC or a
		// phone number in normal form: what deconfliction will find.
		rows, err := s.DB().QueryContext(ctx, `SELECT i.kind, i.value, r.id, r.agency FROM record_identifiers i
			JOIN records r ON r.rid = i.rid WHERE i.kind IN ('cnic', 'phone')`)
		if err != nil {
			t.Fatal(err)
		}
		agenciesOf := map[string]map[string]map[string]bool{} // identifier → subject → agencies
		for rows.Next() {
			var kind, value, id, agency string
			if err := rows.Scan(&kind, &value, &id, &agency); err != nil {
				t.Fatal(err)
			}
			subj, ok := ds.Subjects[id]
			if !ok {
				continue
			}
			k := kind + ":" + value
			if agenciesOf[k] == nil {
				agenciesOf[k] = map[string]map[string]bool{}
			}
			if agenciesOf[k][subj] == nil {
				agenciesOf[k][subj] = map[string]bool{}
			}
			agenciesOf[k][subj][agency] = true
		}
		rows.Close()
		shared := map[string]bool{}
		for _, subjects := range agenciesOf {
			for subj, as := range subjects {
				if len(as) >= 2 && strings.HasPrefix(subj, "p") {
					shared[subj] = true
				}
			}
		}
		t.Logf("%d subjects share a CNIC or phone across agencies", len(shared))
		if len(shared) < 100 || len(shared) > 250 {
			t.Errorf("%d subjects share a CNIC or phone across agencies, want 100-200 or so", len(shared))
		}
	})

	t.Run("search", func(t *testing.T) {
		u, _, err := s.UserByName(ctx, "fia.analyst")
		if err != nil {
			t.Fatal(err)
		}
		ex := ds.Examples[0]
		if ex.Username != "fia.analyst" {
			t.Fatalf("first example is %+v", ex)
		}
		// The CNIC as typed, and in its other form: the same hits.
		for _, q := range []string{ex.Query, strings.ReplaceAll(ex.Query, "-", "")} {
			res, err := s.Search(ctx, rabta.PrincipalOf(u), sqlstore.SearchQuery{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			var own, pointer bool
			for _, h := range res.Results {
				own = own || h.Agency == "FIA" && h.Access == rabta.AccessFull && h.Schema == "Person"
				pointer = pointer || h.Agency != "FIA" && h.Access == rabta.AccessPointer && h.Contact != nil
			}
			if !own || !pointer {
				t.Errorf("search %q as fia.analyst: want FIA's record in full and another agency's pointer, got %+v", q, res.Results)
			}
		}
	})

	t.Run("look-alikes", func(t *testing.T) {
		ex := ds.Examples[1]
		u, _, err := s.UserByName(ctx, ex.Username)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.Search(ctx, rabta.PrincipalOf(u), sqlstore.SearchQuery{Q: ex.Query, Schema: "Person", Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		subjects := map[string]bool{}
		for _, h := range res.Results {
			subjects[ds.Subjects[h.ID]] = true
		}
		if len(subjects) < 4 {
			t.Errorf("search %q as %s finds %d different people, want several: %+v", ex.Query, ex.Username, len(subjects), res.Results)
		}
	})

	t.Run("informants stay hidden", func(t *testing.T) {
		// ANF holds a driver as a suspect whom FIA runs as an informant: an
		// ANF search for his CNIC finds ANF's record and nothing of FIA's.
		u, _, err := s.UserByName(ctx, "anf.analyst")
		if err != nil {
			t.Fatal(err)
		}
		var cnic string
		for _, bt := range ds.Batches {
			for _, r := range bt.Records {
				if bt.Username == "fia.analyst" && r.Schema == "Person" && slices.Contains(r.Marking.Categories, rabta.CatInformant) && len(r.Properties["idNumber"]) > 0 {
					subj := ds.Subjects[r.ID]
					for id, sj := range ds.Subjects {
						if sj == subj && strings.HasPrefix(id, "anf-person-") {
							cnic = r.Properties["idNumber"][0]
						}
					}
				}
			}
		}
		if cnic == "" {
			t.Fatal("no FIA informant who is also an ANF subject")
		}
		res, err := s.Search(ctx, rabta.PrincipalOf(u), sqlstore.SearchQuery{Q: cnic})
		if err != nil {
			t.Fatal(err)
		}
		anf := false
		for _, h := range res.Results {
			anf = anf || h.Agency == "ANF"
			if h.Agency == "FIA" {
				t.Errorf("ANF search for %s reveals FIA's record %+v", cnic, h)
			}
		}
		if !anf {
			t.Errorf("ANF search for %s misses ANF's own record: %+v", cnic, res.Results)
		}
		// FIA's supervisor, cleared to secret, finds the source.
		sup, _, err := s.UserByName(ctx, "fia.supervisor")
		if err != nil {
			t.Fatal(err)
		}
		res, err = s.Search(ctx, rabta.PrincipalOf(sup), sqlstore.SearchQuery{Q: cnic})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, h := range res.Results {
			found = found || h.Agency == "FIA" && h.Access == rabta.AccessFull
		}
		if !found {
			t.Errorf("fia.supervisor does not find FIA's informant record for %s: %+v", cnic, res.Results)
		}
	})
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// TestDeterministic builds the demo twice and compares the JSON of every
// record: the same seed must give the same demo, byte for byte.
func TestDeterministic(t *testing.T) {
	digest := func() [32]byte {
		data, err := json.Marshal(Build())
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(data)
	}
	if a, b := digest(), digest(); a != b {
		t.Fatalf("two builds differ: %x and %x", a, b)
	}
}

var idPattern = regexp.MustCompile(`^[a-z][a-z-]*-[a-z]+-[0-9]{4}$`)

// TestRecords checks the built records without a database: every one
// valid, sensibly marked and graded, and the data synthetic.
func TestRecords(t *testing.T) {
	ds := Build()
	if err := ds.check(); err != nil {
		t.Fatal(err)
	}
	release := map[rabta.Release]int{}
	class := map[rabta.Classification]int{}
	systems := map[string]int{}
	informants := map[string]int{}
	var n, assessments, reviews int
	for _, bt := range ds.Batches {
		agency := strings.ToUpper(bt.Username[:strings.IndexByte(bt.Username, '.')])
		for _, r := range bt.Records {
			n++
			if !idPattern.MatchString(r.ID) || !strings.HasPrefix(r.ID, strings.ToLower(agency)+"-"+strings.ToLower(r.Schema)+"-") {
				t.Errorf("record id %q", r.ID)
			}
			c := *r
			c.Properties = clone(r.Properties)
			c.Marking.Categories = slices.Clone(r.Marking.Categories)
			c.Marking.Agencies = slices.Clone(r.Marking.Agencies)
			if err := c.Normalize(); err != nil {
				t.Fatalf("record %s: %v", r.ID, err)
			}
			release[c.Marking.Release]++
			class[c.Marking.Classification]++
			systems[c.Grading.System]++
			if c.Marking.Has(rabta.CatInformant) {
				informants[agency]++
			}
			if c.Basis == rabta.BasisAssessment {
				assessments++
			}
			if c.ReviewDate != "" {
				reviews++
				if c.ReviewDate < "2026" || c.ReviewDate > "2029" {
					t.Errorf("record %s: review date %s", r.ID, c.ReviewDate)
				}
			}
			if !strings.HasPrefix(c.Provenance.SourceDate, "2025") && !strings.HasPrefix(c.Provenance.SourceDate, "2026") {
				t.Errorf("record %s: source date %q", r.ID, c.Provenance.SourceDate)
			}
			for _, k := range contentDates {
				for _, v := range c.Properties[k] {
					if len(v) >= 10 && v[:10] > c.Provenance.SourceDate {
						t.Errorf("record %s: %s %s is after its source report of %s", r.ID, k, v, c.Provenance.SourceDate)
					}
					if len(v) >= 10 && v[:10] > date(asOf) {
						t.Errorf("record %s: %s %s is after the demo's today", r.ID, k, v)
					}
				}
			}
			if c.Provenance.SourceReport == "" {
				t.Errorf("record %s: no source report", r.ID)
			}
			if c.Schema == "Person" && c.Subject == "" {
				t.Errorf("person %s has no subject category", r.ID)
			}
			if c.Subject == rabta.SubjectVictim {
				if !c.Marking.Has(rabta.CatVictim) || c.Marking.Release != rabta.ReleaseAgencies {
					t.Errorf("victim record %s marked %s", r.ID, c.Marking.Banner())
				}
			}
			for _, name := range append(slices.Clone(c.Properties["name"]), c.Properties["fatherName"]...) {
				// "s/o Amir" names the father, another man: check each apart.
				name, father, _ := strings.Cut(strings.NewReplacer(" S/O ", " s/o ", " d/o ", " s/o ", " D/O ", " s/o ").Replace(name), " s/o ")
				if isFamous(name) || isFamous(father) {
					t.Errorf("record %s: %q holds a well-known person's name", r.ID, name+" / "+father)
				}
			}
			for _, e := range c.Properties["email"] {
				if !strings.HasSuffix(e, ".example") {
					t.Errorf("record %s: e-mail %s is not under .example", r.ID, e)
				}
			}
		}
	}
	t.Logf("%d records; release %v; classification %v; grading %v; informants %v; %d assessments, %d review dates",
		n, release, class, systems, informants, assessments, reviews)
	if release[rabta.ReleaseOriginator] < n/6 || release[rabta.ReleaseAgencies] < n/4 || release[rabta.ReleaseAll] < n/20 {
		t.Errorf("release mix %v", release)
	}
	if class[rabta.Secret] == 0 || class[rabta.Secret] > n/10 || class[rabta.Restricted] < n/5 || class[rabta.Confidential] < n/5 {
		t.Errorf("classification mix %v", class)
	}
	if systems["3x5x2"] < n/2 || systems["5x5x5"] == 0 || systems["admiralty"] == 0 {
		t.Errorf("grading mix %v", systems)
	}
	for _, a := range []string{"FIA", "ANF", "CUSTOMS", "PUNJAB-POLICE", "FMU"} {
		if informants[a] < 2 {
			t.Errorf("%s has %d informant records", a, informants[a])
		}
	}
	if assessments < n/20 || reviews < n/5 {
		t.Errorf("%d assessments, %d review dates", assessments, reviews)
	}
}

// TestLookalikes checks the honest part of the test data: different men
// called Muhammad Asif, with different fathers and CNICs.
func TestLookalikes(t *testing.T) {
	ds := Build()
	cnics := map[string]string{} // subject → CNIC
	for _, bt := range ds.Batches {
		for _, r := range bt.Records {
			if r.Schema != "Person" {
				continue
			}
			for _, name := range r.Properties["name"] {
				low := strings.ToLower(name)
				if strings.Contains(low, "asif") && (strings.Contains(low, "muhammad") || strings.Contains(low, "mohammad") || strings.Contains(low, "mohd") || strings.Contains(low, "m. ")) {
					for _, c := range r.Properties["idNumber"] {
						v, _ := ident.Normalize(ident.CNIC, c)
						cnics[ds.Subjects[r.ID]] = v
					}
				}
			}
		}
	}
	distinct := map[string]bool{}
	for _, c := range cnics {
		distinct[c] = true
	}
	if len(cnics) < 3 || len(distinct) != len(cnics) {
		t.Errorf("Muhammad Asif look-alikes: %v", cnics)
	}
}

// TestAgencies checks the contact points: phones that parse, e-mail under
// .example, no second factor in the demo.
func TestAgencies(t *testing.T) {
	for _, a := range Agencies() {
		if err := a.Validate(); err != nil {
			t.Error(err)
		}
		if _, err := ident.Normalize(ident.Phone, a.Contact.Phone); err != nil || !strings.HasPrefix(a.Contact.Phone, "+92") {
			t.Errorf("%s: contact phone %q: %v", a.Code, a.Contact.Phone, err)
		}
		if !strings.HasSuffix(a.Contact.Email, ".example") || a.Contact.Desk == "" {
			t.Errorf("%s: contact %+v", a.Code, a.Contact)
		}
	}
	for _, u := range Users() {
		if err := u.Validate(); err != nil {
			t.Error(err)
		}
	}
	if names := Usernames(); names[0] != "admin" || !slices.Contains(names, "fia.analyst") || !slices.Contains(names, "punjab-police.protection") {
		t.Errorf("usernames %v", names)
	}
}

func TestIBAN(t *testing.T) {
	// The example IBAN of the ident package, rebuilt from its BBAN.
	if got := iban("PK", "SCBL0000001123456702"); got != "PK36SCBL0000001123456702" {
		t.Errorf("iban = %s", got)
	}
	b := newBuilder()
	for range 50 {
		n, _ := b.newIBAN(pickStr(b, []string{"pk", "ae", "tr"}))
		if _, err := ident.Normalize(ident.IBAN, n); err != nil {
			t.Error(err)
		}
	}
}

// TestLoadInterrupted: a database where a demo load stopped halfway is
// reported as such, not as "already loaded".
func TestLoadInterrupted(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "half.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	// What a load leaves when it stops after the agencies.
	for _, a := range Agencies() {
		if err := s.CreateAgency(ctx, sqlstore.System, &a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Load(ctx, s); err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("load over a half-loaded database: %v", err)
	}
}
