package dates

import "strings"

const (
	maxLen    = 128 // longer input is refused unread
	maxTokens = 8   // numbers and month names in one input
	maxWord   = 16  // longer words are refused
)

// token is a number or a month name.
type token struct {
	val    int  // the number, or the month 1..12 of a month name
	n      int8 // number of digits; 0 for a month name
	sep    byte // separator before it: 0 none, '-' or '/' (dash or slash seen), '\'' apostrophe, ' ' anything else
	decade bool // followed by "s": 1970s
}

// scanner splits the input into tokens and notes the words that qualify the
// date. It lives on the stack; Parse allocates nothing.
type scanner struct {
	toks      [maxTokens]token
	nt        int
	join      int // index of the first token after "to", "and" or "or"; -1 if none
	approx    bool
	uncertain bool // "?" or "%"
}

// Parse reads a date written in any of the forms described in the package
// documentation. It returns ok=false, and the zero Date, for empty or
// unreadable input; it never panics.
func Parse(s string) (Date, bool) {
	if len(s) > maxLen {
		return Date{}, false
	}
	s = stripClutter(s)
	var sc scanner
	if !sc.scan(s) {
		return Date{}, false
	}
	d, ok := sc.date()
	if !ok {
		return Date{}, false
	}
	if sc.uncertain {
		if d.swappable() {
			d.Ambiguous = true
		} else {
			d.Approx = true
		}
	}
	if sc.approx {
		d.Approx = true
	}
	return d, true
}

// stripClutter removes a label before a colon ("DOB: 1971"), a time of day
// after the date ("1971-06-24 00:00:00") and a spreadsheet's ".0"
// ("19710624.0").
func stripClutter(s string) string {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, ':')
	if i >= 0 && (i == 0 || !isDigit(s[i-1])) {
		s = s[i+1:]
		i = strings.IndexByte(s, ':')
	}
	if i >= 0 {
		if i == 0 || !isDigit(s[i-1]) {
			return ""
		}
		for i > 0 && isDigit(s[i-1]) {
			i--
		}
		s = strings.TrimRight(s[:i], " \tTt")
	}
	if k := strings.LastIndexByte(s, '.'); k > 0 && k+1 < len(s) && allDigits(s[:k]) && strings.Trim(s[k+1:], "0") == "" {
		s = s[:k]
	}
	return s
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// digitAt returns the value and byte length of the digit at s[i]: ASCII,
// Arabic-Indic (U+0660–0669) or Extended Arabic-Indic, as used for Urdu and
// Persian (U+06F0–06F9). The length is 0 if there is no digit there.
func digitAt(s string, i int) (int, int) {
	if i >= len(s) {
		return 0, 0
	}
	c := s[i]
	if isDigit(c) {
		return int(c - '0'), 1
	}
	if i+1 < len(s) {
		c2 := s[i+1]
		if c == 0xD9 && c2 >= 0xA0 && c2 <= 0xA9 {
			return int(c2 - 0xA0), 2
		}
		if c == 0xDB && c2 >= 0xB0 && c2 <= 0xB9 {
			return int(c2 - 0xB0), 2
		}
	}
	return 0, 0
}

// unicodeSep returns the separator class and byte length of a non-ASCII
// separator at s[i], or length 0 if there is none.
func unicodeSep(s string, i int) (byte, int) {
	rest := s[i:]
	if len(rest) >= 2 {
		switch rest[:2] {
		case "\u00a0", // no-break space
			"\u060c", // Arabic comma
			"\u061c": // Arabic letter mark
			return ' ', 2
		}
	}
	if len(rest) >= 3 {
		switch rest[:3] {
		case "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212": // hyphens, dashes, minus
			return '-', 3
		case "\u2044", "\uff0f": // fraction slash, fullwidth solidus
			return '/', 3
		case "\u200b", "\u200e", "\u200f", "\ufeff", "\u2009", "\u202f", "\u3000",
			"\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
			"\u2066", "\u2067", "\u2068", "\u2069": // invisible marks and spaces
			return ' ', 3
		}
	}
	return 0, 0
}

func (sc *scanner) push(t token) bool {
	if sc.nt == maxTokens {
		return false
	}
	sc.toks[sc.nt] = t
	sc.nt++
	return true
}

// scan tokenises s and reports whether every part of it was understood.
func (sc *scanner) scan(s string) bool {
	sc.join = -1
	var sep byte // separator seen since the last token
	numEnd := -1 // where the last number ended
	for i := 0; i < len(s); {
		c := s[i]
		if d, w := digitAt(s, i); w > 0 {
			val, n := 0, 0
			for w > 0 {
				if n == 8 {
					return false
				}
				val = val*10 + d
				n++
				i += w
				d, w = digitAt(s, i)
			}
			if !sc.push(token{val: val, n: int8(n), sep: sep}) {
				return false
			}
			sep, numEnd = 0, i
			continue
		}
		if isLetter(c) {
			var buf [maxWord]byte
			start, n := i, 0
			for i < len(s) && isLetter(s[i]) {
				if n == maxWord {
					return false
				}
				buf[n] = s[i] | 0x20
				n++
				i++
			}
			afterApos := numEnd >= 0 && start == numEnd+1 && s[numEnd] == '\''
			before := sc.nt
			stop, ok := sc.word(buf[:n], start == numEnd, afterApos, i == len(s) || isDigit(s[i]), sep)
			if !ok {
				return false
			}
			if stop {
				break
			}
			if sc.nt != before { // a month name or placeholder
				sep = 0
			}
			continue
		}
		switch c {
		case ' ', '\t', '.', ',', '_', '"', '(', ')', '[', ']':
			if sep == 0 {
				sep = ' '
			}
		case '-', '/', '\\':
			sep = c
			if c == '\\' {
				sep = '/'
			}
		case '\'':
			if sep == 0 || sep == ' ' {
				sep = '\''
			}
		case '~':
			sc.approx = true
		case '%':
			sc.approx, sc.uncertain = true, true
		case '?':
			j := i
			for j < len(s) && s[j] == '?' {
				j++
			}
			if j-i == 1 {
				sc.uncertain = true
			} else if !sc.push(token{n: int8(min(j-i, 4)), sep: sep}) { // ?? placeholder
				return false
			} else {
				sep, numEnd = 0, j
			}
			i = j
			continue
		default:
			if c < 0x80 {
				return false
			}
			class, w := unicodeSep(s, i)
			if w == 0 {
				return false
			}
			if class != ' ' || sep == 0 {
				sep = class
			}
			i += w
			continue
		}
		i++
	}
	return sc.nt > 0 && sc.join != sc.nt
}

var monthNames = [12]string{"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
var weekdayNames = [7]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// prefixOf returns the index of the name that w abbreviates (three letters
// or more), or -1.
func prefixOf(w []byte, names []string) int {
	if len(w) < 3 {
		return -1
	}
	for i, name := range names {
		if len(w) <= len(name) && name[:len(w)] == string(w) {
			return i
		}
	}
	return -1
}

// word handles one lower-cased word. afterNum: it follows a number with no
// separator; afterApos: it follows a number and an apostrophe ("1970's");
// beforeDigit: it is followed by a digit or the end. stop asks the scanner
// to ignore the rest of the input (a time after "T").
func (sc *scanner) word(w []byte, afterNum, afterApos, beforeDigit bool, sep byte) (stop, ok bool) {
	last := sc.nt - 1
	switch string(w) {
	case "st", "nd", "rd", "th":
		return false, afterNum && sc.toks[last].n > 0 && sc.toks[last].n <= 2
	case "s":
		if (afterNum || afterApos) && sc.toks[last].n == 4 && sc.toks[last].val%10 == 0 {
			sc.toks[last].decade = true
			return false, true
		}
		return false, false
	case "t", "z": // 1971-06-24T00:00:00, 1971-06-24Z
		return true, afterNum && beforeDigit
	case "c", "ca", "cca", "circa", "approx", "approximate", "approximately", "about", "abt", "around", "est", "estimated":
		sc.approx = true
		return false, true
	case "to", "and", "or", "till", "until", "through", "thru":
		if sc.join >= 0 || sc.nt == 0 {
			return false, false
		}
		sc.join = sc.nt
		return false, true
	case "between", "bet", "btw", "from", "the", "of", "born", "dob":
		return false, true
	}
	if m := prefixOf(w, monthNames[:]); m >= 0 {
		return false, sc.push(token{val: m + 1, sep: sep})
	}
	if prefixOf(w, weekdayNames[:]) >= 0 {
		return false, true
	}
	for _, c := range w {
		if c != 'x' {
			return false, false
		}
	}
	return false, len(w) <= 4 && sc.push(token{n: int8(len(w)), sep: sep}) // XX placeholder
}

// date turns the tokens into a date or range.
func (sc *scanner) date() (Date, bool) {
	toks := sc.toks[:sc.nt]
	if sc.join >= 0 {
		return rangeOf(toks[:sc.join], toks[sc.join:])
	}
	if d, ok := single(toks); ok {
		return d, true
	}
	// Without a word, a dash or slash may join two dates into a range
	// ("1960-1965", "Jan 1960 - Dec 1965", "1960-65") if both sides have a
	// four-digit year, so that "1971-06-24 10" is not read as 1971/2010.
	for i := 1; i < len(toks); i++ {
		if (toks[i].sep == '-' || toks[i].sep == '/') && hasYear(toks[:i]) && (hasYear(toks[i:]) || len(toks) == i+1) {
			if d, ok := rangeOf(toks[:i], toks[i:]); ok {
				return d, true
			}
		}
	}
	return Date{}, false
}

func hasYear(toks []token) bool {
	for _, t := range toks {
		if t.n == 4 {
			return true
		}
	}
	return false
}

// rangeOf joins the dates written by p and q into a range of years. A
// two-digit q is a year in the century of p ("1960-65"), later than p.
func rangeOf(p, q []token) (Date, bool) {
	a, ok := single(p)
	if !ok {
		return Date{}, false
	}
	var b Date
	if len(q) == 1 && q[0].n == 2 {
		y := a.Year - a.Year%100 + q[0].val
		if y <= a.last() {
			return Date{}, false
		}
		b = Date{Year: y}
	} else if b, ok = single(q); !ok {
		return Date{}, false
	}
	if a == b {
		return a, true
	}
	lo, hi := min(a.Year, b.Year), max(a.last(), b.last())
	if lo == hi {
		return Date{Year: lo}, true
	}
	return Date{Year: lo, ToYear: hi}, true
}

// single reads one date (or a decade) from its tokens.
func single(toks []token) (Date, bool) {
	var nums [maxTokens]token
	nn, month, mpos := 0, 0, 0
	decade, zero := false, true
	for _, t := range toks {
		zero = zero && t.val == 0
		if t.n == 0 {
			if month != 0 {
				return Date{}, false
			}
			month, mpos = t.val, nn
			continue
		}
		decade = decade || t.decade
		nums[nn] = t
		nn++
	}
	if zero { // 00/00/00, 000000: a blank, not the year 2000
		return Date{}, false
	}
	if decade {
		if nn != 1 || month != 0 {
			return Date{}, false
		}
		d, ok := makeDate(nums[0].val, 0, 0)
		d.ToYear = d.Year + 9
		return d, ok
	}
	if month != 0 {
		return withMonthName(month, mpos, nums[:nn])
	}
	switch nn {
	case 1:
		switch t := nums[0]; t.n {
		case 8:
			return compact8(t.val)
		case 6:
			return compact6(t.val)
		case 4:
			return makeDate(t.val, 0, 0)
		}
	case 2:
		a, b := nums[0], nums[1]
		switch {
		case a.n == 4 && b.n <= 2:
			return makeDate(a.val, b.val, 0)
		case a.n <= 2 && b.n == 4:
			return makeDate(b.val, a.val, 0)
		}
	case 3:
		a, b, c := nums[0], nums[1], nums[2]
		switch {
		case a.n == 4 && b.n <= 2 && c.n <= 2:
			return makeDate(a.val, b.val, c.val)
		case a.n <= 2 && b.n <= 2 && c.n == 4:
			return dmy(a.val, b.val, c.val)
		case a.n == 2 && a.val > 31 && b.n <= 2 && c.n == 2:
			return makeDate(expandYear(a.val), b.val, c.val)
		case a.n <= 2 && b.n <= 2 && c.n == 2:
			return dmy(a.val, b.val, expandYear(c.val))
		}
	}
	return Date{}, false
}

// withMonthName reads a date with month m written as a name; mpos is the
// number of numbers before the name.
func withMonthName(m, mpos int, nums []token) (Date, bool) {
	switch len(nums) {
	case 1:
		t := nums[0]
		switch {
		case t.n == 4:
			return makeDate(t.val, m, 0)
		case t.n == 2 && mpos == 0 && (t.sep == '-' || t.sep == '/' || t.sep == '\'' || t.val > 31):
			return makeDate(expandYear(t.val), m, 0)
		}
	case 2:
		a, b := nums[0], nums[1]
		switch {
		case a.n == 4 && b.n <= 2:
			return makeDate(a.val, m, b.val)
		case a.n <= 2 && b.n == 4:
			return makeDate(b.val, m, a.val)
		case a.n == 2 && a.val > 31 && b.n <= 2 && b.val <= 31:
			return makeDate(expandYear(a.val), m, b.val)
		case a.n <= 2 && b.n == 2:
			return makeDate(expandYear(b.val), m, a.val)
		}
	}
	return Date{}, false
}

// dmy reads day-month-year, or month-day-year when the second number
// cannot be a month and the first can; a date whose day and month could be
// swapped is marked Ambiguous.
func dmy(a, b, y int) (Date, bool) {
	if b > 12 && a <= 12 {
		return makeDate(y, a, b)
	}
	d, ok := makeDate(y, b, a)
	d.Ambiguous = ok && d.swappable()
	return d, ok
}

// compact8 reads eight digits: YYYYMMDD when that is a valid date in
// 1800–2100, otherwise DDMMYYYY (or MMDDYYYY, as dmy decides), also in
// 1800–2100: a guessed layout needs a plausible year.
func compact8(v int) (Date, bool) {
	if y := v / 10000; y >= 1800 && y <= 2100 {
		if d, ok := makeDate(y, v/100%100, v%100); ok {
			return d, true
		}
	}
	if y := v % 10000; y >= 1800 && y <= 2100 {
		return dmy(v/1000000, v/10000%100, y)
	}
	return Date{}, false
}

// compact6 reads six digits: the first valid reading of DDMMYY, YYMMDD,
// YYYYMM, MMYYYY and MMDDYY.
func compact6(v int) (Date, bool) {
	p1, p2, p3 := v/10000, v/100%100, v%100
	if d, ok := makeDate(expandYear(p3), p2, p1); ok {
		d.Ambiguous = d.swappable()
		return d, true
	}
	if d, ok := makeDate(expandYear(p1), p2, p3); ok {
		return d, true
	}
	if y := v / 100; y >= 1800 && y <= 2100 {
		if d, ok := makeDate(y, p3, 0); ok {
			return d, true
		}
	}
	if y := v % 10000; y >= 1800 && y <= 2100 {
		if d, ok := makeDate(y, p1, 0); ok {
			return d, true
		}
	}
	return makeDate(expandYear(p3), p1, p2)
}
