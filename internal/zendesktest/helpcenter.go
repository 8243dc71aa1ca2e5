package zendesktest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// HelpCenterData is the help center the fake serves: a deterministic,
// generated set of categories, sections, articles and attachment files in
// several locales, made on demand so that big sets cost little memory.
// Items are served as JSON bytes built by hand (see Categories): ids above
// 2^53 (one above 2^63), several scripts, hcEmoji, HTML with <, > and &,
// bodies over 100 KB and a field no client knows. Set the fault fields
// before the server is started.
type HelpCenterData struct {
	// DefaultLocale and Locales are what /api/v2/help_center/locales lists.
	DefaultLocale string
	Locales       []string

	// MissingLocale is a listed locale whose listings answer 404.
	MissingLocale string
	// StuckCursor is the path of a listing whose next page never advances:
	// has_more stays true with the same after_cursor (and, in offset
	// paging, page 2's next_page is page 2).
	StuckCursor string
	// FileStatus maps attachment ids to the status their file answers on
	// the files host instead of the bytes (403 or 410: an expired link).
	FileStatus map[uint64]int
	// MissingAttachmentLists are article ids whose attachment list 404s.
	MissingAttachmentLists map[uint64]bool

	gen HCGen
}

// GenerateHelpCenter returns a help center sized by opts, with no faults.
func GenerateHelpCenter(opts HCGen) *HelpCenterData {
	g := opts.withDefaults()
	return &HelpCenterData{DefaultLocale: g.Locales[0], Locales: g.Locales, gen: g}
}

// DefaultHelpCenter returns the default data set: GenerateHelpCenter with
// every knob at its default (4 locales, 3 categories, 6 sections, 120
// articles in en-us and 108 in each other locale, 240 attachments).
func DefaultHelpCenter() *HelpCenterData { return GenerateHelpCenter(HCGen{}) }

// originServer is the X-Zendesk-Origin-Server of Help Center answers.
const originServer = "help-center-app-fake-7d9c8b"

func (s *Server) routesHelpCenter() {
	const api = "GET /api/v2/help_center"
	s.mux.HandleFunc(api+"/locales", s.hcLocales)
	for _, kind := range []string{"categories", "sections", "articles"} {
		s.mux.HandleFunc(api+"/{locale}/"+kind, s.hcList(kind))
		s.mux.HandleFunc(api+"/"+kind, s.hcList(kind))
	}
	s.mux.HandleFunc(api+"/{locale}/articles/{id}/attachments", s.hcAttachments)
	s.mux.HandleFunc(api+"/articles/{id}/attachments", s.hcAttachments)
	s.mux.HandleFunc("GET /hc/article_attachments/{id}", s.hcAttachmentRedirect)
	s.mux.HandleFunc("GET /hc/article_attachments/{id}/{name...}", s.hcAttachmentRedirect)
	notFound := func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, bodyNotFound)
	}
	s.mux.HandleFunc(api+"/", notFound)
	s.mux.HandleFunc("GET /hc/", notFound)
}

func (s *Server) hcLocales(w http.ResponseWriter, _ *http.Request) {
	d := s.opts.HelpCenter
	locales, _ := json.Marshal(d.Locales)
	writeJSON(w, http.StatusOK, `{"locales":`+string(locales)+`,"default_locale":`+
		quote(d.DefaultLocale)+`}`)
}

// hcLocale returns the request's locale, or answers for it: 404 for a
// locale that is not enabled (or is the MissingLocale), 401 for an
// anonymous caller of a locale-less path, which only agents may use.
func (s *Server) hcLocale(w http.ResponseWriter, r *http.Request) (string, bool) {
	d := s.opts.HelpCenter
	locale := r.PathValue("locale")
	if locale == "" {
		if r.Header.Get("Authorization") == "" {
			writeJSON(w, http.StatusUnauthorized, bodyUnauthorized)
			return "", false
		}
		return d.DefaultLocale, true
	}
	if !slices.Contains(d.Locales, locale) || locale == d.MissingLocale {
		writeJSON(w, http.StatusNotFound, bodyNotFound)
		return "", false
	}
	return locale, true
}

// hcList serves a locale's categories, sections or articles.
func (s *Server) hcList(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		locale, ok := s.hcLocale(w, r)
		if !ok {
			return
		}
		d, base := s.opts.HelpCenter, "http://"+r.Host
		l := listing{key: kind, stuck: d.StuckCursor == r.URL.Path}
		switch kind {
		case "categories":
			l.n, l.item = d.gen.Categories, func(c int) json.RawMessage { return d.category(base, locale, c) }
		case "sections":
			l.n, l.item = d.gen.Sections, func(c int) json.RawMessage { return d.section(base, locale, c) }
		default:
			l.n, l.item = d.ArticleCount(locale), func(j int) json.RawMessage { return d.Article(base, locale, j) }
		}
		serveListing(w, r, l)
	}
}

// hcAttachments serves an article's attachment list.
func (s *Server) hcAttachments(w http.ResponseWriter, r *http.Request) {
	locale, ok := s.hcLocale(w, r)
	if !ok {
		return
	}
	d := s.opts.HelpCenter
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	i := d.articleIndexOf(id)
	if err != nil || i < 0 || !d.translated(locale, i) || d.MissingAttachmentLists[id] {
		writeJSON(w, http.StatusNotFound, bodyRecordLost)
		return
	}
	items := d.ArticleAttachments("http://"+r.Host, id)
	serveListing(w, r, listing{key: "article_attachments", n: len(items),
		item: func(j int) json.RawMessage { return items[j] }, stuck: d.StuckCursor == r.URL.Path})
}

// hcAttachmentRedirect answers an attachment's content_url with a 302 to
// its signed link on the files host.
func (s *Server) hcAttachmentRedirect(w http.ResponseWriter, r *http.Request) {
	d := s.opts.HelpCenter
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil || d.attachmentIndexOf(id) < 0 {
		writeJSON(w, http.StatusNotFound, bodyRecordLost)
		return
	}
	loc := s.filesBase(r) + "/files/" + strconv.FormatUint(id, 10) + "?sig=" + d.fileSignature(id)
	w.Header().Set("Location", loc)
	w.Header().Set("X-Request-Id", requestID())
	w.WriteHeader(http.StatusFound)
}

// filesBase is FilesURL, with an unspecified listening address (0.0.0.0)
// replaced by the host name the client used for the main host.
func (s *Server) filesBase(r *http.Request) string {
	u, err := url.Parse(s.FilesURL)
	if err != nil || u.Host == "" {
		return s.FilesURL
	}
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.IsUnspecified() {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		u.Host = net.JoinHostPort(host, u.Port())
	}
	return strings.TrimSuffix(u.String(), "/")
}

// serveFile answers GET /files/{id}?sig=... on the files host with the
// attachment's bytes, its Content-Type and Content-Length; 403 for a bad
// signature, and the FileStatus of an expired link.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	d := s.opts.HelpCenter
	w.Header().Set("X-Request-Id", requestID())
	raw, ok := strings.CutPrefix(r.URL.Path, "/files/")
	id, err := strconv.ParseUint(raw, 10, 64)
	body, a, found := d.attachmentReader(id)
	switch {
	case !ok || err != nil || !found:
		http.Error(w, "NoSuchKey", http.StatusNotFound)
		return
	case r.URL.Query().Get("sig") != d.fileSignature(id):
		http.Error(w, "AccessDenied: signature does not match", http.StatusForbidden)
		return
	case d.FileStatus[id] != 0:
		http.Error(w, "AccessDenied: request has expired", d.FileStatus[id])
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(a.Size))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, body)
	}
}
