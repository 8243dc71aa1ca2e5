package zendesktest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// hcListed is an attachment as its article's list shows it.
type hcListed struct {
	ID          uint64 `json:"id"`
	ContentURL  string `json:"content_url"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// hcAttachmentsOf lists an article's attachments through the fake.
func hcAttachmentsOf(t *testing.T, srv *Server, articleID uint64) []hcListed {
	t.Helper()
	path := "/api/v2/help_center/en-us/articles/" + strconv.FormatUint(articleID, 10) + "/attachments"
	items, _ := hcWalk(t, srv, path, "article_attachments")
	out := make([]hcListed, len(items))
	for i, it := range items {
		if err := json.Unmarshal(it, &out[i]); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out[i].ContentURL, srv.URL+"/hc/article_attachments/") {
			t.Errorf("content_url %s is not on the main host", out[i].ContentURL)
		}
	}
	return out
}

func TestAttachmentDownloadRedirectsToFilesHost(t *testing.T) {
	d := DefaultHelpCenter()
	srv := Start(t, Options{HelpCenter: d})
	for _, art := range d.ArticleIDs()[:8] {
		for _, a := range hcAttachmentsOf(t, srv, art) {
			resp, body := hcGet(t, a.ContentURL, asAgent)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: got status %d, want 200", a.ContentURL, resp.StatusCode)
			}
			if !strings.HasPrefix(resp.Request.URL.String(), srv.FilesURL+"/files/") {
				t.Errorf("%s: ended at %s, want the files host", a.ContentURL, resp.Request.URL)
			}
			if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(a.Size) || len(body) != a.Size {
				t.Errorf("%s: got Content-Length %s and %d bytes, want %d", a.ContentURL, got, len(body), a.Size)
			}
			if got := resp.Header.Get("Content-Type"); got != a.ContentType {
				t.Errorf("%s: got Content-Type %q, want %q", a.ContentURL, got, a.ContentType)
			}
			want, _ := d.Attachment(a.ID)
			sum := sha256.Sum256(body)
			wantSum, _ := d.AttachmentSHA256(a.ID)
			if !bytes.Equal(body, want) || hex.EncodeToString(sum[:]) != wantSum {
				t.Errorf("%s: the bytes differ from the data set's", a.ContentURL)
			}
		}
	}
}

func TestRedirectGoesToFilesHost(t *testing.T) {
	srv := Start(t, Options{})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/hc/article_attachments/9007199254740999/..%2F..%2Fx.sh", nil)
	req.SetBasicAuth(Email+"/token", APIToken)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, srv.FilesURL+"/files/9007199254740999?sig=") {
		t.Errorf("got %d to %q, want 302 to the files host", resp.StatusCode, loc)
	}
	if r, _ := hcGet(t, srv.FilesURL+"/files/9007199254740999?sig=forged", asAnonymous); r.StatusCode != 403 {
		t.Errorf("forged signature: got status %d, want 403", r.StatusCode)
	}
}

func TestExpiredAttachmentLink(t *testing.T) {
	d := DefaultHelpCenter()
	gone := d.Attachments()[3].ID
	d.FileStatus = map[uint64]int{gone: http.StatusGone}
	srv := Start(t, Options{HelpCenter: d})
	url := srv.URL + "/hc/article_attachments/" + strconv.FormatUint(gone, 10)
	if resp, _ := hcGet(t, url, asAgent); resp.StatusCode != http.StatusGone {
		t.Errorf("got status %d, want 410", resp.StatusCode)
	}
}

func TestAttachmentData(t *testing.T) {
	d := DefaultHelpCenter()
	atts := d.Attachments()
	names := map[string]bool{}
	var largest int
	for _, a := range atts {
		names[a.FileName] = true
		largest = max(largest, a.Size)
	}
	for _, want := range []string{"../../x.sh", "تقرير 📎 مارس.pdf", "image.png"} {
		if !names[want] {
			t.Errorf("no attachment named %q", want)
		}
	}
	if len(atts[1].FileName) < 255 {
		t.Errorf("got longest name of %d bytes, want at least 255", len(atts[1].FileName))
	}
	if largest < 1000000 || largest > 1<<20 {
		t.Errorf("got largest attachment %d bytes, want about 1 MiB", largest)
	}
	c := d.Counts()
	if c.Attachments != len(atts) || c.Articles != 120+3*108 || c.Bytes <= 0 {
		t.Errorf("got counts %+v", c)
	}
	if _, ok := d.Attachment(42); ok {
		t.Error("found an attachment with id 42")
	}
}
