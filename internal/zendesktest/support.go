package zendesktest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Incremental export limits: pages hold up to 1000 tickets, and a
// start_time must be at least a minute old.
const (
	maxExportPage = 1000
	exportLag     = time.Minute
)

const bodyTooRecent = `{"error":"InvalidValue",` +
	`"description":"Too recent start_time. Use a start_time older than 1 minute"}`

// routesSupport registers the Support endpoints that index messaging
// conversations. Zendesk accepts these paths with and without .json.
func (s *Server) routesSupport() {
	for _, suffix := range []string{"", ".json"} {
		s.mux.HandleFunc("GET /api/v2/tickets/{id}/audits"+suffix, s.serveAudits)
		s.mux.HandleFunc("GET /api/v2/tickets/{id}/conversation_log"+suffix, s.serveConversationLog)
	}
	s.mux.HandleFunc("GET /api/v2/incremental/tickets/cursor.json", s.serveTicketExport)
	s.mux.HandleFunc("GET /api/v2/incremental/tickets/cursor", s.serveTicketExport)
}

// exportPos is a place in the export's order (generated_timestamp, then
// id): a page holds the tickets after it.
type exportPos struct{ ts, id int64 }

func (p exportPos) cursor() string {
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%d.0||%d|", p.ts, p.id))
}

func parseExportCursor(c string) (exportPos, bool) {
	raw, err := base64.StdEncoding.DecodeString(c)
	if err != nil {
		return exportPos{}, false
	}
	var p exportPos
	_, err = fmt.Sscanf(string(raw), "%d.0||%d|", &p.ts, &p.id)
	return p, err == nil
}

// serveTicketExport answers the cursor-based incremental ticket export:
// start_time first, then cursor, until end_of_stream. Tickets changed in
// the last minute of the Server's clock are left out.
func (s *Server) serveTicketExport(w http.ResponseWriter, r *http.Request) {
	d := s.opts.Conversations
	if s.endpointLimited(w, "incremental_export", d.ExportRateLimit) {
		return
	}
	q := r.URL.Query()
	per := maxExportPage
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusBadRequest, `{"error":"InvalidPaginationParameter",`+
				`"description":"per_page must be a positive number"}`)
			return
		}
		per = min(n, maxExportPage)
	}
	pos, status, body := s.exportStart(q)
	if status != 0 {
		writeJSON(w, status, body)
		return
	}
	page, last, more := d.exportPage(pos, s.now().Add(-exportLag), per)
	next := last.cursor()
	if d.StuckExportCursor {
		more = true
		if c := q.Get("cursor"); c != "" {
			next = c
		}
	}
	writeJSON(w, http.StatusOK, exportBody(r, page, next, pos.cursor(), !more))
}

// exportStart reads where a request starts: after its cursor, or at its
// start_time, which must be at least a minute old.
func (s *Server) exportStart(q url.Values) (exportPos, int, string) {
	if c := q.Get("cursor"); c != "" {
		if p, ok := parseExportCursor(c); ok {
			return p, 0, ""
		}
		return exportPos{}, http.StatusBadRequest, `{"error":"InvalidCursor","description":"Invalid cursor"}`
	}
	v := q.Get("start_time")
	start, err := strconv.ParseInt(v, 10, 64)
	switch {
	case v == "":
		return exportPos{}, http.StatusBadRequest,
			`{"error":"InvalidValue","description":"start_time or cursor is required"}`
	case err != nil || start < 0:
		return exportPos{}, http.StatusBadRequest,
			`{"error":"InvalidValue","description":"start_time must be a Unix epoch time"}`
	case start > s.now().Add(-exportLag).Unix():
		return exportPos{}, http.StatusUnprocessableEntity, bodyTooRecent
	}
	return exportPos{ts: start}, 0, ""
}

// exportPage returns up to per tickets after pos changed before cutoff,
// the position of the last, and whether more follow.
func (d *ConversationsData) exportPage(pos exportPos, cutoff time.Time, per int) ([]json.RawMessage, exportPos, bool) {
	var page []json.RawMessage
	for _, t := range d.tickets {
		if !t.updated.Before(cutoff) || !after(t, pos) {
			continue
		}
		if len(page) == per {
			return page, pos, true
		}
		page = append(page, t.raw)
		pos = exportPos{t.updated.Unix(), t.id}
	}
	return page, pos, false
}

func after(t *ticket, p exportPos) bool {
	ts := t.updated.Unix()
	return ts > p.ts || ts == p.ts && t.id > p.id
}

func exportBody(r *http.Request, page []json.RawMessage, next, prev string, end bool) string {
	var b strings.Builder
	b.WriteString(`{"tickets":`)
	writeRaw(&b, page)
	b.WriteString(`,"after_url":` + quote(exportURL(r, next)) + `,"after_cursor":` + quote(next))
	b.WriteString(`,"before_url":` + quote(exportURL(r, prev)) + `,"before_cursor":` + quote(prev))
	b.WriteString(`,"end_of_stream":` + strconv.FormatBool(end) + `}`)
	return b.String()
}

func exportURL(r *http.Request, cursor string) string {
	q := url.Values{"cursor": {cursor}}
	if v := r.URL.Query().Get("per_page"); v != "" {
		q.Set("per_page", v)
	}
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
	return u.String()
}

// writeRaw writes items as a JSON array of their bytes.
func writeRaw(b *strings.Builder, items []json.RawMessage) {
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteByte(']')
}

func (s *Server) ticketOf(w http.ResponseWriter, r *http.Request) *ticket {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	t := s.opts.Conversations.ticketByID[id]
	if err != nil || t == nil {
		writeJSON(w, http.StatusNotFound, bodyRecordLost)
		return nil
	}
	return t
}

// serveAudits answers a ticket's audits in Zendesk's cursor or offset
// envelope.
func (s *Server) serveAudits(w http.ResponseWriter, r *http.Request) {
	if t := s.ticketOf(w, r); t != nil {
		servePage(w, r, "audits", t.audits)
	}
}

// serveConversationLog answers a ticket's conversation log, cursor paged
// only, under its own rate limit.
func (s *Server) serveConversationLog(w http.ResponseWriter, r *http.Request) {
	d := s.opts.Conversations
	if s.endpointLimited(w, "conversation_log", d.LogRateLimit) {
		return
	}
	t := s.ticketOf(w, r)
	if t == nil {
		return
	}
	if q := r.URL.Query(); !q.Has("page[size]") {
		q.Set("page[size]", "100")
		r = r.Clone(r.Context())
		r.URL.RawQuery = q.Encode()
	}
	servePage(w, r, "events", d.logEvents(t))
}

// endpointLimited enforces an endpoint's own requests-per-minute limit
// (0: none) on the Server's clock, answering 429 with Retry-After once it
// is spent. It reports whether it answered.
func (s *Server) endpointLimited(w http.ResponseWriter, key string, limit int) bool {
	if limit <= 0 {
		return false
	}
	used, retry := s.take(key)
	over := used > limit
	if !over {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(retry))
	writeJSON(w, http.StatusTooManyRequests, `{"error":"APIRateLimitExceeded",`+
		`"description":"Number of allowed `+strings.ReplaceAll(key, "_", " ")+
		` API requests per minute exceeded"}`)
	return true
}
