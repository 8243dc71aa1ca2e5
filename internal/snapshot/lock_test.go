package snapshot

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// holderEnv makes the test binary a helper process that holds the lock of
// the DATA_DIR it names (see TestMain).
const holderEnv = "SNAPSHOT_TEST_HOLD_LOCK"

// holdLock is the helper process: it begins a snapshot under root, says
// "locked" on stdout and keeps the lock until stdin closes or it is killed.
func holdLock(root string) int {
	s, err := Begin(Options{Root: root, Program: program, Started: time.Now()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("locked")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// startHolder runs holdLock in a new process and waits until it has the lock.
func startHolder(t *testing.T, root string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), holderEnv+"="+root)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start helper: %v", err)
	}
	t.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if line != "locked\n" {
		t.Fatalf("helper said %q, %v; want %q", line, err, "locked\n")
	}
	return cmd
}

func TestLockedInProcess(t *testing.T) {
	root := t.TempDir()
	first := begin(t, root, started, 0, nil)

	_, err := Begin(Options{Root: root, Program: program, Started: started.Add(time.Minute)})

	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("second Begin error = %v, want a *LockedError", err)
	}
	host, _ := os.Hostname()
	want := fmt.Sprintf("host=%s pid=%d started=2024-05-06T05:08:09Z", host, os.Getpid())
	if locked.Holder != want {
		t.Errorf("Holder = %q, want %q", locked.Holder, want)
	}
	if want := filepath.Join(root, program, lockName); locked.Path != want {
		t.Errorf("Path = %q, want %q", locked.Path, want)
	}
	if !strings.Contains(err.Error(), locked.Path) || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not name the lock and its holder", err)
	}
	if _, err := os.Stat(first.Dir()); err != nil {
		t.Errorf("the holder's staging folder: %v", err)
	}
}

func TestLockedAcrossProcesses(t *testing.T) {
	root := t.TempDir()
	holder := startHolder(t, root)
	entries, _ := os.ReadDir(filepath.Join(root, program))
	if len(entries) != 2 {
		t.Fatalf("entries while the helper holds the lock = %v, want .lock and a staging folder", entries)
	}
	holderStaging := filepath.Join(root, program, entries[1].Name())

	_, err := Begin(Options{Root: root, Program: program, Started: started})

	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("Begin while another process holds the lock = %v, want a *LockedError", err)
	}
	if want := fmt.Sprintf("pid=%d ", holder.Process.Pid); !strings.Contains(locked.Holder, want) {
		t.Errorf("Holder = %q, want it to contain %q", locked.Holder, want)
	}

	// A killed holder cannot release anything itself: the kernel does.
	if err := holder.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = holder.Wait()
	ws, ok := holder.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("helper state = %v, want killed by SIGKILL", holder.ProcessState)
	}
	s := begin(t, root, started, 0, nil)
	if _, err := os.Stat(holderStaging); !os.IsNotExist(err) {
		t.Errorf("the killed run's staging folder: stat = %v, want it removed", err)
	}
	if _, err := s.Publish(nil); err != nil {
		t.Errorf("Publish after the killed run: %v", err)
	}
}

func TestReadHolder(t *testing.T) {
	tests := []struct {
		content, want string
	}{
		{"", "unknown"},
		{"  \n", "unknown"},
		{"host=a pid=1 started=x\n", "host=a pid=1 started=x"},
		{"host=a\x1b[31m pid=1\nsecond line", "host=a?[31m pid=1"},
		{"host=\xff", "host=?"},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "lock")
		if err := os.WriteFile(path, []byte(tt.content), 0o640); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got := readHolder(f)
		f.Close()
		if got != tt.want {
			t.Errorf("readHolder(%q) = %q, want %q", tt.content, got, tt.want)
		}
	}
}
