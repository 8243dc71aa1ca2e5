package zendesktest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Time formats: Sunshine Conversations dates to the millisecond, Support
// to the second.
const (
	suncoTime   = "2006-01-02T15:04:05.000Z"
	zendeskTime = "2006-01-02T15:04:05Z"
	day         = 24 * time.Hour
)

// Kinds of SunCo record, the fifth and sixth hex digits of their ids.
const (
	kindUser = iota + 1
	kindConv
	kindParticipant
	kindMessage
	kindClient
	kindIntegration
)

// convBuilder makes a ConversationsData record by record. Ids are
// deterministic: the n-th record of a kind has the same id in every data
// set, and ids of one kind ascend in the order records are made.
type convBuilder struct {
	d   *ConversationsData
	seq [8]int
	big int64
	buf bytes.Buffer
	enc *json.Encoder
}

// agentID is the Support agent answering every ticket; bigID never
// returns it.
const agentID = json.Number("9007199254740999")

func newConvBuilder(now time.Time) *convBuilder {
	b := &convBuilder{d: &ConversationsData{
		Now:             now.UTC().Truncate(time.Second),
		ExportRateLimit: 10,
		LogRateLimit:    100,
		users:           map[string]*convUser{},
		external:        map[string]string{},
		convByID:        map[string]*conv{},
		userConvs:       map[string][]*conv{},
		ticketByID:      map[int64]*ticket{},
	}, big: 7}
	b.enc = json.NewEncoder(&b.buf)
	b.enc.SetEscapeHTML(false)
	return b
}

// sunID returns the next 24-hex id of a kind.
func (b *convBuilder) sunID(kind int) string {
	b.seq[kind]++
	return fmt.Sprintf("65f1%02x%018x", kind, b.seq[kind])
}

// bigID returns the next Support id, above 2^53 so that a float64 would
// round it.
func (b *convBuilder) bigID() json.Number {
	b.big += 7
	return json.Number(strconv.FormatInt(1<<53+b.big, 10))
}

// convJSON encodes v as served: HTML characters unescaped.
func convJSON(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("zendesktest: encode data: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// json is convJSON with the builder's encoder.
func (b *convBuilder) json(v any) json.RawMessage {
	b.buf.Reset()
	if err := b.enc.Encode(v); err != nil {
		panic("zendesktest: encode data: " + err.Error())
	}
	return bytes.Clone(bytes.TrimSuffix(b.buf.Bytes(), []byte("\n")))
}

func suncoTS(t time.Time) string   { return t.UTC().Format(suncoTime) }
func zendeskTS(t time.Time) string { return t.UTC().Format(zendeskTime) }

// userSpec describes a SunCo user; external "" makes an anonymous one.
type userSpec struct {
	given, surname, external, locale, email string
}

func (b *convBuilder) user(s userSpec) string {
	id := b.sunID(kindUser)
	profile := map[string]any{"locale": s.locale, "localeOrigin": "apiRequest"}
	if s.given != "" {
		profile["givenName"], profile["surname"] = s.given, s.surname
	}
	identities := []any{}
	if s.email != "" {
		profile["email"] = s.email
		identities = append(identities, map[string]any{
			"type": "email", "value": s.email, "verification": "verified"})
	}
	u := map[string]any{
		"id": id, "signedUpAt": suncoTS(b.d.Now.Add(-90 * day)), "toBeRetained": false,
		"authenticated": s.external != "", "hasPaymentInfo": false, "profile": profile,
		"metadata": map[string]any{"plan": "pro", "zendesk:brand": "main"}, "identities": identities,
	}
	if s.external != "" {
		u["externalId"] = s.external
		u["zendeskId"] = string(b.bigID())
		b.d.external[s.external] = id
	}
	name := strings.TrimSpace(s.given + " " + s.surname)
	b.d.users[id] = &convUser{id: id, external: s.external, name: name, raw: b.json(u)}
	return id
}

// convSpec describes a conversation: its owner and other participants,
// count messages received evenly from from to to, over channel.
type convSpec struct {
	owner    string
	others   []string
	count    int
	from, to time.Time
	channel  string         // user messages' source type; "" is web
	rich     bool           // every content type, a deleted and an activity message
	meta     map[string]any // conversation metadata
}

func (b *convBuilder) conversation(s convSpec) *conv {
	c := &conv{id: b.sunID(kindConv), owner: s.owner}
	if s.channel == "" {
		s.channel = "web"
	}
	for _, u := range append([]string{s.owner}, s.others...) {
		c.participants = append(c.participants, b.participant(u, s.channel))
		b.d.userConvs[u] = append(b.d.userConvs[u], c)
	}
	integration := b.sunID(kindIntegration)
	for i := range s.count {
		at := s.from
		if s.count > 1 {
			at = s.from.Add(s.to.Sub(s.from) * time.Duration(i) / time.Duration(s.count-1))
		}
		at = at.Add(time.Duration(i%997) * time.Millisecond)
		c.messages = append(c.messages, b.message(s, i, at, integration))
	}
	c.raw = b.conversationJSON(c, s)
	b.d.convs = append(b.d.convs, c)
	b.d.convByID[c.id] = c
	return c
}

func (b *convBuilder) conversationJSON(c *conv, s convSpec) json.RawMessage {
	created := s.from.Add(-time.Minute)
	last := created
	if n := len(c.messages); n > 0 {
		last = c.messages[n-1].at
	}
	meta := s.meta
	if meta == nil {
		meta = map[string]any{}
	}
	return b.json(map[string]any{
		"id": c.id, "type": "personal", "isDefault": false, "metadata": meta,
		"businessLastRead": suncoTS(last), "lastUpdatedAt": suncoTS(last),
		"createdAt": suncoTS(created),
		"activeSwitchboardIntegration": map[string]any{
			"id": b.sunID(kindIntegration), "name": "zd-agentWorkspace",
			"integrationId": b.sunID(kindIntegration), "integrationType": "zd:agentWorkspace",
		},
		// A field this program does not know, to be kept as served.
		"labs": map[string]any{"summary": nil, "flags": []any{"beta", 1.50}},
	})
}

func (b *convBuilder) participant(userID, channel string) suncoItem {
	client := "sdk"
	if channel != "web" {
		client = channel
	}
	id := b.sunID(kindParticipant)
	p := map[string]any{
		"id": id, "userId": userID, "unreadCount": 0,
		"lastRead":           suncoTS(b.d.Now.Add(-time.Hour)),
		"clientAssociations": []any{map[string]any{"type": client, "clientId": b.sunID(kindClient)}},
	}
	if u := b.d.users[userID]; u != nil && u.external != "" {
		p["userExternalId"] = u.external
	}
	return suncoItem{id, b.json(p)}
}

// ticketSpec describes a Support ticket. conv is the conversation its
// ChatStartedEvent names (nil: none); logConv the one whose messages its
// conversation log shows (nil: conv).
type ticketSpec struct {
	conv, logConv    *conv
	created, updated time.Time
	messaging        bool
	channel          string // via.channel
	status, subject  string
	audits           int  // extra audits after the first
	chatLate         bool // ChatStartedEvent in the second audit
	gap              bool // log events without a SunCo user
}

func (b *convBuilder) ticket(id int64, s ticketSpec) *ticket {
	t := &ticket{id: id, created: s.created, updated: s.updated, messaging: s.messaging}
	if s.conv != nil {
		t.convID = s.conv.id
	}
	if s.logConv == nil {
		s.logConv = s.conv
	}
	if s.logConv != nil {
		t.logConv = s.logConv.id
	}
	t.raw = b.ticketJSON(t, s)
	t.audits = b.audits(t, s)
	if s.gap {
		t.logExtra = b.gapEvents(t)
	}
	b.d.tickets = append(b.d.tickets, t)
	b.d.ticketByID[id] = t
	return t
}

// finish orders the records as the fake serves them.
func (b *convBuilder) finish() *ConversationsData {
	d := b.d
	slices.SortFunc(d.convs, func(x, y *conv) int { return strings.Compare(x.id, y.id) })
	slices.SortFunc(d.tickets, func(x, y *ticket) int {
		if c := x.updated.Compare(y.updated); c != 0 {
			return c
		}
		return int(x.id - y.id)
	})
	return d
}
