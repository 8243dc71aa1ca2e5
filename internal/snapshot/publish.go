package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Publish completes the snapshot. It writes stats as sync_stats.json
// (indented, HTML characters unescaped), fsyncs every staged file and folder,
// renames the staging folder to the dated one in a single rename, fsyncs the
// program folder, atomically repoints the relative symlink latest at it and
// prunes complete snapshots beyond Keep, oldest first; a failed prune is
// logged as a warning and does not fail Publish. Every JSONWriter must be
// closed first; files from Create are synced by path, open or not.
//
// The dated folder is Started in UTC, YYYYMMDD_HHMMSS; when a snapshot of that
// second already exists, a suffix _2, _3, ... makes it unique.
//
// Publish returns the dated folder's path. An error with an empty path means
// nothing was published (Abort removes the staging folder); an error with a
// path means the snapshot is complete but latest could not be repointed.
func (s *Snapshot) Publish(stats any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != staging {
		return "", errors.New("publish snapshot: snapshot no longer staged")
	}
	if len(s.writers) > 0 {
		open := slices.Sorted(maps.Keys(s.writers))
		return "", fmt.Errorf("publish snapshot: JSON files not closed: %s", strings.Join(open, ", "))
	}

	if err := s.writeStats(stats); err != nil {
		return "", err
	}
	if err := syncTree(s.staging); err != nil {
		return "", err
	}

	name, err := s.freeName()
	if err != nil {
		return "", err
	}
	dated := filepath.Join(s.base, name)
	if err := os.Rename(s.staging, dated); err != nil {
		return "", opError("publish snapshot", dated, err)
	}
	s.state = published
	if err := syncPath(s.base); err != nil {
		return dated, err
	}

	if err := s.pointLatest(name); err != nil {
		return dated, err
	}
	s.log.Info("published snapshot", "path", dated)
	s.prune(name)
	return dated, nil
}

func (s *Snapshot) writeStats(stats any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(stats); err != nil {
		return fmt.Errorf("encode %s: %w", statsName, err)
	}

	f, err := s.create(statsName)
	if err != nil {
		return err
	}
	_, err = f.Write(buf.Bytes())
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return opError("write file", f.Name(), err)
	}
	return nil
}

// syncTree fsyncs every regular file and folder under root, whoever wrote it.
func syncTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return opError("walk", path, err)
		}
		if d.IsDir() || d.Type().IsRegular() {
			return syncPath(path)
		}
		return nil
	})
}

func syncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return opError("sync", path, err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return opError("sync", path, err)
	}
	return nil
}

// freeName returns the dated folder name for this run: the stamp, or the
// stamp with the first free suffix. The lock keeps other runs from racing.
func (s *Snapshot) freeName() (string, error) {
	for n := 1; n <= 100; n++ {
		name := s.stamp
		if n > 1 {
			name = fmt.Sprintf("%s_%d", s.stamp, n)
		}
		path := filepath.Join(s.base, name)
		_, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return name, nil
		}
		if err != nil {
			return "", opError("check snapshot folder", path, err)
		}
	}
	return "", fmt.Errorf("publish snapshot %s: 100 snapshots of that second exist",
		filepath.Join(s.base, s.stamp))
}

// pointLatest replaces the latest symlink by a fresh one to name, by rename,
// so readers always see an old or a new complete snapshot.
func (s *Snapshot) pointLatest(name string) error {
	tmp := filepath.Join(s.base, latestTmp+randomHex())
	if err := os.Symlink(name, tmp); err != nil {
		return opError("create symlink", tmp, err)
	}
	latest := filepath.Join(s.base, latestName)
	if err := os.Rename(tmp, latest); err != nil {
		_ = os.Remove(tmp) // Begin removes it otherwise
		return opError("replace symlink", latest, err)
	}
	return syncPath(s.base)
}
