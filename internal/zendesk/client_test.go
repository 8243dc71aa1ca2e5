package zendesk

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// script answers the n-th request (from 0) with steps[n], and the last
// step for every request after.
type step struct {
	status int
	ct     string
	body   string
	header map[string]string
	delay  time.Duration
}

func serve(t *testing.T, steps ...step) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1) - 1)
		s := steps[min(i, len(steps)-1)]
		if s.delay > 0 {
			select {
			case <-time.After(s.delay):
			case <-r.Context().Done():
				return
			}
		}
		for k, v := range s.header {
			w.Header().Set(k, v)
		}
		ct := s.ct
		if ct == "" {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(max(s.status, 200))
		_, _ = w.Write([]byte(s.body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func newClient(t *testing.T, base string, mod ...func(*Options)) *Client {
	t.Helper()
	opts := Options{
		BaseURL: base, UserAgent: "test/1", Timeout: 2 * time.Second, MaxRetries: 3,
		BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond,
		Auth: APIToken("a@example.com", "tok"), AuthHint: "check ZENDESK_EMAIL and ZENDESK_API_TOKEN",
	}
	for _, m := range mod {
		m(&opts)
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestGetJSONRetries(t *testing.T) {
	ok := step{body: `{"ok":true}`}
	tests := []struct {
		name     string
		steps    []step
		requests int64
		wantErr  string
	}{
		{"500 twice then success", []step{{status: 500}, {status: 500}, ok}, 3, ""},
		{"502 html page", []step{{status: 502, ct: "text/html", body: "<html>bad gateway</html>"}, ok}, 2, ""},
		{"200 html page", []step{{ct: "text/html", body: "<html>sign in</html>"}, ok}, 2, ""},
		{"empty 200 body", []step{{body: ""}, ok}, 2, ""},
		{"invalid json", []step{{body: `{"ok":`}, ok}, 2, ""},
		{"503 with retry-after", []step{{status: 503, header: map[string]string{"Retry-After": "0"}}, ok}, 2, ""},
		{"500 forever", []step{{status: 500, body: `{"error":"boom"}`}}, 4, "giving up after 4 attempts"},
		{"401 not retried", []step{{status: 401, body: `{"error":"Couldn't authenticate you"}`}}, 1,
			"401 Unauthorized: {\"error\":\"Couldn't authenticate you\"}; check ZENDESK_EMAIL"},
		{"404 not retried", []step{{status: 404}}, 1, "404 Not Found"},
		{"400 not retried", []step{{status: 400}}, 1, "400 Bad Request"},
		{"501 not retried", []step{{status: 501}}, 1, "501 Not Implemented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := serve(t, tt.steps...)
			c := newClient(t, srv.URL)
			body, err := c.GetJSON(context.Background(), "/api/v2/x", nil)
			if tt.wantErr == "" && (err != nil || string(body) != `{"ok":true}`) {
				t.Fatalf("GetJSON = %q, %v; want the ok body", body, err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("GetJSON error = %v, want it to contain %q", err, tt.wantErr)
			}
			if got := n.Load(); got != tt.requests {
				t.Errorf("server got %d requests, want %d", got, tt.requests)
			}
			if got := c.Stats().Requests; got != tt.requests {
				t.Errorf("Stats().Requests = %d, want %d", got, tt.requests)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	srv, _ := serve(t, step{status: 429, header: map[string]string{"Retry-After": "1"}}, step{body: `{}`})
	c := newClient(t, srv.URL)
	start := time.Now()
	if _, err := c.GetJSON(context.Background(), "/x", nil); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("retried after %v, want at least the 1s of Retry-After", waited)
	}
	if s := c.Stats(); s.RateLimited != 1 || s.Retries != 1 {
		t.Errorf("Stats() = %+v, want 1 rate limited and 1 retry", s)
	}
}

func TestTimeoutIsRetried(t *testing.T) {
	srv, n := serve(t, step{delay: time.Second, body: `{}`}, step{body: `{"ok":true}`})
	c := newClient(t, srv.URL, func(o *Options) { o.Timeout = 100 * time.Millisecond })
	body, err := c.GetJSON(context.Background(), "/x", nil)
	if err != nil || string(body) != `{"ok":true}` {
		t.Fatalf("GetJSON = %q, %v", body, err)
	}
	if n.Load() != 2 {
		t.Errorf("got %d requests, want 2", n.Load())
	}
}

func TestCancelStopsAtOnce(t *testing.T) {
	srv, _ := serve(t, step{delay: 10 * time.Second, body: `{}`})
	c := newClient(t, srv.URL, func(o *Options) { o.Timeout = time.Minute })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.GetJSON(ctx, "/x", nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("GetJSON error = %v, want context.Canceled", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("cancelled request returned after %v", time.Since(start))
	}
}

func TestAuthAndUserAgent(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	if _, err := c.GetJSON(context.Background(), "/x", nil); err != nil {
		t.Fatal(err)
	}
	if u, p, _ := (&http.Request{Header: got}).BasicAuth(); u != "a@example.com/token" || p != "tok" {
		t.Errorf("basic auth = %q:%q, want a@example.com/token:tok", u, p)
	}
	if ua := got.Get("User-Agent"); ua != "test/1" {
		t.Errorf("User-Agent = %q, want test/1", ua)
	}
}

func TestDownloadRedirectDropsCredentials(t *testing.T) {
	var filesAuth atomic.Value
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		filesAuth.Store(r.Header.Get("Authorization"))
		_, _ = w.Write([]byte("hello"))
	}))
	defer files.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			t.Error("API host got no credentials")
		}
		http.Redirect(w, r, files.URL+"/f?sig=1", http.StatusFound)
	}))
	defer api.Close()
	c := newClient(t, api.URL)
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := c.Download(context.Background(), api.URL+"/hc/article_attachments/1/a.txt", f, 5)
	if err != nil || n != 5 {
		t.Fatalf("Download = %d, %v; want 5, nil", n, err)
	}
	if a := filesAuth.Load(); a != "" {
		t.Errorf("files host got Authorization %q, want none", a)
	}
}

func TestDownloadSizeMismatch(t *testing.T) {
	srv, n := serve(t, step{ct: "text/html", body: "<html>sign in</html>"})
	c := newClient(t, srv.URL)
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = c.Download(context.Background(), srv.URL+"/f", f, 3)
	if err == nil || !strings.Contains(err.Error(), "listed as 3") {
		t.Fatalf("Download error = %v, want a size mismatch", err)
	}
	if n.Load() != 4 {
		t.Errorf("got %d requests, want 4 (retried)", n.Load())
	}
}

func TestConcurrencyBound(t *testing.T) {
	var inflight, peak atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		cur := inflight.Add(1)
		for p := peak.Load(); cur > p && !peak.CompareAndSwap(p, cur); p = peak.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		inflight.Add(-1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := newClient(t, srv.URL, func(o *Options) { o.Shared = NewShared(2) })
	done := make(chan error)
	for range 8 {
		go func() { _, err := c.GetJSON(context.Background(), "/x", nil); done <- err }()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p > 2 {
		t.Errorf("peak requests in flight = %d, want at most 2", p)
	}
}

func TestFollowsRateLimitHeader(t *testing.T) {
	srv, _ := serve(t, step{body: `{}`, header: map[string]string{"X-Rate-Limit": "600"}})
	c := newClient(t, srv.URL)
	if _, err := c.GetJSON(context.Background(), "/x", nil); err != nil {
		t.Fatal(err)
	}
	if got, want := float64(c.limiter.Limit()), 600*0.8/60; got != want {
		t.Errorf("limiter = %v per second, want %v", got, want)
	}
}

func TestNewRejectsBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "acme", "ftp://x", "http://"} {
		if _, err := New(Options{BaseURL: u}); err == nil {
			t.Errorf("New(%q) succeeded, want an error", u)
		}
	}
}

func TestDownloadUnknownSizeIsCapped(t *testing.T) {
	srv, _ := serve(t, step{ct: "application/octet-stream", body: "12345"})
	c := newClient(t, srv.URL, func(o *Options) { o.MaxBody = 4 })
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := c.Download(context.Background(), srv.URL+"/f", f, -1); err == nil ||
		!strings.Contains(err.Error(), "larger than 4 bytes") {
		t.Fatalf("Download error = %v, want the size cap", err)
	}
	if _, err := c.Download(context.Background(), srv.URL+"/f", f, 3); !errors.Is(err, ErrSize) {
		t.Fatalf("Download error = %v, want ErrSize", err)
	}
}
