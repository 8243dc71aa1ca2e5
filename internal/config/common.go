package config

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// CommonEnv holds the variables both programs read, as written. Every
// field is a string so that a bad value is reported with all the others
// rather than alone.
type CommonEnv struct {
	DataDir           string `envconfig:"DATA_DIR" default:"/data" desc:"root of the snapshot volume"`
	KeepSnapshots     string `envconfig:"KEEP_SNAPSHOTS" default:"30" desc:"complete snapshots to keep; 0 keeps all"`
	LogLevel          string `envconfig:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	LogFormat         string `envconfig:"LOG_FORMAT" default:"json" desc:"json (one object per line on stdout) or text"`
	HTTPTimeout       string `envconfig:"HTTP_TIMEOUT" default:"30s" desc:"time limit of one request"`
	MaxRetries        string `envconfig:"MAX_RETRIES" default:"8" desc:"retries of one request on 429, 5xx, timeouts and connection errors"`
	Concurrency       string `envconfig:"CONCURRENCY" default:"4" desc:"requests in flight at once"`
	RateLimit         string `envconfig:"RATE_LIMIT" default:"0" desc:"requests per minute to each Zendesk API; 0 follows the X-Rate-Limit headers"`
	ZendeskSubdomain  string `envconfig:"ZENDESK_SUBDOMAIN" desc:"acme for https://acme.zendesk.com"`
	ZendeskBaseURL    string `envconfig:"ZENDESK_BASE_URL" desc:"overrides the URL built from the subdomain (tests, proxies)"`
	ZendeskEmail      string `envconfig:"ZENDESK_EMAIL" desc:"agent or admin email, for API token auth"`
	ZendeskAPIToken   string `envconfig:"ZENDESK_API_TOKEN" desc:"API token (secret), sent as {email}/token basic auth"`
	ZendeskOAuthToken string `envconfig:"ZENDESK_OAUTH_TOKEN" desc:"OAuth bearer token (secret), instead of email and API token"`
}

// Common is the checked configuration both programs share.
type Common struct {
	DataDir       string
	KeepSnapshots int
	LogLevel      string
	LogFormat     string
	HTTPTimeout   time.Duration
	MaxRetries    int
	Concurrency   int
	RateLimit     int

	// ZendeskURL is the base of the Help Center and Support APIs, without
	// a trailing slash; empty when neither a subdomain nor a base URL is
	// set. Subdomain is the normalised subdomain, if one was given.
	ZendeskURL string
	Subdomain  string
	Email      string
	APIToken   string
	OAuthToken string
}

// HasZendeskAuth reports whether Zendesk credentials were given.
func (c Common) HasZendeskAuth() bool { return c.APIToken != "" || c.OAuthToken != "" }

// Secrets returns the secret values, for the logger to redact.
func (c Common) Secrets() []string { return []string{c.APIToken, c.OAuthToken} }

func (e CommonEnv) check(p *problems) Common {
	c := Common{
		DataDir:       e.DataDir,
		KeepSnapshots: intVar(p, "KEEP_SNAPSHOTS", e.KeepSnapshots, 0, 100000),
		LogLevel:      oneOf(p, "LOG_LEVEL", e.LogLevel, "debug", "info", "warn", "error"),
		LogFormat:     oneOf(p, "LOG_FORMAT", e.LogFormat, "json", "text"),
		HTTPTimeout:   durationVar(p, "HTTP_TIMEOUT", e.HTTPTimeout),
		MaxRetries:    intVar(p, "MAX_RETRIES", e.MaxRetries, 0, 100),
		Concurrency:   intVar(p, "CONCURRENCY", e.Concurrency, 1, 64),
		RateLimit:     intVar(p, "RATE_LIMIT", e.RateLimit, 0, 100000),
		Email:         strings.TrimSpace(e.ZendeskEmail),
		APIToken:      e.ZendeskAPIToken,
		OAuthToken:    e.ZendeskOAuthToken,
	}
	if strings.TrimSpace(c.DataDir) == "" {
		p.addf("DATA_DIR is empty: want the path of the snapshot volume, e.g. /data")
	}
	c.Subdomain = subdomainVar(p, e.ZendeskSubdomain)
	c.ZendeskURL = baseURLVar(p, "ZENDESK_BASE_URL", e.ZendeskBaseURL)
	if c.ZendeskURL == "" && c.Subdomain != "" {
		c.ZendeskURL = "https://" + c.Subdomain + ".zendesk.com"
	}
	switch {
	case c.Email != "" && c.APIToken == "" && c.OAuthToken == "":
		p.addf("ZENDESK_API_TOKEN is missing: ZENDESK_EMAIL is set, and API token auth needs both")
	case c.Email == "" && c.APIToken != "":
		p.addf("ZENDESK_EMAIL is missing: ZENDESK_API_TOKEN is set, and API token auth needs both")
	case c.APIToken != "" && c.OAuthToken != "":
		p.addf("ZENDESK_OAUTH_TOKEN and ZENDESK_API_TOKEN are both set: choose one")
	}
	return c
}

var subdomainRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// subdomainVar accepts "acme", "acme.zendesk.com" or
// "https://acme.zendesk.com/" and returns "acme".
func subdomainVar(p *problems, v string) string {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "" {
		return ""
	}
	if u, err := url.Parse(s); err == nil && u.Host != "" {
		if u.Path != "" && u.Path != "/" {
			s = "" // a path means it is not just a Zendesk address
		} else {
			s = u.Host
		}
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".zendesk.com")
	if !subdomainRE.MatchString(s) {
		p.addf("ZENDESK_SUBDOMAIN %q is not a Zendesk subdomain: want the name before .zendesk.com, "+
			"e.g. acme for https://acme.zendesk.com (use ZENDESK_BASE_URL for other hosts)", v)
		return ""
	}
	return s
}

// baseURLVar accepts an http or https URL with a host and returns it
// without a trailing slash.
func baseURLVar(p *problems, name, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		p.addf("%s %q is not a base URL: want http(s)://host[:port][/path], without credentials or query", name, v)
		return ""
	}
	return strings.TrimRight(u.String(), "/")
}

func intVar(p *problems, name, v string, lo, hi int) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		p.addf("%s %q is not valid: want a whole number from %d to %d", name, v, lo, hi)
	}
	return n
}

func durationVar(p *problems, name, v string) time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d <= 0 {
		p.addf("%s %q is not valid: want a positive duration such as 30s or 2m", name, v)
	}
	return d
}

func boolVar(p *problems, name, v string) bool {
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		p.addf("%s %q is not valid: want true or false", name, v)
	}
	return b
}

func oneOf(p *problems, name, v string, allowed ...string) string {
	s := strings.ToLower(strings.TrimSpace(v))
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.addf("%s %q is not valid: want one of %s", name, v, strings.Join(allowed, ", "))
	return s
}

// list splits a comma-separated value, dropping empty elements.
func list(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func missing(p *problems, name, v, why string) {
	if strings.TrimSpace(v) == "" {
		p.addf("%s is missing: %s", name, why)
	}
}
