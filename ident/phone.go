package ident

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region assumed for phone numbers written without a
// country code.
const DefaultRegion = "PK"

// maxPhoneDigits is E.164's 15 digits plus a 2-digit international prefix
// (0092...); anything longer is not a phone number and is not worth parsing.
const maxPhoneDigits = 17

// normalizePhone returns the E.164 form. Only digits and the punctuation
// people put in phone numbers are accepted: phonenumbers would otherwise
// read letters as a vanity number ("0300-CALLNOW") and drop extensions, and
// neither belongs in an identifier key.
func normalizePhone(raw string) (string, error) {
	s := strings.TrimSpace(asciiDigits(raw))
	if s == "" {
		return "", newError(Phone, raw, "is empty")
	}
	digits := 0
	for i, r := range s {
		switch {
		case isDigit(r):
			digits++
		case r == '+':
			if i != 0 {
				return "", newError(Phone, raw, "+ may only start the number")
			}
		case r == '-' || r == '(' || r == ')' || r == '.' || r == '/' || isSpace(r):
		default:
			return "", newError(Phone, raw, "may contain only digits, a leading + and spaces, dashes, dots, slashes or brackets, found %s", describe(r))
		}
	}
	switch {
	case digits == 0:
		return "", newError(Phone, raw, "has no digits")
	case digits > maxPhoneDigits:
		return "", newError(Phone, raw, "is too long to be a phone number (%d digits)", digits)
	}

	num, err := parsePhone(s)
	if err != nil {
		return "", newError(Phone, raw, "%s", phoneParseReason(err))
	}
	cc := num.GetCountryCode()
	region := phonenumbers.GetRegionCodeForCountryCode(int(cc))
	switch phonenumbers.IsPossibleNumberWithReason(num) {
	case phonenumbers.IS_POSSIBLE:
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return "", newError(Phone, raw, "is a local number without its area code")
	case phonenumbers.INVALID_COUNTRY_CODE:
		return "", newError(Phone, raw, "has an unknown country code +%d", cc)
	case phonenumbers.TOO_SHORT:
		return "", newError(Phone, raw, "is too short for +%d (%s)", cc, region)
	case phonenumbers.TOO_LONG:
		return "", newError(Phone, raw, "is too long for +%d (%s)", cc, region)
	default:
		return "", newError(Phone, raw, "has an impossible length for +%d (%s)", cc, region)
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", newError(Phone, raw, "is not a valid number for +%d (%s): no such number range", cc, region)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// parsePhone wraps phonenumbers.Parse so that a panic in the third-party
// parser on odd input becomes an error: Normalize must never panic.
func parsePhone(s string) (num *phonenumbers.PhoneNumber, err error) {
	defer func() {
		if r := recover(); r != nil {
			num, err = nil, fmt.Errorf("cannot be parsed: %v", r)
		}
	}()
	return phonenumbers.Parse(s, DefaultRegion)
}

func phoneParseReason(err error) string {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		return "has an unknown country code"
	case errors.Is(err, phonenumbers.ErrNotANumber):
		return "is not a phone number"
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return "is too short to be a phone number"
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return "is too long to be a phone number"
	}
	return err.Error()
}
