package support

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/zendesk-sync/zendesk-sync/internal/paging"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// AuditsPath is the audit listing of a ticket.
func AuditsPath(ticketID int64) string {
	return "/api/v2/tickets/" + strconv.FormatInt(ticketID, 10) + "/audits"
}

// ConversationLogPath is the conversation log of a ticket.
func ConversationLogPath(ticketID int64) string {
	return "/api/v2/tickets/" + strconv.FormatInt(ticketID, 10) + "/conversation_log"
}

// ConversationIDs walks a ticket's audits and returns the Sunshine
// Conversations conversation ids their ChatStartedEvents name
// (value.conversation_id), each once, in the order found; none when the
// audits carry no such event.
func (c *Client) ConversationIDs(ctx context.Context, ticketID int64) ([]string, error) {
	var ids []string
	path := AuditsPath(ticketID)
	err := paging.Zendesk(ctx, c.api, path, nil, "audits", func(items []json.RawMessage) error {
		for _, raw := range items {
			var audit struct {
				Events []struct {
					Type  string          `json:"type"`
					Value json.RawMessage `json:"value"`
				} `json:"events"`
			}
			if err := json.Unmarshal(raw, &audit); err != nil {
				return fmt.Errorf("decode audit of %s: %w", path, err)
			}
			for _, e := range audit.Events {
				var v struct {
					ConversationID string `json:"conversation_id"`
				}
				if e.Type != "ChatStartedEvent" || json.Unmarshal(e.Value, &v) != nil {
					continue
				}
				if v.ConversationID != "" && !slices.Contains(ids, v.ConversationID) {
					ids = append(ids, v.ConversationID)
				}
			}
		}
		return nil
	})
	return ids, err
}

// LogUserIDs walks a ticket's conversation log, within that endpoint's
// own limit, and returns the Sunshine Conversations user ids of its end
// users (author type user, author["zen:sunco:user_id"]), each once.
func (c *Client) LogUserIDs(ctx context.Context, ticketID int64) ([]string, error) {
	var ids []string
	path := ConversationLogPath(ticketID)
	err := paging.Zendesk(ctx, c.api, path, nil, "events", func(items []json.RawMessage) error {
		for _, raw := range items {
			var event struct {
				Author struct {
					Type      string `json:"type"`
					SunCoUser string `json:"zen:sunco:user_id"`
				} `json:"author"`
			}
			if err := json.Unmarshal(raw, &event); err != nil {
				return fmt.Errorf("decode event of %s: %w", path, err)
			}
			id := event.Author.SunCoUser
			if event.Author.Type == "user" && id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return nil
	}, zendesk.Paced(c.log))
	return ids, err
}
