package convsync

import (
	"context"
	"net/http"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/zendesk-sync/zendesk-sync/internal/report"
	"github.com/zendesk-sync/zendesk-sync/internal/support"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// findByTickets walks the incremental ticket export and, while it is
// walked, resolves each messaging ticket changed in the window to its
// conversations, CONCURRENCY tickets at a time.
func (j *job) findByTickets(ctx context.Context, idx *index) error {
	g, ctx := errgroup.WithContext(ctx)
	queue := make(chan int64, 256)
	g.Go(func() error {
		defer close(queue)
		return j.exportTickets(ctx, queue)
	})
	byUser := &userConvs{m: map[string][]string{}}
	for range j.cfg.Concurrency {
		g.Go(func() error {
			for id := range queue {
				if err := j.resolveTicket(ctx, id, idx, byUser); err != nil {
					return err
				}
				j.progress.tickets.Add(1)
			}
			return nil
		})
	}
	return g.Wait()
}

// exportTickets queues the messaging tickets changed in the window, each
// once. A stalled export cursor ends the scan with a gap.
func (j *job) exportTickets(ctx context.Context, queue chan<- int64) error {
	seen := map[int64]bool{}
	err := j.support.ExportTickets(ctx, j.since, func(page []support.Ticket) error {
		for _, t := range page {
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			j.report.Add(countTicket, 1)
			if !t.FromMessagingChannel || !j.since.IsZero() && t.UpdatedAt.Before(j.since) {
				continue
			}
			j.report.Add(countMsgTkt, 1)
			select {
			case queue <- t.ID:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	return j.gapOr(err, "ticket_export", "")
}

// resolveTicket adds the conversations of one messaging ticket: the one
// its audits' ChatStartedEvent names or, failing that, those of the end
// user its conversation log names. A ticket found by neither is a gap.
func (j *job) resolveTicket(ctx context.Context, ticket int64, idx *index, byUser *userConvs) error {
	id := strconv.FormatInt(ticket, 10)
	convs, err := j.support.ConversationIDs(ctx, ticket)
	if zendesk.HasStatus(err, http.StatusNotFound) {
		return j.gapOr(err, "ticket", id)
	}
	if err := j.gapOr(err, "ticket_audits", id); err != nil {
		return err
	}
	for _, c := range convs {
		idx.add(c, fromAudits, ticket)
	}
	if len(convs) > 0 {
		return nil
	}

	users, err := j.support.LogUserIDs(ctx, ticket)
	if zendesk.HasStatus(err, http.StatusNotFound) {
		return j.gapOr(err, "ticket", id)
	}
	if err := j.gapOr(err, "ticket_conversation_log", id); err != nil {
		return err
	}
	for _, u := range users {
		ids, err := byUser.get(ctx, j, u)
		if err != nil && !zendesk.HasStatus(err, http.StatusNotFound) {
			return err
		}
		for _, c := range ids {
			idx.add(c, fromLog, ticket)
		}
		convs = append(convs, ids...)
	}
	if len(convs) == 0 {
		j.report.Gap(report.Gap{Kind: "ticket", ID: id, Endpoint: support.ConversationLogPath(ticket),
			Reason: "no conversation found: the audits have no ChatStartedEvent and the " +
				"conversation log names no Sunshine Conversations user with conversations"})
	}
	return nil
}

// userConvs remembers the conversations of the users that conversation
// logs name, since one user may have many tickets.
type userConvs struct {
	mu sync.Mutex
	m  map[string][]string
}

func (u *userConvs) get(ctx context.Context, j *job, userID string) ([]string, error) {
	u.mu.Lock()
	ids, ok := u.m[userID]
	u.mu.Unlock()
	if ok {
		return ids, nil
	}
	ids, err := j.userConversations(ctx, userID)
	if err != nil {
		return nil, err
	}
	u.mu.Lock()
	u.m[userID] = ids
	u.mu.Unlock()
	return ids, nil
}
