package report

import (
	"log/slog"
	"time"
)

// Progress logs a progress line, with the attributes attrs returns, every
// interval (0 means ten seconds) until the returned function is called.
func Progress(log *slog.Logger, interval time.Duration, attrs func() []any) (stop func()) {
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
				log.Info("progress", attrs()...)
			}
		}
	}()
	return func() { close(done); <-stopped }
}

// Finished logs a run's last line: the snapshot it published and its
// figures.
func Finished(log *slog.Logger, path string, s Stats) {
	log.Info("finished", "snapshot", path, "duration_seconds", s.DurationSeconds,
		"counts", s.Counts, "gaps", len(s.Gaps), "requests", s.HTTP.Requests,
		"retries", s.HTTP.Retries, "rate_limited", s.HTTP.RateLimited)
}
