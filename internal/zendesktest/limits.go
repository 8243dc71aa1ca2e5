package zendesktest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// window counts the requests of one API in the current minute.
type window struct {
	start time.Time
	used  int
}

// apiOf names the rate-limit bucket of a path: Help Center and Support
// are counted separately, as Zendesk does; Sunshine Conversations
// announces no limit.
func apiOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/api/v2/help_center/"), strings.HasPrefix(path, "/hc/"):
		return "helpcenter"
	case strings.HasPrefix(path, "/api/v2/"):
		return "support"
	}
	return ""
}

// rateLimited sends the X-Rate-Limit headers and, once the minute's
// budget is spent, answers 429 with Retry-After. It reports whether it
// answered.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) bool {
	api := apiOf(r.URL.Path)
	if s.opts.RateLimit <= 0 || api == "" {
		return false
	}
	used, retry := s.take(api)
	remaining := max(s.opts.RateLimit-used, 0)
	over := used > s.opts.RateLimit

	w.Header().Set("X-Rate-Limit", strconv.Itoa(s.opts.RateLimit))
	w.Header().Set("X-Rate-Limit-Remaining", strconv.Itoa(remaining))
	if !over {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(retry))
	writeJSON(w, http.StatusTooManyRequests, `{"error":"APIRateLimitExceeded",`+
		`"description":"Number of allowed API requests per minute exceeded"}`)
	return true
}

// take counts one request against the minute window of key and returns
// the requests counted in it and the seconds until it ends.
func (s *Server) take(key string) (used, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	win := s.limits[key]
	if win == nil || now.Sub(win.start) >= time.Minute {
		win = &window{start: now}
		s.limits[key] = win
	}
	win.used++
	return win.used, int((time.Minute-now.Sub(win.start))/time.Second) + 1
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Request-Id", requestID())
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

var requestSeq atomic.Uint64

// requestID returns a new X-Request-Id, unique within the process, in
// Zendesk's shape (hex, then the data center).
func requestID() string {
	return fmt.Sprintf("%016x-FAKE", splitmix(requestSeq.Add(1)))
}

// Zendesk's documented error bodies.
const (
	bodyUnauthorized = `{"error":"Couldn't authenticate you"}`
	bodyForbidden    = `{"error":{"title":"Forbidden","message":"You do not have access to this page. ` +
		`Please contact the account owner of this help desk for further help."}}`
	bodyNotFound   = `{"error":"InvalidEndpoint","description":"Not found"}`
	bodyRecordLost = `{"error":"RecordNotFound","description":"Not found"}`
)

// suncoError writes Sunshine Conversations' error envelope.
func suncoError(w http.ResponseWriter, status int, code, title string) {
	writeJSON(w, status, `{"errors":[{"code":"`+code+`","title":"`+title+`"}]}`)
}
