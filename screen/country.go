package screen

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/names"
)

//go:embed countries.txt
var countriesTxt string

var (
	countryOnce   sync.Once
	countryByName map[string]string // folded name → alpha-2 code
)

func loadCountries() {
	countryByName = map[string]string{}
	for _, line := range strings.Split(countriesTxt, "\n") {
		if line = strings.TrimSpace(line); line == "" || line[0] == '#' {
			continue
		}
		parts := strings.Split(line, "|")
		code := strings.TrimSpace(parts[0])
		for _, p := range parts[1:] {
			if k := foldCountry(p); k != "" {
				countryByName[k] = code
			}
		}
	}
}

// foldCountry reduces a country name to lower-case words without accents
// or punctuation, "&" read as "and" and a leading "the" dropped, so that
// "Côte d’Ivoire", "COTE D'IVOIRE" and "cote d ivoire" meet.
func foldCountry(s string) string {
	w := names.Tokens(strings.ReplaceAll(s, "&", " and "))
	if len(w) > 1 && w[0] == "the" {
		w = w[1:]
	}
	return strings.Join(w, " ")
}

// Country returns the ISO 3166-1 alpha-2 code of a nationality or country
// as lists and people write it: a code ("PK", "PAK"), a short or formal
// name ("Pakistan", "Iran (Islamic Republic of)"), or an adjective
// ("Pakistani"). ok is false for anything else; callers then compare the
// folded text itself.
func Country(s string) (code string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	if c, ok := ident.NormalizeCountry(s); ok {
		return c, true
	}
	countryOnce.Do(loadCountries)
	if c, ok := countryByName[foldCountry(s)]; ok {
		return c, true
	}
	return "", false
}

// nationKey is the comparable form of a nationality: its country code, or
// the folded text for what Country does not know ("former Soviet Union").
func nationKey(s string) string {
	if c, ok := Country(s); ok {
		return c
	}
	return foldCountry(s)
}
