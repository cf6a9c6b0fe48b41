package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/rabta/rabta"
)

// Webhook is an agency's event endpoint. The secret signs every delivery.
type Webhook struct {
	Agency string
	URL    string
	Secret string
}

// CheckWebhookURL accepts https URLs, and http only to the machine itself
// (a local relay): events name agencies and purposes and must not cross a
// network in clear.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return rabta.Errorf(rabta.EInvalid, "webhook: %q is not an absolute URL", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
			return nil
		}
		return rabta.Errorf(rabta.EInvalid, "webhook: http is allowed only to this machine (localhost); use https")
	}
	return rabta.Errorf(rabta.EInvalid, "webhook: scheme %q: want https", u.Scheme)
}

// SetWebhook sets (or, with an empty url, removes) an agency's webhook.
func (s *Store) SetWebhook(ctx context.Context, by rabta.Principal, agency, rawURL, secret string) error {
	if _, err := s.Agency(ctx, agency); err != nil {
		return err
	}
	agency = strings.ToUpper(agency)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM webhooks WHERE agency = ?"), agency); err != nil {
			return err
		}
		e := event(ctx, by, rabta.ActAgencyWrite, "agency:"+agency)
		e.Query = "webhook removed"
		if rawURL != "" {
			if err := CheckWebhookURL(rawURL); err != nil {
				return err
			}
			if len(secret) < 32 {
				return rabta.Errorf(rabta.EInvalid, "webhook secret: at least 32 characters")
			}
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO webhooks (agency, url, secret, created_at) VALUES (?, ?, ?, ?)"),
				agency, rawURL, secret, micros(s.now())); err != nil {
				return err
			}
			e.Query = "webhook set"
		}
		return s.appendAudit(ctx, tx, e)
	})
}

// enqueue writes an event for each of an agency's channels (webhook,
// e-mail) it has, in the transaction that records the event.
func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, agency, kind string, payload any) error {
	var hooks, mails int
	if err := tx.QueryRowContext(ctx, s.q("SELECT (SELECT count(*) FROM webhooks WHERE agency = ?), (SELECT count(*) FROM agency_mail WHERE agency = ?)"),
		agency, agency).Scan(&hooks, &mails); err != nil || hooks+mails == 0 {
		return err
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	for channel, n := range map[string]int{ChannelWebhook: hooks, ChannelEmail: mails} {
		if n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO deliveries (agency, event, payload, next_at, channel) VALUES (?, ?, ?, ?, ?)"),
			agency, kind, string(b), micros(s.now()), channel); err != nil {
			return err
		}
	}
	return nil
}

// Delivery channels.
const (
	ChannelWebhook = "webhook"
	ChannelEmail   = "email"
)

// Delivery is one event on its way to a webhook.
type Delivery struct {
	ID       int64
	Agency   string
	Event    string
	Payload  []byte
	Attempts int
	Channel  string
	Webhook  Webhook // ChannelWebhook
	MailTo   string  // ChannelEmail
}

// deliveryLease is how long a claimed delivery is left to its claimant
// before another instance may try it.
const deliveryLease = 2 * time.Minute

// ClaimDeliveries takes up to limit due deliveries for this instance: each
// is leased by moving its next attempt past the lease, with a compare on
// the old time so that two instances never take the same one.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int) ([]Delivery, error) {
	now := s.now()
	// A channel removed since the event was queued leaves its deliveries
	// unclaimed (neither join finds it) until it is set again.
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT d.id, d.agency, d.event, d.payload, d.attempts, d.next_at, d.channel, coalesce(w.url, ''), coalesce(w.secret, ''), coalesce(m.address, '')
		FROM deliveries d LEFT JOIN webhooks w ON w.agency = d.agency AND d.channel = 'webhook' LEFT JOIN agency_mail m ON m.agency = d.agency AND d.channel = 'email'
		WHERE d.delivered_at = 0 AND NOT d.failed AND d.next_at <= ? AND (w.url IS NOT NULL OR m.address IS NOT NULL) ORDER BY d.next_at, d.id LIMIT ?`), micros(now), limit)
	if err != nil {
		return nil, err
	}
	type cand struct {
		d    Delivery
		next int64
	}
	var cs []cand
	for rows.Next() {
		var c cand
		var payload string
		if err := rows.Scan(&c.d.ID, &c.d.Agency, &c.d.Event, &payload, &c.d.Attempts, &c.next, &c.d.Channel, &c.d.Webhook.URL, &c.d.Webhook.Secret, &c.d.MailTo); err != nil {
			rows.Close()
			return nil, err
		}
		c.d.Payload = []byte(payload)
		c.d.Webhook.Agency = c.d.Agency
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Delivery
	for _, c := range cs {
		res, err := s.db.ExecContext(ctx, s.q("UPDATE deliveries SET next_at = ?, attempts = attempts + 1 WHERE id = ? AND next_at = ? AND delivered_at = 0"),
			micros(now.Add(deliveryLease)), c.d.ID, c.next)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			c.d.Attempts++
			out = append(out, c.d)
		}
	}
	return out, nil
}

// maxDeliveryAttempts: with the backoff below, about a week of retries.
const maxDeliveryAttempts = 40

// retryAfter is the wait after a failed attempt: 30 s doubling to 6 h.
func retryAfter(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// FinishDelivery records the outcome of an attempt: delivered, or retried
// later with backoff, or given up after maxDeliveryAttempts (the event
// stays in the in-app inbox either way).
func (s *Store) FinishDelivery(ctx context.Context, d Delivery, sendErr error) error {
	now := s.now()
	if sendErr == nil {
		_, err := s.db.ExecContext(ctx, s.q("UPDATE deliveries SET delivered_at = ?, last_error = '' WHERE id = ?"), micros(now), d.ID)
		return err
	}
	msg := sendErr.Error()
	if len(msg) > 500 {
		msg = msg[:500]
	}
	_, err := s.db.ExecContext(ctx, s.q("UPDATE deliveries SET next_at = ?, failed = ?, last_error = ? WHERE id = ?"),
		micros(now.Add(retryAfter(d.Attempts))), d.Attempts >= maxDeliveryAttempts, msg, d.ID)
	return err
}

// DeliveryStats counts an agency's deliveries by state, for operators.
type DeliveryStats struct {
	Pending, Delivered, Failed int
	LastError                  string
}

// Deliveries reports the state of an agency's outbox.
func (s *Store) Deliveries(ctx context.Context, agency string) (DeliveryStats, error) {
	var st DeliveryStats
	err := s.db.QueryRowContext(ctx, s.q(`SELECT
		coalesce(sum(CASE WHEN delivered_at = 0 AND NOT failed THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN delivered_at > 0 THEN 1 ELSE 0 END), 0),
		coalesce(sum(CASE WHEN failed THEN 1 ELSE 0 END), 0)
		FROM deliveries WHERE agency = ?`), strings.ToUpper(agency)).Scan(&st.Pending, &st.Delivered, &st.Failed)
	if err != nil {
		return st, fmt.Errorf("deliveries: %w", err)
	}
	err = s.db.QueryRowContext(ctx, s.q("SELECT last_error FROM deliveries WHERE agency = ? AND last_error <> '' ORDER BY id DESC LIMIT 1"), strings.ToUpper(agency)).Scan(&st.LastError)
	if err == sql.ErrNoRows {
		err = nil
	}
	return st, err
}
