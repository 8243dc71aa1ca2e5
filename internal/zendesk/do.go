package zendesk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-retry"
	"golang.org/x/time/rate"
)

// maxRetryAfter bounds how long one Retry-After may hold a request.
const maxRetryAfter = 10 * time.Minute

// call is one logical request: the attempts made for it share it.
type call struct {
	url     *url.URL
	path    string        // for logs and errors: no query, no credentials
	limiter *rate.Limiter // an endpoint's own limit, besides the API's
	handle  func(*http.Response) error
}

// retryable marks an attempt's error as worth another attempt, after at
// least wait.
type retryable struct {
	err  error
	wait time.Duration
}

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

// do runs the attempts of cl with a fresh backoff: exponential with
// jitter and a cap, at most MaxRetries retries, each wait at least the
// server's Retry-After.
func (c *Client) do(ctx context.Context, cl *call) error {
	var retryAfter time.Duration
	expo := retry.WithMaxRetries(uint64(max(c.opts.MaxRetries, 0)),
		retry.WithCappedDuration(c.opts.MaxDelay,
			retry.WithJitterPercent(20, retry.NewExponential(c.opts.BaseDelay))))
	backoff := retry.BackoffFunc(func() (time.Duration, bool) {
		next, stop := expo.Next()
		next = max(next, retryAfter)
		retryAfter = 0
		return next, stop
	})

	attempts := 0
	err := retry.Do(ctx, backoff, func(ctx context.Context) error {
		attempts++
		if attempts > 1 {
			c.opts.Shared.retries.Add(1)
		}
		err := c.attempt(ctx, cl)
		var r *retryable
		if err == nil || !errors.As(err, &r) || ctx.Err() != nil {
			return err
		}
		retryAfter = min(r.wait, maxRetryAfter)
		if attempts <= c.opts.MaxRetries {
			c.log.Warn("retrying request", "path", cl.path, "attempt", attempts,
				"retry_after_seconds", retryAfter.Seconds(), "error", r.err.Error())
		}
		return retry.RetryableError(err)
	})
	if err == nil {
		return nil
	}
	if ctxErr := context.Cause(ctx); ctxErr != nil {
		return fmt.Errorf("GET %s: stopped: %w", cl.path, ctxErr)
	}
	var r *retryable
	exhausted := errors.As(err, &r)
	if exhausted {
		err = r.err
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		err = fmt.Errorf("GET %s: %w", cl.path, err)
	}
	if exhausted && attempts > 1 {
		return fmt.Errorf("giving up after %d attempts: %w", attempts, err)
	}
	return err
}

// attempt sends cl once, within the API's pace, the run's budget of
// requests in flight and the per-request timeout.
func (c *Client) attempt(ctx context.Context, cl *call) error {
	if err := c.limiter.Wait(ctx); err != nil {
		return err
	}
	if cl.limiter != nil {
		if err := cl.limiter.Wait(ctx); err != nil {
			return err
		}
	}
	select {
	case c.opts.Shared.inflight <- struct{}{}:
		defer func() { <-c.opts.Shared.inflight }()
	case <-ctx.Done():
		return ctx.Err()
	}

	actx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, cl.url.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", "application/json")
	if c.opts.Auth != nil && cl.url.Host == c.base.Host && cl.url.Scheme == c.base.Scheme {
		if err := c.opts.Auth.Apply(req); err != nil {
			return fmt.Errorf("set credentials: %w", err)
		}
	}

	c.log.Debug("request", "path", cl.path, "query", cl.url.RawQuery)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(ctx, actx, err)
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()
	c.observe(resp)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return c.apiError(req, resp, cl.path)
	}
	if err := cl.handle(resp); err != nil {
		if actx.Err() != nil && ctx.Err() == nil {
			return &retryable{err: fmt.Errorf("no complete answer within %s", c.opts.Timeout)}
		}
		return err
	}
	return nil
}

// transportError classifies an error from sending a request: the run's
// own cancellation is final, everything else (timeouts, resets, refused
// connections) may succeed on another attempt.
func (c *Client) transportError(ctx, actx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	if actx.Err() != nil {
		err = fmt.Errorf("no answer within %s", c.opts.Timeout)
	}
	return &retryable{err: err}
}

// apiError turns a failed answer into an *APIError, retryable for 429 and
// 5xx (501 excepted).
func (c *Client) apiError(req *http.Request, resp *http.Response, path string) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxExcerpt+1))
	e := &APIError{
		Status:     resp.StatusCode,
		Method:     req.Method,
		Path:       path,
		Body:       excerpt(body),
		RequestID:  firstHeader(resp.Header, "X-Request-Id", "X-Zendesk-Request-Id"),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After")),
	}
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		e.Hint = c.opts.AuthHint
	}
	if e.Status == http.StatusTooManyRequests {
		c.opts.Shared.rateLimited.Add(1)
	}
	if !retryableStatus(e.Status) {
		return e
	}
	wait := time.Duration(0)
	if e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable {
		wait = e.RetryAfter
	}
	return &retryable{err: e, wait: wait}
}

// parseRetryAfter reads a Retry-After in seconds or as an HTTP date.
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// observe follows the server's X-Rate-Limit when RATE_LIMIT is 0,
// keeping a fifth of the budget for the account's other integrations.
func (c *Client) observe(resp *http.Response) {
	if !c.follow {
		return
	}
	limit, err := strconv.Atoi(resp.Header.Get("X-Rate-Limit"))
	if err != nil || limit <= 0 {
		return
	}
	perSecond := rate.Limit(float64(limit) * 0.8 / 60)
	if c.limiter.Limit() != perSecond {
		c.limiter.SetLimit(perSecond)
	}
}

func firstHeader(h http.Header, keys ...string) string {
	for _, k := range keys {
		if v := h.Get(k); v != "" {
			return v
		}
	}
	return ""
}

// truncate empties dst for another attempt at a download.
func truncate(dst *os.File) error {
	if _, err := dst.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return dst.Truncate(0)
}
