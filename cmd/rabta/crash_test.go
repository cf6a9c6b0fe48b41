package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/sqlstore"
)

// TestImportSurvivesKill kills `rabta import` with SIGKILL in the middle of
// a large file and checks that the database is consistent, holds nothing of
// the interrupted import, keeps everything acknowledged before it, and that
// the audit chain still verifies — then imports the file again, whole.
func TestImportSurvivesKill(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dir := t.TempDir()
			dsn := filepath.Join(dir, "crash.db")
			if db == "postgres" {
				dsn = pgtest.DSN(t)
			}
			if out, err := run(t, "", "agency", "add", "FIA", "--name", "FIA", "--db", dsn); err != nil {
				t.Fatal(err, out)
			}
			small := writePeopleFrom(t, filepath.Join(dir, "small.jsonl"), 0, 500)
			if out, err := run(t, "", "import", small, "--agency", "FIA", "--db", dsn); err != nil {
				t.Fatal(err, out)
			}
			big := writePeopleFrom(t, filepath.Join(dir, "big.jsonl"), 1000, 80_000)

			self, err := os.Executable()
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(self, "import", big, "--agency", "FIA", "--db", dsn)
			cmd.Env = append(os.Environ(), "RABTA_TEST_RUN_MAIN=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(800 * time.Millisecond) // well into the import
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			state, _ := cmd.Process.Wait()
			if state.Success() {
				t.Skip("the import finished before it could be killed; nothing to test on this machine")
			}

			s, err := sqlstore.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if db == "sqlite" {
				var check string
				if err := s.DB().QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
					t.Fatalf("integrity check: %q %v", check, err)
				}
			}
			var n int
			if err := s.DB().QueryRow("SELECT count(*) FROM records").Scan(&n); err != nil || n != 500 {
				t.Fatalf("after the kill: %d records (%v), want the 500 acknowledged before it", n, err)
			}
			if _, err := s.VerifyAudit(context.Background()); err != nil {
				t.Fatalf("audit chain after the kill: %v", err)
			}
			if out, err := run(t, "", "import", big, "--agency", "FIA", "--db", dsn); err != nil || !strings.Contains(out, "80000 records imported") {
				t.Fatalf("re-import after the kill: %v %s", err, out)
			}
		})
	}
}

// writePeopleFrom writes n synthetic people numbered from first.
func writePeopleFrom(t testing.TB, path string, first, n int) string {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := newLineWriter(f)
	for i := first; i < first+n; i++ {
		if err := w.person(i); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return path
}
