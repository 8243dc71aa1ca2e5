package convsync

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/logging"
	"github.com/zendesk-sync/zendesk-sync/internal/report"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

// fast keeps retries and the endpoints' own pace short in tests.
var fast = tuning{baseDelay: time.Millisecond, maxDelay: 10 * time.Millisecond,
	exportPerMinute: 60000, logPerMinute: 60000}

// setEnv sets the variables of a run against srv, with the given
// overrides ("NAME=value"), and returns DATA_DIR.
func setEnv(t testing.TB, srv *zendesktest.Server, overrides ...string) string {
	t.Helper()
	dir := t.TempDir()
	vars := map[string]string{
		"DATA_DIR": dir, "SUNCO_BASE_URL": srv.URL + "/sc", "SUNCO_APP_ID": zendesktest.AppID,
		"SUNCO_KEY_ID": zendesktest.KeyID, "SUNCO_KEY_SECRET": zendesktest.KeySecret,
		"SUNCO_AUTH_TYPE": "basic", "SYNC_DAYS": "7", "CONCURRENCY": "4", "MAX_RETRIES": "3",
		"ZENDESK_BASE_URL": srv.URL, "ZENDESK_EMAIL": zendesktest.Email,
		"ZENDESK_API_TOKEN": zendesktest.APIToken, "ZENDESK_SUBDOMAIN": "", "ZENDESK_OAUTH_TOKEN": "",
		"CONVERSATION_IDS": "", "SUNCO_USER_IDS": "", "LOG_LEVEL": "debug", "LOG_FORMAT": "json",
		"KEEP_SNAPSHOTS": "30", "HTTP_TIMEOUT": "10s", "RATE_LIMIT": "0",
	}
	for _, o := range overrides {
		k, v, _ := strings.Cut(o, "=")
		vars[k] = v
	}
	for k, v := range vars {
		t.Setenv(k, v)
	}
	return dir
}

// runJob loads the configuration from the environment and runs the job
// with fast tuning; it returns the snapshot path, the log and the error.
func runJob(t *testing.T, ctx context.Context) (string, *bytes.Buffer, error) {
	t.Helper()
	cfg, err := config.LoadConversations()
	if err != nil {
		t.Fatalf("LoadConversations: %v", err)
	}
	var logs bytes.Buffer
	log := logging.New(&logs, cfg.LogLevel, cfg.LogFormat, cfg.Secrets())
	path, err := run(ctx, cfg, log, "test", fast)
	return path, &logs, err
}

// mustRun is runJob that fails the test on an error.
func mustRun(t *testing.T) (snap, *bytes.Buffer) {
	t.Helper()
	path, logs, err := runJob(t, context.Background())
	if err != nil {
		t.Fatalf("run: %v\nlog:\n%s", err, logs)
	}
	return readSnap(t, path), logs
}

// snap is a published snapshot, read back.
type snap struct {
	path          string
	conversations map[string]convEntry
	order         []string
	users         map[string]json.RawMessage
	stats         statsFile
}

type convEntry struct {
	Conversation json.RawMessage   `json:"conversation"`
	Participants []json.RawMessage `json:"participants"`
	TicketIDs    []int64           `json:"ticket_ids"`
}

type messagesFile struct {
	ConversationID string            `json:"conversation_id"`
	Messages       []json.RawMessage `json:"messages"`
}

type statsFile struct {
	Status string           `json:"status"`
	Counts map[string]int64 `json:"counts"`
	HTTP   struct {
		Requests    int64 `json:"requests"`
		Retries     int64 `json:"retries"`
		RateLimited int64 `json:"rate_limited"`
	} `json:"http"`
	Gaps  []report.Gap `json:"gaps"`
	Extra struct {
		Window struct {
			SyncDays int     `json:"sync_days"`
			Start    *string `json:"start"`
			End      string  `json:"end"`
		} `json:"window"`
		Source string `json:"source"`
	} `json:"extra"`
}

func readSnap(t *testing.T, path string) snap {
	t.Helper()
	s := snap{path: path, conversations: map[string]convEntry{}, users: map[string]json.RawMessage{}}
	var convs struct{ Conversations []convEntry }
	readJSON(t, filepath.Join(path, "conversations.json"), &convs)
	for _, c := range convs.Conversations {
		id := idOf(t, c.Conversation)
		if _, dup := s.conversations[id]; dup {
			t.Errorf("conversations.json has %s twice", id)
		}
		s.conversations[id] = c
		s.order = append(s.order, id)
	}
	var users struct{ Users []json.RawMessage }
	readJSON(t, filepath.Join(path, "users.json"), &users)
	for _, u := range users.Users {
		id := idOf(t, u)
		if _, dup := s.users[id]; dup {
			t.Errorf("users.json has %s twice", id)
		}
		s.users[id] = u
	}
	readJSON(t, filepath.Join(path, "sync_stats.json"), &s.stats)
	return s
}

func (s snap) messages(t *testing.T, convID string) messagesFile {
	t.Helper()
	var m messagesFile
	readJSON(t, filepath.Join(s.path, "messages_"+convID+".json"), &m)
	return m
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
}

func idOf(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var r struct{ ID string }
	if err := json.Unmarshal(raw, &r); err != nil || r.ID == "" {
		t.Fatalf("record without an id: %s", raw)
	}
	return r.ID
}

// hasGap reports whether the stats list a gap of kind about id.
func (s snap) hasGap(kind, id string) bool {
	for _, g := range s.stats.Gaps {
		if g.Kind == kind && g.ID == id {
			return true
		}
	}
	return false
}

// published lists the entries of DATA_DIR/zendesk_sync other than the
// lock file.
func published(t *testing.T, dataDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dataDir, Folder))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != ".lock" {
			out = append(out, e.Name())
		}
	}
	return out
}
