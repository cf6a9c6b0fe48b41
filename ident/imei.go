package ident

import "strings"

// imeiForm says how an IMEI was written; Check turns it into a warning.
type imeiForm int

const (
	imeiChecked imeiForm = iota // 15 digits whose check digit verified
	imeiNoCheck                 // 14 digits, check digit computed
	imeiSpare                   // 15 digits ending in a network record's spare 0
	imeiSV                      // 16-digit IMEISV, software version dropped
)

// normalizeIMEI returns the 15-digit IMEI: the 8-digit type allocation
// code, the 6-digit serial number and the Luhn check digit (3GPP TS 23.003).
func normalizeIMEI(raw string) (string, error) {
	v, _, err := parseIMEI(raw)
	return v, err
}

// parseIMEI accepts the digits with spaces, dashes or slashes anywhere
// (35-780502-398494-2, 35 780502 398494 2, 357805/02/398494/2) in these
// lengths:
//
//   - 15: the IMEI. A wrong check digit is refused as a typo, except a final
//     0: networks do not transmit the check digit and put a spare 0 in its
//     place (3GPP TS 22.016, 23.003), so call records and operator replies
//     carry 35780502398494 0 for the handset labelled …4942. Refusing those
//     would leave every call record's IMEI out of the index.
//   - 14: the IMEI without its check digit, which is computed.
//   - 16: an IMEISV (14 digits and a 2-digit software version). The version
//     changes with a software update of the same handset, so it is dropped
//     and the check digit computed.
//
// Whatever the input, the normal form is the 14 identifying digits and their
// Luhn check digit, so all of the above meet in one key.
func parseIMEI(raw string) (string, imeiForm, error) {
	s := strings.TrimSpace(asciiDigits(raw))
	if s == "" {
		return "", 0, newError(IMEI, raw, "is empty")
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case isDigit(r):
			b.WriteRune(r)
		case r == '-' || r == '/' || isSpace(r):
		default:
			return "", 0, newError(IMEI, raw, "may contain only digits, spaces, dashes and slashes, found %s", describe(r))
		}
	}
	d := b.String()
	if len(d) < 14 || len(d) > 16 {
		return "", 0, newError(IMEI, raw, "must have 15 digits (or 14 without the check digit, or 16 for an IMEISV), has %d", len(d))
	}
	body := d[:14]
	if strings.Trim(body, "0") == "" {
		// Switches and forms write zeros for "no IMEI"; indexing them
		// would make every such record a hit on every other.
		return "", 0, newError(IMEI, raw, "is all zeros, a placeholder for a missing IMEI")
	}
	check := luhnDigit(body)
	normal := body + string(check)
	switch {
	case len(d) == 14:
		return normal, imeiNoCheck, nil
	case len(d) == 16:
		return normal, imeiSV, nil
	case d[14] == check:
		return normal, imeiChecked, nil
	case d[14] == '0':
		return normal, imeiSpare, nil
	}
	return "", 0, newError(IMEI, raw, "check digit is %c, but the Luhn check digit of the first 14 digits is %c (mistyped?)", d[14], check)
}

// luhnDigit returns the Luhn check digit (ISO/IEC 7812-1 Annex B) to append
// to the ASCII digits s: from the right, every other digit starting with the
// last is doubled (digits of the product summed), and the check digit brings
// the total to a multiple of 10.
func luhnDigit(s string) byte {
	sum, double := 0, true
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// luhnValid reports whether the ASCII digits s end in their Luhn check digit.
func luhnValid(s string) bool {
	return len(s) >= 2 && luhnDigit(s[:len(s)-1]) == s[len(s)-1]
}

// imeiReportingBodies are the first two digits of every type allocation
// code the GSMA has allocated (TS.06 Annex A): 00 and 02-09 are test IMEIs,
// the rest are reporting bodies past and present.
var imeiReportingBodies = map[string]bool{
	"01": true, "10": true, "30": true, "33": true, "35": true, "44": true,
	"45": true, "49": true, "50": true, "51": true, "52": true, "53": true,
	"54": true, "86": true, "91": true, "98": true, "99": true,
}

// detectIMEI reports whether free text is an IMEI as Detect reads it: 15
// digits (with the separators parseIMEI allows, but no +) whose check
// digit verifies and whose first two digits are an allocated reporting
// body. The Luhn check alone would pass one random 15-digit number in ten
// (a 15-digit card or phone number); the reporting body cuts that further
// and rules out 00-prefixed international phone numbers, which are never
// IMEIs.
func detectIMEI(q string) (string, bool) {
	v, form, err := parseIMEI(q)
	if err != nil || form != imeiChecked || countDigits(q) != 15 || !imeiReportingBodies[v[:2]] {
		return "", false
	}
	return v, true
}
