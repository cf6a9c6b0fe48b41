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
	// Jurisdiction is the province or territory whose series the letters
	// belong to ("Punjab", "Sindh", "Islamabad"), or "" when they do not
	// say. It is a hint for the analyst, never part of the key: series
	// overlap between provinces, Punjab's province-wide plates carry no
	// district, and a plate keeps its letters when the car moves.
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// Issuer narrows Jurisdiction where the letters say more: the city of a
	// Punjab city-coded series ("Lahore") or the body of a Sindh government
	// series ("Sindh Police").
	Issuer string `json:"issuer,omitempty"`
}

func (p PlateNumber) letters() int { return countLetters(p.Number) }

// plateCities maps the first two letters of a three-letter city-coded
// series to where it is issued: Punjab's pre-2018 district series (LEA-1234
// Lahore, RIZ-3725 Rawalpindi, MNE-6762 Multan) and Islamabad's ID… series.
// Only codes seen in published examples are listed; an unknown code gets no
// jurisdiction rather than a guess.
var plateCities = map[string]struct{ jurisdiction, issuer string }{
	"LE": {"Punjab", "Lahore"},
	"RI": {"Punjab", "Rawalpindi"},
	"MN": {"Punjab", "Multan"},
	"ID": {"Islamabad", ""},
}

// plateGovernment maps the two-letter government series of Sindh (green
// plates) to their issuer.
var plateGovernment = map[string]struct{ jurisdiction, issuer string }{
	"GS": {"Sindh", "Sindh Government"},
	"GP": {"Sindh", "Sindh Government"},
	"GL": {"Sindh", "Sindh Government"},
	"HC": {"Sindh", "High Court"},
	"SP": {"Sindh", "Sindh Police"},
}

// plateJurisdiction fills Jurisdiction and Issuer from the letters and the
// number of digits. Sindh's private and commercial plates run in one series
// of 3 letters and 3 digits, from AAA-001 in 1996 (AFR by 2004), so it is
// still in the early letters: 3 letters starting A or B with 3 digits read
// as Sindh. Punjab's province-wide plates have the same shape, which is why
// Jurisdiction is only a hint.
func plateJurisdiction(p *PlateNumber, letters, digits string) {
	if g, ok := plateGovernment[letters]; ok {
		p.Jurisdiction, p.Issuer = g.jurisdiction, g.issuer
		return
	}
	if len(letters) != 3 {
		return
	}
	if c, ok := plateCities[letters[:2]]; ok {
		p.Jurisdiction, p.Issuer = c.jurisdiction, c.issuer
		return
	}
	if (letters[0] == 'A' || letters[0] == 'B') && len(digits) == 3 {
		p.Jurisdiction = "Sindh"
	}
}

// plateWarnings says what is odd about a valid plate. Serial letter series
// skip I, O and U (they read as 1, 0 and V), so a plate with them is
// likely misread or mistyped; the I in city codes such as RIZ and IDA is
// part of the code and does not count.
func plateWarnings(p PlateNumber) []string {
	letters := p.Number[:p.letters()]
	serial := letters
	if len(letters) == 3 {
		if _, ok := plateCities[letters[:2]]; ok {
			serial = letters[2:]
		}
	}
	if strings.ContainsAny(serial, "IOU") {
		return []string{"letters I, O and U are not issued on Pakistani plates (misread 1, 0 or V?)"}
	}
	return nil
}

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
//
// Jurisdiction and Issuer are filled when the letters name a known series;
// letters I, O and U are accepted (Check warns about them).
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
	p := PlateNumber{Number: letters + number, Year: year}
	plateJurisdiction(&p, letters, number)
	return p, nil
}
