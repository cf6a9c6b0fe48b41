package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/cdr"
	"github.com/rabta/rabta/demo"
	"github.com/rabta/rabta/ftm"
	"github.com/rabta/rabta/sanctions"
	"github.com/rabta/rabta/sqlstore"
)

func importCmd(g *globals) *cobra.Command {
	var (
		agency, username, format string
		d                        ftm.Defaults
		cdrMap                   []string
		timezone                 string
		release, classification  string
		relAgencies, categories  []string
		handling, conditions     string
		gradingSystem, gradeStr  string
	)
	c := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import records (FollowTheMoney JSON lines) for an agency",
		Long: `Imports FollowTheMoney entities, one JSON object per line, as records of an
agency. Each file is imported whole or not at all: a bad line stops the file
with an error naming the file, line and field, and nothing of it is kept.

With --format cdr each FILE is a call detail record export (CSV, TSV, ; or |
separated, with a header): A-number, B-number, start time, duration,
direction, cell id, IMEI. Common column names are recognised; others are
mapped with --map COLUMN=FIELD (fields: ` + strings.Join(cdr.Fields, ", ") + `).
Numbers become E.164; each number becomes a Phone record of the agency and
each call a Call link between two phones, with its time and duration. Calls
and phones the agency already holds (overlapping exports) are skipped, and
rows whose other party is a service code or sender name are reported, not
imported.

With --format un-sc each FILE is a sanctions list in the UN Security
Council consolidated list's XML (or a national list in its shape). It
becomes the current version of its list, public to every agency; earlier
versions stay as history, and every person and organisation on the
platform is screened against it again.

Lines may carry Rabta's own keys (marking, grading, provenance,
subject_category, basis, review_date); lines without them get the marking
and grading given here. Records keep their ids, and may refer to records
earlier in the file, later in the file, or already in the database.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "ftm" && format != "un-sc" && format != "cdr" {
				return fmt.Errorf("--format %q: want ftm (FollowTheMoney JSON lines), cdr (call detail records, CSV) or un-sc (UN Security Council consolidated list XML)", format)
			}
			if len(cdrMap) > 0 && format != "cdr" {
				return fmt.Errorf("--map is for --format cdr")
			}
			ctx := cmd.Context()
			s, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if format == "un-sc" {
				return importSanctions(cmd, s, args)
			}
			if agency == "" {
				return fmt.Errorf("--agency is required: records are imported for one agency")
			}
			p, err := actingPrincipal(cmd, s, agency, username)
			if err != nil {
				return err
			}
			d.Marking = rabta.Marking{Release: rabta.Release(release), Agencies: relAgencies, Handling: handling, Conditions: conditions, Classification: rabta.Classification(classification)}
			for _, c := range categories {
				d.Marking.Categories = append(d.Marking.Categories, rabta.Category(c))
			}
			if err := d.Marking.Normalize(); err != nil {
				return fmt.Errorf("default %v", err)
			}
			if gradeStr != "" {
				d.Grading, err = parseGrade(gradingSystem, gradeStr)
				if err != nil {
					return err
				}
			}
			if format == "cdr" {
				m, err := cdr.ParseMap(cdrMap)
				if err != nil {
					return err
				}
				loc, err := parseZone(timezone)
				if err != nil {
					return err
				}
				for _, path := range args {
					if err := importCDR(cmd, s, p, path, d, cdr.Options{Map: m, Location: loc}); err != nil {
						return err
					}
				}
				return nil
			}
			total := 0
			for _, path := range args {
				n, dur, err := importFile(cmd, s, p, path, d)
				if err != nil {
					return err
				}
				total += n
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d records imported in %s (%.0f records/s)\n", path, n, dur.Round(time.Millisecond), float64(n)/dur.Seconds())
			}
			if len(args) > 1 {
				fmt.Fprintf(cmd.OutOrStdout(), "%d records imported from %d files\n", total, len(args))
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&agency, "agency", "", "agency the records belong to (required)")
	f.StringVar(&username, "user", "", "import as this user of the agency (logged as the author); default: the command-line operator")
	f.StringVar(&format, "format", "ftm", "input format: ftm (FollowTheMoney JSON lines), cdr (call detail records, CSV) or un-sc (UN Security Council consolidated list XML)")
	f.StringArrayVar(&cdrMap, "map", nil, "with --format cdr: COLUMN=FIELD for a column whose name is not recognised (repeatable)")
	f.StringVar(&timezone, "timezone", "+05:00", "with --format cdr: zone of times written without one (±HH:MM or an IANA name)")
	f.StringVar(&release, "release", "originator", "default release: originator, agencies, all, public")
	f.StringSliceVar(&relAgencies, "release-to", nil, "with --release agencies: the agencies")
	f.StringVar(&handling, "handling", "P", "default handling code: P or C")
	f.StringVar(&conditions, "conditions", "", "handling conditions (with --handling C)")
	f.StringVar(&classification, "classification", "restricted", "default classification")
	f.StringSliceVar(&categories, "categories", nil, "default special categories: victim, witness, minor, informant")
	f.StringVar(&gradingSystem, "grading-system", "3x5x2", "grading system of --grade")
	f.StringVar(&gradeStr, "grade", "", "default grading, e.g. 2B-P (3x5x2: source, intelligence, handling); empty = ungraded")
	return c
}

// parseGrade reads a compact grading such as "1A", "2B-P" or "B3-1".
func parseGrade(system, s string) (rabta.Grading, error) {
	parts := strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return r == '-' || r == ' ' || r == '/' })
	g := rabta.Grading{System: system}
	if len(parts) == 0 || len(parts[0]) != 2 {
		return g, fmt.Errorf("--grade %q: expected e.g. 2B or 2B-P", s)
	}
	g.Source, g.Intelligence = parts[0][:1], parts[0][1:]
	if len(parts) > 1 {
		g.Handling = parts[1]
	}
	if err := g.Normalize(); err != nil {
		return g, fmt.Errorf("--grade: %v", err)
	}
	return g, nil
}

// actingPrincipal is the named user (who must belong to the agency) or the
// command-line operator for the agency.
func actingPrincipal(cmd *cobra.Command, s *sqlstore.Store, agency, username string) (rabta.Principal, error) {
	if _, err := s.Agency(cmd.Context(), agency); err != nil {
		return rabta.Principal{}, err
	}
	if username == "" {
		return cliPrincipal(agency), nil
	}
	u, _, err := s.UserByName(cmd.Context(), username)
	if err != nil {
		return rabta.Principal{}, err
	}
	if !strings.EqualFold(u.Agency, agency) {
		return rabta.Principal{}, fmt.Errorf("user %s belongs to %s, not %s", u.Username, u.Agency, strings.ToUpper(agency))
	}
	if u.Disabled {
		return rabta.Principal{}, fmt.Errorf("user %s is disabled", u.Username)
	}
	return rabta.PrincipalOf(u), nil
}

// countingReader counts bytes read, for the progress bar.
type countingReader struct {
	r   io.Reader
	bar *progressbar.ProgressBar
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.bar.Add(n)
	return n, err
}

func importFile(cmd *cobra.Command, s *sqlstore.Store, p rabta.Principal, path string, d ftm.Defaults) (int, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var in io.Reader = f
	if st, err := f.Stat(); err == nil && term.IsTerminal(int(os.Stderr.Fd())) {
		bar := progressbar.DefaultBytes(st.Size(), "importing "+filepath.Base(path))
		defer bar.Finish()
		in = &countingReader{r: f, bar: bar}
	}
	rd := ftm.NewReader(bufio.NewReaderSize(in, 1<<20), path, d)
	start := time.Now()
	n, err := s.Import(cmd.Context(), p, rd.Next, sqlstore.ImportOptions{
		Where: func() string { return fmt.Sprintf("%s:%d", path, rd.Line()) },
	})
	if err != nil {
		return 0, 0, fmt.Errorf("%w (nothing from %s was imported)", err, path)
	}
	return n, time.Since(start), nil
}

// importCDR imports one call-record export in one transaction.
func importCDR(cmd *cobra.Command, s *sqlstore.Store, p rabta.Principal, path string, d ftm.Defaults, opt cdr.Options) error {
	// Two passes: the first finds each subscriber's handsets, which go on
	// its Phone record before any call is written.
	open := func() (*cdr.Reader, func() error, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		rd, err := cdr.NewReader(bufio.NewReaderSize(f, 1<<20), path, opt)
		if err != nil {
			f.Close()
			return nil, nil, err
		}
		return rd, f.Close, nil
	}
	rd, closeFile, err := open()
	if err != nil {
		return err
	}
	handsets, err := cdr.Handsets(rd)
	closeFile()
	if err != nil {
		return err
	}
	rd, closeFile, err = open()
	if err != nil {
		return err
	}
	defer closeFile()
	source := "CDR " + filepath.Base(path)
	recs := cdr.NewRecords(rd, p.Agency, handsets, func(r *rabta.Record) {
		r.Marking = d.Marking
		r.Marking.Agencies = slices.Clone(d.Marking.Agencies)
		r.Marking.Categories = slices.Clone(d.Marking.Categories)
		r.Grading = d.Grading
		r.Provenance.SourceReport = source
	})
	start := time.Now()
	n, err := s.Import(cmd.Context(), p, recs.Next, sqlstore.ImportOptions{
		Where:        func() string { return fmt.Sprintf("%s:%d", path, recs.Line) },
		SkipExisting: true,
	})
	if err != nil {
		return fmt.Errorf("%w (nothing from %s was imported)", err, path)
	}
	skipped, nskip := rd.Skipped()
	for _, w := range skipped {
		fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
	}
	if nskip > len(skipped) {
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: … and %d more rows skipped\n", nskip-len(skipped))
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %d calls read, %d records imported in %s (already held: %d); %d rows skipped\n",
		path, recs.Calls(), n, time.Since(start).Round(time.Millisecond), recs.Records()-n, nskip)
	return nil
}

// parseZone reads ±HH:MM or an IANA zone name.
func parseZone(s string) (*time.Location, error) {
	if t, err := time.Parse("-07:00", s); err == nil {
		_, off := t.Zone()
		return time.FixedZone(s, off), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("--timezone %q: want ±HH:MM (e.g. +05:00) or a zone name (e.g. Asia/Karachi)", s)
	}
	return loc, nil
}

func exportCmd(g *globals) *cobra.Command {
	var username, out string
	c := &cobra.Command{
		Use:   "export",
		Short: "Export the records a user sees in full (FollowTheMoney JSON lines)",
		Long: `Writes every record the named user may see in full, as FollowTheMoney JSON
lines with Rabta's marking, grading and provenance. Records the user sees only
as pointers are left out. The export is logged under the user's name.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			s, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			u, _, err := s.UserByName(ctx, username)
			if err != nil {
				return err
			}
			if u.Disabled {
				return fmt.Errorf("user %s is disabled", u.Username)
			}
			w := cmd.OutOrStdout()
			var file *os.File
			if out != "" && out != "-" {
				if file, err = os.Create(out); err != nil {
					return err
				}
				defer file.Close()
				w = file
			}
			bw := bufio.NewWriterSize(w, 1<<20)
			ctx = sqlstore.WithRequest(ctx, sqlstore.Request{Purpose: "command-line export", Client: "cli"})
			n, err := s.Export(ctx, rabta.PrincipalOf(u), func(r *rabta.Record) error { return ftm.Encode(bw, r) })
			if err != nil {
				return err
			}
			if err := bw.Flush(); err != nil {
				return err
			}
			if file != nil {
				if err := file.Close(); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%d records exported\n", n)
			return nil
		},
	}
	c.Flags().StringVar(&username, "user", "", "export what this user sees (required)")
	c.Flags().StringVarP(&out, "out", "o", "-", "output file (- for standard output)")
	c.MarkFlagRequired("user")
	return c
}

func demoCmd(g *globals) *cobra.Command {
	c := &cobra.Command{
		Use:   "demo",
		Short: "Load the synthetic demo into the database",
		Long: `Loads Rabta's deterministic synthetic demo — agencies, one user per agency and
role (password "demo"), and a few thousand records forming three criminal
networks — into an empty database. Demo accounts have no second factor; sign
in with them only on a server started with --demo.`,
		Args: cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			sum, err := demo.Load(cmd.Context(), s)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), sum)
			printDemoWarning(cmd)
			return nil
		}),
	}
	var out string
	cdrCmd := &cobra.Command{
		Use:   "cdr",
		Short: "Write a synthetic call detail record export for a demo phone",
		Long: `Writes an operator-style CSV of call detail records for the demo's busiest
phone (one ANF holds in the heroin ring), with the noise real exports carry.
Import it as another agency to see the calls join the network and raise hits:

  rabta demo cdr -o calls.csv
  rabta import --format cdr calls.csv --agency FIA`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			var f *os.File
			if out != "-" {
				var err error
				if f, err = os.Create(out); err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			subject, err := demo.CDR(w)
			if err != nil {
				return err
			}
			if f != nil {
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: call records of %s (synthetic)\n", out, subject)
			}
			return nil
		},
	}
	cdrCmd.Flags().StringVarP(&out, "out", "o", "-", "output file (- for standard output)")
	c.AddCommand(cdrCmd)
	return c
}

// importSanctions loads sanctions lists as the new current versions.
func importSanctions(cmd *cobra.Command, s *sqlstore.Store, paths []string) error {
	for _, path := range paths {
		l, err := sanctions.ReadFile(path)
		if err != nil {
			return err
		}
		res, err := s.LoadSanctionsList(cmd.Context(), sqlstore.System, l)
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: list %s version %d: %d entries (%d added, %d removed, %d changed)\n",
			path, l.Source, res.Version, res.Entries, res.Added, res.Removed, res.Changed)
	}
	return nil
}
