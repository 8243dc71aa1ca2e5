package convsync

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

// unknownConv is a conversation id the fake answers 404 for.
const unknownConv = "65f1020000000000000009ff"

func TestConversationIDs(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	rich := d.Special.RichConversation
	setEnv(t, srv, "CONVERSATION_IDS="+rich+","+unknownConv, "SYNC_DAYS=0")
	s, _ := mustRun(t)

	checkConversations(t, s, d, map[string][]int64{rich: {}}, time.Time{})
	if !s.hasGap("conversation", unknownConv) {
		t.Errorf("no gap for conversation %s: %+v", unknownConv, s.stats.Gaps)
	}
	if got := s.stats.Counts["conversations_from_ids"]; got != 1 {
		t.Errorf("conversations_from_ids %d, want 1", got)
	}
	if s.stats.Extra.Source != "conversation_ids" {
		t.Errorf("source %q, want conversation_ids", s.stats.Extra.Source)
	}
	if n := srv.Count("/api/"); n != 0 {
		t.Errorf("%d Support requests, want none", n)
	}

	// Emoji, other scripts and <&> are kept byte for byte; so is the
	// deleted placeholder.
	var special, deleted bool
	for _, m := range s.messages(t, rich).Messages {
		special = special || bytes.Contains(m, []byte("🌮")) && bytes.Contains(m, []byte("<yours> today & more"))
		deleted = deleted || bytes.Contains(m, []byte(`"deleted":true`))
	}
	if !special || !deleted {
		t.Errorf("messages of %s: emoji and <&> kept %v, deleted placeholder kept %v", rich, special, deleted)
	}
	checkUsers(t, srv, s, d)
}

func TestLongConversation(t *testing.T) {
	d := zendesktest.DefaultConversations()
	long := d.Special.LongConversation
	msgsPath := convPath + "/" + long + "/messages"
	tests := []struct {
		days  string
		pages int
	}{
		{"0", 3}, // 257 messages: three backward pages, all kept
		{"7", 1}, // the newest page already reaches past the window
	}
	for _, tt := range tests {
		t.Run("SYNC_DAYS="+tt.days, func(t *testing.T) {
			srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
			setEnv(t, srv, "CONVERSATION_IDS="+long, "SYNC_DAYS="+tt.days)
			s, _ := mustRun(t)

			if n := srv.Count(msgsPath); n != tt.pages {
				t.Errorf("%d message pages fetched, want %d", n, tt.pages)
			}
			since := windowStart(t, s)
			checkConversations(t, s, d, map[string][]int64{long: {}}, since)
			got := s.messages(t, long).Messages
			if tt.days == "0" && len(got) != 257 {
				t.Errorf("%d messages, want 257", len(got))
			}
			checkOrder(t, got)
		})
	}
}

// checkOrder checks that messages are oldest first, each once.
func checkOrder(t *testing.T, messages []json.RawMessage) {
	t.Helper()
	seen := map[string]bool{}
	var last time.Time
	for _, raw := range messages {
		var m struct {
			ID       string
			Received time.Time
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if seen[m.ID] {
			t.Errorf("message %s twice", m.ID)
		}
		seen[m.ID] = true
		if m.Received.Before(last) {
			t.Errorf("message %s received %s, before the one above it (%s)", m.ID, m.Received, last)
		}
		last = m.Received
	}
}

func TestUserIDs(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	ext := d.Special.ExternalID
	setEnv(t, srv, "SUNCO_USER_IDS="+ext+",nobody-here", "SYNC_DAYS=0")
	s, _ := mustRun(t)

	want := map[string][]int64{}
	for _, id := range d.UserConversations(ext) {
		want[id] = []int64{}
	}
	if _, ok := want[d.Special.Unindexed]; !ok {
		t.Fatalf("data set: %s is not a conversation of %s", d.Special.Unindexed, ext)
	}
	checkConversations(t, s, d, want, time.Time{})
	if !s.hasGap("user", "nobody-here") {
		t.Errorf("no gap for user nobody-here: %+v", s.stats.Gaps)
	}
	if diff := cmp.Diff(int64(len(want)), s.stats.Counts["conversations_from_users"]); diff != "" {
		t.Errorf("conversations_from_users (-want +got):\n%s", diff)
	}
	for _, r := range srv.Requests() {
		if r.Path == convPath && r.Query == "" {
			t.Errorf("conversations listed without a filter")
		}
	}
	checkUsers(t, srv, s, d)
}
