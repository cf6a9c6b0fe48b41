package ident

import "strings"

// PlateNumber is a Pakistani vehicle registration number.
type PlateNumber struct {
	// Number is the normal form: 1-4 upper-case letters then 1-4 digits,
	// no separators (LEA1234). Leading zeros are kept (AAA001): they are
	// printed on the plate and stripping them could merge two plates.
	Number string `json:"number"`
	// Year is the 2-digit registration-year suffix as typed ("07"), or "".
	// It is not part of the key: the same plate is often recorded with and
	// without it.
	Year string `json:"year,omitempty"`
}

func (p PlateNumber) letters() int { return countLetters(p.Number) }

// ParsePlate normalises a vehicle plate. The input is Latin letters and
// digits, optionally separated by spaces, dashes, dots or slashes, in one of
// these shapes (L = letters, D = digits):
//
//	L D        LEA-1234, LEA 1234, RIZ3725, AAA-001
//	L D YY     LEA-1234-07   (2-digit year after the number)
//	L YY D     LEA 07 1234   (year between letters and number; D has 3-4 digits)
//
// Letter groups split by separators are joined ("L EA 1234"). When both
// trailing digit groups have 2 digits (GS-12-07) the last one is the year,
// as in the usual LEA-1234-07. Digits run together are never split into
// number and year: LEA123407 has 6 digits and is rejected. After removing
// separators and year, the plate must be 1-4 letters then 1-4 digits.
func ParsePlate(raw string) (PlateNumber, error) {
	type group struct {
		digits bool
		text   string
	}
	var groups []group
	var cur strings.Builder
	curDigits := false
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		// Letter groups merge; digit groups stay apart so a year can be told
		// from the number.
		if n := len(groups); n > 0 && !curDigits && !groups[n-1].digits {
			groups[n-1].text += cur.String()
		} else {
			groups = append(groups, group{curDigits, cur.String()})
		}
		cur.Reset()
	}
	for _, r := range strings.TrimSpace(asciiDigits(raw)) {
		switch {
		case isDigit(r) || isLetter(r):
			if cur.Len() > 0 && isDigit(r) != curDigits {
				flush()
			}
			curDigits = isDigit(r)
			cur.WriteRune(upper(r))
		case r == '-' || r == '.' || r == '/' || isSpace(r):
			flush()
		default:
			return PlateNumber{}, newError(Plate, raw, "may contain only Latin letters, digits, spaces, dashes, dots and slashes, found %s", describe(r))
		}
	}
	flush()

	const shape = "must be 1-4 letters then 1-4 digits, optionally with a 2-digit year (LEA-1234, LEA-1234-07)"
	if len(groups) == 0 {
		return PlateNumber{}, newError(Plate, raw, "is empty")
	}
	if groups[0].digits || len(groups) < 2 || len(groups) > 3 || !groups[1].digits {
		return PlateNumber{}, newError(Plate, raw, "%s", shape)
	}
	letters, number, year := groups[0].text, groups[1].text, ""
	if len(groups) == 3 {
		last := groups[2]
		switch {
		case !last.digits:
			return PlateNumber{}, newError(Plate, raw, "%s", shape)
		case len(last.text) == 2:
			year = last.text
		case len(number) == 2 && len(last.text) >= 3:
			number, year = last.text, number
		default:
			return PlateNumber{}, newError(Plate, raw, "%s", shape)
		}
	}
	if len(letters) > 4 {
		return PlateNumber{}, newError(Plate, raw, "has %d letters, at most 4", len(letters))
	}
	if len(number) > 4 {
		return PlateNumber{}, newError(Plate, raw, "has %d digits, at most 4", len(number))
	}
	return PlateNumber{Number: letters + number, Year: year}, nil
}
