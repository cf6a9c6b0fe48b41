// Package gazetteer places things in Pakistan's districts: each district is
// approximated by a circle around its headquarters town with the district's
// area, which is enough to suggest where a planned operation lies and to
// compare places by distance. It is not a boundary dataset: see SOURCE.md.
package gazetteer

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// District is one district, placed at its headquarters town.
type District struct {
	Code     string  `json:"code"` // stable slug, e.g. "PB-LAHORE"
	Name     string  `json:"name"`
	Province string  `json:"province"` // province or territory
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	RadiusM  float64 `json:"radius_m"` // radius of a circle with the district's area
}

//go:embed districts.csv
var districtsCSV []byte

type gazetteer struct {
	list  []District
	index map[string]int // folded code or name → position; -1 if ambiguous
}

var loaded = sync.OnceValue(func() *gazetteer {
	list, err := parse(bytes.NewReader(districtsCSV), "districts.csv")
	if err != nil {
		panic("gazetteer: embedded districts are broken: " + err.Error())
	}
	g := &gazetteer{list: list, index: map[string]int{}}
	for i, d := range list {
		for _, k := range []string{fold(d.Code), fold(d.Name)} {
			if j, ok := g.index[k]; ok && j != i {
				g.index[k] = -1 // a name two provinces share finds neither
				continue
			}
			g.index[k] = i
		}
	}
	return g
})

// Districts returns all districts in file order (grouped by province).
func Districts() []District {
	return append([]District(nil), loaded().list...)
}

// Lookup finds a district by code or name, ignoring case, spaces, dashes
// and the word "district": "lahore", "Karachi South", "PB-LAHORE" and
// "Lahore District" all find Lahore. A name shared by districts in two
// provinces finds neither; use the code.
func Lookup(s string) (District, bool) {
	g := loaded()
	i, ok := g.index[fold(s)]
	if !ok || i < 0 {
		return District{}, false
	}
	return g.list[i], true
}

// Provinces returns the provinces and territories in file order.
func Provinces() []string {
	var out []string
	seen := map[string]bool{}
	for _, d := range loaded().list {
		if !seen[d.Province] {
			seen[d.Province] = true
			out = append(out, d.Province)
		}
	}
	return out
}

// fold reduces a code or name to lower-case letters and digits, without
// the word "district".
func fold(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "district", "")
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// EarthRadiusM is the mean Earth radius (IUGG), in metres.
const EarthRadiusM = 6371008.8

// Distance returns the great-circle distance in metres between two points
// given in degrees, by the haversine formula on a sphere of EarthRadiusM;
// its error against the ellipsoid is under 0.5%.
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusM * math.Asin(math.Sqrt(math.Min(1, h)))
}

// Bounds of the data: a box around Pakistan, and district radii from the
// smallest Karachi district to the largest in Balochistan.
const (
	minLat, maxLat         = 23.5, 37.2
	minLon, maxLon         = 60.8, 77.9
	minRadiusM, maxRadiusM = 1000, 200000
)

var header = []string{"code", "name", "province", "lat", "lon", "radius_m"}

// parse reads and checks districts.csv. Errors name the file, line and
// field: `districts.csv:17: lat "3.5": outside 23.5–37.2`.
func parse(r io.Reader, name string) ([]District, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted below, to report it our way
	var list []District
	codes := map[string]int{} // folded code → line
	names := map[string]int{} // province + folded name → line
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			if first {
				return nil, fmt.Errorf("%s: empty file, want header %q", name, strings.Join(header, ","))
			}
			return list, nil
		}
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d: %w", name, pe.Line, pe.Err)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			}
			if strings.Join(rec, ",") != strings.Join(header, ",") {
				return nil, fmt.Errorf("%s:%d: header is %q, want %q", name, line, strings.Join(rec, ","), strings.Join(header, ","))
			}
			continue
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d (%s)", name, line, len(rec), len(header), strings.Join(header, ","))
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		d, err := parseDistrict(rec)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if prev, dup := codes[fold(d.Code)]; dup {
			return nil, fmt.Errorf("%s:%d: code %q: duplicate of line %d", name, line, d.Code, prev)
		}
		codes[fold(d.Code)] = line
		key := d.Province + "\x00" + fold(d.Name)
		if prev, dup := names[key]; dup {
			return nil, fmt.Errorf("%s:%d: name %q: duplicate in %s of line %d", name, line, d.Name, d.Province, prev)
		}
		names[key] = line
		list = append(list, d)
	}
}

func parseDistrict(rec []string) (District, error) {
	d := District{Code: rec[0], Name: rec[1], Province: rec[2]}
	for i, v := range []string{d.Code, d.Name, d.Province} {
		if v == "" {
			return d, fmt.Errorf("%s is empty", header[i])
		}
	}
	if fold(d.Code) == "" {
		return d, fmt.Errorf("code %q: has no letters or digits", d.Code)
	}
	for _, f := range []struct {
		field    int
		dst      *float64
		min, max float64
	}{
		{3, &d.Lat, minLat, maxLat},
		{4, &d.Lon, minLon, maxLon},
		{5, &d.RadiusM, minRadiusM, maxRadiusM},
	} {
		v, err := strconv.ParseFloat(rec[f.field], 64)
		if err != nil || math.IsNaN(v) {
			return d, fmt.Errorf("%s %q: not a number", header[f.field], rec[f.field])
		}
		if v < f.min || v > f.max {
			return d, fmt.Errorf("%s %q: outside %g–%g", header[f.field], rec[f.field], f.min, f.max)
		}
		*f.dst = v
	}
	return d, nil
}
