package snapshot

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBeginBadVolume(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(root string) error
		want    string // {root} stands for the volume
		is      error
	}{
		{"missing volume", func(root string) error { return os.Remove(root) },
			"open data dir {root}: no such file or directory", fs.ErrNotExist},
		{"volume is a file", func(root string) error {
			return errors.Join(os.Remove(root), os.WriteFile(root, nil, 0o640))
		}, "open data dir {root}: not a directory", syscall.ENOTDIR},
		{"program folder is a file", func(root string) error {
			return os.WriteFile(filepath.Join(root, program), nil, 0o640)
		}, "create program folder {root}/zendesk_sync: not a directory", syscall.ENOTDIR},
		{"lock is a folder", func(root string) error {
			return os.MkdirAll(filepath.Join(root, program, lockName), 0o750)
		}, "open lock file {root}/zendesk_sync/.lock: is a directory", syscall.EISDIR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "data")
			if err := os.Mkdir(root, 0o750); err != nil {
				t.Fatal(err)
			}
			if err := tt.prepare(root); err != nil {
				t.Fatal(err)
			}

			s, err := Begin(Options{Root: root, Program: program, Started: started})

			if err == nil {
				s.Close()
				t.Fatalf("Begin: got nil error, want one")
			}
			want := strings.ReplaceAll(tt.want, "{root}", root)
			if err.Error() != want || !errors.Is(err, tt.is) {
				t.Errorf("Begin error = %q, want %q wrapping %v", err, want, tt.is)
			}
		})
	}
}

// TestCreateBadFolder makes a file stand where Create needs a folder, as a
// damaged volume might, and checks that nothing is published.
func TestCreateBadFolder(t *testing.T) {
	root := t.TempDir()
	publish(t, root, started.Add(-time.Hour), 0, map[string]string{"users.json": "old"})
	before := tree(t, filepath.Join(root, program))
	s := begin(t, root, started, 0, nil)
	stage(t, s, map[string]string{"attachments": "not a folder"})

	_, err := s.Create("attachments/1/2-a.png")

	want := "create folder " + filepath.Join(s.Dir(), "attachments", "1") + ": not a directory"
	if err == nil || err.Error() != want {
		t.Fatalf("Create error = %v, want %q", err, want)
	}
	if err := s.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if diff := cmp.Diff(before, tree(t, filepath.Join(root, program))); diff != "" {
		t.Errorf("program folder changed by a failed run (-before +after):\n%s", diff)
	}
}

// mountTmpfs mounts a tmpfs with options on a fresh folder, or skips the test
// where mounting is not allowed.
func mountTmpfs(t *testing.T, options string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, options); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root in a mount namespace): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

func TestReadOnlyVolume(t *testing.T) {
	tests := []struct {
		name     string
		existing bool // whether an earlier run left a snapshot
		want     string
	}{
		{"new volume", false, "create program folder {root}/zendesk_sync: read-only file system"},
		{"used volume", true, "open lock file {root}/zendesk_sync/.lock: read-only file system"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := mountTmpfs(t, "size=1m")
			if tt.existing {
				publish(t, root, started.Add(-time.Hour), 0, map[string]string{"users.json": "old"})
			}
			before := tree(t, root)
			err := syscall.Mount("", root, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, "")
			if err != nil {
				t.Fatalf("remount read-only: %v", err)
			}

			s, err := Begin(Options{Root: root, Program: program, Started: started})

			if err == nil {
				s.Close()
				t.Fatalf("Begin on a read-only volume: got nil error, want one")
			}
			want := strings.ReplaceAll(tt.want, "{root}", root)
			if err.Error() != want || !errors.Is(err, syscall.EROFS) {
				t.Errorf("Begin error = %q, want %q wrapping EROFS", err, want)
			}
			if diff := cmp.Diff(before, tree(t, root)); diff != "" {
				t.Errorf("volume changed (-before +after):\n%s", diff)
			}
		})
	}
}

func TestDiskFull(t *testing.T) {
	root := mountTmpfs(t, "size=256k")
	publish(t, root, started.Add(-time.Hour), 0, map[string]string{"users.json": "old"})
	before := tree(t, root)
	s := begin(t, root, started, 0, nil)
	w, err := s.List("users.json", "users")
	if err != nil {
		t.Fatal(err)
	}
	item := []byte(`{"name":"` + strings.Repeat("x", 1000) + `"}`)

	for i := 0; err == nil && i < 1000; i++ {
		err = w.Add(item)
	}
	err = errors.Join(err, w.Close())

	want := "write " + filepath.Join(s.Dir(), "users.json") + ": no space left on device"
	if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("writing a list on a full volume = %v, want %q wrapping ENOSPC", err, want)
	}
	if err := s.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if diff := cmp.Diff(before, tree(t, root)); diff != "" {
		t.Errorf("volume changed by a failed run (-before +after):\n%s", diff)
	}
}

func TestPublishDiskFull(t *testing.T) {
	root := mountTmpfs(t, "size=64k")
	s := begin(t, root, started, 0, nil)
	f, err := s.Create("attachments.bin")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.Copy(f, zeros{})
	f.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the volume: %v, want ENOSPC", err)
	}

	path, err := s.Publish(map[string]string{"status": "complete"})

	want := "write file " + filepath.Join(s.Dir(), statsName) + ": no space left on device"
	if path != "" || err == nil || err.Error() != want {
		t.Errorf("Publish on a full volume = %q, %v; want \"\", %q", path, err, want)
	}
	if err := s.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	wantTree := map[string]string{program: "drwxr-x---", program + "/" + lockName: "-rw-r-----"}
	if diff := cmp.Diff(wantTree, tree(t, root)); diff != "" {
		t.Errorf("volume after a failed Publish mismatch (-want +got):\n%s", diff)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
