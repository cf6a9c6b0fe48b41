package ident

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Verdict is what an analyst is told about one identifier: whether it is
// valid, its normal form, and what is odd about it even so.
type Verdict struct {
	Kind  Kind   `json:"kind"`
	Input string `json:"input"`
	// Normal is the normal form (Normalize's output), set when Valid.
	Normal string `json:"normal,omitempty"`
	Valid  bool   `json:"valid"`
	// Warnings are things worth knowing about a valid identifier (a FATA
	// CNIC, a foreign phone, an IMEI without its check digit). They never
	// block a record or a search: the input may be right and the rule
	// behind the warning wrong.
	Warnings []string `json:"warnings,omitempty"`
	// Reason says why the input is not valid, without the kind and input
	// that *Error adds; set when not Valid.
	Reason string `json:"reason,omitempty"`
}

// Check returns the verdict on raw as kind. It never panics; an unknown
// kind gives an invalid verdict.
func Check(kind Kind, raw string) Verdict {
	v := Verdict{Kind: kind, Input: raw}
	norm, err := Normalize(kind, raw)
	if err != nil {
		v.Reason = reasonOf(err)
		return v
	}
	v.Normal, v.Valid = norm, true
	switch kind {
	case CNIC:
		v.Warnings = cnicWarnings(raw, norm)
	case Phone:
		v.Warnings = phoneWarnings(norm)
	case IBAN:
		v.Warnings = ibanWarnings(norm)
	case Email:
		v.Warnings = emailWarnings(norm)
	case Plate:
		if p, err := ParsePlate(raw); err == nil {
			v.Warnings = plateWarnings(p)
		}
	case NTN:
		if len(norm) == 13 {
			v.Warnings = append([]string{"is a CNIC: individuals file under their CNIC as NTN"}, cnicWarnings(raw, norm)...)
		}
	case IMEI:
		v.Warnings = imeiWarnings(raw, norm)
	case Wallet:
		v.Warnings = walletWarnings(raw, norm)
	}
	return v
}

// CheckCNICSex compares the sex implied by a CNIC's last digit (odd male,
// even female) with a recorded sex ("male", "female", "m" or "f", any case)
// and returns a warning when they disagree, or "" when they agree, the sex
// is unknown or other, or the CNIC is not valid. A disagreement is never a
// reason to refuse a record: either side may hold the typo.
func CheckCNICSex(cnic, sex string) string {
	var recorded string
	switch strings.ToLower(strings.TrimSpace(sex)) {
	case "male", "m":
		recorded = Male
	case "female", "f":
		recorded = Female
	default:
		return ""
	}
	_, implied := CNICInfo(cnic)
	if implied == "" || implied == recorded {
		return ""
	}
	parity, holders := "odd", "men"
	if implied == Female {
		parity, holders = "even", "women"
	}
	return fmt.Sprintf("CNIC %s ends in an %s digit, which NADRA gives %s, but the recorded sex is %s",
		FormatCNIC(cnic), parity, holders, recorded)
}

// cnicWarnings flags a FATA province digit and dashes in unusual places,
// which often mean digits were dropped or swapped in copying.
func cnicWarnings(raw, norm string) []string {
	var w []string
	if norm[0] == '2' {
		w = append(w, "first digit 2 is FATA, merged into Khyber Pakhtunkhwa in 2018; the card is still valid")
	}
	digits := 0
	for _, r := range asciiDigits(raw) {
		switch {
		case isDigit(r):
			digits++
		case r == '-' && digits != 5 && digits != 12:
			return append(w, "dashes are not where the card prints them (XXXXX-XXXXXXX-X); check the digits")
		}
	}
	return w
}

func phoneWarnings(e164 string) []string {
	if strings.HasPrefix(e164, "+92") {
		return nil
	}
	num, err := parsePhone(e164)
	if err != nil {
		return nil
	}
	cc := num.GetCountryCode()
	return []string{fmt.Sprintf("is not a Pakistani number (+%d, %s)", cc, phonenumbers.GetRegionCodeForNumber(num))}
}

func ibanWarnings(iban string) []string {
	cc := iban[:2]
	var w []string
	if cc != "PK" {
		w = append(w, "is not a Pakistani IBAN ("+cc+")")
	}
	if _, ok := ibanLengths[cc]; !ok {
		w = append(w, "the length is not checked for "+cc+" IBANs, only the checksum")
	}
	return w
}

// emailWarnings points out addresses that one mailbox may also be recorded
// under; Normalize does not merge them (see normalizeEmail).
func emailWarnings(addr string) []string {
	at := strings.LastIndexByte(addr, '@')
	local, domain := addr[:at], addr[at+1:]
	var w []string
	if strings.Contains(local, "+") {
		w = append(w, "has a +tag; the same mailbox may be recorded without it")
	}
	if (domain == "gmail.com" || domain == "googlemail.com") && strings.Contains(local, ".") {
		w = append(w, "Gmail ignores dots in the name; the same mailbox may be recorded with other dots or none")
	}
	return w
}

func imeiWarnings(raw, norm string) []string {
	_, form, err := parseIMEI(raw)
	if err != nil {
		return nil
	}
	var w []string
	switch form {
	case imeiNoCheck:
		w = append(w, fmt.Sprintf("given without its check digit; computed as %c", norm[14]))
	case imeiSpare:
		w = append(w, fmt.Sprintf("ends in 0 where the check digit is %c: read as the spare digit network records carry; if copied from the handset, check for a typo", norm[14]))
	case imeiSV:
		w = append(w, "is an IMEISV; its 2-digit software version is dropped and the check digit computed")
	}
	switch rbi := norm[:2]; {
	case rbi[0] == '0' && rbi != "01":
		w = append(w, "reporting body "+rbi+" is reserved for test IMEIs, not sold handsets")
	case !imeiReportingBodies[rbi]:
		w = append(w, "first two digits "+rbi+" are not an allocated reporting body (cloned or made-up IMEI?)")
	}
	return w
}

func walletWarnings(raw, norm string) []string {
	if WalletChain(norm) != ChainETH {
		return nil
	}
	w := []string{"an EVM address: the same address exists on Ethereum, BNB Smart Chain, Polygon and other EVM chains"}
	hex := strings.TrimSpace(raw)[2:]
	if hex == strings.ToLower(hex) || hex == strings.ToUpper(hex) {
		w = append(w, "written in one case, so it carries no EIP-55 checksum and a typo cannot be detected")
	}
	return w
}
