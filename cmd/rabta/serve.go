package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/demo"
	"github.com/rabta/rabta/mail"
	"github.com/rabta/rabta/offence"
	"github.com/rabta/rabta/resolve"
	"github.com/rabta/rabta/screen"
	"github.com/rabta/rabta/server"
	"github.com/rabta/rabta/sqlstore"
	"github.com/rabta/rabta/webhook"
)

func serveCmd(g *globals) *cobra.Command {
	var addr, logFormat, tlsCert, tlsKey, smtpURL, offencesFile string
	var withDemo bool
	var webhookEvery, backgroundEvery time.Duration
	var zones resolve.Zones
	var cfg server.Config
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the platform (web UI and API)",
		Long: `Applies pending migrations and serves the web UI and the API.

With --demo it loads the synthetic demo into an empty database first and
lets the demo accounts sign in without a second factor. Never use --demo
with real data.

Several instances may serve one PostgreSQL database: they share nothing
but the database.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if zones.Review <= 0 || zones.Review >= zones.Threshold || zones.Threshold >= 1 {
				return fmt.Errorf("--review-threshold %v and --match-threshold %v: want 0 < review < match < 1", zones.Review, zones.Threshold)
			}

			var h slog.Handler = slog.NewTextHandler(os.Stderr, nil)
			if logFormat == "json" {
				h = slog.NewJSONHandler(os.Stderr, nil)
			}
			log := slog.New(h)
			s, err := g.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			if withDemo {
				if err := loadDemoIfEmpty(ctx, s, cmd); err != nil {
					return err
				}
			}
			cfg.Demo, cfg.Version, cfg.Logger = withDemo, version, log
			srv := server.New(s, cfg)
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
				WriteTimeout: 10 * time.Minute, IdleTimeout: 2 * time.Minute}
			scheme := "http"
			if tlsCert != "" {
				scheme = "https"
			}
			log.Info("rabta serving", "url", fmt.Sprintf("%s://%s/", scheme, ln.Addr()), "database", s.Dialect().String(), "demo", withDemo, "version", version)
			if offencesFile != "" {
				cat, err := loadOffences(offencesFile)
				if err != nil {
					return err
				}
				s.SetOffences(cat)
			}
			sender := &webhook.Sender{}
			if smtpURL != "" {
				mc, err := mail.ParseURL(smtpURL)
				if err != nil {
					return err
				}
				sender.Mail = &mc
				log.Info("notifications by e-mail", "smtp", mc.String())
			}
			go webhook.Run(ctx, s, sender, webhookEvery, log)
			go screenLoop(ctx, s, &screen.Cache{}, backgroundEvery, log)
			go resolve.Start(ctx, s, zones, backgroundEvery, log)
			errc := make(chan error, 1)
			go func() {
				if tlsCert != "" {
					errc <- hs.ServeTLS(ln, tlsCert, tlsKey)
				} else {
					errc <- hs.Serve(ln)
				}
			}()
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
			}
			log.Info("shutting down")
			shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.DurationVar(&webhookEvery, "webhook-interval", 10*time.Second, "how often due webhook and e-mail deliveries are sent")
	f.StringVar(&offencesFile, "offences", "", "CSV of further offences (code,law,section,title) added to the built-in catalogue of Pakistani law")
	f.StringVar(&smtpURL, "smtp", "", "SMTP server for agencies' notification e-mail: smtp://user:pass@host:587?from=rabta@example.org (STARTTLS), smtps://…:465, or smtp+insecure://127.0.0.1:25?from=… for a local relay")
	f.DurationVar(&backgroundEvery, "background-interval", 5*time.Second, "how often new records are screened against sanctions lists and resolved into profiles")
	f.Float64Var(&zones.Threshold, "match-threshold", resolve.Threshold, "match probability at or above which two records join one profile")
	f.Float64Var(&zones.Review, "review-threshold", resolve.Review, "match probability from which a pair goes to the analysts' review queue")
	f.BoolVar(&withDemo, "demo", false, "load the synthetic demo and allow demo sign-ins (never with real data)")
	f.BoolVar(&cfg.SecureCookies, "secure-cookies", false, "mark cookies Secure (set this behind a TLS-terminating proxy)")
	f.BoolVar(&cfg.TrustProxy, "trust-proxy", false, "take the client address from X-Forwarded-For (only behind a proxy that sets it)")
	f.DurationVar(&cfg.SessionTTL, "session-ttl", 12*time.Hour, "how long a sign-in lasts at most")
	f.DurationVar(&cfg.SessionIdle, "session-idle", 30*time.Minute, "sign out a session unused for this long")
	f.StringVar(&logFormat, "log-format", "text", "log format: text or json")
	f.StringVar(&tlsCert, "tls-cert", "", "TLS certificate file (serve HTTPS directly)")
	f.StringVar(&tlsKey, "tls-key", "", "TLS key file")
	return c
}

func loadDemoIfEmpty(ctx context.Context, s *sqlstore.Store, cmd *cobra.Command) error {
	sum, err := demo.Load(ctx, s)
	switch {
	case rabta.ErrorCode(err) == rabta.EConflict:
		fmt.Fprintln(cmd.ErrOrStderr(), "demo data already loaded")
	case err != nil:
		return fmt.Errorf("loading the demo: %w", err)
	default:
		fmt.Fprintln(cmd.ErrOrStderr(), sum)
	}
	printDemoWarning(cmd)
	return nil
}

func printDemoWarning(cmd *cobra.Command) {
	w := cmd.ErrOrStderr()
	fmt.Fprintln(w, "")
	fmt.Fprintln(w, "  ************************************************************************")
	fmt.Fprintln(w, "  *  DEMO MODE: synthetic data, well-known passwords, no second factor.  *")
	fmt.Fprintln(w, "  *  Never use --demo with real data or on a network others can reach. *")
	fmt.Fprintln(w, "  ************************************************************************")
	fmt.Fprintf(w, "  Demo accounts (password %q): %s\n", demo.Password, "admin, auditor, and <agency>.<role>, e.g.")
	fmt.Fprintln(w, "    fia.analyst, fia.supervisor, anf.analyst, fmu.analyst, customs.investigator,")
	fmt.Fprintln(w, "    punjab-police.protection, ngo-shelter.protection, moi.coordinator")
	fmt.Fprintln(w, "")
}

// loadOffences merges an extension file into the built-in offence catalogue.
func loadOffences(path string) (*offence.Catalogue, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ext, err := offence.Load(f, path)
	if err != nil {
		return nil, err
	}
	cat := offence.Builtin()
	return cat, cat.Merge(ext)
}
