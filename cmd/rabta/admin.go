package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/auth"
	"github.com/rabta/rabta/sqlstore"
)

func agencyCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "agency", Short: "Add and list agencies"}
	var a rabta.Agency
	add := &cobra.Command{
		Use:   "add CODE",
		Short: "Add an agency",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			a.Code = args[0]
			if err := s.CreateAgency(cmd.Context(), cliPrincipal(""), &a); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "agency %s added\n", a.Code)
			return nil
		}),
	}
	add.Flags().StringVar(&a.Name, "name", "", "full name (required)")
	add.Flags().StringVar(&a.Contact.Desk, "desk", "", "contact desk shown in pointers and hits")
	add.Flags().StringVar(&a.Contact.Phone, "phone", "", "contact phone")
	add.Flags().StringVar(&a.Contact.Email, "email", "", "contact e-mail")
	add.Flags().BoolVar(&a.TOTPOptional, "totp-optional", false, "let this agency's users sign in without a second factor")
	list := &cobra.Command{
		Use:   "list",
		Short: "List agencies",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			as, err := s.Agencies(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tNAME\tDESK\tPHONE\tEMAIL")
			for _, a := range as {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Code, a.Name, a.Contact.Desk, a.Contact.Phone, a.Contact.Email)
			}
			return tw.Flush()
		}),
	}
	var upd struct {
		name, desk, phone, email string
		totpOptional             bool
		webhook, webhookSecret   string
		notifyMail               string
	}
	set := &cobra.Command{
		Use:   "set CODE",
		Short: "Change an agency's name, contact point or second-factor rule",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			a, err := s.Agency(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			f := cmd.Flags()
			u := sqlstore.AgencyUpdate{}
			if f.Changed("name") {
				u.Name = &upd.name
			}
			contact := a.Contact
			for flag, dst := range map[string]*string{"desk": &contact.Desk, "phone": &contact.Phone, "email": &contact.Email} {
				if f.Changed(flag) {
					*dst = map[string]string{"desk": upd.desk, "phone": upd.phone, "email": upd.email}[flag]
					u.Contact = &contact
				}
			}
			if f.Changed("totp-optional") {
				u.TOTPOptional = &upd.totpOptional
			}
			a, err = s.UpdateAgency(cmd.Context(), cliPrincipal(a.Code), a.Code, u)
			if err != nil {
				return err
			}
			if f.Changed("webhook") {
				url, secret := upd.webhook, ""
				if url == "none" {
					url = ""
				} else {
					if upd.webhookSecret == "" {
						return fmt.Errorf("--webhook needs --webhook-secret-file (at least 32 characters; the receiver verifies signatures with it)")
					}
					b, err := os.ReadFile(upd.webhookSecret)
					if err != nil {
						return err
					}
					secret = strings.TrimSpace(string(b))
				}
				if err := s.SetWebhook(cmd.Context(), cliPrincipal(a.Code), a.Code, url, secret); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "agency %s: webhook %s\n", a.Code, map[bool]string{true: "removed", false: url}[url == ""])
			}
			if f.Changed("notify-email") {
				addr := upd.notifyMail
				if addr == "none" {
					addr = ""
				}
				if err := s.SetAgencyMail(cmd.Context(), cliPrincipal(a.Code), a.Code, addr); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "agency %s: notification e-mail %s\n", a.Code, map[bool]string{true: "removed", false: addr}[addr == ""])
			}
			fmt.Fprintf(cmd.OutOrStdout(), "agency %s: %s; desk %q, phone %q, email %q; second factor optional: %v\n", a.Code, a.Name, a.Contact.Desk, a.Contact.Phone, a.Contact.Email, a.TOTPOptional)
			return nil
		}),
	}
	set.Flags().StringVar(&upd.name, "name", "", "full name")
	set.Flags().StringVar(&upd.desk, "desk", "", "contact desk")
	set.Flags().StringVar(&upd.phone, "phone", "", "contact phone")
	set.Flags().StringVar(&upd.email, "email", "", "contact e-mail")
	set.Flags().BoolVar(&upd.totpOptional, "totp-optional", false, "let this agency's users sign in without a second factor")
	set.Flags().StringVar(&upd.webhook, "webhook", "", "https URL that receives the agency's events (hits, requests, conflicts, tasks, grants), signed; \"none\" removes it")
	set.Flags().StringVar(&upd.webhookSecret, "webhook-secret-file", "", "file holding the webhook's signing secret")
	set.Flags().StringVar(&upd.notifyMail, "notify-email", "", "address that receives the agency's notifications by e-mail (needs serve --smtp); \"none\" removes it")
	c.AddCommand(add, set, list)
	return c
}

// readPassword reads a new password from standard input: one line when
// --password-stdin is given, else twice at a terminal prompt. Passwords are
// never taken as flags, which would leave them in shell history and ps.
func readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("no terminal to ask for the password: use --password-stdin")
	}
	fmt.Fprint(cmd.ErrOrStderr(), "New password: ")
	p1, err := term.ReadPassword(fd)
	fmt.Fprintln(cmd.ErrOrStderr())
	if err != nil {
		return "", err
	}
	fmt.Fprint(cmd.ErrOrStderr(), "Again: ")
	p2, err := term.ReadPassword(fd)
	fmt.Fprintln(cmd.ErrOrStderr())
	if err != nil {
		return "", err
	}
	if string(p1) != string(p2) {
		return "", fmt.Errorf("the passwords differ")
	}
	return string(p1), nil
}

// newPasswordHash reads a new password (see readPassword), checks it
// against the policy and returns its argon2id hash.
func newPasswordHash(cmd *cobra.Command, fromStdin bool) (string, error) {
	pw, err := readPassword(cmd, fromStdin)
	if err != nil {
		return "", err
	}
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return "", err
	}
	return auth.HashPassword(pw, auth.DefaultParams)
}

func userCmd(g *globals) *cobra.Command {
	c := &cobra.Command{Use: "user", Short: "Manage user accounts: add, passwd, disable, enable, totp, token, list"}
	var (
		u         rabta.User
		roles     []string
		clearance string
		pwStdin   bool
		noTOTP    bool
	)
	add := &cobra.Command{
		Use:   "add USERNAME",
		Short: "Add a user",
		Long: `Adds a user to an agency. The password is read from the terminal, or from
standard input with --password-stdin. Unless the agency has made the second
factor optional (or --no-totp is given), a TOTP secret is enrolled and its
otpauth:// URL printed once for the user's authenticator app.`,
		Args: cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			u.Username = args[0]
			for _, r := range roles {
				role, err := rabta.ParseRole(r)
				if err != nil {
					return err
				}
				u.Roles = append(u.Roles, role)
			}
			u.Clearance = rabta.Classification(clearance)
			u.Agency = strings.ToUpper(u.Agency)
			if err := u.Validate(); err != nil {
				return err
			}
			agency, err := s.Agency(cmd.Context(), u.Agency)
			if err != nil {
				return err
			}
			hash, err := newPasswordHash(cmd, pwStdin)
			if err != nil {
				return err
			}
			if err := s.CreateUser(cmd.Context(), cliPrincipal(u.Agency), &u, hash); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "user %s added to %s\n", u.Username, u.Agency)
			if !agency.TOTPOptional && !noTOTP {
				return enrolTOTP(cmd, s, u.Username, u.Agency)
			}
			return nil
		}),
	}
	add.Flags().StringVar(&u.Agency, "agency", "", "agency code (required)")
	add.Flags().StringVar(&u.Name, "name", "", "full name")
	add.Flags().StringSliceVar(&roles, "roles", []string{"analyst"}, "roles: admin, analyst, investigator, supervisor, protection, coordinator, auditor")
	add.Flags().StringVar(&clearance, "clearance", "restricted", "clearance: unclassified, restricted, confidential, secret")
	add.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the password from standard input")
	add.Flags().BoolVar(&noTOTP, "no-totp", false, "do not enrol a second factor now")

	var pwStdin2 bool
	passwd := &cobra.Command{
		Use:   "passwd USERNAME",
		Short: "Set a user's password (also clears a lock-out)",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			u, _, err := s.UserByName(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			hash, err := newPasswordHash(cmd, pwStdin2)
			if err != nil {
				return err
			}
			if err := s.UpdateUser(cmd.Context(), cliPrincipal(u.Agency), u.Username, sqlstore.UserUpdate{PasswordHash: &hash}); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed\n", u.Username)
			return nil
		}),
	}
	passwd.Flags().BoolVar(&pwStdin2, "password-stdin", false, "read the password from standard input")

	setDisabled := func(use, short string, disabled bool) *cobra.Command {
		return &cobra.Command{
			Use:   use + " USERNAME",
			Short: short,
			Args:  cobra.ExactArgs(1),
			RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
				u, _, err := s.UserByName(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if err := s.UpdateUser(cmd.Context(), cliPrincipal(u.Agency), u.Username, sqlstore.UserUpdate{Disabled: &disabled}); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "user %s %sd\n", u.Username, use)
				return nil
			}),
		}
	}

	totpCmd := &cobra.Command{
		Use:   "totp USERNAME",
		Short: "Enrol (or replace) a user's TOTP second factor and print its otpauth:// URL",
		Args:  cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			u, _, err := s.UserByName(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return enrolTOTP(cmd, s, u.Username, u.Agency)
		}),
	}

	var tokenName string
	var tokenTTL time.Duration
	token := &cobra.Command{
		Use:   "token USERNAME",
		Short: "Create an API token for a machine client acting as this user",
		Long: `Creates a bearer token for agency systems that push records or query the API
as this user. Only its hash is stored: the token is printed once. Revoke it
by disabling the user or, in the API, by POST /api/v1/auth/logout with it.`,
		Args: cobra.ExactArgs(1),
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			u, _, err := s.UserByName(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if u.Disabled {
				return fmt.Errorf("user %s is disabled", u.Username)
			}
			t := auth.NewToken()
			expires, err := s.CreateToken(cmd.Context(), u, t, sqlstore.TokenAPI, tokenName, tokenTTL)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), t)
			fmt.Fprintf(cmd.ErrOrStderr(), "API token for %s (expires %s); shown only now\n", u.Username, expires.Format(time.RFC3339))
			return nil
		}),
	}
	token.Flags().StringVar(&tokenName, "name", "api", "a name for the token (which system uses it)")
	token.Flags().DurationVar(&tokenTTL, "ttl", 90*24*time.Hour, "how long the token is valid")

	var listAgency string
	list := &cobra.Command{
		Use:   "list",
		Short: "List users",
		Args:  cobra.NoArgs,
		RunE: g.withStore(func(cmd *cobra.Command, s *sqlstore.Store, args []string) error {
			us, err := s.Users(cmd.Context(), listAgency)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "USERNAME\tAGENCY\tROLES\tCLEARANCE\tTOTP\tDISABLED")
			for _, u := range us {
				var rs []string
				for _, r := range u.Roles {
					rs = append(rs, string(r))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%v\n", u.Username, u.Agency, strings.Join(rs, ","), u.Clearance, u.TOTP, u.Disabled)
			}
			return tw.Flush()
		}),
	}
	list.Flags().StringVar(&listAgency, "agency", "", "only this agency")

	c.AddCommand(add, passwd, setDisabled("disable", "Disable a user (their sessions and tokens stop at once)", true),
		setDisabled("enable", "Enable a disabled user", false), totpCmd, token, list)
	return c
}

func enrolTOTP(cmd *cobra.Command, s *sqlstore.Store, username, agency string) error {
	secret, url, err := auth.NewTOTP(username)
	if err != nil {
		return err
	}
	if err := s.UpdateUser(cmd.Context(), cliPrincipal(agency), username, sqlstore.UserUpdate{TOTPSecret: &secret}); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "second factor enrolled for %s; give this to the user's authenticator app, once:\n%s\n", username, url)
	return nil
}
