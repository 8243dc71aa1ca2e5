package convsync

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/sunco"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// How a conversation was found: the count keys of sync_stats.json.
const (
	fromIDs     = "conversations_from_ids"
	fromUsers   = "conversations_from_users"
	fromAudits  = "conversations_from_audits"
	fromLog     = "conversations_from_conversation_log"
	countTotal  = "conversations"
	countMsgs   = "messages"
	countUsers  = "users"
	countTicket = "tickets_scanned"
	countMsgTkt = "messaging_tickets"
)

// found is what the index knows of one conversation to sync.
type found struct {
	tickets []int64 // the tickets naming it, if found through tickets
	source  string  // one of the from* keys
}

// index is the set of conversations to sync, by id: only ids, so that
// memory does not grow with the conversations' content. It is safe for
// concurrent use.
type index struct {
	mu sync.Mutex
	m  map[string]*found
}

func newIndex() *index { return &index{m: map[string]*found{}} }

// add records conversation id as found by source, through ticket when
// not 0. Audits win over the conversation log as the source.
func (x *index) add(id, source string, ticket int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	f := x.m[id]
	if f == nil {
		f = &found{source: source}
		x.m[id] = f
	}
	if source == fromAudits {
		f.source = fromAudits
	}
	if ticket != 0 && !slices.Contains(f.tickets, ticket) {
		f.tickets = append(f.tickets, ticket)
	}
}

// ids returns the conversation ids in order.
func (x *index) ids() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	ids := make([]string, 0, len(x.m))
	for id := range x.m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (x *index) get(id string) *found {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.m[id]
}

// find builds the index from the configured source.
func (j *job) find(ctx context.Context) (*index, error) {
	idx := newIndex()
	var err error
	switch j.cfg.Source {
	case config.SourceConversationIDs:
		for _, id := range j.cfg.ConversationIDs {
			idx.add(id, fromIDs, 0)
		}
	case config.SourceUserIDs:
		err = j.findByUsers(ctx, idx)
	case config.SourceTickets:
		err = j.findByTickets(ctx, idx)
	default:
		err = fmt.Errorf("find conversations: unknown source %q", j.cfg.Source)
	}
	return idx, err
}

// findByUsers looks each listed user up, CONCURRENCY at a time, keeps it
// for users.json and adds its conversations. A user that answers 404 is
// a gap.
func (j *job) findByUsers(ctx context.Context, idx *index) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(j.cfg.Concurrency)
	for _, ref := range slices.Compact(slices.Sorted(slices.Values(j.cfg.UserIDs))) {
		g.Go(func() error {
			raw, err := j.sunco.GetUser(ctx, ref)
			if err != nil {
				return j.gapOr(err, "user", ref)
			}
			var u sunco.Record
			if err := json.Unmarshal(raw, &u); err != nil || u.ID == "" {
				return fmt.Errorf("decode user %s: no id", ref)
			}
			if err := j.users.keep(u.ID, raw); err != nil {
				return err
			}
			ids, err := j.userConversations(ctx, u.ID)
			if err != nil {
				return j.gapOr(err, "user", ref)
			}
			for _, id := range ids {
				idx.add(id, fromUsers, 0)
			}
			return nil
		})
	}
	return g.Wait()
}

// userConversations returns the ids of the conversations of the user
// userID. A stalled listing is a gap and yields what it listed.
func (j *job) userConversations(ctx context.Context, userID string) ([]string, error) {
	var ids []string
	err := j.sunco.ListUserConversations(ctx, userID, func(items []json.RawMessage) error {
		for _, raw := range items {
			var c sunco.Record
			if err := json.Unmarshal(raw, &c); err != nil || c.ID == "" {
				return fmt.Errorf("list conversations of user %s: conversation without an id", userID)
			}
			ids = append(ids, c.ID)
		}
		return nil
	})
	if zendesk.HasStatus(err, http.StatusNotFound) {
		return nil, err
	}
	return ids, j.gapOr(err, "user_conversations", userID)
}
