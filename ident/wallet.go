package ident

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strings"

	"golang.org/x/crypto/sha3"
)

// The chains WalletChain reports.
const (
	ChainBTC  = "btc"  // Bitcoin mainnet
	ChainETH  = "eth"  // Ethereum and every EVM chain that shares its addresses
	ChainTRON = "tron" // TRON, where most USDT moves
)

// maxWallet bounds the input: the longest address accepted is a 40-byte
// witness program in Bech32m, 74 characters.
const maxWallet = 90

// normalizeWallet returns the normal form of a crypto wallet address; see
// parseWallet.
func normalizeWallet(raw string) (string, error) {
	v, _, err := parseWallet(raw)
	return v, err
}

// WalletChain returns "btc", "eth" or "tron" for a valid wallet address in
// any accepted form, and "" for anything else. "eth" covers every EVM chain
// (BNB Smart Chain, Polygon, Arbitrum...): they share Ethereum's addresses,
// and the address alone cannot say which chain a payment used.
func WalletChain(addr string) string {
	_, chain, err := parseWallet(addr)
	if err != nil {
		return ""
	}
	return chain
}

// FormatWallet returns an address in the form wallets print it, or "" if it
// is not valid: EIP-55 mixed case for Ethereum, the normal form otherwise.
// Use it for display only; store and compare Normalize's output.
func FormatWallet(addr string) string {
	v, chain, err := parseWallet(addr)
	if err != nil {
		return ""
	}
	if chain == ChainETH {
		return "0x" + eip55(v[2:])
	}
	return v
}

// parseWallet recognises, by their prefix, the address formats seen in
// Pakistani cases: Bitcoin (legacy base58check 1… and 3…, and SegWit
// bc1… in Bech32 or Bech32m), Ethereum-style 0x… and TRON T…. Every format
// carries a checksum, and a wrong one is refused: a mistyped address is
// someone else's (or no one's) wallet, and indexing it would give a false
// hit or hide a true one.
//
// Normal forms: base58 addresses (Bitcoin 1…/3…, TRON) exactly as given,
// since base58 is case-sensitive; bc1… in lower case (Bech32 is
// case-insensitive and lower case is canonical); Ethereum 0x and 40
// lower-case hex digits, since the EIP-55 mixed case is only a checksum.
// Testnet addresses and other chains are refused with a reason.
func parseWallet(raw string) (normal, chain string, err error) {
	s := strings.TrimSpace(raw)
	switch {
	case s == "":
		return "", "", newError(Wallet, raw, "is empty")
	case len(s) > maxWallet:
		return "", "", newError(Wallet, raw, "is too long to be a wallet address (%d characters)", len(s))
	}
	for _, r := range s {
		if !isLetter(r) && !isDigit(r) {
			return "", "", newError(Wallet, raw, "may contain only Latin letters and digits, found %s", describe(r))
		}
	}
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(lower, "0x"):
		v, err := parseETH(raw, s[2:])
		return v, ChainETH, err
	case len(s) == 40 && isHex(s):
		return "", "", newError(Wallet, raw, "looks like an Ethereum address without its 0x prefix")
	case strings.HasPrefix(lower, "bc1"):
		v, err := parseSegwit(raw, s)
		return v, ChainBTC, err
	case strings.HasPrefix(lower, "tb1"), strings.HasPrefix(lower, "bcrt1"), isTestnetBase58(s):
		return "", "", newError(Wallet, raw, "is a Bitcoin testnet address, which holds no real funds")
	case s[0] == '1' || s[0] == '3':
		v, err := parseBase58Address(raw, s, "Bitcoin", 26, 35, s[0] == '1', 0x00, 0x05)
		return v, ChainBTC, err
	case s[0] == 'T':
		v, err := parseBase58Address(raw, s, "TRON", 34, 34, true, 0x41, 0x41)
		return v, ChainTRON, err
	}
	return "", "", newError(Wallet, raw, "is not a Bitcoin (1…, 3…, bc1…), Ethereum (0x…) or TRON (T…) address")
}

// isTestnetBase58 reports whether s is a valid testnet base58check address
// (m… or n… P2PKH, 2… P2SH), which deserves a clearer refusal than "not an
// address".
func isTestnetBase58(s string) bool {
	if s[0] != 'm' && s[0] != 'n' && s[0] != '2' {
		return false
	}
	_, err := parseBase58Address(s, s, "Bitcoin testnet", 26, 35, s[0] != '2', 0x6f, 0xc4)
	return err == nil
}

// parseETH checks the 40 hex digits after 0x. Addresses in one case carry
// no checksum and are taken as they are; mixed case must be the EIP-55
// checksum, whose whole point is to catch a mistyped address.
func parseETH(raw, hex string) (string, error) {
	if len(hex) != 40 || !isHex(hex) {
		return "", newError(Wallet, raw, "an Ethereum address is 0x and 40 hex digits")
	}
	lower := strings.ToLower(hex)
	if hex != lower && hex != strings.ToUpper(hex) && eip55(lower) != hex {
		return "", newError(Wallet, raw, "fails the EIP-55 checksum of its mixed case (mistyped?)")
	}
	if strings.Trim(lower, "0") == "" {
		// Tokens sent to the zero address are burnt; no one holds it,
		// and every record that names it would hit every other.
		return "", newError(Wallet, raw, "is the zero address, which no one holds")
	}
	return "0x" + lower, nil
}

// eip55 returns the EIP-55 mixed-case form of 40 lower-case hex digits: a
// letter is upper-cased where the matching nibble of the Keccak-256 hash of
// the lower-case hex text is 8 or more.
func eip55(lower string) string {
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	sum := h.Sum(nil)
	out := []byte(lower)
	for i, c := range out {
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if c >= 'a' && c <= 'f' && nibble >= 8 {
			out[i] = c - 'a' + 'A'
		}
	}
	return string(out)
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(rune(c)) && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
			return false
		}
	}
	return true
}

// parseBase58Address checks a base58check address of minLen-maxLen
// characters that decodes to a version byte (want1 or want2, chosen by
// first), a 20-byte hash and a 4-byte checksum: the first 4 bytes of
// SHA-256(SHA-256(version and hash)). Bitcoin and TRON share the scheme.
func parseBase58Address(raw, s, chain string, minLen, maxLen int, first bool, want1, want2 byte) (string, error) {
	if len(s) < minLen || len(s) > maxLen {
		if minLen == maxLen {
			return "", newError(Wallet, raw, "a %s address has %d characters, this has %d", chain, minLen, len(s))
		}
		return "", newError(Wallet, raw, "a %s address has %d-%d characters, this has %d", chain, minLen, maxLen, len(s))
	}
	b, bad := base58Decode(s)
	if bad != 0 {
		return "", newError(Wallet, raw, "has %s, which base58 never uses (it leaves out 0, O, I and l)", describe(bad))
	}
	if len(b) != 25 {
		return "", newError(Wallet, raw, "is not a %s address: decodes to %d bytes, not 25", chain, len(b))
	}
	sum := sha256.Sum256(b[:21])
	sum = sha256.Sum256(sum[:])
	if !bytes.Equal(sum[:4], b[21:]) {
		return "", newError(Wallet, raw, "fails the base58check checksum (mistyped?)")
	}
	want := want2
	if first {
		want = want1
	}
	if b[0] != want {
		return "", newError(Wallet, raw, "is not a %s address: version byte is 0x%02x, not 0x%02x", chain, b[0], want)
	}
	return s, nil
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Decode decodes Bitcoin's base58 (leading '1's are zero bytes). It
// returns the first character outside the alphabet as bad, or 0. Inputs are
// short (at most maxWallet), so the quadratic base conversion is fine.
func base58Decode(s string) (out []byte, bad rune) {
	var num []byte // the value so far, little-endian base 256
	for _, r := range s {
		v := strings.IndexRune(base58Alphabet, r)
		if v < 0 {
			return nil, r
		}
		carry := v
		for i := range num {
			carry += int(num[i]) * 58
			num[i] = byte(carry)
			carry >>= 8
		}
		for ; carry > 0; carry >>= 8 {
			num = append(num, byte(carry))
		}
	}
	zeros := len(s) - len(strings.TrimLeft(s, "1"))
	out = make([]byte, zeros, zeros+len(num))
	for i := len(num) - 1; i >= 0; i-- {
		out = append(out, num[i])
	}
	return out, 0
}

// parseSegwit checks a native SegWit address; see decodeSegwit.
func parseSegwit(raw, s string) (string, error) {
	if _, _, reason := decodeSegwit(s); reason != "" {
		return "", newError(Wallet, raw, "%s", reason)
	}
	return strings.ToLower(s), nil
}

// decodeSegwit decodes a native SegWit address (BIP-173, BIP-350): HRP bc,
// witness version 0-16, a 2-40 byte program (20 or 32 for version 0),
// Bech32 for version 0 and Bech32m for later versions. reason is "" when
// valid, else why not.
func decodeSegwit(s string) (version byte, program []byte, reason string) {
	hrp, data, m, reason := bech32Decode(s)
	switch {
	case reason != "":
		return 0, nil, reason
	case hrp != "bc":
		return 0, nil, fmt.Sprintf("is not a Bitcoin address: prefix %q, not bc", hrp)
	case len(data) == 0:
		return 0, nil, "has no witness version"
	}
	version = data[0]
	if version > 16 {
		return 0, nil, fmt.Sprintf("witness version %d is above 16", version)
	}
	program, reason = convertBits5to8(data[1:])
	switch {
	case reason != "":
		return 0, nil, reason
	case len(program) < 2 || len(program) > 40:
		return 0, nil, fmt.Sprintf("witness program has %d bytes, must have 2-40", len(program))
	case version == 0 && len(program) != 20 && len(program) != 32:
		return 0, nil, fmt.Sprintf("version 0 witness program has %d bytes, must have 20 or 32", len(program))
	case version == 0 && m:
		return 0, nil, "a version 0 address must use the Bech32 checksum, not Bech32m"
	case version != 0 && !m:
		return 0, nil, fmt.Sprintf("a version %d address must use the Bech32m checksum, not Bech32", version)
	}
	return version, program, ""
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// The constants the checksum polymod must end on.
const (
	bech32Const  = 1          // BIP-173
	bech32mConst = 0x2bc830a3 // BIP-350
)

// bech32Decode splits a Bech32 or Bech32m string into its human-readable
// part and data values without the checksum, and says whether the checksum
// was Bech32m. reason is "" when valid, else why not.
func bech32Decode(s string) (hrp string, data []byte, m bool, reason string) {
	if len(s) > 90 {
		return "", nil, false, "is longer than the 90 characters Bech32 allows"
	}
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 33 || c > 126:
			return "", nil, false, "has a character outside printable ASCII"
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		}
	}
	if lower && upper {
		return "", nil, false, "mixes upper and lower case, which Bech32 forbids"
	}
	s = strings.ToLower(s)
	sep := strings.LastIndexByte(s, '1')
	switch {
	case sep < 0:
		return "", nil, false, "has no separator 1"
	case sep == 0:
		return "", nil, false, "has an empty human-readable part"
	case len(s)-sep-1 < 6:
		return "", nil, false, "is too short for its 6-character checksum"
	}
	hrp = s[:sep]
	values := make([]byte, 0, len(s)-sep-1)
	for i := sep + 1; i < len(s); i++ {
		v := strings.IndexByte(bech32Charset, s[i])
		if v < 0 {
			return "", nil, false, "has " + describe(rune(s[i])) + ", which Bech32 never uses (it leaves out 1, b, i and o)"
		}
		values = append(values, byte(v))
	}
	switch bech32Polymod(append(bech32ExpandHRP(hrp), values...)) {
	case bech32Const:
	case bech32mConst:
		m = true
	default:
		return "", nil, false, "fails the Bech32 checksum (mistyped?)"
	}
	return hrp, values[:len(values)-6], m, ""
}

// bech32ExpandHRP feeds the human-readable part into the checksum: the high
// bits of each character, a zero, then the low bits.
func bech32ExpandHRP(hrp string) []byte {
	out := make([]byte, 0, 2*len(hrp)+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

// bech32Polymod is the BCH checksum of BIP-173 over 5-bit values.
func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range gen {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

// convertBits5to8 regroups 5-bit values into bytes, refusing more than 4
// bits of padding or padding that is not zero, as BIP-173 requires.
func convertBits5to8(data []byte) ([]byte, string) {
	var acc uint32
	bits := 0
	out := make([]byte, 0, len(data)*5/8)
	for _, v := range data {
		acc = (acc<<5 | uint32(v)) & 0xfff
		bits += 5
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
	}
	switch {
	case bits >= 5:
		return nil, "has more than 4 bits of padding"
	case acc&(1<<bits-1) != 0:
		return nil, "has non-zero padding bits"
	}
	return out, ""
}
