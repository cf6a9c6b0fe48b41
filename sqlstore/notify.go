package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/rabta/rabta"
)

// Notification kinds: what happened that someone should act on.
const (
	NoteHit              = "hit"
	NoteRequestReceived  = "request.received"
	NoteRequestAnswered  = "request.answered"
	NoteRequestOverdue   = "request.overdue"
	NoteConflict         = "conflict"
	NoteTaskAssigned     = "task.assigned"
	NoteGrantExpiring    = "grant.expiring"
	NoteGrantRevoked     = "grant.revoked"
	NoteCaseMember       = "case.member"
	NoteConflictResolved = "conflict.resolved"
)

// Notification is one entry of a user's inbox. It names what happened and
// the object to open (a request, case, operation or conflict), never the
// content of records: the object's page decides what the reader sees.
type Notification struct {
	ID     string    `json:"id"`
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Title  string    `json:"title"`
	Object string    `json:"object"`
	Read   bool      `json:"read"`

	agency, username, role string
}

// notify files a notification in the inbox (for one user, or for the
// agency's users holding role, or all of them with role "") and queues it
// for the agency's webhook and e-mail, in the caller's transaction: the
// event and its notification commit together or not at all.
func (s *Store) notify(ctx context.Context, tx *sql.Tx, n Notification) error {
	if err := s.file(ctx, tx, &n); err != nil {
		return err
	}
	payload := map[string]any{"event": n.Kind, "id": n.ID, "at": n.At.UTC().Format(time.RFC3339), "title": n.Title, "object": n.Object}
	if n.username != "" {
		payload["user"] = n.username
	}
	return s.enqueue(ctx, tx, n.agency, n.Kind, payload)
}

// file puts a notification in the inbox only (for events whose webhook
// payload is sent on its own, such as hits).
func (s *Store) file(ctx context.Context, tx *sql.Tx, n *Notification) error {
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	n.ID, n.At = id.String(), s.now()
	_, err = tx.ExecContext(ctx, s.q("INSERT INTO notifications (id, at, agency, username, role, kind, title, object) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
		n.ID, micros(n.At), n.agency, n.username, n.role, n.Kind, n.Title, n.Object)
	return err
}

// toAgency addresses a notification to an agency's users with role ("" for all).
func toAgency(agency string, role rabta.Role, kind, title, object string) Notification {
	return Notification{agency: agency, role: string(role), Kind: kind, Title: title, Object: object}
}

// toUser addresses a notification to one user of an agency.
func toUser(agency, username, kind, title, object string) Notification {
	return Notification{agency: agency, username: username, Kind: kind, Title: title, Object: object}
}

// inboxWhere selects the notifications addressed to p.
func (s *Store) inboxWhere(p rabta.Principal) (string, []any) {
	roles := []any{""}
	for _, r := range p.Roles {
		roles = append(roles, string(r))
	}
	return "n.agency = ? AND (n.username = ? OR n.username = '' AND n.role IN (" + placeholders(len(roles)) + "))",
		append([]any{p.Agency, p.Username}, roles...)
}

// Inbox returns p's notifications, newest first, and how many are unread.
func (s *Store) Inbox(ctx context.Context, p rabta.Principal, limit int) ([]Notification, int, error) {
	if p.Agency == "" {
		return nil, 0, nil
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	where, args := s.inboxWhere(p)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT n.id, n.at, n.kind, n.title, n.object, r.read_at IS NOT NULL
		FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id AND r.username = ?
		WHERE `+where+` ORDER BY n.at DESC, n.id DESC LIMIT ?`), append(append([]any{p.Username}, args...), limit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		var at int64
		if err := rows.Scan(&n.ID, &at, &n.Kind, &n.Title, &n.Object, &n.Read); err != nil {
			return nil, 0, err
		}
		n.At = fromMicros(at)
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	unread, err := s.Unread(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	e := event(ctx, p, rabta.ActInboxRead)
	e.Count = len(out)
	return out, unread, s.Audit(ctx, e)
}

// Unread counts p's unread notifications, for the page header. It is not
// logged: it reads nothing but a number about p's own inbox, and every page
// asks for it.
func (s *Store) Unread(ctx context.Context, p rabta.Principal) (int, error) {
	if p.Agency == "" {
		return 0, nil
	}
	where, args := s.inboxWhere(p)
	var unread int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT count(*) FROM notifications n
		WHERE `+where+` AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.username = ?)`),
		append(args, p.Username)...).Scan(&unread)
	return unread, err
}

// MarkRead marks notifications read for p (all of p's, with no ids).
func (s *Store) MarkRead(ctx context.Context, p rabta.Principal, ids []string) error {
	where, args := s.inboxWhere(p)
	if len(ids) > 0 {
		where += " AND n.id IN (" + placeholders(len(ids)) + ")"
		for _, id := range ids {
			args = append(args, id)
		}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO notification_reads (notification_id, username, read_at)
			SELECT n.id, ?, ? FROM notifications n WHERE `+where+`
			AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.username = ?)`),
			append(append([]any{p.Username, micros(s.now())}, args...), p.Username)...)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		e := event(ctx, p, rabta.ActInboxRead, ids...)
		e.Query, e.Count = "mark read", int(n)
		return s.appendAudit(ctx, tx, e)
	})
}

// SetAgencyMail sets (or, with an empty address, removes) the address an
// agency's notifications are e-mailed to.
func (s *Store) SetAgencyMail(ctx context.Context, by rabta.Principal, agency, address string) error {
	if _, err := s.Agency(ctx, agency); err != nil {
		return err
	}
	agency, address = strings.ToUpper(agency), strings.TrimSpace(address)
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM agency_mail WHERE agency = ?"), agency); err != nil {
			return err
		}
		e := event(ctx, by, rabta.ActAgencyWrite, "agency:"+agency)
		e.Query = "mail removed"
		if address != "" {
			if !strings.Contains(address, "@") || strings.ContainsAny(address, "\r\n ,;") {
				return rabta.Errorf(rabta.EInvalid, "mail: %q is not one e-mail address", address)
			}
			if _, err := tx.ExecContext(ctx, s.q("INSERT INTO agency_mail (agency, address) VALUES (?, ?)"), agency, address); err != nil {
				return err
			}
			e.Query = "mail set"
		}
		return s.appendAudit(ctx, tx, e)
	})
}
