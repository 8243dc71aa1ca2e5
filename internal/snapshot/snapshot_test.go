package snapshot

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const program = "zendesk_sync"

var started = time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("CEST", 2*3600))

const stamp = "20240506_050809" // started in UTC

func TestMain(m *testing.M) {
	syscall.Umask(0o022) // the modes the tests expect are those the package asks for
	if root := os.Getenv(holderEnv); root != "" {
		os.Exit(holdLock(root))
	}
	os.Exit(m.Run())
}

func begin(t *testing.T, root string, at time.Time, keep int, log *slog.Logger) *Snapshot {
	t.Helper()
	s, err := Begin(Options{Root: root, Program: program, Started: at, Keep: keep, Logger: log})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func stage(t *testing.T, s *Snapshot, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		f, err := s.Create(rel)
		if err != nil {
			t.Fatalf("Create(%q): %v", rel, err)
		}
		if _, err := io.WriteString(f, content); err != nil {
			t.Fatalf("write %s: %v", rel, err)
		}
		if err := f.Close(); err != nil {
			t.Fatalf("close %s: %v", rel, err)
		}
	}
}

// publish makes a complete snapshot started at at, holding files.
func publish(t *testing.T, root string, at time.Time, keep int, files map[string]string) string {
	t.Helper()
	s := begin(t, root, at, keep, nil)
	stage(t, s, files)
	path, err := s.Publish(map[string]string{"status": "complete"})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return path
}

// tree describes every entry under dir: its mode, and a file's content or a
// link's target.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		desc := info.Mode().String()
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			desc += " -> " + target
		case d.Type().IsRegular() && d.Name() != lockName:
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			desc += " " + string(b)
		}
		got[rel] = desc
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return got
}

func TestPublish(t *testing.T) {
	root := t.TempDir()
	var logs bytes.Buffer
	s := begin(t, root, started, 0, slog.New(slog.NewTextHandler(&logs, nil)))
	stage(t, s, map[string]string{
		"users.json":                   `{"users":[]}`,
		"attachments/12/34-résumé.pdf": "%PDF",
	})

	path, err := s.Publish(map[string]any{"status": "complete", "note": "<a&b>", "gaps": []string{}})
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}

	if want := filepath.Join(root, program, stamp); path != want {
		t.Errorf("Publish path = %q, want %q", path, want)
	}
	got := tree(t, filepath.Join(root, program))
	want := map[string]string{
		".lock":                   "-rw-r-----",
		stamp:                     "drwxr-x---",
		stamp + "/users.json":     `-rw-r----- {"users":[]}`,
		stamp + "/attachments":    "drwxr-x---",
		stamp + "/attachments/12": "drwxr-x---",
		stamp + "/attachments/12/34-résumé.pdf": "-rw-r----- %PDF",
		stamp + "/sync_stats.json": "-rw-r----- {\n  \"gaps\": [],\n  \"note\": \"<a&b>\",\n" +
			"  \"status\": \"complete\"\n}\n",
		"latest": "Lrwxrwxrwx -> " + stamp,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("snapshot tree mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(logs.String(), "published snapshot") {
		t.Errorf("logs = %q, want a line about the published snapshot", logs.String())
	}
	if _, err := s.Publish(nil); err == nil {
		t.Errorf("second Publish: got nil error, want one")
	}
	if err := s.Abort(); err != nil {
		t.Errorf("Abort after Publish: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("published folder after Abort: %v", err)
	}
}

func TestPublishSameSecond(t *testing.T) {
	root := t.TempDir()
	var got []string
	for range 3 {
		path := publish(t, root, started, 0, nil)
		got = append(got, filepath.Base(path))
	}

	want := []string{stamp, stamp + "_2", stamp + "_3"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("published names mismatch (-want +got):\n%s", diff)
	}
	latest, err := os.Readlink(filepath.Join(root, program, latestName))
	if err != nil || latest != stamp+"_3" {
		t.Errorf("latest = %q, %v; want %q", latest, err, stamp+"_3")
	}
}

func TestAbort(t *testing.T) {
	root := t.TempDir()
	older := publish(t, root, started.Add(-time.Hour), 0, map[string]string{"users.json": "old"})
	before := tree(t, filepath.Join(root, program))

	s := begin(t, root, started, 1, nil)
	stage(t, s, map[string]string{"users.json": "new", "attachments/1/2-x": "x"})
	if err := s.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}

	if diff := cmp.Diff(before, tree(t, filepath.Join(root, program))); diff != "" {
		t.Errorf("program folder changed by an aborted run (-before +after):\n%s", diff)
	}
	if err := s.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if _, err := s.Create("more.json"); err == nil {
		t.Errorf("Create after Abort: got nil error, want one")
	}
	if path, err := s.Publish(nil); err == nil || path != "" {
		t.Errorf("Publish after Abort = %q, %v; want an error", path, err)
	}
	if _, err := os.Stat(older); err != nil {
		t.Errorf("older snapshot: %v", err)
	}
}

func TestPublishRefusesOpenWriter(t *testing.T) {
	root := t.TempDir()
	s := begin(t, root, started, 0, nil)
	w, err := s.List("users.json", "users")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add([]byte(`{"id":1}`)); err != nil {
		t.Fatal(err)
	}

	path, err := s.Publish(nil)

	want := "publish snapshot: JSON files not closed: users.json"
	if path != "" || err == nil || err.Error() != want {
		t.Errorf("Publish with an open writer = %q, %v; want \"\", %q", path, err, want)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(nil); err != nil {
		t.Errorf("Publish after closing the writer: %v", err)
	}
}

func TestCloseAborts(t *testing.T) {
	root := t.TempDir()
	s, err := Begin(Options{Root: root, Program: program, Started: started})
	if err != nil {
		t.Fatalf("Begin: %v", err)
	}
	stage(t, s, map[string]string{"users.json": "{}"})

	for i := range 2 {
		if err := s.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}

	want := map[string]string{".lock": "-rw-r-----"}
	if diff := cmp.Diff(want, tree(t, filepath.Join(root, program))); diff != "" {
		t.Errorf("program folder after Close mismatch (-want +got):\n%s", diff)
	}
	begin(t, root, started, 0, nil) // the lock is free again
}

func TestBeginRemovesStale(t *testing.T) {
	root := t.TempDir()
	base := filepath.Join(root, program)
	for _, dir := range []string{
		".staging-20240101_000000-abcd/x", ".deleting-20230101_000000/y", ".keep/z", "notes",
	} {
		if err := os.MkdirAll(filepath.Join(base, dir), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("20230101_000000", filepath.Join(base, "latest.tmp-1234")); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer

	s := begin(t, root, started, 0, slog.New(slog.NewTextHandler(&logs, nil)))

	got := tree(t, base)
	want := map[string]string{
		".lock":                "-rw-r-----",
		".keep":                "drwxr-x---",
		".keep/z":              "drwxr-x---",
		"notes":                "drwxr-x---",
		filepath.Base(s.Dir()): "drwxr-x---",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("program folder after Begin mismatch (-want +got):\n%s", diff)
	}
	if n := strings.Count(logs.String(), "removed stale entry"); n != 3 {
		t.Errorf("removal log lines = %d, want 3; logs:\n%s", n, logs.String())
	}
	if !strings.HasPrefix(filepath.Base(s.Dir()), stagingPrefix+stamp+"-") {
		t.Errorf("Dir() = %q, want a %s%s-* folder", s.Dir(), stagingPrefix, stamp)
	}
}

func TestBeginOptions(t *testing.T) {
	root := t.TempDir()
	tests := []Options{
		{Program: program, Started: started},
		{Root: root, Started: started},
		{Root: root, Program: "../x", Started: started},
		{Root: root, Program: program},
		{Root: root, Program: program, Started: started, Keep: -1},
	}
	for _, opts := range tests {
		if s, err := Begin(opts); err == nil {
			s.Close()
			t.Errorf("Begin(%+v): got nil error, want one", opts)
		}
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Errorf("entries after bad options: %v", entries)
	}
}

func ExampleSnapshot_List() {
	root, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(root)
	s, _ := Begin(Options{Root: root, Program: "zendesk_sync", Started: started})
	defer s.Close()

	w, _ := s.List("users.json", "users")
	_ = w.Add([]byte(`{"id":12345678901234567890,"name":"<Ada & Bob>"}`))
	_ = w.Close()
	path, _ := s.Publish(map[string]string{"status": "complete"})

	b, _ := os.ReadFile(filepath.Join(path, "users.json"))
	fmt.Print(string(b))
	// Output:
	// {"users":[
	// {"id":12345678901234567890,"name":"<Ada & Bob>"}
	// ]}
}
