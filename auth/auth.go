// Package auth holds the credentials side of accounts: argon2id password
// hashes, TOTP second factors and random tokens. Sessions themselves are
// rows in the store, so any instance can check any session.
package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow OWASP's recommendation for argon2id (m=64 MiB, t=3,
// p=2 costs about 60 ms on the reference 2-core machine).
var DefaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 2}

// FastParams are for tests and the demo only, where hundreds of hashes are
// made at start-up. They are still argon2id.
var FastParams = Params{Memory: 8 * 1024, Time: 1, Threads: 1}

// MinPasswordLength is the shortest password accepted for a real account.
const MinPasswordLength = 12

// HashPassword returns the PHC string of an argon2id hash of password.
func HashPassword(password string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC hash, in constant
// time with respect to the password.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || p.Memory > 1<<21 || p.Time > 100 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a user does not exist, so a sign-in
// for an unknown name costs the same time as one with a wrong password.
var dummyHash, _ = HashPassword("rabta-dummy-password", DefaultParams)

// CheckDummy spends the time of one password check.
func CheckDummy(password string) { CheckPassword(dummyHash, password) }

// CheckPasswordPolicy refuses passwords too short to resist guessing.
func CheckPasswordPolicy(password string) error {
	if len([]rune(password)) < MinPasswordLength {
		return fmt.Errorf("password: use at least %d characters", MinPasswordLength)
	}
	return nil
}

// NewToken returns a random 256-bit token, URL-safe.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewTOTP makes a TOTP secret for an account and returns the secret and the
// otpauth:// URL an authenticator app reads.
func NewTOTP(username string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "Rabta", AccountName: username, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// TOTPQR renders an otpauth:// URL as a PNG QR code for authenticator apps.
func TOTPQR(url string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CheckTOTP validates a 6-digit code against secret, allowing one step of
// clock skew either way, and returns the time step the code belongs to, so
// that the caller can refuse a code used before (a code overheard or
// phished stays valid for up to 90 seconds otherwise).
func CheckTOTP(secret, code string, at time.Time) (step int64, ok bool) {
	code = strings.TrimSpace(code)
	if secret == "" || len(code) != 6 {
		return 0, false
	}
	now := at.Unix() / 30
	for _, st := range []int64{now, now - 1, now + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(st*30, 0).UTC(), totp.ValidateOpts{
			Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1,
		})
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return st, true
		}
	}
	return 0, false
}

// TOTPCode returns the current code for secret (for tests and enrolment checks).
func TOTPCode(secret string, at time.Time) (string, error) {
	return totp.GenerateCode(secret, at)
}

// ErrBadCredentials is the one answer to a failed sign-in, whatever failed.
var ErrBadCredentials = errors.New("wrong username, password or code")
