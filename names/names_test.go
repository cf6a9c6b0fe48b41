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
	if Skeleton("محمد") != "" || Skeleton("35202") != "" {
		t.Errorf("non-Latin words and numbers have no skeleton")
	}
}
