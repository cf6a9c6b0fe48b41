package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
)

// TestCasesAPI drives a joint case over HTTP: FIA opens it, adds an ANF
// investigator, attaches its records, which the ANF member then sees in
// full while ANF's other analysts see pointers; measures over the case and
// a chart saved to it; an attachment uploaded and downloaded; a milestone;
// the coordinator's figures.
func TestCasesAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *sqlstore.Store) {
		for _, a := range []string{"FIA", "ANF", "MOI"} {
			addAgency(t, s, a)
		}
		addUser(t, s, "fia.investigator", "FIA", rabta.Secret, rabta.RoleInvestigator)
		addUser(t, s, "anf.investigator", "ANF", rabta.Secret, rabta.RoleInvestigator)
		addUser(t, s, "anf.analyst", "ANF", rabta.Secret, rabta.RoleAnalyst)
		addUser(t, s, "moi.coordinator", "MOI", rabta.Secret, rabta.RoleCoordinator)
		ts := httptest.NewServer(server.New(s, testConfig))
		defer ts.Close()
		fia, anfInv, anf, coord := login(t, ts.URL, "fia.investigator"), login(t, ts.URL, "anf.investigator"), login(t, ts.URL, "anf.analyst"), login(t, ts.URL, "moi.coordinator")

		marking := map[string]any{"release": "originator", "handling": "P", "classification": "restricted"}
		var ids []string
		for _, name := range []string{"Boss Karim", "Lieutenant Javed", "Courier Sajid"} {
			var rec struct{ ID string }
			fia.json("POST", "/api/v1/records", map[string]any{"schema": "Person", "properties": map[string][]string{"name": {name}}, "marking": marking}, 201, &rec)
			ids = append(ids, rec.ID)
		}
		for i, pair := range [][2]int{{0, 1}, {1, 2}} {
			var link struct{ ID string }
			fia.json("POST", "/api/v1/records", map[string]any{"schema": "Associate", "marking": marking,
				"properties": map[string][]string{"person": {ids[pair[0]]}, "associate": {ids[pair[1]]}, "relationship": {"link " + string(rune('a'+i))}}}, 201, &link)
			ids = append(ids, link.ID) // links are attached too: they are records with their own marking
		}

		var c rabta.Case
		fia.json("POST", "/api/v1/cases", map[string]any{"title": "Karim network", "offences": []string{"CNSA-9", "AMLA-3"}}, 201, &c)
		if c.ID == "" || c.Lead != "FIA" || c.Status != rabta.CaseOpen {
			t.Fatalf("created case %+v", c)
		}
		if st, body := fia.do("POST", "/api/v1/cases", map[string]any{"title": "x", "offences": []string{"PPC-0"}}); st != 400 || !strings.Contains(string(body), "offences[0]") {
			t.Fatalf("unknown offence: %d %s", st, body)
		}
		if st, _ := anfInv.do("GET", "/api/v1/cases/"+c.ID, nil); st != 404 {
			t.Fatalf("a non-member reads the case: %d", st)
		}
		fia.json("POST", "/api/v1/cases/"+c.ID+"/members", map[string]string{"username": "anf.investigator", "role": "member"}, 200, nil)
		for _, id := range ids {
			fia.json("POST", "/api/v1/cases/"+c.ID+"/records", map[string]string{"id": id}, 200, nil)
		}
		var got rabta.Case
		anfInv.json("GET", "/api/v1/cases/"+c.ID, nil, 200, &got)
		if !got.Joint || len(got.Records) != 5 || got.Records[0].Caption == "" {
			t.Fatalf("case as the ANF member sees it: %+v", got)
		}
		var rec map[string]any
		anfInv.json("GET", "/api/v1/records/"+ids[0], nil, 200, &rec)
		if st, _ := anf.do("GET", "/api/v1/records/"+ids[0], nil); st != 403 {
			t.Fatalf("ANF non-member: %d, want the pointer's 403", st)
		}

		// Measures and communities over the case.
		var an struct {
			Report struct {
				Nodes int `json:"nodes"`
				Top   map[string][]struct {
					Node  string
					Value float64
				} `json:"top"`
			} `json:"report"`
		}
		anfInv.json("POST", "/api/v1/network/analysis", map[string]any{"case": c.ID, "measures": []string{"betweenness", "communities"}}, 200, &an)
		if an.Report.Nodes != 3 || an.Report.Top["betweenness"][0].Node != ids[1] {
			t.Fatalf("analysis over the case: %+v", an.Report)
		}
		if st, _ := anf.do("POST", "/api/v1/network/analysis", map[string]any{"case": c.ID}); st != 404 {
			t.Fatalf("analysis over a case by a non-member: %d", st)
		}

		// A chart saved to the case: the ANF member finds it and its title.
		nodes := []map[string]any{{"id": ids[0], "x": 0, "y": 0}, {"id": ids[1], "x": 10, "y": 0}}
		var saved struct{ ID string }
		fia.json("POST", "/api/v1/charts", map[string]any{"title": "Karim's cell", "nodes": nodes, "case": c.ID}, 201, &saved)
		var list struct{ Charts []sqlstore.ChartSummary }
		anfInv.json("GET", "/api/v1/charts", nil, 200, &list)
		if len(list.Charts) != 1 || list.Charts[0].Title != "Karim's cell" || list.Charts[0].Case != c.ID {
			t.Fatalf("charts of the ANF member: %+v", list.Charts)
		}
		anf.json("GET", "/api/v1/charts", nil, 200, &list)
		if len(list.Charts) != 0 {
			t.Fatalf("charts of an ANF non-member: %+v", list.Charts)
		}
		if st, _ := anf.do("POST", "/api/v1/charts", map[string]any{"title": "x", "nodes": nodes, "case": c.ID}); st != 400 {
			t.Fatalf("saving to a case one is not in: %d", st)
		}
		anfInv.json("POST", "/api/v1/network/analysis", map[string]any{"chart": saved.ID, "measures": []string{"degree"}}, 200, &an)
		if an.Report.Nodes != 2 {
			t.Fatalf("analysis over the chart: %+v", an.Report)
		}

		// Milestone, attachment.
		today := time.Now().In(rabta.PKT).Format("2006-01-02")
		fia.json("POST", "/api/v1/cases/"+c.ID+"/milestones", map[string]any{"kind": "seizure", "date": today, "quantity": 40, "unit": "kg hashish"}, 200, nil)
		if st, body := fia.do("POST", "/api/v1/cases/"+c.ID+"/milestones", map[string]any{"kind": "seizure", "date": today}); st != 400 || !strings.Contains(string(body), "quantity") {
			t.Fatalf("seizure without quantity: %d %s", st, body)
		}
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("classification", "restricted")
		fw, _ := mw.CreateFormFile("file", "seizure-memo.txt")
		fw.Write([]byte("Seizure memo: 40 kg at Chaman"))
		mw.Close()
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/cases/"+c.ID+"/attachments", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+fia.token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var at rabta.Attachment
		json.NewDecoder(res.Body).Decode(&at)
		res.Body.Close()
		if res.StatusCode != 201 || at.SHA256 == "" || at.Size != 29 {
			t.Fatalf("upload: %d %+v", res.StatusCode, at)
		}
		st, body := anfInv.do("GET", "/api/v1/cases/"+c.ID+"/attachments/"+at.ID, nil)
		if st != 200 || string(body) != "Seizure memo: 40 kg at Chaman" {
			t.Fatalf("download: %d %q", st, body)
		}
		if st, _ := anf.do("GET", "/api/v1/cases/"+c.ID+"/attachments/"+at.ID, nil); st != 404 {
			t.Fatalf("download by a non-member: %d", st)
		}

		// Figures: the coordinator only.
		if st, _ := fia.do("GET", "/api/v1/figures/cooperation", nil); st != 403 {
			t.Fatalf("figures for an investigator: %d", st)
		}
		var figs struct{ Figures []sqlstore.CoopFigures }
		coord.json("GET", "/api/v1/figures/cooperation", nil, 200, &figs)
		joint := 0
		for _, f := range figs.Figures {
			joint += f.JointCasesOpened
		}
		if joint != 2 { // one joint case, counted for FIA and for ANF
			t.Fatalf("figures: %+v", figs.Figures)
		}
		// A lead who leaves the case is told it worked (204), then no
		// longer sees it.
		fia.json("POST", "/api/v1/cases/"+c.ID+"/members", map[string]string{"username": "anf.investigator", "role": "lead"}, 200, nil)
		if st, body := anfInv.do("DELETE", "/api/v1/cases/"+c.ID+"/members/anf.investigator", nil); st != 204 {
			t.Fatalf("leaving the case: %d %s", st, body)
		}
		if st, _ := anfInv.do("GET", "/api/v1/cases/"+c.ID, nil); st != 404 {
			t.Fatalf("the case after leaving it: %d", st)
		}

		var offences struct{ Offences []struct{ Code string } }
		fia.json("GET", "/api/v1/offences", nil, 200, &offences)
		if !slices.ContainsFunc(offences.Offences, func(o struct{ Code string }) bool { return o.Code == "PTPA-3" }) {
			t.Fatalf("offence catalogue: %d entries", len(offences.Offences))
		}
		_ = io.Discard
	})
}
