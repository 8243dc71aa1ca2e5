package zendesktest

import (
	"strconv"
	"time"
)

// DefaultConversations returns DefaultConversationsAt(time.Now()).
func DefaultConversations() *ConversationsData { return DefaultConversationsAt(time.Now()) }

// DefaultConversationsAt returns the realistic data set, dated relative
// to now (truncated to the second). Its Special field names the records
// that exercise edge cases; against a 7-day window:
//
//   - 6 users with names in several scripts (4 with an externalId), and
//     Special.MissingUser, a participant GET /users answers 404 for;
//   - 9 conversations, from 4 to 257 messages, including one with every
//     content type, a deleted placeholder and an activity message;
//   - 13 tickets, 1001 to 1013: 10 messaging, 8 of them in the window
//     (6 name one of 5 conversations in their audits, Spanning in two;
//     FallbackTicket leads to its conversation through the conversation
//     log; GapTicket to none), and 3 not messaging, one of them changed
//     too recently to be exported.
//
// A sync over the 7-day window therefore finds 6 conversations
// (ConversationTickets); with no window, 8; Unindexed only by its user.
func DefaultConversationsAt(now time.Time) *ConversationsData {
	b := newConvBuilder(now)
	c := defaultConversations(b)
	defaultTickets(b, c)
	b.d.Special = Special{
		LongConversation: c.long.id, RichConversation: c.rich.id,
		Spanning: c.spanning.id, SpanningTickets: []int64{1002, 1003},
		FallbackTicket: 1006, FallbackUser: c.fallback.owner, FallbackConversation: c.fallback.id,
		GapTicket: 1010, MissingUser: c.missing, MissingUserConversation: c.withMissing.id,
		ExternalID: "cust-1005", Unindexed: c.unindexed.id,
		EdgeIn: 1008, EdgeOut: 1009, OldTicket: 1005, RecentTicket: 1013,
	}
	return b.finish()
}

// defaultSet holds the conversations of the default data set.
type defaultSet struct {
	long, spanning, rich, old, fallback, withMissing, unindexed, edgeIn, edgeOut *conv
	missing                                                                      string
}

func defaultConversations(b *convBuilder) defaultSet {
	ago := func(d time.Duration) time.Time { return b.d.Now.Add(-d) }
	aiko := b.user(userSpec{"愛子", "佐藤", "cust-1001", "ja", "aiko@example.jp"})
	anon := b.user(userSpec{locale: "en-US"})
	layla := b.user(userSpec{"ليلى", "حداد", "cust-1003", "ar", ""})
	ola := b.user(userSpec{"Ola", "Nordmann", "", "nb", ""})
	marco := b.user(userSpec{"Marco", "Rossi", "cust-1005", "it", "marco@example.it"})
	wei := b.user(userSpec{"伟", "陈", "cust-1006", "zh-CN", ""})
	c := defaultSet{missing: b.sunID(kindUser)}

	c.long = b.conversation(convSpec{owner: aiko, count: 257, from: ago(20 * day), to: ago(2 * time.Hour),
		meta: map[string]any{"order": "A-1001", "note": "<script>&</script>"}})
	c.spanning = b.conversation(convSpec{owner: anon, count: 12, from: ago(5 * day), to: ago(day)})
	c.rich = b.conversation(convSpec{owner: layla, count: 14, from: ago(4 * day),
		to: ago(3*day + time.Hour), channel: "whatsapp", rich: true})
	c.old = b.conversation(convSpec{owner: layla, count: 6, from: ago(31 * day), to: ago(30*day + time.Hour)})
	c.fallback = b.conversation(convSpec{owner: ola, count: 8, from: ago(2 * day), to: ago(day)})
	c.withMissing = b.conversation(convSpec{owner: marco, others: []string{c.missing}, count: 10,
		from: ago(6 * day), to: ago(6*day - 2*time.Hour)})
	c.unindexed = b.conversation(convSpec{owner: marco, count: 4, from: ago(3 * time.Hour), to: ago(time.Hour)})
	c.edgeIn = b.conversation(convSpec{owner: wei, count: 10, from: ago(8 * day), to: ago(7*day - 30*time.Minute)})
	c.edgeOut = b.conversation(convSpec{owner: wei, count: 5, from: ago(9 * day), to: ago(7*day + 2*time.Hour)})
	return c
}

// defaultTickets makes tickets 1001 to 1013; each messaging ticket is
// open while its conversation's messages arrive.
func defaultTickets(b *convBuilder, c defaultSet) {
	ago := func(d time.Duration) time.Time { return b.d.Now.Add(-d) }
	msg := func(c *conv, created, updated time.Time, subject string) ticketSpec {
		return ticketSpec{conv: c, created: created, updated: updated, messaging: true,
			channel: "native_messaging", subject: subject}
	}
	t := msg(c.long, ago(20*day+time.Minute), ago(2*time.Hour-5*time.Minute), "Order A-1001 📦")
	t.audits = 33
	b.ticket(1001, t)
	t = msg(c.spanning, ago(5*day+time.Minute), ago(3*day), "Conversation with Web User")
	t.status = "closed"
	b.ticket(1002, t)
	t = msg(c.spanning, ago(3*day-time.Minute), ago(day-5*time.Minute), "Conversation with Web User")
	t.chatLate = true
	b.ticket(1003, t)
	t = msg(c.rich, ago(4*day+time.Minute), ago(3*day), "WhatsApp: ليلى حداد")
	t.channel = "whatsapp"
	b.ticket(1004, t)
	t = msg(c.old, ago(31*day+time.Minute), ago(30*day), "Old question")
	t.status = "closed"
	b.ticket(1005, t)
	t = msg(nil, ago(2*day+time.Minute), ago(day-5*time.Minute), "Conversation with Ola Nordmann")
	t.logConv = c.fallback
	b.ticket(1006, t)
	b.ticket(1007, msg(c.withMissing, ago(6*day+time.Minute), ago(6*day-3*time.Hour), "Ordine"))
	b.ticket(1008, msg(c.edgeIn, ago(8*day+time.Minute), ago(7*day-time.Hour), "配送について"))
	b.ticket(1009, msg(c.edgeOut, ago(9*day+time.Minute), ago(7*day+time.Hour), "配送について"))
	t = msg(nil, ago(14*time.Hour), ago(12*time.Hour), "Messaging ticket without a conversation")
	t.gap = true
	b.ticket(1010, t)
	b.ticket(1011, ticketSpec{created: ago(day), updated: ago(20 * time.Hour), channel: "email",
		subject: "Invoice by e-mail"})
	b.ticket(1012, ticketSpec{created: ago(40 * day), updated: ago(40*day - time.Hour), channel: "web",
		status: "solved", subject: "Web form"})
	b.ticket(1013, ticketSpec{created: ago(10 * time.Minute), updated: ago(20 * time.Second),
		channel: "api", subject: "Just changed"})
}

// ConvGen sizes a generated data set. Zero fields take their defaults.
type ConvGen struct {
	// Now is the reference time; zero means time.Now().
	Now time.Time
	// Conversations is the number of conversations, each named by one
	// messaging ticket changed within the last 6 days (default 10).
	Conversations int
	// MessagesPerConversation is the messages in each (default 20).
	MessagesPerConversation int
	// Users is the number of users the conversations are dealt to in
	// turn (default one per conversation); every second has an
	// externalId.
	Users int
	// Span is the time from a conversation's first message to its last
	// (default 2 days), so a 7-day window cuts some conversations.
	Span time.Duration
}

// GenerateConversations returns a data set of the size opts asks for,
// cheap enough for benchmarks (1,000 conversations of 50 messages).
// Ticket ids start at 100001; every tenth conversation is rich.
func GenerateConversations(opts ConvGen) *ConversationsData {
	opts = opts.withDefaults()
	b := newConvBuilder(opts.Now)
	users := make([]string, opts.Users)
	for i := range users {
		s := userSpec{given: "User", surname: strconv.Itoa(i), locale: "en-US"}
		if i%2 == 0 {
			s.external = "gen-" + strconv.Itoa(i)
		}
		users[i] = b.user(s)
	}
	for i := range opts.Conversations {
		end := b.d.Now.Add(-10*time.Minute - time.Duration(i%144)*time.Hour)
		c := b.conversation(convSpec{owner: users[i%len(users)], count: opts.MessagesPerConversation,
			from: end.Add(-opts.Span), to: end, rich: i%10 == 0 && opts.MessagesPerConversation > 10})
		b.ticket(int64(100001+i), ticketSpec{conv: c, created: end.Add(-opts.Span - time.Minute),
			updated: end.Add(5 * time.Minute), messaging: true, channel: "native_messaging",
			subject: "Conversation " + strconv.Itoa(i)})
	}
	return b.finish()
}

func (g ConvGen) withDefaults() ConvGen {
	if g.Now.IsZero() {
		g.Now = time.Now()
	}
	if g.Conversations <= 0 {
		g.Conversations = 10
	}
	if g.MessagesPerConversation <= 0 {
		g.MessagesPerConversation = 20
	}
	if g.Users <= 0 {
		g.Users = g.Conversations
	}
	if g.Span <= 0 {
		g.Span = 2 * day
	}
	return g
}
