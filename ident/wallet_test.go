package ident

import (
	"encoding/hex"
	"strings"
	"testing"
)

// Known answers for base58check: the decoded version byte and hash of
// well-known addresses (Bitcoin's genesis coinbase address, the P2SH
// example of the Bitcoin wiki, TRON's USDT contract).
func TestBase58Decode(t *testing.T) {
	for _, c := range []struct{ addr, hex string }{
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18c29b7d93"},
		{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "05b472a266d0bd89c13706a4132ccfb16f7c3b9fcb81fcfc02"},
		{"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "41a614f803b6fd780986a42c78ec9c7f77e6ded13c710277f5"},
		{"1111111111111111111114oLvT2", "00000000000000000000000000000000000000000094a00911"},
		{"1", "00"},
		{"", ""},
	} {
		b, bad := base58Decode(c.addr)
		if bad != 0 || hex.EncodeToString(b) != c.hex {
			t.Errorf("base58Decode(%q) = %x, %q; want %s", c.addr, b, bad, c.hex)
		}
	}
	for _, s := range []string{"0OIl", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", "abcé"} {
		if _, bad := base58Decode(s); bad == 0 {
			t.Errorf("base58Decode(%q) accepted a character outside the alphabet", s)
		}
	}
}

// The BIP-173 and BIP-350 test vectors for the Bech32 and Bech32m
// checksums themselves (any HRP).
func TestBech32Vectors(t *testing.T) {
	bech32 := []string{
		"A12UEL5L",
		"a12uel5l",
		"an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
		"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
		"11" + strings.Repeat("q", 82) + "c8247j",
		"split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
		"?1ezyfcl",
	}
	bech32m := []string{
		"A1LQFN3A",
		"a1lqfn3a",
		"an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
		"abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
		"11" + strings.Repeat("l", 83) + "udsr8",
		"split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
		"?1v759aa",
	}
	for _, c := range []struct {
		vectors []string
		m       bool
	}{{bech32, false}, {bech32m, true}} {
		for _, s := range c.vectors {
			if _, _, m, reason := bech32Decode(s); reason != "" || m != c.m {
				t.Errorf("bech32Decode(%q) = bech32m %v, %q; want bech32m %v, valid", s, m, reason, c.m)
			}
		}
	}
	for _, s := range []string{
		// BIP-173
		"\x201nwldj5", "\x7f1axkwrx", "\x801eym55h",
		"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
		"pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "de1lg7wt\xff", "A1G7SGD8", "10a06t8", "1qzzfhee",
		// BIP-350
		"\x201xj0phk", "\x7f1g6xzxy", "\x801vctc34",
		"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
		"qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i", "au1s5cgom",
		"M1VUXWEZ", "16plkw9", "1p2gdwpf",
	} {
		if _, _, _, reason := bech32Decode(s); reason == "" {
			t.Errorf("bech32Decode(%q) accepted an invalid string", s)
		}
	}
}

// The BIP-350 segwit address vectors, mainnet ones through the full
// wallet path and all of them through decodeSegwit (testnet addresses only
// fail on their HRP).
func TestSegwitVectors(t *testing.T) {
	for _, c := range []struct{ addr, script string }{
		{"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"BC1SW50QGDZ25J", "6002751e"},
		{"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
	} {
		version, prog, reason := decodeSegwit(c.addr)
		op := byte(0)
		if version > 0 {
			op = 0x50 + version
		}
		script := hex.EncodeToString(append([]byte{op, byte(len(prog))}, prog...))
		if reason != "" || script != c.script {
			t.Errorf("decodeSegwit(%q) = script %s, %q; want %s", c.addr, script, reason, c.script)
		}
		got, err := Normalize(Wallet, c.addr)
		if err != nil || got != strings.ToLower(c.addr) || WalletChain(c.addr) != ChainBTC {
			t.Errorf("Normalize(wallet, %q) = %q, %v (chain %q)", c.addr, got, err, WalletChain(c.addr))
		}
	}
	for _, c := range []struct{ addr, reason string }{
		{"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "testnet"},
		{"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "testnet"},
		{"tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", "is not a Bitcoin"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", "must use the Bech32m checksum"},
		{"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL", "must use the Bech32m checksum"},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "must use the Bech32 checksum, not Bech32m"},
		{"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", "which Bech32 never uses"},
		{"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "witness version 17 is above 16"},
		{"bc1pw5dgrnzv", "witness program has 1 bytes"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", "witness program has 41 bytes"},
		{"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "version 0 witness program has 16 bytes"},
		{"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", "more than 4 bits of padding"},
		{"bc1gmk9yu", "has no witness version"},
		{"bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "mixes upper and lower case"},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "fails the Bech32 checksum"},
	} {
		_, err := Normalize(Wallet, c.addr)
		if err == nil || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("Normalize(wallet, %q) error = %v, want one saying %q", c.addr, err, c.reason)
		}
	}
	// The non-zero padding vector is on testnet; check the rule directly.
	if _, _, reason := decodeSegwit("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j"); reason == "" {
		t.Error("decodeSegwit accepted non-zero padding")
	}
}

// The examples of EIP-55 itself.
func TestEIP55(t *testing.T) {
	for _, want := range []string{
		// All caps and all lower: valid without a checksum.
		"52908400098527886E0F7030069857D2E4169EE7",
		"8617E340B3D01FA5F11F306F4090FD50E238070D",
		"de709f2102306220921060314715629080e2fb77",
		"27b1fdb04752bbc536007a920d24acb045561c26",
		// Mixed case.
		"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"fB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"dbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"D1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		addr := "0x" + want
		got, err := Normalize(Wallet, addr)
		if err != nil || got != "0x"+strings.ToLower(want) || WalletChain(addr) != ChainETH {
			t.Errorf("Normalize(wallet, %q) = %q, %v", addr, got, err)
		}
		// The EIP's first four addresses are also their own checksum form.
		if mixed := eip55(strings.ToLower(want)); strings.ContainsAny(want, "abcdef") && strings.ContainsAny(want, "ABCDEF") && mixed != want {
			t.Errorf("eip55(%s) = %s, want %s", strings.ToLower(want), mixed, want)
		}
		if f := FormatWallet(strings.ToLower(addr)); !strings.EqualFold(f, addr) || f != "0x"+eip55(strings.ToLower(want)) {
			t.Errorf("FormatWallet(%s) = %s", strings.ToLower(addr), f)
		}
		// Flipping the case of any one letter of a mixed-case address must
		// fail the checksum.
		if want == strings.ToLower(want) || want == strings.ToUpper(want) {
			continue
		}
		for i, r := range want {
			if !isLetter(r) {
				continue
			}
			flipped := []byte(want)
			flipped[i] ^= 0x20
			if _, err := Normalize(Wallet, "0x"+string(flipped)); err == nil || !strings.Contains(err.Error(), "EIP-55") {
				t.Errorf("Normalize(wallet, 0x%s) = %v, want an EIP-55 error", flipped, err)
			}
		}
	}
}

func TestWalletErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", `wallet "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb": fails the base58check checksum (mistyped?)`},
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", `wallet "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0": has '0', which base58 never uses (it leaves out 0, O, I and l)`},
		{"1goNG9qzSRi5Fr4MWz8gjDCarHFQ5Jbriy9", `wallet "1goNG9qzSRi5Fr4MWz8gjDCarHFQ5Jbriy9": is not a Bitcoin address: decodes to 26 bytes, not 25`},
		{"1234", `wallet "1234": a Bitcoin address has 26-35 characters, this has 4`},
		{"TJzCP527E8Pbpt5qwf7NyUmaFZfRQhiAJ", `wallet "TJzCP527E8Pbpt5qwf7NyUmaFZfRQhiAJ": a TRON address has 34 characters, this has 33`},
		{"mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8", `wallet "mfWxJ45yp2SFn7UciZyNpvDKrzbhyfKrY8": is a Bitcoin testnet address, which holds no real funds`},
		{"LUEweDxDA4WhvWiNXXSxjM9CYzHPJv4QQF", `wallet "LUEweDxDA4WhvWiNXXSxjM9CYzHPJv4QQF": is not a Bitcoin (1…, 3…, bc1…), Ethereum (0x…) or TRON (T…) address`},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", `wallet "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD": fails the EIP-55 checksum of its mixed case (mistyped?)`},
		{"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", `wallet "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg": an Ethereum address is 0x and 40 hex digits`},
		{"5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", `wallet "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed": looks like an Ethereum address without its 0x prefix`},
		{"0x0000000000000000000000000000000000000000", `wallet "0x0000000000000000000000000000000000000000": is the zero address, which no one holds`},
		{"0x5aaeb605 3f3e94c9", `wallet "0x5aaeb605 3f3e94c9": may contain only Latin letters and digits, found ' '`},
		{strings.Repeat("1", 91), `wallet "` + strings.Repeat("1", 64) + `…": is too long to be a wallet address (91 characters)`},
	} {
		_, err := Normalize(Wallet, c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("Normalize(wallet, %q) error = %v\n\twant %s", c.in, err, c.want)
		}
	}
}

func TestWalletChain(t *testing.T) {
	for _, c := range []struct{ in, chain string }{
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", ChainBTC},
		{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", ChainBTC},
		{"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", ChainBTC},
		{"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ChainETH},
		{"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", ChainTRON},
		{"TJzCP527E8Pbpt5qwf7NyUmaFZfRQhiAJx", ChainTRON},
		{"LUEweDxDA4WhvWiNXXSxjM9CYzHPJv4QQF", ""},
		{"Muhammad Asif", ""},
		{"", ""},
	} {
		if got := WalletChain(c.in); got != c.chain {
			t.Errorf("WalletChain(%q) = %q, want %q", c.in, got, c.chain)
		}
	}
	if f := FormatWallet("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"); f != "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" {
		t.Errorf("FormatWallet(bech32) = %q", f)
	}
	if f := FormatWallet("not a wallet"); f != "" {
		t.Errorf("FormatWallet(invalid) = %q", f)
	}
}
