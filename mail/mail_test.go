package mail

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// envelope is what the test server received.
type envelope struct {
	from   string
	to     []string
	data   string
	tls    bool
	authed bool
}

// backend is an SMTP server that keeps what it receives.
type backend struct {
	user, pass string          // when set, MAIL needs AUTH PLAIN with these
	rcptErr    *smtp.SMTPError // returned for every RCPT

	mu  sync.Mutex
	got []envelope
}

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{b: b, env: envelope{tls: isTLS}}, nil
}

func (b *backend) received() []envelope {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.got
}

type session struct {
	b   *backend
	env envelope
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.b.user || pass != s.b.pass {
			return smtp.ErrAuthFailed
		}
		s.env.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.b.user != "" && !s.env.authed {
		return smtp.ErrAuthRequired
	}
	s.env.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.b.rcptErr != nil {
		return s.b.rcptErr
	}
	s.env.to = append(s.env.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.env.data = string(data)
	s.b.mu.Lock()
	s.b.got = append(s.b.got, s.env)
	s.b.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.env = envelope{tls: s.env.tls, authed: s.env.authed} }
func (s *session) Logout() error { return nil }

// serve starts an SMTP server on 127.0.0.1 and returns its address. With
// tlsConf it offers STARTTLS, or, when implicit, speaks TLS from the start.
func serve(t *testing.T, b *backend, tlsConf *tls.Config, implicit bool) string {
	t.Helper()
	s := smtp.NewServer(b)
	s.Domain = "localhost"
	s.ReadTimeout, s.WriteTimeout = 5*time.Second, 5*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		l = tls.NewListener(l, tlsConf)
	} else {
		s.TLSConfig = tlsConf
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	return l.Addr().String()
}

// selfSigned returns a server TLS config for 127.0.0.1 and localhost and a
// pool that trusts it.
func selfSigned(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "rabta test smtp"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

func send(t *testing.T, c Config, m Message) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.Send(ctx, m)
}

func TestSend(t *testing.T) {
	b := &backend{}
	addr := serve(t, b, nil, false)
	const subject = "تصادم: ایف آئی اے اور اے این ایف ایک ہی شناختی کارڈ پر کام کر رہے ہیں، ڈیوٹی ڈیسک سے رابطہ کریں"
	body := "ANF holds a record on CNIC 42101-1234567-5.\nرابطہ: ANF duty desk\n.\nA line long enough to need a soft break in quoted-printable: " + strings.Repeat("x", 100) + "\n"
	c := Config{Addr: addr, From: "Rabta <rabta+alerts@rabta.gov.pk>", TLS: NoTLS}
	err := send(t, c, Message{
		To:      []string{"duty@anf.gov.pk", "FIA Desk <desk@fia.gov.pk>"},
		Subject: subject,
		Body:    body,
		Headers: map[string]string{"X-Rabta-Event": "hit", "X-Rabta-Agency": "انسداد منشیات"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := b.received()
	if len(got) != 1 {
		t.Fatalf("received %d messages", len(got))
	}
	e := got[0]
	if e.from != "rabta+alerts@rabta.gov.pk" || strings.Join(e.to, ",") != "duty@anf.gov.pk,desk@fia.gov.pk" {
		t.Errorf("envelope from %q to %q", e.from, e.to)
	}
	if strings.Count(e.data, "\n") != strings.Count(e.data, "\r\n") {
		t.Error("bare LF in message")
	}
	for l := range strings.SplitSeq(e.data, "\r\n") {
		if len(l) > 998 || strings.ContainsFunc(l, func(r rune) bool { return r > '~' }) {
			t.Errorf("line too long or not 7-bit: %q", l)
		}
	}
	msg, err := netmail.ReadMessage(strings.NewReader(e.data))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Header
	var dec mime.WordDecoder
	if s, err := dec.DecodeHeader(h.Get("Subject")); err != nil || s != subject {
		t.Errorf("subject %q decodes to %q, %v", h.Get("Subject"), s, err)
	}
	if s, _ := dec.DecodeHeader(h.Get("X-Rabta-Agency")); s != "انسداد منشیات" || h.Get("X-Rabta-Event") != "hit" {
		t.Errorf("extra headers %q %q", h.Get("X-Rabta-Event"), s)
	}
	if from, err := h.AddressList("From"); err != nil || from[0].Address != "rabta+alerts@rabta.gov.pk" || from[0].Name != "Rabta" {
		t.Errorf("From %v, %v", from, err)
	}
	if to, err := h.AddressList("To"); err != nil || len(to) != 2 || to[1].Address != "desk@fia.gov.pk" {
		t.Errorf("To %v, %v", to, err)
	}
	if d, err := h.Date(); err != nil || time.Since(d).Abs() > time.Minute {
		t.Errorf("Date %v, %v", d, err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@rabta.gov.pk>") {
		t.Errorf("Message-ID %q", id)
	}
	if h.Get("MIME-Version") != "1.0" || h.Get("Content-Type") != "text/plain; charset=utf-8" || h.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Errorf("MIME headers %v", h)
	}
	text, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil || string(text) != strings.ReplaceAll(body, "\n", "\r\n") {
		t.Errorf("body %q, %v", text, err)
	}
}

// TestSTARTTLS: the session is upgraded with the server's certificate
// checked, and the credentials are sent only then.
func TestSTARTTLS(t *testing.T) {
	tlsConf, pool := selfSigned(t)
	b := &backend{user: "rabta", pass: "s3cret pässword"}
	addr := serve(t, b, tlsConf, false)
	c := Config{Addr: addr, From: "rabta@rabta.gov.pk", Username: "rabta", Password: "s3cret pässword", RootCAs: pool}
	m := Message{To: []string{"duty@anf.gov.pk"}, Subject: "hit", Body: "hello"}
	if err := send(t, c, m); err != nil {
		t.Fatal(err)
	}
	if got := b.received(); len(got) != 1 || !got[0].tls || !got[0].authed {
		t.Fatalf("received %+v", got)
	}

	named := c
	named.ServerName = "localhost"
	if err := send(t, named, m); err != nil {
		t.Errorf("with ServerName: %v", err)
	}

	wrong := c
	wrong.Password = "guessed-wrong"
	err := send(t, wrong, m)
	if err == nil || !strings.Contains(err.Error(), "mail: auth: 535") || Temporary(err) || strings.Contains(err.Error(), "guessed-wrong") {
		t.Errorf("wrong password: %v (temporary %v)", err, Temporary(err))
	}

	untrusted := c
	untrusted.RootCAs = nil
	if err := send(t, untrusted, m); err == nil || !strings.Contains(err.Error(), "mail: starttls:") || Temporary(err) {
		t.Errorf("untrusted certificate: %v (temporary %v)", err, Temporary(err))
	}

	plain := serve(t, &backend{}, nil, false)
	noTLS := c
	noTLS.Addr = plain
	if err := send(t, noTLS, m); err == nil || !strings.Contains(err.Error(), "does not offer STARTTLS") || Temporary(err) {
		t.Errorf("server without STARTTLS: %v (temporary %v)", err, Temporary(err))
	}
}

func TestImplicitTLS(t *testing.T) {
	tlsConf, pool := selfSigned(t)
	b := &backend{user: "rabta", pass: "pw"}
	addr := serve(t, b, tlsConf, true)
	c := Config{Addr: addr, From: "rabta@rabta.gov.pk", Username: "rabta", Password: "pw", TLS: TLS, RootCAs: pool}
	if err := send(t, c, Message{To: []string{"duty@anf.gov.pk"}, Subject: "hit"}); err != nil {
		t.Fatal(err)
	}
	if got := b.received(); len(got) != 1 || !got[0].tls || !got[0].authed {
		t.Fatalf("received %+v", got)
	}
}

func TestRefused(t *testing.T) {
	m := Message{To: []string{"duty@anf.gov.pk", "gone@anf.gov.pk"}, Subject: "hit"}
	for _, tc := range []struct {
		code      int
		temporary bool
	}{{550, false}, {451, true}} {
		b := &backend{rcptErr: &smtp.SMTPError{Code: tc.code, EnhancedCode: smtp.EnhancedCode{tc.code / 100, 1, 1}, Message: "no"}}
		c := Config{Addr: serve(t, b, nil, false), From: "rabta@rabta.gov.pk", TLS: NoTLS}
		err := send(t, c, m)
		var me *Error
		if !errors.As(err, &me) || me.Op != "rcpt duty@anf.gov.pk" || !strings.Contains(err.Error(), fmt.Sprint(tc.code)) || Temporary(err) != tc.temporary {
			t.Errorf("%d: %v (temporary %v)", tc.code, err, Temporary(err))
		}
		if len(b.received()) != 0 {
			t.Errorf("%d: message delivered", tc.code)
		}
	}
}

func TestNetworkErrors(t *testing.T) {
	// Nothing listens on a port just released.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	m := Message{To: []string{"duty@anf.gov.pk"}}
	err = send(t, Config{Addr: closed, From: "rabta@rabta.gov.pk", TLS: NoTLS}, m)
	if err == nil || !strings.HasPrefix(err.Error(), "mail: dial:") || !Temporary(err) {
		t.Errorf("connection refused: %v (temporary %v)", err, Temporary(err))
	}

	// A server that accepts but never greets: the context's deadline ends it.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = Config{Addr: silent.Addr().String(), From: "rabta@rabta.gov.pk", TLS: NoTLS}.Send(ctx, m)
	if !errors.Is(err, context.DeadlineExceeded) || !Temporary(err) || time.Since(start) > time.Second {
		t.Errorf("silent server: %v after %v (temporary %v)", err, time.Since(start), Temporary(err))
	}
}

// TestInjection: line breaks in any header are refused before connecting.
func TestInjection(t *testing.T) {
	c := Config{Addr: "127.0.0.1:1", From: "rabta@rabta.gov.pk", TLS: NoTLS}
	ok := Message{To: []string{"duty@anf.gov.pk"}, Subject: "hit", Headers: map[string]string{"X-Rabta-Event": "hit"}}
	for name, edit := range map[string]func(*Message){
		"subject":      func(m *Message) { m.Subject = "hit\r\nBcc: leak@example.org" },
		"subject LF":   func(m *Message) { m.Subject = "hit\nBcc: leak@example.org" },
		"to":           func(m *Message) { m.To = []string{"duty@anf.gov.pk\r\nBcc: leak@example.org"} },
		"header value": func(m *Message) { m.Headers = map[string]string{"X-Rabta-Event": "hit\r\nBcc: leak@example.org"} },
		"header name":  func(m *Message) { m.Headers = map[string]string{"Bcc: leak@example.org\r\nX": "1"} },
		"reserved":     func(m *Message) { m.Headers = map[string]string{"bcc": "leak@example.org"} },
		"bad address":  func(m *Message) { m.To = []string{"not an address"} },
		"no recipient": func(m *Message) { m.To = nil },
	} {
		m := ok
		edit(&m)
		err := send(t, c, m)
		if err == nil || strings.Contains(err.Error(), "dial") || Temporary(err) {
			t.Errorf("%s: %v", name, err)
		}
	}
	from := c
	from.From = "rabta@rabta.gov.pk\r\nBcc: leak@example.org"
	if err := send(t, from, ok); err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("from: %v", err)
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want Config
	}{
		{"smtp://rabta:p%40ss@mail.example.org:587?from=rabta@example.org",
			Config{Addr: "mail.example.org:587", From: "rabta@example.org", Username: "rabta", Password: "p@ss", TLS: StartTLS}},
		{"smtp://mail.example.org?from=rabta+alerts@example.org",
			Config{Addr: "mail.example.org:587", From: "rabta+alerts@example.org", TLS: StartTLS}},
		{"smtps://rabta:pw@mail.example.org:465?from=Rabta%20%3Crabta@example.org%3E",
			Config{Addr: "mail.example.org:465", From: "Rabta <rabta@example.org>", Username: "rabta", Password: "pw", TLS: TLS}},
		{"smtp+insecure://127.0.0.1:2525?from=rabta@example.org",
			Config{Addr: "127.0.0.1:2525", From: "rabta@example.org", TLS: NoTLS}},
		{"smtp+insecure://[::1]:2525?from=rabta@example.org",
			Config{Addr: "[::1]:2525", From: "rabta@example.org", TLS: NoTLS}},
		{"smtp+insecure://localhost:2525?from=rabta@example.org",
			Config{Addr: "localhost:2525", From: "rabta@example.org", TLS: NoTLS}},
	} {
		got, err := ParseURL(tc.url)
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v", tc.url, got, err)
		}
	}
	for raw, want := range map[string]string{
		"smtp://rabta:hunter2@mail.example.org:587":                              "no sender",
		"smtp://rabta:hunter2@mail.example.org:587?from=not-an-address":          "sender",
		"smtp://rabta:hunter2@mail.example.org:587?from=a@b.org&form=a@b.org":    "unknown parameter",
		"http://rabta:hunter2@mail.example.org?from=rabta@example.org":           "scheme",
		"smtp+insecure://mail.example.org:25?from=rabta@example.org":             "loopback",
		"smtp+insecure://10.0.0.1:25?from=rabta@example.org":                     "loopback",
		"smtp+insecure://rabta:hunter2@127.0.0.1:25?from=rabta@example.org":      "only over TLS",
		"smtp://rabta:hunter2@?from=rabta@example.org":                           "no host",
		"smtp://rabta:hunter2@mail.example.org:bad?from=rabta@example.org":       "malformed",
		"smtp://rabta:hunter2/x@mail.example.org:587?from=rabta@example.org":     "malformed",
		"smtp://rabta:hunter2@mail.example.org:587?from=rabta@example.org%zz":    "from",
		"smtp://rabta:hunter2@mail.example.org:587?from=rabta@example.org\r\nX:": "malformed",
	} {
		_, err := ParseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: %v, want %q without the password", raw, err, want)
		}
	}

	c, err := ParseURL("smtps://rabta:hunter2@mail.example.org:465?from=rabta@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if s := c.String(); s != "smtps://rabta:xxxxx@mail.example.org:465?from=rabta@example.org" {
		t.Errorf("String() = %s", s)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("password printed: %s", s)
		}
	}
	if back, err := ParseURL(c.String()); err != nil || back.Addr != c.Addr || back.TLS != c.TLS || back.From != c.From {
		t.Errorf("String() does not parse back: %+v, %v", back, err)
	}
}
