package rabta

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Role is what a user does on the platform. A user may hold several.
type Role string

const (
	RoleAdmin        Role = "admin"
	RoleAnalyst      Role = "analyst"
	RoleInvestigator Role = "investigator"
	RoleSupervisor   Role = "supervisor"
	RoleProtection   Role = "protection"
	RoleCoordinator  Role = "coordinator"
	RoleAuditor      Role = "auditor"
)

// Roles lists every role in a stable order.
var Roles = []Role{RoleAdmin, RoleAnalyst, RoleInvestigator, RoleSupervisor, RoleProtection, RoleCoordinator, RoleAuditor}

// ParseRole parses a role name.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Roles, r) {
		return "", Errorf(EInvalid, "unknown role %q (one of admin, analyst, investigator, supervisor, protection, coordinator, auditor)", s)
	}
	return r, nil
}

// User is a person with an account. Secrets (password hash, TOTP secret) are
// kept by the store and never travel in this type.
type User struct {
	ID        int64          `json:"id"`
	Username  string         `json:"username"`
	Name      string         `json:"name"`
	Agency    string         `json:"agency"`
	Roles     []Role         `json:"roles"`
	Clearance Classification `json:"clearance"`
	Disabled  bool           `json:"disabled"`
	TOTP      bool           `json:"totp"` // a second factor is enrolled
	CreatedAt time.Time      `json:"created_at"`
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	if !usernamePattern.MatchString(u.Username) {
		return Errorf(EInvalid, "username %q: use 2–64 lower-case letters, digits, dots, dashes or underscores", u.Username)
	}
	if u.Agency == "" {
		return Errorf(EInvalid, "user %s: agency is required", u.Username)
	}
	if len(u.Roles) == 0 {
		return Errorf(EInvalid, "user %s: at least one role is required", u.Username)
	}
	for i, r := range u.Roles {
		role, err := ParseRole(string(r))
		if err != nil {
			return err
		}
		u.Roles[i] = role
	}
	slices.Sort(u.Roles)
	u.Roles = slices.Compact(u.Roles)
	if !u.Clearance.Valid() {
		return Errorf(EInvalid, "user %s: unknown clearance %q", u.Username, u.Clearance)
	}
	return nil
}

// Principal is who is asking: a signed-in user or an API client acting for
// one. It is built by the server from the session or token, never from what
// the client claims.
type Principal struct {
	UserID    int64
	Username  string
	Agency    string
	Roles     []Role
	Clearance Classification
	// Cases are the ids of the cases the user is a member of, loaded with
	// the principal on every request (see Share).
	Cases []string
}

// PrincipalOf returns the principal for u.
func PrincipalOf(u *User) Principal {
	return Principal{UserID: u.ID, Username: u.Username, Agency: u.Agency, Roles: u.Roles, Clearance: u.Clearance}
}

// Has reports whether the principal holds role r.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// CanWriteRecords reports whether the principal may create and edit records
// of its own agency.
func (p Principal) CanWriteRecords() bool {
	return p.Has(RoleAnalyst) || p.Has(RoleInvestigator) || p.Has(RoleSupervisor) || p.Has(RoleProtection)
}
