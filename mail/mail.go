// Package mail sends notification e-mails to agencies over SMTP.
//
// Mail leaves Rabta only encrypted: STARTTLS is the default and is required
// (a server that does not offer it is refused rather than spoken to in the
// clear), implicit TLS is the alternative, and plaintext is allowed only to a
// relay on the loopback interface. Credentials are sent only over TLS.
//
// Errors name the step that failed; Temporary tells a delivery queue whether
// retrying may help.
package mail

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"
)

// TLS modes.
const (
	StartTLS = "starttls" // submission, port 587; the default
	TLS      = "tls"      // implicit TLS, port 465
	NoTLS    = "none"     // plaintext, only to a loopback relay
)

// defaultTimeout bounds a Send whose context has no deadline, so that a
// stalled server cannot hold a sender forever.
const defaultTimeout = time.Minute

// Config says how to reach the SMTP server.
type Config struct {
	Addr     string // host:port
	From     string // envelope sender and From header, e.g. "Rabta <rabta@example.org>"
	Username string
	Password string `json:"-"`
	TLS      string // StartTLS (when empty), TLS or NoTLS

	// ServerName is the name checked against the server's certificate;
	// the host of Addr when empty.
	ServerName string
	// RootCAs verifies the server's certificate; the system pool when nil.
	RootCAs *x509.CertPool
}

// ParseURL reads a configuration from a URL:
//
//	smtp://user:pass@mail.example.org:587?from=rabta@example.org      STARTTLS
//	smtps://user:pass@mail.example.org:465?from=rabta@example.org     implicit TLS
//	smtp+insecure://127.0.0.1:2525?from=rabta@example.org             plaintext, loopback only
//
// Special characters in the password must be percent-encoded. A "+" in from
// is kept as a plus (rabta+alerts@…), not read as a space.
func ParseURL(raw string) (Config, error) {
	// url.Parse's errors quote the whole URL, password included.
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, errors.New("mail: malformed SMTP URL (percent-encode special characters in the password)")
	}
	var c Config
	port := ""
	switch u.Scheme {
	case "smtp":
		c.TLS, port = StartTLS, "587"
	case "smtps":
		c.TLS, port = TLS, "465"
	case "smtp+insecure":
		c.TLS, port = NoTLS, "25"
	default:
		return Config{}, fmt.Errorf("mail: URL scheme %q is not smtp, smtps or smtp+insecure", u.Scheme)
	}
	if u.Hostname() == "" {
		return Config{}, errors.New("mail: SMTP URL has no host")
	}
	c.Addr = net.JoinHostPort(u.Hostname(), cmp.Or(u.Port(), port))
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	for kv := range strings.SplitSeq(u.RawQuery, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if k != "from" {
			return Config{}, fmt.Errorf("mail: SMTP URL: unknown parameter %q (only from= is known)", k)
		}
		if c.From, err = url.PathUnescape(v); err != nil {
			return Config{}, fmt.Errorf("mail: SMTP URL: from: %w", err)
		}
	}
	return c, c.check()
}

// check reports configuration errors, which no retry can fix.
func (c Config) check() error {
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return fmt.Errorf("mail: address %q is not host:port", c.Addr)
	}
	if c.From == "" {
		return errors.New("mail: no sender address (from)")
	}
	if _, err := parseAddress(c.From); err != nil {
		return fmt.Errorf("mail: sender: %w", err)
	}
	switch c.TLS {
	case "", StartTLS, TLS:
	case NoTLS:
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("mail: plaintext SMTP to %s refused: only a loopback relay may be reached without TLS", host)
		}
		if c.Username != "" {
			return errors.New("mail: credentials are sent only over TLS")
		}
	default:
		return fmt.Errorf("mail: TLS mode %q is not starttls, tls or none", c.TLS)
	}
	return nil
}

// String returns the configuration as a URL with the password redacted.
func (c Config) String() string {
	u := url.URL{Scheme: "smtp", Host: c.Addr, RawQuery: "from=" + url.PathEscape(c.From)}
	switch c.TLS {
	case TLS:
		u.Scheme = "smtps"
	case NoTLS:
		u.Scheme = "smtp+insecure"
	}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, c.Password)
	}
	return u.Redacted()
}

// GoString keeps %#v from printing the password.
func (c Config) GoString() string { return "mail.Config(" + c.String() + ")" }

// Message is a plain-text e-mail.
type Message struct {
	To      []string
	Subject string
	Body    string            // plain text
	Headers map[string]string // extra, e.g. X-Rabta-Event
}

// Error is a failed step of a Send.
type Error struct {
	Op  string // dial, tls, hello, starttls, auth, mail from, rcpt <address>, data
	Err error
}

func (e *Error) Error() string { return "mail: " + e.Op + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Temporary reports whether retrying err later may succeed: true for
// network errors, timeouts and SMTP 4xx replies; false for 5xx replies,
// certificate failures and bad configuration or messages.
func Temporary(err error) bool {
	var reply *textproto.Error
	if errors.As(err, &reply) {
		return reply.Code >= 400 && reply.Code < 500
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.Canceled) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// Send delivers m. It fails as a whole: if any recipient is refused nothing
// is sent. Once the server has accepted the message Send reports success,
// whatever happens after, so that a retry does not send it twice.
func (c Config) Send(ctx context.Context, m Message) error {
	if err := c.check(); err != nil {
		return err
	}
	from, _ := parseAddress(c.From)
	to, msg, err := build(from, m)
	if err != nil {
		return err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	fail := func(op string, err error) error {
		// An I/O error after the context ended is the context's doing.
		var ne net.Error
		if ctx.Err() != nil && errors.As(err, &ne) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return &Error{Op: op, Err: err}
	}

	host, _, _ := net.SplitHostPort(c.Addr)
	name := cmp.Or(c.ServerName, host)
	tlsConf := &tls.Config{ServerName: name, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}
	var d net.Dialer
	raw, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return fail("dial", err)
	}
	// net/smtp knows no contexts: unblock its reads and writes when ctx ends.
	stop := context.AfterFunc(ctx, func() { raw.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	conn := raw
	if c.TLS == TLS {
		tc := tls.Client(conn, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return fail("tls", err)
		}
		conn = tc
	}
	cl, err := smtp.NewClient(conn, name)
	if err != nil {
		conn.Close()
		return fail("dial", err)
	}
	defer cl.Close()
	// Say hello explicitly: Extension would hide a refused EHLO.
	if err := cl.Hello("localhost"); err != nil {
		return fail("hello", err)
	}
	if c.TLS == "" || c.TLS == StartTLS {
		if ok, _ := cl.Extension("STARTTLS"); !ok {
			return fail("starttls", errors.New("server does not offer STARTTLS"))
		}
		if err := cl.StartTLS(tlsConf); err != nil {
			return fail("starttls", err)
		}
	}
	if c.Username != "" {
		ok, mechs := cl.Extension("AUTH")
		if !ok || !slices.Contains(strings.Fields(strings.ToUpper(mechs)), "PLAIN") {
			return fail("auth", fmt.Errorf("server does not offer AUTH PLAIN (offers %q)", mechs))
		}
		if err := cl.Auth(smtp.PlainAuth("", c.Username, c.Password, name)); err != nil {
			return fail("auth", err)
		}
	}
	if err := cl.Mail(from.Address); err != nil {
		return fail("mail from", err)
	}
	for _, a := range to {
		if err := cl.Rcpt(a); err != nil {
			return fail("rcpt "+a, err)
		}
	}
	w, err := cl.Data()
	if err != nil {
		return fail("data", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail("data", err)
	}
	// Close reads the server's verdict on the message.
	if err := w.Close(); err != nil {
		return fail("data", err)
	}
	cl.Quit()
	return nil
}

// reserved are the headers build writes itself.
var reserved = []string{"Bcc", "Cc", "Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id", "Mime-Version", "Subject", "To"}

// build checks m and returns the envelope recipients and the RFC 5322
// message with CRLF line endings.
func build(from *netmail.Address, m Message) ([]string, []byte, error) {
	if len(m.To) == 0 {
		return nil, nil, errors.New("mail: no recipients")
	}
	var to, toHdr []string
	for _, s := range m.To {
		a, err := parseAddress(s)
		if err != nil {
			return nil, nil, fmt.Errorf("mail: recipient: %w", err)
		}
		to = append(to, a.Address)
		toHdr = append(toHdr, a.String())
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, nil, errors.New("mail: subject contains a line break (header injection)")
	}
	_, domain, _ := strings.Cut(from.Address, "@")

	var b bytes.Buffer
	header(&b, "Date", time.Now().Format(time.RFC1123Z))
	header(&b, "From", from.String())
	header(&b, "To", strings.Join(toHdr, ", "))
	header(&b, "Subject", mime.BEncoding.Encode("utf-8", m.Subject))
	header(&b, "Message-ID", "<"+rand.Text()+"@"+domain+">")
	for _, k := range slices.Sorted(maps.Keys(m.Headers)) {
		v := m.Headers[k]
		if k == "" || strings.ContainsFunc(k, func(r rune) bool { return r <= ' ' || r > '~' || r == ':' }) {
			return nil, nil, fmt.Errorf("mail: bad header name %q", k)
		}
		if slices.Contains(reserved, textproto.CanonicalMIMEHeaderKey(k)) {
			return nil, nil, fmt.Errorf("mail: header %s is set by the package", k)
		}
		if strings.ContainsAny(v, "\r\n") {
			return nil, nil, fmt.Errorf("mail: header %s contains a line break (header injection)", k)
		}
		header(&b, k, mime.BEncoding.Encode("utf-8", v))
	}
	header(&b, "MIME-Version", "1.0")
	header(&b, "Content-Type", "text/plain; charset=utf-8")
	header(&b, "Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	// Quoted-printable keeps lines short and the message 7-bit, so any
	// relay carries Urdu text intact; it writes CRLF for every line break.
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(m.Body))
	qp.Close()
	return to, b.Bytes(), nil
}

// header writes one field, folded at spaces to keep lines near 78
// characters (RFC 5322 §2.1.1); unfolding restores the value.
func header(b *bytes.Buffer, name, value string) {
	b.WriteString(name + ":")
	n := len(name) + 1
	for i, w := range strings.Split(value, " ") {
		if i > 0 && w != "" && n+1+len(w) > 78 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteString(" " + w)
		n += 1 + len(w)
	}
	b.WriteString("\r\n")
}

// parseAddress parses one address, refusing line breaks, which net/mail
// would otherwise accept as folding whitespace.
func parseAddress(s string) (*netmail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("address %q contains a line break (header injection)", s)
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("address %q: %w", s, err)
	}
	return a, nil
}
