package rabta

import (
	"math"
	"slices"
	"strings"
	"time"
)

// OperationType is the kind of a planned operation.
type OperationType string

const (
	OpRaid               OperationType = "raid"
	OpArrest             OperationType = "arrest"
	OpSurveillance       OperationType = "surveillance"
	OpControlledDelivery OperationType = "controlled_delivery"
	OpUndercoverMeeting  OperationType = "undercover_meeting"
)

// OperationTypes lists every type in a stable order.
var OperationTypes = []OperationType{OpRaid, OpArrest, OpSurveillance, OpControlledDelivery, OpUndercoverMeeting}

// OpContact is whom another agency calls about an operation.
type OpContact struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// Operation is a planned operation registered for event deconfliction: an
// area (a circle) and a time window. Its title and type stay with its
// agency; another agency learns of it only through a conflict, which shows
// the contact and the overlap.
type Operation struct {
	ID        string        `json:"id"`
	Agency    string        `json:"agency"`
	Type      OperationType `json:"type"`
	Title     string        `json:"title"`
	Lat       float64       `json:"lat"`
	Lon       float64       `json:"lon"`
	RadiusM   float64       `json:"radius_m"`
	District  string        `json:"district,omitempty"`
	Start     time.Time     `json:"start"`
	End       time.Time     `json:"end"`
	Contact   OpContact     `json:"contact"`
	CreatedBy string        `json:"created_by"`
	CreatedAt time.Time     `json:"created_at"`
	Cancelled bool          `json:"cancelled"`
	Conflicts []Conflict    `json:"conflicts"`
}

// Limits of a registration: an area larger than a division or a window
// longer than a month is not a plan another agency can deconflict with.
const (
	maxOpRadiusM = 100_000
	maxOpWindow  = 31 * 24 * time.Hour
)

// Validate checks an operation before it is registered at now.
func (o *Operation) Validate(now time.Time) error {
	if !slices.Contains(OperationTypes, o.Type) {
		return Errorf(EInvalid, "type: %q is not one of raid, arrest, surveillance, controlled_delivery, undercover_meeting", o.Type)
	}
	o.Title = strings.TrimSpace(o.Title)
	if o.Title == "" || len(o.Title) > 200 {
		return Errorf(EInvalid, "title: required, at most 200 characters (only your agency sees it)")
	}
	if math.IsNaN(o.Lat) || o.Lat < -90 || o.Lat > 90 {
		return Errorf(EInvalid, "lat: %v is out of range (-90 to 90)", o.Lat)
	}
	if math.IsNaN(o.Lon) || o.Lon < -180 || o.Lon > 180 {
		return Errorf(EInvalid, "lon: %v is out of range (-180 to 180)", o.Lon)
	}
	if math.IsNaN(o.RadiusM) || o.RadiusM < 1 || o.RadiusM > maxOpRadiusM {
		return Errorf(EInvalid, "radius_m: %v is out of range (1 to 100,000 metres)", o.RadiusM)
	}
	if o.Start.IsZero() || o.End.IsZero() {
		return Errorf(EInvalid, "start, end: both required (RFC 3339)")
	}
	if !o.End.After(o.Start) {
		return Errorf(EInvalid, "end: %s is not after start", o.End.Format(time.RFC3339))
	}
	if !o.End.After(now) {
		return Errorf(EInvalid, "end: %s is in the past", o.End.Format(time.RFC3339))
	}
	if o.End.Sub(o.Start) > maxOpWindow {
		return Errorf(EInvalid, "end: a window of at most 31 days")
	}
	return nil
}

// Resolution is how two agencies settle a conflict.
type Resolution string

const (
	ResolveProceed Resolution = "proceed"
	ResolveJoint   Resolution = "joint"
	ResolveDelay   Resolution = "delay"
	ResolveCancel  Resolution = "cancel"
)

// Resolutions lists every resolution in a stable order.
var Resolutions = []Resolution{ResolveProceed, ResolveJoint, ResolveDelay, ResolveCancel}

// Overlap is where and when two operations meet.
type Overlap struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// DistanceM: the centres are at most this far apart; OverlapM: the
	// areas overlap by at least this (sum of radii minus distance), 0 when
	// less than 500 m. Both in bands of 0.5, 1, 2, 5, 10, 20, 50, 100 and
	// 200 km: see overlapBands.
	DistanceM float64 `json:"distance_m"`
	OverlapM  float64 `json:"overlap_m"`
}

// Conflict is two operations of different agencies whose areas and windows
// overlap, as one side sees it: the other agency, its contact, the
// overlap — never the other's title, type, place or targets.
type Conflict struct {
	ID         string     `json:"id"`
	Operation  string     `json:"operation"` // ours
	Agency     string     `json:"agency"`    // theirs
	Contact    OpContact  `json:"contact"`
	Desk       Contact    `json:"desk"`
	Overlap    Overlap    `json:"overlap"`
	FoundAt    time.Time  `json:"found_at"`
	Resolution Resolution `json:"resolution,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	Note       string     `json:"note,omitempty"`
	// Cancelled: one of the two operations has been called off since.
	Cancelled bool `json:"cancelled"`
}

// Conflicts reports whether operations a and b conflict, given the distance
// between their centres: different agencies, neither cancelled, areas
// overlapping (distance less than the sum of radii) and windows
// overlapping (each starts before the other ends).
func Conflicts(a, b *Operation, distanceM float64) (Overlap, bool) {
	if a.Agency == b.Agency || a.Cancelled || b.Cancelled {
		return Overlap{}, false
	}
	if !(distanceM < a.RadiusM+b.RadiusM) || !a.Start.Before(b.End) || !b.Start.Before(a.End) {
		return Overlap{}, false
	}
	from, to := a.Start, a.End
	if b.Start.After(from) {
		from = b.Start
	}
	if b.End.Before(to) {
		to = b.End
	}
	return Overlap{From: from, To: to, DistanceM: bandUp(distanceM), OverlapM: bandDown(a.RadiusM + b.RadiusM - distanceM)}, true
}

// overlapBands are the distances a conflict speaks in. Exact metres would
// let an agency find another's operation from a few probing registrations
// (the distances to three known points fix a place); bands say how close
// the teams would be and no more.
var overlapBands = []float64{500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000}

// bandUp is the smallest band at or above d: "at most this far apart".
func bandUp(d float64) float64 {
	for _, b := range overlapBands {
		if d <= b {
			return b
		}
	}
	return overlapBands[len(overlapBands)-1]
}

// bandDown is the largest band at or below d ("overlapping by at least
// this"), 0 below the smallest.
func bandDown(d float64) float64 {
	out := 0.0
	for _, b := range overlapBands {
		if d >= b {
			out = b
		}
	}
	return out
}

// PKT is Pakistan Standard Time (UTC+5, no daylight saving): the time in
// which desks read deadlines and windows.
var PKT = time.FixedZone("PKT", 5*3600)
