package snapshot

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"time"
)

// LockedError reports that another run of the program holds its lock.
type LockedError struct {
	Path   string // the lock file
	Holder string // host, pid and start time as the holder wrote them, or "unknown"
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("snapshot lock %s is held by another run: %s", e.Path, e.Holder)
}

// acquireLock opens (creating if needed) the lock file at path, takes an
// exclusive flock(2) without waiting and writes the holder into it. The
// kernel drops the lock when the file is closed or the process dies; the file
// itself is never removed, since removing a lock file races with its lockers.
func acquireLock(path string, started time.Time) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fileMode)
	if err != nil {
		return nil, opError("open lock file", path, err)
	}

	err = flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		holder := readHolder(f)
		if holder == "unknown" {
			// The holder may have just taken the lock of a new file and
			// not written itself yet.
			time.Sleep(100 * time.Millisecond)
			holder = readHolder(f)
		}
		_ = f.Close() // read-only use; its error tells nothing more
		return nil, &LockedError{Path: path, Holder: holder}
	}
	if err != nil {
		_ = f.Close()
		return nil, opError("lock", path, err)
	}

	if err := writeHolder(f, started); err != nil {
		_ = f.Close()
		return nil, opError("write lock file", path, err)
	}
	return f, nil
}

func flock(f *os.File, how int) error {
	conn, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	err = conn.Control(func(fd uintptr) {
		for {
			ferr = syscall.Flock(int(fd), how)
			if !errors.Is(ferr, syscall.EINTR) {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	return ferr
}

func writeHolder(f *os.File, started time.Time) error {
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	holder := fmt.Sprintf("host=%s pid=%d started=%s\n",
		host, os.Getpid(), started.UTC().Format(time.RFC3339))
	// Write, then cut: a reader never sees the file empty.
	if _, err := f.WriteAt([]byte(holder), 0); err != nil {
		return err
	}
	return f.Truncate(int64(len(holder)))
}

// readHolder returns the first line of the lock file, made printable, or
// "unknown" when the holder has not written it yet.
func readHolder(f *os.File) string {
	b, _ := io.ReadAll(io.NewSectionReader(f, 0, 512)) // a partial read still helps
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimSpace(strings.ToValidUTF8(line, "?"))
	line = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, line)
	if line == "" {
		return "unknown"
	}
	return line
}
