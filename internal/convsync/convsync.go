// Package convsync is the conversations-sync job: it finds the
// conversations to back up (listed ids, listed users' conversations, or
// the messaging tickets of the Support API), then syncs each one, its
// participants, messages and users, into one snapshot that is published
// whole or not at all.
package convsync

import (
	"context"
	"log/slog"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/report"
	"github.com/zendesk-sync/zendesk-sync/internal/snapshot"
	"github.com/zendesk-sync/zendesk-sync/internal/sunco"
	"github.com/zendesk-sync/zendesk-sync/internal/support"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// Program names the job in logs and stats; Folder is its folder under
// DATA_DIR.
const (
	Program = "conversations-sync"
	Folder  = "zendesk_sync"
)

// tuning holds what tests change and the configuration does not: zero
// fields take the transport's and Zendesk's defaults.
type tuning struct {
	baseDelay, maxDelay time.Duration // backoff of retries
	exportPerMinute     int           // pace of the incremental export
	logPerMinute        int           // pace of the conversation log
	progressEvery       time.Duration // between progress lines; 0 is 10s
}

// job is one run.
type job struct {
	cfg      config.Conversations
	log      *slog.Logger
	version  string
	tune     tuning
	since    time.Time // start of the window; zero: no window
	shared   *zendesk.Shared
	sunco    *sunco.Client
	support  *support.Client // nil unless the source is tickets
	snap     *snapshot.Snapshot
	report   *report.Report
	progress progress
	convs    *snapshot.JSONWriter // conversations.json
	users    *users
}

// Run backs up the conversations cfg names into a new snapshot under
// cfg.DataDir and returns its path. Conversations, users and tickets that
// answer 404, and listings whose cursor stalls, are gaps in the stats; a
// 401 or 403 fails the run at once. On any error, or when ctx is
// cancelled, nothing is published and earlier snapshots stay as they
// were.
func Run(ctx context.Context, cfg config.Conversations, log *slog.Logger, version string) (string, error) {
	return run(ctx, cfg, log, version, tuning{})
}

func run(ctx context.Context, cfg config.Conversations, log *slog.Logger, version string,
	tune tuning) (string, error) {
	started := time.Now()
	j := &job{cfg: cfg, log: log, version: version, tune: tune, since: cfg.Window(started),
		report: report.New(log)}
	j.logStart()
	if err := j.clients(); err != nil {
		return "", err
	}

	// The lock comes first: a second run must send no request at all.
	var err error
	j.snap, err = snapshot.Begin(snapshot.Options{
		Root: cfg.DataDir, Program: Folder, Started: started, Keep: cfg.KeepSnapshots, Logger: log,
	})
	if err != nil {
		return "", err
	}
	defer func() {
		if err := j.snap.Close(); err != nil {
			log.Warn("close snapshot", "error", err)
		}
	}()

	// A wrong key or app id fails here, before a long ticket scan.
	if err := j.sunco.Check(ctx); err != nil {
		return "", err
	}

	stop := report.Progress(log, tune.progressEvery, j.progressAttrs)
	err = j.sync(ctx)
	stop()
	if err != nil {
		return "", err
	}

	finished := time.Now()
	stats := j.report.Stats(Program, version, started, finished, j.shared.Stats())
	stats.Extra = j.extra(started)
	path, err := j.snap.Publish(stats)
	if err != nil {
		return "", err
	}
	report.Finished(log, path, stats)
	return path, nil
}

func (j *job) logStart() {
	start := "none"
	if !j.since.IsZero() {
		start = j.since.UTC().Format(time.RFC3339)
	}
	j.log.Info("starting", "version", j.version, "source", string(j.cfg.Source),
		"sunco_url", j.cfg.SunCoURL, "app_id", j.cfg.AppID, "key_id", j.cfg.KeyID,
		"auth_type", j.cfg.AuthType, "zendesk_url", j.cfg.ZendeskURL, "email", j.cfg.Email,
		"sync_days", j.cfg.SyncDays, "window_start", start,
		"conversation_ids", len(j.cfg.ConversationIDs), "user_ids", len(j.cfg.UserIDs),
		"data_dir", j.cfg.DataDir, "keep_snapshots", j.cfg.KeepSnapshots,
		"concurrency", j.cfg.Concurrency, "rate_limit", j.cfg.RateLimit,
		"http_timeout", j.cfg.HTTPTimeout.String(), "max_retries", j.cfg.MaxRetries)
}

// extra is what sync_stats.json tells besides the common figures: the
// window and the source of the conversations.
func (j *job) extra(started time.Time) map[string]any {
	var start any
	if !j.since.IsZero() {
		start = j.since.UTC().Format(time.RFC3339)
	}
	return map[string]any{
		"window": map[string]any{"sync_days": j.cfg.SyncDays, "start": start,
			"end": started.UTC().Format(time.RFC3339)},
		"source": string(j.cfg.Source),
	}
}
