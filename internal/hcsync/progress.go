package hcsync

import "sync/atomic"

// progress counts the work done, for the progress lines.
type progress struct {
	articles        atomic.Int64 // listed
	attachmentLists atomic.Int64 // fetched
	files           atomic.Int64 // downloaded
}

// progressAttrs are the figures of a progress line.
func (j *job) progressAttrs() []any {
	s := j.shared.Stats()
	return []any{"phase", "sync", "articles_listed", j.progress.articles.Load(),
		"attachment_lists_done", j.progress.attachmentLists.Load(),
		"attachment_lists_total", j.progress.articles.Load(),
		"files_downloaded", j.progress.files.Load(),
		"requests", s.Requests, "retries", s.Retries}
}
