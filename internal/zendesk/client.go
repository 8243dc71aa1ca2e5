// Package zendesk is the one HTTP transport to the Zendesk APIs: it sets
// credentials and the User-Agent, bounds each request in time, retries
// what may succeed when sent again, paces requests to the API's limits,
// checks content types and sizes before anything is decoded, and turns
// every failed answer into an *APIError.
package zendesk

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Options configure a Client.
type Options struct {
	BaseURL    string        // scheme and host, and a path prefix if any (SunCo's /sc)
	Auth       Auth          // nil sends no credentials
	AuthHint   string        // what to check when the API answers 401 or 403
	UserAgent  string        // e.g. "helpcenter-sync/1.2.3"
	Timeout    time.Duration // per attempt, reading the body included
	MaxRetries int           // retries of one request after the first attempt
	RateLimit  int           // requests per minute; 0 follows X-Rate-Limit
	MaxBody    int64         // cap on a JSON body; 0 means 64 MiB
	BaseDelay  time.Duration // first backoff; 0 means one second
	MaxDelay   time.Duration // backoff cap; 0 means one minute

	// Shared, when set, is the budget of requests in flight and the
	// request counters this client shares with the run's other clients.
	Shared *Shared
	Logger *slog.Logger
	// HTTPClient's Transport, when set, carries the requests; by default
	// a transport that honours HTTPS_PROXY and NO_PROXY.
	HTTPClient *http.Client
}

// Shared is what the clients of one run share: a bound on requests in
// flight and the counts written to sync_stats.json.
type Shared struct {
	inflight    chan struct{}
	requests    atomic.Int64
	retries     atomic.Int64
	rateLimited atomic.Int64
}

// NewShared returns a budget of concurrency requests in flight.
func NewShared(concurrency int) *Shared {
	return &Shared{inflight: make(chan struct{}, max(concurrency, 1))}
}

// Stats are the request counters of a run.
type Stats struct {
	Requests    int64 `json:"requests"`
	Retries     int64 `json:"retries"`
	RateLimited int64 `json:"rate_limited"`
}

// Stats returns the counts so far.
func (s *Shared) Stats() Stats {
	return Stats{Requests: s.requests.Load(), Retries: s.retries.Load(), RateLimited: s.rateLimited.Load()}
}

// Client sends requests to one Zendesk API. It is safe for concurrent use.
type Client struct {
	opts    Options
	base    *url.URL
	http    *http.Client
	limiter *rate.Limiter // paces every request of this API
	follow  bool          // limiter follows the server's X-Rate-Limit
	log     *slog.Logger
}

// New returns a client of the API at opts.BaseURL.
func New(opts Options) (*Client, error) {
	base, err := url.Parse(strings.TrimRight(opts.BaseURL, "/"))
	if err != nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("parse base url %q: want http(s)://host[/path]", opts.BaseURL)
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = 64 << 20
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = time.Second
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = time.Minute
	}
	if opts.Shared == nil {
		opts.Shared = NewShared(4)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{opts: opts, base: base, log: opts.Logger}
	var next http.RoundTripper = http.DefaultTransport.(*http.Transport).Clone()
	if opts.HTTPClient != nil && opts.HTTPClient.Transport != nil {
		next = opts.HTTPClient.Transport
	}
	c.http = &http.Client{
		Transport:     counting{next: next, shared: opts.Shared},
		CheckRedirect: c.checkRedirect,
	}
	c.limiter = rate.NewLimiter(rate.Inf, 1)
	if opts.RateLimit > 0 {
		c.limiter = NewLimiter(opts.RateLimit)
	} else {
		c.follow = true
	}
	return c, nil
}

// NewLimiter paces to perMinute requests a minute, in an even stream.
func NewLimiter(perMinute int) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(float64(perMinute)/60), 1)
}

// Stats returns the counts of the requests this client's run has sent.
func (c *Client) Stats() Stats { return c.opts.Shared.Stats() }

// counting counts every request sent, redirects followed included.
type counting struct {
	next   http.RoundTripper
	shared *Shared
}

func (t counting) RoundTrip(r *http.Request) (*http.Response, error) {
	t.shared.requests.Add(1)
	return t.next.RoundTrip(r)
}

// checkRedirect follows up to ten redirects and never carries
// credentials to another host than the API's own (port included).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Host != c.base.Host || req.URL.Scheme != c.base.Scheme {
		req.Header.Del("Authorization")
	}
	return nil
}

// resolve turns an API path and query into a URL under the base.
func (c *Client) resolve(path string, query url.Values) *url.URL {
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	return &u
}
