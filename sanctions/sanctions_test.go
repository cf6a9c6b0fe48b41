package sanctions

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

const unFile = "../../shared/data/un-sc-consolidated/UN_consolidated.xml"

func readUN(t testing.TB) *List {
	t.Helper()
	if _, err := os.Stat(unFile); err != nil {
		t.Skipf("%s not found", unFile)
	}
	l, err := ReadFile(unFile)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func find(t *testing.T, l *List, id string) *Entry {
	t.Helper()
	for i := range l.Entries {
		if l.Entries[i].ID == id {
			return &l.Entries[i]
		}
	}
	t.Fatalf("entry %s not found", id)
	return nil
}

func TestReadUN(t *testing.T) {
	l := readUN(t)
	if l.Source != "un-sc" {
		t.Errorf("Source = %q", l.Source)
	}
	if want := time.Date(2026, 2, 27, 0, 0, 9, 554e6, time.UTC); !l.Generated.Equal(want) {
		t.Errorf("Generated = %v, want %v", l.Generated, want)
	}

	// Totals of this snapshot, so that a change in the reader that drops or
	// invents data shows up. SOURCE.md gives the raw counts (730, 273,
	// 2,139 individual aliases, 308 passports, 153+1 identity numbers);
	// the differences are names repeated within an entry, dropped on purpose.
	counts := map[string]int{}
	ids := map[string]bool{}
	for _, e := range l.Entries {
		counts[e.Schema]++
		if ids[e.ID] {
			t.Errorf("duplicate ID %s", e.ID)
		}
		ids[e.ID] = true
		if e.ID != strings.TrimSpace(e.ID) || e.ID == "" {
			t.Errorf("ID %q", e.ID)
		}
		if e.Name == "" || len(e.Names) == 0 || e.Names[0].Value != e.Name || e.Names[0].Kind != KindPrimary {
			t.Errorf("%s: Name %q, Names %v", e.ID, e.Name, e.Names)
		}
		for _, n := range e.Names {
			counts["name "+n.Kind+"/"+n.Quality]++
		}
		for _, b := range e.BirthDates {
			counts["birth "+b.Type]++
		}
		for _, d := range e.Documents {
			counts["document "+d.Type]++
		}
		counts["addresses"] += len(e.Addresses)
		counts["birth places"] += len(e.BirthPlaces)
		counts["nationalities"] += len(e.Nationalities)
		if e.Gender != "" {
			counts["gender "+e.Gender]++
		}
	}
	want := map[string]int{
		SchemaPerson:       730,
		SchemaOrganization: 273,

		"name primary/":       1003,
		"name original/":      377, // 378 given; QDe.164's repeats its primary name
		"name alias/good":     1509,
		"name alias/low":      615,
		"name alias/":         594, // entities' "a.k.a."
		"name former/":        18,  // entities' "f.k.a."; QDe.168 gives one name as both
		"birth exact":         745, // incl. 25 distinct birth dates given for one alias
		"birth approximately": 117,
		"birth between":       31,

		"document Passport":                       308,
		"document National Identification Number": 154,
		"document Numéro de passeport":            3,
		"document Número de pasaporte":            3,

		"addresses":     808,
		"birth places":  658,
		"nationalities": 652,
		"gender male":   52,
		"gender female": 2,
	}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("%s: got %d, want %d", k, counts[k], v)
		}
	}
	for k, v := range counts {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected count %s: %d", k, v)
		}
	}
}

func TestReadUNEntries(t *testing.T) {
	l := readUN(t)
	good := func(v string) Name { return Name{Value: v, Kind: KindAlias, Quality: QualityGood} }
	low := func(v string) Name { return Name{Value: v, Kind: KindAlias, Quality: QualityLow} }
	const interpol = "INTERPOL-UN Security Council Special Notice web link:https://www.interpol.int/en/How-we-work/Notices/View-UN-Notices-Individuals"

	// An Al-Qaida individual with an Arabic name, aliases of both
	// qualities and passports with and without issuing country.
	zawahiri := Entry{
		ID: "QDi.006", DataID: "111923", Version: 1, Schema: SchemaPerson,
		Name: "AIMAN MUHAMMED RABI AL-ZAWAHIRI",
		Names: []Name{
			{Value: "AIMAN MUHAMMED RABI AL-ZAWAHIRI", Kind: KindPrimary},
			{Value: "أيمن محمد ربيع الظواهري", Kind: KindOriginal},
			good("Ayman Al-Zawahari"), good("Ahmed Fuad Salim"),
			good("Al Zawahry Aiman Mohamed Rabi Abdel Muaz"), good("Al Zawahiri Ayman"),
			good("Abdul Qader Abdul Aziz Abdul Moez Al Doctor"), good("Al Zawahry Aiman Mohamed Rabi"),
			good("Al Zawahry Aiman Mohamed Rabie"), good("Al Zawahry Aiman Mohamed Robi"),
			good("Dhawahri Ayman"), good("Eddaouahiri Ayman"), good("Nur Al Deen Abu Mohammed"),
			good("Ayman Al Zawahari"), good("Ahmad Fuad Salim"),
			low("Abu Fatma"), low("Abu Mohammed"),
		},
		Title:         []string{"Doctor", "Dr."},
		BirthDates:    []BirthDate{{Type: DateExact, Date: "1951-06-19", Year: 1951}},
		BirthPlaces:   []string{"Giza, Egypt"},
		Nationalities: []string{"Egypt"},
		Documents: []Document{
			{Type: "Passport", Number: "1084010", Country: "Egypt"},
			{Type: "Passport", Number: "19820215"},
		},
		ListType: "Al-Qaida",
		ListedOn: "2001-01-25",
		Updated:  []string{"2007-07-02", "2007-07-18", "2007-08-13", "2010-12-16", "2015-05-22", "2020-11-24", "2025-03-11"},
		Comments: "Leader of Al-Qaida (QDe.004). Former operational and military leader of Egyptian Islamic Jihad (QDe.003), was a close associate of Usama Bin Laden (deceased). Believed to have been in the Afghanistan/Pakistan border area before going to Afghanistan in 2014. Reportedly killed in drone strike in Kabul, Afghanistan on 31 July 2022. Photo available for inclusion in the INTERPOL-UN Security Council Special Notice. Review pursuant to Security Council resolution 1822 (2008) was concluded on 21 Jun. 2010. Review pursuant to Security Council resolution 2368 (2017) was concluded on 24 November 2020. " + interpol,
	}

	// A Taliban individual born in a BETWEEN range, with places of birth and
	// addresses in Pakistan; the comment is hard-wrapped in the file.
	haqqani := Entry{
		ID: "TAi.144", DataID: "2785696", Version: 1, Schema: SchemaPerson,
		Name: "SIRAJUDDIN JALLALOUDINE HAQQANI",
		Names: []Name{
			{Value: "SIRAJUDDIN JALLALOUDINE HAQQANI", Kind: KindPrimary},
			{Value: "سراج الدين جلال الدين حقانى", Kind: KindOriginal},
			good("Siraj Haqqani"), good("Serajuddin Haqani"), good("Siraj Haqani"), good("Saraj Haqani"),
			low("Khalifa"),
		},
		Designation: []string{"Na'ib Amir (Deputy Commander)"},
		BirthDates:  []BirthDate{{Type: DateBetween, From: 1977, To: 1978, Note: "Approximately"}},
		BirthPlaces: []string{
			"Danda, Miramshah, North Waziristan, Pakistan",
			"Khost province, Afghanistan",
			"Neka district, Paktika province, Afghanistan",
			"Srana village, Garda Saray district, Paktia province, Afghanistan",
		},
		Nationalities: []string{"Afghanistan"},
		Addresses: []string{
			"Kela neighborhood/Danda neighborhood, Miramshah, North Waziristan, Pakistan",
			"Manba'ul uloom Madrasa, Miramshah, North Waziristan, Pakistan",
			"Dergey Manday Madrasa, Miramshah, North Waziristan, Pakistan",
		},
		ListType: "Taliban",
		ListedOn: "2007-09-13",
		Updated:  []string{"2013-04-22"},
		Comments: "Heading the Haqqani Network (TAe.012) as of late 2012. Son of Jalaluddin Haqqani (TAi.040). Belongs to Sultan Khel section, Zadran tribe of Garda Saray of Paktia province, Afghanistan. Believed to be in the Afghanistan/Pakistan border area. Review pursuant to Security Council resolution 1822 (2008) was concluded on 27 Jul. 2010. " + interpol,
	}

	// An entity with "a.k.a." and "f.k.a." names.
	aqim := Entry{
		ID: "QDe.014", DataID: "113995", Version: 1, Schema: SchemaOrganization,
		Name: "THE ORGANIZATION OF AL-QAIDA IN THE ISLAMIC MAGHREB",
		Names: []Name{
			{Value: "THE ORGANIZATION OF AL-QAIDA IN THE ISLAMIC MAGHREB", Kind: KindPrimary},
			{Value: "تنظيم القا عدة ببلاد المغرب الاسلامي", Kind: KindOriginal},
			{Value: "AQIM", Kind: KindAlias},
			{Value: "Al Qaïda au Maghreb islamique (AQMI)", Kind: KindAlias},
			{Value: "Le Groupe Salafiste pour La Prédication et le Combat (GSPC)", Kind: KindFormer},
			{Value: "Salafist Group For Call and Combat", Kind: KindFormer},
		},
		Addresses: []string{"Algeria", "Mali", "Mauritania", "Morocco", "Niger", "Tunisia"},
		ListType:  "Al-Qaida",
		ListedOn:  "2001-10-06",
		Updated:   []string{"2007-04-26", "2008-04-07", "2009-07-17", "2011-12-13", "2020-11-24"},
		Comments:  "Headed by Abdelmalek Droukdel (QDi.232). Zone of operation includes Algeria and parts of Mali, Mauritania, Niger, Tunisia and Morocco. Review pursuant to Security Council resolution 1822 (2008) was concluded on 21 Jun. 2010. Review pursuant to Security Council resolution 2368 (2017) was concluded on 24 November 2020. " + interpol,
	}

	for _, want := range []Entry{zawahiri, haqqani, aqim} {
		got := find(t, l, want.ID)
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", want.ID, *got, want)
		}
		if !got.Equal(&want) {
			t.Errorf("%s: Equal disagrees with reflect.DeepEqual", want.ID)
		}
	}

	// Alias birth dates join the entry's, noting the alias; a repeated
	// alias ("Djamel Mostafa" twice, with different dates) appears once.
	e := find(t, l, "QDi.129")
	if got := e.BirthDates[1]; got != (BirthDate{Type: DateExact, Date: "1979-12-31", Year: 1979, Note: "alias Kalad Belkasam"}) {
		t.Errorf("QDi.129 alias birth date = %+v", got)
	}
	if n := strings.Count(strings.Join(e.AllNames(), "|"), "Djamel Mostafa"); n != 1 {
		t.Errorf("QDi.129: Djamel Mostafa %d times in %q", n, e.AllNames())
	}
	// ISSUING_COUNTRY is the issuing state; COUNTRY_OF_ISSUE where it was issued.
	e = find(t, l, "QDi.096")
	if !slices.Contains(e.Documents, Document{Type: "Passport", Number: "L335915", Country: "Tunisia",
		IssueDate: "1996-11-08", IssuePlace: "Milan, Italy", Note: "expired on 7 Nov. 2001"}) {
		t.Errorf("QDi.096 documents: %+v", e.Documents)
	}
	// REFERENCE_NUMBER "KPe.023 " is trimmed.
	find(t, l, "KPe.023")
}

// A national list in the same shape: entries straight under the root, a
// namespace, a byte-order mark, Latin-1, unknown elements, messy spacing.
func TestReadNational(t *testing.T) {
	doc := "\ufeff<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" +
		`<CONSOLIDATED_LIST xmlns="urn:example:pk" dateGenerated="2025-01-02T03:04:05">
  <HEADER><PUBLISHER>NACTA</PUBLISHER></HEADER>
  <INDIVIDUAL>
    <DATAID> 7 </DATAID>
    <REFERENCE_NUMBER>PK-1</REFERENCE_NUMBER>
    <FIRST_NAME>  Jos` + "\xe9" + `   </FIRST_NAME>
    <THIRD_NAME>Khan
       Niazi</THIRD_NAME>
    <PHOTO><URL>x</URL></PHOTO>
    <GENDER>M</GENDER>
    <INDIVIDUAL_ALIAS><QUALITY>LOW</QUALITY><ALIAS_NAME>jos` + "\xe9" + ` khan niazi</ALIAS_NAME></INDIVIDUAL_ALIAS>
    <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>JOS` + "\xc9" + ` KHAN NIAZI</ALIAS_NAME><NOTE>passport name</NOTE></INDIVIDUAL_ALIAS>
    <INDIVIDUAL_ALIAS><QUALITY>A.K.A</QUALITY><ALIAS_NAME>Jojo</ALIAS_NAME></INDIVIDUAL_ALIAS>
    <INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
    <INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE/></INDIVIDUAL_DATE_OF_BIRTH>
    <INDIVIDUAL_DATE_OF_BIRTH><DATE>1980-05-06Z</DATE></INDIVIDUAL_DATE_OF_BIRTH>
    <INDIVIDUAL_DATE_OF_BIRTH><FROM_YEAR>1979</FROM_YEAR><TO_YEAR>1981</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
    <INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT><NUMBER>35202-1234567-1</NUMBER><COUNTRY_OF_ISSUE>Pakistan</COUNTRY_OF_ISSUE></INDIVIDUAL_DOCUMENT>
    <INDIVIDUAL_DOCUMENT/>
    <INDIVIDUAL_ADDRESS><CITY>Lahore</CITY><CITY>Lahore Cantt</CITY><COUNTRY>Pakistan</COUNTRY><NOTE>2024</NOTE></INDIVIDUAL_ADDRESS>
    <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS>
  </INDIVIDUAL>
  <ENTITY>
    <REFERENCE_NUMBER>PK-E1</REFERENCE_NUMBER>
    <ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old Name Trust</ALIAS_NAME></ENTITY_ALIAS>
  </ENTITY>
</CONSOLIDATED_LIST>
<!-- end -->
`
	l, err := Read(strings.NewReader(doc), "pk.xml")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC); !l.Generated.Equal(want) {
		t.Errorf("Generated = %v", l.Generated)
	}
	want := []Entry{{
		ID: "PK-1", DataID: "7", Schema: SchemaPerson,
		Name: "José Khan Niazi",
		Names: []Name{
			{Value: "José Khan Niazi", Kind: KindPrimary, Note: "passport name"},
			{Value: "Jojo", Kind: KindAlias},
		},
		Gender: "male",
		BirthDates: []BirthDate{
			{Type: DateExact, Date: "1980-05-06", Year: 1980},
			{Type: DateBetween, From: 1979, To: 1981},
		},
		Documents: []Document{{Type: "National Identification Number", Number: "35202-1234567-1", Country: "Pakistan", IssuePlace: "Pakistan"}},
		Addresses: []string{"Lahore; Lahore Cantt, Pakistan"},
	}, {
		ID: "PK-E1", Schema: SchemaOrganization,
		Name:  "Old Name Trust",
		Names: []Name{{Value: "Old Name Trust", Kind: KindFormer}},
	}}
	if !reflect.DeepEqual(l.Entries, want) {
		t.Errorf("got  %#v\nwant %#v", l.Entries, want)
	}
}

func TestReadWindows1252(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<CONSOLIDATED_LIST><ENTITIES><ENTITY>" +
		"<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>\x93Caf\xe9\x94 \x80</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
	l, err := Read(strings.NewReader(doc), "w.xml")
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Entries[0].Name; got != "“Café” €" {
		t.Errorf("Name = %q", got)
	}
}

// errorCases are inputs that must be refused, with the exact message.
var errorCases = []struct {
	name, doc, want string
}{
	{"empty", "", "x.xml: empty file"},
	{"space", " \n\t\n", "x.xml: empty file"},
	{"text", "QDi.006,AIMAN AL-ZAWAHIRI\n", "x.xml: not a consolidated list (no XML element)"},
	{"html", "<!DOCTYPE html>\n<html lang=\"en\"><body>Service unavailable</body></html>\n",
		"x.xml: not a consolidated list (root element is <html>)"},
	{"syntax", `<?xml version="1.0"?>
<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST>
    </INDIVIDUAL>
  </INDIVIDUALS>
</CONSOLIDATED_LIST>
`, "x.xml:7: XML syntax error: element <FIRST_NAME> closed by </FIRST>"},
	{"truncated", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST_NAME>
    </INDIVIDUAL>
    <INDIVIDUAL>
      <REFERENCE_NUMBER>QDi.0`, "x.xml:8: XML syntax error: unexpected EOF"},
	{"entity", "<CONSOLIDATED_LIST>\n<ENTITIES><ENTITY><FIRST_NAME>A&nbsp;B</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
		"x.xml:2: XML syntax error: invalid character entity &nbsp;"},
	{"utf8", "<CONSOLIDATED_LIST>\n<ENTITIES><ENTITY><FIRST_NAME>Caf\xe9</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>",
		"x.xml:2: XML syntax error: invalid UTF-8"},
	{"utf16", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<CONSOLIDATED_LIST/>",
		`x.xml:1: xml: opening charset "UTF-16": not supported; convert the file to UTF-8`},
	{"no entries", `<?xml version="1.0"?>
<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z">
  <INDIVIDUALS/>
  <ENTITIES/>
</CONSOLIDATED_LIST>
`, "x.xml:2: CONSOLIDATED_LIST: no INDIVIDUAL or ENTITY entries"},
	{"self-closed root", `<CONSOLIDATED_LIST/>`, "x.xml:1: CONSOLIDATED_LIST: no INDIVIDUAL or ENTITY entries"},
	{"bad dateGenerated", `<?xml version="1.0"?>
<CONSOLIDATED_LIST dateGenerated="yesterday">
</CONSOLIDATED_LIST>
`, `x.xml:2: CONSOLIDATED_LIST: dateGenerated "yesterday" is not a date and time`},
	{"missing reference", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>6907993</DATAID>
      <FIRST_NAME>ERIC</FIRST_NAME>
      <REFERENCE_NUMBER> </REFERENCE_NUMBER>
    </INDIVIDUAL>
  </INDIVIDUALS>
</CONSOLIDATED_LIST>
`, "x.xml:3: INDIVIDUAL: missing REFERENCE_NUMBER (DATAID 6907993)"},
	{"missing reference and dataid", `<CONSOLIDATED_LIST>
  <ENTITIES>
    <ENTITY><FIRST_NAME>ACME</FIRST_NAME></ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
`, "x.xml:3: ENTITY: missing REFERENCE_NUMBER (no DATAID)"},
	{"no name", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST_NAME>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <DATAID>42</DATAID>
      <FIRST_NAME>
      </FIRST_NAME>
      <REFERENCE_NUMBER>QDe.001</REFERENCE_NUMBER>
      <NAME_ORIGINAL_SCRIPT/>
      <ENTITY_ALIAS>
        <QUALITY>a.k.a.</QUALITY>
        <ALIAS_NAME/>
      </ENTITY_ALIAS>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
`, "x.xml:9: ENTITY: QDe.001 has no name (DATAID 42)"},
	{"duplicate", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST_NAME>
    </INDIVIDUAL>
  </INDIVIDUALS>
  <ENTITIES>
    <ENTITY>
      <REFERENCE_NUMBER>QDi.001 </REFERENCE_NUMBER>
      <FIRST_NAME>B</FIRST_NAME>
    </ENTITY>
  </ENTITIES>
</CONSOLIDATED_LIST>
`, "x.xml:9: ENTITY: duplicate REFERENCE_NUMBER QDi.001 (also at line 3)"},
	{"reference twice", `<CONSOLIDATED_LIST>
  <INDIVIDUAL>
    <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
    <REFERENCE_NUMBER>QDi.002</REFERENCE_NUMBER>
    <FIRST_NAME>A</FIRST_NAME>
  </INDIVIDUAL>
</CONSOLIDATED_LIST>
`, `x.xml:4: INDIVIDUAL/REFERENCE_NUMBER: given twice ("QDi.001" and "QDi.002")`},
	{"bad version", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <DATAID>1</DATAID>
      <VERSIONNUM>one</VERSIONNUM>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST_NAME>
    </INDIVIDUAL>
  </INDIVIDUALS>
</CONSOLIDATED_LIST>
`, `x.xml:5: INDIVIDUAL/VERSIONNUM: "one" is not a version number`},
	{"bad date", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST_NAME>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>EXACT</TYPE_OF_DATE>
        <DATE>31/12/1979</DATE>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
</CONSOLIDATED_LIST>
`, `x.xml:8: INDIVIDUAL_DATE_OF_BIRTH/DATE: "31/12/1979" is not a date (YYYY-MM-DD)`},
	{"bad year", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST_NAME>
      <INDIVIDUAL_DATE_OF_BIRTH>
        <TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE>
        <FROM_YEAR>1970</FROM_YEAR>
        <TO_YEAR>197O</TO_YEAR>
      </INDIVIDUAL_DATE_OF_BIRTH>
    </INDIVIDUAL>
  </INDIVIDUALS>
</CONSOLIDATED_LIST>
`, `x.xml:9: INDIVIDUAL_DATE_OF_BIRTH/TO_YEAR: "197O" is not a year`},
	{"bad alias date", `<CONSOLIDATED_LIST>
  <INDIVIDUALS>
    <INDIVIDUAL>
      <REFERENCE_NUMBER>QDi.001</REFERENCE_NUMBER>
      <FIRST_NAME>A</FIRST_NAME>
      <INDIVIDUAL_ALIAS>
        <QUALITY>Good</QUALITY>
        <ALIAS_NAME>B</ALIAS_NAME>
        <DATE_OF_BIRTH>1979-02-30</DATE_OF_BIRTH>
      </INDIVIDUAL_ALIAS>
    </INDIVIDUAL>
  </INDIVIDUALS>
</CONSOLIDATED_LIST>
`, `x.xml:9: INDIVIDUAL_ALIAS/DATE_OF_BIRTH: "1979-02-30" is not a date (YYYY-MM-DD)`},
	{"two lists", `<CONSOLIDATED_LIST>
  <ENTITIES><ENTITY><REFERENCE_NUMBER>A</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>
<CONSOLIDATED_LIST>
  <ENTITIES><ENTITY><REFERENCE_NUMBER>B</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME></ENTITY></ENTITIES>
</CONSOLIDATED_LIST>
`, "x.xml:4: element <CONSOLIDATED_LIST> after the end of CONSOLIDATED_LIST"},
}

func TestReadErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			l, err := Read(strings.NewReader(c.doc), "x.xml")
			if err == nil {
				t.Fatalf("no error; read %d entries", len(l.Entries))
			}
			if err.Error() != c.want {
				t.Errorf("error\n got %s\nwant %s", err, c.want)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "x.xml" {
				t.Errorf("error %#v is not a *Error naming the file", err)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := ReadFile(dir + "/missing.xml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	p := dir + "/list.xml"
	if err := os.WriteFile(p, []byte("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>\n</INDIVIDUALS></CONSOLIDATED_LIST>"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(p)
	if want := p + ":3: INDIVIDUAL: missing REFERENCE_NUMBER (no DATAID)"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}

// A read error from the underlying reader is reported, not taken for the
// end of the list.
func TestReadIOError(t *testing.T) {
	doc := "<CONSOLIDATED_LIST>\n<ENTITIES><ENTITY><REFERENCE_NUMBER>A</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME></ENTITY>\n"
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(doc), &errReader{boom})
	_, err := Read(r, "x.xml")
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "x.xml:") {
		t.Errorf("got %v", err)
	}
}

type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

func TestDecoder(t *testing.T) {
	doc := `<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z"><ENTITIES>
<ENTITY><REFERENCE_NUMBER>A</REFERENCE_NUMBER><FIRST_NAME>A</FIRST_NAME></ENTITY>
<ENTITY><REFERENCE_NUMBER>A</REFERENCE_NUMBER><FIRST_NAME>B</FIRST_NAME></ENTITY>
</ENTITIES></CONSOLIDATED_LIST>`
	d := NewDecoder(strings.NewReader(doc), "x.xml")
	e, err := d.Next()
	if err != nil || e.ID != "A" || d.Generated().Year() != 2026 {
		t.Fatalf("first: %v %v %v", e, err, d.Generated())
	}
	_, err = d.Next()
	if err == nil || err.Error() != "x.xml:3: ENTITY: duplicate REFERENCE_NUMBER A (also at line 2)" {
		t.Fatalf("second: %v", err)
	}
	if _, again := d.Next(); again != err {
		t.Errorf("error not sticky: %v", again)
	}
}

func TestDiff(t *testing.T) {
	entry := func(id string, version int, name string) Entry {
		return Entry{ID: id, Version: version, Schema: SchemaPerson, Name: name,
			Names: []Name{{Value: name, Kind: KindPrimary}}}
	}
	prev := &List{Entries: []Entry{entry("QDi.3", 1, "C"), entry("QDi.1", 1, "A"), entry("QDi.2", 1, "B"), entry("QDi.4", 1, "D")}}
	next := &List{Entries: []Entry{entry("QDi.5", 1, "E"), entry("QDi.2", 2, "B"), entry("QDi.1", 1, "A"), entry("QDi.4", 1, "D")}}
	next.Entries[3].Names = append(next.Entries[3].Names, Name{Value: "Dee", Kind: KindAlias, Quality: QualityLow})
	added, removed, changed := Diff(prev, next)
	if !slices.Equal(added, []string{"QDi.5"}) || !slices.Equal(removed, []string{"QDi.3"}) ||
		!slices.Equal(changed, []string{"QDi.2", "QDi.4"}) {
		t.Errorf("Diff = %v %v %v", added, removed, changed)
	}
	if a, r, c := Diff(prev, prev); a != nil || r != nil || c != nil {
		t.Errorf("Diff of a list with itself = %v %v %v", a, r, c)
	}
}

func TestDiffUN(t *testing.T) {
	l := readUN(t)
	again, err := ReadFile(unFile)
	if err != nil {
		t.Fatal(err)
	}
	if a, r, c := Diff(l, again); a != nil || r != nil || c != nil {
		t.Errorf("reading twice differs: %v %v %v", a, r, c)
	}
	again.Entries = again.Entries[1:]
	again.Entries[0].Comments += " Deceased."
	if a, r, c := Diff(l, again); a != nil || !slices.Equal(r, []string{l.Entries[0].ID}) || !slices.Equal(c, []string{l.Entries[1].ID}) {
		t.Errorf("Diff = %v %v %v", a, r, c)
	}
}

func TestAllNames(t *testing.T) {
	e := Entry{Names: []Name{{Value: "A B", Kind: KindPrimary}, {Value: "ا ب", Kind: KindOriginal}, {Value: "AB", Kind: KindAlias}}}
	if got := e.AllNames(); !slices.Equal(got, []string{"A B", "ا ب", "AB"}) {
		t.Errorf("AllNames = %q", got)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "",
		" ":                             "",
		"abc":                           "abc",
		"a b":                           "a b",
		"a  b":                          "a b",
		" a b ":                         "a b",
		"a b ":                          "a b",
		"a\n   b":                       "a b",
		"a\u00a0b":                      "a b",
		"عبد\n                  الرحمن": "عبد الرحمن",
		"میر\u200cعلی":                  "میر\u200cعلی", // a zero-width non-joiner is part of a Persian word
	} {
		if got := clean([]byte(in)); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, c := range errorCases {
		f.Add([]byte(c.doc))
	}
	f.Add([]byte(`<CONSOLIDATED_LIST dateGenerated="2026-02-27T00:00:09.554Z"><INDIVIDUALS><INDIVIDUAL>
<DATAID>1</DATAID><VERSIONNUM>2</VERSIONNUM><FIRST_NAME>A</FIRST_NAME><SECOND_NAME>B</SECOND_NAME>
<REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER><NAME_ORIGINAL_SCRIPT>ا ب</NAME_ORIGINAL_SCRIPT>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>C</ALIAS_NAME><DATE_OF_BIRTH>1970</DATE_OF_BIRTH><CITY_OF_BIRTH>K</CITY_OF_BIRTH></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1960</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>X1</NUMBER></INDIVIDUAL_DOCUMENT>
<INDIVIDUAL_PLACE_OF_BIRTH><CITY>K</CITY><COUNTRY>P</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
</INDIVIDUAL></INDIVIDUALS><ENTITIES><ENTITY><REFERENCE_NUMBER>QDe.1</REFERENCE_NUMBER>
<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>D</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES></CONSOLIDATED_LIST>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Read(bytes.NewReader(data), "f.xml")
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "f.xml") {
				t.Fatalf("error %q is not a *Error naming the file", err)
			}
			return
		}
		if len(l.Entries) == 0 {
			t.Fatal("no entries and no error")
		}
		ids := map[string]bool{}
		for _, e := range l.Entries {
			if e.ID == "" || ids[e.ID] {
				t.Fatalf("ID %q empty or repeated", e.ID)
			}
			ids[e.ID] = true
			if e.Name == "" || len(e.Names) == 0 {
				t.Fatalf("%s: no name", e.ID)
			}
			seen := map[string]bool{}
			for _, n := range e.Names {
				if n.Value == "" || n.Value != clean([]byte(n.Value)) || seen[strings.ToLower(n.Value)] {
					t.Fatalf("%s: name %q empty, unclean or repeated", e.ID, n.Value)
				}
				seen[strings.ToLower(n.Value)] = true
			}
			if !e.Equal(&e) {
				t.Fatalf("%s: not Equal to itself", e.ID)
			}
		}
	})
}

func BenchmarkReadFile(b *testing.B) {
	st, err := os.Stat(unFile)
	if err != nil {
		b.Skipf("%s not found", unFile)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadFile(unFile); err != nil {
			b.Fatal(err)
		}
	}
}
