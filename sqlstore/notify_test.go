package sqlstore

import (
	"context"
	"strings"
	"testing"

	"github.com/rabta/rabta"
)

// TestHitNotifications: a hit lands in the searcher's inbox and in the
// holder's duty desk's, naming agencies and strength only; an informant
// hit tells the searcher nothing. Marking read counts down.
func TestHitNotifications(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		f := setup(t, s)
		ctx := context.Background()
		fiaSup := mkUser(t, s, "fia.supervisor", "FIA", rabta.RoleSupervisor)
		if _, err := s.keyer(ctx); err != nil {
			t.Fatal(err)
		}
		m := rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Restricted}
		mustCreate(t, s, f.fia, person("Nadeem Qureshi", map[string][]string{"idNumber": {"35202-1234567-1"}}, m))
		mustCreate(t, s, f.anf, person("Nadeem Qureshi", map[string][]string{"idNumber": {"3520212345671"}}, m))
		ns, unread, err := s.Inbox(ctx, f.anf, 10)
		if err != nil || unread != 1 || ns[0].Kind != NoteHit || !strings.Contains(ns[0].Title, "FIA") || strings.Contains(ns[0].Title, "Nadeem") {
			t.Fatalf("searcher's inbox: %+v %d %v", ns, unread, err)
		}
		ns, _, err = s.Inbox(ctx, fiaSup, 10)
		if err != nil || len(ns) != 1 || ns[0].Kind != NoteHit || !strings.Contains(ns[0].Title, "ANF") {
			t.Fatalf("holder desk's inbox: %+v %v", ns, err)
		}
		if err := s.MarkRead(ctx, fiaSup, nil); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := s.Inbox(ctx, fiaSup, 10); unread != 0 {
			t.Fatalf("unread after marking all read: %d", unread)
		}
		// An informant: the holder's desk is told, the searcher is not.
		inf := rabta.Marking{Release: rabta.ReleaseOriginator, Handling: "P", Classification: rabta.Restricted, Categories: []rabta.Category{rabta.CatInformant}}
		mustCreate(t, s, f.fia, person("Source Seven", map[string][]string{"idNumber": {"42101-7654321-3"}}, inf))
		mustCreate(t, s, f.anf, person("Someone", map[string][]string{"idNumber": {"4210176543213"}}, m))
		if ns, _, _ := s.Inbox(ctx, f.anf, 10); len(ns) != 1 {
			t.Fatalf("the searcher was told of an informant hit: %+v", ns)
		}
		if ns, unread, _ := s.Inbox(ctx, fiaSup, 10); len(ns) != 2 || unread != 1 {
			t.Fatalf("holder desk after an informant hit: %+v %d", ns, unread)
		}
	})
}
