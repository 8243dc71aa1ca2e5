package convsync

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/zendesk-sync/zendesk-sync/internal/snapshot"
	"github.com/zendesk-sync/zendesk-sync/internal/sunco"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// syncConversation backs up one conversation: its messages file, its
// entry in conversations.json, then the users in it not fetched yet. A
// conversation that answers 404 is a gap and leaves nothing behind.
func (j *job) syncConversation(ctx context.Context, id string, f *found) error {
	defer j.progress.done.Add(1)
	conv, err := j.sunco.GetConversation(ctx, id)
	if err != nil {
		return j.gapOr(err, "conversation", id)
	}
	participants, members, err := j.participants(ctx, id)
	if zendesk.HasStatus(err, http.StatusNotFound) {
		return j.gapOr(err, "conversation", id)
	}
	if err := j.gapOr(err, "participants", id); err != nil {
		return err
	}
	messages, err := j.messages(ctx, id)
	if zendesk.HasStatus(err, http.StatusNotFound) {
		return j.gapOr(err, "conversation", id)
	}
	if err := j.gapOr(err, "messages", id); err != nil {
		return err
	}

	if err := j.writeMessages(id, messages); err != nil {
		return err
	}
	if err := j.convs.Add(entry(conv, participants, f.tickets)); err != nil {
		return err
	}
	j.report.Add(countTotal, 1)
	j.report.Add(f.source, 1)
	j.report.Add(countMsgs, int64(len(messages)))

	for _, m := range messages {
		if m.AuthorUserID != "" && !slices.Contains(members, m.AuthorUserID) {
			members = append(members, m.AuthorUserID)
		}
	}
	return j.users.fetch(ctx, j, members)
}

// participants lists a conversation's participants, each once, and the
// ids of their users.
func (j *job) participants(ctx context.Context, id string) ([]json.RawMessage, []string, error) {
	var out []json.RawMessage
	var users []string
	seen := map[string]bool{}
	err := j.sunco.ListParticipants(ctx, id, func(items []json.RawMessage) error {
		for _, raw := range items {
			var p sunco.Record
			if err := json.Unmarshal(raw, &p); err != nil {
				return err
			}
			if p.ID != "" && seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			out = append(out, raw)
			if p.UserID != "" && !slices.Contains(users, p.UserID) {
				users = append(users, p.UserID)
			}
		}
		return nil
	})
	return out, users, err
}

// messages lists a conversation's messages in the window, oldest first,
// each once. Pages come newest first: they are put back in time order,
// and sorted by received, stably so that a page's own order is kept
// among messages received at the same instant.
func (j *job) messages(ctx context.Context, id string) ([]sunco.Message, error) {
	var pages [][]sunco.Message
	err := j.sunco.ListMessages(ctx, id, j.since, func(page []sunco.Message) error {
		pages = append(pages, page)
		return nil
	})
	var all []sunco.Message
	for _, page := range slices.Backward(pages) {
		all = append(all, page...)
	}
	slices.SortStableFunc(all, func(a, b sunco.Message) int { return a.Received.Compare(b.Received) })
	seen := make(map[string]bool, len(all))
	out := all[:0]
	for _, m := range all {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, m)
		}
	}
	return out, err
}

// writeMessages writes messages_<id>.json.
func (j *job) writeMessages(id string, messages []sunco.Message) error {
	w, err := j.snap.JSON("messages_" + snapshot.SafeName(id) + ".json")
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Field("conversation_id", quote(id)); err != nil {
		return err
	}
	if err := w.BeginList("messages"); err != nil {
		return err
	}
	for _, m := range messages {
		if err := w.Add(m.Raw); err != nil {
			return err
		}
	}
	return w.Close()
}

// entry is a conversation's item in conversations.json, composed from
// the bytes received: {"conversation":...,"participants":[...],
// "ticket_ids":[...]}.
func entry(conv json.RawMessage, participants []json.RawMessage, tickets []int64) []byte {
	var b bytes.Buffer
	b.WriteString(`{"conversation":`)
	b.Write(conv)
	b.WriteString(`,"participants":[`)
	for i, p := range participants {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(p)
	}
	b.WriteString(`],"ticket_ids":[`)
	for i, t := range slices.Sorted(slices.Values(tickets)) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(t, 10))
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// quote encodes s as a JSON string, leaving <, > and & as they are.
func quote(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
