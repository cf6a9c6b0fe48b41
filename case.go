package rabta

import (
	"math"
	"slices"
	"strings"
	"time"
)

// CaseStatus is where a case stands.
type CaseStatus string

const (
	CaseOpen      CaseStatus = "open"
	CaseSuspended CaseStatus = "suspended"
	CaseClosed    CaseStatus = "closed"
)

// CaseStatuses lists every status in a stable order.
var CaseStatuses = []CaseStatus{CaseOpen, CaseSuspended, CaseClosed}

// CaseRole is a member's part in a case. Leads manage membership, status
// and records; members work the case; observers (a prosecutor, a
// coordinator's liaison) read it.
type CaseRole string

const (
	CaseLead     CaseRole = "lead"
	CaseWorker   CaseRole = "member"
	CaseObserver CaseRole = "observer"
)

// CaseRoles lists every case role in a stable order.
var CaseRoles = []CaseRole{CaseLead, CaseWorker, CaseObserver}

// Case is an investigation, joint when members come from more than one
// agency (a joint investigation team). Membership widens access to the
// records attached by their holding agencies (see Share); what a member
// sees of each is still decided record by record.
type Case struct {
	ID          string       `json:"id"`
	Number      string       `json:"number"`
	Title       string       `json:"title"`
	Lead        string       `json:"lead_agency"`
	Status      CaseStatus   `json:"status"`
	Offences    []string     `json:"offences"`
	Agencies    []string     `json:"agencies"`
	Joint       bool         `json:"joint"`
	CreatedBy   string       `json:"created_by"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	Members     []CaseMember `json:"members"`
	Records     []CaseRecord `json:"records"`
	Milestones  []Milestone  `json:"milestones"`
	Tasks       []Task       `json:"tasks"`
	Notes       []Note       `json:"notes"`
	Attachments []Attachment `json:"attachments"`
	Timeline    []Happening  `json:"timeline"`
}

// CaseMember is a user's membership of a case.
type CaseMember struct {
	Username string    `json:"username"`
	Name     string    `json:"name,omitempty"`
	Agency   string    `json:"agency"`
	Role     CaseRole  `json:"role"`
	AddedBy  string    `json:"added_by"`
	AddedAt  time.Time `json:"added_at"`
}

// CaseRecord is a record attached to a case, as the reader may see it:
// a caption only with full access, the holder's contact with a pointer.
type CaseRecord struct {
	ID      string   `json:"id"`
	Schema  string   `json:"schema"`
	Agency  string   `json:"agency"`
	Caption string   `json:"caption,omitempty"`
	Access  Access   `json:"access"`
	Contact *Contact `json:"contact,omitempty"`
	AddedBy string   `json:"added_by"`
	// Widens: attached by its holding agency, so members may see it.
	Widens  bool      `json:"widens"`
	AddedAt time.Time `json:"added_at"`
}

// MilestoneKind is a step in a case's legal life.
type MilestoneKind string

const (
	MilestoneFIR               MilestoneKind = "fir" // FIR or case registered
	MilestoneArrest            MilestoneKind = "arrest"
	MilestoneSeizure           MilestoneKind = "seizure"
	MilestoneChargeSheet       MilestoneKind = "charge_sheet"
	MilestoneTrial             MilestoneKind = "trial"
	MilestoneConviction        MilestoneKind = "conviction"
	MilestoneAcquittal         MilestoneKind = "acquittal"
	MilestoneAssetsFrozen      MilestoneKind = "assets_frozen"
	MilestoneAssetsConfiscated MilestoneKind = "assets_confiscated"
)

// MilestoneKinds lists every kind in a stable order.
var MilestoneKinds = []MilestoneKind{MilestoneFIR, MilestoneArrest, MilestoneSeizure, MilestoneChargeSheet, MilestoneTrial,
	MilestoneConviction, MilestoneAcquittal, MilestoneAssetsFrozen, MilestoneAssetsConfiscated}

// Milestone is one legal step: a seizure carries a quantity and unit
// (kg of heroin, persons rescued), assets an amount and currency.
type Milestone struct {
	ID         string        `json:"id"`
	Kind       MilestoneKind `json:"kind"`
	Date       string        `json:"date"` // YYYY-MM-DD
	Details    string        `json:"details,omitempty"`
	Quantity   float64       `json:"quantity,omitempty"`
	Unit       string        `json:"unit,omitempty"`
	Amount     float64       `json:"amount,omitempty"`
	Currency   string        `json:"currency,omitempty"`
	Agency     string        `json:"agency"`
	RecordedBy string        `json:"recorded_by"`
	RecordedAt time.Time     `json:"recorded_at"`
}

// Validate checks a milestone; today bounds its date.
func (m *Milestone) Validate(today time.Time) error {
	if !slices.Contains(MilestoneKinds, m.Kind) {
		return Errorf(EInvalid, "kind: %q is not one of fir, arrest, seizure, charge_sheet, trial, conviction, acquittal, assets_frozen, assets_confiscated", m.Kind)
	}
	d, err := time.Parse("2006-01-02", m.Date)
	if err != nil {
		return Errorf(EInvalid, "date: %q is not a date (YYYY-MM-DD)", m.Date)
	}
	if d.After(today.AddDate(0, 0, 1)) {
		return Errorf(EInvalid, "date: %s is in the future: record a milestone once it happened", m.Date)
	}
	m.Details = strings.TrimSpace(m.Details)
	if len(m.Details) > 2000 {
		return Errorf(EInvalid, "details: at most 2,000 characters")
	}
	if math.IsNaN(m.Quantity) || m.Quantity < 0 || math.IsNaN(m.Amount) || m.Amount < 0 {
		return Errorf(EInvalid, "quantity, amount: not negative")
	}
	switch m.Kind {
	case MilestoneSeizure:
		if m.Quantity <= 0 || strings.TrimSpace(m.Unit) == "" {
			return Errorf(EInvalid, "quantity, unit: a seizure says how much of what (e.g. 12.5 kg)")
		}
	case MilestoneAssetsFrozen, MilestoneAssetsConfiscated:
		m.Currency = strings.ToUpper(strings.TrimSpace(m.Currency))
		if m.Amount <= 0 || len(m.Currency) != 3 {
			return Errorf(EInvalid, "amount, currency: assets need an amount and an ISO 4217 currency (PKR, USD)")
		}
	}
	return nil
}

// TaskStatus is where a task stands.
type TaskStatus string

const (
	TaskOpen      TaskStatus = "open"
	TaskDone      TaskStatus = "done"
	TaskCancelled TaskStatus = "cancelled"
)

// Task is work assigned to a member of a case.
type Task struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Assignee  string     `json:"assignee"`
	Due       string     `json:"due,omitempty"` // YYYY-MM-DD
	Status    TaskStatus `json:"status"`
	Overdue   bool       `json:"overdue"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

// Note is a member's entry in a case, with a classification: a member not
// cleared for it sees that it exists.
type Note struct {
	ID             string         `json:"id"`
	Author         string         `json:"author"`
	Agency         string         `json:"agency"`
	Body           string         `json:"body,omitempty"`
	Classification Classification `json:"classification"`
	Withheld       bool           `json:"withheld,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
}

// Attachment is a file attached to a case, stored once by its SHA-256,
// with its own marking (handling, classification, special categories).
type Attachment struct {
	ID             string         `json:"id"`
	Name           string         `json:"name"`
	MediaType      string         `json:"media_type"`
	SHA256         string         `json:"sha256"`
	Size           int64          `json:"size"`
	Agency         string         `json:"agency"`
	Handling       string         `json:"handling"`
	Classification Classification `json:"classification"`
	Categories     []Category     `json:"categories"`
	Withheld       bool           `json:"withheld,omitempty"`
	AddedBy        string         `json:"added_by"`
	AddedAt        time.Time      `json:"added_at"`
}

// MaxAttachment is the largest attachment accepted.
const MaxAttachment = 20 << 20

// Happening is one line of a case's timeline.
type Happening struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	What string    `json:"what"`
	By   string    `json:"by"`
}
