// Package hcsync is the helpcenter-sync job: every enabled locale's
// categories, sections and articles, every article's attachment list and
// files, streamed into one snapshot that is published whole or not at
// all.
package hcsync

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/helpcenter"
	"github.com/zendesk-sync/zendesk-sync/internal/report"
	"github.com/zendesk-sync/zendesk-sync/internal/snapshot"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// Program names the job in logs, stats and the snapshot folder.
const (
	Program = "helpcenter-sync"
	Folder  = "zendesk_help_center"
)

// tuning holds what tests change and the configuration does not: zero
// fields take the defaults.
type tuning struct {
	baseDelay     time.Duration // first retry backoff; 0 is the transport's
	progressEvery time.Duration // between progress lines; 0 is 10s
}

// job is one run.
type job struct {
	cfg      config.HelpCenter
	log      *slog.Logger
	version  string
	tune     tuning
	shared   *zendesk.Shared
	hc       *helpcenter.Client
	snap     *snapshot.Snapshot
	report   *report.Report
	progress progress
}

// Run backs up the help center cfg names into a new snapshot under
// cfg.DataDir and returns its path. On any error, or when ctx is
// cancelled, nothing is published and earlier snapshots stay as they
// were.
func Run(ctx context.Context, cfg config.HelpCenter, log *slog.Logger, version string) (string, error) {
	return run(ctx, cfg, log, version, tuning{})
}

func run(ctx context.Context, cfg config.HelpCenter, log *slog.Logger, version string,
	tune tuning) (string, error) {
	started := time.Now()
	j := &job{cfg: cfg, log: log, version: version, tune: tune, report: report.New(log)}
	j.logStart()

	j.shared = zendesk.NewShared(cfg.Concurrency)
	api, err := zendesk.New(j.transportOptions())
	if err != nil {
		return "", err
	}
	j.hc = helpcenter.New(api, cfg.ZendeskURL)

	// The lock comes first: a second run must send no request at all.
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

	locales, err := j.locales(ctx)
	if err != nil {
		return "", err
	}

	stop := report.Progress(log, tune.progressEvery, j.progressAttrs)
	locales.Locales, err = j.sync(ctx, locales.Locales)
	stop()
	if err != nil {
		return "", err
	}
	if err := j.writeAll(locales); err != nil {
		return "", err
	}

	finished := time.Now()
	stats := j.report.Stats(Program, version, started, finished, j.shared.Stats())
	path, err := j.snap.Publish(stats)
	if err != nil {
		return "", err
	}
	report.Finished(log, path, stats)
	return path, nil
}

func (j *job) logStart() {
	auth := "anonymous"
	switch {
	case j.cfg.APIToken != "":
		auth = "api_token"
	case j.cfg.OAuthToken != "":
		auth = "oauth"
	}
	j.log.Info("starting", "version", j.version, "zendesk_url", j.cfg.ZendeskURL, "auth", auth,
		"email", j.cfg.Email, "data_dir", j.cfg.DataDir, "keep_snapshots", j.cfg.KeepSnapshots,
		"locales", strings.Join(j.cfg.Locales, ","), "attachments", j.cfg.Attachments,
		"concurrency", j.cfg.Concurrency, "rate_limit", j.cfg.RateLimit,
		"http_timeout", j.cfg.HTTPTimeout.String(), "max_retries", j.cfg.MaxRetries)
}

func (j *job) transportOptions() zendesk.Options {
	opts := zendesk.Options{
		BaseURL:    j.cfg.ZendeskURL,
		UserAgent:  Program + "/" + j.version,
		Timeout:    j.cfg.HTTPTimeout,
		MaxRetries: j.cfg.MaxRetries,
		RateLimit:  j.cfg.RateLimit,
		BaseDelay:  j.tune.baseDelay,
		Shared:     j.shared,
		Logger:     j.log,
		AuthHint: "the help center needs sign-in: set ZENDESK_EMAIL and ZENDESK_API_TOKEN " +
			"(sent as {email}/token basic auth) or ZENDESK_OAUTH_TOKEN",
	}
	switch {
	case j.cfg.APIToken != "":
		opts.Auth = zendesk.APIToken(j.cfg.Email, j.cfg.APIToken)
		opts.AuthHint = "check ZENDESK_EMAIL and ZENDESK_API_TOKEN: they are sent as basic auth " +
			"{email}/token:{api_token}, the email of an agent and an active API token"
	case j.cfg.OAuthToken != "":
		opts.Auth = zendesk.Bearer(j.cfg.OAuthToken)
		opts.AuthHint = "check ZENDESK_OAUTH_TOKEN: it must be active and have the read scope"
	}
	return opts
}

// locales asks for the enabled locales and keeps those HELPCENTER_LOCALES
// names; one it names that is not enabled is a configuration error.
func (j *job) locales(ctx context.Context) (helpcenter.Locales, error) {
	l, err := j.hc.Locales(ctx)
	if err != nil {
		return l, fmt.Errorf("list locales: %w", err)
	}
	if len(j.cfg.Locales) == 0 {
		return l, nil
	}
	var bad []string
	for _, want := range j.cfg.Locales {
		if !slices.Contains(l.Locales, want) {
			bad = append(bad, want)
		}
	}
	if len(bad) > 0 {
		return l, &config.Error{Problems: []string{fmt.Sprintf(
			"HELPCENTER_LOCALES names %s, not enabled in this help center: the enabled locales are %s",
			strings.Join(bad, ", "), strings.Join(l.Locales, ", "))}}
	}
	l.Locales = j.cfg.Locales
	return l, nil
}
