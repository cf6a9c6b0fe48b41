package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/sqlstore"
)

// cooperate adds the cooperation the demo's agencies would have under way:
// a joint ANF–Customs case on the Port Qasim heroin ring with its records,
// milestones and a task; FIA's pending access request for an ANF record it
// sees only as a pointer, and an answered request for information; and two
// planned operations at Port Qasim that conflict. Operations are planned
// from now (tomorrow morning, PKT), so the conflict is live whenever the
// demo is loaded; everything else is fixed.
func cooperate(ctx context.Context, s *sqlstore.Store, ds *Dataset, principals map[string]rabta.Principal, sum *Summary) error {
	anfInv, customsInv := principals["anf.investigator"], principals["customs.investigator"]
	anfSup, fiaAn := principals["anf.supervisor"], principals["fia.analyst"]

	c := &rabta.Case{Title: "Port Qasim export consignments: heroin in front companies' cargo", Offences: []string{"CNSA-9", "CNSA-7", "AMLA-3", "CUSTOMS-156-1-8"}}
	if err := s.CreateCase(ctx, anfInv, c); err != nil {
		return fmt.Errorf("demo: case: %w", err)
	}
	for _, m := range []struct {
		user string
		role rabta.CaseRole
	}{{"customs.investigator", rabta.CaseWorker}, {"anf.analyst", rabta.CaseWorker}, {"customs.analyst", rabta.CaseWorker}} {
		if err := s.AddCaseMember(ctx, anfInv, c.ID, m.user, m.role); err != nil {
			return fmt.Errorf("demo: case member %s: %w", m.user, err)
		}
	}
	// Each agency attaches its own first records of the ring.
	attached := 0
	for _, who := range []string{"anf.analyst", "customs.analyst"} {
		p := principals[who]
		p.Cases = []string{c.ID}
		n := 0
		for _, r := range ds.batch(who) {
			if n == 6 {
				break
			}
			if r.Schema != "Person" && r.Schema != "Company" || r.Marking.Protected() || r.Marking.Has(rabta.CatInformant) || !p.Clearance.Covers(r.Marking.Classification) {
				continue
			}
			if err := s.AttachRecord(ctx, p, c.ID, r.ID); err != nil {
				return fmt.Errorf("demo: attach %s: %w", r.ID, err)
			}
			n++
		}
		attached += n
	}
	for _, m := range []rabta.Milestone{
		{Kind: rabta.MilestoneFIR, Date: "2026-02-14", Details: "FIR registered at ANF Police Station Karachi"},
		{Kind: rabta.MilestoneSeizure, Date: "2026-02-15", Quantity: 42.5, Unit: "kg heroin", Details: "in a consignment of surgical goods, East Wharf"},
		{Kind: rabta.MilestoneArrest, Date: "2026-02-16", Quantity: 3, Unit: "persons", Details: "clearing agent and two drivers"},
		{Kind: rabta.MilestoneAssetsFrozen, Date: "2026-03-02", Amount: 18_500_000, Currency: "PKR", Details: "front company's accounts"},
	} {
		if err := s.AddMilestone(ctx, anfInv, c.ID, &m); err != nil {
			return fmt.Errorf("demo: milestone: %w", err)
		}
	}
	if err := s.AddTask(ctx, anfInv, c.ID, &rabta.Task{Title: "Match the consignees' NTNs against the customs declarations", Assignee: "customs.investigator", Due: "2026-12-15"}); err != nil {
		return fmt.Errorf("demo: task: %w", err)
	}

	// FIA asks ANF for a record it sees only as a pointer.
	var target string
	for _, r := range ds.batch("anf.analyst") {
		if r.Schema == "Person" && r.Marking.Release == rabta.ReleaseOriginator && !r.Marking.Protected() && !r.Marking.Has(rabta.CatInformant) &&
			anfSup.Clearance.Covers(r.Marking.Classification) {
			target = r.ID
			break
		}
	}
	now := time.Now()
	if target != "" {
		req := &rabta.Request{Type: rabta.RequestAccess, To: "ANF", Urgency: rabta.UrgencyPriority, Deadline: now.Add(72 * time.Hour),
			Justification: "Same mobile number as a migrant-smuggling facilitator in FIA's Gujranwala investigation",
			Subjects:      rabta.Subjects{Records: []string{target}}}
		if err := s.CreateRequest(ctx, fiaAn, req); err != nil {
			return fmt.Errorf("demo: request: %w", err)
		}
		sum.Examples = append(sum.Examples, Example{Username: "anf.supervisor", Query: "/requests/" + req.ID, Note: "FIA's access request waiting for approval"})
	}
	rfi := &rabta.Request{Type: rabta.RequestRFI, To: "FMU", Deadline: now.Add(7 * 24 * time.Hour),
		Justification: "Suspicious transaction reports on the clearing agent's accounts since 2025", Subjects: rabta.Subjects{Selectors: []string{"front company accounts"}}}
	if err := s.CreateRequest(ctx, anfInv, rfi); err != nil {
		return fmt.Errorf("demo: rfi: %w", err)
	}
	if _, err := s.ReplyRequest(ctx, principals["fmu.supervisor"], rfi.ID, rabta.Reply{Body: "Two STRs filed in 2025 on the clearing agent's accounts; disseminated to ANF under reference FMU/D/2026/114.", Classification: rabta.Confidential}, true); err != nil {
		return fmt.Errorf("demo: rfi answer: %w", err)
	}

	// Two operations at Port Qasim tomorrow morning: a conflict.
	tomorrow := time.Date(now.In(rabta.PKT).Year(), now.In(rabta.PKT).Month(), now.In(rabta.PKT).Day()+1, 5, 0, 0, 0, rabta.PKT)
	ops := []struct {
		p  rabta.Principal
		op rabta.Operation
	}{
		{anfInv, rabta.Operation{Type: rabta.OpRaid, Title: "Warehouse of the front company, Port Qasim industrial area", Lat: 24.7801, Lon: 67.3456, RadiusM: 400,
			Start: tomorrow, End: tomorrow.Add(4 * time.Hour), Contact: rabta.OpContact{Name: "ANF raid commander (demo)", Phone: "+92 21 5550210"}}},
		{customsInv, rabta.Operation{Type: rabta.OpControlledDelivery, Title: "Container follow-up from East Wharf", Lat: 24.7772, Lon: 67.3490, RadiusM: 600,
			Start: tomorrow.Add(2 * time.Hour), End: tomorrow.Add(8 * time.Hour), Contact: rabta.OpContact{Name: "Customs surveillance lead (demo)", Phone: "+92 21 5550410"}}},
	}
	for _, o := range ops {
		if err := s.CreateOperation(ctx, o.p, &o.op); err != nil {
			return fmt.Errorf("demo: operation: %w", err)
		}
	}
	sum.Examples = append(sum.Examples,
		Example{Username: "anf.investigator", Query: "/cases/" + c.ID, Note: fmt.Sprintf("a joint ANF–Customs case with %d records, milestones and a task", attached)},
		Example{Username: "customs.supervisor", Query: "/conflicts", Note: "an operation conflict with ANF at Port Qasim tomorrow morning"})
	return nil
}

// batch returns the records imported by user.
func (ds *Dataset) batch(user string) []*rabta.Record {
	var out []*rabta.Record
	for _, bt := range ds.Batches {
		if bt.Username == user {
			out = append(out, bt.Records...)
		}
	}
	return out
}
