// Package demo loads Rabta's demonstration data: seven agencies, a user for
// every agency and role, and a few thousand synthetic records forming three
// criminal networks that several agencies hold pieces of.
//
// Everything is synthetic and deterministic. Names are drawn from common
// Pakistani given, father's and family names and combined at random (never
// into a well-known person's name); identifiers are generated in valid
// formats. The same real-world subject appears at several agencies under
// spelling variants, with and without "s/o" and in Urdu script, sharing
// identifiers written in different forms, so that deconfliction and entity
// resolution have something real to find; and different men share common
// names, so that a matcher is tested honestly.
//
// The three networks:
//  1. migrant smuggling from Gujranwala, Gujrat and Mandi Bahauddin through
//     Balochistan and Iran to Turkey (FIA, Punjab Police; victims at the
//     shelter and FIA's and the police's protection desks);
//  2. heroin shipped out of Port Qasim in front companies' export
//     consignments (ANF, Customs);
//  3. a hawala and money-laundering network between Peshawar, Karachi,
//     Lahore and Dubai that moves both networks' money (FMU, FIA).
package demo

import (
	"context"
	"fmt"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/sqlstore"
)

// Password is every demo user's password. Demo agencies waive the second
// factor.
const Password = "demo"

// agencies are the demo's organisations. Contact points are fictitious:
// phone numbers in the 555 exchange and e-mail under .example.
var agencies = []rabta.Agency{
	{Code: "FIA", Name: "Federal Investigation Agency", Contact: rabta.Contact{Desk: "FIA intelligence liaison desk", Phone: "+92 51 5550101", Email: "liaison@fia.example"}},
	{Code: "ANF", Name: "Anti-Narcotics Force", Contact: rabta.Contact{Desk: "ANF intelligence directorate duty officer", Phone: "+92 51 5550202", Email: "intel.desk@anf.example"}},
	{Code: "FMU", Name: "Financial Monitoring Unit", Contact: rabta.Contact{Desk: "FMU dissemination desk", Phone: "+92 21 35550303", Email: "dissemination@fmu.example"}},
	{Code: "CUSTOMS", Name: "Pakistan Customs", Contact: rabta.Contact{Desk: "Customs risk management and intelligence desk", Phone: "+92 21 35550404", Email: "risk.desk@customs.example"}},
	{Code: "PUNJAB-POLICE", Name: "Punjab Police", Contact: rabta.Contact{Desk: "Punjab Police investigation branch duty desk", Phone: "+92 42 35550505", Email: "duty.desk@punjab-police.example"}},
	{Code: "MOI", Name: "Ministry of Interior", Contact: rabta.Contact{Desk: "Organised crime strategy cell", Phone: "+92 51 5550606", Email: "strategy@moi.example"}},
	{Code: "NGO-SHELTER", Name: "Sahara Shelter Network (demo)", Contact: rabta.Contact{Desk: "Referral coordinator", Phone: "+92 42 35550707", Email: "referrals@sahara-shelter.example"}},
}

// Agencies returns the demo agencies.
func Agencies() []rabta.Agency { return slices.Clone(agencies) }

// Users returns the demo users: one for every agency and role, named
// <agency code in lower case>.<role>, plus the platform's admin and auditor
// at the Ministry of Interior. Supervisors, admins and auditors are
// cleared to secret, everyone else to confidential.
func Users() []rabta.User {
	users := []rabta.User{
		{Username: "admin", Name: "Platform administrator (demo)", Agency: "MOI", Roles: []rabta.Role{rabta.RoleAdmin}, Clearance: rabta.Secret},
		{Username: "auditor", Name: "Oversight auditor (demo)", Agency: "MOI", Roles: []rabta.Role{rabta.RoleAuditor}, Clearance: rabta.Secret},
	}
	for _, a := range agencies {
		for _, r := range rabta.Roles {
			c := rabta.Confidential
			if r == rabta.RoleSupervisor || r == rabta.RoleAdmin || r == rabta.RoleAuditor {
				c = rabta.Secret
			}
			users = append(users, rabta.User{
				Username: strings.ToLower(a.Code) + "." + string(r), Name: a.Code + " " + string(r) + " (demo)",
				Agency: a.Code, Roles: []rabta.Role{r}, Clearance: c,
			})
		}
	}
	return users
}

// Usernames lists the demo users' names, admin and auditor first, then by
// agency and role.
func Usernames() []string {
	var out []string
	for _, u := range Users() {
		out = append(out, u.Username)
	}
	return out
}

// Summary is what Load loaded.
type Summary struct {
	Agencies int            `json:"agencies"`
	Users    int            `json:"users"`
	Records  int            `json:"records"`
	BySchema map[string]int `json:"by_schema"`
	ByAgency map[string]int `json:"by_agency"`
	Examples []Example      `json:"examples"`
}

// String prints the summary for the console.
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Demo loaded: %d agencies, %d users (password %q), %s records.\n", s.Agencies, s.Users, Password, thousands(int64(s.Records)))
	line := func(label string, m map[string]int) {
		keys := slices.Sorted(maps.Keys(m))
		slices.SortStableFunc(keys, func(x, y string) int { return m[y] - m[x] })
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s %s", k, thousands(int64(m[k])))
		}
		fmt.Fprintf(&b, "  %s: %s\n", label, strings.Join(parts, ", "))
	}
	line("by agency", s.ByAgency)
	line("by schema", s.BySchema)
	for _, e := range s.Examples {
		if strings.HasPrefix(e.Query, "/") {
			fmt.Fprintf(&b, "  try, as %s: open %s (%s)\n", e.Username, e.Query, e.Note)
		} else {
			fmt.Fprintf(&b, "  try, as %s: search %q (%s)\n", e.Username, e.Query, e.Note)
		}
	}
	return b.String()
}

// Load loads the demo into an empty, migrated database: the agencies, the
// users and the records, each agency's records imported by its own users
// so the store assigns, checks and logs them as it would any import. It
// refuses if the demo (agency FIA) is already there.
//
// The load is not one transaction: each agency, user and batch commits on
// its own, as the store's API does. The platform administrator account
// (`admin`) is created last, as the mark of a complete load: a load that
// failed halfway is reported as such, and the database must be started
// again from empty.
func Load(ctx context.Context, s *sqlstore.Store) (*Summary, error) {
	switch _, err := s.Agency(ctx, "FIA"); {
	case err == nil:
		if _, _, err := s.UserByName(ctx, completionMark); rabta.ErrorCode(err) == rabta.ENotFound {
			return nil, rabta.Errorf(rabta.EInvalid, "an earlier demo load did not finish: start again from an empty database (remove the SQLite file, or drop and create the PostgreSQL database)")
		}
		return nil, rabta.Errorf(rabta.EConflict, "the demo is already loaded")
	case rabta.ErrorCode(err) != rabta.ENotFound:
		return nil, err
	}
	ds := Build()
	if err := ds.check(); err != nil {
		return nil, err
	}
	for _, a := range agencies {
		a.TOTPOptional = true // demo mode has no second factor
		if err := s.CreateAgency(ctx, sqlstore.System, &a); err != nil {
			return nil, fmt.Errorf("demo: agency %s: %w", a.Code, err)
		}
	}
	users := Users()
	hashes, err := hashAll(len(users))
	if err != nil {
		return nil, err
	}
	principals := map[string]rabta.Principal{}
	mark := -1
	for i := range users {
		u := &users[i]
		if u.Username == completionMark {
			mark = i
			continue
		}
		if err := s.CreateUser(ctx, sqlstore.System, u, hashes[i]); err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", u.Username, err)
		}
		principals[u.Username] = rabta.PrincipalOf(u)
	}

	sum := &Summary{Agencies: len(agencies), Users: len(users), BySchema: map[string]int{}, ByAgency: map[string]int{}, Examples: ds.Examples}
	for _, bt := range ds.Batches {
		p, ok := principals[bt.Username]
		if !ok {
			return nil, fmt.Errorf("demo: no user %s", bt.Username)
		}
		i := 0
		next := func() (*rabta.Record, error) {
			if i == len(bt.Records) {
				return nil, io.EOF
			}
			i++
			return bt.Records[i-1], nil
		}
		// check has already named any record the store would refuse.
		n, err := s.Import(ctx, p, next, sqlstore.ImportOptions{})
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", bt.Username, err)
		}
		sum.Records += n
		for _, r := range bt.Records {
			sum.BySchema[r.Schema]++
			sum.ByAgency[p.Agency]++
		}
	}
	if err := cooperate(ctx, s, ds, principals, sum); err != nil {
		return nil, err
	}
	// A synthetic sanctions list, screened in the background by serve.
	l, target := sanctionsList(ds)
	if _, err := s.LoadSanctionsList(ctx, sqlstore.System, l); err != nil {
		return nil, fmt.Errorf("demo: sanctions list: %w", err)
	}
	if target != "" {
		sum.Examples = append(sum.Examples, Example{Username: "fmu.analyst", Query: "/screening",
			Note: "an alert: " + target + " is on the demo sanctions list (synthetic, entry QDi.904) under another spelling"})
	}
	e := &rabta.AuditEvent{Username: sqlstore.System.Username, Action: rabta.ActDemoLoad, Count: sum.Records, Outcome: "ok"}
	if err := s.Audit(ctx, e); err != nil {
		return nil, err
	}
	if err := s.CreateUser(ctx, sqlstore.System, &users[mark], hashes[mark]); err != nil {
		return nil, fmt.Errorf("demo: user %s: %w", completionMark, err)
	}
	return sum, nil
}

// completionMark is the account created last by Load.
const completionMark = "admin"

// hashAll hashes the demo password n times, each with its own salt, on
// all cores: the fast parameters still cost milliseconds each.
func hashAll(n int) ([]string, error) {
	out := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i], errs[i] = auth.HashPassword(Password, auth.FastParams)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
