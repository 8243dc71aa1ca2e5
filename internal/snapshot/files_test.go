package snapshot

import (
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreateRefusesUnsafePaths(t *testing.T) {
	root := t.TempDir()
	s := begin(t, root, started, 0, nil)
	for _, rel := range []string{
		"", "../x", "/abs", "a//b", "./x", "a/../b", "a/", ".hidden", `a\b`, "nul\x00", "..",
		"a/" + strings.Repeat("x", 201),
	} {
		f, err := s.Create(rel)
		if err == nil {
			f.Close()
			t.Errorf("Create(%q): got nil error, want one", rel)
			continue
		}
		if !strings.Contains(err.Error(), "unsafe path element") {
			t.Errorf("Create(%q) error = %q, want it to name the unsafe element", rel, err)
		}
	}
	want := map[string]string{
		program:                                "drwxr-x---",
		program + "/" + lockName:               "-rw-r-----",
		program + "/" + filepath.Base(s.Dir()): "drwxr-x---",
	}
	if diff := cmp.Diff(want, tree(t, root)); diff != "" {
		t.Errorf("data dir after refused Creates mismatch (-want +got):\n%s", diff)
	}
}

func TestCreateOpen(t *testing.T) {
	s := begin(t, t.TempDir(), started, 0, nil)
	stage(t, s, map[string]string{"a/b/c.json": "abc"})

	if _, err := s.Create("a/b/c.json"); err == nil {
		t.Errorf("Create of an existing file: got nil error, want one")
	}
	f, err := s.Open("a/b/c.json")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer f.Close()
	got, err := io.ReadAll(f)
	if err != nil || string(got) != "abc" {
		t.Errorf("read back = %q, %v; want %q", got, err, "abc")
	}
	if _, err := s.Open("a/missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of a missing file = %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Open("../" + filepath.Base(s.Dir())); err == nil {
		t.Errorf("Open of an unsafe path: got nil error, want one")
	}
}

func TestRemove(t *testing.T) {
	s := begin(t, t.TempDir(), started, 0, nil)
	stage(t, s, map[string]string{"attachments/1/2-a.png": "png", "users.json": "{}"})

	if err := s.Remove("attachments/1/2-a.png"); err != nil {
		t.Fatalf("Remove: %v", err)
	}

	want := map[string]string{
		"attachments":   "drwxr-x---",
		"attachments/1": "drwxr-x---",
		"users.json":    "-rw-r----- {}",
	}
	if diff := cmp.Diff(want, tree(t, s.Dir())); diff != "" {
		t.Errorf("staging folder mismatch (-want +got):\n%s", diff)
	}
	if err := s.Remove("attachments/1/2-a.png"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("second Remove = %v, want fs.ErrNotExist", err)
	}
	if err := s.Remove("../.lock"); err == nil {
		t.Errorf("Remove of an unsafe path: got nil error, want one")
	}
}
