package screen

import (
	"fmt"
	"strings"
	"sync"

	"github.com/rabta/rabta/dates"
	"github.com/rabta/rabta/sanctions"
)

// Cache holds the index of the current version of a list, rebuilt when a
// new version appears; every server instance keeps its own, keyed by the
// version the database names.
type Cache struct {
	mu      sync.Mutex
	version int64
	ix      *Index
}

// Get returns the index of version, loading the list with load when the
// cached one is of another version. Version 0 (no list) gives nil.
func (c *Cache) Get(version int64, load func() (*sanctions.List, error)) (*Index, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version == 0 {
		return nil, nil
	}
	if c.ix != nil && c.version == version {
		return c.ix, nil
	}
	l, err := load()
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, nil
	}
	c.ix, c.version = New(l, Options{}), version
	return c.ix, nil
}

// Evidence says in a few words what a candidate's score rests on: the
// name score and which kind of listed name matched, then birth date and
// nationality where they were compared. The CLI, the API and alerts all
// show this one wording.
func (c Candidate) Evidence() string {
	kind := c.Kind
	switch {
	case c.Kind == sanctions.KindAlias && c.Quality == sanctions.QualityLow:
		kind = "low-quality alias"
	case c.Kind == sanctions.KindOriginal:
		kind = "original script"
	case c.Kind == sanctions.KindFormer:
		kind = "former name"
	}
	parts := []string{fmt.Sprintf("name %.2f (%s)", c.NameScore, kind)}
	if c.BirthDate != dates.Missing {
		parts = append(parts, "birth date "+c.BirthDate.String())
	}
	switch c.Nation {
	case 1:
		parts = append(parts, "nationality agrees")
	case -1:
		parts = append(parts, "nationality differs")
	}
	return strings.Join(parts, ", ")
}
