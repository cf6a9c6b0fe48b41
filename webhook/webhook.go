// Package webhook delivers events to agencies' systems: an HTTPS POST of
// the event's JSON, signed with HMAC-SHA256 under the agency's secret, from
// the durable outbox the store keeps (sqlstore.ClaimDeliveries), with
// retries and backoff so that a target that is down loses nothing.
//
// Receivers verify the header
//
//	X-Rabta-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// and refuse old timestamps (Verify does both), which stops replays.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rabta/rabta/mail"
	"github.com/rabta/rabta/sqlstore"
)

// Header is the signature header.
const Header = "X-Rabta-Signature"

// Sign returns the signature header value for body at time t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signature header for body against secret, refusing
// timestamps further than tolerance from now.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return errors.New("webhook: malformed signature header")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("webhook: timestamp outside tolerance")
	}
	if !hmac.Equal([]byte(sig), []byte(mac(secret, ts, body))) {
		return errors.New("webhook: bad signature")
	}
	return nil
}

// Sender delivers to an agency's channels: webhooks, and e-mail when Mail
// is set.
type Sender struct {
	Client *http.Client
	Now    func() time.Time
	Mail   *mail.Config
}

// Send delivers one event; for a webhook any status other than 2xx is a
// failure.
func (s *Sender) Send(ctx context.Context, d sqlstore.Delivery) error {
	if d.Channel == sqlstore.ChannelEmail {
		return s.sendMail(ctx, d)
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Webhook.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Rabta-Webhook/1")
	req.Header.Set("X-Rabta-Event", d.Event)
	req.Header.Set("X-Rabta-Delivery", strconv.FormatInt(d.ID, 10))
	req.Header.Set(Header, Sign(d.Webhook.Secret, now(), d.Payload))
	c := s.Client
	if c == nil {
		c = &http.Client{Timeout: 15 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("webhook: %s answered %s", d.Webhook.URL, res.Status)
	}
	return nil
}

// sendMail e-mails an event to the agency's address: the title and the
// object to open, never more (the payload holds nothing else).
func (s *Sender) sendMail(ctx context.Context, d sqlstore.Delivery) error {
	if s.Mail == nil {
		return errors.New("mail: no SMTP server configured (rabta serve --smtp)")
	}
	var ev struct {
		Title  string `json:"title"`
		Object string `json:"object"`
		At     string `json:"at"`
	}
	if err := json.Unmarshal(d.Payload, &ev); err != nil {
		return fmt.Errorf("mail: event %d: %w", d.ID, err)
	}
	if ev.Title == "" { // a hit event: its own shape
		ev.Title = "Rabta: " + d.Event
	}
	if ev.Object == "" {
		ev.Object = "hits"
	}
	body := ev.Title + "\r\n\r\nOpen in Rabta: " + ev.Object + "\r\nAt: " + ev.At + "\r\n\r\nThis message says only that something happened; sign in to Rabta to see it.\r\n"
	return s.Mail.Send(ctx, mail.Message{To: []string{d.MailTo}, Subject: "[Rabta] " + ev.Title, Body: body,
		Headers: map[string]string{"X-Rabta-Event": d.Event}})
}

// Run delivers due events every interval until ctx ends. Every instance
// may run it: deliveries are leased, so none is sent twice at once.
func Run(ctx context.Context, store *sqlstore.Store, s *Sender, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		// Time-caused events (overdue requests, lapsing grants) first,
		// so that they go out in the same round.
		if err := store.SweepDue(ctx); err != nil && ctx.Err() == nil {
			log.Error("due notifications", "err", err)
		}
		if _, err := DeliverDue(ctx, store, s); err != nil && ctx.Err() == nil {
			log.Error("webhook deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverDue sends every due delivery once and records the outcomes.
func DeliverDue(ctx context.Context, store *sqlstore.Store, s *Sender) (int, error) {
	sent := 0
	for {
		ds, err := store.ClaimDeliveries(ctx, 20)
		if err != nil || len(ds) == 0 {
			return sent, err
		}
		for _, d := range ds {
			serr := s.Send(ctx, d)
			if err := store.FinishDelivery(ctx, d, serr); err != nil {
				return sent, err
			}
			if serr == nil {
				sent++
			}
		}
	}
}
