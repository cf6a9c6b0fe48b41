package gazetteer

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// TestEmbedded guards the panic in loaded: the shipped file must parse.
func TestEmbedded(t *testing.T) {
	list, err := parse(bytes.NewReader(districtsCSV), "districts.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 140 {
		t.Errorf("%d districts, want at least 140", len(list))
	}
	perProvince := map[string]int{}
	for _, d := range list {
		perProvince[d.Province]++
	}
	for p, min := range map[string]int{
		"Punjab": 36, "Sindh": 30, "Khyber Pakhtunkhwa": 30, "Balochistan": 30,
		"Islamabad Capital Territory": 1, "Gilgit-Baltistan": 9, "Azad Jammu and Kashmir": 8,
	} {
		if perProvince[p] < min {
			t.Errorf("%s: %d districts, want at least %d", p, perProvince[p], min)
		}
	}
	if got := strings.Join(Provinces(), "|"); got != "Punjab|Sindh|Khyber Pakhtunkhwa|Balochistan|Islamabad Capital Territory|Gilgit-Baltistan|Azad Jammu and Kashmir" {
		t.Errorf("Provinces() = %s", got)
	}
}

// Every district must be reachable by its own code and name, which also
// proves that no two districts fold to the same name.
func TestLookupEveryDistrict(t *testing.T) {
	for _, d := range Districts() {
		for _, q := range []string{d.Code, d.Name, strings.ToUpper(d.Name) + " District"} {
			if got, ok := Lookup(q); !ok || got != d {
				t.Errorf("Lookup(%q) = %v, %v; want %s", q, got.Code, ok, d.Code)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	for q, want := range map[string]string{
		"lahore":                    "PB-LAHORE",
		"Karachi South":             "SD-KARACHI-SOUTH",
		"karachi-south":             "SD-KARACHI-SOUTH",
		"PB-LAHORE":                 "PB-LAHORE",
		"pb lahore":                 "PB-LAHORE",
		"Dera Ismail Khan District": "KP-DERA-ISMAIL-KHAN",
		"  quetta ":                 "BA-QUETTA",
		"Islamabad":                 "IS-ISLAMABAD",
		"AJK-MUZAFFARABAD":          "AJK-MUZAFFARABAD",
	} {
		if d, ok := Lookup(q); !ok || d.Code != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", q, d.Code, ok, want)
		}
	}
	for _, q := range []string{"", "district", "Atlantis", "PB-"} {
		if d, ok := Lookup(q); ok {
			t.Errorf("Lookup(%q) found %s", q, d.Code)
		}
	}
}

// Known points, from city centres, that each district's headquarters must
// lie near.
func TestKnownPlaces(t *testing.T) {
	for _, tc := range []struct {
		code     string
		lat, lon float64
	}{
		{"PB-LAHORE", 31.55, 74.34},
		{"SD-KARACHI-SOUTH", 24.86, 67.01},
		{"KP-PESHAWAR", 34.01, 71.58},
		{"BA-QUETTA", 30.18, 67.00},
		{"IS-ISLAMABAD", 33.69, 73.05},
	} {
		d, ok := Lookup(tc.code)
		if !ok {
			t.Errorf("%s missing", tc.code)
			continue
		}
		if km := Distance(d.Lat, d.Lon, tc.lat, tc.lon) / 1000; km > 30 {
			t.Errorf("%s is %.1f km from (%g, %g), want within 30 km", tc.code, km, tc.lat, tc.lon)
		}
	}
}

func TestDistance(t *testing.T) {
	near := func(name string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.3f m, want %.3f ± %g", name, got, want, tol)
		}
	}
	// One degree of arc is 2πR/360 on any great circle.
	deg := 2 * math.Pi * EarthRadiusM / 360
	near("2πR/360", deg, 111195.08, 0.01)
	near("1° of latitude", Distance(30, 70, 31, 70), deg, 1e-6)
	near("1° of longitude at the equator", Distance(0, 70, 0, 71), deg, 1e-6)
	// Along a parallel, checked by the spherical law of cosines instead.
	phi := 60 * math.Pi / 180
	cosines := EarthRadiusM * math.Acos(math.Sin(phi)*math.Sin(phi)+math.Cos(phi)*math.Cos(phi)*math.Cos(math.Pi/180))
	near("1° of longitude at 60°N", Distance(60, 10, 60, 11), cosines, 1e-3)
	near("same point", Distance(31.5, 74.3, 31.5, 74.3), 0, 0)
	near("antipodes", Distance(0, 0, 0, 180), math.Pi*EarthRadiusM, 1e-6)
	near("symmetric", Distance(24.86, 67.01, 31.55, 74.34), Distance(31.55, 74.34, 24.86, 67.01), 1e-6)

	lhr, _ := Lookup("Lahore")
	khi, _ := Lookup("Karachi South")
	near("Lahore–Karachi", Distance(lhr.Lat, lhr.Lon, khi.Lat, khi.Lon), 1030e3, 15e3)
}

func TestParseErrors(t *testing.T) {
	const head = "code,name,province,lat,lon,radius_m\n"
	const ok = "PB-LAHORE,Lahore,Punjab,31.5580,74.3507,24000\n"
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "d.csv: empty file"},
		{"header", "code,name,lat,lon\n", `d.csv:1: header is "code,name,lat,lon"`},
		{"fields", head + "PB-X,X,Punjab,31,74\n", "d.csv:2: 5 fields, want 6"},
		{"empty name", head + "PB-X,,Punjab,31,74,5000\n", "d.csv:2: name is empty"},
		{"code symbols", head + "--,X,Punjab,31,74,5000\n", `d.csv:2: code "--": has no letters or digits`},
		{"lat text", head + "PB-X,X,Punjab,north,74,5000\n", `d.csv:2: lat "north": not a number`},
		{"lat south", head + "PB-X,X,Punjab,3.5,74,5000\n", `d.csv:2: lat "3.5": outside 23.5–37.2`},
		{"lon west", head + "PB-X,X,Punjab,31,-74,5000\n", `d.csv:2: lon "-74": outside 60.8–77.9`},
		{"lon NaN", head + "PB-X,X,Punjab,31,NaN,5000\n", `d.csv:2: lon "NaN": not a number`},
		{"radius small", head + "PB-X,X,Punjab,31,74,500\n", `d.csv:2: radius_m "500": outside 1000–200000`},
		{"radius large", head + "PB-X,X,Punjab,31,74,250000\n", `d.csv:2: radius_m "250000": outside 1000–200000`},
		{"duplicate code", head + ok + "pb-lahore,Lahore City,Punjab,31.5,74.3,5000\n", `d.csv:3: code "pb-lahore": duplicate of line 2`},
		{"duplicate name", head + ok + "PB-LHR,LAHORE,Punjab,31.5,74.3,5000\n", `d.csv:3: name "LAHORE": duplicate in Punjab of line 2`},
		{"quoting", head + "PB-X,\"X,Punjab,31,74,5000\n", `d.csv:2: extraneous or missing "`},
	} {
		_, err := parse(strings.NewReader(tc.in), "d.csv")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want prefix %q", tc.name, err, tc.want)
		}
	}
	// The same name in two provinces is allowed by the file.
	if _, err := parse(strings.NewReader(head+ok+"SD-LAHORE,Lahore,Sindh,25,68,5000\n"), "d.csv"); err != nil {
		t.Errorf("same name in two provinces: %v", err)
	}
}

func TestDistrictsIsACopy(t *testing.T) {
	Districts()[0].Name = "changed"
	if Districts()[0].Name == "changed" {
		t.Error("Districts() exposes the package's own slice")
	}
}
