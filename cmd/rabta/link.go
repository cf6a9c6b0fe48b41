package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"

	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/rabta/rabta/match"
	"github.com/rabta/rabta/names"
	"github.com/rabta/rabta/tabular"
)

func linkCmd() *cobra.Command {
	var (
		id, out, clusters, variants, modelOut string
		maps                                  []string
		threshold                             float64
		explain, quiet                        bool
		maxBlock                              int
	)
	c := &cobra.Command{
		Use:   "link FILE...",
		Short: "Find records that are the same person or organisation, in one file or across several",
		Long: `link reads delimited text files (CSV, TSV, ; or |, with a header row) and finds the
records that describe the same subject: one file is deduplicated, several are linked
across files and within them.

Columns are mapped to properties with --map COLUMN=PROPERTY (repeatable; several
columns may map to one property; columns absent from a file are skipped). Properties:
  ` + wrapProps() + `

Records are named <file name without extension>:<id>. Pairs whose match probability
reaches --threshold are written as left,right,score (score is the probability); with
--explain a fourth column says what each feature added or removed, in bits. Clusters
are written as record,cluster for every record; the cluster is named after its first
record. Model parameters are estimated from the data itself (Fellegi–Sunter with EM),
so no training labels are needed.`,
		Example: `  rabta link people.csv --id id --map first=firstName --map last=lastName --map dob=birthDate --clusters clusters.csv
  rabta link fia.csv anf.csv --id ref --map name=name --map father=fatherName --map cnic=idNumber --out pairs.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			if id == "" {
				return fmt.Errorf("--id COLUMN is required")
			}
			if threshold <= 0 || threshold >= 1 {
				return fmt.Errorf("--threshold %v: want a probability between 0 and 1", threshold)
			}
			cols, err := tabular.ParseMap(maps, match.ValidProp, match.Props)
			if err != nil {
				return err
			}
			dict := names.Default()
			if variants != "" {
				dict = names.NewDictionary()
				if err := dict.LoadFile(variants); err != nil {
					return err
				}
			}
			start := time.Now()
			say := func(format string, a ...any) {
				if !quiet {
					fmt.Fprintf(cmd.ErrOrStderr(), "%6.1fs  "+format+"\n", append([]any{time.Since(start).Seconds()}, a...)...)
				}
			}
			var recs []match.Record
			var labels []string
			for src, f := range files {
				rows, err := tabular.ReadFile(f, tabular.Mapping{ID: id, Columns: cols})
				if err != nil {
					return err
				}
				base := tabular.Base(f)
				for _, r := range rows {
					recs = append(recs, match.Record{ID: r.ID, Source: src, Values: r.Values})
					labels = append(labels, base+":"+r.ID)
				}
				say("read %s: %d records", f, len(rows))
			}
			seen := map[string]bool{}
			for _, l := range labels {
				if seen[l] {
					return fmt.Errorf("record %q appears in two files of the same name", l)
				}
				seen[l] = true
			}
			last := ""
			res, err := match.Run(recs, match.Options{
				Threshold:  threshold,
				MaxBlock:   maxBlock,
				Dictionary: dict,
				Explain:    explain,
				Progress: func(stage string, done, total int) {
					if stage != last && done == total {
						say("%s done", stage)
						last = stage
					}
				},
			})
			if err != nil {
				return err
			}
			say("%d records, %d candidate pairs, %d matches, %d for review", res.Stats.Records, res.Stats.Candidates, len(res.Matches), len(res.Review))

			if err := writeCSV(cmd, out, func(w *csv.Writer) error {
				head := []string{"left", "right", "score"}
				if explain {
					head = append(head, "explanation")
				}
				if err := w.Write(head); err != nil {
					return err
				}
				for _, p := range res.Matches {
					row := []string{labels[p.A], labels[p.B], strconv.FormatFloat(p.Probability, 'f', 6, 64)}
					if explain {
						row = append(row, p.Explanation)
					}
					if err := w.Write(row); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				return err
			}
			if modelOut != "" {
				b, err := json.MarshalIndent(res.Model, "", "  ")
				if err != nil {
					return err
				}
				if err := os.WriteFile(modelOut, append(b, '\n'), 0o644); err != nil {
					return err
				}
			}
			if clusters != "" {
				if err := writeCSV(cmd, clusters, func(w *csv.Writer) error {
					if err := w.Write([]string{"record", "cluster"}); err != nil {
						return err
					}
					for i, c := range res.Cluster {
						if err := w.Write([]string{labels[i], labels[c]}); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					return err
				}
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&id, "id", "", "column holding each record's identifier (required)")
	f.StringArrayVar(&maps, "map", nil, "COLUMN=PROPERTY (repeatable, or comma-separated)")
	f.Float64Var(&threshold, "threshold", 0.5, "match probability at or above which a pair is a match")
	f.StringVar(&out, "out", "", "write matched pairs to this CSV file (default standard output)")
	f.StringVar(&clusters, "clusters", "", "write every record's cluster to this CSV file")
	f.BoolVar(&explain, "explain", false, "add an explanation column to the pairs")
	f.StringVar(&variants, "variants", "", "file of extra name-variant groups (one group per line, canonical form first)")
	f.IntVar(&maxBlock, "max-block", 200, "blocks larger than this are hubs and make no candidates")
	f.StringVar(&modelOut, "model", "", "write the estimated model (m, u and weight of every feature level) to this JSON file")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress on standard error")
	return c
}

func wrapProps() string {
	s, n := "", 0
	for i, p := range match.Props {
		if i > 0 {
			s += ", "
			n += 2
		}
		if n+len(p) > 78 {
			s += "\n  "
			n = 0
		}
		s += p
		n += len(p)
	}
	return s
}

// writeCSV writes to path, or to standard output when path is "" or "-".
// A file is written beside its final name and renamed into place, so a
// failed run never leaves half a result behind.
func writeCSV(cmd *cobra.Command, path string, fill func(w *csv.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriter(cmd.OutOrStdout())
		w := csv.NewWriter(bw)
		if err := fill(w); err != nil {
			return err
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}
	tmp, err := os.CreateTemp(dirOf(path), ".rabta-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<16)
	w := csv.NewWriter(bw)
	err = fill(w)
	w.Flush()
	if err == nil {
		err = w.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i+1]
		}
	}
	return "."
}
