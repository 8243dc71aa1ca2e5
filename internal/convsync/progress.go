package convsync

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// progress counts the work done, for the progress lines.
type progress struct {
	tickets atomic.Int64 // messaging tickets resolved to conversations
	total   atomic.Int64 // conversations found
	done    atomic.Int64 // conversations synced (or found missing)
}

// report logs a progress line every interval (0: 10 seconds) until the
// returned function is called.
func (p *progress) report(log *slog.Logger, shared *zendesk.Shared, interval time.Duration) func() {
	if interval <= 0 {
		interval = 10 * time.Second
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				s := shared.Stats()
				phase := "find"
				if p.total.Load() > 0 {
					phase = "sync"
				}
				log.Info("progress", "phase", phase, "tickets_resolved", p.tickets.Load(),
					"conversations_done", p.done.Load(), "conversations_total", p.total.Load(),
					"requests", s.Requests, "retries", s.Retries)
			}
		}
	}()
	return func() { close(done); <-stopped }
}
