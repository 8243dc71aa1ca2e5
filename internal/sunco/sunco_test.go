package sunco_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zendesk-sync/zendesk-sync/internal/sunco"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

func newClient(t *testing.T, srv *zendesktest.Server, authType, secret string) (*sunco.Client, *zendesk.Client) {
	t.Helper()
	auth, err := sunco.Auth(authType, zendesktest.KeyID, secret)
	if err != nil {
		t.Fatal(err)
	}
	api, err := zendesk.New(zendesk.Options{BaseURL: srv.URL + "/sc", Auth: auth,
		AuthHint: sunco.AuthHint(authType), Timeout: 5 * time.Second, MaxRetries: 3,
		BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return sunco.New(api, zendesktest.AppID), api
}

func TestAuth(t *testing.T) {
	tests := []struct {
		authType, secret string
		ok               bool
	}{
		{sunco.AuthBasic, zendesktest.KeySecret, true},
		{sunco.AuthBearer, zendesktest.KeySecret, true},
		{sunco.AuthBasic, "wrong", false},
		{sunco.AuthBearer, "wrong", false},
	}
	for _, tt := range tests {
		t.Run(tt.authType+"/"+tt.secret, func(t *testing.T) {
			srv := zendesktest.Start(t, zendesktest.Options{})
			c, api := newClient(t, srv, tt.authType, tt.secret)
			err := c.Check(context.Background())
			if tt.ok {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if !zendesk.HasStatus(err, http.StatusUnauthorized) {
				t.Fatalf("Check: got %v, want a 401", err)
			}
			if !strings.Contains(err.Error(), "SUNCO_KEY_SECRET") || sunco.ErrorCode(err) != "unauthorized" {
				t.Errorf("error %q: want the hint and code unauthorized", err)
			}
			if s := api.Stats(); s.Requests != 1 || s.Retries != 0 {
				t.Errorf("stats %+v, want one request and no retry", s)
			}
		})
	}
}

func TestAuthUnknownType(t *testing.T) {
	if _, err := sunco.Auth("digest", "k", "s"); err == nil {
		t.Fatal("Auth(digest): no error")
	}
}

func TestCheckUnknownApp(t *testing.T) {
	srv := zendesktest.Start(t, zendesktest.Options{})
	_, api := newClient(t, srv, sunco.AuthBasic, zendesktest.KeySecret)
	err := sunco.New(api, "app_other").Check(context.Background())
	if err == nil || !strings.Contains(err.Error(), "SUNCO_APP_ID") || sunco.ErrorCode(err) != "app_not_found" {
		t.Fatalf("Check: got %v, want app_not_found naming SUNCO_APP_ID", err)
	}
}

func TestListMessages(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c, _ := newClient(t, srv, sunco.AuthBasic, zendesktest.KeySecret)
	long := d.Special.LongConversation

	var pages [][]string
	err := c.ListMessages(context.Background(), long, time.Time{}, func(page []sunco.Message) error {
		var ids []string
		for _, m := range page {
			ids = append(ids, string(m.Raw))
		}
		pages = append(pages, ids)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Newest page first, each page in the order served.
	all := d.Messages(long)
	var want [][]string
	for end := len(all); end > 0; end -= 100 {
		var page []string
		for _, m := range all[max(end-100, 0):end] {
			page = append(page, string(m))
		}
		want = append(want, page)
	}
	if diff := cmp.Diff(want, pages); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	for _, r := range srv.Requests()[1:] {
		if q, _ := url.ParseQuery(r.Query); !q.Has("page[before]") || q.Has("page[after]") {
			t.Errorf("later page asked with %q, want page[before]", r.Query)
		}
	}
}

func TestListMessagesWindow(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c, _ := newClient(t, srv, sunco.AuthBasic, zendesktest.KeySecret)
	long := d.Special.LongConversation
	since := d.Now.Add(-12 * 24 * time.Hour) // inside the second page

	got := map[string]bool{}
	err := c.ListMessages(context.Background(), long, since, func(page []sunco.Message) error {
		for _, m := range page {
			got[string(m.Raw)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, m := range d.MessagesSince(long, since) {
		want[string(m)] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if n := srv.Count("/sc/v2/apps/" + zendesktest.AppID + "/conversations/" + long + "/messages"); n != 2 {
		t.Errorf("%d pages fetched, want 2", n)
	}
}

func TestListUserConversations(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c, _ := newClient(t, srv, sunco.AuthBasic, zendesktest.KeySecret)
	ctx := context.Background()

	var got []string
	err := c.ListUserConversations(ctx, d.Special.FallbackUser, func(items []json.RawMessage) error {
		for _, raw := range items {
			var r sunco.Record
			_ = json.Unmarshal(raw, &r)
			got = append(got, r.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{d.Special.FallbackConversation}, got); diff != "" {
		t.Errorf("conversations (-want +got):\n%s", diff)
	}

	err = c.ListUserConversations(ctx, "", func([]json.RawMessage) error { return nil })
	if err == nil {
		t.Error("ListUserConversations with no user: no error")
	}
	for _, r := range srv.Requests() {
		if q, _ := url.ParseQuery(r.Query); q.Get("filter[userId]") == "" {
			t.Errorf("conversations listed without filter[userId]: %q", r.Query)
		}
	}
}

func TestGetUserByExternalID(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c, _ := newClient(t, srv, sunco.AuthBasic, zendesktest.KeySecret)
	raw, err := c.GetUser(context.Background(), d.Special.ExternalID)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != string(d.User(d.Special.ExternalID)) {
		t.Errorf("got %s, want %s", raw, d.User(d.Special.ExternalID))
	}
	_, err = c.GetUser(context.Background(), "no/such user")
	var apiErr *zendesk.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusNotFound || sunco.ErrorCode(err) != "user_not_found" {
		t.Errorf("GetUser(unknown): got %v, want 404 user_not_found", err)
	}
	if !strings.Contains(apiErr.Path, "no%2Fsuch%20user") {
		t.Errorf("path %q: the id is not escaped", apiErr.Path)
	}
}

func TestRateLimitedWithoutRetryAfter(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	c, api := newClient(t, srv, sunco.AuthBasic, zendesktest.KeySecret)
	id := d.Special.RichConversation
	f := zendesktest.Fault{Status: http.StatusTooManyRequests,
		Body: `{"errors":[{"code":"too_many_requests","title":"Too many requests"}]}`}
	srv.Inject("/sc/v2/apps/"+zendesktest.AppID+"/conversations/"+id, f, f, f)

	raw, err := c.GetConversation(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != string(d.Conversation(id)) {
		t.Errorf("got %s, want %s", raw, d.Conversation(id))
	}
	if s := api.Stats(); s.RateLimited != 3 || s.Retries != 3 {
		t.Errorf("stats %+v, want 3 rate limited, 3 retries", s)
	}
}
