package ident

import (
	"errors"
	"fmt"
	"strings"
	"sync"

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

	if e164, ok := fastPakistaniMobile(s); ok {
		return e164, nil
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

// mobileRanges remembers, per four-digit start of a Pakistani mobile
// number (3XXX), whether phonenumbers holds such numbers valid. Pakistani
// mobile ranges are decided by their first digits only, which
// TestFastPakistaniMobile checks against the library for every start; so
// the common case — millions of mobiles in a bulk import — skips the
// parser's regular expressions after the first number of each range.
var mobileRanges sync.Map // string → bool

// fastPakistaniMobile recognises a Pakistani mobile written 03XXXXXXXXX,
// +923XXXXXXXXX or 00923XXXXXXXXX (with any of the separators allowed
// above) and returns its E.164 form; ok is false for anything else, which
// then takes the full path.
func fastPakistaniMobile(s string) (string, bool) {
	var b [20]byte
	d := b[:0]
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			if len(d) == len(b) {
				return "", false
			}
			d = append(d, c)
		}
	}
	var national []byte
	switch {
	case s[0] == '+' && len(d) == 12 && d[0] == '9' && d[1] == '2' && d[2] == '3':
		national = d[2:]
	case s[0] != '+' && len(d) == 11 && d[0] == '0' && d[1] == '3':
		national = d[1:]
	case s[0] != '+' && len(d) == 14 && string(d[:5]) == "00923":
		national = d[4:]
	default:
		return "", false
	}
	e164 := "+92" + string(national)
	key := string(national[:4])
	if v, ok := mobileRanges.Load(key); ok {
		return e164, v.(bool)
	}
	num, err := parsePhone(e164)
	valid := err == nil && phonenumbers.IsValidNumber(num)
	mobileRanges.Store(key, valid)
	// An invalid range falls back to the full path, which says why.
	return e164, valid
}
