// Package paging walks the paginated listings of the Zendesk APIs, one
// function per kind of envelope. Each walk checks the context between
// pages and ends a listing whose cursor does not advance with a
// *StalledError, after every page it did get was handed over once.
package paging

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// PageSize is the size asked of every cursor listing: Zendesk's maximum.
const PageSize = 100

// Getter sends one GET and returns the JSON body: a *zendesk.Client.
type Getter interface {
	GetJSON(ctx context.Context, path string, query url.Values, opts ...zendesk.CallOption) ([]byte, error)
}

// ErrStop ends a walk early without error when a page function returns it.
var ErrStop = errors.New("stop paging")

// StalledError reports a listing that answered a cursor it had already
// given: walking on would loop or repeat pages.
type StalledError struct {
	Path   string
	Cursor string
}

func (e *StalledError) Error() string {
	return fmt.Sprintf("list %s: cursor %q did not advance", e.Path, e.Cursor)
}

// PageFunc receives the items of one page, each as the API sent it.
type PageFunc func(items []json.RawMessage) error

// walker knows one envelope: how to ask for the page after a cursor and
// where the next cursor is.
type walker struct {
	key    string                                                      // the items' key
	first  url.Values                                                  // query of the first page
	next   func(q url.Values, cursor string) url.Values                // query of a later page
	cursor func(page map[string]json.RawMessage) (string, bool, error) // next cursor, more?
}

func (w walker) walk(ctx context.Context, g Getter, path string, fn PageFunc, opts []zendesk.CallOption) error {
	seen := map[string]bool{}
	query := w.first
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		body, err := g.GetJSON(ctx, path, query, opts...)
		if err != nil {
			return err
		}
		var page map[string]json.RawMessage
		if err := json.Unmarshal(body, &page); err != nil {
			return fmt.Errorf("decode page of %s: %w", path, err)
		}
		var items []json.RawMessage
		if raw, ok := page[w.key]; ok && string(raw) != "null" {
			if err := json.Unmarshal(raw, &items); err != nil {
				return fmt.Errorf("decode %s of %s: %w", w.key, path, err)
			}
		}
		cursor, more, err := w.cursor(page)
		if err != nil {
			return fmt.Errorf("decode cursor of %s: %w", path, err)
		}

		if err := fn(items); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
		if !more {
			return nil
		}
		if cursor == "" || seen[cursor] {
			return &StalledError{Path: path, Cursor: cursor}
		}
		seen[cursor] = true
		query = w.next(w.first, cursor)
	}
}

func with(q url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	out.Set(key, value)
	return out
}
