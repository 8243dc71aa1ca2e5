package paging

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// Zendesk walks a Zendesk cursor listing (Help Center, Support): pages of
// page[size]=100, the next asked with page[after]=meta.after_cursor while
// meta.has_more. It never sends offset parameters.
func Zendesk(ctx context.Context, g Getter, path string, query url.Values, key string,
	fn PageFunc, opts ...zendesk.CallOption) error {
	w := walker{
		key:   key,
		first: with(query, "page[size]", strconv.Itoa(PageSize)),
		next:  func(q url.Values, c string) url.Values { return with(q, "page[after]", c) },
		cursor: func(page map[string]json.RawMessage) (string, bool, error) {
			var meta struct {
				HasMore     bool   `json:"has_more"`
				AfterCursor string `json:"after_cursor"`
			}
			err := decodeField(page, "meta", &meta)
			return meta.AfterCursor, meta.HasMore, err
		},
	}
	return w.walk(ctx, g, path, fn, opts)
}

// Export walks a Support incremental export, cursor variant: the first
// page from query (its start_time), then cursor=after_cursor until
// end_of_stream.
func Export(ctx context.Context, g Getter, path string, query url.Values, key string,
	fn PageFunc, opts ...zendesk.CallOption) error {
	w := walker{
		key:   key,
		first: query,
		next: func(q url.Values, c string) url.Values {
			out := with(q, "cursor", c)
			out.Del("start_time")
			return out
		},
		cursor: func(page map[string]json.RawMessage) (string, bool, error) {
			var end struct {
				AfterCursor string `json:"after_cursor"`
				EndOfStream bool   `json:"end_of_stream"`
			}
			if err := decodeField(page, "after_cursor", &end.AfterCursor); err != nil {
				return "", false, err
			}
			err := decodeField(page, "end_of_stream", &end.EndOfStream)
			return end.AfterCursor, !end.EndOfStream, err
		},
	}
	return w.walk(ctx, g, path, fn, opts)
}

// Direction is the way a Sunshine Conversations listing is walked.
type Direction int

// Forward follows meta.afterCursor; Backward follows meta.beforeCursor,
// as messages are listed newest page first.
const (
	Forward Direction = iota
	Backward
)

// SunCo walks a Sunshine Conversations cursor listing in the direction
// given while meta.hasMore. size, when positive, is sent as page[size].
func SunCo(ctx context.Context, g Getter, path string, query url.Values, key string, dir Direction,
	size int, fn PageFunc) error {
	param, field := "page[after]", "afterCursor"
	if dir == Backward {
		param, field = "page[before]", "beforeCursor"
	}
	first := query
	if size > 0 {
		first = with(query, "page[size]", strconv.Itoa(size))
	}
	w := walker{
		key:   key,
		first: first,
		next:  func(q url.Values, c string) url.Values { return with(q, param, c) },
		cursor: func(page map[string]json.RawMessage) (string, bool, error) {
			var meta map[string]json.RawMessage
			if err := decodeField(page, "meta", &meta); err != nil {
				return "", false, err
			}
			var more bool
			var cursor string
			if err := decodeField(meta, "hasMore", &more); err != nil {
				return "", false, err
			}
			err := decodeField(meta, field, &cursor)
			return cursor, more, err
		},
	}
	return w.walk(ctx, g, path, fn, nil)
}

// decodeField decodes page[key] into v; a missing or null key leaves v
// as it is.
func decodeField(page map[string]json.RawMessage, key string, v any) error {
	raw, ok := page[key]
	if !ok || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, v)
}
