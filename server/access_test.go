package server_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

// seeded is one generated record and the strings that must never reach a
// principal who may not see it in full.
type seeded struct {
	id      string
	agency  string
	marking rabta.Marking
	ends    []int // for links: indexes of the two ends
	secrets []string
}

// TestRandomizedAccess generates agencies, users and records with random
// markings, then probes every read endpoint as every user and asserts that
// no property value of a record the user may not see in full appears in any
// response, that records with access none never show up at all (not even
// their ids), and that reading one looks exactly like reading a record that
// does not exist. Access requests pass between random agencies: some are
// approved (a grant of all or some of the records asked for, some with an
// end that has passed when the users read), some refused or left open,
// some grants revoked; the oracle counts the grants still in force, as
// rabta.Decide does with shares. The requests and grants themselves are
// probed too. The seed is logged; RABTA_SEED replays a failure.
func TestRandomizedAccess(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("RABTA_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (RABTA_SEED=%d replays it)", seed, seed)
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		rng := rand.New(rand.NewPCG(seed, 7))
		ctx := context.Background()
		// The users read two hours after the seeding: grants that end an
		// hour after it have lapsed by then.
		var shift atomic.Int64
		s.SetClock(func() time.Time { return time.Now().Add(time.Duration(shift.Load())) })
		seededAt := time.Now()
		codes := []string{"AGA", "AGB", "AGC", "AGD"}
		for _, c := range codes {
			addAgency(t, s, c)
		}
		classes := []rabta.Classification{rabta.Unclassified, rabta.Restricted, rabta.Confidential, rabta.Secret}
		roleSets := [][]rabta.Role{{rabta.RoleAnalyst}, {rabta.RoleInvestigator}, {rabta.RoleSupervisor}, {rabta.RoleProtection},
			{rabta.RoleAnalyst, rabta.RoleProtection}, {rabta.RoleCoordinator}, {rabta.RoleAuditor}, {rabta.RoleAdmin}}
		var users []*rabta.User
		for i := 0; i < 12; i++ {
			users = append(users, addUser(t, s, fmt.Sprintf("user%02d", i), codes[rng.IntN(len(codes))],
				classes[rng.IntN(len(classes))], roleSets[rng.IntN(len(roleSets))]...))
		}
		randomMarking := func() rabta.Marking {
			m := rabta.Marking{Release: []rabta.Release{rabta.ReleaseOriginator, rabta.ReleaseAgencies, rabta.ReleaseAll, rabta.ReleasePublic}[rng.IntN(4)],
				Classification: classes[rng.IntN(len(classes))]}
			if m.Release == rabta.ReleaseAgencies {
				for _, c := range codes {
					if rng.IntN(2) == 0 {
						m.Agencies = append(m.Agencies, c)
					}
				}
				if len(m.Agencies) == 0 {
					m.Agencies = []string{codes[rng.IntN(len(codes))]}
				}
			}
			for _, c := range rabta.Categories {
				if rng.IntN(6) == 0 {
					m.Categories = append(m.Categories, c)
				}
			}
			if m.Release == rabta.ReleasePublic {
				m.Classification, m.Categories = rabta.Unclassified, nil
			}
			return m
		}
		writer := func(agency string) rabta.Principal {
			return rabta.Principal{Username: "seed." + agency, Agency: agency, Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
		}
		var recs []*seeded
		for i := 0; i < 60; i++ {
			marker := fmt.Sprintf("Zq%08xName", rng.Uint32())
			cnic := fmt.Sprintf("%d%012d", 1+rng.IntN(7), rng.Int64N(1e12))
			phone := fmt.Sprintf("+92300%07d", rng.IntN(1e7))
			email := fmt.Sprintf("m%08x@mail.example", rng.Uint32())
			agency := codes[rng.IntN(len(codes))]
			r := &rabta.Record{Schema: "Person", Marking: randomMarking(), Properties: map[string][]string{
				"name": {marker}, "idNumber": {cnic}, "phone": {phone}, "email": {email}}}
			if err := s.CreateRecord(ctx, writer(agency), r); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, &seeded{id: r.ID, agency: agency, marking: r.Marking,
				secrets: []string{marker, cnic, ident.FormatCNIC(cnic), phone, "0" + phone[3:], email}})
		}
		people := len(recs)
		for i := 0; i < 25; i++ {
			a, b := rng.IntN(people), rng.IntN(people)
			agency := codes[rng.IntN(len(codes))]
			p := writer(agency)
			// The writer may only link records it may know of.
			if rabta.Decide(p, recs[a].agency, recs[a].marking) == rabta.AccessNone || rabta.Decide(p, recs[b].agency, recs[b].marking) == rabta.AccessNone {
				continue
			}
			marker := fmt.Sprintf("Lk%08xRel", rng.Uint32())
			r := &rabta.Record{Schema: "Associate", Marking: randomMarking(), Properties: map[string][]string{
				"person": {recs[a].id}, "associate": {recs[b].id}, "relationship": {marker}}}
			if err := s.CreateRecord(ctx, p, r); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, &seeded{id: r.ID, agency: agency, marking: r.Marking, ends: []int{a, b}, secrets: []string{marker}})
		}

		// Each agency saves a chart of every record it sees in full; every
		// user then opens all of them, and names every record as being on
		// its own chart.
		var charts []string
		var onChart []map[string]any
		for i, r := range recs {
			onChart = append(onChart, map[string]any{"id": r.id, "x": i, "y": 0})
		}
		for _, code := range codes {
			w := writer(code)
			var nodes []sqlstore.ChartNode
			for i, r := range recs {
				if r.ends == nil && rabta.Decide(w, r.agency, r.marking) == rabta.AccessFull {
					nodes = append(nodes, sqlstore.ChartNode{ID: r.id, X: float64(i)})
				}
			}
			if len(nodes) == 0 {
				continue
			}
			id, err := s.SaveChart(ctx, w, "chart of "+code, sqlstore.ChartState{Nodes: nodes})
			if err != nil {
				t.Fatal(err)
			}
			charts = append(charts, id)
		}

		// Access requests between random agencies. The oracle's shares are
		// the grants neither revoked nor lapsed at the time given.
		type seededGrant struct {
			id, grantee string
			recs        []int
			until       time.Time
			revoked     bool
		}
		type seededRequest struct {
			id, from, to string
		}
		var grants []*seededGrant
		var requests []seededRequest
		// sharesOf lists the shares of record i in force at time at (with
		// ever, every grant ever made, revoked or lapsed).
		sharesOf := func(i int, at time.Time, ever bool) []rabta.Share {
			var out []rabta.Share
			for _, g := range grants {
				if (ever || !g.revoked) && slices.Contains(g.recs, i) {
					if sh := (rabta.Share{Agency: g.grantee, Until: g.until}); ever || sh.Live(at) {
						out = append(out, sh)
					}
				}
			}
			return out
		}
		// oracle is the access p has to every record at time at (without
		// any grant, with at zero; with ever, as if no grant had been
		// revoked or had lapsed).
		oracle := func(p rabta.Principal, at time.Time, ever bool) []rabta.Access {
			expect := make([]rabta.Access, len(recs))
			for i, r := range recs {
				var shares []rabta.Share
				if !at.IsZero() {
					shares = sharesOf(i, at, ever)
				}
				expect[i] = rabta.Decide(p, r.agency, r.marking, shares...)
				if r.ends != nil {
					expect[i] = rabta.DecideLink(expect[i], expect[r.ends[0]], expect[r.ends[1]])
				}
			}
			return expect
		}
		desk := func(agency string) rabta.Principal {
			return rabta.Principal{Username: "desk." + agency, Agency: agency, Roles: []rabta.Role{rabta.RoleSupervisor, rabta.RoleProtection}, Clearance: rabta.Secret}
		}
		for n := 0; n < 30; n++ {
			// Asked for by the agency of a probed user, mostly for records a
			// grant would show that user in full, so that grants matter to
			// someone who reads.
			reader := rabta.PrincipalOf(users[rng.IntN(len(users))])
			holder, grantee := codes[rng.IntN(len(codes))], reader.Agency
			if holder == grantee {
				continue
			}
			asker := writer(grantee)
			asker.Username = "asker." + grantee
			now := time.Now()
			seen, decides := oracle(asker, now, false), oracle(desk(holder), now, false)
			var candidates []int
			for i, r := range recs {
				if r.agency == holder && seen[i] == rabta.AccessPointer {
					candidates = append(candidates, i)
				}
			}
			helpful := slices.DeleteFunc(slices.Clone(candidates), func(i int) bool {
				return rabta.Decide(reader, recs[i].agency, recs[i].marking, rabta.Share{Agency: grantee}) != rabta.AccessFull
			})
			if len(helpful) > 0 && rng.IntN(3) > 0 {
				candidates = helpful
			}
			if len(candidates) == 0 {
				continue
			}
			rng.Shuffle(len(candidates), func(a, b int) { candidates[a], candidates[b] = candidates[b], candidates[a] })
			asked := candidates[:1+rng.IntN(min(3, len(candidates)))]
			req := &rabta.Request{Type: rabta.RequestAccess, To: holder, Justification: fmt.Sprintf("Randomized access request %d", n),
				Deadline: now.Add(72 * time.Hour)}
			for _, i := range asked {
				req.Subjects.Records = append(req.Subjects.Records, recs[i].id)
			}
			if err := s.CreateRequest(ctx, asker, req); err != nil {
				t.Errorf("%s asks %s for %v, which it sees as pointers: %v", grantee, holder, req.Subjects.Records, err)
				continue
			}
			requests = append(requests, seededRequest{req.ID, grantee, holder})
			// What the holder's desk may disclose: what it sees in full.
			var disclosable []int
			for _, i := range asked {
				if decides[i] == rabta.AccessFull {
					disclosable = append(disclosable, i)
				}
			}
			switch outcome := rng.IntN(6); {
			case outcome == 0:
				// left open: widens nothing
			case outcome == 1 || len(disclosable) == 0:
				if _, err := s.RefuseRequest(ctx, desk(holder), req.ID, "Randomized refusal"); err != nil {
					t.Fatal(err)
				}
			default:
				g := &seededGrant{grantee: grantee, recs: disclosable}
				if len(disclosable) > 1 && rng.IntN(2) == 0 {
					g.recs = disclosable[:1] // a part of what was asked
				}
				var a sqlstore.Approval
				if len(g.recs) < len(asked) {
					for _, i := range g.recs {
						a.Records = append(a.Records, recs[i].id)
					}
				}
				switch rng.IntN(3) {
				case 0:
					a.Until = seededAt.Add(time.Hour) // lapsed when the users read
				case 1:
					a.Until = seededAt.Add(48 * time.Hour)
				}
				g.until = a.Until
				sg, err := s.ApproveRequest(ctx, desk(holder), req.ID, a)
				if err != nil {
					t.Errorf("%s approves %v for %s: %v", holder, a.Records, grantee, err)
					continue
				}
				g.id = sg.ID
				grants = append(grants, g)
				if rng.IntN(4) == 0 {
					if _, err := s.RevokeGrant(ctx, desk(holder), g.id); err != nil {
						t.Fatal(err)
					}
					g.revoked = true
				}
			}
		}
		t.Logf("%d requests, %d grants (%d revoked)", len(requests), len(grants), len(slices.DeleteFunc(slices.Clone(grants), func(g *seededGrant) bool { return !g.revoked })))
		shift.Store(int64(2 * time.Hour))

		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		leaks, widened, narrowed := 0, 0, 0
		for _, u := range users {
			p := rabta.PrincipalOf(u)
			expect := oracle(p, time.Now().Add(2*time.Hour), false)
			unshared, ever := oracle(p, time.Time{}, false), oracle(p, time.Now(), true)
			for i := range expect {
				if unshared[i] != expect[i] {
					widened++
				}
				if ever[i] != expect[i] {
					narrowed++
				}
			}
			var forbidden [][]byte
			for i, r := range recs {
				if expect[i] != rabta.AccessFull {
					for _, s := range r.secrets {
						forbidden = append(forbidden, []byte(s))
					}
				}
				if expect[i] == rabta.AccessNone {
					forbidden = append(forbidden, []byte(r.id))
				}
			}
			c := login(t, ts.URL, u.Username)
			// checkEcho is check for a page that repeats the user's own input
			// (a search box, a requested id) up to echoes times.
			checkEchoes := func(what string, body []byte, inputs []string, echoes int) {
				for _, f := range forbidden {
					if n := bytes.Count(body, f); n > 0 && (!slices.Contains(inputs, string(f)) || n > echoes) {
						leaks++
						t.Errorf("%s (%s %v, clearance %s): %s leaks %q", u.Username, u.Agency, u.Roles, u.Clearance, what, f)
					}
				}
			}
			checkEcho := func(what string, body []byte, input string, echoes int) {
				checkEchoes(what, body, []string{input}, echoes)
			}
			check := func(what string, body []byte) { checkEcho(what, body, "", 0) }
			_, notFound := c.do("GET", "/api/v1/records/00000000-0000-7000-8000-000000000000", nil)
			for i, r := range recs {
				st, body := c.do("GET", "/api/v1/records/"+r.id, nil)
				check("GET record", body)
				want := map[rabta.Access]int{rabta.AccessFull: 200, rabta.AccessPointer: 403, rabta.AccessNone: 404}[expect[i]]
				if st != want {
					t.Errorf("%s reads %s: status %d, want %d (access %s)", u.Username, r.id, st, want, expect[i])
					if r.ends != nil {
						for _, e := range r.ends {
							t.Logf("  end %s held by %s marking %+v: expected %s", recs[e].id, recs[e].agency, recs[e].marking, expect[e])
						}
						t.Logf("  link held by %s marking %+v", r.agency, r.marking)
					}
				}
				if expect[i] == rabta.AccessNone && !bytes.Equal(body, notFound) {
					t.Errorf("%s: none differs from absence: %s vs %s", u.Username, body, notFound)
				}
				if expect[i] == rabta.AccessNone {
					// Writing to it answers exactly like writing to nothing.
					edit := map[string]any{"schema": "Person", "properties": map[string][]string{"name": {"x"}}, "version": 1}
					st, body := c.do("PUT", "/api/v1/records/"+r.id, edit)
					st0, body0 := c.do("PUT", "/api/v1/records/00000000-0000-7000-8000-000000000000", edit)
					if st != st0 || !bytes.Equal(body, body0) {
						t.Errorf("%s: PUT on a none record: %d %s, on a missing one: %d %s", u.Username, st, body, st0, body0)
					}
				}
				for _, q := range r.secrets[:min(len(r.secrets), 3)] {
					_, body := c.do("GET", "/api/v1/search?limit=200&q="+url.QueryEscape(q), nil)
					check("search "+q, body)
				}
				// The network around it: only what the user sees in full, and
				// a seed it may not see answers like a missing one.
				nq := map[string]any{"seeds": []string{r.id}, "hops": 3}
				st, body = c.do("POST", "/api/v1/network", nq)
				checkEcho("network around "+r.id, body, r.id, 1) // "no record <id>"
				_, missingSeed := c.do("POST", "/api/v1/network", map[string]any{"seeds": []string{"00000000-0000-7000-8000-000000000000"}, "hops": 3})
				switch {
				case expect[i] != rabta.AccessFull && (st != 404 || !bytes.Equal(bytes.ReplaceAll(body, []byte(r.id), []byte("00000000-0000-7000-8000-000000000000")), missingSeed)):
					t.Errorf("%s: network around a record it may not see: %d %s", u.Username, st, body)
				case expect[i] == rabta.AccessFull && r.ends == nil && st != 200:
					t.Errorf("%s: network around a record it sees: %d %s", u.Username, st, body)
				}
				nq["measures"] = []string{"degree", "betweenness", "communities"}
				nq["disrupt"] = map[string]any{"by": "degree", "steps": 2}
				_, body = c.do("POST", "/api/v1/network/analysis", nq)
				checkEcho("network analysis around "+r.id, body, r.id, 1)
				other := recs[(i+1)%len(recs)].id
				_, body = c.do("POST", "/api/v1/network/paths", map[string]any{"source": r.id, "target": other, "hops": 4})
				checkEchoes("paths from "+r.id, body, []string{r.id, other}, 1) // "source" and "target" repeat them
				// The chart's endpoints: an expansion on a chart naming every
				// record, and a GraphML export.
				_, body = c.do("POST", "/api/v1/charts/network", map[string]any{"seeds": []string{r.id}, "hops": 2, "chart": onChart})
				checkEcho("chart network around "+r.id, body, r.id, 1)
				_, body = c.do("POST", "/api/v1/charts/export", map[string]any{"format": "graphml", "seeds": []string{r.id}, "hops": 2, "measures": []string{"degree"}})
				checkEcho("GraphML around "+r.id, body, r.id, 1)
			}
			for _, id := range charts {
				_, body := c.do("GET", "/api/v1/charts/"+id, nil)
				check("saved chart "+id, body)
			}
			// Requests and grants name records by id only: never one the
			// user may not know of. A request is seen by the users of its two
			// agencies who work with records; to anyone else it does not exist.
			works := p.CanWriteRecords()
			for _, rq := range requests {
				st, body := c.do("GET", "/api/v1/requests/"+rq.id, nil)
				check("GET request "+rq.id, body)
				if party := works && (u.Agency == rq.from || u.Agency == rq.to); party != (st == 200) || !party && st != 404 {
					t.Errorf("%s (%s %v) reads request %s from %s to %s: %d %s", u.Username, u.Agency, u.Roles, rq.id, rq.from, rq.to, st, body)
				}
			}
			for _, path := range []string{"/api/v1/requests", "/api/v1/grants"} {
				st, body := c.do("GET", path, nil)
				check("GET "+path, body)
				if works != (st == 200) {
					t.Errorf("%s (%v): GET %s: %d %s", u.Username, u.Roles, path, st, body)
				}
			}
			// Counts match the oracle exactly: none records are not counted.
			var counts sqlstore.Counts
			c.json("GET", "/api/v1/records/count", nil, 200, &counts)
			var want sqlstore.Counts
			for _, a := range expect {
				switch a {
				case rabta.AccessFull:
					want.Full++
				case rabta.AccessPointer:
					want.Pointer++
				}
			}
			if counts != want {
				t.Errorf("%s: counts %+v, want %+v", u.Username, counts, want)
			}
			for _, path := range []string{"/api/v1/records?limit=200", "/api/v1/records/count", "/api/v1/export", "/api/v1/search?q=name&limit=200", "/api/v1/me", "/api/v1/inbox"} {
				_, body := c.do("GET", path, nil)
				check("GET "+path, body)
			}
			// The same through the web UI, signed in with a session cookie.
			wb := (&webEnv{t: t, store: s, ts: ts}).browser()
			if res, _ := wb.post("/login", url.Values{"username": {u.Username}, "password": {testPassword}}); res.Request.URL.Path != "/" {
				t.Fatalf("web sign-in as %s ended at %s", u.Username, res.Request.URL)
			}
			const missing = "00000000-0000-7000-8000-000000000000"
			_, notFoundPage := wb.get("/records/" + missing)
			idEchoes := strings.Count(notFoundPage, missing)
			const nothing = "Zq00000000Name"
			_, emptySearch := wb.get("/search?q=" + nothing)
			queryEchoes := strings.Count(emptySearch, nothing)
			for i, r := range recs {
				_, page := wb.get("/records/" + r.id)
				checkEcho("web record page", []byte(page), r.id, idEchoes)
				if expect[i] == rabta.AccessNone && strings.ReplaceAll(page, r.id, missing) != notFoundPage {
					t.Errorf("%s: web page of a none record differs from a missing one", u.Username)
				}
				_, page = wb.get("/search?q=" + url.QueryEscape(r.secrets[0]))
				checkEcho("web search "+r.secrets[0], []byte(page), r.secrets[0], queryEchoes)
			}
			for _, path := range []string{"/", "/records", "/search?q=name"} {
				_, page := wb.get(path)
				check("web "+path, []byte(page))
			}
			if leaks > 20 {
				t.Fatal("too many leaks; stopping")
			}
		}
		t.Logf("grants in force widen the access of %d (user, record) pairs; revoked and lapsed ones would widen %d more", widened, narrowed)
	})
}
