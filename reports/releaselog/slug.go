package releaselog

import (
	"crypto/sha1"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// maxSlug caps a file name derived from a release name (before ".html").
const maxSlug = 64

// slug makes a file name from a release name: lowercase ASCII letters, digits, dots and
// dashes; every other character a dash; no two dots in a row, none at either end — so never
// "..", a separator, a hidden file or an absolute path. A name with nothing usable gets a
// hash of itself.
func slug(name string) string {
	var b []byte
	for _, r := range strings.ToLower(name) {
		c := byte('-')
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			c = byte(r)
		case r == '.':
			c = '.'
		}
		// A run of dots and dashes becomes one character: a dash if the run has one.
		if n := len(b); (c == '-' || c == '.') && n > 0 && (b[n-1] == '-' || b[n-1] == '.') {
			if c == '-' {
				b[n-1] = '-'
			}
			continue
		}
		b = append(b, c)
	}
	s := strings.Trim(string(b), "-.")
	if len(s) > maxSlug {
		s = strings.Trim(s[:maxSlug], "-.")
	}
	if s == "" {
		sum := sha1.Sum([]byte(name))
		return "release-" + hex.EncodeToString(sum[:4])
	}
	if reservedName(s) {
		s += "-release"
	}
	return s
}

// reservedName reports the names Windows will not create (CON, NUL, COM1 …), whatever the
// extension: a site copied to a Windows server must still work.
func reservedName(s string) bool {
	base, _, _ := strings.Cut(s, ".")
	switch base {
	case "con", "prn", "aux", "nul":
		return true
	}
	return len(base) == 4 && (strings.HasPrefix(base, "com") || strings.HasPrefix(base, "lpt")) && base[3] >= '1' && base[3] <= '9'
}

// assignSlugs gives every release a distinct slug. Releases are taken in (name, project,
// source) order, so the same releases always get the same names: the first keeps the plain
// slug, a later one with the same slug gets its project's in front, then a number.
func assignSlugs(rs []*release) {
	order := slices.Clone(rs)
	slices.SortFunc(order, func(a, b *release) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		if c := strings.Compare(a.Project, b.Project); c != 0 {
			return c
		}
		return strings.Compare(a.Source, b.Source)
	})
	taken := map[string]bool{}
	for _, r := range order {
		s := slug(r.Name)
		if taken[s] {
			s = slug(r.Project + "-" + r.Name)
		}
		for n, base := 2, s; taken[s]; n++ {
			s = base + "-" + strconv.Itoa(n)
		}
		taken[s] = true
		r.Slug = s
	}
}
