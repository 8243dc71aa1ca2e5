package convsync

import "sync/atomic"

// progress counts the work done, for the progress lines.
type progress struct {
	tickets atomic.Int64 // messaging tickets resolved to conversations
	total   atomic.Int64 // conversations found
	done    atomic.Int64 // conversations synced (or found missing)
}

// progressAttrs are the figures of a progress line.
func (j *job) progressAttrs() []any {
	s := j.shared.Stats()
	phase := "find"
	if j.progress.total.Load() > 0 {
		phase = "sync"
	}
	return []any{"phase", phase, "tickets_resolved", j.progress.tickets.Load(),
		"conversations_done", j.progress.done.Load(), "conversations_total", j.progress.total.Load(),
		"requests", s.Requests, "retries", s.Retries}
}
