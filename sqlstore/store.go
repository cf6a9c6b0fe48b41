// Package sqlstore is Rabta's storage: one SQL implementation used with
// embedded SQLite (modernc.org/sqlite, WAL) and with PostgreSQL (pgx). It is
// also where access is enforced: every method that reads records takes the
// principal, applies rabta.Decide to every row before anything leaves the
// package, and writes the audit event for the read.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"github.com/rabta/rabta/offence"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// Dialect is the SQL flavour of the database behind a Store.
type Dialect int

const (
	SQLite Dialect = iota
	Postgres
)

func (d Dialect) String() string {
	if d == Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Store is the database. It is safe for concurrent use, and several
// processes may share one PostgreSQL database: nothing is kept in memory
// that another instance would need.
type Store struct {
	db      *sql.DB
	dialect Dialect
	dsn     string
	now     func() time.Time
	// auditKey, when set, makes the audit chain an HMAC chain (see
	// rabta.AuditEvent.ChainHash). Every instance must use the same key.
	auditKey []byte
	// index holds the key of the hit/no-hit index (see SetIndexKey).
	index indexKeys
	// resolve is the profile matcher (see SetPairScorer).
	resolve resolver
	// offences is the catalogue cases are checked against (SetOffences).
	offences *offence.Catalogue
}

// MinAuditKey is the shortest audit key accepted, in bytes.
const MinAuditKey = 32

// SetAuditKey sets the key of the audit chain's HMAC. Set it before the
// first event is written and keep it: verification needs the same key.
func (s *Store) SetAuditKey(key []byte) error {
	if len(key) < MinAuditKey {
		return fmt.Errorf("audit key: at least %d bytes, got %d", MinAuditKey, len(key))
	}
	s.auditKey = key
	return nil
}

// SetClock replaces the store's clock: for tests and simulations that
// need time to pass (session expiry, delivery backoff).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the database named by dsn: a postgres:// URL or a SQLite file
// path. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{dsn: dsn, now: time.Now}
	var err error
	if IsPostgres(dsn) {
		s.dialect = Postgres
		s.db, err = sql.Open("pgx", dsn)
		if err == nil {
			s.db.SetMaxOpenConns(20)
			s.db.SetMaxIdleConns(20)
		}
	} else {
		s.dialect = SQLite
		s.db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err == nil {
			// WAL gives concurrent readers; writers take turns, waiting up to
			// busy_timeout, and every transaction starts IMMEDIATE so two
			// writers never deadlock on a lock upgrade.
			s.db.SetMaxOpenConns(8)
			s.db.SetMaxIdleConns(8)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", s.dialect, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := s.db.PingContext(pingCtx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.dialect, err)
	}
	return s, nil
}

func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)", "cache_size(-32768)", "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Dialect returns the database's SQL flavour.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB returns the underlying handle (health checks, tests, benchmarks).
func (s *Store) DB() *sql.DB { return s.db }

// Migrate applies the embedded migrations that have not been applied yet.
// Several instances may start at once on PostgreSQL: goose takes a session
// lock there so only one applies them.
func (s *Store) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+s.dialect.String())
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, s.db, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// q rewrites a query written with ? placeholders for the store's dialect.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// micros converts a time to the stored form: Unix microseconds, which both
// databases keep exactly.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// tx runs fn in a transaction, committing if it returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit a no-op; after a panic it frees SQLite's write lock
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
