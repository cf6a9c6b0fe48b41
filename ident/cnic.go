package ident

import "strings"

// Sex values implied by a CNIC's last digit. They match FollowTheMoney's
// gender values so they can be compared with a record's gender directly.
const (
	Male   = "male"
	Female = "female"
)

// cnicProvinces maps the first CNIC digit to the issuing province or
// territory (NADRA). FATA was merged into Khyber Pakhtunkhwa in 2018 but
// CNICs issued before keep the 2.
var cnicProvinces = [...]string{
	1: "Khyber Pakhtunkhwa",
	2: "FATA",
	3: "Punjab",
	4: "Sindh",
	5: "Balochistan",
	6: "Islamabad",
	7: "Gilgit-Baltistan",
}

// normalizeCNIC accepts the 13 digits with or without the usual dashes
// (XXXXX-XXXXXXX-X) and spaces. Dash positions are not enforced: people
// group the digits in odd ways and the digits alone identify the card.
// There is no public checksum, so only length and province are checked.
func normalizeCNIC(raw string) (string, error) {
	s := strings.TrimSpace(asciiDigits(raw))
	if s == "" {
		return "", newError(CNIC, raw, "is empty")
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case isDigit(r):
			b.WriteRune(r)
		case r == '-' || isSpace(r):
		default:
			return "", newError(CNIC, raw, "may contain only digits, dashes and spaces, found %s", describe(r))
		}
	}
	d := b.String()
	if len(d) != 13 {
		return "", newError(CNIC, raw, "must have 13 digits, has %d", len(d))
	}
	if d[0] < '1' || d[0] > '7' {
		return "", newError(CNIC, raw, "first digit must be a province code 1-7, is %c", d[0])
	}
	return d, nil
}

// CNICInfo returns the province (or territory) and the sex ("male" or
// "female") implied by a CNIC, which may be given in any accepted form. Both
// are empty if cnic is not valid. The sex comes from the last digit (odd
// male, even female); a mismatch with a recorded sex deserves a warning,
// never a rejection, since data-entry errors happen on either side.
func CNICInfo(cnic string) (province string, sex string) {
	d, err := normalizeCNIC(cnic)
	if err != nil {
		return "", ""
	}
	sex = Male
	if (d[12]-'0')%2 == 0 {
		sex = Female
	}
	return cnicProvinces[d[0]-'0'], sex
}

// FormatCNIC returns a CNIC in the printed form XXXXX-XXXXXXX-X, or "" if
// it is not valid. Use it for display only; store and compare Normalize's
// output.
func FormatCNIC(cnic string) string {
	d, err := normalizeCNIC(cnic)
	if err != nil {
		return ""
	}
	return d[:5] + "-" + d[5:12] + "-" + d[12:]
}
