package hcsync

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/snapshot"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

// syncBuffer is a log sink safe for the job's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one test's fake Zendesk, configuration and log.
type env struct {
	fake *zendesktest.Server
	data *zendesktest.HelpCenterData
	cfg  config.HelpCenter
	tune tuning
	logs *syncBuffer
}

func newEnv(t *testing.T, data *zendesktest.HelpCenterData) *env {
	t.Helper()
	return newEnvWith(t, zendesktest.Options{HelpCenter: data})
}

// newEnvWith is newEnv for a fake with other options.
func newEnvWith(t *testing.T, opts zendesktest.Options) *env {
	t.Helper()
	if opts.HelpCenter == nil {
		opts.HelpCenter = zendesktest.GenerateHelpCenter(zendesktest.HCGen{Articles: 130, MaxAttachmentSize: 64 << 10})
	}
	data := opts.HelpCenter
	fake := zendesktest.Start(t, opts)
	cfg := config.HelpCenter{
		Common: config.Common{
			DataDir: t.TempDir(), KeepSnapshots: 30, LogLevel: "debug", LogFormat: "json",
			HTTPTimeout: 5 * time.Second, MaxRetries: 3, Concurrency: 4,
			ZendeskURL: fake.URL, Email: zendesktest.Email, APIToken: zendesktest.APIToken,
		},
		Attachments: true,
	}
	return &env{fake: fake, data: data, cfg: cfg, tune: tuning{baseDelay: 5 * time.Millisecond},
		logs: &syncBuffer{}}
}

func (e *env) run(ctx context.Context) (string, error) {
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return run(ctx, e.cfg, log, "test", e.tune)
}

func (e *env) mustRun(t *testing.T) string {
	t.Helper()
	path, err := e.run(context.Background())
	if err != nil {
		t.Fatalf("Run: %v\nlogs:\n%s", err, e.logs)
	}
	return path
}

func readJSON(t *testing.T, path string, v any) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return raw
}

type statsFile struct {
	Status string           `json:"status"`
	Counts map[string]int64 `json:"counts"`
	HTTP   struct {
		Requests, Retries, RateLimited int64
	} `json:"http"`
	Gaps []struct {
		Kind, ID, Endpoint, Reason string
	} `json:"gaps"`
}

func TestRunWholeHelpCenter(t *testing.T) {
	e := newEnv(t, nil)
	path := e.mustRun(t)

	latest, err := os.Readlink(filepath.Join(e.cfg.DataDir, Folder, "latest"))
	if err != nil || latest != filepath.Base(path) {
		t.Errorf("latest -> %q (%v), want %q", latest, err, filepath.Base(path))
	}
	for _, locale := range e.data.Locales {
		var got struct{ Categories, Sections, Articles []json.RawMessage }
		readJSON(t, filepath.Join(path, locale+"_help_center_data.json"), &got)
		if n, want := len(got.Articles), e.data.ArticleCount(locale); n != want {
			t.Errorf("%s: %d articles, want %d", locale, n, want)
		}
		if len(got.Categories) == 0 || len(got.Sections) == 0 {
			t.Errorf("%s: %d categories and %d sections, want some", locale, len(got.Categories), len(got.Sections))
		}
	}
	var all struct {
		DefaultLocale string                     `json:"default_locale"`
		Locales       map[string]json.RawMessage `json:"locales"`
	}
	readJSON(t, filepath.Join(path, "all_help_center_data.json"), &all)
	if all.DefaultLocale != e.data.DefaultLocale || len(all.Locales) != len(e.data.Locales) {
		t.Errorf("all_help_center_data.json: default %q with %d locales, want %q with %d",
			all.DefaultLocale, len(all.Locales), e.data.DefaultLocale, len(e.data.Locales))
	}

	atts := e.data.Attachments()
	for _, a := range atts {
		want, _ := e.data.AttachmentSHA256(a.ID)
		matches, _ := filepath.Glob(filepath.Join(path, "attachments", strconv.FormatUint(a.ArticleID, 10),
			strconv.FormatUint(a.ID, 10)+"-*"))
		if len(matches) != 1 {
			t.Errorf("attachment %d (%q): %d files, want 1", a.ID, a.FileName, len(matches))
			continue
		}
		raw, _ := os.ReadFile(matches[0])
		if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != want {
			t.Errorf("attachment %d: sha256 differs from what the fake served", a.ID)
		}
	}
	var list struct {
		Attachments []json.RawMessage `json:"article_attachments"`
	}
	readJSON(t, filepath.Join(path, "article_attachments.json"), &list)
	if len(list.Attachments) != len(atts) {
		t.Errorf("article_attachments.json lists %d, want %d", len(list.Attachments), len(atts))
	}

	var stats statsFile
	readJSON(t, filepath.Join(path, "sync_stats.json"), &stats)
	if stats.Status != "complete" || len(stats.Gaps) != 0 || stats.Counts["attachment_files"] != int64(len(atts)) {
		t.Errorf("sync_stats.json = %+v, want complete, no gaps, %d files", stats, len(atts))
	}
	if got := int64(len(e.fake.Requests())); stats.HTTP.Requests != got {
		t.Errorf("stats count %d requests, the fake got %d", stats.HTTP.Requests, got)
	}
}

func TestRunKeepsBytes(t *testing.T) {
	e := newEnv(t, nil)
	path := e.mustRun(t)
	raw, err := os.ReadFile(filepath.Join(path, "en-us_help_center_data.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range e.data.Articles(e.fake.URL, "en-us")[:3] {
		if !bytes.Contains(raw, want) {
			t.Errorf("en-us file lacks the article bytes as served: %.120s", want)
		}
	}
	for _, id := range []string{`"id":9007199254740993`, `"id":12345678901234567890`} {
		if !bytes.Contains(raw, []byte(id)) {
			t.Errorf("en-us file lacks %s byte for byte", id)
		}
	}
}

func TestRunPagesWithCursors(t *testing.T) {
	e := newEnv(t, nil)
	e.mustRun(t)
	pages := 0
	for _, r := range e.fake.Requests() {
		if strings.Contains(r.Query, "page=") || strings.Contains(r.Query, "per_page") {
			t.Errorf("request %s?%s uses offset paging", r.Path, r.Query)
		}
		if r.Path == "/api/v2/help_center/en-us/articles" && strings.Contains(r.Query, "page%5Bafter%5D") {
			pages++
		}
	}
	if pages == 0 {
		t.Error("no second cursor page of en-us articles was asked for")
	}
}

func TestRunFaultsAreRetried(t *testing.T) {
	const locales = "/api/v2/help_center/locales"
	tests := []struct {
		name   string
		faults []zendesktest.Fault
	}{
		{"429 with retry-after", []zendesktest.Fault{{Status: 429, RetryAfter: 1, Body: `{"error":"APIRateLimitExceeded"}`}}},
		{"503 with retry-after", []zendesktest.Fault{{Status: 503, RetryAfter: 1, Body: `{}`}}},
		{"500 twice", []zendesktest.Fault{{Status: 500, Body: `{}`}, {Status: 500, Body: `{}`}}},
		{"502 html page", []zendesktest.Fault{{Status: 502, ContentType: "text/html", Body: "<html>502</html>"}}},
		{"empty 200", []zendesktest.Fault{{Body: ""}}},
		{"truncated json", []zendesktest.Fault{{Body: `{"locales":["en-us"`, Truncate: true}}},
		{"stalled past timeout", []zendesktest.Fault{{Delay: 3 * time.Second, Body: `{}`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, zendesktest.GenerateHelpCenter(zendesktest.HCGen{Articles: 5, Locales: []string{"en-us"}}))
			e.cfg.HTTPTimeout = time.Second
			e.fake.Inject(locales, tt.faults...)
			path := e.mustRun(t)
			var stats statsFile
			readJSON(t, filepath.Join(path, "sync_stats.json"), &stats)
			if want := int64(len(tt.faults)); stats.HTTP.Retries != want {
				t.Errorf("retries = %d, want %d", stats.HTTP.Retries, want)
			}
			if n := e.fake.Count(locales); n != len(tt.faults)+1 {
				t.Errorf("locales asked %d times, want %d", n, len(tt.faults)+1)
			}
			if !strings.Contains(e.logs.String(), `"msg":"retrying request"`) {
				t.Error("no retry was logged")
			}
		})
	}
}

func TestRunUnauthorizedFailsFast(t *testing.T) {
	e := newEnv(t, nil)
	e.cfg.APIToken = "wrong"
	_, err := e.run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "{email}/token") {
		t.Fatalf("Run error = %v, want a 401 naming the {email}/token form", err)
	}
	if n := len(e.fake.Requests()); n != 1 {
		t.Errorf("sent %d requests, want 1 (no retry)", n)
	}
	if strings.Contains(err.Error(), "wrong") || strings.Contains(e.logs.String(), "wrong") {
		t.Error("the token reached the error or the logs")
	}
	assertNothingPublished(t, e.cfg.DataDir)
}

func TestRunGaps(t *testing.T) {
	data := zendesktest.GenerateHelpCenter(zendesktest.HCGen{Articles: 130, MaxAttachmentSize: 4 << 10})
	data.MissingLocale = "ar"
	data.StuckCursor = "/api/v2/help_center/ja/articles"
	atts := data.Attachments()
	data.FileStatus = map[uint64]int{atts[5].ID: 410}
	data.MissingAttachmentLists = map[uint64]bool{atts[9].ArticleID: true}
	e := newEnv(t, data)
	// A sign-in page instead of the file: its length never matches.
	e.fake.InjectAlways("/files/"+strconv.FormatUint(atts[7].ID, 10),
		zendesktest.Fault{ContentType: "text/html", Body: "<html>sign in</html>"})
	path := e.mustRun(t)

	var stats statsFile
	readJSON(t, filepath.Join(path, "sync_stats.json"), &stats)
	kinds := map[string]int{}
	for _, g := range stats.Gaps {
		kinds[g.Kind]++
	}
	if kinds["locale"] != 1 || kinds["listing"] != 1 || kinds["attachment"] != 2 || kinds["attachment_list"] != 1 {
		t.Errorf("gaps = %+v, want the missing locale, the stuck listing, the expired and the wrong-sized "+
			"files and the missing list",
			stats.Gaps)
	}
	if got := strings.Count(e.logs.String(), `"msg":"gap"`); got != len(stats.Gaps) {
		t.Errorf("%d gap warnings logged, want %d", got, len(stats.Gaps))
	}
	if _, err := os.Stat(filepath.Join(path, "ar_help_center_data.json")); !os.IsNotExist(err) {
		t.Errorf("the missing locale's file was published (%v)", err)
	}
	var all struct{ Locales map[string]json.RawMessage }
	readJSON(t, filepath.Join(path, "all_help_center_data.json"), &all)
	if _, ok := all.Locales["ar"]; ok || len(all.Locales) != len(data.Locales)-1 || stats.Counts["locales"] != 3 {
		t.Errorf("all_help_center_data.json has %d locales (ar: %v), counts %d; want the 3 found",
			len(all.Locales), ok, stats.Counts["locales"])
	}
	var ja struct{ Articles []struct{ ID json.Number } }
	readJSON(t, filepath.Join(path, "ja_help_center_data.json"), &ja)
	seen := map[json.Number]bool{}
	for _, a := range ja.Articles {
		if seen[a.ID] {
			t.Errorf("ja article %s written twice", a.ID)
		}
		seen[a.ID] = true
	}
}

func TestRunRedirectCarriesNoCredentials(t *testing.T) {
	e := newEnv(t, nil)
	e.mustRun(t)
	files := 0
	for _, r := range e.fake.Requests() {
		if r.Host != "files" {
			continue
		}
		files++
		if a := r.Header.Get("Authorization"); a != "" {
			t.Fatalf("files host got Authorization %q", a)
		}
	}
	if files != len(e.data.Attachments()) {
		t.Errorf("files host got %d requests, want %d", files, len(e.data.Attachments()))
	}
}

func TestRunHostileFileNamesStayInside(t *testing.T) {
	e := newEnv(t, nil)
	path := e.mustRun(t)
	err := filepath.Walk(e.cfg.DataDir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.Mode().IsRegular() && !strings.HasPrefix(p, path+"/") &&
			filepath.Base(p) != ".lock" {
			t.Errorf("file %s is outside the snapshot", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range e.data.Attachments() {
		if strings.Contains(a.FileName, "..") {
			m, _ := filepath.Glob(filepath.Join(path, "attachments", "*", strconv.FormatUint(a.ID, 10)+"-*"))
			if len(m) != 1 {
				t.Errorf("attachment %q not stored inside the snapshot: %v", a.FileName, m)
			}
		}
	}
}

func TestRunCancelledPublishesNothing(t *testing.T) {
	e := newEnv(t, nil)
	e.fake.InjectPrefix("/api/v2/help_center/en-us/articles", zendesktest.Fault{Delay: time.Minute})
	earlier := filepath.Join(e.cfg.DataDir, Folder, "20200101_000000")
	if err := os.MkdirAll(earlier, 0o750); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	_, err := e.run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("cancelled run took %v to stop", d)
	}
	entries, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, Folder))
	for _, en := range entries {
		if en.Name() != "20200101_000000" && en.Name() != ".lock" {
			t.Errorf("cancelled run left %s", en.Name())
		}
	}
}

func TestRunRefusedByLock(t *testing.T) {
	e := newEnv(t, nil)
	held, err := snapshot.Begin(snapshot.Options{Root: e.cfg.DataDir, Program: Folder, Started: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	_, err = e.run(context.Background())
	var locked *snapshot.LockedError
	if !errors.As(err, &locked) || !strings.Contains(err.Error(), ".lock") {
		t.Fatalf("Run error = %v, want a LockedError naming the lock", err)
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("a refused run sent %d requests", n)
	}
}

func TestRunKeepSnapshots(t *testing.T) {
	e := newEnv(t, zendesktest.GenerateHelpCenter(zendesktest.HCGen{Articles: 3, Locales: []string{"en-us"}}))
	e.cfg.KeepSnapshots = 2
	for _, old := range []string{"20200101_000000", "20200102_000000"} {
		if err := os.MkdirAll(filepath.Join(e.cfg.DataDir, Folder, old), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	path := e.mustRun(t)
	entries, _ := os.ReadDir(filepath.Join(e.cfg.DataDir, Folder))
	var dated []string
	for _, en := range entries {
		if en.IsDir() && !strings.HasPrefix(en.Name(), ".") {
			dated = append(dated, en.Name())
		}
	}
	if len(dated) != 2 || dated[0] != "20200102_000000" || dated[1] != filepath.Base(path) {
		t.Errorf("kept %v, want [20200102_000000 %s]", dated, filepath.Base(path))
	}
}

func TestRunUnknownLocaleIsConfigError(t *testing.T) {
	e := newEnv(t, nil)
	e.cfg.Locales = []string{"en-us", "xx-yy"}
	_, err := e.run(context.Background())
	if !config.IsConfigError(err) || !strings.Contains(err.Error(), "xx-yy") || !strings.Contains(err.Error(), "ja") {
		t.Fatalf("Run error = %v, want a config error naming xx-yy and the enabled locales", err)
	}
	assertNothingPublished(t, e.cfg.DataDir)
}

func TestRunLogsProgress(t *testing.T) {
	e := newEnv(t, nil)
	e.tune.progressEvery = 20 * time.Millisecond
	e.fake.InjectPrefix("/api/v2/help_center/en-us/sections", zendesktest.Fault{Delay: 100 * time.Millisecond, Status: 500})
	e.mustRun(t)
	logs := e.logs.String()
	for _, want := range []string{`"msg":"starting"`, `"msg":"progress"`, `"msg":"finished"`, `"snapshot":`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s", want)
		}
	}
	if strings.Contains(logs, zendesktest.APIToken) {
		t.Error("the API token reached the logs")
	}
}

func assertNothingPublished(t *testing.T, dataDir string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(dataDir, Folder))
	for _, en := range entries {
		if en.Name() != ".lock" {
			t.Errorf("found %s, want nothing published", en.Name())
		}
	}
}

func TestRunAnonymous(t *testing.T) {
	data := zendesktest.GenerateHelpCenter(zendesktest.HCGen{Articles: 4, Locales: []string{"en-us", "ja"}})
	e := newEnvWith(t, zendesktest.Options{HelpCenter: data, Anonymous: true})
	fake := e.fake
	e.cfg.Email, e.cfg.APIToken = "", ""
	e.cfg.Attachments = false
	path := e.mustRun(t)
	for _, r := range fake.Requests() {
		if r.Header.Get("Authorization") != "" {
			t.Fatalf("anonymous run sent credentials to %s", r.Path)
		}
		if strings.HasSuffix(r.Path, "/attachments") && !strings.HasPrefix(r.Path, "/api/v2/help_center/en-us/") &&
			!strings.HasPrefix(r.Path, "/api/v2/help_center/ja/") {
			t.Errorf("anonymous run listed attachments without a locale: %s", r.Path)
		}
		if r.Host == "files" {
			t.Errorf("HELPCENTER_ATTACHMENTS=false still downloaded %s", r.Path)
		}
	}
	var list struct {
		Attachments []json.RawMessage `json:"article_attachments"`
	}
	readJSON(t, filepath.Join(path, "article_attachments.json"), &list)
	if len(list.Attachments) != len(data.Attachments()) {
		t.Errorf("article_attachments.json lists %d, want %d", len(list.Attachments), len(data.Attachments()))
	}
	if m, _ := filepath.Glob(filepath.Join(path, "attachments", "*")); len(m) != 0 {
		t.Errorf("attachment files written with HELPCENTER_ATTACHMENTS=false: %v", m)
	}
}
