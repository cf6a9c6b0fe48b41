package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/rabta/rabta/graph"
	"github.com/rabta/rabta/graph/graphfile"
)

// graphInput is how every graph subcommand reads its FILE.
type graphInput struct {
	directed, weighted bool
	format             string
}

func (in *graphInput) flags(c *cobra.Command) {
	c.Flags().BoolVar(&in.directed, "directed", false, "treat edges as directed (files that declare direction — GraphML, GEXF, Pajek arcs — are directed when they say so)")
	c.Flags().BoolVar(&in.weighted, "weighted", false, "use edge weights: as distances for paths, betweenness and closeness; as strengths for degree, PageRank, eigenvector and communities")
	c.Flags().StringVar(&in.format, "format", "", "input format: edgelist, matrix (UCINET), graphml, gexf, pajek; default: from the name and content")
}

func (in *graphInput) read(cmd *cobra.Command, path string) (*graph.Graph, error) {
	res, err := graphfile.Read(path, graphfile.Options{Directed: in.directed, Weighted: in.weighted, Format: in.format})
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
	}
	return res.Graph, nil
}

func graphCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "graph",
		Short: "Analyse a network file: measures, disruption, paths, communities, conversion",
		Long: `Network analysis on a file, without a database: edge lists (CSV, TSV or
whitespace; optional header; optional third weight column), labelled
adjacency matrices as UCINET exports them, GraphML, GEXF and Pajek .net.
Node ids are the labels as given. A pair listed twice keeps the last weight;
self-loops are dropped with a warning.

Measures follow networkx's definitions and normalisations (see
docs/architecture.md, "Network analysis"); ties are broken by the order nodes
first appear in the file.`,
	}
	c.AddCommand(graphMetricsCmd(), graphDisruptCmd(), graphPathCmd(), graphCommunitiesCmd(), graphExportCmd())
	return c
}

func graphMetricsCmd() *cobra.Command {
	var (
		in       graphInput
		list     []string
		top      int
		asJSON   bool
		resol    float64
		seed     uint64
		iters    int
		cutsFlag bool
	)
	c := &cobra.Command{
		Use:   "metrics FILE",
		Short: "Size, components, density, communities and the top nodes by each centrality",
		Long: `Prints the network's size, components, density, communities with their
modularity, and the top nodes by degree, betweenness, closeness, PageRank and
eigenvector centrality. --measures computes only those named; besides the
default ones, strength (weighted degree), kcore (core number), clustering
(local clustering coefficient) and cuts (articulation points and bridges) are
available. --json prints the contract:
{"nodes","edges","components","largest_component","density","communities",
"modularity","top":{"degree":[{"node","value"}],…}} plus "timings_ms".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var want []string
			for _, m := range list {
				want = append(want, strings.TrimSpace(strings.ToLower(m)))
			}
			if err := graph.CheckReportItems(want); err != nil {
				return fmt.Errorf("--measures %v", err)
			}
			if cutsFlag {
				if len(want) == 0 {
					want = slices.Clone(graph.DefaultReport)
				}
				want = append(want, "cuts")
			}
			if top <= 0 {
				return fmt.Errorf("--top must be at least 1")
			}
			if iters < 0 {
				return fmt.Errorf("--iterations must not be negative")
			}
			g, err := in.read(cmd, args[0])
			if err != nil {
				return err
			}
			rep, err := graph.Analyse(g, graph.ReportOptions{Measures: want, Top: top, Resolution: resol, Seed: seed, Iterations: iters})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), rep)
			}
			if len(want) == 0 {
				want = graph.DefaultReport
			}
			printMetrics(cmd.OutOrStdout(), rep, want)
			return nil
		},
	}
	in.flags(c)
	c.Flags().StringSliceVar(&list, "measures", nil, "compute only these: "+strings.Join(graph.ReportItems(), ", "))
	c.Flags().IntVar(&top, "top", 10, "how many top nodes to list per measure")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	c.Flags().Float64Var(&resol, "resolution", 1, "modularity resolution for communities (above 1: smaller communities)")
	c.Flags().Uint64Var(&seed, "seed", 1, "seed for community detection (same seed, same communities)")
	c.Flags().IntVar(&iters, "iterations", 0, "Leiden iterations for communities (0: until nothing changes; igraph's default is 2)")
	c.Flags().BoolVar(&cutsFlag, "cuts", false, "also list articulation points and bridges")
	return c
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func printMetrics(w io.Writer, r *graph.Report, order []string) {
	kind := "undirected"
	if r.Directed {
		kind = "directed"
	}
	if r.Weighted {
		kind += ", weighted"
	}
	fmt.Fprintf(w, "%d nodes, %d edges (%s); density %.4f\n", r.Nodes, r.Edges, kind, r.Density)
	fmt.Fprintf(w, "%d components; the largest has %d nodes\n", r.Components, r.LargestComponent)
	if r.Communities != nil {
		fmt.Fprintf(w, "%d communities, modularity %.4f\n", *r.Communities, *r.Modularity)
	}
	if r.Articulation != nil {
		fmt.Fprintf(w, "articulation points (%d): %s\n", len(r.Articulation), strings.Join(r.Articulation, ", "))
		var bs []string
		for _, b := range r.Bridges {
			bs = append(bs, b[0]+" – "+b[1])
		}
		fmt.Fprintf(w, "bridges (%d): %s\n", len(r.Bridges), strings.Join(bs, "; "))
	}
	for _, name := range order {
		if msg, ok := r.Errors[name]; ok {
			fmt.Fprintf(w, "\n%s: %s\n", name, msg)
			continue
		}
		list, ok := r.Top[name]
		if !ok {
			continue
		}
		fmt.Fprintf(w, "\ntop by %s\n", name)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for i, x := range list {
			fmt.Fprintf(tw, "  %d\t%s\t%.6g\n", i+1, x.Node, x.Value)
		}
		tw.Flush()
	}
}

func graphDisruptCmd() *cobra.Command {
	var (
		in             graphInput
		by, mode       string
		blockSize, max int
		asJSON         bool
	)
	c := &cobra.Command{
		Use:   "disrupt FILE",
		Short: "Simulate arrests: remove the top nodes by a measure and follow the largest component",
		Long: `Removes nodes in order of a centrality — one at a time, recomputing the
measure on what remains after each removal (--mode sequential), or in blocks of
--block-size nodes (--mode block) — and reports the size of the largest
connected component after each step. Without --steps it runs until five or
fewer nodes remain. Ties go to the node that appears first in the file.
--json prints {"by","mode","removed":[…],"largest_component":[n0,n1,…],
"fraction":[1.0,…]} where fraction[k] is the largest component after k steps
divided by the one before any removal.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(graph.Centralities, by) {
				return fmt.Errorf("--by %q: want betweenness, degree, closeness, pagerank or eigenvector", by)
			}
			opt := graph.DisruptOptions{BlockSize: blockSize, Steps: max}
			switch mode {
			case "sequential":
				opt.Mode = graph.Sequential
			case "block":
				opt.Mode = graph.Block
			default:
				return fmt.Errorf("--mode %q: want sequential or block", mode)
			}
			if blockSize < 1 {
				return fmt.Errorf("--block-size must be at least 1")
			}
			if max < 0 {
				return fmt.Errorf("--steps must not be negative")
			}
			g, err := in.read(cmd, args[0])
			if err != nil {
				return err
			}
			res, err := graph.DisruptBy(g, by, opt)
			if err != nil {
				return fmt.Errorf("--by %s: %w", by, err)
			}
			removed := []string{}
			for _, v := range res.Removed {
				removed = append(removed, g.Label(v))
			}
			out := struct {
				By       string    `json:"by"`
				Mode     string    `json:"mode"`
				Block    int       `json:"block_size,omitempty"`
				Removed  []string  `json:"removed"`
				Largest  []int     `json:"largest_component"`
				Fraction []float64 `json:"fraction"`
			}{by, mode, 0, removed, res.Largest, res.Fraction}
			if opt.Mode == graph.Block {
				out.Block = blockSize
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "removing by %s (%s): largest component %d before any removal\n", by, mode, res.Largest[0])
			per := 1
			if opt.Mode == graph.Block {
				per = blockSize
			}
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "step\tremoved\tlargest\tfraction")
			for k := 1; k < len(res.Largest); k++ {
				lo, hi := (k-1)*per, min(k*per, len(removed))
				fmt.Fprintf(tw, "%d\t%s\t%d\t%.3f\n", k, strings.Join(removed[lo:hi], ", "), res.Largest[k], res.Fraction[k])
			}
			return tw.Flush()
		},
	}
	in.flags(c)
	c.Flags().StringVar(&by, "by", "betweenness", "measure to remove by: betweenness, degree, closeness, pagerank, eigenvector")
	c.Flags().StringVar(&mode, "mode", "sequential", "sequential (recompute after every removal) or block")
	c.Flags().IntVar(&blockSize, "block-size", 5, "nodes removed per step with --mode block")
	c.Flags().IntVar(&max, "steps", 0, "number of steps (0: until five or fewer nodes remain)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func graphPathCmd() *cobra.Command {
	var (
		in     graphInput
		limit  int
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "path FILE A B",
		Short: "All shortest paths between two nodes",
		Long: `Lists every shortest path from node A to node B (up to --max), fewest links
first or, with --weighted, the smallest total weight (weights as distances).
Directed graphs follow edge directions.`,
		Args: cobra.ExactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 1 {
				return fmt.Errorf("--max must be at least 1")
			}
			g, err := in.read(cmd, args[0])
			if err != nil {
				return err
			}
			var ends [2]int32
			for i, label := range args[1:] {
				v, ok := g.ID(label)
				if !ok {
					return fmt.Errorf("no node %q in %s", label, args[0])
				}
				ends[i] = v
			}
			paths, dist := graph.ShortestPaths(g, ends[0], ends[1], limit)
			out := struct {
				From     string     `json:"from"`
				To       string     `json:"to"`
				Distance *float64   `json:"distance"` // null when unreachable
				Paths    [][]string `json:"paths"`
			}{From: args[1], To: args[2], Paths: [][]string{}}
			for _, p := range paths {
				var labels []string
				for _, v := range p {
					labels = append(labels, g.Label(v))
				}
				out.Paths = append(out.Paths, labels)
			}
			if len(paths) > 0 {
				out.Distance = &dist
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			if len(paths) == 0 {
				fmt.Fprintf(w, "no path from %s to %s\n", args[1], args[2])
				return nil
			}
			fmt.Fprintf(w, "distance %g; %d shortest path(s)\n", dist, len(paths))
			for _, p := range out.Paths {
				fmt.Fprintln(w, "  "+strings.Join(p, " → "))
			}
			return nil
		},
	}
	in.flags(c)
	c.Flags().IntVar(&limit, "max", 100, "list at most this many paths")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func graphCommunitiesCmd() *cobra.Command {
	var (
		in     graphInput
		resol  float64
		seed   uint64
		iters  int
		asJSON bool
	)
	c := &cobra.Command{
		Use:   "communities FILE",
		Short: "Communities (Leiden, maximising modularity) and their members",
		Long: `Finds communities with the Leiden algorithm maximising modularity (weights as
strengths with --weighted; the undirected view of a directed graph). Every
community is connected. The same file, options and --seed give the same
communities. Communities are numbered from 0 in order of their first node in
the file.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := in.read(cmd, args[0])
			if err != nil {
				return err
			}
			if iters < 0 {
				return fmt.Errorf("--iterations must not be negative")
			}
			memb := graph.Leiden(g, graph.CommunityOptions{Resolution: resol, Seed: seed, Iterations: iters})
			type community struct {
				ID      int      `json:"id"`
				Size    int      `json:"size"`
				Members []string `json:"members"`
			}
			k := 0
			for _, c := range memb {
				k = max(k, int(c)+1)
			}
			cs := make([]community, k)
			for i := range cs {
				cs[i] = community{ID: i, Members: []string{}}
			}
			for v, c := range memb {
				cs[c].Members = append(cs[c].Members, g.Label(int32(v)))
				cs[c].Size++
			}
			out := struct {
				Modularity  float64     `json:"modularity"`
				Communities []community `json:"communities"`
			}{graph.Modularity(g, memb, resol), cs}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%d communities, modularity %.4f\n", len(cs), out.Modularity)
			for _, c := range cs {
				fmt.Fprintf(w, "  %d (%d): %s\n", c.ID, c.Size, strings.Join(c.Members, ", "))
			}
			return nil
		},
	}
	in.flags(c)
	c.Flags().Float64Var(&resol, "resolution", 1, "modularity resolution (above 1: smaller communities)")
	c.Flags().Uint64Var(&seed, "seed", 1, "seed (same seed, same communities)")
	c.Flags().IntVar(&iters, "iterations", 0, "Leiden iterations (0: until nothing changes; igraph's default is 2)")
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func graphExportCmd() *cobra.Command {
	var (
		in       graphInput
		to, out  string
		withList []string
		seed     uint64
	)
	c := &cobra.Command{
		Use:   "export FILE --to graphml|gexf|csv",
		Short: "Convert a network file, optionally with measures and communities as node attributes",
		Long: `Writes the network as GraphML, GEXF (for Gephi) or a CSV edge list. --with adds
node attributes to GraphML and GEXF: any of the measures of "graph metrics"
and "communities".`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if to != graphfile.FormatGraphML && to != graphfile.FormatGEXF && to != graphfile.FormatCSV {
				return fmt.Errorf("--to %q: want graphml, gexf or csv", to)
			}
			g, err := in.read(cmd, args[0])
			if err != nil {
				return err
			}
			attrs := map[string][]float64{}
			groups := map[string][]int32{}
			for _, name := range withList {
				name = strings.TrimSpace(strings.ToLower(name))
				if name == "communities" || name == "community" {
					groups["community"] = graph.Leiden(g, graph.CommunityOptions{Seed: seed})
					continue
				}
				m, ok := graph.MeasureByName(name)
				if !ok {
					return fmt.Errorf("--with %q: want some of %s, communities", name, strings.Join(graph.MeasureNames(), ", "))
				}
				if attrs[name], err = m.Compute(g); err != nil {
					return fmt.Errorf("--with %s: %w", name, err)
				}
			}
			w := cmd.OutOrStdout()
			var f *os.File
			if out != "-" {
				if f, err = os.Create(out); err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			if err := graphfile.Write(w, g, to, attrs, groups); err != nil {
				return err
			}
			if f != nil {
				return f.Close()
			}
			return nil
		},
	}
	in.flags(c)
	c.Flags().StringVar(&to, "to", "", "output format: graphml, gexf or csv (required)")
	c.Flags().StringVarP(&out, "out", "o", "-", "output file (- for standard output)")
	c.Flags().StringSliceVar(&withList, "with", nil, "node attributes to add: measures and/or communities")
	c.Flags().Uint64Var(&seed, "seed", 1, "seed for communities")
	c.MarkFlagRequired("to")
	return c
}
