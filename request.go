package rabta

import (
	"slices"
	"strings"
	"time"
)

// RequestType is what one agency asks of another.
type RequestType string

const (
	// RequestRFI asks for information.
	RequestRFI RequestType = "rfi"
	// RequestAccess asks to see records behind a hit or a pointer; its
	// approval creates a Grant.
	RequestAccess RequestType = "access"
	// RequestAssistance asks for help: an arrest, a search, a witness.
	RequestAssistance RequestType = "assistance"
)

// RequestState is where a request stands. Overdue is not a state: it is
// an open request whose deadline has passed (see Request.Overdue).
type RequestState string

const (
	StateSubmitted    RequestState = "submitted"
	StateAcknowledged RequestState = "acknowledged"
	StateAnswered     RequestState = "answered"
	StateRefused      RequestState = "refused"
	StateWithdrawn    RequestState = "withdrawn"
)

// Open reports whether the request still waits for the receiving agency.
func (s RequestState) Open() bool { return s == StateSubmitted || s == StateAcknowledged }

// Urgency orders requests in the receiving desk's queue.
type Urgency string

const (
	UrgencyRoutine   Urgency = "routine"
	UrgencyPriority  Urgency = "priority"
	UrgencyImmediate Urgency = "immediate"
)

// Subjects are what a request is about. Records are record ids the
// requester knows (as pointers); Hits are ids of the requester's own sent
// hits, whose records the store resolves without showing them; Selectors
// are identifiers as typed.
type Subjects struct {
	Records   []string `json:"records,omitempty"`
	Profiles  []string `json:"profiles,omitempty"`
	Hits      []int64  `json:"hits,omitempty"`
	Selectors []string `json:"selectors,omitempty"`
}

// Empty reports whether no subject is named.
func (s Subjects) Empty() bool {
	return len(s.Records)+len(s.Profiles)+len(s.Hits)+len(s.Selectors) == 0
}

// Request is one agency's request to another.
type Request struct {
	ID        string      `json:"id"`
	Type      RequestType `json:"type"`
	From      string      `json:"from"`
	To        string      `json:"to"`
	Case      string      `json:"case,omitempty"`
	CreatedBy string      `json:"created_by"`
	Subjects  Subjects    `json:"subjects"`
	// Asked are the records an access request stands for (its hits
	// resolved), as far as the reader may know of them.
	Asked          []string     `json:"asked_records,omitempty"`
	Justification  string       `json:"justification"`
	Urgency        Urgency      `json:"urgency"`
	Deadline       time.Time    `json:"deadline"`
	State          RequestState `json:"state"`
	Overdue        bool         `json:"overdue"`
	Reason         string       `json:"reason,omitempty"`
	CreatedAt      time.Time    `json:"created_at"`
	AcknowledgedAt *time.Time   `json:"acknowledged_at,omitempty"`
	ClosedAt       *time.Time   `json:"closed_at,omitempty"`
	ClosedBy       string       `json:"closed_by,omitempty"`
	Replies        []Reply      `json:"replies,omitempty"`
	Grant          *Grant       `json:"grant,omitempty"`
}

// Validate checks a new request; now is the time it is made.
func (r *Request) Validate(now time.Time) error {
	switch r.Type {
	case RequestRFI, RequestAccess, RequestAssistance:
	default:
		return Errorf(EInvalid, "type: %q is not one of rfi, access, assistance", r.Type)
	}
	r.To = strings.ToUpper(strings.TrimSpace(r.To))
	if r.To == "" {
		return Errorf(EInvalid, "to: name the agency the request goes to")
	}
	if r.To == r.From {
		return Errorf(EInvalid, "to: a request goes to another agency, not to %s", r.From)
	}
	r.Justification = strings.TrimSpace(r.Justification)
	if len(r.Justification) < 10 {
		return Errorf(EInvalid, "justification: say why (at least 10 characters); the receiving agency decides on it")
	}
	if len(r.Justification) > 4000 {
		return Errorf(EInvalid, "justification: at most 4,000 characters")
	}
	if r.Urgency == "" {
		r.Urgency = UrgencyRoutine
	}
	if !slices.Contains([]Urgency{UrgencyRoutine, UrgencyPriority, UrgencyImmediate}, r.Urgency) {
		return Errorf(EInvalid, "urgency: %q is not one of routine, priority, immediate", r.Urgency)
	}
	if r.Deadline.IsZero() {
		return Errorf(EInvalid, "deadline: required (RFC 3339 time or a date)")
	}
	if !r.Deadline.After(now) {
		return Errorf(EInvalid, "deadline: %s is in the past", r.Deadline.Format(time.RFC3339))
	}
	if r.Deadline.After(now.AddDate(1, 0, 0)) {
		return Errorf(EInvalid, "deadline: more than a year ahead")
	}
	if r.Type == RequestAccess && len(r.Subjects.Records)+len(r.Subjects.Hits) == 0 {
		return Errorf(EInvalid, "records: an access request names the records (or hits) it asks to see")
	}
	if r.Subjects.Empty() && r.Type != RequestAssistance {
		return Errorf(EInvalid, "subjects: name at least one record, profile, hit or selector")
	}
	if n := len(r.Subjects.Records) + len(r.Subjects.Profiles) + len(r.Subjects.Hits) + len(r.Subjects.Selectors); n > 500 {
		return Errorf(EInvalid, "subjects: at most 500 (got %d)", n)
	}
	return nil
}

// Reply is the receiving agency's answer, or a note from either side. It
// carries its own handling code and classification: a reader not cleared
// for it sees that a reply exists and nothing more.
type Reply struct {
	ID             string         `json:"id"`
	Author         string         `json:"author"`
	Agency         string         `json:"agency"`
	Body           string         `json:"body,omitempty"`
	Handling       string         `json:"handling"` // P or C
	Conditions     string         `json:"conditions,omitempty"`
	Classification Classification `json:"classification"`
	Withheld       bool           `json:"withheld,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	Attachments    []Attachment   `json:"attachments"`
}

// Grant makes named records visible to an agency (or only to its members
// of a case) beyond their marking, until a date or revocation.
type Grant struct {
	ID        string     `json:"id"`
	Request   string     `json:"request"`
	Holder    string     `json:"holder"`
	Grantee   string     `json:"grantee"`
	Case      string     `json:"case,omitempty"`
	Records   []string   `json:"records"`
	Until     *time.Time `json:"until,omitempty"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty"`
	Active    bool       `json:"active"`
}

// DecidesRequests reports whether p may approve, refuse and answer the
// requests its agency receives, and revoke its grants: the supervisor.
func (p Principal) DecidesRequests() bool { return p.Has(RoleSupervisor) }
