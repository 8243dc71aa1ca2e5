package zendesktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestLocales(t *testing.T) {
	srv := Start(t, Options{})
	_, body := hcGet(t, srv.URL+hcLocalesPath, asAgent)
	if got, want := string(body), `{"locales":["en-us","ja","ar","es-419"],"default_locale":"en-us"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestListingsOfEveryLocale(t *testing.T) {
	d := DefaultHelpCenter()
	srv := Start(t, Options{HelpCenter: d})
	for _, locale := range d.Locales {
		for _, kind := range []string{"categories", "sections", "articles"} {
			items, _ := hcWalk(t, srv, "/api/v2/help_center/"+locale+"/"+kind, kind)
			want := map[string]func(string, string) []json.RawMessage{
				"categories": d.Categories, "sections": d.Sections, "articles": d.Articles,
			}[kind](srv.URL, locale)
			if len(items) != len(want) {
				t.Fatalf("%s %s: got %d items, want %d", locale, kind, len(items), len(want))
			}
			for i := range items {
				if !bytes.Equal(items[i], want[i]) {
					t.Fatalf("%s %s: item %d differs from the data set", locale, kind, i)
				}
			}
		}
	}
	agent, _ := hcWalk(t, srv, "/api/v2/help_center/articles", "articles")
	if got, want := len(agent), d.ArticleCount(d.DefaultLocale); got != want {
		t.Errorf("locale-less articles: got %d, want %d", got, want)
	}
}

func TestLocaleNotFound(t *testing.T) {
	d := DefaultHelpCenter()
	d.MissingLocale = "ar"
	srv := Start(t, Options{HelpCenter: d})
	for _, path := range []string{
		"/api/v2/help_center/fr/articles",
		"/api/v2/help_center/ar/sections",
		"/api/v2/help_center/ar/articles/9007199254740993/attachments",
		"/api/v2/help_center/no/such/route",
	} {
		resp, body := hcGet(t, srv.URL+path, asAgent)
		if resp.StatusCode != http.StatusNotFound || !json.Valid(body) {
			t.Errorf("%s: got %d %s, want 404 with a JSON body", path, resp.StatusCode, body)
		}
	}
	if _, body := hcGet(t, srv.URL+hcLocalesPath, asAgent); !hcContains(body, `"ar"`) {
		t.Errorf("the missing locale is not listed: %s", body)
	}
}

func TestBigIDsAreByteExact(t *testing.T) {
	srv := Start(t, Options{})
	_, body := hcGet(t, srv.URL+"/api/v2/help_center/en-us/articles?page%5Bsize%5D=2", asAgent)
	for _, id := range []string{"9007199254740993", "12345678901234567890", "9007199254740997"} {
		if !hcContains(body, ":"+id+",") {
			t.Errorf("no id %s in %.300s", id, body)
		}
		f, _ := strconv.ParseFloat(id, 64)
		if strconv.FormatFloat(f, 'f', -1, 64) == id {
			t.Errorf("id %s survives a float64, want one that does not", id)
		}
	}
	_, body = hcGet(t, srv.URL+"/api/v2/help_center/articles/12345678901234567890/attachments", asAgent)
	if e := hcDecode(t, body, "article_attachments"); len(e.items) != 2 ||
		!hcContains(e.items[0], `"article_id":12345678901234567890,`) {
		t.Errorf("attachments of the article above 2^63: got %s", body)
	}
}

func TestDataIsHostileToReencoding(t *testing.T) {
	d := DefaultHelpCenter()
	base := "http://fake.test"
	arts := d.Articles(base, "en-us")
	big := 0
	for i, a := range arts {
		if !json.Valid(a) {
			t.Fatalf("article %d is not valid JSON", i)
		}
		if len(a) > 100<<10 {
			big++
		}
	}
	if big < 2 {
		t.Errorf("got %d articles over 100 KB, want at least 2", big)
	}
	all := hcJoin(arts)
	for _, want := range []string{"<p>", "&amp;", " < 2 & 3 > 2", `"x_fake_extra":{"nested":[1,2]`,
		`caf\u00e9 \/`, "👩‍💻"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in the en-us articles", want)
		}
	}
	for locale, want := range map[string]string{"ja": "パスワード", "ar": "كلمة المرور", "es-419": "contraseña"} {
		if got := hcJoin(d.Articles(base, locale)); !strings.Contains(got, want) {
			t.Errorf("%s: no %q in the articles", locale, want)
		}
	}
	if !bytes.Equal(d.Article(base, "ja", 7), DefaultHelpCenter().Article(base, "ja", 7)) {
		t.Error("two default data sets differ")
	}
}

func TestMissingAttachmentList(t *testing.T) {
	d := DefaultHelpCenter()
	id := d.ArticleIDs()[4]
	d.MissingAttachmentLists = map[uint64]bool{id: true}
	srv := Start(t, Options{HelpCenter: d})
	path := "/api/v2/help_center/en-us/articles/" + strconv.FormatUint(id, 10) + "/attachments"
	if resp, _ := hcGet(t, srv.URL+path, asAgent); resp.StatusCode != http.StatusNotFound {
		t.Errorf("got status %d, want 404", resp.StatusCode)
	}
	other := "/api/v2/help_center/en-us/articles/" + strconv.FormatUint(d.ArticleIDs()[5], 10) + "/attachments"
	if resp, _ := hcGet(t, srv.URL+other, asAgent); resp.StatusCode != http.StatusOK {
		t.Errorf("another article: got status %d, want 200", resp.StatusCode)
	}
}

func TestBigDataSetServesPagesCheaply(t *testing.T) {
	d := GenerateHelpCenter(HCGen{Locales: []string{"en-us", "ja", "de"}, Articles: 20000})
	c := d.Counts()
	if c.Articles != 20000+2*18000 || c.Attachments != 40000 {
		t.Fatalf("got counts %+v, want 56000 articles, 40000 attachments", c)
	}
	srv := Start(t, Options{HelpCenter: d})
	_, body := hcGet(t, srv.URL+"/api/v2/help_center/de/articles?page=100&per_page=100", asAgent)
	if e := hcDecode(t, body, "articles"); len(e.items) != 100 {
		t.Errorf("page 100: got %d articles, want 100", len(e.items))
	}
}

func hcJoin(items []json.RawMessage) string {
	var b strings.Builder
	for _, it := range items {
		b.Write(it)
	}
	return b.String()
}
