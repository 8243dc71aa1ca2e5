package convsync

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zendesk-sync/zendesk-sync/internal/support"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

const convPath = "/sc/v2/apps/" + zendesktest.AppID + "/conversations"

// windowStart reads the window start back from the stats.
func windowStart(t *testing.T, s snap) time.Time {
	t.Helper()
	if s.stats.Extra.Window.Start == nil {
		return time.Time{}
	}
	since, err := time.Parse(time.RFC3339, *s.stats.Extra.Window.Start)
	if err != nil {
		t.Fatal(err)
	}
	return since
}

// checkConversations compares the snapshot with what the fake serves:
// the conversations of want with their tickets, byte for byte, and their
// messages since since, oldest first.
func checkConversations(t *testing.T, s snap, d *zendesktest.ConversationsData,
	want map[string][]int64, since time.Time) {
	t.Helper()
	got := map[string][]int64{}
	for id, c := range s.conversations {
		got[id] = c.TicketIDs
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conversations and their tickets (-want +got):\n%s", diff)
	}
	for id, c := range s.conversations {
		if !bytes.Equal(c.Conversation, d.Conversation(id)) {
			t.Errorf("conversation %s: got %s, want %s", id, c.Conversation, d.Conversation(id))
		}
		if diff := cmp.Diff(rawStrings(d.Participants(id)), rawStrings(c.Participants)); diff != "" {
			t.Errorf("participants of %s (-want +got):\n%s", id, diff)
		}
		m := s.messages(t, id)
		if m.ConversationID != id {
			t.Errorf("messages_%s.json: conversation_id %q", id, m.ConversationID)
		}
		if diff := cmp.Diff(rawStrings(d.MessagesSince(id, since)), rawStrings(m.Messages)); diff != "" {
			t.Errorf("messages of %s (-want +got):\n%s", id, diff)
		}
	}
}

func rawStrings(items []json.RawMessage) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = string(it)
	}
	return out
}

func TestTicketsSource(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	setEnv(t, srv)
	s, _ := mustRun(t)
	since := windowStart(t, s)
	sp := d.Special

	want := d.ConversationTickets(since)
	checkConversations(t, s, d, want, since)
	if got := s.conversations[sp.Spanning].TicketIDs; !slices.Equal(got, sp.SpanningTickets) {
		t.Errorf("spanning conversation: ticket ids %v, want %v", got, sp.SpanningTickets)
	}
	if n := srv.Count(convPath + "/" + sp.Spanning); n != 3 {
		t.Errorf("spanning conversation: %d requests under its path, want 3 (once each)", n)
	}
	if got := s.conversations[sp.FallbackConversation].TicketIDs; !slices.Equal(got, []int64{sp.FallbackTicket}) {
		t.Errorf("fallback conversation: ticket ids %v, want [%d]", got, sp.FallbackTicket)
	}
	if !s.hasGap("ticket", strconv.FormatInt(sp.GapTicket, 10)) {
		t.Errorf("no gap for ticket %d: %+v", sp.GapTicket, s.stats.Gaps)
	}
	if !s.hasGap("user", sp.MissingUser) {
		t.Errorf("no gap for missing user %s: %+v", sp.MissingUser, s.stats.Gaps)
	}

	wantCounts := map[string]int64{
		"tickets_scanned": 9, "messaging_tickets": int64(len(d.MessagingTicketIDs(since))),
		"conversations": int64(len(want)), "conversations_from_audits": int64(len(want) - 1),
		"conversations_from_conversation_log": 1, "conversations_from_ids": 0,
		"conversations_from_users": 0, "messages": countMessages(d, want, since),
		"users": int64(len(s.users)),
	}
	if diff := cmp.Diff(wantCounts, s.stats.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if s.stats.Extra.Source != "tickets" || s.stats.Extra.Window.SyncDays != 7 {
		t.Errorf("extra: %+v", s.stats.Extra)
	}
	checkTicketRequests(t, srv, d, since)
	checkUsers(t, srv, s, d)
}

func countMessages(d *zendesktest.ConversationsData, convs map[string][]int64, since time.Time) int64 {
	var n int64
	for id := range convs {
		n += int64(len(d.MessagesSince(id, since)))
	}
	return n
}

// checkTicketRequests checks that the export started at the window,
// that only messaging tickets in the window were looked into, and that
// conversations were never listed without a user filter.
func checkTicketRequests(t *testing.T, srv *zendesktest.Server, d *zendesktest.ConversationsData,
	since time.Time) {
	t.Helper()
	inWindow := d.MessagingTicketIDs(since)
	for _, r := range srv.Requests() {
		q, _ := url.ParseQuery(r.Query)
		switch {
		case r.Path == support.ExportPath && !q.Has("cursor"):
			if got := q.Get("start_time"); got != strconv.FormatInt(since.Unix(), 10) {
				t.Errorf("export start_time %s, want %d", got, since.Unix())
			}
		case strings.HasPrefix(r.Path, "/api/v2/tickets/"):
			id, _ := strconv.ParseInt(strings.Split(r.Path, "/")[4], 10, 64)
			if !slices.Contains(inWindow, id) {
				t.Errorf("request %s for ticket %d, not a messaging ticket in the window", r.Path, id)
			}
		case r.Path == convPath && q.Get("filter[userId]") == "":
			t.Errorf("conversations listed without filter[userId]: %s?%s", r.Path, r.Query)
		}
	}
	for _, id := range []int64{d.Special.EdgeOut, d.Special.OldTicket, 1011, 1012} {
		if n := srv.Count("/api/v2/tickets/" + strconv.FormatInt(id, 10) + "/"); n != 0 {
			t.Errorf("ticket %d: %d requests, want none", id, n)
		}
	}
}

// checkUsers checks that users.json holds every participant and author
// the fake knows, each fetched once.
func checkUsers(t *testing.T, srv *zendesktest.Server, s snap, d *zendesktest.ConversationsData) {
	t.Helper()
	want := map[string]string{}
	for id, c := range s.conversations {
		for _, p := range c.Participants {
			var r struct{ UserID string }
			_ = json.Unmarshal(p, &r)
			if u := d.User(r.UserID); u != nil {
				want[r.UserID] = string(u)
			}
		}
		for _, m := range s.messages(t, id).Messages {
			var r struct{ Author struct{ UserID string } }
			_ = json.Unmarshal(m, &r)
			if u := d.User(r.Author.UserID); u != nil {
				want[r.Author.UserID] = string(u)
			}
		}
	}
	got := map[string]string{}
	for id, u := range s.users {
		got[id] = string(u)
		var r struct{ ExternalID string }
		_ = json.Unmarshal(u, &r)
		users := "/sc/v2/apps/" + zendesktest.AppID + "/users/"
		n := srv.Count(users + id)
		if r.ExternalID != "" {
			n += srv.Count(users + r.ExternalID)
		}
		if n != 1 {
			t.Errorf("user %s fetched %d times, want once", id, n)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
}

func TestBackfill(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	setEnv(t, srv, "SYNC_DAYS=0")
	s, _ := mustRun(t)

	if s.stats.Extra.Window.Start != nil {
		t.Errorf("window start %q, want null", *s.stats.Extra.Window.Start)
	}
	checkConversations(t, s, d, d.ConversationTickets(time.Time{}), time.Time{})
	for _, r := range srv.Requests() {
		if r.Path == support.ExportPath && r.Query != "start_time=0" && !strings.HasPrefix(r.Query, "cursor=") {
			t.Errorf("export query %q, want start_time=0", r.Query)
		}
	}
	if got := s.stats.Counts["messaging_tickets"]; got != int64(len(d.MessagingTicketIDs(time.Time{}))) {
		t.Errorf("messaging_tickets %d, want %d", got, len(d.MessagingTicketIDs(time.Time{})))
	}
}

func TestStuckExportCursor(t *testing.T) {
	d := zendesktest.DefaultConversations()
	d.StuckExportCursor = true
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	setEnv(t, srv)
	s, logs := mustRun(t)

	if n := srv.Count(support.ExportPath); n > 3 {
		t.Errorf("%d export requests: the walk did not stop", n)
	}
	if !s.hasGap("listing", "") {
		t.Errorf("no listing gap for the stuck export: %+v", s.stats.Gaps)
	}
	if !strings.Contains(logs.String(), `"level":"WARN","msg":"gap","kind":"listing"`) {
		t.Errorf("no warning for the stuck export in the log:\n%s", logs)
	}
	since := windowStart(t, s)
	checkConversations(t, s, d, d.ConversationTickets(since), since)
}
