package zendesktest

import (
	"bytes"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"testing"
	"time"
)

func TestConvDefaultIndex(t *testing.T) {
	d := DefaultConversationsAt(convNow)
	sp := d.Special
	got := d.ConversationTickets(convNow.Add(-7 * day))
	want := map[string][]int64{
		sp.LongConversation: {1001}, sp.Spanning: {1002, 1003}, sp.RichConversation: {1004},
		sp.FallbackConversation: {1006}, sp.MissingUserConversation: {1007},
	}
	edgeIn := d.ticketByID[sp.EdgeIn].convID
	want[edgeIn] = []int64{1008}
	if !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("ConversationTickets(7 days) = %v, want %v", got, want)
	}
	if got := d.MessagingTicketIDs(convNow.Add(-7 * day)); !slices.Equal(got,
		[]int64{1001, 1002, 1003, 1004, 1006, 1007, 1008, 1010}) {
		t.Errorf("MessagingTicketIDs(7 days) = %v", got)
	}
	if got := len(d.ConversationTickets(time.Time{})); got != 8 {
		t.Errorf("conversations found with no window = %d, want 8 (all but the unindexed one)", got)
	}
	if got := len(d.ConversationIDs()); got != 9 {
		t.Errorf("conversations = %d, want 9", got)
	}
	if d.User(sp.MissingUser) != nil || d.User(sp.FallbackUser) == nil {
		t.Errorf("User: want the missing user absent and the fallback user present")
	}
}

func TestConvRecords(t *testing.T) {
	d := DefaultConversationsAt(convNow)
	hex24 := regexp.MustCompile(`^[0-9a-f]{24}$`)
	kinds := map[string]bool{}
	for _, id := range d.ConversationIDs() {
		if !hex24.MatchString(id) {
			t.Errorf("conversation id %q is not 24 hex", id)
		}
		var last time.Time
		for _, raw := range d.Messages(id) {
			if bytes.Contains(raw, []byte(`\u003c`)) || bytes.Contains(raw, []byte(`\u0026`)) {
				t.Errorf("message escapes HTML: %s", raw)
			}
			var m struct {
				ID       string
				Received string
				Deleted  bool
				Content  struct{ Type string }
			}
			decode(t, raw, &m)
			at, err := time.Parse(suncoTime, m.Received)
			if err != nil || at.Before(last) || !hex24.MatchString(m.ID) {
				t.Errorf("message %s: received %q after %v: %v", m.ID, m.Received, last, err)
			}
			last = at
			kinds[m.Content.Type] = true
			kinds["deleted"] = kinds["deleted"] || m.Deleted
		}
	}
	for _, k := range append(contentKinds, "deleted") {
		if !kinds[k] {
			t.Errorf("no %s message", k)
		}
	}
	if got := len(d.Messages(d.Special.LongConversation)); got != 257 {
		t.Errorf("long conversation has %d messages, want 257", got)
	}
	again := DefaultConversationsAt(convNow)
	for _, id := range d.ConversationIDs() {
		if !slices.EqualFunc(d.Messages(id), again.Messages(id), rawEqual) {
			t.Errorf("conversation %s differs between two builds", id)
		}
	}
}

func TestConvGenerate(t *testing.T) {
	d := GenerateConversations(ConvGen{Now: convNow, Conversations: 1000, MessagesPerConversation: 50})
	if got := len(d.ConversationIDs()); got != 1000 {
		t.Errorf("conversations = %d, want 1000", got)
	}
	if got := len(d.ConversationTickets(convNow.Add(-7 * day))); got != 1000 {
		t.Errorf("conversations in the window = %d, want 1000", got)
	}
	first := d.ConversationIDs()[0]
	msgs := d.Messages(first)
	if len(msgs) != 50 || !json.Valid(msgs[0]) {
		t.Errorf("conversation %s: %d messages, want 50 valid ones", first, len(msgs))
	}
}

func BenchmarkGenerateConversations(b *testing.B) {
	for b.Loop() {
		GenerateConversations(ConvGen{Now: convNow, Conversations: 1000, MessagesPerConversation: 50})
	}
}

func rawEqual(a, b json.RawMessage) bool { return bytes.Equal(a, b) }
