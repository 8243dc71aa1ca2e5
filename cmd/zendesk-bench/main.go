// Command zendesk-bench measures the two programs end to end: it starts
// the fake Zendesk in a process of its own with a generated data set and
// no rate limit, runs one program against it, and prints the requests
// the program issued, the wall time and the program's peak memory
// (maximum resident set size).
//
// It runs the binaries in -bin (make build puts them in .bin):
//
//	zendesk-bench -bin .bin                       # every scenario
//	zendesk-bench -bin .bin -scenario hc-2000     # one of them
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// scenario is one measured run: the fake's data flags and the program.
type scenario struct {
	name    string
	program string
	fake    []string
	env     []string
}

var scenarios = []scenario{
	{"hc-2000", "helpcenter-sync",
		[]string{"-articles", "2000", "-locales", "en-us,ja,ar", "-attachments", "1"}, nil},
	{"hc-20000", "helpcenter-sync",
		[]string{"-articles", "20000", "-locales", "en-us,ja,ar", "-attachments", "1"}, nil},
	{"conv-1000x50", "conversations-sync",
		[]string{"-conversations", "1000", "-messages", "50", "-export-rate-limit", "0"}, []string{"SYNC_DAYS=0"}},
}

func main() {
	bin := flag.String("bin", ".bin", "folder holding zendesk-fake and the programs")
	only := flag.String("scenario", "", "run only this scenario")
	flag.Parse()
	fmt.Printf("%-14s %10s %10s %12s %12s\n", "scenario", "requests", "wall_s", "peak_rss_mb", "snapshot_mb")
	for _, s := range scenarios {
		if *only != "" && s.name != *only {
			continue
		}
		r, err := run(*bin, s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", s.name, err)
			os.Exit(1)
		}
		fmt.Printf("%-14s %10d %10.2f %12.1f %12.1f\n", s.name, r.requests, r.wall.Seconds(),
			float64(r.maxRSS)/1024, float64(r.bytes)/(1<<20))
	}
}

type result struct {
	requests int64
	wall     time.Duration
	maxRSS   int64 // KiB
	bytes    int64 // snapshot size
}

func run(bin string, s scenario) (result, error) {
	dir, err := os.MkdirTemp("", "zendesk-bench-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)

	base, stop, err := startFake(filepath.Join(bin, "zendesk-fake"), dir, s.fake)
	if err != nil {
		return result{}, err
	}
	defer stop()

	cmd := exec.Command(filepath.Join(bin, s.program))
	cmd.Env = append(os.Environ(), "DATA_DIR="+filepath.Join(dir, "data"), "LOG_LEVEL=warn",
		"ZENDESK_BASE_URL="+base, "ZENDESK_EMAIL=admin@example.com", "ZENDESK_API_TOKEN=fake-token",
		"SUNCO_BASE_URL="+base+"/sc", "SUNCO_APP_ID=app_fake", "SUNCO_KEY_ID=app_fakekey",
		"SUNCO_KEY_SECRET=fake-secret", "CONCURRENCY=8")
	cmd.Env = append(cmd.Env, s.env...)
	cmd.Stderr = os.Stderr
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o750); err != nil {
		return result{}, err
	}
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %w", s.program, err)
	}
	r := result{wall: time.Since(start)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss
	}
	r.requests, r.bytes, err = snapshotFigures(filepath.Join(dir, "data"))
	return r, err
}

// startFake starts the fake and returns its base URL once it listens.
func startFake(path, dir string, args []string) (string, func(), error) {
	ready := filepath.Join(dir, "ready")
	cmd := exec.Command(path, append([]string{"-addr", "127.0.0.1:0", "-ready-file", ready}, args...)...)
	log, err := os.Create(filepath.Join(dir, "fake.log"))
	if err != nil {
		return "", nil, err
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if base, err := readBase(ready); err == nil {
			return base, stop, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	return "", nil, errors.New("zendesk-fake did not start within 60s")
}

// readBase reads ZENDESK_BASE_URL from the fake's ready file.
func readBase(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "ZENDESK_BASE_URL="); ok && v != "" {
			return v, nil
		}
	}
	return "", errors.New("not ready")
}

// snapshotFigures reads the request count from the one published
// snapshot's sync_stats.json and adds up its size.
func snapshotFigures(data string) (int64, int64, error) {
	stats, _ := filepath.Glob(filepath.Join(data, "*", "latest", "sync_stats.json"))
	if len(stats) != 1 {
		return 0, 0, fmt.Errorf("want one published snapshot under %s, found %d", data, len(stats))
	}
	raw, err := os.ReadFile(stats[0])
	if err != nil {
		return 0, 0, err
	}
	var s struct {
		HTTP struct {
			Requests int64 `json:"requests"`
		} `json:"http"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, 0, fmt.Errorf("decode %s: %w", stats[0], err)
	}
	var size int64
	err = filepath.Walk(filepath.Dir(stats[0])+"/", func(_ string, info os.FileInfo, err error) error {
		if err == nil && info.Mode().IsRegular() {
			size += info.Size()
		}
		return err
	})
	return s.HTTP.Requests, size, err
}
