package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rabta/rabta"
)

// System is the principal for work done by the platform itself or by an
// operator at the command line (migrations, demo loading, CLI
// administration). It reads no records.
var System = rabta.Principal{Username: "system", Agency: ""}

func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint") || strings.Contains(s, "duplicate key") || strings.Contains(s, "SQLSTATE 23505")
}

// CreateAgency adds an agency. by is who does it (logged).
func (s *Store) CreateAgency(ctx context.Context, by rabta.Principal, a *rabta.Agency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	a.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO agencies (code, name, desk, phone, email, totp_optional, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			a.Code, a.Name, a.Contact.Desk, a.Contact.Phone, a.Contact.Email, a.TOTPOptional, micros(a.CreatedAt))
		if isUniqueViolation(err) {
			return rabta.Errorf(rabta.EConflict, "agency %s already exists", a.Code)
		}
		if err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, event(ctx, by, rabta.ActAgencyWrite, "agency:"+a.Code))
	})
}

// AgencyUpdate changes an agency's settings. Nil fields stay as they are.
type AgencyUpdate struct {
	Name         *string        `json:"name"`
	Contact      *rabta.Contact `json:"contact"`
	TOTPOptional *bool          `json:"totp_optional"`
}

// UpdateAgency applies upd to agency code and logs it.
func (s *Store) UpdateAgency(ctx context.Context, by rabta.Principal, code string, upd AgencyUpdate) (*rabta.Agency, error) {
	a, err := s.Agency(ctx, code)
	if err != nil {
		return nil, err
	}
	if upd.Name != nil {
		a.Name = *upd.Name
	}
	if upd.Contact != nil {
		a.Contact = *upd.Contact
	}
	if upd.TOTPOptional != nil {
		a.TOTPOptional = *upd.TOTPOptional
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("UPDATE agencies SET name = ?, desk = ?, phone = ?, email = ?, totp_optional = ? WHERE code = ?"),
			a.Name, a.Contact.Desk, a.Contact.Phone, a.Contact.Email, a.TOTPOptional, a.Code); err != nil {
			return err
		}
		e := event(ctx, by, rabta.ActAgencyWrite, "agency:"+a.Code)
		e.Query = fmt.Sprintf("totp_optional=%v", a.TOTPOptional)
		return s.appendAudit(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Agency returns one agency.
func (s *Store) Agency(ctx context.Context, code string) (*rabta.Agency, error) {
	as, err := s.agencies(ctx, "WHERE code = ?", strings.ToUpper(code))
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, rabta.Errorf(rabta.ENotFound, "no agency %q", code)
	}
	return &as[0], nil
}

// Agencies lists every agency by code.
func (s *Store) Agencies(ctx context.Context) ([]rabta.Agency, error) {
	return s.agencies(ctx, "")
}

func (s *Store) agencies(ctx context.Context, where string, args ...any) ([]rabta.Agency, error) {
	rows, err := s.db.QueryContext(ctx, s.q("SELECT code, name, desk, phone, email, totp_optional, created_at FROM agencies "+where+" ORDER BY code"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rabta.Agency
	for rows.Next() {
		var a rabta.Agency
		var created int64
		if err := rows.Scan(&a.Code, &a.Name, &a.Contact.Desk, &a.Contact.Phone, &a.Contact.Email, &a.TOTPOptional, &created); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMicros(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// contacts returns every agency's contact point, for pointers.
func (s *Store) contacts(ctx context.Context) (map[string]rabta.Contact, error) {
	as, err := s.Agencies(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]rabta.Contact, len(as))
	for _, a := range as {
		m[a.Code] = a.Contact
	}
	return m, nil
}

// Credentials are a user's secrets as stored.
type Credentials struct {
	PasswordHash string
	TOTPSecret   string
	TOTPLastStep int64 // the time step of the last second-factor code accepted
	FailedLogins int
	LockedUntil  time.Time
}

// CreateUser adds a user with an already hashed password.
func (s *Store) CreateUser(ctx context.Context, by rabta.Principal, u *rabta.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if _, err := s.Agency(ctx, u.Agency); err != nil {
		return rabta.Errorf(rabta.EInvalid, "user %s: unknown agency %q", u.Username, u.Agency)
	}
	u.Agency = strings.ToUpper(u.Agency)
	u.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	return s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO users (username, name, agency, roles, clearance, password_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			u.Username, u.Name, u.Agency, joinRoles(u.Roles), string(u.Clearance), passwordHash, micros(u.CreatedAt)).Scan(&id)
		if isUniqueViolation(err) {
			return rabta.Errorf(rabta.EConflict, "user %s already exists", u.Username)
		}
		if err != nil {
			return err
		}
		u.ID = id
		return s.appendAudit(ctx, tx, event(ctx, by, rabta.ActUserWrite, "user:"+u.Username))
	})
}

func joinRoles(rs []rabta.Role) string {
	ss := make([]string, len(rs))
	for i, r := range rs {
		ss[i] = string(r)
	}
	return strings.Join(ss, ",")
}

func splitRoles(s string) []rabta.Role {
	var out []rabta.Role
	for _, r := range strings.Split(s, ",") {
		if r != "" {
			out = append(out, rabta.Role(r))
		}
	}
	return out
}

const userCols = "id, username, name, agency, roles, clearance, disabled, totp_secret, totp_last_step, password_hash, failed_logins, locked_until, created_at"

func scanUser(r scanner) (*rabta.User, *Credentials, error) {
	var u rabta.User
	var c Credentials
	var roles, clearance string
	var locked, created int64
	if err := r.Scan(&u.ID, &u.Username, &u.Name, &u.Agency, &roles, &clearance, &u.Disabled, &c.TOTPSecret, &c.TOTPLastStep, &c.PasswordHash, &c.FailedLogins, &locked, &created); err != nil {
		return nil, nil, err
	}
	u.Roles = splitRoles(roles)
	u.Clearance = rabta.Classification(clearance)
	u.TOTP = c.TOTPSecret != ""
	c.LockedUntil = fromMicros(locked)
	u.CreatedAt = fromMicros(created)
	return &u, &c, nil
}

// UserByName returns a user and its credentials.
func (s *Store) UserByName(ctx context.Context, username string) (*rabta.User, *Credentials, error) {
	u, c, err := scanUser(s.db.QueryRowContext(ctx, s.q("SELECT "+userCols+" FROM users WHERE username = ?"), strings.ToLower(strings.TrimSpace(username))))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, rabta.Errorf(rabta.ENotFound, "no user %q", username)
	}
	return u, c, err
}

// UserByID returns a user.
func (s *Store) UserByID(ctx context.Context, id int64) (*rabta.User, error) {
	u, _, err := scanUser(s.db.QueryRowContext(ctx, s.q("SELECT "+userCols+" FROM users WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, rabta.Errorf(rabta.ENotFound, "no user %d", id)
	}
	return u, err
}

// Users lists users, of one agency if agency is not empty.
func (s *Store) Users(ctx context.Context, agency string) ([]rabta.User, error) {
	where, args := "", []any{}
	if agency != "" {
		where, args = "WHERE agency = ?", []any{strings.ToUpper(agency)}
	}
	rows, err := s.db.QueryContext(ctx, s.q("SELECT "+userCols+" FROM users "+where+" ORDER BY username"), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []rabta.User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// UpdateUser changes a user's account settings. Nil fields stay as they are.
type UserUpdate struct {
	PasswordHash *string
	TOTPSecret   *string
	Disabled     *bool
}

// UpdateUser applies upd to the user and logs it.
func (s *Store) UpdateUser(ctx context.Context, by rabta.Principal, username string, upd UserUpdate) error {
	var sets []string
	var args []any
	if upd.PasswordHash != nil {
		sets, args = append(sets, "password_hash = ?", "failed_logins = 0", "locked_until = 0"), append(args, *upd.PasswordHash)
	}
	if upd.TOTPSecret != nil {
		sets, args = append(sets, "totp_secret = ?"), append(args, *upd.TOTPSecret)
	}
	if upd.Disabled != nil {
		sets, args = append(sets, "disabled = ?"), append(args, *upd.Disabled)
	}
	if len(sets) == 0 {
		return nil
	}
	username = strings.ToLower(strings.TrimSpace(username))
	return s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q("UPDATE users SET "+strings.Join(sets, ", ")+" WHERE username = ?"), append(args, username)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return rabta.Errorf(rabta.ENotFound, "no user %q", username)
		}
		if upd.Disabled != nil && *upd.Disabled || upd.PasswordHash != nil || upd.TOTPSecret != nil {
			// A disabled user's sessions and tokens stop working at once,
			// and so do all sessions after a password or second-factor
			// change: whoever held the old credentials is signed out.
			if _, err := tx.ExecContext(ctx, s.q("UPDATE tokens SET revoked = TRUE WHERE user_id = (SELECT id FROM users WHERE username = ?)"), username); err != nil {
				return err
			}
		}
		return s.appendAudit(ctx, tx, event(ctx, by, rabta.ActUserWrite, "user:"+username))
	})
}

// RecordLogin notes the outcome of a sign-in attempt and logs it. After
// maxFailures failures in a row the account is locked for lockFor; the
// count lives in the database so every instance sees the same lock.
//
// totpStep, on success, is the time step of the second-factor code used
// (0 without one); a code of that step or earlier is refused from then on.
func (s *Store) RecordLogin(ctx context.Context, u *rabta.User, username string, ok bool, totpStep int64, maxFailures int, lockFor time.Duration) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if len(username) > 128 {
			username = username[:128] // a name typed at the sign-in form, logged but bounded
		}
		p := rabta.Principal{Username: strings.ToLower(username)}
		if u != nil {
			p = rabta.PrincipalOf(u)
			var err error
			if ok {
				// The step only moves forward: of two sign-ins racing with the
				// same code, the second finds no row to update and fails.
				var res sql.Result
				res, err = tx.ExecContext(ctx, s.q("UPDATE users SET failed_logins = 0, locked_until = 0, totp_last_step = ? WHERE id = ? AND (? = 0 OR totp_last_step < ?)"), totpStep, u.ID, totpStep, totpStep)
				if err == nil {
					if n, _ := res.RowsAffected(); n == 0 {
						return rabta.Errorf(rabta.EUnauthorized, "this second-factor code was used already: wait for the next one")
					}
				}
			} else {
				// Failures while locked change nothing, so nobody can keep
				// an account locked for ever by guessing on; the count
				// starts again when a lock is set.
				now, until := micros(s.now()), micros(s.now().Add(lockFor))
				_, err = tx.ExecContext(ctx, s.q(`UPDATE users SET
					locked_until = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END,
					failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END
					WHERE id = ? AND locked_until <= ?`), maxFailures, until, maxFailures, u.ID, now)
			}
			if err != nil {
				return err
			}
		}
		action := rabta.ActLogin
		e := event(ctx, p, action)
		if !ok {
			e.Action, e.Outcome = rabta.ActLoginFailed, "denied"
		}
		return s.appendAudit(ctx, tx, e)
	})
}

// Token kinds.
const (
	TokenSession = "session" // a browser session (cookie)
	TokenLogin   = "login"   // a bearer token from POST /api/v1/auth/login
	TokenAPI     = "api"     // a long-lived machine token from `rabta user token`
)

// HashToken is how tokens are stored: only their SHA-256, so a copy of the
// database gives nobody a working token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken stores a token (by its hash) for user u.
func (s *Store) CreateToken(ctx context.Context, u *rabta.User, token, kind, name string, ttl time.Duration) (time.Time, error) {
	now := s.now().UTC()
	expires := now.Add(ttl).Truncate(time.Microsecond)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("INSERT INTO tokens (hash, user_id, kind, name, created_at, expires_at, last_used) VALUES (?, ?, ?, ?, ?, ?, ?)"),
			HashToken(token), u.ID, kind, name, micros(now), micros(expires), micros(now)); err != nil {
			return err
		}
		if kind == TokenAPI {
			return s.appendAudit(ctx, tx, event(ctx, rabta.PrincipalOf(u), rabta.ActTokenCreate, "user:"+u.Username))
		}
		return nil
	})
	return expires, err
}

// Authenticate returns the user a token belongs to and the token's kind,
// if the token is known, unexpired, unrevoked and its user enabled. A
// sign-in (browser session or API login) also ends after idle without use;
// machine tokens (TokenAPI) only at their expiry.
func (s *Store) Authenticate(ctx context.Context, token string, idle time.Duration) (*rabta.User, string, error) {
	var kind string
	var userID, expires, lastUsed int64
	var revoked bool
	hash := HashToken(token)
	err := s.db.QueryRowContext(ctx, s.q("SELECT user_id, kind, expires_at, last_used, revoked FROM tokens WHERE hash = ?"), hash).
		Scan(&userID, &kind, &expires, &lastUsed, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", rabta.Errorf(rabta.EUnauthorized, "not signed in")
	}
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	if revoked || now.UnixMicro() >= expires {
		return nil, "", rabta.Errorf(rabta.EUnauthorized, "session expired or revoked")
	}
	if kind != TokenAPI && idle > 0 {
		if lastUsed > 0 && now.Sub(fromMicros(lastUsed)) > idle {
			return nil, "", rabta.Errorf(rabta.EUnauthorized, "signed out after %s without use: sign in again", idle)
		}
		// Note the use at most once a minute: a write on every request
		// would cost more than the minute of precision is worth.
		if now.Sub(fromMicros(lastUsed)) > time.Minute {
			if _, err := s.db.ExecContext(ctx, s.q("UPDATE tokens SET last_used = ? WHERE hash = ?"), micros(now), hash); err != nil {
				return nil, "", err
			}
		}
	}
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, "", err
	}
	if u.Disabled {
		return nil, "", rabta.Errorf(rabta.EUnauthorized, "account disabled")
	}
	return u, kind, nil
}

// RevokeToken revokes one token.
func (s *Store) RevokeToken(ctx context.Context, by rabta.Principal, token string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("UPDATE tokens SET revoked = TRUE WHERE hash = ?"), HashToken(token)); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, event(ctx, by, rabta.ActLogout))
	})
}
