package paging

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// pages answers each query (encoded) with a canned body and records the
// queries sent.
type pages struct {
	bodies map[string]string
	sent   []string
}

func (p *pages) GetJSON(_ context.Context, _ string, q url.Values, _ ...zendesk.CallOption) ([]byte, error) {
	p.sent = append(p.sent, q.Encode())
	b, ok := p.bodies[q.Encode()]
	if !ok {
		return nil, errors.New("unexpected query " + q.Encode())
	}
	return []byte(b), nil
}

func collect(items *[]string) PageFunc {
	return func(page []json.RawMessage) error {
		for _, it := range page {
			*items = append(*items, string(it))
		}
		return nil
	}
}

func TestZendesk(t *testing.T) {
	p := &pages{bodies: map[string]string{
		"page%5Bsize%5D=100": `{"articles":[{"id":1},{"id":12345678901234567890}],` +
			`"meta":{"has_more":true,"after_cursor":"A"}}`,
		"page%5Bafter%5D=A&page%5Bsize%5D=100": `{"articles":[{"id":3}],"meta":{"has_more":false,"after_cursor":"B"}}`,
	}}
	var got []string
	if err := Zendesk(context.Background(), p, "/a", nil, "articles", collect(&got)); err != nil {
		t.Fatal(err)
	}
	want := []string{`{"id":1}`, `{"id":12345678901234567890}`, `{"id":3}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	for _, q := range p.sent {
		if strings.Contains(q, "per_page") || strings.HasPrefix(q, "page=") || strings.Contains(q, "&page=") {
			t.Errorf("query %q carries offset parameters", q)
		}
	}
}

func TestZendeskStalledCursor(t *testing.T) {
	p := &pages{bodies: map[string]string{
		"page%5Bsize%5D=100":                   `{"x":[{"id":1}],"meta":{"has_more":true,"after_cursor":"A"}}`,
		"page%5Bafter%5D=A&page%5Bsize%5D=100": `{"x":[{"id":2}],"meta":{"has_more":true,"after_cursor":"A"}}`,
	}}
	var got []string
	err := Zendesk(context.Background(), p, "/x", nil, "x", collect(&got))
	var stalled *StalledError
	if !errors.As(err, &stalled) || stalled.Cursor != "A" {
		t.Fatalf("error = %v, want a StalledError at cursor A", err)
	}
	if diff := cmp.Diff([]string{`{"id":1}`, `{"id":2}`}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if len(p.sent) != 2 {
		t.Errorf("sent %d requests, want 2", len(p.sent))
	}
}

func TestExport(t *testing.T) {
	p := &pages{bodies: map[string]string{
		"start_time=100": `{"tickets":[{"id":1}],"after_cursor":"c1","end_of_stream":false}`,
		"cursor=c1":      `{"tickets":[{"id":2}],"after_cursor":"c2","end_of_stream":true}`,
	}}
	var got []string
	q := url.Values{"start_time": {"100"}}
	if err := Export(context.Background(), p, "/t", q, "tickets", collect(&got)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{`{"id":1}`, `{"id":2}`}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

func TestSunCoBackwardStop(t *testing.T) {
	p := &pages{bodies: map[string]string{
		"":                    `{"messages":[{"id":"m3"}],"meta":{"hasMore":true,"beforeCursor":"m3"}}`,
		"page%5Bbefore%5D=m3": `{"messages":[{"id":"m2"}],"meta":{"hasMore":true,"beforeCursor":"m2"}}`,
	}}
	var got []string
	err := SunCo(context.Background(), p, "/m", nil, "messages", Backward, 0, func(items []json.RawMessage) error {
		for _, it := range items {
			got = append(got, string(it))
		}
		if len(got) == 2 {
			return ErrStop
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{`{"id":"m3"}`, `{"id":"m2"}`}, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
}

func TestCancelledBetweenPages(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &pages{bodies: map[string]string{
		"page%5Bsize%5D=100": `{"x":[{"id":1}],"meta":{"has_more":true,"after_cursor":"A"}}`,
	}}
	err := Zendesk(ctx, p, "/x", nil, "x", func([]json.RawMessage) error { cancel(); return nil })
	if !errors.Is(err, context.Canceled) || len(p.sent) != 1 {
		t.Errorf("error = %v after %d requests, want context.Canceled after 1", err, len(p.sent))
	}
}
