package names

import (
	"slices"
	"testing"
)

func TestTokens(t *testing.T) {
	got := Tokens("Muhammad  Asif s/o Abdul-Rehman, Józef محمد")
	want := []string{"muhammad", "asif", "s", "o", "abdul", "rehman", "jozef", "محمد"}
	if !slices.Equal(got, want) {
		t.Fatalf("Tokens = %q, want %q", got, want)
	}
}

func TestSkeleton(t *testing.T) {
	same := [][]string{
		{"muhammad", "mohammed", "muhamad", "mohammad"},
		{"kowalski", "kovalsky"},
		{"umar", "omar"},
		{"yousaf", "yusuf", "yousuf"},
		{"farooq", "faruq"},
		{"qureshi", "kureshi"},
	}
	for _, group := range same {
		want := Skeleton(group[0])
		for _, w := range group[1:] {
			if got := Skeleton(w); got != want {
				t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q; want equal", w, got, group[0], want)
			}
		}
	}
	if Skeleton("ahmed") == Skeleton("hamid") {
		t.Errorf("ahmed and hamid must differ")
	}
	cross := map[string]string{"محمد": "muhammad", "یوسف": "yousaf", "عمر": "umar", "حسین": "hussain", "آصف": "asif",
		"خان": "khan", "شاہ": "shah", "عبداللہ": "abdullah", "فاطمہ": "fatima", "رضوان": "rizwan", "پرویز": "pervaiz",
		"بھٹو": "bhutto", "قریشی": "qureshi", "احمد": "ahmed", "ذوالفقار": "zulfiqar", "عثمان": "usman", "جاوید": "javed"}
	for ar, lat := range cross {
		if Skeleton(ar) != Skeleton(lat) || Skeleton(ar) == "" {
			t.Errorf("Skeleton(%q) = %q, Skeleton(%q) = %q; want equal", ar, Skeleton(ar), lat, Skeleton(lat))
		}
	}
	if Skeleton("Асиф") != "" || Skeleton("35202") != "" || Skeleton("a1") != "" {
		t.Errorf("words in other scripts and with digits have no skeleton")
	}
}
