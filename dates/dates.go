// Package dates reads birth dates written in any common format into a
// possibly partial date, and compares two of them into a discrete agreement
// level, one feature of the Fellegi–Sunter record matcher.
//
// Input comes from CSV files of unknown origin (FEBRL 19560409, splink
// 1971-06-24, Pakistani forms 24/06/1971, sanctions lists "1 Jan. 1960",
// "Between 1960 and 1965", "approximately 1970"), so Parse accepts much and
// guesses in a fixed, documented way; what it cannot read with some
// confidence it refuses (ok=false), because a wrong date is worse for
// matching than a missing one.
//
// # What Parse reads
//
//   - Separators: any run of space, tab and / \ - . , _ ' " ( ) [ ], and of
//     the Unicode dashes, minus, fraction slash, no-break and thin spaces,
//     and invisible marks (zero-width space, byte-order mark, bidi marks as
//     found in Urdu text). Letters and digits need no separator between
//     them ("12MAR1975"). Arabic-Indic and Persian/Urdu digits (۱۹۷۱) count
//     as digits.
//   - Numeric order: a four-digit first group is year-month-day
//     ("1975-3-2"). Otherwise the year comes last and the order is
//     day-month-year (Pakistan, UK, Australia), except that when the second
//     group is over 12 and the first is not, it is month-day-year
//     (06/24/1971). When both of the first two groups lie in 1..12 and differ
//     (02/03/1975) the date is read day-month-year and marked Ambiguous.
//     A two-digit first group over 31 with a two-digit last group is
//     year-month-day (75/03/02).
//   - Two groups: year and month in either order ("1971-06", "06/1971").
//   - Eight digits without separators: YYYYMMDD when that is a valid date
//     with the year in 1800–2100, otherwise DDMMYYYY (with the same
//     day-month / month-day and Ambiguous rule as above), again with the
//     year in 1800–2100.
//   - Six digits: the first reading that is a valid date, in the order
//     DDMMYY (Ambiguous as above), YYMMDD, YYYYMM, MMYYYY, MMDDYY. DDMMYY
//     comes first because it is how the Pakistani and British forms this
//     matcher meets abbreviate dates; YYMMDD (passport machine-readable
//     zones) is taken only when DDMMYY is impossible.
//   - Four digits: a year. Years are 1000–9999 (a typed 2975 is kept, so
//     that Compare can see it as a typo of 1975); a lone number of any other
//     length is refused.
//   - Two-digit years (02/03/75, 12-MAR-75, Jan-05) become the latest year
//     not after PivotYear that ends in those digits, since no one is born in
//     the future.
//   - English month names, full or abbreviated to three or more letters,
//     with or without a dot, any case ("Sept", "Febr."). Weekday names,
//     ordinal suffixes (1st, 2nd, 23rd, 4th) and the words "the", "of" are
//     skipped, as are "between", "from", "born" and "dob". With a month
//     name, a four-digit number is the year and the other number the day;
//     with two short numbers the last is the year ("12-Mar-75") unless only
//     the first can be (over 31: "75 Mar 12"); a month name and one
//     two-digit number is a year only after a dash, slash or apostrophe
//     ("Jan-05", "Mar '75") or when over 31, since "March 12" has no year.
//   - Unknown parts: a day or month of 0 or "00", or a placeholder XX or ??,
//     is unknown: "1971-00-00" and "XX/XX/1971" are the year 1971. A day
//     without a month is dropped too. All zeros ("00/00/00", "000000") is
//     a blank, not the year 2000.
//   - Calendar: days are checked against the month, with Gregorian leap
//     years; 31/02/1990 and 2023-13-01 are refused.
//   - Vagueness: "c", "ca", "circa", "approx", "approximately", "about",
//     "abt", "around", "est", "estimated" and "~" set Approx. A single "?"
//     marks the date uncertain: Ambiguous if the day and month could be
//     swapped, Approx otherwise; "%" is both.
//   - Ranges: "between 1960 and 1965", "from 1960 to 1965", "1960-1965",
//     "1960 – 1965", "1960/1965", "1960-65", "1960 or 1961" and "1970s" give
//     Year..ToYear (reversed bounds are put in order). The ends may be full
//     dates; only their years are kept. A range whose ends share a year is
//     that year. A dash or slash makes a range only where both sides have a
//     four-digit year (or the second is a later two-digit year in the same
//     century, "1960-65") and the whole does not read as one date
//     ("1960-12" is December 1960).
//   - Clutter: a time of day after the date ("1971-06-24T00:00:00Z",
//     "6/24/1971 12:00:00 AM"), a label before a colon ("DOB: 1971"), and a
//     ".0" left by a spreadsheet that turned 19710624 into a float are
//     dropped.
//
// Anything else — an unknown word ("unknown", "n/a"), a lone short number,
// three numbers that fit no order, a string over 128 bytes — is refused.
//
// # Compare
//
// Compare grades two dates into a Level, best first: Exact, Transposed,
// Typo (full dates only), SameYearMonth (both have a month), SameYear,
// NearYear (one or two years apart), Different; Missing when either is
// unknown. A year-only date or a range never reaches more than SameYear,
// even against an identical one, so that each level carries one strength
// of evidence. An Ambiguous date counts under whichever of its two readings
// agrees better. See the Level constants for each rule.
//
// # String
//
// Dates print as ISO 8601 / EDTF: "1971-06-24", "1971-06", "1971",
// "1960/1965", followed by "~" when Approx, "?" when Ambiguous and "%" when
// both. Parse reads this back to the same Date.
package dates

import (
	"strconv"
	"time"
)

// PivotYear decides the century of two-digit years: "75" is the latest year
// ending in 75 that is not after PivotYear. It is the current year when the
// program starts; set it before parsing starts (not while Parse runs) to
// make results independent of the date the program runs.
var PivotYear = time.Now().Year()

// Date is a possibly partial calendar date. Year is set for every valid
// date; Month and Day are 0 when unknown, and Day is 0 whenever Month is.
type Date struct {
	Year, Month, Day int
	// Ambiguous marks a full date written with a day and month that could
	// be swapped (02/03/1975): both in 1..12, different, and no four-digit
	// first group fixing the order. Compare accepts either reading.
	Ambiguous bool
	// Approx marks a date given as approximate ("circa 1970", "1970~").
	Approx bool
	// ToYear is the last year of a range ("1960-1965" is Year 1960, ToYear
	// 1965); it is 0 for a single date and always greater than Year
	// otherwise. A range has no month or day.
	ToYear int
}

// IsZero reports whether d is the zero Date, that is, no date.
func (d Date) IsZero() bool { return d.Year == 0 }

// String returns d in ISO 8601 / EDTF form: "1971-06-24", "1971-06",
// "1971" or "1960/1965", with "~" appended when Approx, "?" when Ambiguous
// and "%" when both. The zero Date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	b := make([]byte, 0, 16)
	b = appendInt(b, d.Year, 4)
	if d.ToYear != 0 {
		b = append(b, '/')
		b = appendInt(b, d.ToYear, 4)
	} else if d.Month != 0 {
		b = append(b, '-')
		b = appendInt(b, d.Month, 2)
		if d.Day != 0 {
			b = append(b, '-')
			b = appendInt(b, d.Day, 2)
		}
	}
	switch {
	case d.Approx && d.Ambiguous:
		b = append(b, '%')
	case d.Approx:
		b = append(b, '~')
	case d.Ambiguous:
		b = append(b, '?')
	}
	return string(b)
}

// appendInt appends n zero-padded to width digits.
func appendInt(b []byte, n, width int) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// full reports whether d has a year, month and day.
func (d Date) full() bool { return d.Day != 0 && d.Month != 0 && d.ToYear == 0 }

// last is the last year d may fall in.
func (d Date) last() int {
	if d.ToYear != 0 {
		return d.ToYear
	}
	return d.Year
}

// swapped returns d with day and month exchanged.
func (d Date) swapped() Date {
	d.Day, d.Month = d.Month, d.Day
	return d
}

// swappable reports whether d's day and month could be exchanged.
func (d Date) swappable() bool {
	return d.full() && d.Day <= 12 && d.Day != d.Month
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// makeDate checks a year, month and day (0 = unknown) and builds the Date.
// A day without a month is dropped.
func makeDate(y, m, d int) (Date, bool) {
	if y < 1000 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31 {
		return Date{}, false
	}
	if m == 0 {
		return Date{Year: y}, true
	}
	if d > daysIn(y, m) {
		return Date{}, false
	}
	return Date{Year: y, Month: m, Day: d}, true
}

// expandYear turns a two-digit year into the latest year not after
// PivotYear that ends in those digits.
func expandYear(yy int) int {
	p := PivotYear
	y := p - p%100 + yy
	if y > p {
		y -= 100
	}
	return y
}

// Level is how well two dates agree, from best (Exact) to worst
// (Different); Missing means one of them is unknown.
type Level int

// The agreement levels, in order of decreasing agreement after Missing.
// Each level is used for one kind of evidence only, so that the
// Fellegi–Sunter weights estimated for a level stay meaningful: a full date
// can reach Exact, Transposed or Typo; only dates that both have a month can
// be SameYearMonth; a year-only date or a range is at best SameYear, even
// against an identical one, because "1971" = "1971" says no more than that
// the years agree.
const (
	// Missing: at least one date is unknown (zero).
	Missing Level = iota
	// Exact: two full dates are equal, under either reading of an
	// Ambiguous one.
	Exact
	// Transposed: two full dates in the same year with day and month
	// swapped (1975-03-12 and 1975-12-03).
	Transposed
	// Typo: the YYYYMMDD forms of two full dates are one keystroke apart:
	// one digit differs (1971-06-24 and 1971-06-25, or 1981-06-24) or two
	// adjacent digits are swapped (1971-06-24 and 1917-06-24; days 12 and
	// 21). Year-only dates have no Typo level: 1971 and 1917 are Different.
	Typo
	// SameYearMonth: both have a month, and year and month agree.
	SameYearMonth
	// SameYear: the years agree, or a year lies in a range, or two ranges
	// overlap.
	SameYear
	// NearYear: the years (or ranges) are one or two years apart.
	NearYear
	// Different: anything else.
	Different
)

var levelNames = [...]string{"missing", "exact", "transposed", "typo", "same-year-month", "same-year", "near-year", "different"}

func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return "Level(" + strconv.Itoa(int(l)) + ")"
	}
	return levelNames[l]
}

// Compare returns how well a and b agree. It is symmetric. Approx does not
// change the level: the NearYear band already covers the usual vagueness of
// "about 1970". An Ambiguous date is compared under both of its readings
// and the better level wins.
func Compare(a, b Date) Level {
	if a.IsZero() || b.IsZero() {
		return Missing
	}
	if a.ToYear != 0 || b.ToYear != 0 {
		gap := max(a.Year-b.last(), b.Year-a.last())
		switch {
		case gap <= 0:
			return SameYear
		case gap <= 2:
			return NearYear
		}
		return Different
	}
	l := compare(a, b)
	if a.Ambiguous && a.swappable() {
		l = min(l, compare(a.swapped(), b))
	}
	if b.Ambiguous && b.swappable() {
		l = min(l, compare(a, b.swapped()))
	}
	return l
}

// compare compares two single (non-range) dates under one reading.
func compare(a, b Date) Level {
	if a.full() && b.full() {
		switch {
		case a.Year == b.Year && a.Month == b.Month && a.Day == b.Day:
			return Exact
		case a.Year == b.Year && a.Month == b.Day && a.Day == b.Month:
			return Transposed
		case oneEdit(a, b):
			return Typo
		}
	}
	switch dy := a.Year - b.Year; {
	case dy == 0 && a.Month != 0 && a.Month == b.Month:
		return SameYearMonth
	case dy == 0:
		return SameYear
	case dy >= -2 && dy <= 2:
		return NearYear
	}
	return Different
}

// oneEdit reports whether the YYYYMMDD forms of a and b differ in exactly
// one digit or by one swap of adjacent digits.
func oneEdit(a, b Date) bool {
	x := a.Year*10000 + a.Month*100 + a.Day
	y := b.Year*10000 + b.Month*100 + b.Day
	var pos, dx, dy [2]int
	n := 0
	for i := 0; x != y; i++ { // from the last digit; stop once the rest agrees
		if x%10 != y%10 {
			if n == 2 {
				return false
			}
			pos[n], dx[n], dy[n] = i, x%10, y%10
			n++
		}
		x, y = x/10, y/10
	}
	return n == 1 || n == 2 && pos[1] == pos[0]+1 && dx[0] == dy[1] && dx[1] == dy[0]
}
