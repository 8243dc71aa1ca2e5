// Package support is the part of the Zendesk Support API that indexes
// messaging conversations: the incremental ticket export (cursor
// variant), ticket audits and ticket conversation logs. The export and
// the conversation log keep to their own limits, besides the pace of the
// transport.
package support

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"golang.org/x/time/rate"

	"github.com/zendesk-sync/zendesk-sync/internal/paging"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// Zendesk's own limits of two endpoints, in requests a minute.
const (
	ExportPerMinute = 10
	LogPerMinute    = 100
)

// ExportPath is the incremental ticket export, cursor variant.
const ExportPath = "/api/v2/incremental/tickets/cursor.json"

// exportLag is how old a start_time must be: the export refuses one less
// than a minute old. A second more absorbs clock skew.
const exportLag = 61 * time.Second

// Options tune a Client; zero fields take Zendesk's limits and time.Now.
type Options struct {
	ExportPerMinute int
	LogPerMinute    int
	Now             func() time.Time
}

// Client calls the Support API through one transport. It is safe for
// concurrent use.
type Client struct {
	api    *zendesk.Client
	export *rate.Limiter
	log    *rate.Limiter
	now    func() time.Time
}

// New returns a Support client over api.
func New(api *zendesk.Client, opts Options) *Client {
	if opts.ExportPerMinute <= 0 {
		opts.ExportPerMinute = ExportPerMinute
	}
	if opts.LogPerMinute <= 0 {
		opts.LogPerMinute = LogPerMinute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Client{
		api:    api,
		export: zendesk.NewLimiter(opts.ExportPerMinute),
		log:    zendesk.NewLimiter(opts.LogPerMinute),
		now:    opts.Now,
	}
}

// Ticket is the part of an exported ticket the sync reads.
type Ticket struct {
	ID                   int64
	UpdatedAt            time.Time
	FromMessagingChannel bool
}

// ExportTickets walks the incremental ticket export from since (a zero
// since means from the start, start_time=0), then cursor=after_cursor
// until end_of_stream, and hands fn each page's tickets. A start_time
// less than a minute old is never sent: it is moved back to 61 seconds
// ago. A cursor that does not advance ends the walk with a
// *paging.StalledError, after every page got was handed over.
func (c *Client) ExportTickets(ctx context.Context, since time.Time, fn func([]Ticket) error) error {
	start := int64(0)
	if !since.IsZero() {
		start = since.Unix()
	}
	start = max(min(start, c.now().Add(-exportLag).Unix()), 0)
	q := url.Values{"start_time": {strconv.FormatInt(start, 10)}}
	return paging.Export(ctx, c.api, ExportPath, q, "tickets", func(items []json.RawMessage) error {
		page := make([]Ticket, 0, len(items))
		for _, raw := range items {
			t, err := decodeTicket(raw)
			if err != nil {
				return err
			}
			page = append(page, t)
		}
		return fn(page)
	}, zendesk.Paced(c.export))
}

func decodeTicket(raw json.RawMessage) (Ticket, error) {
	var t struct {
		ID                   json.Number `json:"id"`
		UpdatedAt            time.Time   `json:"updated_at"`
		FromMessagingChannel bool        `json:"from_messaging_channel"`
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		return Ticket{}, fmt.Errorf("decode exported ticket: %w", err)
	}
	id, err := strconv.ParseInt(t.ID.String(), 10, 64)
	if err != nil {
		return Ticket{}, fmt.Errorf("decode exported ticket: id %q: %w", t.ID, err)
	}
	return Ticket{ID: id, UpdatedAt: t.UpdatedAt, FromMessagingChannel: t.FromMessagingChannel}, nil
}
