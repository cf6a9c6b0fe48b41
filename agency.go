package rabta

import (
	"regexp"
	"strings"
	"time"
)

// Agency is one organisation on the platform: a law-enforcement agency, a
// ministry or a victim-support organisation. Its contact point is what other
// agencies see in a pointer, so it names a desk, not a person.
type Agency struct {
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	Contact      Contact   `json:"contact"`
	TOTPOptional bool      `json:"totp_optional"` // an agency admin may waive the second factor
	CreatedAt    time.Time `json:"created_at"`
}

// Contact is an agency's contact point for pointers and hits.
type Contact struct {
	Desk  string `json:"desk"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

var agencyCode = regexp.MustCompile(`^[A-Z][A-Z0-9-]{1,31}$`)

// Validate checks an agency before it is stored.
func (a *Agency) Validate() error {
	a.Code = strings.ToUpper(strings.TrimSpace(a.Code))
	a.Name = strings.TrimSpace(a.Name)
	if !agencyCode.MatchString(a.Code) {
		return Errorf(EInvalid, "agency code %q: use 2–32 capital letters, digits or dashes, starting with a letter", a.Code)
	}
	if a.Name == "" {
		return Errorf(EInvalid, "agency %s: name is required", a.Code)
	}
	return nil
}
