package zendesktest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Sunshine Conversations page sizes: 1 to 100, 25 by default; List
// Messages always pages by 100.
const (
	suncoMaxPage     = 100
	suncoDefaultPage = 25
)

// suncoItem is one record of a SunCo listing, in id order.
type suncoItem struct {
	id  string
	raw json.RawMessage
}

// suncoWindow is the part of a listing a request asks for: items
// [start, end), and whether it pages backwards.
type suncoWindow struct {
	start, end int
	backward   bool
}

// serveSuncoPage answers a SunCo cursor listing. Cursors are record ids:
// page[after] asks for the records after one, page[before] for those
// before it. messages pages backwards from the newest page by default,
// by 100 whatever page[size] says. meta.hasMore tells whether more
// records lie in the direction paged; cursors and links are left out
// when there is no page that way.
func serveSuncoPage(w http.ResponseWriter, r *http.Request, key string, items []suncoItem, messages bool) {
	win, ok := suncoPageWindow(r.URL.Query(), items, messages)
	if !ok {
		suncoError(w, http.StatusBadRequest, "bad_request", "Invalid page query parameters")
		return
	}
	hasMore := win.end < len(items)
	if win.backward {
		hasMore = win.start > 0
	}
	var b strings.Builder
	b.WriteString(`{"` + key + `":[`)
	for i, it := range items[win.start:win.end] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it.raw)
	}
	b.WriteString(`],"meta":{"hasMore":` + strconv.FormatBool(hasMore))
	var links []string
	if win.end < len(items) && win.end > win.start {
		id := items[win.end-1].id
		b.WriteString(`,"afterCursor":` + quote(id))
		links = append(links, `"next":`+quote(suncoLink(r, "page[after]", id)))
	}
	if win.start > 0 && win.end > win.start {
		id := items[win.start].id
		b.WriteString(`,"beforeCursor":` + quote(id))
		links = append(links, `"prev":`+quote(suncoLink(r, "page[before]", id)))
	}
	b.WriteString(`},"links":{` + strings.Join(links, ",") + `}}`)
	writeJSON(w, http.StatusOK, b.String())
}

// suncoPageWindow reads the page parameters of a request; ok is false
// when they are invalid.
func suncoPageWindow(q url.Values, items []suncoItem, messages bool) (suncoWindow, bool) {
	size := suncoDefaultPage
	if v := q.Get("page[size]"); v != "" && !messages {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > suncoMaxPage {
			return suncoWindow{}, false
		}
		size = n
	}
	if messages {
		size = suncoMaxPage
	}
	after, before := q.Get("page[after]"), q.Get("page[before]")
	if after != "" && before != "" || !validSuncoCursor(after) || !validSuncoCursor(before) {
		return suncoWindow{}, false
	}
	// Records are in id order, so a cursor need not be one of them.
	pos := func(id string) int {
		n, _ := slices.BinarySearchFunc(items, id, func(it suncoItem, id string) int {
			return strings.Compare(it.id, id)
		})
		return n
	}
	switch {
	case after != "":
		start := pos(after)
		if start < len(items) && items[start].id == after {
			start++
		}
		return suncoWindow{start: start, end: min(start+size, len(items))}, true
	case before != "" || messages:
		end := len(items)
		if before != "" {
			end = pos(before)
		}
		return suncoWindow{start: max(end-size, 0), end: end, backward: true}, true
	}
	return suncoWindow{start: 0, end: min(size, len(items))}, true
}

// validSuncoCursor reports whether c is empty or a 24-character id.
func validSuncoCursor(c string) bool {
	if c == "" {
		return true
	}
	if len(c) != 24 {
		return false
	}
	for _, r := range c {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// suncoLink is the request's URL, as the client sent it under /sc, with
// the page cursor replaced.
func suncoLink(r *http.Request, key, id string) string {
	q := r.URL.Query()
	q.Del("page[after]")
	q.Del("page[before]")
	q.Set(key, id)
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}
