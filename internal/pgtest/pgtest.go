// Package pgtest starts a throwaway PostgreSQL cluster from the local
// PostgreSQL binaries for tests, so the same suite runs on SQLite and on
// PostgreSQL with nothing but `go test`. Without the binaries the PostgreSQL
// half of a test is skipped with a loud message, or fails when
// RABTA_REQUIRE_POSTGRES=1 (CI sets it, so CI can never pass on SQLite alone).
package pgtest

import (
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

var (
	once     sync.Once
	baseDSN  string
	dataDir  string
	pgBin    string
	startErr error
	counter  atomic.Int64
)

// binDir finds the newest /usr/lib/postgresql/*/bin with initdb in it, or
// the directory of an initdb on PATH.
func binDir() string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool {
		vi, _ := strconv.Atoi(strings.Split(matches[i], "/")[4])
		vj, _ := strconv.Atoi(strings.Split(matches[j], "/")[4])
		return vi < vj
	})
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1])
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p)
	}
	return ""
}

// asPostgres runs a PostgreSQL binary, as the postgres user when we are root
// (initdb refuses to run as root).
func asPostgres(name string, args ...string) *exec.Cmd {
	bin := filepath.Join(pgBin, name)
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", bin}, args...)...)
	}
	return exec.Command(bin, args...)
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func start() {
	pgBin = binDir()
	if pgBin == "" {
		startErr = fmt.Errorf("no PostgreSQL binaries (initdb) found; install the Debian package postgresql")
		return
	}
	dir, err := os.MkdirTemp("", "rabta-pg-")
	if err != nil {
		startErr = err
		return
	}
	dataDir = dir
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			startErr = fmt.Errorf("running as root needs the postgres user: %w", err)
			return
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			startErr = err
			return
		}
	}
	if out, err := asPostgres("initdb", "-D", dir+"/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync").CombinedOutput(); err != nil {
		startErr = fmt.Errorf("initdb: %v: %s", err, out)
		return
	}
	port, err := freePort()
	if err != nil {
		startErr = err
		return
	}
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", port, dir)
	if out, err := asPostgres("pg_ctl", "-D", dir+"/data", "-l", dir+"/log", "-w", "-t", "60", "-o", opts, "start").CombinedOutput(); err != nil {
		startErr = fmt.Errorf("pg_ctl start: %v: %s", err, out)
		return
	}
	baseDSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%%s?sslmode=disable", port)
}

// Stop stops the cluster if it was started. Call it from TestMain.
func Stop() {
	if baseDSN != "" {
		asPostgres("pg_ctl", "-D", dataDir+"/data", "-m", "immediate", "-w", "stop").Run()
	}
	if dataDir != "" {
		os.RemoveAll(dataDir)
	}
}

// Main runs the tests and stops the cluster afterwards.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// DSN returns the URL of a new, empty database in the throwaway cluster,
// starting the cluster on first use. It skips (or fails, in CI) the test
// when PostgreSQL is not available.
func DSN(t testing.TB) string {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		if os.Getenv("RABTA_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL required but unavailable: %v", startErr)
		}
		t.Skipf("SKIPPING PostgreSQL half of this test: %v", startErr)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), counter.Add(1))
	db, err := sql.Open("pgx", fmt.Sprintf(baseDSN, "postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	return fmt.Sprintf(baseDSN, name)
}
