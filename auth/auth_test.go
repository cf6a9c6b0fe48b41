package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery", FastParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Fatal("right password refused")
	}
	for _, bad := range []string{"correct horse batter", "", "CORRECT HORSE BATTERY"} {
		if CheckPassword(h, bad) {
			t.Fatalf("wrong password %q accepted", bad)
		}
	}
	for _, corrupt := range []string{"", "$argon2i$v=19$m=8,t=1,p=1$AAAA$AAAA", h[:len(h)-4], "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		if CheckPassword(corrupt, "correct horse battery") {
			t.Fatalf("corrupt hash %q accepted", corrupt)
		}
	}
	h2, _ := HashPassword("correct horse battery", FastParams)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
}

func TestTOTP(t *testing.T) {
	secret, url, err := NewTOTP("fia.analyst")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(url, "otpauth://totp/Rabta:fia.analyst?") {
		t.Fatalf("url %q", url)
	}
	now := time.Now()
	code, _ := TOTPCode(secret, now)
	step, ok := CheckTOTP(secret, code, now)
	if !ok || step != now.Unix()/30 {
		t.Fatalf("current code: step %d ok %v", step, ok)
	}
	if _, ok := CheckTOTP(secret, code, now.Add(30*time.Second)); !ok {
		t.Fatal("a code from the step before refused (clock skew)")
	}
	old, _ := TOTPCode(secret, now.Add(-5*time.Minute))
	if _, ok := CheckTOTP(secret, old, now); old != code && ok {
		t.Fatal("five-minute-old code accepted")
	}
	if _, ok := CheckTOTP(secret, "", now); ok {
		t.Fatal("empty code accepted")
	}
	if _, ok := CheckTOTP("", code, now); ok {
		t.Fatal("empty secret accepted")
	}
}

func TestPolicyAndTokens(t *testing.T) {
	if CheckPasswordPolicy("short") == nil || CheckPasswordPolicy("long enough password") != nil {
		t.Fatal("password policy")
	}
	a, b := NewToken(), NewToken()
	if a == b || len(a) < 40 {
		t.Fatalf("tokens %q %q", a, b)
	}
}
