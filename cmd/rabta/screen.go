package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rabta/rabta/dates"
	"github.com/rabta/rabta/match"
	"github.com/rabta/rabta/names"
	"github.com/rabta/rabta/sanctions"
	"github.com/rabta/rabta/screen"
	"github.com/rabta/rabta/tabular"
)

// defaultMinScore is where `rabta screen` stops listing candidates unless
// --min-score says otherwise. On the UN-list benchmark (docs/benchmarks.md)
// it keeps about nine in ten of the correct first candidates; a missed
// listed person costs more than a candidate an analyst dismisses.
const defaultMinScore = 0.3

func screenCmd() *cobra.Command {
	var (
		list, name, birthDate, nationality, schema string
		aliases                                    []string
		in, id, out, variants                      string
		maps                                       []string
		top                                        int
		minScore                                   float64
		asJSON, quiet                              bool
	)
	c := &cobra.Command{
		Use:   "screen --list FILE (--name NAME | --in FILE --id COL --map COL=PROP ...)",
		Short: "Screen people and organisations against a sanctions list (UN Security Council consolidated list format)",
		Long: `screen looks people and organisations up in a sanctions list: the UN Security Council
consolidated list XML, or a national list in the same shape. Every name of every entry
is searched — primary name, original script, aliases of either quality, former names —
so a name in Urdu or Arabic script finds a Latin entry and the reverse.

One subject: --name (with --alias, --birth-date, --nationality, --schema to narrow it
down) prints the best candidates as a table, or with --json as
  {"query":{...},"candidates":[{"list_id":"QDi.123","name":"...","matched":"...","score":0.93}]}
where name is the entry's primary name and matched the name of it that matched.

Many subjects: --in reads a delimited file (CSV, TSV, ; or |, with a header row) whose
columns are mapped to properties with --map COLUMN=PROPERTY, as for rabta link. Used:
name, firstName/middleName/lastName (joined into one more name), alias, birthDate,
nationality, schema (person or organization); other properties are accepted and ignored.
The result (to --out, or standard output) is the CSV
  query,rank,list_id,name,score
with one row per candidate, query being the row's --id value.

Scores lie in [0, 1]: how well the names agree, weighted by how rare the agreeing words
are in the list (so "Muhammad Khan" alone is weak evidence), then raised or lowered by
agreeing or contradicting birth dates and nationalities. Candidates below --min-score
(default 0.3) are not listed; --min-score 0 lists the --top best whatever their score.`,
		Example: `  rabta screen --list UN_consolidated.xml --name "Hafiz Muhammad Saeed" --birth-date 1950-06-05
  rabta screen --list UN_consolidated.xml --name "حافظ محمد سعید" --json
  rabta screen --list UN_consolidated.xml --in customers.csv --id ref --map full_name=name \
    --map dob=birthDate --map country=nationality --out hits.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if list == "" {
				return errors.New("--list FILE is required (the UN Security Council consolidated list XML, or a list in its shape)")
			}
			batch := in != ""
			switch {
			case batch && cmd.Flags().Changed("name"):
				return errors.New("give either --name (one subject) or --in (a file of subjects), not both")
			case !batch && (id != "" || len(maps) > 0 || out != ""):
				return errors.New("--id, --map and --out go with --in FILE")
			case !batch && !cmd.Flags().Changed("name"):
				return errors.New("give --name NAME to screen one subject, or --in FILE --id COL --map COL=PROP ... to screen many")
			case batch && asJSON:
				return errors.New("--json is for one subject; --in writes CSV")
			}
			if minScore < 0 || minScore > 1 {
				return fmt.Errorf("--min-score %v: want a score between 0 and 1", minScore)
			}
			if top == 0 {
				top = 10
				if batch {
					top = 5
				}
			}
			if top < 0 {
				return fmt.Errorf("--top %d: want a positive number", top)
			}
			start := time.Now()
			say := func(format string, a ...any) {
				if !quiet && batch {
					fmt.Fprintf(cmd.ErrOrStderr(), "%6.1fs  "+format+"\n", append([]any{time.Since(start).Seconds()}, a...)...)
				}
			}
			var opts screen.Options
			if variants != "" {
				opts.Dictionary = screen.NewDictionary()
				if err := opts.Dictionary.LoadFile(variants); err != nil {
					return err
				}
			}
			// Check the queries before reading the (slower) list, so that
			// a mistake in them is reported at once.
			var q screen.Query
			if !batch {
				q = screen.Query{Name: strings.TrimSpace(name), Aliases: aliases, BirthDate: strings.TrimSpace(birthDate),
					Nationality: strings.TrimSpace(nationality), Schema: strings.TrimSpace(schema)}
				if err := checkQuery(q, "--name", "--birth-date", "--schema"); err != nil {
					return err
				}
			}
			var rows []tabular.Row
			var qs []screen.Query
			if batch {
				if id == "" {
					return errors.New("--id COLUMN is required with --in")
				}
				cols, err := tabular.ParseMap(maps, match.ValidProp, match.Props)
				if err != nil {
					return err
				}
				if rows, err = tabular.ReadFile(in, tabular.Mapping{ID: id, Columns: cols}); err != nil {
					return err
				}
				qs = make([]screen.Query, len(rows))
				for i, r := range rows {
					if qs[i], err = rowQuery(in, r); err != nil {
						return err
					}
				}
				say("read %s: %d subjects", in, len(rows))
			}
			l, err := sanctions.ReadFile(list)
			if err != nil {
				return fmt.Errorf("--list: %w", err)
			}
			ix := screen.New(l, opts)
			say("indexed %s: %d entries, %d names", list, ix.Len(), ix.Names())

			if !batch {
				cs := keep(ix.Screen(q, top), minScore)
				if asJSON {
					return writeScreenJSON(cmd.OutOrStdout(), q, cs)
				}
				return writeScreenTable(cmd.OutOrStdout(), q, cs, minScore)
			}

			results := screenAll(ix, qs, top, minScore)
			hits := 0
			for _, cs := range results {
				if len(cs) > 0 {
					hits++
				}
			}
			say("screened %d subjects: %d with candidates at or above %.2f", len(qs), hits, minScore)
			return writeCSV(cmd, out, func(w *csv.Writer) error {
				if err := w.Write([]string{"query", "rank", "list_id", "name", "score"}); err != nil {
					return err
				}
				for i, cs := range results {
					for k, c := range cs {
						if err := w.Write([]string{rows[i].ID, strconv.Itoa(k + 1), c.ListID, c.Name, formatScore(c.Score)}); err != nil {
							return err
						}
					}
				}
				return nil
			})
		},
	}
	f := c.Flags()
	f.StringVar(&list, "list", "", "the sanctions list: UN Security Council consolidated list XML, or a list in its shape (required)")
	f.StringVar(&name, "name", "", "the name to screen (any script)")
	f.StringArrayVar(&aliases, "alias", nil, "another name of the same subject (repeatable)")
	f.StringVar(&birthDate, "birth-date", "", "birth date in any common format (1971-06-24, 24/06/1971, 1971)")
	f.StringVar(&nationality, "nationality", "", "nationality: code, country or adjective (PK, Pakistan, Pakistani); several separated by ;")
	f.StringVar(&schema, "schema", "", "person or organization (default: both)")
	f.StringVar(&in, "in", "", "screen every row of this CSV/TSV file")
	f.StringVar(&id, "id", "", "with --in: the column holding each row's identifier")
	f.StringArrayVar(&maps, "map", nil, "with --in: COLUMN=PROPERTY (repeatable, or comma-separated)")
	f.StringVar(&out, "out", "", "with --in: write the results to this CSV file (default standard output)")
	f.IntVar(&top, "top", 0, "candidates per subject (default 10, or 5 with --in)")
	f.Float64Var(&minScore, "min-score", defaultMinScore, "leave out candidates scoring below this")
	f.BoolVar(&asJSON, "json", false, "print the result as JSON")
	f.StringVar(&variants, "variants", "", "file of extra name-variant groups (one group per line, canonical form first)")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress on standard error")
	return c
}

// blankDate holds what forms write in a birth-date field that has none.
var blankDate = map[string]bool{"": true, "-": true, "--": true, "?": true, "n/a": true, "na": true, "nil": true,
	"none": true, "unknown": true, "not known": true}

// checkQuery reports a query that cannot be screened: no name, or a birth
// date dates.Parse cannot read. The arguments name the fields in errors.
func checkQuery(q screen.Query, nameField, dateField, schemaField string) error {
	if len(names.Tokens(q.Name)) == 0 {
		hasAlias := false
		for _, a := range q.Aliases {
			hasAlias = hasAlias || len(names.Tokens(a)) > 0
		}
		if !hasAlias {
			if strings.TrimSpace(q.Name) == "" {
				return fmt.Errorf("%s is empty: nothing to screen", nameField)
			}
			return fmt.Errorf("%s %q has no letters or digits: nothing to screen", nameField, q.Name)
		}
	}
	if !blankDate[strings.ToLower(q.BirthDate)] {
		if _, ok := dates.Parse(q.BirthDate); !ok {
			return fmt.Errorf("%s %q is not a date this program can read (try 1971-06-24, 24/06/1971 or 1971)", dateField, q.BirthDate)
		}
	}
	switch strings.ToLower(q.Schema) {
	case "", "person", "individual", "organization", "organisation", "company", "entity", "legalentity":
	default:
		return fmt.Errorf("%s %q: want person or organization", schemaField, q.Schema)
	}
	return nil
}

// rowQuery turns one row of the --in file into a query. Its errors name
// the file and line.
func rowQuery(file string, r tabular.Row) (screen.Query, error) {
	v := r.Values
	var q screen.Query
	for _, s := range v["name"] {
		if q.Name == "" {
			q.Name = s
		} else {
			q.Aliases = append(q.Aliases, s)
		}
	}
	var parts []string
	for _, p := range []string{"firstName", "middleName", "lastName"} {
		parts = append(parts, v[p]...)
	}
	if joined := strings.Join(parts, " "); joined != "" {
		if q.Name == "" {
			q.Name = joined
		} else {
			q.Aliases = append(q.Aliases, joined)
		}
	}
	for _, s := range v["alias"] {
		if q.Name == "" {
			q.Name = s
		} else {
			q.Aliases = append(q.Aliases, s)
		}
	}
	for _, s := range v["birthDate"] {
		if blankDate[strings.ToLower(s)] {
			continue
		}
		if _, ok := dates.Parse(s); !ok {
			return q, fmt.Errorf("%s:%d: birthDate %q is not a date this program can read (try 1971-06-24, 24/06/1971 or 1971)", file, r.Line, s)
		}
		if q.BirthDate == "" {
			q.BirthDate = s
		}
	}
	q.Nationality = strings.Join(v["nationality"], ";")
	if len(v["schema"]) > 0 {
		q.Schema = v["schema"][0]
	}
	if q.Name == "" {
		return q, fmt.Errorf("%s:%d: no name to screen (the columns mapped to name, firstName, middleName, lastName and alias are empty)", file, r.Line)
	}
	if err := checkQuery(q, "name", "birthDate", "schema"); err != nil {
		return q, fmt.Errorf("%s:%d: %w", file, r.Line, err)
	}
	return q, nil
}

// screenAll screens the queries on every core, keeping their order.
func screenAll(ix *screen.Index, qs []screen.Query, top int, minScore float64) [][]screen.Candidate {
	out := make([][]screen.Candidate, len(qs))
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= len(qs) {
					return
				}
				out[k] = keep(ix.Screen(qs[k], top), minScore)
			}
		})
	}
	wg.Wait()
	return out
}

// keep drops the candidates scoring below min (they come best first).
func keep(cs []screen.Candidate, min float64) []screen.Candidate {
	for i, c := range cs {
		if c.Score < min {
			return cs[:i]
		}
	}
	return cs
}

func formatScore(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) }

func writeScreenJSON(w io.Writer, q screen.Query, cs []screen.Candidate) error {
	if cs == nil {
		cs = []screen.Candidate{}
	}
	b, err := json.MarshalIndent(struct {
		Query      screen.Query       `json:"query"`
		Candidates []screen.Candidate `json:"candidates"`
	}{q, cs}, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func writeScreenTable(w io.Writer, q screen.Query, cs []screen.Candidate, minScore float64) error {
	if len(cs) == 0 {
		_, err := fmt.Fprintf(w, "no candidates scoring %.2f or more for %q\n", minScore, q.Name)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RANK\tSCORE\tLIST ID\tNAME\tMATCHED\tWHY")
	for i, c := range cs {
		matched := c.Matched
		if matched == c.Name {
			matched = "(primary name)"
		}
		fmt.Fprintf(tw, "%d\t%.3f\t%s\t%s\t%s\t%s\n", i+1, c.Score, c.ListID, c.Name, matched, c.Evidence())
	}
	return tw.Flush()
}
