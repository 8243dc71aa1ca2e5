package zendesktest

import (
	"encoding/json"
	"slices"
	"time"
)

// ConversationsData is the messaging data the fake serves: Sunshine
// Conversations users, conversations, participants and messages, and the
// Support tickets, audits and conversation logs that index them. Every
// record is kept as the JSON bytes served. Build one with
// DefaultConversations, DefaultConversationsAt or GenerateConversations;
// the knobs may be changed before the Server starts, the records cannot.
type ConversationsData struct {
	// Now is the reference time the records are dated from. Serve the
	// data with a Server whose clock is near it.
	Now time.Time
	// ExportRateLimit is the requests per minute (of the Server's clock)
	// the incremental ticket export allows; past it the fake answers 429
	// with Retry-After. 0 means no limit. Zendesk's limit is 10.
	ExportRateLimit int
	// LogRateLimit is ExportRateLimit for the ticket conversation log.
	// Zendesk's limit is 100.
	LogRateLimit int
	// StuckExportCursor makes the incremental export stop advancing:
	// the start_time page is served as usual but with end_of_stream
	// false, and every cursor request is answered with that same cursor
	// as after_cursor and end_of_stream false.
	StuckExportCursor bool
	// Special names the records that exercise edge cases; it is zero in
	// generated data sets.
	Special Special

	users      map[string]*convUser // by id
	external   map[string]string    // externalId to id
	convs      []*conv              // by id
	convByID   map[string]*conv
	userConvs  map[string][]*conv // by participant user id, by id
	tickets    []*ticket          // by generated_timestamp, then id
	ticketByID map[int64]*ticket
}

// Special names the records of DefaultConversations that exercise edge
// cases. Window edges are relative to Now and a 7-day window.
type Special struct {
	// LongConversation has 257 messages: three pages of List Messages.
	LongConversation string
	// RichConversation has every content type, a deleted placeholder and
	// an activity message.
	RichConversation string
	// Spanning is the conversation named by both SpanningTickets.
	Spanning        string
	SpanningTickets []int64
	// FallbackTicket is a messaging ticket whose audits have no
	// ChatStartedEvent; its conversation log names FallbackUser, whose
	// only conversation is FallbackConversation.
	FallbackTicket       int64
	FallbackUser         string
	FallbackConversation string
	// GapTicket is a messaging ticket in the window with no conversation
	// in its audits or its conversation log.
	GapTicket int64
	// MissingUser is a participant and message author of
	// MissingUserConversation that GET /users answers 404 for.
	MissingUser             string
	MissingUserConversation string
	// ExternalID is the externalId of a user with two conversations, one
	// of them (Unindexed) named by no ticket.
	ExternalID string
	Unindexed  string
	// EdgeIn and EdgeOut are messaging tickets changed an hour inside and
	// an hour outside 7 days before Now; OldTicket is 30 days old.
	EdgeIn, EdgeOut, OldTicket int64
	// RecentTicket changed 20 seconds before Now, so the incremental
	// export leaves it out; it is not a messaging ticket.
	RecentTicket int64
}

type convUser struct {
	id, external, name string
	raw                json.RawMessage
}

type conv struct {
	id, owner    string
	raw          json.RawMessage
	participants []suncoItem
	messages     []*message
}

type message struct {
	id     string
	at     time.Time
	author string // user id of a user author, "" for the business
	kind   string // content type
	text   string // text or fallback text
	source string // source type
	raw    json.RawMessage
}

type ticket struct {
	id               int64
	created, updated time.Time
	messaging        bool
	convID           string // named by a ChatStartedEvent, "" if none
	logConv          string // conversation whose messages the log shows
	raw              json.RawMessage
	audits           []json.RawMessage
	logExtra         []json.RawMessage // log events with no SunCo user
}

// Messages returns the messages of a conversation as served, oldest
// first; nil for an unknown conversation.
func (d *ConversationsData) Messages(convID string) []json.RawMessage {
	return d.MessagesSince(convID, time.Time{})
}

// MessagesSince is Messages limited to those received at or after since.
func (d *ConversationsData) MessagesSince(convID string, since time.Time) []json.RawMessage {
	c := d.convByID[convID]
	if c == nil {
		return nil
	}
	var out []json.RawMessage
	for _, m := range c.messages {
		if !m.at.Before(since) {
			out = append(out, m.raw)
		}
	}
	return out
}

// Conversation returns a conversation as served, nil when unknown.
func (d *ConversationsData) Conversation(convID string) json.RawMessage {
	if c := d.convByID[convID]; c != nil {
		return c.raw
	}
	return nil
}

// Participants returns a conversation's participants as served.
func (d *ConversationsData) Participants(convID string) []json.RawMessage {
	c := d.convByID[convID]
	if c == nil {
		return nil
	}
	out := make([]json.RawMessage, len(c.participants))
	for i, p := range c.participants {
		out[i] = p.raw
	}
	return out
}

// User returns a user, looked up by id or externalId as GET /users does;
// nil when the fake answers 404.
func (d *ConversationsData) User(idOrExternalID string) json.RawMessage {
	if u := d.lookupUser(idOrExternalID); u != nil {
		return u.raw
	}
	return nil
}

// ConversationIDs returns the id of every conversation, in id order.
func (d *ConversationsData) ConversationIDs() []string {
	ids := make([]string, len(d.convs))
	for i, c := range d.convs {
		ids[i] = c.id
	}
	return ids
}

// UserConversations returns the ids of the conversations a user, named
// by id or externalId, takes part in.
func (d *ConversationsData) UserConversations(idOrExternalID string) []string {
	u := d.lookupUser(idOrExternalID)
	if u == nil {
		return nil
	}
	var ids []string
	for _, c := range d.userConvs[u.id] {
		ids = append(ids, c.id)
	}
	return ids
}

// MessagingTicketIDs returns, in id order, the messaging tickets
// (from_messaging_channel) changed at or after since and more than a
// minute before Now: what the incremental export yields. A zero since
// means every one.
func (d *ConversationsData) MessagingTicketIDs(since time.Time) []int64 {
	var ids []int64
	for _, t := range d.tickets {
		if t.messaging && d.exported(t, since) {
			ids = append(ids, t.id)
		}
	}
	slices.Sort(ids)
	return ids
}

// ConversationTickets returns the conversations a sync indexed by the
// Support API finds for the tickets MessagingTicketIDs(since) returns,
// each with its tickets in id order. A ticket without a ChatStartedEvent
// counts for every conversation of the user its conversation log names;
// a gap ticket counts for none.
func (d *ConversationsData) ConversationTickets(since time.Time) map[string][]int64 {
	out := map[string][]int64{}
	for _, id := range d.MessagingTicketIDs(since) {
		for _, c := range d.ticketConversations(d.ticketByID[id]) {
			out[c] = append(out[c], id)
		}
	}
	return out
}

func (d *ConversationsData) ticketConversations(t *ticket) []string {
	if t.convID != "" {
		return []string{t.convID}
	}
	if c := d.convByID[t.logConv]; c != nil && d.users[c.owner] != nil {
		return d.UserConversations(c.owner)
	}
	return nil
}

func (d *ConversationsData) exported(t *ticket, since time.Time) bool {
	return !t.updated.Before(since) && t.updated.Before(d.Now.Add(-time.Minute))
}

func (d *ConversationsData) lookupUser(idOrExternalID string) *convUser {
	if u := d.users[idOrExternalID]; u != nil {
		return u
	}
	return d.users[d.external[idOrExternalID]]
}
