package rabta

import (
	"slices"
	"time"
)

// Access is what a principal may see of a record.
type Access string

const (
	// AccessNone: nothing; the record must be indistinguishable from one
	// that does not exist.
	AccessNone Access = "none"
	// AccessPointer: existence only — holding agency, its contact point and
	// the schema. Never a property value.
	AccessPointer Access = "pointer"
	// AccessFull: the record with its properties.
	AccessFull Access = "full"
)

var accessRank = map[Access]int{AccessNone: 0, AccessPointer: 1, AccessFull: 2}

// Min returns the narrower of a and b.
func (a Access) Min(b Access) Access {
	if accessRank[b] < accessRank[a] {
		return b
	}
	return a
}

// ReadsIntelligence reports whether the principal's roles involve reading
// intelligence records (as opposed to protection, strategy, audit or
// admin): analysts, investigators and supervisors, who also open cases
// and plan operations.
func (p Principal) ReadsIntelligence() bool {
	return p.Has(RoleAnalyst) || p.Has(RoleInvestigator) || p.Has(RoleSupervisor)
}

// Decide is the access decision: the one function that says what principal p
// may see of a record held by agency holder under marking m. Every path that
// reads records (fetch, list, search, counts, export, graph) goes through it,
// inside the store.
//
// The rules, in order:
//   - A principal whose roles do not involve records (admin, auditor,
//     coordinator) sees none: least privilege.
//   - informant: none for everyone except intelligence roles of the holding
//     agency cleared to the record's level. The searcher learns nothing.
//   - A record is "permitted" to the holding agency and to the agencies its
//     release names (all agencies for release all/public).
//   - Full needs a permitted agency, a clearance covering the classification,
//     and the role the record's kind asks for: victim, witness and minor
//     records need the protection role; all others an intelligence role.
//   - Otherwise pointer.
//
// Shares (grants and case attachments) widen the permitted agencies for
// the principals they reach, and nothing else: clearance, the protected
// categories and the informant rule hold as before. The caller passes only
// shares that are live (not revoked, not expired).
//
// Links are further narrowed by their ends: see DecideLink.
func Decide(p Principal, holder string, m Marking, shares ...Share) Access {
	if !p.ReadsIntelligence() && !p.Has(RoleProtection) {
		return AccessNone
	}
	own := p.Agency == holder
	cleared := p.Clearance.Covers(m.Classification)
	if m.Has(CatInformant) && !(own && cleared && p.ReadsIntelligence()) {
		return AccessNone
	}
	permitted := own || m.ReleasedTo(p.Agency) || slices.ContainsFunc(shares, p.reachedBy)
	if !permitted || !cleared {
		return AccessPointer
	}
	if m.Protected() {
		if p.Has(RoleProtection) {
			return AccessFull
		}
		return AccessPointer
	}
	if p.ReadsIntelligence() {
		return AccessFull
	}
	return AccessPointer
}

// DecideLink narrows the access to a link record by the access to the
// records it connects: a link is shown only if the link and both its ends
// may be shown, and it is as hidden as its most hidden end.
func DecideLink(link Access, ends ...Access) Access {
	for _, e := range ends {
		link = link.Min(e)
	}
	return link
}

// A Share widens a record beyond its marking. Two kinds exist:
//   - a grant (an approved access request): Agency names the requesting
//     agency; with Case set, only that agency's members of the case;
//   - a case attachment by the holding agency: Agency is empty, and every
//     member of Case is reached.
//
// Until, if not zero, is when a grant lapses.
type Share struct {
	Agency string
	Case   string
	Until  time.Time
}

// Live reports whether the share is in force at t.
func (sh Share) Live(t time.Time) bool { return sh.Until.IsZero() || t.Before(sh.Until) }

// reachedBy reports whether the share widens access for p.
func (p Principal) reachedBy(sh Share) bool {
	if sh.Agency != "" && sh.Agency != p.Agency {
		return false
	}
	if sh.Case == "" {
		return sh.Agency != ""
	}
	return slices.Contains(p.Cases, sh.Case)
}
