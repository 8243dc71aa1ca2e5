package zendesk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strings"

	"golang.org/x/time/rate"
)

// CallOption changes one request.
type CallOption func(*call)

// Paced makes a request also wait for l: for endpoints with a limit of
// their own, such as the incremental exports.
func Paced(l *rate.Limiter) CallOption { return func(c *call) { c.limiter = l } }

// GetJSON sends GET path?query to the API and returns the body of its
// JSON answer. An answer that is not JSON (an HTML error page, an empty or
// cut body) is retried like a server error; a body over the size cap is
// not.
func (c *Client) GetJSON(ctx context.Context, path string, query url.Values, opts ...CallOption) ([]byte, error) {
	var body []byte
	cl := &call{url: c.resolve(path, query), path: c.base.Path + path}
	cl.handle = func(resp *http.Response) error {
		var err error
		body, err = c.readJSON(resp)
		return err
	}
	for _, o := range opts {
		o(cl)
	}
	if err := c.do(ctx, cl); err != nil {
		return nil, err
	}
	return body, nil
}

func (c *Client) readJSON(resp *http.Response) ([]byte, error) {
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		peek, _ := io.ReadAll(io.LimitReader(resp.Body, 128))
		return nil, &retryable{err: fmt.Errorf("answer %d is %q, not JSON: %s",
			resp.StatusCode, ct, excerpt(peek))}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	if err != nil {
		return nil, &retryable{err: fmt.Errorf("read body: %w", err)}
	}
	if int64(len(body)) > c.opts.MaxBody {
		return nil, fmt.Errorf("body larger than %d bytes", c.opts.MaxBody)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, &retryable{err: fmt.Errorf("empty body with status %d", resp.StatusCode)}
	}
	if !json.Valid(body) {
		return nil, &retryable{err: fmt.Errorf("invalid or cut JSON body (%d bytes)", len(body))}
	}
	return body, nil
}

// ErrSize is wrapped by the error of a download whose length differs
// from the listed size on every attempt.
var ErrSize = errors.New("file length differs from the listed size")

// Download streams the file at rawURL into dst and returns its length.
// Credentials go only to the API's own host; redirects are followed
// without them. When size is not negative, a file of another length is
// retried, then refused with an error wrapping ErrSize; a file of unknown
// size may be at most MaxBody long.
func (c *Client) Download(ctx context.Context, rawURL string, dst *os.File, size int64) (int64, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return 0, fmt.Errorf("parse download url: not an absolute url")
	}
	var n int64
	cl := &call{url: u, path: u.Path}
	if u.Host != c.base.Host {
		cl.path = u.Host + u.Path
	}
	cl.handle = func(resp *http.Response) error {
		if err := truncate(dst); err != nil {
			return fmt.Errorf("reset %s: %w", dst.Name(), err)
		}
		limit := c.opts.MaxBody
		if size >= 0 {
			limit = size
		}
		n, err = io.Copy(dst, io.LimitReader(resp.Body, limit+1))
		var perr *os.PathError
		switch {
		case errors.As(err, &perr) && perr.Path == dst.Name():
			return err // the volume's error: "write /data/...: no space left on device"
		case err != nil:
			return &retryable{err: fmt.Errorf("read file: %w", err)}
		case size >= 0 && n != size:
			return &retryable{err: fmt.Errorf("got %d bytes of a file listed as %d: %w", n, size, ErrSize)}
		case n > limit:
			return fmt.Errorf("file larger than %d bytes", limit)
		}
		return nil
	}
	if err := c.do(ctx, cl); err != nil {
		return 0, err
	}
	return n, nil
}
