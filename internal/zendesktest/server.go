// Package zendesktest is a fake Zendesk: an HTTP server that answers the
// Help Center, Support and Sunshine Conversations endpoints the programs
// use, with the documented paths, envelopes, headers and error bodies, and
// that can inject faults. Tests start it on loopback with Start; the
// zendesk-fake command serves it by hand.
package zendesktest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Credentials the fake accepts unless Options say otherwise.
const (
	Email      = "admin@example.com"
	APIToken   = "fake-token"
	OAuthToken = "fake-oauth-token"
	AppID      = "app_fake"
	KeyID      = "app_fakekey"
	KeySecret  = "fake-secret"
)

// Options configure a Server. The zero value is a fake with default data
// sets, default credentials and no rate limit.
type Options struct {
	// RateLimit is the requests per minute the fake allows per API (Help
	// Center and Support counted separately), announced in X-Rate-Limit
	// headers and enforced with 429 and Retry-After. 0 means no limit.
	RateLimit int
	// Anonymous lets requests without credentials read the Help Center.
	Anonymous bool
	// HelpCenter and Conversations are the data sets served; nil means
	// the default ones.
	HelpCenter    *HelpCenterData
	Conversations *ConversationsData
	// Now is the fake's clock, used for windows and time stamps; nil
	// means time.Now.
	Now func() time.Time
}

// Server is a running fake Zendesk. Its zero value is not usable: build
// one with New, or Start in tests.
type Server struct {
	opts Options
	mux  *http.ServeMux

	// URL is the base URL of the main host (Help Center, Support, and
	// Sunshine Conversations under /sc). FilesURL is the second host that
	// attachment downloads are redirected to.
	URL      string
	FilesURL string

	mu       sync.Mutex
	requests []Request
	faults   []*fault
	limits   map[string]*window
}

// Request is one request the fake received, as recorded.
type Request struct {
	Host   string // "main" or "files"
	Method string
	Path   string
	Query  string
	Header http.Header
}

// New returns a fake with its routes registered, not yet listening. Set
// URL and FilesURL before serving, or use Start.
func New(opts Options) *Server {
	if opts.HelpCenter == nil {
		opts.HelpCenter = DefaultHelpCenter()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Conversations == nil {
		// Dated from the fake's clock, so that its windows agree.
		opts.Conversations = DefaultConversationsAt(opts.Now())
	}
	s := &Server{opts: opts, mux: http.NewServeMux(), limits: map[string]*window{}}
	s.routesHelpCenter()
	s.routesSupport()
	s.routesSunco()
	return s
}

// Start starts a fake on two loopback listeners (the main host and the
// files host) and stops both when the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	main := httptest.NewUnstartedServer(s.Handler())
	files := httptest.NewUnstartedServer(s.FilesHandler())
	// The URLs are set before the first request can read them.
	s.URL = "http://" + main.Listener.Addr().String()
	s.FilesURL = "http://" + files.Listener.Addr().String()
	main.Start()
	files.Start()
	t.Cleanup(func() {
		main.CloseClientConnections()
		files.CloseClientConnections()
		main.Close()
		files.Close()
	})
	return s
}

// Handler serves the main host: recording, faults, rate limits and auth
// run before the routes.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record("main", r)
		if apiOf(r.URL.Path) == "helpcenter" {
			w.Header().Set("X-Zendesk-Origin-Server", originServer)
		}
		if s.injectFault(w, r) || s.rateLimited(w, r) || !s.authorized(w, r) {
			return
		}
		s.mux.ServeHTTP(w, r)
	})
}

// FilesHandler serves the files host that attachment downloads are
// redirected to. It needs no credentials: its links are signed.
func (s *Server) FilesHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record("files", r)
		if s.injectFault(w, r) {
			return
		}
		s.serveFile(w, r)
	})
}

func (s *Server) record(host string, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{
		Host:   host,
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.RawQuery,
		Header: r.Header.Clone(),
	})
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests had a path starting with prefix.
func (s *Server) Count(prefix string) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func (s *Server) now() time.Time { return s.opts.Now() }
