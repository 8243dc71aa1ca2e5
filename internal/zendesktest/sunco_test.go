package zendesktest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var convNow = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// startConv starts a fake serving the default conversations at convNow,
// on a clock stopped at convNow, with the endpoint limits off.
func startConv(t *testing.T, tune func(*ConversationsData)) (*Server, *ConversationsData) {
	t.Helper()
	d := DefaultConversationsAt(convNow)
	d.ExportRateLimit, d.LogRateLimit = 0, 0
	if tune != nil {
		tune(d)
	}
	return Start(t, Options{Conversations: d, Now: func() time.Time { return convNow }}), d
}

// convGet sends GET url with auth applied and returns the status and body.
func convGet(t *testing.T, url string, auth func(*http.Request)) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != nil {
		auth(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func suncoBasic(r *http.Request) { r.SetBasicAuth(KeyID, KeySecret) }

func bearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func signJWT(t *testing.T, method jwt.SigningMethod, kid string, claims jwt.MapClaims, secret string) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

func TestSuncoAuth(t *testing.T) {
	s, d := startConv(t, nil)
	url := s.URL + "/sc/v2/apps/" + AppID + "/conversations/" + d.Special.RichConversation
	app := jwt.MapClaims{"scope": "app"}
	tests := []struct {
		name string
		auth func(*http.Request)
		want int
	}{
		{"basic", suncoBasic, http.StatusOK},
		{"jwt", bearer(signJWT(t, jwt.SigningMethodHS256, KeyID, app, KeySecret)), http.StatusOK},
		{"jwt with exp", bearer(signJWT(t, jwt.SigningMethodHS256, KeyID,
			jwt.MapClaims{"scope": "app", "exp": time.Now().Add(time.Hour).Unix()}, KeySecret)), http.StatusOK},
		{"none", nil, http.StatusUnauthorized},
		{"wrong secret", func(r *http.Request) { r.SetBasicAuth(KeyID, "nope") }, http.StatusUnauthorized},
		{"zendesk token", func(r *http.Request) { r.SetBasicAuth(Email+"/token", APIToken) }, http.StatusUnauthorized},
		{"bad signature", bearer(signJWT(t, jwt.SigningMethodHS256, KeyID, app, "other")), http.StatusUnauthorized},
		{"wrong kid", bearer(signJWT(t, jwt.SigningMethodHS256, "app_other", app, KeySecret)), http.StatusUnauthorized},
		{"no scope", bearer(signJWT(t, jwt.SigningMethodHS256, KeyID, jwt.MapClaims{}, KeySecret)),
			http.StatusUnauthorized},
		{"account scope", bearer(signJWT(t, jwt.SigningMethodHS256, KeyID,
			jwt.MapClaims{"scope": "account"}, KeySecret)), http.StatusUnauthorized},
		{"HS512", bearer(signJWT(t, jwt.SigningMethodHS512, KeyID, app, KeySecret)), http.StatusUnauthorized},
		{"expired", bearer(signJWT(t, jwt.SigningMethodHS256, KeyID,
			jwt.MapClaims{"scope": "app", "exp": time.Now().Add(-time.Hour).Unix()}, KeySecret)),
			http.StatusUnauthorized},
		{"garbage", bearer("not.a.jwt"), http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, body := convGet(t, url, tt.auth)
			if got != tt.want {
				t.Fatalf("status = %d, want %d; body %s", got, tt.want, body)
			}
			if got == http.StatusUnauthorized && !bytes.Contains(body, []byte(`"code":"unauthorized"`)) {
				t.Errorf("body = %s, want an unauthorized error", body)
			}
		})
	}
}

type suncoList struct {
	Conversations []json.RawMessage `json:"conversations"`
	Participants  []json.RawMessage `json:"participants"`
	Messages      []json.RawMessage `json:"messages"`
	Meta          struct {
		HasMore      bool    `json:"hasMore"`
		AfterCursor  *string `json:"afterCursor"`
		BeforeCursor *string `json:"beforeCursor"`
	} `json:"meta"`
	Links struct {
		Next *string `json:"next"`
		Prev *string `json:"prev"`
	} `json:"links"`
}

func TestSuncoMessagesPageBackwards(t *testing.T) {
	s, d := startConv(t, nil)
	id := d.Special.LongConversation
	url := s.URL + "/sc/v2/apps/" + AppID + "/conversations/" + id + "/messages?page[size]=10"
	var pages [][]json.RawMessage
	for url != "" && len(pages) < 5 {
		status, body := convGet(t, url, suncoBasic)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d, body %s", url, status, body)
		}
		var page suncoList
		decode(t, body, &page)
		pages = append(pages, page.Messages)
		url = ""
		if page.Meta.HasMore {
			if page.Meta.BeforeCursor == nil || page.Links.Prev == nil {
				t.Fatalf("page %d: hasMore without beforeCursor and prev: %s", len(pages), body)
			}
			if got, want := *page.Meta.BeforeCursor, recordID(t, page.Messages[0]); got != want {
				t.Errorf("page %d: beforeCursor = %s, want the oldest message %s", len(pages), got, want)
			}
			url = *page.Links.Prev
		}
	}
	var sizes []int
	var all []json.RawMessage
	for i := len(pages) - 1; i >= 0; i-- {
		sizes = append(sizes, len(pages[i]))
		all = append(all, pages[i]...)
	}
	if want := []int{57, 100, 100}; !slices.Equal(sizes, want) {
		t.Fatalf("page sizes oldest first = %v, want %v", sizes, want)
	}
	want := d.Messages(id)
	if !slices.EqualFunc(all, want, rawEqual) {
		t.Errorf("messages paged back differ from the %d messages of the data set", len(want))
	}
}

func recordID(t *testing.T, raw json.RawMessage) string {
	var m struct{ ID string }
	decode(t, raw, &m)
	return m.ID
}

func TestSuncoConversations(t *testing.T) {
	s, d := startConv(t, nil)
	base := s.URL + "/sc/v2/apps/" + AppID + "/conversations"
	tests := []struct {
		name, query string
		status      int
		code        string
	}{
		{"no filter", "", http.StatusBadRequest, "bad_request"},
		{"both filters", "?filter[userId]=" + d.Special.FallbackUser + "&filter[userExternalId]=x",
			http.StatusBadRequest, "bad_request"},
		{"unknown user", "?filter[userId]=65f1ff000000000000000000", http.StatusNotFound, "user_not_found"},
		{"missing user", "?filter[userId]=" + d.Special.MissingUser, http.StatusNotFound, "user_not_found"},
		{"page size 0", "?filter[userExternalId]=cust-1005&page[size]=0", http.StatusBadRequest, "bad_request"},
		{"page size 101", "?filter[userExternalId]=cust-1005&page[size]=101", http.StatusBadRequest, "bad_request"},
		{"bad cursor", "?filter[userExternalId]=cust-1005&page[after]=x", http.StatusBadRequest, "bad_request"},
		{"by id", "?filter[userId]=" + d.Special.FallbackUser, http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := convGet(t, base+tt.query, suncoBasic)
			if status != tt.status || !bytes.Contains(body, []byte(tt.code)) {
				t.Errorf("status %d, body %s; want %d %s", status, body, tt.status, tt.code)
			}
		})
	}

	// One conversation a page, by externalId, following links.next.
	var got []string
	url := base + "?filter[userExternalId]=" + d.Special.ExternalID + "&page[size]=1"
	for url != "" && len(got) < 5 {
		_, body := convGet(t, url, suncoBasic)
		var page suncoList
		decode(t, body, &page)
		for _, c := range page.Conversations {
			got = append(got, recordID(t, c))
		}
		url = ""
		if page.Meta.HasMore {
			url = *page.Links.Next
		}
	}
	want := d.UserConversations(d.Special.ExternalID)
	if !slices.Equal(got, want) || !slices.Contains(got, d.Special.Unindexed) {
		t.Errorf("conversations of %s = %v, want %v with %s", d.Special.ExternalID, got, want, d.Special.Unindexed)
	}
}

func TestSuncoRecords(t *testing.T) {
	s, d := startConv(t, nil)
	app := s.URL + "/sc/v2/apps/" + AppID
	sp := d.Special
	tests := []struct {
		name, path string
		status     int
		want       string
	}{
		{"conversation", "/conversations/" + sp.Spanning, http.StatusOK,
			`{"conversation":` + string(d.Conversation(sp.Spanning)) + `}`},
		{"unknown conversation", "/conversations/65f1ff000000000000000000", http.StatusNotFound,
			"conversation_not_found"},
		{"user by id", "/users/" + sp.FallbackUser, http.StatusOK,
			`{"user":` + string(d.User(sp.FallbackUser)) + `}`},
		{"user by externalId", "/users/cust-1005", http.StatusOK, `{"user":` + string(d.User("cust-1005")) + `}`},
		{"missing user", "/users/" + sp.MissingUser, http.StatusNotFound, "user_not_found"},
		{"participants of unknown", "/conversations/65f1ff000000000000000000/participants",
			http.StatusNotFound, "conversation_not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := convGet(t, app+tt.path, suncoBasic)
			if status != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("status %d, body %s; want %d %s", status, body, tt.status, tt.want)
			}
		})
	}
	status, body := convGet(t, s.URL+"/sc/v2/apps/app_other/conversations/"+sp.Spanning, suncoBasic)
	if status != http.StatusNotFound || !bytes.Contains(body, []byte("app_not_found")) {
		t.Errorf("other app: status %d, body %s; want 404 app_not_found", status, body)
	}

	_, body = convGet(t, app+"/conversations/"+sp.MissingUserConversation+"/participants", suncoBasic)
	var page suncoList
	decode(t, body, &page)
	if len(page.Participants) != 2 || !bytes.Contains(body, []byte(sp.MissingUser)) || page.Meta.HasMore {
		t.Errorf("participants = %s, want 2 with %s", body, sp.MissingUser)
	}
}
