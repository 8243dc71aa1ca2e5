package zendesktest

import (
	"encoding/json"
	"strconv"
	"strings"
)

func (b *convBuilder) ticketJSON(t *ticket, s ticketSpec) json.RawMessage {
	id := strconv.FormatInt(t.id, 10)
	tags := []any{"vip"}
	if s.messaging {
		tags = []any{"messaging", "zopim_chat"}
	}
	if s.status == "" {
		s.status = "open"
	}
	return b.json(map[string]any{
		"url": "https://example.zendesk.com/api/v2/tickets/" + id + ".json",
		"id":  json.Number(id), "external_id": nil,
		"via": map[string]any{"channel": s.channel, "source": map[string]any{
			"from": map[string]any{}, "to": map[string]any{}, "rel": nil}},
		"created_at": zendeskTS(t.created), "updated_at": zendeskTS(t.updated),
		"generated_timestamp": t.updated.Unix(),
		"type":                nil, "subject": s.subject, "raw_subject": s.subject,
		"description": s.subject, "priority": nil, "status": s.status,
		"requester_id": b.bigID(), "submitter_id": b.bigID(), "assignee_id": agentID,
		"organization_id": nil, "group_id": json.Number("360001234567"),
		"collaborator_ids": []any{}, "follower_ids": []any{}, "is_public": true,
		"tags": tags, "custom_fields": []any{map[string]any{"id": b.bigID(), "value": "ja & ar"}},
		"satisfaction_rating": nil, "brand_id": json.Number("360000123456"),
		"from_messaging_channel": s.messaging, "allow_attachments": true,
	})
}

// audits makes a ticket's audits: a create audit with the
// ChatStartedEvent of its conversation (in the second audit when
// chatLate), then status and comment audits.
func (b *convBuilder) audits(t *ticket, s ticketSpec) []json.RawMessage {
	chat := map[string]any{}
	if s.conv != nil {
		channel := s.channel
		if channel == "native_messaging" {
			channel = "web"
		}
		chat = map[string]any{"id": b.bigID(), "type": "ChatStartedEvent",
			"value": map[string]any{"conversation_id": s.conv.id, "channel": channel}}
	}
	first := []any{
		map[string]any{"id": b.bigID(), "type": "Create", "field_name": "subject", "value": s.subject},
		map[string]any{"id": b.bigID(), "type": "Create", "field_name": "status", "value": "new"},
	}
	second := []any{map[string]any{"id": b.bigID(), "type": "Change", "field_name": "status",
		"value": "open", "previous_value": "new"}}
	if len(chat) > 0 && s.chatLate {
		second = append(second, chat)
	} else if len(chat) > 0 {
		first = append(first, chat)
	}
	out := []json.RawMessage{b.audit(t, 0, first), b.audit(t, 1, second)}
	for i := range s.audits {
		out = append(out, b.audit(t, i+2, []any{map[string]any{
			"id": b.bigID(), "type": "Comment", "author_id": agentID, "public": false,
			"body":        "Internal note " + strconv.Itoa(i) + " <b>&</b>",
			"html_body":   "<p>Internal note " + strconv.Itoa(i) + " &lt;b&gt;&amp;&lt;/b&gt;</p>",
			"attachments": []any{},
		}}))
	}
	return out
}

func (b *convBuilder) audit(t *ticket, i int, events []any) json.RawMessage {
	at := t.created
	if i > 0 {
		at = t.created.Add(t.updated.Sub(t.created) * 9 / 10)
	}
	return b.json(map[string]any{
		"id": b.bigID(), "ticket_id": json.Number(strconv.FormatInt(t.id, 10)),
		"created_at": zendeskTS(at), "author_id": agentID,
		"metadata": map[string]any{"system": map[string]any{"client": "Zendesk", "location": ""},
			"custom": map[string]any{}},
		"via":    map[string]any{"channel": "native_messaging", "source": map[string]any{"rel": nil}},
		"events": events,
	})
}

// gapEvents are the log of a ticket found by no route: an agent's comment
// and a bot's message, neither naming a SunCo user.
func (b *convBuilder) gapEvents(t *ticket) []json.RawMessage {
	comment := b.json(map[string]any{
		"id": "01JFAKECOMMENT" + strconv.FormatInt(t.id, 10), "type": "Comment",
		"reference":  "zen:ticket_event:" + string(b.bigID()),
		"created_at": suncoTS(t.created), "received_at": suncoTS(t.created),
		"author": map[string]any{"type": "agent", "display_name": "Support Agent",
			"zen:support:user_id": agentID},
		"content":  map[string]any{"type": "text", "body": "Customer called instead"},
		"metadata": map[string]any{"public": false, "ticket_version": 2}, "attachments": []any{},
	})
	bot := b.json(map[string]any{
		"id": "01JFAKEBOT" + strconv.FormatInt(t.id, 10), "type": "Messaging::ConversationMessage",
		"reference":  "zen:sunco:conversation_message:65f1ff000000000000000001",
		"created_at": suncoTS(t.updated), "received_at": suncoTS(t.updated),
		"author":  map[string]any{"type": "bot", "display_name": "Answer Bot"},
		"content": map[string]any{"type": "text", "text": "Is there anything else?"},
		"source":  map[string]any{"type": "zd:answerBot"},
		"metadata": map[string]any{"custom": map[string]any{}, "system": map[string]any{},
			"ticket_version": 3},
		"attachments": []any{},
	})
	return []json.RawMessage{comment, bot}
}

// logEvents returns a ticket's conversation log, oldest first: the
// messages of its conversation received while the ticket was open.
func (d *ConversationsData) logEvents(t *ticket) []json.RawMessage {
	var out []json.RawMessage
	if c := d.convByID[t.logConv]; c != nil {
		for _, m := range c.messages {
			if !m.at.Before(t.created) && !m.at.After(t.updated) {
				out = append(out, d.logEvent(m))
			}
		}
	}
	return append(out, t.logExtra...)
}

func (d *ConversationsData) logEvent(m *message) json.RawMessage {
	author := map[string]any{"type": "agent", "display_name": "Support Agent",
		"avatar_url": nil, "zen:support:user_id": agentID}
	if m.author != "" {
		name := "Web User"
		if u := d.users[m.author]; u != nil {
			name = u.name
		}
		author = map[string]any{"type": "user", "display_name": name, "avatar_url": nil,
			"zen:sunco:user_id": m.author}
	}
	return convJSON(map[string]any{
		"id": strings.ToUpper("01" + m.id), "type": "Messaging::ConversationMessage",
		"reference":  "zen:sunco:conversation_message:" + m.id,
		"created_at": suncoTS(m.at), "received_at": suncoTS(m.at), "author": author,
		"content":     map[string]any{"type": m.kind, "text": m.text},
		"source":      map[string]any{"type": m.source},
		"metadata":    map[string]any{"custom": map[string]any{}, "system": map[string]any{}},
		"attachments": []any{},
	})
}
