package zendesktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestCursorPagingWalksEveryItem(t *testing.T) {
	d := GenerateHelpCenter(HCGen{Articles: 250, AttachmentsPerArticle: -1})
	srv := Start(t, Options{HelpCenter: d})

	items, pages := hcWalk(t, srv, "/api/v2/help_center/en-us/articles", "articles")
	if got, want := len(items), 250; got != want {
		t.Fatalf("got %d articles, want %d", got, want)
	}
	if got, want := pages, 3; got != want {
		t.Errorf("got %d pages, want %d", got, want)
	}
	for j, it := range items {
		if want := d.Article(srv.URL, "en-us", j); !bytes.Equal(it, want) {
			t.Fatalf("article %d differs from the data set's bytes", j)
		}
	}
	seen := map[string]bool{}
	for _, id := range hcIDs(t, items) {
		if seen[id] {
			t.Fatalf("article %s listed twice", id)
		}
		seen[id] = true
	}
}

func TestCursorEnvelope(t *testing.T) {
	srv := Start(t, Options{HelpCenter: GenerateHelpCenter(HCGen{Articles: 150})})
	_, body := hcGet(t, srv.URL+"/api/v2/help_center/en-us/articles?page%5Bsize%5D=100", asAgent)
	first := hcDecode(t, body, "articles")
	if !first.meta.HasMore || first.meta.AfterCursor == nil || first.links.Next == nil {
		t.Fatalf("first page: got meta %+v links %+v, want has_more, after_cursor, links.next",
			first.meta, first.links)
	}
	for _, key := range []string{"articles", "meta", "links"} {
		if _, ok := first.fields[key]; !ok {
			t.Errorf("first page has no %q", key)
		}
	}

	_, body = hcGet(t, *first.links.Next, asAgent)
	last := hcDecode(t, body, "articles")
	if last.meta.HasMore || last.links.Next != nil || len(last.items) != 50 {
		t.Errorf("last page: got has_more %v, next %v, %d items; want false, null, 50",
			last.meta.HasMore, last.links.Next, len(last.items))
	}
	var prev struct{ Links struct{ Prev string } }
	_ = json.Unmarshal(body, &prev)
	_, body = hcGet(t, prev.Links.Prev, asAgent)
	if back := hcDecode(t, body, "articles"); len(back.items) != 100 {
		t.Errorf("links.prev: got %d items, want 100", len(back.items))
	}
}

func TestOffsetPaging(t *testing.T) {
	srv := Start(t, Options{HelpCenter: GenerateHelpCenter(HCGen{Articles: 75})})
	base := srv.URL + "/api/v2/help_center/en-us/articles"
	tests := []struct {
		query      string
		status     int
		items      int
		wantFields []string
	}{
		{"", http.StatusOK, 30, []string{"count", "next_page", "previous_page", "page", "per_page", "page_count"}},
		{"?page=3", http.StatusOK, 15, []string{"count"}},
		{"?per_page=100", http.StatusOK, 75, []string{"count"}},
		{"?page=100", http.StatusOK, 0, []string{"count"}},
		{"?page=101", http.StatusBadRequest, 0, nil},
		{"?per_page=101", http.StatusBadRequest, 0, nil},
		{"?page%5Bsize%5D=101", http.StatusBadRequest, 0, nil},
		{"?page%5Bafter%5D=garbage", http.StatusBadRequest, 0, nil},
	}
	for _, tt := range tests {
		resp, body := hcGet(t, base+tt.query, asAgent)
		if resp.StatusCode != tt.status {
			t.Errorf("%s: got status %d, want %d: %s", tt.query, resp.StatusCode, tt.status, body)
			continue
		}
		if tt.status != http.StatusOK {
			continue
		}
		e := hcDecode(t, body, "articles")
		if len(e.items) != tt.items {
			t.Errorf("%s: got %d items, want %d", tt.query, len(e.items), tt.items)
		}
		for _, f := range tt.wantFields {
			if _, ok := e.fields[f]; !ok {
				t.Errorf("%s: no %q in the envelope", tt.query, f)
			}
		}
	}
}

func TestStuckCursor(t *testing.T) {
	d := GenerateHelpCenter(HCGen{Articles: 150})
	d.StuckCursor = "/api/v2/help_center/ja/articles"
	srv := Start(t, Options{HelpCenter: d})

	next := srv.URL + d.StuckCursor + "?page%5Bsize%5D=100"
	var cursors []string
	for range 4 {
		_, body := hcGet(t, next, asAgent)
		e := hcDecode(t, body, "articles")
		if !e.meta.HasMore || e.links.Next == nil {
			t.Fatalf("stuck listing ended: %+v", e.meta)
		}
		cursors = append(cursors, *e.meta.AfterCursor)
		next = *e.links.Next
	}
	if cursors[1] != cursors[2] || cursors[2] != cursors[3] {
		t.Errorf("got cursors %q, want the same after_cursor from the second page on", cursors)
	}

	var offset struct {
		NextPage string `json:"next_page"`
	}
	_, body := hcGet(t, srv.URL+d.StuckCursor+"?page=2", asAgent)
	if err := json.Unmarshal(body, &offset); err != nil || !strings.HasSuffix(offset.NextPage, "page=2") {
		t.Errorf("offset page 2: got next_page %q, want page 2 again", offset.NextPage)
	}

	_, body = hcGet(t, srv.URL+"/api/v2/help_center/en-us/articles?page%5Bsize%5D=100", asAgent)
	if e := hcDecode(t, body, "articles"); e.meta.HasMore != true {
		t.Errorf("en-us first page: got has_more false, want true")
	}
}
