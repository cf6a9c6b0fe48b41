// Command rabta runs the Rabta platform and administers it: serve, migrate,
// demo, user, agency, import, export, audit and version.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // --timezone names work on machines without a zone database

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/names"
	"github.com/rabta/rabta/sqlstore"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "rabta:", err)
		var ve *sqlstore.VerifyError
		if errors.As(err, &ve) {
			os.Exit(3)
		}
		os.Exit(1)
	}
}

type globals struct {
	db           string
	auditKeyFile string
	indexKeyFile string
	nameVariants string
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "rabta",
		Short: "Rabta: intelligence sharing, deconfliction and joint work against organised crime",
		Long: `Rabta is the platform on which agencies share intelligence under handling rules,
learn when they work on the same people, and run joint cases.

Every flag can also be set by an environment variable: RABTA_ and the flag
name in capitals with dashes as underscores (--db → RABTA_DB).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := bindEnv(cmd); err != nil {
				return err
			}
			if g.nameVariants != "" {
				return names.ExtendDefault(g.nameVariants)
			}
			return nil
		},
	}
	root.PersistentFlags().StringVar(&g.db, "db", "rabta.db", "database: a SQLite file path or a postgres:// URL")
	root.PersistentFlags().StringVar(&g.auditKeyFile, "audit-key-file", "", "file holding the audit chain's HMAC key (at least 32 bytes); or set RABTA_AUDIT_KEY")
	root.PersistentFlags().StringVar(&g.indexKeyFile, "index-key-file", "", "file holding the hit/no-hit index's HMAC key (at least 32 bytes); or set RABTA_INDEX_KEY")
	root.PersistentFlags().StringVar(&g.nameVariants, "name-variants", "", "file of extra name-variant groups for the whole platform (one group per line, canonical form first)")
	root.AddCommand(serveCmd(g), migrateCmd(g), demoCmd(g), userCmd(g), agencyCmd(g), importCmd(g), exportCmd(g), auditCmd(g), linkCmd(), screenCmd(), graphCmd(), indexCmd(g), versionCmd())
	return root
}

// bindEnv sets every flag the user did not give from its RABTA_ variable.
func bindEnv(cmd *cobra.Command) error {
	var err error
	set := func(f *pflag.Flag) {
		if f.Changed || err != nil {
			return
		}
		name := "RABTA_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, e)
			}
			f.Changed = true
		}
	}
	cmd.Flags().VisitAll(set)
	cmd.InheritedFlags().VisitAll(set)
	return err
}

// open opens and migrates the database.
func (g *globals) open(ctx context.Context) (*sqlstore.Store, error) {
	s, err := g.connect(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// connect opens the database with the audit key, if one is configured.
func (g *globals) connect(ctx context.Context) (*sqlstore.Store, error) {
	key := []byte(os.Getenv("RABTA_AUDIT_KEY"))
	if g.auditKeyFile != "" {
		b, err := os.ReadFile(g.auditKeyFile)
		if err != nil {
			return nil, fmt.Errorf("audit key: %w", err)
		}
		key = []byte(strings.TrimSpace(string(b)))
	}
	indexKey := []byte(os.Getenv("RABTA_INDEX_KEY"))
	if g.indexKeyFile != "" {
		b, err := os.ReadFile(g.indexKeyFile)
		if err != nil {
			return nil, fmt.Errorf("index key: %w", err)
		}
		indexKey = []byte(strings.TrimSpace(string(b)))
	}
	s, err := sqlstore.Open(ctx, g.db)
	if err != nil {
		return nil, err
	}
	if len(key) > 0 {
		if err := s.SetAuditKey(key); err != nil {
			s.Close()
			return nil, err
		}
	}
	if len(indexKey) > 0 {
		if err := s.SetIndexKey(indexKey); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func migrateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "database %s is up to date\n", s.Dialect())
			return nil
		}),
	}
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "rabta", version)
		},
	}
}

func auditCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "audit", Short: "Work with the audit log"}
	c.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "Verify the hash chain of the audit log",
		Long: `Walks the whole audit log and checks every event's hash and its link to the
event before it. Exits 0 printing the event count when the chain is intact;
exits 3 naming the first bad event when any row was altered, removed or
reordered.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !sqlstore.IsPostgres(g.db) {
				if _, err := os.Stat(g.db); err != nil {
					return fmt.Errorf("no database at %s: %w", g.db, err)
				}
			}
			s, err := g.connect(cmd.Context())
			if err != nil {
				return err
			}
			defer s.Close()
			n, err := s.VerifyAudit(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "audit chain intact: %d events\n", n)
			return nil
		},
	})
	return c
}

// cliPrincipal is who the command line acts as when no user is named: an
// operator of the given agency, logged under a name that says so.
func cliPrincipal(agency string) rabta.Principal {
	who := os.Getenv("USER")
	if who == "" {
		who = "operator"
	}
	return rabta.Principal{Username: "cli:" + who, Agency: strings.ToUpper(agency), Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
}

// withStore adapts a command body that needs the (migrated) database.
func (g *globals) withStore(fn func(cmd *cobra.Command, s *sqlstore.Store, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := g.open(cmd.Context())
		if err != nil {
			return err
		}
		defer s.Close()
		return fn(cmd, s, args)
	}
}
