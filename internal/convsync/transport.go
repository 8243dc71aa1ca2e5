package convsync

import (
	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/sunco"
	"github.com/zendesk-sync/zendesk-sync/internal/support"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// clients builds the Sunshine Conversations client and, for the tickets
// source, the Support client: two transports with their own pace that
// share the run's budget of requests in flight and its counters.
func (j *job) clients() error {
	j.shared = zendesk.NewShared(j.cfg.Concurrency)
	auth, err := sunco.Auth(j.cfg.AuthType, j.cfg.KeyID, j.cfg.KeySecret)
	if err != nil {
		return err
	}
	opts := j.transportOptions(j.cfg.SunCoURL)
	opts.Auth = auth
	opts.AuthHint = sunco.AuthHint(j.cfg.AuthType)
	// Sunshine Conversations publishes no limit: it is paced by its
	// answers (429, backed off with jitter), not by RATE_LIMIT.
	opts.RateLimit = 0
	api, err := zendesk.New(opts)
	if err != nil {
		return err
	}
	j.sunco = sunco.New(api, j.cfg.AppID)

	if j.cfg.Source != config.SourceTickets {
		return nil
	}
	api, err = zendesk.New(j.supportOptions())
	if err != nil {
		return err
	}
	j.support = support.New(api, support.Options{
		ExportPerMinute: j.tune.exportPerMinute, LogPerMinute: j.tune.logPerMinute,
	})
	return nil
}

func (j *job) transportOptions(base string) zendesk.Options {
	return zendesk.Options{
		BaseURL:    base,
		UserAgent:  Program + "/" + j.version,
		Timeout:    j.cfg.HTTPTimeout,
		MaxRetries: j.cfg.MaxRetries,
		RateLimit:  j.cfg.RateLimit,
		BaseDelay:  j.tune.baseDelay,
		MaxDelay:   j.tune.maxDelay,
		Shared:     j.shared,
		Logger:     j.log,
	}
}

// supportOptions are the Support API's: an admin's credentials, since
// the incremental export is admin-only.
func (j *job) supportOptions() zendesk.Options {
	opts := j.transportOptions(j.cfg.ZendeskURL)
	switch {
	case j.cfg.APIToken != "":
		opts.Auth = zendesk.APIToken(j.cfg.Email, j.cfg.APIToken)
		opts.AuthHint = "check ZENDESK_EMAIL and ZENDESK_API_TOKEN: they are sent as basic auth " +
			"{email}/token:{api_token}, and must be an admin's email and an active API token " +
			"(the incremental ticket export is for admins only)"
	case j.cfg.OAuthToken != "":
		opts.Auth = zendesk.Bearer(j.cfg.OAuthToken)
		opts.AuthHint = "check ZENDESK_OAUTH_TOKEN: it must be an admin's active token with the " +
			"read scope (the incremental ticket export is for admins only)"
	}
	return opts
}
