package hcsync

import (
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// progress counts the work done, for the progress lines.
type progress struct {
	articles        atomic.Int64 // listed
	attachmentLists atomic.Int64 // fetched
	files           atomic.Int64 // downloaded
}

// report logs a progress line every interval until the returned function
// is called.
func (p *progress) report(log *slog.Logger, shared *zendesk.Shared, interval time.Duration) func() {
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
				log.Info("progress", "phase", "sync", "articles_listed", p.articles.Load(),
					"attachment_lists_done", p.attachmentLists.Load(),
					"attachment_lists_total", p.articles.Load(),
					"files_downloaded", p.files.Load(),
					"requests", s.Requests, "retries", s.Retries)
			}
		}
	}()
	return func() { close(done); <-stopped }
}
