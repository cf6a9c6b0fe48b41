package webhook

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rabta/rabta"
	"github.com/rabta/rabta/ident"
	"github.com/rabta/rabta/internal/pgtest"
	"github.com/rabta/rabta/sqlstore"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func TestSignVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"event":"hit"}`)
	h := Sign("s3cret-s3cret-s3cret-s3cret-s3cret", now, body)
	if err := Verify("s3cret-s3cret-s3cret-s3cret-s3cret", h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"other body":   Verify("s3cret-s3cret-s3cret-s3cret-s3cret", h, []byte(`{}`), now, time.Minute),
		"other secret": Verify("another-secret-another-secret-xx", h, body, now, time.Minute),
		"replayed":     Verify("s3cret-s3cret-s3cret-s3cret-s3cret", h, body, now.Add(time.Hour), 5*time.Minute),
		"malformed":    Verify("s3cret-s3cret-s3cret-s3cret-s3cret", "v1=ab", body, now, time.Minute),
	} {
		if err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

// TestDelivery: a hit reaches the holder's webhook signed; when the target
// is down the event waits and is delivered once it is back.
func TestDelivery(t *testing.T) {
	for _, db := range []string{"sqlite", "postgres"} {
		t.Run(db, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "t.db")
			if db == "postgres" {
				dsn = pgtest.DSN(t)
			}
			ctx := context.Background()
			s, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			clock := time.Now()
			s.SetClock(func() time.Time { return clock })
			for _, a := range []string{"FIA", "ANF"} {
				if err := s.CreateAgency(ctx, sqlstore.System, &rabta.Agency{Code: a, Name: a, Contact: rabta.Contact{Desk: a + " desk"}}); err != nil {
					t.Fatal(err)
				}
			}
			fia := rabta.Principal{Username: "fia.analyst", Agency: "FIA", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
			anf := rabta.Principal{Username: "anf.analyst", Agency: "ANF", Roles: []rabta.Role{rabta.RoleAnalyst}, Clearance: rabta.Secret}
			if err := s.CreateRecord(ctx, anf, &rabta.Record{Schema: "Person", Properties: map[string][]string{"name": {"Zahid Khan"}, "idNumber": {"4210112345675"}},
				Marking: rabta.Marking{Release: rabta.ReleaseOriginator}}); err != nil {
				t.Fatal(err)
			}

			const secret = "anf-webhook-secret-0123456789abcdef"
			var mu sync.Mutex
			var got []map[string]any
			down := true
			target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				mu.Lock()
				defer mu.Unlock()
				if down {
					http.Error(w, "maintenance", http.StatusServiceUnavailable)
					return
				}
				if err := Verify(secret, r.Header.Get(Header), body, time.Now(), 5*time.Minute); err != nil {
					t.Errorf("receiver: %v", err)
				}
				var ev map[string]any
				json.Unmarshal(body, &ev)
				got = append(got, ev)
			}))
			defer target.Close()
			if err := s.SetWebhook(ctx, sqlstore.System, "ANF", "http://example.org/hook", secret); err == nil || !strings.Contains(err.Error(), "https") {
				t.Errorf("plain http to another host accepted: %v", err)
			}
			if err := s.SetWebhook(ctx, sqlstore.System, "ANF", target.URL, secret); err != nil {
				t.Fatal(err)
			}

			id, _ := ident.Normalize(ident.CNIC, "42101-1234567-5")
			if _, err := s.Deconflict(ctx, fia, sqlstore.DeconflictQuery{Selectors: []ident.Identifier{{Kind: ident.CNIC, Value: id}}, Purpose: "case 7"}); err != nil {
				t.Fatal(err)
			}
			snd := &Sender{}
			if n, err := DeliverDue(ctx, s, snd); err != nil || n != 0 {
				t.Fatalf("while down: %d, %v", n, err)
			}
			st, _ := s.Deliveries(ctx, "ANF")
			if st.Pending != 1 || !strings.Contains(st.LastError, "503") {
				t.Fatalf("after a failure: %+v", st)
			}
			// Back up, but the retry is not due yet; then it is.
			mu.Lock()
			down = false
			mu.Unlock()
			if n, _ := DeliverDue(ctx, s, snd); n != 0 {
				t.Errorf("retried before its time")
			}
			clock = clock.Add(time.Minute)
			if n, err := DeliverDue(ctx, s, snd); err != nil || n != 1 {
				t.Fatalf("retry: %d, %v", n, err)
			}
			if len(got) != 1 || got[0]["direction"] != "received" || got[0]["agency"] != "FIA" || got[0]["purpose"] != "case 7" || got[0]["asked_by"] != "fia.analyst" {
				t.Errorf("delivered %+v", got)
			}
			if st, _ := s.Deliveries(ctx, "ANF"); st.Delivered != 1 || st.Pending != 0 {
				t.Errorf("after delivery: %+v", st)
			}
			// FIA has no webhook: nothing queued for it.
			if st, _ := s.Deliveries(ctx, "FIA"); st.Pending+st.Delivered != 0 {
				t.Errorf("FIA deliveries: %+v", st)
			}
		})
	}
}
