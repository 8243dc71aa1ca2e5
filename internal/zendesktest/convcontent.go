package zendesktest

import (
	"encoding/json"
	"time"
)

// contentKinds are the message content types of the Conversations API, in
// the order a rich conversation goes through them.
var contentKinds = []string{
	"text", "image", "file", "carousel", "list", "form", "formResponse", "location", "template",
}

// convTexts are the texts of plain messages: emoji, other scripts and
// characters an HTML-escaping encoder would change.
var convTexts = []string{
	"Hi! Where is my order? 📦",
	"ご注文ありがとうございます。配送状況を確認いたします。",
	"مرحباً، أحتاج إلى مساعدة في حسابي",
	"Thanks 👍🏽 that fixed it",
	`<b>bold</b> & "quoted" <br> stays as sent`,
	"Zürich café — naïve façade",
	"Family 👨‍👩‍👧‍👦 trip next week ✈️",
	"Line one\nLine two\ttabbed",
}

// messageJSON is a message as served, in the API's field order.
type messageJSON struct {
	ID       string         `json:"id"`
	Received string         `json:"received"`
	Author   authorJSON     `json:"author"`
	Content  any            `json:"content"`
	Source   sourceJSON     `json:"source"`
	Deleted  bool           `json:"deleted,omitempty"`
	Activity map[string]any `json:"activity,omitempty"`
}

type authorJSON struct {
	Type        string   `json:"type"`
	Subtypes    []string `json:"subtypes,omitempty"`
	UserID      string   `json:"userId,omitempty"`
	DisplayName string   `json:"displayName"`
	AvatarURL   string   `json:"avatarUrl,omitempty"`
}

type sourceJSON struct {
	Type          string `json:"type"`
	IntegrationID string `json:"integrationId,omitempty"`
}

type textJSON struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// message makes message i of a conversation. Rich conversations go
// through every content type, then a deleted placeholder and an activity;
// other users in the conversation write every fifth message.
func (b *convBuilder) message(s convSpec, i int, at time.Time, integration string) *message {
	m := &message{id: b.sunID(kindMessage), at: at, kind: "text", text: convTexts[i%len(convTexts)]}
	msg := messageJSON{ID: m.id, Received: suncoTS(at), Content: textJSON{"text", m.text}}
	business := i%3 == 1
	switch {
	case s.rich && i < len(contentKinds):
		m.kind = contentKinds[i]
		msg.Content, m.text, business = richContent(m.kind)
	case s.rich && i == len(contentKinds):
		msg.Deleted, msg.Content, m.text = true, textJSON{"text", ""}, ""
	case s.rich && i == len(contentKinds)+1:
		m.text, business = "Ticket closed", true
		msg.Content = textJSON{"text", m.text}
		msg.Activity = map[string]any{"type": "ticket:closed", "data": map[string]any{}}
	}
	msg.Author = authorJSON{Type: "business", Subtypes: []string{"agent"},
		DisplayName: "Support Agent", AvatarURL: "https://example.com/agent.png"}
	msg.Source = sourceJSON{Type: "zd:agentWorkspace"}
	if msg.Activity != nil {
		msg.Author.Subtypes = []string{"activity"}
	}
	if !business {
		m.author = s.owner
		if len(s.others) > 0 && i%5 == 4 {
			m.author = s.others[(i/5)%len(s.others)]
		}
		msg.Author = authorJSON{Type: "user", UserID: m.author, DisplayName: b.userName(m.author)}
		msg.Source = sourceJSON{Type: s.channel, IntegrationID: integration}
	}
	m.source = msg.Source.Type
	m.raw = b.json(msg)
	return m
}

func (b *convBuilder) userName(id string) string {
	if u := b.d.users[id]; u != nil && u.name != "" {
		return u.name
	}
	return "Web User " + id[len(id)-4:]
}

// richContent returns the content of a message of one type, its fallback
// text, and whether the business sends that type.
func richContent(kind string) (map[string]any, string, bool) {
	reply := map[string]any{"type": "reply", "text": "Yes ✅", "payload": "YES"}
	link := map[string]any{"type": "link", "text": "Track", "uri": "https://example.com/t?a=1&b=2"}
	item := map[string]any{"title": "Tacos 🌮", "description": "Get <yours> today & more",
		"mediaUrl": "https://example.com/taco.jpg", "mediaType": "image/jpeg",
		"actions": []any{link}}
	switch kind {
	case "image":
		return map[string]any{"type": kind, "mediaUrl": "https://example.com/sc/attachments/photo.jpg",
			"mediaType": "image/jpeg", "mediaSize": 48213, "altText": "写真"}, "写真", false
	case "file":
		return map[string]any{"type": kind, "mediaUrl": "https://example.com/sc/attachments/invoice.pdf",
			"mediaType": "application/pdf", "mediaSize": 1048576, "text": "invoice.pdf",
			"attachmentId": "01HZFAKEATTACHMENT000000001"}, "invoice.pdf", false
	case "carousel":
		return map[string]any{"type": kind, "text": "Tacos 🌮", "items": []any{item, item},
			"displaySettings": map[string]any{"imageAspectRatio": "square"}}, "Tacos 🌮", true
	case "list":
		return map[string]any{"type": kind, "items": []any{item}, "actions": []any{link}}, "Tacos 🌮", true
	case "form":
		return map[string]any{"type": kind, "submitted": true, "text": "Your e-mail?",
			"fields": []any{map[string]any{"type": "email", "name": "email", "label": "E-mail",
				"placeholder": "you@example.com"}}}, "Your e-mail?", true
	case "formResponse":
		return map[string]any{"type": kind, "textFallback": "E-mail: ahmad@example.com",
			"fields": []any{map[string]any{"type": "email", "name": "email", "label": "E-mail",
				"email": "ahmad@example.com"}}}, "E-mail: ahmad@example.com", false
	case "location":
		return map[string]any{"type": kind, "text": "Dubai Mall",
			"coordinates": map[string]any{"lat": json.Number("25.197197"), "long": json.Number("55.274376")},
			"location":    map[string]any{"name": "دبي مول", "address": "Financial Center Rd"}}, "Dubai Mall", false
	case "template":
		return map[string]any{"type": kind, "template": map[string]any{"schema": "whatsapp",
			"namespace": "fake_namespace", "name": "order_update",
			"language": map[string]any{"policy": "deterministic", "code": "en"}}}, "order_update", true
	}
	return map[string]any{"type": "text", "text": "Do you want help?", "actions": []any{reply}},
		"Do you want help?", true
}
