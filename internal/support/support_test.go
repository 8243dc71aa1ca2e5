package support_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zendesk-sync/zendesk-sync/internal/paging"
	"github.com/zendesk-sync/zendesk-sync/internal/support"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

func newClient(t *testing.T, srv *zendesktest.Server, opts support.Options) *support.Client {
	t.Helper()
	api, err := zendesk.New(zendesk.Options{BaseURL: srv.URL,
		Auth: zendesk.APIToken(zendesktest.Email, zendesktest.APIToken), Timeout: 5 * time.Second,
		MaxRetries: 2, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return support.New(api, opts)
}

func exportAll(t *testing.T, c *support.Client, since time.Time) ([]int64, error) {
	t.Helper()
	var ids []int64
	err := c.ExportTickets(context.Background(), since, func(page []support.Ticket) error {
		for _, tk := range page {
			if tk.FromMessagingChannel && !tk.UpdatedAt.Before(since) {
				ids = append(ids, tk.ID)
			}
		}
		return nil
	})
	slices.Sort(ids)
	return ids, err
}

func TestExportTickets(t *testing.T) {
	d := zendesktest.DefaultConversations()
	since := d.Now.Add(-7 * 24 * time.Hour)
	for _, s := range []time.Time{since, {}} {
		srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
		got, err := exportAll(t, newClient(t, srv, support.Options{}), s)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(d.MessagingTicketIDs(s), got); diff != "" {
			t.Errorf("since %v: messaging tickets (-want +got):\n%s", s, diff)
		}
		q, _ := url.ParseQuery(srv.Requests()[0].Query)
		if want := max(s.Unix(), 0); q.Get("start_time") != strconv.FormatInt(want, 10) {
			t.Errorf("start_time %s, want %d", q.Get("start_time"), want)
		}
	}
}

func TestExportNeverTooRecent(t *testing.T) {
	srv := zendesktest.Start(t, zendesktest.Options{})
	now := time.Now()
	c := newClient(t, srv, support.Options{Now: func() time.Time { return now }})
	if _, err := exportAll(t, c, now.Add(-10*time.Second)); err != nil {
		t.Fatalf("export from 10 seconds ago: %v", err)
	}
	q, _ := url.ParseQuery(srv.Requests()[0].Query)
	if got, want := q.Get("start_time"), strconv.FormatInt(now.Add(-61*time.Second).Unix(), 10); got != want {
		t.Errorf("start_time %s, want %s", got, want)
	}
}

func TestExportStuckCursor(t *testing.T) {
	d := zendesktest.DefaultConversations()
	d.StuckExportCursor = true
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c := newClient(t, srv, support.Options{ExportPerMinute: 6000})
	got, err := exportAll(t, c, time.Time{})
	var stalled *paging.StalledError
	if !errors.As(err, &stalled) {
		t.Fatalf("got %v, want a *paging.StalledError", err)
	}
	if diff := cmp.Diff(d.MessagingTicketIDs(time.Time{}), got); diff != "" {
		t.Errorf("tickets handed over before the stall (-want +got):\n%s", diff)
	}
}

func TestExportPaced(t *testing.T) {
	d := zendesktest.DefaultConversations()
	d.StuckExportCursor = true // two requests
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c := newClient(t, srv, support.Options{ExportPerMinute: 600}) // one per 100ms
	start := time.Now()
	_, _ = exportAll(t, c, time.Time{})
	if e := time.Since(start); e < 90*time.Millisecond {
		t.Errorf("two export requests in %s: not paced", e)
	}
}

func TestConversationIDs(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c := newClient(t, srv, support.Options{})
	sp := d.Special
	tests := []struct {
		ticket int64
		want   []string
	}{
		{sp.SpanningTickets[0], []string{sp.Spanning}},
		{sp.SpanningTickets[1], []string{sp.Spanning}}, // the event is in the second audit
		{sp.FallbackTicket, nil},
		{sp.GapTicket, nil},
	}
	for _, tt := range tests {
		got, err := c.ConversationIDs(context.Background(), tt.ticket)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ticket %d (-want +got):\n%s", tt.ticket, diff)
		}
	}
}

func TestLogUserIDs(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c := newClient(t, srv, support.Options{})
	sp := d.Special
	for ticket, want := range map[int64][]string{sp.FallbackTicket: {sp.FallbackUser}, sp.GapTicket: nil} {
		got, err := c.LogUserIDs(context.Background(), ticket)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ticket %d (-want +got):\n%s", ticket, diff)
		}
	}
}
