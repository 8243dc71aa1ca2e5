package zendesktest

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Fault is one canned answer that replaces the fake's real one.
type Fault struct {
	Status      int           // HTTP status; 0 means 200
	ContentType string        // default application/json; charset=utf-8
	Body        string        // the body sent
	RetryAfter  int           // seconds, sent as Retry-After when > 0
	Header      http.Header   // extra headers
	Delay       time.Duration // wait before answering (or until the client goes away)
	Truncate    bool          // announce a longer Content-Length than sent, then cut the connection
}

type fault struct {
	match  func(*http.Request) bool
	queue  []Fault
	always bool
}

// Inject makes the next requests whose path equals path get the faults
// in order, one per request; after the last, the real answer is served.
func (s *Server) Inject(path string, faults ...Fault) {
	s.InjectFunc(func(r *http.Request) bool { return r.URL.Path == path }, faults...)
}

// InjectPrefix is Inject for every path starting with prefix.
func (s *Server) InjectPrefix(prefix string, faults ...Fault) {
	s.InjectFunc(func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, prefix) }, faults...)
}

// InjectFunc is Inject for every request that match reports true for.
func (s *Server) InjectFunc(match func(*http.Request) bool, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{match: match, queue: faults})
}

// InjectAlways makes every request whose path equals path get f, forever.
func (s *Server) InjectAlways(path string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{
		match:  func(r *http.Request) bool { return r.URL.Path == path },
		queue:  []Fault{f},
		always: true,
	})
}

func (s *Server) nextFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.faults {
		if len(f.queue) == 0 || !f.match(r) {
			continue
		}
		next := f.queue[0]
		if !f.always {
			f.queue = f.queue[1:]
		}
		return next, true
	}
	return Fault{}, false
}

// injectFault answers r with the next matching fault and reports whether
// it did.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	f, ok := s.nextFault(r)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return true
		}
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/json; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	if f.Truncate {
		w.Header().Set("Content-Length", strconv.Itoa(len(f.Body)*2+10))
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(f.Body))
	if f.Truncate {
		if hj, ok := w.(http.Hijacker); ok {
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
	}
	return true
}
