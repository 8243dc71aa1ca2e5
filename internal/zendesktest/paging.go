package zendesktest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Zendesk's page limits: cursor and offset pages hold at most 100 items,
// offset pages default to 30, and offset paging stops at page 100.
const (
	maxPageSize     = 100
	defaultPageSize = 30
	maxOffsetPage   = 100
)

// servePage answers a Zendesk list endpoint with items under key, in the
// cursor envelope when the request names page[size] or page[after], and
// in the offset envelope otherwise, as Zendesk does.
func servePage(w http.ResponseWriter, r *http.Request, key string, items []json.RawMessage) {
	serveListing(w, r, listing{key: key, n: len(items), item: func(i int) json.RawMessage {
		return items[i]
	}})
}

// listing is a list endpoint's items, made on demand so that big data sets
// need not be held in memory. stuck makes the listing's next page never
// advance (a fault some Zendesk listings show).
type listing struct {
	key   string
	n     int
	item  func(i int) json.RawMessage
	stuck bool
}

// serveListing is servePage for a listing.
func serveListing(w http.ResponseWriter, r *http.Request, l listing) {
	q := r.URL.Query()
	if q.Has("page[size]") || q.Has("page[after]") || q.Has("page[before]") {
		serveCursorPage(w, r, l)
		return
	}
	serveOffsetPage(w, r, l)
}

// cursorWindow returns the item range a cursor request asks for, or the
// description of what is wrong with its parameters.
func cursorWindow(q url.Values, n int) (start, end int, problem string) {
	size, ok := pageSize(q.Get("page[size]"), maxPageSize)
	if !ok {
		return 0, 0, "page[size] must be between 1 and 100"
	}
	if c := q.Get("page[before]"); c != "" && q.Get("page[after]") == "" {
		before, ok := decodeCursor(c)
		if !ok {
			return 0, 0, "invalid cursor"
		}
		before = min(before, n)
		return max(before-size, 0), before, ""
	}
	if c := q.Get("page[after]"); c != "" {
		if start, ok = decodeCursor(c); !ok {
			return 0, 0, "invalid cursor"
		}
	}
	start = min(start, n)
	return start, min(start+size, n), ""
}

func serveCursorPage(w http.ResponseWriter, r *http.Request, l listing) {
	q := r.URL.Query()
	start, end, problem := cursorWindow(q, l.n)
	if problem != "" {
		writeJSON(w, http.StatusBadRequest, `{"error":"InvalidPaginationParameter",`+
			`"description":`+quote(problem)+`}`)
		return
	}
	hasMore := end < l.n
	after, before := "null", "null"
	next, prev := "null", "null"
	if end > start {
		after, before = quote(encodeCursor(end)), quote(encodeCursor(start))
	}
	if l.stuck {
		// The cursor never moves past the first page it handed out.
		hasMore = true
		if c := q.Get("page[after]"); c != "" {
			after = quote(c)
		}
		next = quote(pageURL(r, "page[after]", unquote(after), "page"))
	} else if hasMore {
		next = quote(pageURL(r, "page[after]", encodeCursor(end), "page"))
	}
	if start > 0 {
		prev = quote(pageURL(r, "page[before]", encodeCursor(start), "page"))
	}

	var b strings.Builder
	b.WriteString(`{"` + l.key + `":`)
	writeItems(&b, l, start, end)
	b.WriteString(`,"meta":{"has_more":` + strconv.FormatBool(hasMore) +
		`,"after_cursor":` + after + `,"before_cursor":` + before + `}`)
	b.WriteString(`,"links":{"next":` + next + `,"prev":` + prev + `}}`)
	writeJSON(w, http.StatusOK, b.String())
}

func serveOffsetPage(w http.ResponseWriter, r *http.Request, l listing) {
	q := r.URL.Query()
	per, ok := pageSize(q.Get("per_page"), maxPageSize)
	if q.Get("per_page") == "" {
		per, ok = defaultPageSize, true
	}
	page, err := strconv.Atoi(q.Get("page"))
	if q.Get("page") == "" {
		page, err = 1, nil
	}
	if !ok || err != nil || page < 1 {
		writeJSON(w, http.StatusBadRequest, `{"error":"InvalidPaginationParameter"}`)
		return
	}
	if page > maxOffsetPage {
		writeJSON(w, http.StatusBadRequest, `{"error":"InvalidPaginationParameter","description":`+
			`"Offset pagination is limited to the first 100 pages. Use cursor pagination instead."}`)
		return
	}
	start := min((page-1)*per, l.n)
	end := min(start+per, l.n)
	count := l.n
	pages := (count + per - 1) / per

	var b strings.Builder
	b.WriteString(`{"` + l.key + `":`)
	writeItems(&b, l, start, end)
	next, prev := "null", "null"
	switch {
	case l.stuck:
		// The next page is page 2, and page 2's next page is itself.
		next = quote(pageURL(r, "page", strconv.Itoa(max(page, 2)), ""))
	case end < count:
		next = quote(pageURL(r, "page", strconv.Itoa(page+1), ""))
	}
	if page > 1 {
		prev = quote(pageURL(r, "page", strconv.Itoa(page-1), ""))
	}
	b.WriteString(`,"count":` + strconv.Itoa(count) + `,"next_page":` + next +
		`,"previous_page":` + prev + `,"page":` + strconv.Itoa(page) +
		`,"per_page":` + strconv.Itoa(per) + `,"page_count":` + strconv.Itoa(pages) +
		`,"sort_by":"position","sort_order":"asc"}`)
	writeJSON(w, http.StatusOK, b.String())
}

func pageSize(v string, limit int) (int, bool) {
	if v == "" {
		return defaultPageSize, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 1 && n <= limit
}

func writeItems(b *strings.Builder, l listing, start, end int) {
	b.WriteByte('[')
	for i := start; i < end; i++ {
		if i > start {
			b.WriteByte(',')
		}
		b.Write(l.item(i))
	}
	b.WriteByte(']')
}

// Cursors are opaque to clients; here they encode an offset.
func encodeCursor(n int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(n)))
}

func decodeCursor(c string) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(raw), "o:") {
		return 0, false
	}
	n, err := strconv.Atoi(string(raw[2:]))
	return n, err == nil && n >= 0
}

// pageURL is the request's own URL with one query parameter set, and the
// parameters of the other paging style (named by drop) removed.
func pageURL(r *http.Request, key, value, drop string) string {
	q := r.URL.Query()
	for k := range q {
		if drop != "" && strings.HasPrefix(k, drop+"[") && k != "page[size]" {
			q.Del(k)
		}
	}
	q.Set(key, value)
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// quote is s as a JSON string, with <, > and & left as they are (links
// carry & between parameters, and Zendesk does not escape it).
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func unquote(s string) string {
	var v string
	_ = json.Unmarshal([]byte(s), &v)
	return v
}
