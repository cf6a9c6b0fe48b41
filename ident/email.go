package ident

import (
	"net/mail"
	"strings"
)

// maxEmail is the longest address SMTP can carry (RFC 5321 path limit).
const maxEmail = 254

// normalizeEmail trims and lower-cases the whole address, then requires a
// bare address (no display name, angle brackets, comments or quoted local
// part) that net/mail accepts, with a dotted domain.
//
// RFC 5321 lets the local part be case-sensitive, but the providers used in
// Pakistan (Gmail, Outlook, Yahoo, local ISPs) ignore case, while officers
// type the same address as "Asif.Khan@Gmail.com" and "asif.khan@gmail.com".
// A missed hit is far likelier than two people whose addresses differ only
// in case, so the whole address is lower-cased. Provider-specific rules
// (Gmail dots, +tags) are not applied: they are not universal and would
// merge distinct addresses at other providers.
func normalizeEmail(raw string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	switch {
	case s == "":
		return "", newError(Email, raw, "is empty")
	case len(s) > maxEmail:
		return "", newError(Email, raw, "is longer than %d characters", maxEmail)
	}
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return "", newError(Email, raw, "is not an e-mail address")
	}
	// Requiring the parsed address to equal the input rejects display
	// names, <...>, comments and quoted local parts, whose unquoted
	// Address would not parse again.
	if addr.Name != "" || addr.Address != s {
		return "", newError(Email, raw, "must be a bare address like name@example.com")
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	switch {
	case strings.HasPrefix(domain, "["):
		return "", newError(Email, raw, "domain must be a name, not an IP address")
	case !strings.Contains(domain, "."):
		return "", newError(Email, raw, "domain %q has no dot", clip(domain))
	}
	return s, nil
}
