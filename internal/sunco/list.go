package sunco

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/paging"
)

// pageSize is the largest page the cursor listings allow; List Messages
// ignores it and always pages by 100.
const pageSize = 100

// Record is the part of a listed record the sync reads; the record itself
// is kept whole, as sent.
type Record struct {
	ID     string `json:"id"`
	UserID string `json:"userId"` // participants only
}

// Message is one listed message: what the sync reads of it, and Raw, the
// message as the API sent it.
type Message struct {
	ID           string
	Received     time.Time // zero when the API sent none
	AuthorUserID string    // "" for a business author
	Raw          json.RawMessage
}

// ListParticipants walks a conversation's participants, 100 a page, and
// hands each page to fn.
func (c *Client) ListParticipants(ctx context.Context, conversationID string, fn paging.PageFunc) error {
	path := c.conversationPath(conversationID) + "/participants"
	return paging.SunCo(ctx, c.api, path, nil, "participants", paging.Forward, pageSize, fn)
}

// ListUserConversations walks the conversations the user userID (a SunCo
// user id, not an externalId) takes part in, with filter[userId], and
// hands each page to fn. It refuses an empty userID: the API cannot list
// an app's conversations without a user.
func (c *Client) ListUserConversations(ctx context.Context, userID string, fn paging.PageFunc) error {
	if userID == "" {
		return errors.New("list conversations: no user id to filter by")
	}
	q := url.Values{"filter[userId]": {userID}}
	return paging.SunCo(ctx, c.api, c.app+"/conversations", q, "conversations", paging.Forward, pageSize, fn)
}

// ListMessages walks a conversation's messages backwards, newest page
// first, with page[before], and hands fn each page's messages received
// at or after since, in the page's order. It stops after the first page
// whose oldest message is older than since; a zero since walks them all.
func (c *Client) ListMessages(ctx context.Context, conversationID string, since time.Time,
	fn func([]Message) error) error {
	path := c.conversationPath(conversationID) + "/messages"
	return paging.SunCo(ctx, c.api, path, nil, "messages", paging.Backward, 0,
		func(items []json.RawMessage) error {
			page := make([]Message, 0, len(items))
			older := false
			for _, raw := range items {
				m, err := decodeMessage(raw)
				if err != nil {
					return fmt.Errorf("list %s: %w", path, err)
				}
				if !since.IsZero() && !m.Received.IsZero() && m.Received.Before(since) {
					older = true
					continue
				}
				page = append(page, m)
			}
			if err := fn(page); err != nil {
				return err
			}
			if older {
				return paging.ErrStop
			}
			return nil
		})
}

func decodeMessage(raw json.RawMessage) (Message, error) {
	var m struct {
		ID       string `json:"id"`
		Received string `json:"received"`
		Author   struct {
			UserID string `json:"userId"`
		} `json:"author"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return Message{}, fmt.Errorf("decode message: %w", err)
	}
	if m.ID == "" {
		return Message{}, errors.New("decode message: no id")
	}
	out := Message{ID: m.ID, AuthorUserID: m.Author.UserID, Raw: raw}
	if m.Received != "" {
		t, err := time.Parse(time.RFC3339Nano, m.Received)
		if err != nil {
			return Message{}, fmt.Errorf("decode message %s: received %q: %w", m.ID, m.Received, err)
		}
		out.Received = t
	}
	return out, nil
}
