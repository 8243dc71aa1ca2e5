// Package report keeps what a run tells about itself in sync_stats.json:
// the counts, the request figures and the gaps, the things the run could
// not back up.
package report

import (
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// Gap is one thing a run could not back up.
type Gap struct {
	Kind     string `json:"kind"`
	ID       string `json:"id,omitempty"`
	Endpoint string `json:"endpoint,omitempty"`
	Reason   string `json:"reason"`
}

// Report gathers a run's counts and gaps. It is safe for concurrent use.
type Report struct {
	log    *slog.Logger
	mu     sync.Mutex
	gaps   []Gap
	counts map[string]*atomic.Int64
}

// New returns an empty report that logs each gap to log as a warning.
func New(log *slog.Logger) *Report {
	return &Report{log: log, counts: map[string]*atomic.Int64{}}
}

// Gap records g and logs it.
func (r *Report) Gap(g Gap) {
	r.log.Warn("gap", "kind", g.Kind, "id", g.ID, "endpoint", g.Endpoint, "reason", g.Reason)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gaps = append(r.gaps, g)
}

// Add adds n to the count of kind.
func (r *Report) Add(kind string, n int64) {
	r.counter(kind).Add(n)
}

// Count returns the count of kind.
func (r *Report) Count(kind string) int64 { return r.counter(kind).Load() }

func (r *Report) counter(kind string) *atomic.Int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.counts[kind]
	if !ok {
		c = new(atomic.Int64)
		r.counts[kind] = c
	}
	return c
}

// Stats is the content of sync_stats.json.
type Stats struct {
	Status          string           `json:"status"`
	Program         string           `json:"program"`
	Version         string           `json:"version"`
	StartedAt       time.Time        `json:"started_at"`
	FinishedAt      time.Time        `json:"finished_at"`
	DurationSeconds float64          `json:"duration_seconds"`
	Counts          map[string]int64 `json:"counts"`
	HTTP            zendesk.Stats    `json:"http"`
	Gaps            []Gap            `json:"gaps"`
	// Extra holds what one program adds, such as its sync window.
	Extra map[string]any `json:"extra,omitempty"`
}

// Stats returns the figures of a complete run that started at started.
func (r *Report) Stats(program, version string, started, finished time.Time, http zendesk.Stats) Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	counts := make(map[string]int64, len(r.counts))
	for k, c := range r.counts {
		counts[k] = c.Load()
	}
	gaps := append([]Gap{}, r.gaps...)
	sort.SliceStable(gaps, func(i, j int) bool {
		return gaps[i].Kind+gaps[i].ID+gaps[i].Endpoint < gaps[j].Kind+gaps[j].ID+gaps[j].Endpoint
	})
	return Stats{
		Status:          "complete",
		Program:         program,
		Version:         version,
		StartedAt:       started.UTC(),
		FinishedAt:      finished.UTC(),
		DurationSeconds: finished.Sub(started).Seconds(),
		Counts:          counts,
		HTTP:            http,
		Gaps:            gaps,
	}
}
