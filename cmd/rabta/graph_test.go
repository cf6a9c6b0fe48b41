package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A bowtie: two triangles joined through c–d, with e hanging off d.
const bowtie = "source,target,weight\na,b,1\nb,c,1\na,c,1\nc,d,5\nd,e,1\nd,f,1\ne,f,1\nf,f,1\n"

func writeGraph(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGraphMetricsContract(t *testing.T) {
	file := writeGraph(t, "bowtie.csv", bowtie)
	out, err := run(t, "", "graph", "metrics", file, "--json", "--top", "2")
	if err != nil {
		t.Fatal(err, out)
	}
	js := out[strings.Index(out, "{"):]
	var rep struct {
		Nodes, Edges, Components int
		LargestComponent         int `json:"largest_component"`
		Density, Modularity      float64
		Communities              int
		Top                      map[string][]struct {
			Node  string
			Value float64
		}
	}
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatal(err, out)
	}
	var raw map[string]any
	json.Unmarshal([]byte(js), &raw)
	for _, k := range []string{"nodes", "edges", "components", "largest_component", "density", "communities", "modularity", "top"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q in %s", k, js)
		}
	}
	if rep.Nodes != 6 || rep.Edges != 7 || rep.Components != 1 || rep.LargestComponent != 6 || rep.Communities != 2 {
		t.Errorf("report = %+v", rep)
	}
	if !strings.Contains(out, `self-loop on "f" dropped`) {
		t.Errorf("no self-loop warning: %s", out)
	}
	for _, m := range []string{"degree", "betweenness", "closeness", "pagerank", "eigenvector"} {
		if len(rep.Top[m]) != 2 {
			t.Errorf("top %s = %v", m, rep.Top[m])
		}
	}
	// c and d carry every path between the triangles; c comes first in the file.
	if b := rep.Top["betweenness"]; b[0].Node != "c" || b[1].Node != "d" || math.Abs(b[0].Value-0.6) > 1e-12 {
		t.Errorf("betweenness top = %+v", b)
	}
	out, err = run(t, "", "graph", "metrics", file, "--json", "--measures", "degree", "--cuts")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `"betweenness"`) || strings.Contains(out, `"modularity"`) || !strings.Contains(out, `"articulation_points": [`) {
		t.Errorf("--measures degree --cuts: %s", out)
	}
	if out, err := run(t, "", "graph", "communities", file, "--iterations", "1", "--json"); err != nil || strings.Count(out, `"id"`) != 2 {
		t.Errorf("one Leiden iteration: %v %s", err, out)
	}
	if _, err := run(t, "", "graph", "metrics", file, "--iterations", "-1"); err == nil || !strings.Contains(err.Error(), "--iterations") {
		t.Errorf("negative iterations: %v", err)
	}
	if _, err := run(t, "", "graph", "metrics", file, "--measures", "fame"); err == nil || !strings.Contains(err.Error(), `--measures "fame"`) {
		t.Errorf("unknown measure: %v", err)
	}
}

func TestGraphDisruptContract(t *testing.T) {
	file := writeGraph(t, "bowtie.csv", bowtie)
	out, err := run(t, "", "graph", "disrupt", file, "--by", "betweenness", "--json")
	if err != nil {
		t.Fatal(err, out)
	}
	var res struct {
		By, Mode string
		Removed  []string
		Largest  []int `json:"largest_component"`
		Fraction []float64
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &res); err != nil {
		t.Fatal(err, out)
	}
	// Until five or fewer remain: removing c leaves 5 nodes, a–b and d–e–f.
	if res.By != "betweenness" || res.Mode != "sequential" || len(res.Removed) != 1 || res.Removed[0] != "c" ||
		len(res.Largest) != 2 || res.Largest[0] != 6 || res.Largest[1] != 3 || res.Fraction[0] != 1 || res.Fraction[1] != 0.5 {
		t.Errorf("disrupt = %+v", res)
	}
	out, err = run(t, "", "graph", "disrupt", file, "--by", "degree", "--mode", "block", "--block-size", "2", "--steps", "1", "--json")
	if err != nil || !strings.Contains(out, `"removed": [`) || !strings.Contains(out, `"c",`) || !strings.Contains(out, `"d"`) {
		t.Errorf("block: %v %s", err, out)
	}
	for _, args := range [][]string{{"--by", "luck"}, {"--mode", "random"}, {"--block-size", "0"}} {
		if _, err := run(t, "", append([]string{"graph", "disrupt", file}, args...)...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestGraphPathCommunitiesExport(t *testing.T) {
	file := writeGraph(t, "bowtie.csv", bowtie)
	out, err := run(t, "", "graph", "path", file, "a", "e", "--json")
	if err != nil || !strings.Contains(out, `"distance": 3`) || !strings.Contains(out, `"a",`) {
		t.Errorf("path: %v %s", err, out)
	}
	// With weights as distances the c–d link costs 5.
	out, err = run(t, "", "graph", "path", file, "a", "e", "--weighted")
	if err != nil || !strings.Contains(out, "distance 7") || !strings.Contains(out, "a → c → d → e") {
		t.Errorf("weighted path: %v %s", err, out)
	}
	if _, err := run(t, "", "graph", "path", file, "a", "zz"); err == nil || !strings.Contains(err.Error(), `no node "zz"`) {
		t.Errorf("unknown node: %v", err)
	}
	out, err = run(t, "", "graph", "communities", file, "--json")
	if err != nil || !strings.Contains(out, `"members": [`) || strings.Count(out, `"id"`) != 2 {
		t.Errorf("communities: %v %s", err, out)
	}
	dst := filepath.Join(t.TempDir(), "out.graphml")
	if out, err := run(t, "", "graph", "export", file, "--to", "graphml", "-o", dst, "--with", "betweenness,communities"); err != nil {
		t.Fatal(err, out)
	}
	xml, _ := os.ReadFile(dst)
	if !strings.Contains(string(xml), "betweenness") || !strings.Contains(string(xml), "community") {
		t.Errorf("export lacks attributes: %s", xml)
	}
	// The export reads back as the same graph.
	out, err = run(t, "", "graph", "metrics", dst, "--json", "--measures", "degree")
	if err != nil || !strings.Contains(out, `"nodes": 6`) || !strings.Contains(out, `"edges": 7`) {
		t.Errorf("re-read: %v %s", err, out)
	}
	bad := writeGraph(t, "bad.csv", "a,b,1\nb,c,x\n")
	if _, err := run(t, "", "graph", "metrics", bad, "--weighted"); err == nil || !strings.Contains(err.Error(), "bad.csv:2") {
		t.Errorf("bad weight: %v", err)
	}
}

// TestGraphKrebs checks the published figures through the command.
func TestGraphKrebs(t *testing.T) {
	const krebs = "../../../shared/data/networks/krebs_911/krebs62_lcc_clean_edgelist.csv"
	if _, err := os.Stat(krebs); err != nil {
		t.Skipf("SKIPPING: %s not found (see ../shared/data/networks)", krebs)
	}
	out, err := run(t, "", "graph", "metrics", krebs, "--json", "--top", "1", "--measures", "betweenness")
	if err != nil || !strings.Contains(out, `"node": "Mohamed Atta"`) || !strings.Contains(out, `"value": 0.587`) {
		t.Errorf("krebs: %v %s", err, out)
	}
}
