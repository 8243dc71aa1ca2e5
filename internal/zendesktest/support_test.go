package zendesktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

func zendeskBasic(r *http.Request) { r.SetBasicAuth(Email+"/token", APIToken) }

type exportPage struct {
	Tickets []struct {
		ID        int64 `json:"id"`
		Messaging bool  `json:"from_messaging_channel"`
	} `json:"tickets"`
	AfterURL     string `json:"after_url"`
	AfterCursor  string `json:"after_cursor"`
	BeforeCursor string `json:"before_cursor"`
	EndOfStream  bool   `json:"end_of_stream"`
}

func exportURL7Days(s *Server, perPage int) string {
	start := convNow.Add(-7 * day).Unix()
	return s.URL + "/api/v2/incremental/tickets/cursor.json?start_time=" +
		strconv.FormatInt(start, 10) + "&per_page=" + strconv.Itoa(perPage)
}

func TestSupportExportPagesToEndOfStream(t *testing.T) {
	s, d := startConv(t, nil)
	var all, messaging []int64
	url, pages := exportURL7Days(s, 3), 0
	for ; url != "" && pages < 10; pages++ {
		status, body := convGet(t, url, zendeskBasic)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d, body %s", url, status, body)
		}
		var page exportPage
		decode(t, body, &page)
		for _, tk := range page.Tickets {
			all = append(all, tk.ID)
			if tk.Messaging {
				messaging = append(messaging, tk.ID)
			}
		}
		url = ""
		if !page.EndOfStream {
			url = page.AfterURL
		}
	}
	// 1001-1004, 1006-1008, 1010, 1011: 9 tickets, 1013 too recent.
	if got, want := pages, 3; got != want {
		t.Errorf("pages = %d, want %d", got, want)
	}
	slices.Sort(all)
	slices.Sort(messaging)
	wantAll := []int64{1001, 1002, 1003, 1004, 1006, 1007, 1008, 1010, 1011}
	if !slices.Equal(all, wantAll) {
		t.Errorf("exported tickets = %v, want %v", all, wantAll)
	}
	if want := d.MessagingTicketIDs(convNow.Add(-7 * day)); !slices.Equal(messaging, want) {
		t.Errorf("messaging tickets = %v, want %v", messaging, want)
	}
}

func TestSupportExportErrors(t *testing.T) {
	s, _ := startConv(t, nil)
	base := s.URL + "/api/v2/incremental/tickets/cursor.json"
	recent := strconv.FormatInt(convNow.Add(-30*time.Second).Unix(), 10)
	tests := []struct {
		name, query string
		status      int
	}{
		{"too recent", "?start_time=" + recent, http.StatusUnprocessableEntity},
		{"future", "?start_time=" + strconv.FormatInt(convNow.Add(time.Hour).Unix(), 10),
			http.StatusUnprocessableEntity},
		{"no start", "", http.StatusBadRequest},
		{"not a number", "?start_time=yesterday", http.StatusBadRequest},
		{"bad cursor", "?cursor=%21%21", http.StatusBadRequest},
		{"bad per_page", "?start_time=0&per_page=0", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := convGet(t, base+tt.query, zendeskBasic)
			var e struct{ Error, Description string }
			decode(t, body, &e)
			if status != tt.status || e.Error == "" || e.Description == "" {
				t.Errorf("status %d, body %s; want %d with error and description", status, body, tt.status)
			}
		})
	}
	if status, _ := convGet(t, base+"?start_time=0", nil); status != http.StatusUnauthorized {
		t.Errorf("without credentials: status %d, want 401", status)
	}
}

func TestSupportExportStuckCursor(t *testing.T) {
	s, _ := startConv(t, func(d *ConversationsData) { d.StuckExportCursor = true })
	_, body := convGet(t, exportURL7Days(s, 1000), zendeskBasic)
	var first exportPage
	decode(t, body, &first)
	if first.EndOfStream || len(first.Tickets) != 9 {
		t.Fatalf("first page: %d tickets, end_of_stream %v; want 9, false", len(first.Tickets), first.EndOfStream)
	}
	for i := range 3 {
		_, body = convGet(t, first.AfterURL, zendeskBasic)
		var page exportPage
		decode(t, body, &page)
		if page.AfterCursor != first.AfterCursor || page.EndOfStream {
			t.Fatalf("request %d: after_cursor %q, end_of_stream %v; want %q, false",
				i, page.AfterCursor, page.EndOfStream, first.AfterCursor)
		}
	}
}

// stepClock is a clock tests move by hand.
type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *stepClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func TestSupportEndpointLimits(t *testing.T) {
	d := DefaultConversationsAt(convNow)
	d.ExportRateLimit, d.LogRateLimit = 2, 3
	clock := &stepClock{now: convNow}
	s := Start(t, Options{Conversations: d, Now: clock.Now})
	logURL := s.URL + "/api/v2/tickets/1006/conversation_log"
	tests := []struct {
		url   string
		limit int
	}{{exportURL7Days(s, 1000), 2}, {logURL, 3}}
	for _, tt := range tests {
		for i := range tt.limit {
			if status, body := convGet(t, tt.url, zendeskBasic); status != http.StatusOK {
				t.Fatalf("request %d to %s: status %d, body %s", i, tt.url, status, body)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
		zendeskBasic(req)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Errorf("over the limit of %s: status %d, Retry-After %q; want 429 with Retry-After",
				tt.url, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	clock.Add(time.Minute)
	if status, body := convGet(t, logURL, zendeskBasic); status != http.StatusOK {
		t.Errorf("a minute later: status %d, body %s; want 200", status, body)
	}
}

func chatStarted(t *testing.T, body []byte) []string {
	t.Helper()
	var page struct {
		Audits []struct {
			Events []struct {
				Type  string
				Value json.RawMessage
			}
		}
	}
	decode(t, body, &page)
	var ids []string
	for _, a := range page.Audits {
		for _, e := range a.Events {
			if e.Type == "ChatStartedEvent" {
				var v struct {
					ConversationID string `json:"conversation_id"`
				}
				decode(t, e.Value, &v)
				ids = append(ids, v.ConversationID)
			}
		}
	}
	return ids
}

func TestSupportAudits(t *testing.T) {
	s, d := startConv(t, nil)
	sp := d.Special
	audits := func(id int64, query string) string {
		return s.URL + "/api/v2/tickets/" + strconv.FormatInt(id, 10) + "/audits.json" + query
	}
	tests := []struct {
		name string
		url  string
		want []string
	}{
		{"long, second page", audits(1001, "?page=2"), nil},
		{"long, by cursor", audits(1001, "?page[size]=100"), []string{sp.LongConversation}},
		{"spanning, first", audits(1002, ""), []string{sp.Spanning}},
		{"spanning, in second audit", audits(1003, ""), []string{sp.Spanning}},
		{"fallback", audits(sp.FallbackTicket, ""), nil},
		{"gap", audits(sp.GapTicket, ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := convGet(t, tt.url, zendeskBasic)
			if got := chatStarted(t, body); status != http.StatusOK || !slices.Equal(got, tt.want) {
				t.Errorf("status %d, conversations %v; want 200, %v", status, got, tt.want)
			}
		})
	}
	_, body := convGet(t, audits(1001, ""), zendeskBasic)
	var page struct {
		Audits   []json.RawMessage
		Count    int
		NextPage *string `json:"next_page"`
	}
	decode(t, body, &page)
	if len(page.Audits) != 30 || page.Count != 35 || page.NextPage == nil {
		t.Errorf("first offset page: %d audits of %d, next %v; want 30 of 35 and a next page",
			len(page.Audits), page.Count, page.NextPage)
	}
	status, body := convGet(t, audits(999, ""), zendeskBasic)
	if status != http.StatusNotFound || string(body) != bodyRecordLost {
		t.Errorf("unknown ticket: status %d, body %s; want 404 %s", status, body, bodyRecordLost)
	}
}

func TestSupportConversationLog(t *testing.T) {
	s, d := startConv(t, nil)
	sp := d.Special
	logOf := func(id int64) string {
		return s.URL + "/api/v2/tickets/" + strconv.FormatInt(id, 10) + "/conversation_log"
	}
	users := func(body []byte) []string {
		var page struct {
			Events []struct {
				Author map[string]any
			}
			Meta struct {
				HasMore bool `json:"has_more"`
			}
		}
		decode(t, body, &page)
		var ids []string
		for _, e := range page.Events {
			if id, ok := e.Author["zen:sunco:user_id"].(string); ok && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	status, body := convGet(t, logOf(sp.FallbackTicket), zendeskBasic)
	if got := users(body); status != http.StatusOK || !slices.Equal(got, []string{sp.FallbackUser}) {
		t.Errorf("fallback log: status %d, users %v; want [%s]", status, got, sp.FallbackUser)
	}
	for _, key := range []string{`"events":`, `"links":`, `"has_more":`, `"after_cursor":`} {
		if !bytes.Contains(body, []byte(key)) {
			t.Errorf("fallback log lacks %s: %s", key, body)
		}
	}
	if _, body = convGet(t, logOf(sp.GapTicket), zendeskBasic); len(users(body)) != 0 {
		t.Errorf("gap log names SunCo users: %s", body)
	}
	status, body = convGet(t, logOf(999), zendeskBasic)
	if status != http.StatusNotFound || string(body) != bodyRecordLost {
		t.Errorf("unknown ticket: status %d, body %s; want 404 %s", status, body, bodyRecordLost)
	}
}
