package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rabta/rabta/sqlstore"
)

// run executes the command line in-process and returns its output.
func run(t testing.TB, stdin string, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetIn(strings.NewReader(stdin))
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "cli.db")
	mustRun := func(stdin string, args ...string) string {
		t.Helper()
		out, err := run(t, stdin, append(args, "--db", db)...)
		if err != nil {
			t.Fatalf("rabta %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	mustRun("", "migrate")
	mustRun("", "agency", "add", "FIA", "--name", "Federal Investigation Agency", "--desk", "FIA desk", "--totp-optional")
	mustRun("", "agency", "add", "ANF", "--name", "Anti-Narcotics Force")
	if out := mustRun("", "agency", "list"); !strings.Contains(out, "FIA desk") {
		t.Fatalf("agency list: %s", out)
	}
	mustRun("a long enough password\n", "user", "add", "fia.analyst", "--agency", "FIA", "--roles", "analyst", "--clearance", "secret", "--password-stdin")
	out := mustRun("another long password\n", "user", "add", "anf.analyst", "--agency", "ANF", "--roles", "analyst", "--password-stdin")
	if !strings.Contains(out, "otpauth://totp/Rabta:anf.analyst") {
		t.Fatalf("ANF requires a second factor, but none was enrolled: %s", out)
	}
	if _, err := run(t, "short\n", "user", "add", "x.y", "--agency", "FIA", "--password-stdin", "--db", db); err == nil {
		t.Fatal("short password accepted")
	}

	// An import with a bad line names the file, line and field and keeps nothing.
	good := `{"id":"p1","schema":"Person","properties":{"name":["Muhammad Asif"],"idNumber":["35202-1234567-1"]}}
{"id":"l1","schema":"Associate","properties":{"person":["p1"],"associate":["p2"]}}
{"id":"p2","schema":"Person","properties":{"name":["Imran Qureshi"]}}
`
	bad := good + `{"id":"p3","schema":"Person","properties":{"birthDate":["31/02/1980"]}}` + "\n"
	badFile := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(badFile, []byte(bad), 0o600)
	_, err := run(t, "", "import", badFile, "--agency", "FIA", "--db", db)
	if err == nil || !strings.Contains(err.Error(), "bad.jsonl:4") || !strings.Contains(err.Error(), "birthDate") {
		t.Fatalf("bad import: %v", err)
	}
	// A line that cannot be read is reported as itself, not as the dangling
	// reference an earlier line makes to a record the file never reached.
	broken := `{"id":"l9","schema":"Associate","properties":{"person":["p8"],"associate":["p9"]}}
{"id":"p8","schema":"Person","properties":{"name":["Hina Baig"]}}
{"id":"p9","schema":"Person","properties":{"name":["Asma Rind"]}
`
	brokenFile := filepath.Join(dir, "broken.jsonl")
	os.WriteFile(brokenFile, []byte(broken), 0o600)
	if _, err := run(t, "", "import", brokenFile, "--agency", "FIA", "--db", db); err == nil || !strings.Contains(err.Error(), "broken.jsonl:3: malformed JSON") {
		t.Fatalf("import with an unreadable line: %v", err)
	}
	goodFile := filepath.Join(dir, "good.jsonl")
	os.WriteFile(goodFile, []byte(good), 0o600)
	if out := mustRun("", "import", goodFile, "--agency", "FIA", "--user", "fia.analyst", "--grade", "2B-P"); !strings.Contains(out, "3 records imported") {
		t.Fatalf("import: %s", out)
	}
	// The same file again: the ids exist, nothing is added.
	if _, err := run(t, "", "import", goodFile, "--agency", "FIA", "--db", db); err == nil || !strings.Contains(err.Error(), `"p1" already exists`) {
		t.Fatalf("re-import: %v", err)
	}

	exported := filepath.Join(dir, "out.jsonl")
	mustRun("", "export", "--user", "fia.analyst", "-o", exported)
	b, _ := os.ReadFile(exported)
	if n := bytes.Count(b, []byte("\n")); n != 3 || !bytes.Contains(b, []byte(`"grading":{"system":"3x5x2","source":"2","intelligence":"B","handling":"P"}`)) {
		t.Fatalf("export of %d lines: %s", n, b)
	}
	mustRun("", "export", "--user", "anf.analyst", "-o", exported)
	if b, _ := os.ReadFile(exported); len(b) != 0 {
		t.Fatalf("ANF exported FIA's originator-only records: %s", b)
	}

	if out := mustRun("", "audit", "verify"); !strings.Contains(out, "audit chain intact") {
		t.Fatalf("verify: %s", out)
	}
	s, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_no_update", "UPDATE audit_events SET username = 'someone else' WHERE seq = 3"} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	_, err = run(t, "", "audit", "verify", "--db", db)
	var ve *sqlstore.VerifyError
	if !errors.As(err, &ve) || ve.Seq != 3 {
		t.Fatalf("tampered log: %v", err)
	}

	// Every command has help, and environment variables set flags.
	for _, c := range [][]string{{"serve"}, {"migrate"}, {"demo"}, {"user", "add"}, {"user", "token"}, {"agency", "add"}, {"import"}, {"export"}, {"audit", "verify"}, {"version"}, {"demo", "cdr"}, {"link"}, {"screen"}, {"index", "rebuild"},
		{"graph"}, {"graph", "metrics"}, {"graph", "disrupt"}, {"graph", "path"}, {"graph", "communities"}, {"graph", "export"}} {
		if out, err := run(t, "", append(c, "--help")...); err != nil || !strings.Contains(out, "Usage:") {
			t.Errorf("rabta %s --help: %v %s", strings.Join(c, " "), err, out)
		}
	}
	t.Setenv("RABTA_DB", db)
	if out, err := run(t, "", "agency", "list"); err != nil || !strings.Contains(out, "ANF") {
		t.Fatalf("RABTA_DB ignored: %v %s", err, out)
	}
}

func TestAuditKeyFromEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "keyed.db")
	t.Setenv("RABTA_AUDIT_KEY", "a-key-of-at-least-thirty-two-bytes-long")
	if out, err := run(t, "", "agency", "add", "FIA", "--name", "FIA", "--db", db); err != nil {
		t.Fatal(err, out)
	}
	if out, err := run(t, "", "audit", "verify", "--db", db); err != nil || !strings.Contains(out, "intact: 1 events") {
		t.Fatalf("verify with the key: %v %s", err, out)
	}
	t.Setenv("RABTA_AUDIT_KEY", "")
	if _, err := run(t, "", "audit", "verify", "--db", db); err == nil || !strings.Contains(err.Error(), "HMAC chain") {
		t.Fatalf("verify without the key: %v", err)
	}
	keyFile := filepath.Join(t.TempDir(), "key")
	os.WriteFile(keyFile, []byte("a-different-key-of-thirty-two-bytes-or-more\n"), 0o600)
	if _, err := run(t, "", "audit", "verify", "--db", db, "--audit-key-file", keyFile); err == nil || !strings.Contains(err.Error(), "not the key") {
		t.Fatalf("verify with the wrong key: %v", err)
	}
	// An instance with another key refuses to write rather than break the chain.
	if _, err := run(t, "", "agency", "add", "ANF", "--name", "ANF", "--db", db, "--audit-key-file", keyFile); err == nil || !strings.Contains(err.Error(), "audit key does not match") {
		t.Fatalf("write with the wrong key: %v", err)
	}
	if _, err := run(t, "", "audit", "verify", "--db", filepath.Join(t.TempDir(), "missing.db")); err == nil || !strings.Contains(err.Error(), "no database") {
		t.Fatalf("verify of a missing database: %v", err)
	}
}
