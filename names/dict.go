package names

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

//go:embed variants.txt
var variantsTxt string

//go:embed titles.txt
var titlesTxt string

// Dictionary holds what the name parser knows about a naming culture: the
// spelling variants of names (Mohd → muhammad) and the titles set apart
// from them. The shipped one covers Pakistani and Arabic names; an
// administrator extends it with files in the same format (AddVariants,
// AddTitles), because every service that uses Rabta meets spellings we did
// not foresee.
type Dictionary struct {
	variant map[string]string // folded spelling → canonical form
	title   map[string]bool
}

var (
	defaultOnce sync.Once
	defaultDict *Dictionary
)

// Default returns the shipped dictionary. Callers must not modify it; use
// NewDictionary to extend one.
func Default() *Dictionary {
	defaultOnce.Do(func() { defaultDict = NewDictionary() })
	return defaultDict
}

// NewDictionary returns a fresh copy of the shipped dictionary.
func NewDictionary() *Dictionary {
	d := &Dictionary{variant: map[string]string{}, title: map[string]bool{}}
	if err := d.AddVariants(strings.NewReader(variantsTxt), "variants.txt"); err != nil {
		panic(err) // the shipped file is tested
	}
	if err := d.AddTitles(strings.NewReader(titlesTxt), "titles.txt"); err != nil {
		panic(err)
	}
	return d
}

// AddVariants reads variant groups: one group per line, the canonical form
// first, then its other spellings, separated by spaces or commas; '#'
// starts a comment. A spelling already in another group moves to the new
// one, so a local file can correct the shipped list.
func (d *Dictionary) AddVariants(r io.Reader, name string) error {
	return readLines(r, name, func(_ int, words []string) error {
		canon := words[0]
		for _, w := range words {
			d.variant[w] = canon
		}
		return nil
	})
}

// AddTitles reads titles, any number per line.
func (d *Dictionary) AddTitles(r io.Reader, name string) error {
	return readLines(r, name, func(_ int, words []string) error {
		for _, w := range words {
			d.title[w] = true
		}
		return nil
	})
}

// ExtendDefault adds the variant groups in a file to the shared default
// dictionary. Call it at start-up, before any name is parsed: name keys of
// the hit/no-hit index and of profiles depend on it, so a platform keeps
// one variant file for good (a changed file needs the index rebuilt).
func ExtendDefault(path string) error {
	return Default().LoadFile(path)
}

// LoadFile extends d from a file of variant groups.
func (d *Dictionary) LoadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.AddVariants(f, path)
}

func readLines(r io.Reader, name string, fn func(line int, words []string) error) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		text, _, _ := strings.Cut(sc.Text(), "#")
		var words []string
		for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			toks := Tokens(f)
			if len(toks) != 1 {
				return fmt.Errorf("%s:%d: %q is not one word", name, n, f)
			}
			words = append(words, toks[0])
		}
		if len(words) == 0 {
			continue
		}
		if err := fn(n, words); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// Canonical returns the canonical spelling of one folded word, or the word.
func (d *Dictionary) Canonical(word string) string {
	if c, ok := d.variant[word]; ok {
		return c
	}
	return word
}

// IsTitle reports whether a folded word is a title or honorific.
func (d *Dictionary) IsTitle(word string) bool { return d.title[d.Canonical(word)] || d.title[word] }
