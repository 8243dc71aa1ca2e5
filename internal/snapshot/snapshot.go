// Package snapshot is the one place that writes to the snapshot volume. A run
// takes the program's lock, stages its files in a hidden folder and publishes
// them as a dated snapshot with one rename, so a dated folder is always
// complete and a failed run leaves earlier snapshots as they were.
package snapshot

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	stampLayout    = "20060102_150405"
	stagingPrefix  = ".staging-"
	deletingPrefix = ".deleting-"
	latestName     = "latest"
	latestTmp      = "latest.tmp-"
	lockName       = ".lock"
	statsName      = "sync_stats.json"

	dirMode  fs.FileMode = 0o750
	fileMode fs.FileMode = 0o640
)

// Options for Begin.
type Options struct {
	Root    string       // DATA_DIR, the volume; it must exist
	Program string       // folder under Root: "zendesk_help_center" or "zendesk_sync"
	Started time.Time    // run start; names the dated folder in UTC
	Keep    int          // complete snapshots to keep; 0 keeps all
	Logger  *slog.Logger // nil discards the package's few log lines
}

type state int

const (
	staging state = iota
	published
	aborted
)

// Snapshot is one run's snapshot while it is staged. Create, Open and the
// JSONWriters it hands out may be used from several goroutines.
type Snapshot struct {
	base    string // Root/Program
	staging string
	stamp   string
	keep    int
	log     *slog.Logger

	mu      sync.Mutex
	state   state
	lock    *os.File        // nil once released
	writers map[string]bool // JSON files not yet closed, by rel
}

// Begin prepares a run's snapshot. It creates Root/Program (0750) if missing
// but not Root itself, so an unmounted volume fails instead of filling the
// container's disk. It takes a non-blocking flock(2) on Root/Program/.lock,
// returning a *LockedError naming the holder when another run has it; then,
// holding the lock, it removes stale staging folders left by killed runs and
// creates a fresh hidden staging folder. The caller must Close the Snapshot.
func Begin(opts Options) (*Snapshot, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	base := filepath.Join(opts.Root, opts.Program)
	if err := ensureBase(opts.Root, base); err != nil {
		return nil, err
	}

	lock, err := acquireLock(filepath.Join(base, lockName), opts.Started)
	if err != nil {
		return nil, err
	}
	s := &Snapshot{
		base:  base,
		stamp: opts.Started.UTC().Format(stampLayout),
		keep:  opts.Keep,
		log:   opts.Logger,
		lock:  lock,

		writers: make(map[string]bool),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}

	if err := s.removeStale(); err != nil {
		return nil, errors.Join(err, s.release())
	}
	s.staging = filepath.Join(base, stagingPrefix+s.stamp+"-"+randomHex())
	if err := os.Mkdir(s.staging, dirMode); err != nil {
		return nil, errors.Join(opError("create staging folder", s.staging, err), s.release())
	}
	return s, nil
}

func (o Options) check() error {
	switch {
	case o.Root == "":
		return errors.New("snapshot options: empty Root")
	case o.Program == "" || o.Program != SafeName(o.Program):
		return fmt.Errorf("snapshot options: Program %q is not a safe folder name", o.Program)
	case o.Started.IsZero():
		return errors.New("snapshot options: zero Started")
	case o.Keep < 0:
		return fmt.Errorf("snapshot options: negative Keep %d", o.Keep)
	}
	return nil
}

// ensureBase checks that root is a folder and creates base inside it.
func ensureBase(root, base string) error {
	fi, err := os.Stat(root)
	if err != nil {
		return opError("open data dir", root, err)
	}
	if !fi.IsDir() {
		return opError("open data dir", root, syscall.ENOTDIR)
	}
	err = os.Mkdir(base, dirMode)
	if errors.Is(err, fs.ErrExist) {
		if fi, err = os.Stat(base); err == nil && !fi.IsDir() {
			err = syscall.ENOTDIR
		}
	}
	if err != nil {
		return opError("create program folder", base, err)
	}
	return nil
}

// removeStale removes what killed runs left: staging folders, folders being
// pruned and temporary latest links. Only call it holding the lock.
func (s *Snapshot) removeStale() error {
	entries, err := os.ReadDir(s.base)
	if err != nil {
		return opError("list program folder", s.base, err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, stagingPrefix) && !strings.HasPrefix(name, deletingPrefix) &&
			!strings.HasPrefix(name, latestTmp) {
			continue
		}
		path := filepath.Join(s.base, name)
		if err := os.RemoveAll(path); err != nil {
			return opError("remove stale staging folder", path, err)
		}
		s.log.Info("removed stale entry", "path", path)
	}
	return nil
}

// Dir returns the staging folder, for logs.
func (s *Snapshot) Dir() string { return s.staging }

// Create opens a new file (0640) at rel, a slash-separated path inside the
// staging folder, creating sub-folders (0750) as needed. Every element of rel
// must be its own SafeName; any other path, one that could leave the staging
// folder among them, is refused. It fails if the file exists.
func (s *Snapshot) Create(rel string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.create(rel)
}

func (s *Snapshot) create(rel string) (*os.File, error) {
	path, err := s.path("create file", rel)
	if err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != s.staging {
		if err := os.MkdirAll(dir, dirMode); err != nil {
			return nil, opError("create folder", dir, err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return nil, opError("create file", path, err)
	}
	return f, nil
}

// Open opens a staged file for reading, e.g. to copy it into another with
// JSONWriter.CopyField. rel is checked as by Create.
func (s *Snapshot) Open(rel string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path, err := s.path("open file", rel)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, opError("open file", path, err)
	}
	return f, nil
}

// path checks rel and that the snapshot is still staged, and returns the
// absolute path. The caller holds s.mu.
func (s *Snapshot) path(op, rel string) (string, error) {
	if s.state != staging {
		return "", fmt.Errorf("%s %q: snapshot no longer staged", op, rel)
	}
	for _, elem := range strings.Split(rel, "/") {
		if elem != SafeName(elem) {
			return "", fmt.Errorf("%s %q: unsafe path element %q", op, rel, elem)
		}
	}
	return filepath.Join(s.staging, filepath.FromSlash(rel)), nil
}

// Abort removes the staging folder. It does nothing once the snapshot is
// published or aborted, so it is safe to defer.
func (s *Snapshot) Abort() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != staging {
		return nil
	}
	s.state = aborted
	if err := os.RemoveAll(s.staging); err != nil {
		return opError("remove staging folder", s.staging, err)
	}
	return nil
}

// Close aborts the snapshot unless it was published, and releases the lock.
// Calls after the first return nil.
func (s *Snapshot) Close() error {
	err := s.Abort()
	s.mu.Lock()
	defer s.mu.Unlock()
	return errors.Join(err, s.release())
}

// release closes the lock file, which drops the flock.
func (s *Snapshot) release() error {
	if s.lock == nil {
		return nil
	}
	lock := s.lock
	s.lock = nil
	if err := lock.Close(); err != nil {
		return opError("release lock", lock.Name(), err)
	}
	return nil
}

// opError returns "op path: cause", dropping the operation and path that an
// *fs.PathError or *os.LinkError from the os package would repeat.
func opError(op, path string, err error) error {
	switch e := err.(type) { //nolint:errorlint // only an unwrapped os error repeats the path
	case *fs.PathError:
		err = e.Err
	case *os.LinkError:
		err = e.Err
	}
	return fmt.Errorf("%s %s: %w", op, path, err)
}

func randomHex() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // never fails since Go 1.24
	return hex.EncodeToString(b)
}
