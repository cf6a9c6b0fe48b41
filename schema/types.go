package schema

import (
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Type is a property type, named as in FtM.
type Type string

const (
	TypeName       Type = "name"       // a full name of a person, company or thing; matched on
	TypeString     Type = "string"     // a short label with no further semantics
	TypeText       Type = "text"       // long free text
	TypeDate       Type = "date"       // a date or time stamp, as a prefix of YYYY-MM-DDTHH:MM:SS (UTC)
	TypeIdentifier Type = "identifier" // a number or code assigned by an authority
	TypePhone      Type = "phone"
	TypeEmail      Type = "email"
	TypeIBAN       Type = "iban"
	TypeCountry    Type = "country"  // ISO 3166-1 alpha-2, lower-case
	TypeAddress    Type = "address"  // a free-text address
	TypeEntity     Type = "entity"   // the id of another record
	TypeNumber     Type = "number"   // a plain decimal number
	TypeURL        Type = "url"      // http or https
	TypeGender     Type = "gender"   // male, female or other
	TypeLanguage   Type = "language" // ISO 639-3, lower-case
	TypeTopic      Type = "topic"    // FtM's controlled vocabulary, e.g. crime.traffick.drug
)

var knownTypes = map[Type]bool{
	TypeName: true, TypeString: true, TypeText: true, TypeDate: true,
	TypeIdentifier: true, TypePhone: true, TypeEmail: true, TypeIBAN: true,
	TypeCountry: true, TypeAddress: true, TypeEntity: true, TypeNumber: true,
	TypeURL: true, TypeGender: true, TypeLanguage: true, TypeTopic: true,
}

// Types returns every property type.
func Types() []Type {
	return []Type{TypeName, TypeString, TypeText, TypeDate, TypeIdentifier,
		TypePhone, TypeEmail, TypeIBAN, TypeCountry, TypeAddress, TypeEntity,
		TypeNumber, TypeURL, TypeGender, TypeLanguage, TypeTopic}
}

// NormalizeValue checks one value of the given type and returns its normal
// form: trimmed, and for some types canonicalised (lower-case country and
// gender, compact upper-case IBAN, UTC date, phone without separators). The
// error says what is wrong with the value, without a path.
func NormalizeValue(t Type, v string) (string, error) {
	if !knownTypes[t] {
		return "", fmt.Errorf("unknown property type %q", t)
	}
	if !utf8.ValidString(v) {
		return "", errors.New("value is not valid UTF-8")
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", errors.New("value is empty")
	}
	limit := MaxValueLen
	if t == TypeText {
		limit = MaxTextLen
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return "", fmt.Errorf("value is %d characters long, at most %d allowed", n, limit)
	}
	// Control characters break storage (NUL) and display. Tabs come with
	// pasted spreadsheets and do no harm; only text may span lines.
	for _, r := range v {
		if unicode.IsControl(r) && r != '\t' && (t != TypeText || (r != '\n' && r != '\r')) {
			return "", fmt.Errorf("%s contains a control character (%U)", quote(v), r)
		}
	}
	switch t {
	case TypeName:
		// Names are compared; runs of spaces would defeat that.
		return strings.Join(strings.Fields(v), " "), nil
	case TypeDate:
		return normalizeDate(v)
	case TypeNumber:
		if !numberRe.MatchString(v) {
			return "", fmt.Errorf("%s is not a plain number (digits, optional sign and decimal point; no units or separators)", quote(v))
		}
		return v, nil
	case TypeCountry:
		c := strings.ToLower(v)
		if !loaded.countries[c] {
			return "", fmt.Errorf("%s is not an ISO 3166-1 alpha-2 country code (e.g. pk)", quote(v))
		}
		return c, nil
	case TypeGender:
		g := strings.ToLower(v)
		if g != "male" && g != "female" && g != "other" {
			return "", fmt.Errorf("%s is not a gender (use male, female or other)", quote(v))
		}
		return g, nil
	case TypeEntity:
		if utf8.RuneCountInString(v) > MaxEntityIDLen || strings.IndexFunc(v, unicode.IsSpace) >= 0 {
			return "", fmt.Errorf("%s is not a record id (no spaces, at most %d characters)", quote(v), MaxEntityIDLen)
		}
		return v, nil
	case TypeURL:
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("%s is not an http or https URL", quote(v))
		}
		return v, nil
	case TypeEmail:
		return normalizeEmail(v)
	case TypePhone:
		return normalizePhone(v)
	case TypeIBAN:
		return normalizeIBAN(v)
	case TypeLanguage:
		l := strings.ToLower(v)
		if !languageRe.MatchString(l) {
			return "", fmt.Errorf("%s is not an ISO 639-3 language code (e.g. urd)", quote(v))
		}
		return l, nil
	case TypeTopic:
		tp := strings.ToLower(v)
		if !loaded.topics[tp] {
			return "", fmt.Errorf("%s is not an FtM topic (e.g. crime.traffick.drug)", quote(v))
		}
		return tp, nil
	}
	return v, nil
}

var (
	numberRe   = regexp.MustCompile(`^[-+]?[0-9]+(\.[0-9]+)?$`)
	languageRe = regexp.MustCompile(`^[a-z]{3}$`)
)

// Accepted date layouts: FtM's prefixes of an ISO 8601 time stamp. Each is
// parsed with time.Parse so that 2020-02-30 is refused, not just 2020-13-01.
var dateLayouts = []string{
	"2006",
	"2006-01",
	"2006-01-02",
	"2006-01-02T15",
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
}

// normalizeDate accepts FtM date prefixes and RFC 3339 time stamps. A time
// stamp with a zone is converted to UTC and written the FtM way, without
// zone and to the second, because FtM dates are UTC by definition.
func normalizeDate(v string) (string, error) {
	bad := fmt.Errorf("%s is not a date (use YYYY-MM-DD)", quote(v))
	for _, layout := range dateLayouts {
		if len(v) != len(layout) {
			continue
		}
		t, err := time.Parse(layout, v)
		if err != nil || t.Year() == 0 {
			return "", bad
		}
		return v, nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return "", bad
	}
	// The zone may carry the time out of the four-digit years.
	if t = t.UTC(); t.Year() < 1 || t.Year() > 9999 {
		return "", bad
	}
	return t.Format("2006-01-02T15:04:05"), nil
}

// normalizeEmail applies a deliberately simple rule, like FtM's: something
// @ a domain with a dot. The domain is case-insensitive, so it is
// lower-cased; the local part is left alone.
func normalizeEmail(v string) (string, error) {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at == len(v)-1 || strings.ContainsAny(v, " \t<>,;") {
		return "", fmt.Errorf("%s is not an e-mail address", quote(v))
	}
	domain := strings.ToLower(v[at+1:])
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", fmt.Errorf("%s is not an e-mail address", quote(v))
	}
	return v[:at+1] + domain, nil
}

// normalizePhone strips separators, so that "0300-1234567" and
// "0300 1234567" are the same value, and turns the 00 international prefix
// into +. National numbers are not given a country code: that would guess
// the country, and a wrong guess is worse than none.
func normalizePhone(v string) (string, error) {
	var b strings.Builder
	for i, r := range v {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/':
		default:
			return "", fmt.Errorf("%s is not a phone number", quote(v))
		}
	}
	p := b.String()
	if strings.HasPrefix(p, "00") {
		p = "+" + p[2:]
	}
	// E.164 numbers have at most 15 digits; fewer than 5 is a short code
	// at best.
	if n := len(strings.TrimPrefix(p, "+")); n < 5 || n > 15 {
		return "", fmt.Errorf("%s is not a phone number", quote(v))
	}
	return p, nil
}

var ibanRe = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)

// normalizeIBAN removes spaces, upper-cases and checks the ISO 13616
// mod-97 check digits, which catch nearly all typing errors.
func normalizeIBAN(v string) (string, error) {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if !ibanRe.MatchString(s) || !loaded.countries[strings.ToLower(s[:2])] {
		return "", fmt.Errorf("%s is not an IBAN", quote(v))
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		if r >= 'A' && r <= 'Z' {
			fmt.Fprintf(&digits, "%d", r-'A'+10)
		} else {
			digits.WriteRune(r)
		}
	}
	n, _ := new(big.Int).SetString(digits.String(), 10)
	if n.Mod(n, big.NewInt(97)).Int64() != 1 {
		return "", fmt.Errorf("%s is not an IBAN (check digits do not match)", quote(v))
	}
	return s, nil
}

// quote quotes a value for an error message, cut short so that a huge value
// does not make a huge message.
func quote(v string) string {
	const max = 64
	if utf8.RuneCountInString(v) > max {
		r := []rune(v)
		return fmt.Sprintf("%q…", string(r[:max]))
	}
	return fmt.Sprintf("%q", v)
}
