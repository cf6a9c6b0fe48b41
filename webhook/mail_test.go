package webhook

import (
	"context"
	"io"
	"mime"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/mail"
	"github.com/rabta/rabta/sqlstore"
)

// relay is a real SMTP server that keeps what it receives, and can be down.
type relay struct {
	mu   sync.Mutex
	down bool
	got  []string
}

func (r *relay) NewSession(*smtp.Conn) (smtp.Session, error) { return &relaySession{r: r}, nil }

type relaySession struct {
	r  *relay
	to string
}

func (s *relaySession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *relaySession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	if s.r.down {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	}
	s.to = to
	return nil
}
func (s *relaySession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.got = append(s.r.got, s.to+"\n"+string(b))
	return err
}
func (s *relaySession) Reset()        {}
func (s *relaySession) Logout() error { return nil }

// TestMailDelivery: an agency with an e-mail address gets its
// notifications by mail from the outbox, retried while the relay refuses,
// saying what happened and where to look, never record content.
func TestMailDelivery(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "t.db")
			if db == "postgres" {
				dsn = pgtest.DSN(t)
			}
			ctx := context.Background()
			s, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			clock := time.Now()
			s.SetClock(func() time.Time { return clock })
			for _, a := range []string{"FIA", "ANF"} {
				if err := s.CreateAgency(ctx, sqlstore.System, &rabta.Agency{Code: a, Name: a}); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.SetAgencyMail(ctx, sqlstore.System, "ANF", "desk\r\nBcc: x@evil.example"); err == nil {
				t.Fatal("a header injection accepted as an address")
			}
			if err := s.SetAgencyMail(ctx, sqlstore.System, "ANF", "duty.desk@anf.example"); err != nil {
				t.Fatal(err)
			}
			rl := &relay{down: true}
			srv := smtp.NewServer(rl)
			srv.Domain, srv.AllowInsecureAuth = "localhost", true
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			go srv.Serve(l)
			defer srv.Close()
			cfg, err := mail.ParseURL("smtp+insecure://" + l.Addr().String() + "?from=rabta@platform.example")
			if err != nil {
				t.Fatal(err)
			}

			fia := rabta.Principal{UserID: 1, Username: "fia.analyst", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
			req := &rabta.Request{Type: rabta.RequestRFI, To: "ANF", Justification: "Who is behind Gulshan Traders?", Deadline: clock.Add(48 * time.Hour),
				Subjects: rabta.Subjects{Selectors: []string{"Gulshan Traders"}}}
			if err := s.CreateRequest(ctx, fia, req); err != nil {
				t.Fatal(err)
			}
			snd := &Sender{Mail: &cfg}
			if n, err := DeliverDue(ctx, s, snd); err != nil || n != 0 {
				t.Fatalf("while the relay refuses: %d %v", n, err)
			}
			rl.mu.Lock()
			rl.down = false
			rl.mu.Unlock()
			clock = clock.Add(time.Minute)
			if n, err := DeliverDue(ctx, s, snd); err != nil || n != 1 {
				t.Fatalf("after the relay is back: %d %v", n, err)
			}
			if len(rl.got) != 1 || !strings.HasPrefix(rl.got[0], "duty.desk@anf.example\n") {
				t.Fatalf("received %q", rl.got)
			}
			msg := rl.got[0]
			var subject string
			for _, line := range strings.Split(msg, "\r\n") {
				if strings.HasPrefix(line, "Subject: ") {
					subject, _ = new(mime.WordDecoder).DecodeHeader(strings.TrimPrefix(line, "Subject: "))
				}
			}
			if !strings.Contains(subject, "RFI request from FIA") || !strings.Contains(msg, "request:"+req.ID) || strings.Contains(msg, "Gulshan") {
				t.Fatalf("mail:\n%s", msg)
			}
		})
	}
}
