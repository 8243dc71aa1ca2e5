package convsync

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/zendesk-sync/zendesk-sync/internal/report"
	"github.com/zendesk-sync/zendesk-sync/internal/snapshot"
)

// users writes users.json: each user once, however many conversations it
// is in. Only the ids seen are kept in memory. It is safe for concurrent
// use.
type users struct {
	w      *snapshot.JSONWriter
	report *report.Report

	mu   sync.Mutex
	seen map[string]bool // claimed: fetched, being fetched or missing
}

func newUsers(w *snapshot.JSONWriter, r *report.Report) *users {
	return &users{w: w, report: r, seen: map[string]bool{}}
}

// claim reports whether id is new, and marks it seen.
func (u *users) claim(id string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.seen[id] {
		return false
	}
	u.seen[id] = true
	return true
}

// keep writes a user already fetched, unless it was seen before.
func (u *users) keep(id string, raw json.RawMessage) error {
	if !u.claim(id) {
		return nil
	}
	if err := u.w.Add(raw); err != nil {
		return err
	}
	u.report.Add(countUsers, 1)
	return nil
}

// fetch gets and writes each user of ids not seen yet. A user that
// answers 404 is a gap.
func (u *users) fetch(ctx context.Context, j *job, ids []string) error {
	for _, id := range ids {
		if !u.claim(id) {
			continue
		}
		raw, err := j.sunco.GetUser(ctx, id)
		if err != nil {
			if err := j.gapOr(err, "user", id); err != nil {
				return err
			}
			continue
		}
		if err := u.w.Add(raw); err != nil {
			return err
		}
		u.report.Add(countUsers, 1)
	}
	return nil
}
