package demo

import (
	"slices"
	"strings"
)

// part is one part of a name as clerks write it: the usual Latin spelling,
// the Urdu spelling, and the other Latin spellings found in records. The
// variants are what make the demo worth resolving: the same man is
// Muhammad Yousaf Butt at one agency and MOHD YUSUF BUTT at another.
type part struct {
	latin    string
	urdu     string
	variants []string
	prefix   bool // a clan or title name that may come first: Chaudhry Asif
}

func np(latin, urdu string, variants ...string) *part {
	return &part{latin: latin, urdu: urdu, variants: variants}
}

// pre marks a family name that is also written before the given names.
func pre(p *part) *part { p.prefix = true; return p }

// muhammad opens a large share of men's names and has the most spellings.
var muhammad = np("Muhammad", "محمد", "Mohammad", "Mohammed", "Muhammed", "Mohd", "M.")

// maleGiven are men's given names, each common in Pakistan.
var maleGiven = []*part{
	np("Asif", "آصف", "Aasif"), np("Imran", "عمران", "Imraan"), np("Bilal", "بلال"),
	np("Usman", "عثمان", "Osman", "Usmaan"), np("Umar", "عمر", "Omar"), np("Zubair", "زبیر", "Zubayr"),
	np("Kamran", "کامران"), np("Naveed", "نوید", "Navid"), np("Shahid", "شاہد", "Shahed"),
	np("Tariq", "طارق", "Tarique", "Tarik"), np("Khalid", "خالد", "Khaled"), np("Arshad", "ارشد"),
	np("Nadeem", "ندیم", "Nadim"), np("Waseem", "وسیم", "Wasim"), np("Rashid", "راشد", "Rasheed"),
	np("Sajid", "ساجد"), np("Zahid", "زاہد"), np("Abid", "عابد"), np("Asad", "اسد"),
	np("Faisal", "فیصل", "Faysal"), np("Irfan", "عرفان"), np("Adnan", "عدنان"),
	np("Yasir", "یاسر", "Yasser"), np("Aamir", "عامر", "Amir"), np("Fahad", "فہد", "Fahd"),
	np("Farhan", "فرحان"), np("Rizwan", "رضوان"), np("Junaid", "جنید"), np("Waqas", "وقاص"),
	np("Haroon", "ہارون", "Harun"), np("Nasir", "ناصر", "Nasser"),
	np("Yousaf", "یوسف", "Yusuf", "Yousuf", "Yusaf"), np("Ayub", "ایوب", "Ayoub", "Ayyub"),
	np("Ilyas", "الیاس", "Elyas"), np("Idrees", "ادریس", "Idris"), np("Sohail", "سہیل", "Suhail"),
	np("Shakeel", "شکیل", "Shakil"), np("Jamil", "جمیل", "Jameel"), np("Akram", "اکرم"),
	np("Amjad", "امجد"), np("Pervaiz", "پرویز", "Pervez", "Parvez"), np("Liaqat", "لیاقت", "Liaquat"),
	np("Riaz", "ریاض"), np("Imtiaz", "امتیاز"), np("Ejaz", "اعجاز", "Ijaz", "Aijaz"),
	np("Mushtaq", "مشتاق"), np("Ashfaq", "اشفاق"), np("Zafar", "ظفر"), np("Tahir", "طاہر"),
	np("Sabir", "صابر"), np("Sarfraz", "سرفراز", "Sarfaraz"), np("Saeed", "سعید", "Said"),
	np("Shafiq", "شفیق", "Shafique"), np("Zeeshan", "ذیشان"), np("Hamza", "حمزہ"),
	np("Talha", "طلحہ"), np("Noman", "نعمان", "Nauman"), np("Atif", "عاطف"), np("Kashif", "کاشف"),
	np("Arif", "عارف"), np("Naeem", "نعیم"), np("Qasim", "قاسم", "Kasim"), np("Mansoor", "منصور", "Mansur"),
	np("Bashir", "بشیر", "Basheer"), np("Hassan", "حسن", "Hasan"), np("Akbar", "اکبر"),
}

// maleSecond are names that often follow a given name: Asif Ali, Naveed Akhtar.
var maleSecond = []*part{
	np("Ali", "علی"), np("Ahmed", "احمد", "Ahmad"), np("Hussain", "حسین", "Husain", "Hussein"),
	np("Raza", "رضا"), np("Iqbal", "اقبال"), np("Akhtar", "اختر"),
	np("Mehmood", "محمود", "Mahmood", "Mehmud"), np("Javed", "جاوید", "Javaid"), np("Aslam", "اسلم"),
	np("Rafiq", "رفیق", "Rafique"), np("Anwar", "انور"), np("Abbas", "عباس"), np("Saleem", "سلیم", "Salim"),
	np("Shahzad", "شہزاد"), np("Rehman", "رحمان", "Rahman"),
}

// compounds are given names of two words that are one name.
var compounds = []*part{
	np("Abdul Rehman", "عبدالرحمن", "Abdur Rehman", "Abdul Rahman", "Abdur Rahman"),
	np("Abdul Ghaffar", "عبدالغفار", "Abdul Gaffar", "Abdulghaffar"),
	np("Abdul Qadir", "عبدالقادر", "Abdul Qadeer", "Abdul Kadir"),
	np("Abdul Rasheed", "عبدالرشید", "Abdul Rashid"),
	np("Abdul Majeed", "عبدالمجید", "Abdul Majid"),
	np("Abdul Hameed", "عبدالحمید", "Abdul Hamid"),
	np("Abdul Waheed", "عبدالوحید", "Abdul Wahid"),
	np("Abdul Sattar", "عبدالستار", "Abdus Sattar"),
	np("Ghulam Abbas", "غلام عباس"), np("Ghulam Rasool", "غلام رسول", "Ghulam Rasul"),
	np("Ghulam Haider", "غلام حیدر", "Ghulam Hyder"), np("Ghulam Mustafa", "غلام مصطفیٰ", "Ghulam Mustafah"),
	np("Ghulam Sarwar", "غلام سرور"), np("Ghulam Nabi", "غلام نبی"),
	np("Gul Muhammad", "گل محمد", "Gul Mohammad"), np("Sher Zaman", "شیر زمان", "Sher Zamaan"),
	np("Noor Ahmed", "نور احمد", "Nur Ahmad"), np("Wali Jan", "ولی جان", "Wali Khan"),
}

// femaleGiven are women's given names.
var femaleGiven = []*part{
	np("Fatima", "فاطمہ", "Fatimah"), np("Ayesha", "عائشہ", "Aisha", "Aysha"), np("Zainab", "زینب", "Zaynab"),
	np("Maryam", "مریم", "Mariam"), np("Sana", "ثناء", "Sanaa"), np("Nadia", "نادیہ"), np("Rabia", "رابعہ", "Rabiya"),
	np("Saima", "صائمہ"), np("Shazia", "شازیہ"), np("Nasreen", "نسرین", "Nasrin"), np("Parveen", "پروین", "Parvin"),
	np("Rukhsana", "رخسانہ", "Rukshana"), np("Samina", "ثمینہ", "Sameena"), np("Kiran", "کرن"), np("Iqra", "اقراء"),
	np("Hina", "حنا"), np("Sadia", "سعدیہ"), np("Amina", "آمنہ", "Aamna"), np("Farzana", "فرزانہ"),
	np("Naila", "نائلہ"), np("Uzma", "عظمیٰ"), np("Mehwish", "مہوش"), np("Asma", "اسماء"),
	np("Kulsoom", "کلثوم", "Kulsum"), np("Shabana", "شبانہ"), np("Tahira", "طاہرہ"),
	np("Yasmin", "یاسمین", "Yasmeen"), np("Sumaira", "سمیرا", "Sumera"),
}

// bibi follows many women's names in records in place of a family name.
var bibi = np("Bibi", "بی بی", "Bi Bi")

// families are clan and family names by region. The demo's subjects take
// their family name from the region of their home town.
var families = map[string][]*part{
	"punjab": {
		np("Butt", "بٹ", "Bhatt"), pre(np("Chaudhry", "چوہدری", "Chaudhary", "Choudhry", "Ch.")),
		pre(np("Malik", "ملک")), pre(np("Rana", "رانا")), np("Awan", "اعوان"), np("Gondal", "گوندل"),
		np("Warraich", "وڑائچ", "Waraich"), np("Cheema", "چیمہ"), np("Virk", "ورک"), np("Sandhu", "سندھو"),
		np("Gujjar", "گجر", "Gujar"), np("Arain", "آرائیں", "Araien"), np("Khokhar", "کھوکھر"),
		np("Mughal", "مغل"), np("Bhatti", "بھٹی"), np("Dogar", "ڈوگر"), np("Sial", "سیال"),
		np("Kharal", "کھرل"), np("Jutt", "جٹ", "Jatt"), np("Rajput", "راجپوت"), pre(np("Mirza", "مرزا")),
		pre(np("Sheikh", "شیخ", "Shaikh")), np("Qureshi", "قریشی", "Qureshy", "Koreshi"), np("Ansari", "انصاری"),
		np("Hashmi", "ہاشمی", "Hashimi"), np("Bukhari", "بخاری", "Bokhari"), pre(np("Qazi", "قاضی", "Kazi")),
	},
	"sindh": {
		np("Memon", "میمن"), np("Soomro", "سومرو"), np("Jatoi", "جتوئی"), np("Siddiqui", "صدیقی", "Siddiqi"),
		np("Ansari", "انصاری"), np("Qureshi", "قریشی", "Qureshy"), pre(np("Sheikh", "شیخ", "Shaikh")),
		np("Abbasi", "عباسی"), np("Baloch", "بلوچ", "Balouch"), np("Kazmi", "کاظمی"), np("Rizvi", "رضوی"),
		np("Khan", "خان"), np("Brohi", "بروہی"), np("Lashari", "لاشاری"),
	},
	"kp": {
		np("Khan", "خان"), np("Mohmand", "مہمند"), np("Durrani", "درانی"), np("Tanoli", "تنولی"),
		np("Swati", "سواتی"), np("Abbasi", "عباسی"), np("Awan", "اعوان"), np("Shah", "شاہ"), np("Jadoon", "جدون", "Jadun"),
	},
	"balochistan": {
		np("Baloch", "بلوچ", "Balouch"), np("Kakar", "کاکڑ", "Kakkar"), np("Rind", "رند"), np("Brohi", "بروہی"),
		np("Lashari", "لاشاری"), np("Khan", "خان"), np("Notezai", "نوتیزئی", "Notizai"),
	},
}

// nicknames are the weak aliases associates use.
var nicknames = []string{"Kala", "Bhola", "Pappu", "Billa", "Guddu", "Mithu", "Chhotu", "Doctor", "Haji", "Seth", "Bao", "Shah Ji", "Lamba", "Mama"}

// famous lists well-known Pakistani public figures by the words of their
// names. A generated subject whose name holds all the words of one of these
// is generated again: the demo must never put a real person's name on a
// suspect.
var famous = [][]string{
	{"imran", "khan"}, {"nawaz", "sharif"}, {"shahbaz", "sharif"}, {"shehbaz", "sharif"}, {"maryam", "nawaz"},
	{"asif", "zardari"}, {"bilawal", "bhutto"}, {"benazir", "bhutto"}, {"khawaja", "asif"}, {"ishaq", "dar"},
	{"ahsan", "iqbal"}, {"rana", "sanaullah"}, {"sheikh", "rasheed"}, {"sheikh", "rashid"}, {"malik", "riaz"},
	{"hamid", "mir"}, {"asad", "umar"}, {"fawad", "chaudhry"}, {"shah", "mehmood", "qureshi"},
	{"jahangir", "tareen"}, {"pervaiz", "elahi"}, {"pervez", "elahi"}, {"shujaat", "hussain"}, {"altaf", "hussain"},
	{"fazlur", "rehman"}, {"tahir", "qadri"}, {"arif", "alvi"}, {"pervez", "musharraf"}, {"pervaiz", "musharraf"},
	{"asim", "munir"}, {"qamar", "bajwa"}, {"raheel", "sharif"}, {"faiz", "hameed"}, {"mohsin", "naqvi"},
	{"ali", "amin", "gandapur"}, {"murad", "ali", "shah"}, {"usman", "buzdar"}, {"hamza", "shahbaz"},
	{"faisal", "vawda"}, {"usman", "dar"}, {"pervez", "khattak"}, {"akhtar", "mengal"}, {"akbar", "bugti"},
	{"azam", "tarar"}, {"attaullah", "tarar"}, {"ayub", "khan"}, {"liaqat", "ali", "khan"}, {"liaquat", "ali", "khan"},
	{"abdul", "qadeer", "khan"}, {"abdul", "qadir", "khan"}, {"abdul", "sattar", "edhi"}, {"malala", "yousafzai"},
	{"wasim", "akram"}, {"waseem", "akram"}, {"waqar", "younis"}, {"shoaib", "akhtar"}, {"shahid", "afridi"},
	{"babar", "azam"}, {"javed", "miandad"}, {"inzamam", "haq"}, {"misbah", "haq"}, {"younis", "khan"},
	{"saeed", "anwar"}, {"saeed", "ajmal"}, {"shoaib", "malik"}, {"sarfraz", "ahmed"}, {"sarfaraz", "ahmed"},
	{"shadab", "khan"}, {"fakhar", "zaman"}, {"haris", "rauf"}, {"naseem", "shah"}, {"azhar", "ali"},
	{"asad", "shafiq"}, {"umar", "akmal"}, {"kamran", "akmal"}, {"abdul", "razzaq"}, {"mushtaq", "ahmed"},
	{"saqlain", "mushtaq"}, {"ramiz", "raja"}, {"zaheer", "abbas"}, {"aamir", "sohail"}, {"rashid", "latif"},
	{"moin", "khan"}, {"ijaz", "ahmed"}, {"salman", "butt"}, {"mohammad", "rizwan"}, {"muhammad", "rizwan"},
	{"mohammad", "amir"}, {"muhammad", "amir"}, {"mohammad", "hafeez"}, {"muhammad", "hafeez"},
	{"mohammad", "yousuf"}, {"muhammad", "yousuf"}, {"mohammad", "yousaf"}, {"muhammad", "yousaf"},
	{"abdul", "qadir"}, {"hanif", "mohammad"}, {"arshad", "nadeem"}, {"jahangir", "khan"},
	{"jansher", "khan"}, {"sohail", "abbas"}, {"atif", "aslam"}, {"ali", "zafar"}, {"fawad", "khan"},
	{"mahira", "khan"}, {"humayun", "saeed"}, {"rahat", "fateh"}, {"nusrat", "fateh"}, {"abida", "parveen"},
	{"bushra", "bibi"}, {"bushra", "ansari"}, {"hina", "rabbani"}, {"sherry", "rehman"}, {"shireen", "mazari"},
	{"asma", "jahangir"}, {"nadeem", "afzal"}, {"amjad", "sabri"}, {"ghulam", "ali"}, {"mehdi", "hassan"},
	{"zafar", "iqbal"}, {"tariq", "aziz"}, {"ghulam", "ishaq", "khan"}, {"farooq", "leghari"}, {"yousaf", "raza", "gillani"},
	{"raja", "pervaiz", "ashraf"}, {"shaukat", "aziz"}, {"zia", "haq"}, {"akhtar", "abdur", "rehman"},
	{"qaim", "ali", "shah"}, {"ghulam", "mustafa", "jatoi"}, {"mumtaz", "bhutto"}, {"sheikh", "mujib"},
}

// isFamous reports whether the words of a name include all the words of a
// well-known person's name. Spelling variants count: Mohd and Muhammad are
// one word here.
func isFamous(name string) bool {
	words := strings.Fields(strings.ToLower(strings.NewReplacer(".", " ", "-", " ", ",", " ").Replace(name)))
	for i, w := range words {
		words[i] = canonicalWord(w)
	}
	for _, f := range famous {
		all := true
		for _, w := range f {
			if !slices.Contains(words, canonicalWord(w)) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// canonicalWords maps every spelling of a one-word name part, lower-cased,
// to its usual spelling: amir → aamir, mohd → muhammad.
var canonicalWords = func() map[string]string {
	m := map[string]string{"m": "muhammad"}
	for _, list := range [][]*part{{muhammad, bibi}, maleGiven, maleSecond, femaleGiven} {
		for _, p := range list {
			for _, v := range append([]string{p.latin}, p.variants...) {
				if !strings.Contains(v, " ") {
					m[strings.ToLower(strings.TrimSuffix(v, "."))] = strings.ToLower(p.latin)
				}
			}
		}
	}
	for _, ps := range families {
		for _, p := range ps {
			for _, v := range append([]string{p.latin}, p.variants...) {
				m[strings.ToLower(strings.TrimSuffix(v, "."))] = strings.ToLower(p.latin)
			}
		}
	}
	return m
}()

func canonicalWord(w string) string {
	if c, ok := canonicalWords[w]; ok {
		return c
	}
	return w
}

// partIndex finds name parts by their usual Latin spelling, for the
// subjects whose names the demo fixes (the look-alikes).
var partIndex = func() map[string]*part {
	m := map[string]*part{"Muhammad": muhammad, "Bibi": bibi}
	for _, list := range [][]*part{maleGiven, maleSecond, compounds, femaleGiven} {
		for _, p := range list {
			m[p.latin] = p
		}
	}
	// Family names come last so a given name keeps its own entry.
	for _, region := range []string{"punjab", "sindh", "kp", "balochistan"} {
		for _, p := range families[region] {
			if _, ok := m[p.latin]; !ok {
				m[p.latin] = p
			}
		}
	}
	return m
}()

// parseName splits a name written in usual spellings into parts, reading
// two-word compounds (Abdul Rehman) as one part. It panics on a word it does
// not know: the names it reads are fixed in this package.
func parseName(name string) []*part {
	words := strings.Fields(name)
	var out []*part
	for i := 0; i < len(words); i++ {
		if i+1 < len(words) {
			if p, ok := partIndex[words[i]+" "+words[i+1]]; ok {
				out = append(out, p)
				i++
				continue
			}
		}
		p, ok := partIndex[words[i]]
		if !ok {
			panic("demo: unknown name part " + words[i])
		}
		out = append(out, p)
	}
	return out
}
