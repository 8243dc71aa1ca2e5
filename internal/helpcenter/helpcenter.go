// Package helpcenter is the Help Center API as typed calls: each listing
// walks its cursor pages and hands over the items as the API sent them.
package helpcenter

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/zendesk-sync/zendesk-sync/internal/paging"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// Client calls the Help Center API through one transport.
type Client struct {
	api  *zendesk.Client
	base string // the API's base URL, for relative attachment links
}

// New returns a Help Center client over api, whose base URL is base.
func New(api *zendesk.Client, base string) *Client {
	return &Client{api: api, base: strings.TrimRight(base, "/")}
}

// Locales are the help center's enabled locales.
type Locales struct {
	Locales []string `json:"locales"`
	Default string   `json:"default_locale"`
}

// Locales returns the enabled locales and the default one.
func (c *Client) Locales(ctx context.Context) (Locales, error) {
	body, err := c.api.GetJSON(ctx, "/api/v2/help_center/locales", nil)
	if err != nil {
		return Locales{}, err
	}
	var l Locales
	if err := json.Unmarshal(body, &l); err != nil {
		return Locales{}, fmt.Errorf("decode locales: %w", err)
	}
	return l, nil
}

// CategoriesPath is the categories listing of a locale.
func CategoriesPath(locale string) string { return localePath(locale, "categories") }

// SectionsPath is the sections listing of a locale.
func SectionsPath(locale string) string { return localePath(locale, "sections") }

// ArticlesPath is the articles listing of a locale.
func ArticlesPath(locale string) string { return localePath(locale, "articles") }

// AttachmentsPath is the attachment listing of an article, in a locale
// or, for agents, in all of them when locale is empty.
func AttachmentsPath(locale, articleID string) string {
	return localePath(locale, "articles/"+url.PathEscape(articleID)+"/attachments")
}

func localePath(locale, rest string) string {
	if locale == "" {
		return "/api/v2/help_center/" + rest
	}
	return "/api/v2/help_center/" + url.PathEscape(locale) + "/" + rest
}

// List walks the listing at path (one of the paths above), whose items
// are under key, and hands each page to fn.
func (c *Client) List(ctx context.Context, path, key string, fn paging.PageFunc) error {
	return paging.Zendesk(ctx, c.api, path, nil, key, fn)
}

// Item is the part of a listed object the sync reads; the object itself
// is kept whole, as sent.
type Item struct {
	ID json.Number `json:"id"`
}

// Attachment is the part of an article attachment the sync reads.
type Attachment struct {
	ID           json.Number `json:"id"`
	ArticleID    json.Number `json:"article_id"`
	FileName     string      `json:"file_name"`
	ContentURL   string      `json:"content_url"`
	RelativePath string      `json:"relative_path"`
	Size         *int64      `json:"size"`
}

// Download streams an attachment's file into dst, checking its length
// against the listed size, and returns the bytes written.
func (c *Client) Download(ctx context.Context, a Attachment, dst *os.File) (int64, error) {
	link := a.ContentURL
	if link == "" {
		link = a.RelativePath
	}
	if strings.HasPrefix(link, "/") {
		link = c.base + link
	}
	size := int64(-1)
	if a.Size != nil {
		size = *a.Size
	}
	return c.api.Download(ctx, link, dst, size)
}
