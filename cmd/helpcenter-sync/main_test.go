package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

// TestMain lets the tests run this program as a child process: the test
// binary runs main when RUN_MAIN is set.
func TestMain(m *testing.M) {
	if os.Getenv("RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

func command(t *testing.T, env ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append([]string{"RUN_MAIN=1", "PATH=" + os.Getenv("PATH")}, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	return cmd, &stdout, &stderr
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("run: %v", err)
	}
	return ee.ExitCode()
}

func TestBadConfigurationExits2(t *testing.T) {
	data := t.TempDir()
	cmd, stdout, stderr := command(t, "DATA_DIR="+data, "ZENDESK_SUBDOMAIN=not a subdomain",
		"MAX_RETRIES=-1", "HTTP_TIMEOUT=soon", "HELPCENTER_ATTACHMENTS=maybe", "ZENDESK_API_TOKEN=t0ken")
	if code := exitCode(t, cmd.Run()); code != 2 {
		t.Fatalf("exit code %d, want 2; stderr:\n%s", code, stderr)
	}
	for _, name := range []string{"ZENDESK_SUBDOMAIN", "MAX_RETRIES", "HTTP_TIMEOUT",
		"HELPCENTER_ATTACHMENTS", "ZENDESK_EMAIL", "e.g. acme for https://acme.zendesk.com"} {
		if !strings.Contains(stderr.String(), name) {
			t.Errorf("stderr does not name %s:\n%s", name, stderr)
		}
	}
	if strings.Contains(stderr.String()+stdout.String(), "t0ken") {
		t.Error("the token reached the output")
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("a configuration error wrote %d entries to DATA_DIR", len(entries))
	}
}

func TestNoZendeskURLExits2(t *testing.T) {
	cmd, _, stderr := command(t, "DATA_DIR="+t.TempDir())
	if code := exitCode(t, cmd.Run()); code != 2 || !strings.Contains(stderr.String(), "ZENDESK_SUBDOMAIN") {
		t.Fatalf("exit code %d, stderr %q; want 2 naming ZENDESK_SUBDOMAIN", code, stderr)
	}
}

func TestHelpAndVersion(t *testing.T) {
	cmd, stdout, _ := command(t)
	cmd.Args = append(cmd.Args, "--help")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"HELPCENTER_LOCALES", "DATA_DIR", "/data", "30s", "Exit codes"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
	cmd, stdout, _ = command(t)
	cmd.Args = append(cmd.Args, "--version")
	if err := cmd.Run(); err != nil || stdout.String() != "helpcenter-sync dev\n" {
		t.Errorf("--version printed %q (%v)", stdout, err)
	}
}

func TestSIGTERMPublishesNothing(t *testing.T) {
	fake := zendesktest.Start(t, zendesktest.Options{})
	fake.InjectPrefix("/api/v2/help_center/en-us/articles", zendesktest.Fault{Delay: time.Minute})
	data := t.TempDir()
	cmd, stdout, _ := command(t, "DATA_DIR="+data, "ZENDESK_BASE_URL="+fake.URL,
		"ZENDESK_EMAIL="+zendesktest.Email, "ZENDESK_API_TOKEN="+zendesktest.APIToken)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for fake.Count("/api/v2/help_center/en-us/articles") == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code := exitCode(t, cmd.Wait())
	if code == 0 {
		t.Fatalf("exit code 0 after SIGTERM, want non-zero")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to stop after SIGTERM", d)
	}
	entries, _ := os.ReadDir(filepath.Join(data, "zendesk_help_center"))
	for _, e := range entries {
		if e.Name() != ".lock" {
			t.Errorf("SIGTERM left %s", e.Name())
		}
	}
	if !strings.Contains(stdout.String(), `"msg":"run failed"`) {
		t.Errorf("no failure line logged:\n%s", stdout)
	}
}

func TestRunAgainstFake(t *testing.T) {
	fake := zendesktest.Start(t, zendesktest.Options{})
	data := t.TempDir()
	cmd, stdout, stderr := command(t, "DATA_DIR="+data, "ZENDESK_BASE_URL="+fake.URL,
		"ZENDESK_EMAIL="+zendesktest.Email, "ZENDESK_API_TOKEN="+zendesktest.APIToken)
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(data, "zendesk_help_center", "latest", "sync_stats.json")); err != nil {
		t.Error(err)
	}
	if strings.Contains(stdout.String(), zendesktest.APIToken) {
		t.Error("the token reached the logs")
	}
}
