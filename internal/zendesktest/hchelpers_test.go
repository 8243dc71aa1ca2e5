package zendesktest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// hcAuth is how a test request authenticates.
type hcAuth int

const (
	asAgent hcAuth = iota // API token basic auth
	asAnonymous
	asBearer
	asWrongToken
)

// hcGet sends GET base+path and returns the answer with its body read.
func hcGet(t *testing.T, url string, auth hcAuth) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	switch auth {
	case asAgent:
		req.SetBasicAuth(Email+"/token", APIToken)
	case asBearer:
		req.Header.Set("Authorization", "Bearer "+OAuthToken)
	case asWrongToken:
		req.SetBasicAuth(Email+"/token", "wrong")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, body
}

// hcEnvelope is a Zendesk list answer: the items under key and the rest.
type hcEnvelope struct {
	items  []json.RawMessage
	fields map[string]json.RawMessage
	meta   struct {
		HasMore     bool    `json:"has_more"`
		AfterCursor *string `json:"after_cursor"`
	}
	links struct {
		Next *string `json:"next"`
	}
}

func hcDecode(t *testing.T, body []byte, key string) hcEnvelope {
	t.Helper()
	var e hcEnvelope
	if err := json.Unmarshal(body, &e.fields); err != nil {
		t.Fatalf("decode %.200s: %v", body, err)
	}
	if err := json.Unmarshal(e.fields[key], &e.items); err != nil {
		t.Fatalf("decode %q of %.200s: %v", key, body, err)
	}
	if m, ok := e.fields["meta"]; ok {
		_ = json.Unmarshal(m, &e.meta)
	}
	if l, ok := e.fields["links"]; ok {
		_ = json.Unmarshal(l, &e.links)
	}
	return e
}

// hcWalk follows a cursor listing from its first page to its last and
// returns every item and the number of pages.
func hcWalk(t *testing.T, srv *Server, path, key string) ([]json.RawMessage, int) {
	t.Helper()
	var items []json.RawMessage
	next := srv.URL + path + "?page%5Bsize%5D=100"
	for pages := 1; pages < 1000; pages++ {
		resp, body := hcGet(t, next, asAgent)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d: %s", next, resp.StatusCode, body)
		}
		e := hcDecode(t, body, key)
		items = append(items, e.items...)
		if !e.meta.HasMore {
			return items, pages
		}
		if e.links.Next == nil || e.meta.AfterCursor == nil {
			t.Fatalf("page %d: has_more without links.next or after_cursor: %.300s", pages, body)
		}
		next = *e.links.Next
	}
	t.Fatalf("%s: more than 1000 pages", path)
	return nil, 0
}

// hcClock is a settable clock for Options.Now.
type hcClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *hcClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *hcClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func hcIDs(t *testing.T, items []json.RawMessage) []string {
	t.Helper()
	ids := make([]string, len(items))
	for i, it := range items {
		var v struct{ ID json.Number }
		if err := json.Unmarshal(it, &v); err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
		ids[i] = v.ID.String()
	}
	return ids
}

func hcContains(s []byte, sub string) bool { return strings.Contains(string(s), sub) }
