package snapshot

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dated is the name of a complete snapshot folder, split for sorting.
type dated struct {
	name  string
	stamp string // YYYYMMDD_HHMMSS
	n     int    // 1, or the suffix of a second snapshot in one second
}

// parseDated reports whether name is a dated folder name this package makes:
// a valid stamp, optionally followed by _N with N >= 2.
func parseDated(name string) (dated, bool) {
	if len(name) < len(stampLayout) {
		return dated{}, false
	}
	d := dated{name: name, stamp: name[:len(stampLayout)], n: 1}
	if _, err := time.Parse(stampLayout, d.stamp); err != nil {
		return dated{}, false
	}
	rest := name[len(stampLayout):]
	if rest == "" {
		return d, true
	}
	suffix, ok := strings.CutPrefix(rest, "_")
	n, err := strconv.Atoi(suffix)
	if !ok || err != nil || n < 2 || strconv.Itoa(n) != suffix {
		return dated{}, false
	}
	d.n = n
	return d, true
}

// prune removes the oldest complete snapshots beyond s.keep, never current.
// Each folder is first renamed to a hidden name, so that a run killed halfway
// leaves no partial dated folder; the next Begin removes the rest.
func (s *Snapshot) prune(current string) {
	if s.keep == 0 {
		return
	}
	entries, err := os.ReadDir(s.base)
	if err != nil {
		s.log.Warn("list snapshots to prune", "path", s.base, "error", err)
		return
	}
	var all []dated
	for _, e := range entries {
		if d, ok := parseDated(e.Name()); ok && e.IsDir() {
			all = append(all, d)
		}
	}
	slices.SortFunc(all, func(a, b dated) int {
		return cmp.Or(cmp.Compare(a.stamp, b.stamp), cmp.Compare(a.n, b.n))
	})

	for _, d := range all[:max(0, len(all)-s.keep)] {
		if d.name == current {
			continue
		}
		path := filepath.Join(s.base, d.name)
		if err := s.remove(d.name); err != nil {
			s.log.Warn("prune snapshot", "path", path, "error", err)
			continue
		}
		s.log.Info("pruned snapshot", "path", path)
	}
}

func (s *Snapshot) remove(name string) error {
	path := filepath.Join(s.base, name)
	trash := filepath.Join(s.base, deletingPrefix+name)
	if err := os.Rename(path, trash); err != nil {
		return opError("hide snapshot", path, err)
	}
	if err := os.RemoveAll(trash); err != nil {
		return opError("remove snapshot", trash, err)
	}
	return nil
}
