package zendesktest

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Categories returns the categories of a locale as the fake serves them,
// with links on base (the main host's URL, e.g. Server.URL).
func (d *HelpCenterData) Categories(base, locale string) []json.RawMessage {
	return hcCollect(d.gen.Categories, func(c int) json.RawMessage { return d.category(base, locale, c) })
}

// Sections returns the sections of a locale, as Categories does.
func (d *HelpCenterData) Sections(base, locale string) []json.RawMessage {
	return hcCollect(d.gen.Sections, func(s int) json.RawMessage { return d.section(base, locale, s) })
}

// Articles returns the articles of a locale, as Categories does. It makes
// every body at once: for big data sets prefer Article.
func (d *HelpCenterData) Articles(base, locale string) []json.RawMessage {
	return hcCollect(d.ArticleCount(locale), func(j int) json.RawMessage {
		return d.article(base, locale, d.articleIndex(locale, j))
	})
}

// Article returns the j-th article of a locale's listing, 0 <= j <
// ArticleCount(locale).
func (d *HelpCenterData) Article(base, locale string, j int) json.RawMessage {
	return d.article(base, locale, d.articleIndex(locale, j))
}

func hcCollect(n int, item func(int) json.RawMessage) []json.RawMessage {
	out := make([]json.RawMessage, n)
	for i := range out {
		out[i] = item(i)
	}
	return out
}

// stamp is an object's time, a little later in each locale, as if each
// translation were saved in turn.
func (d *HelpCenterData) stamp(locale string, hours int) time.Time {
	return hcEpoch.Add(time.Duration(hours)*time.Hour +
		time.Duration(slices.Index(d.Locales, locale))*time.Minute)
}

func (d *HelpCenterData) category(base, locale string, c int) json.RawMessage {
	id := strconv.FormatUint(categoryID(c), 10)
	p := hcPhrasebook(locale)
	name := hcPick(p.categories, c)
	if c >= len(p.categories) {
		name += " " + strconv.Itoa(c)
	}
	return newJSONObject().id("id", categoryID(c)).
		str("url", base+"/api/v2/help_center/"+locale+"/categories/"+id+".json").
		str("html_url", base+"/hc/"+locale+"/categories/"+id+"-"+slug(hcPick(hcPhrasebooks["en"].categories, c))).
		num("position", c).str("name", name).str("description", hcPick(p.paragraphs, c)).
		str("locale", locale).str("source_locale", d.DefaultLocale).flag("outdated", false).
		time("created_at", d.stamp(locale, c)).time("updated_at", d.stamp(locale, c+48)).
		raw("x_fake_extra", fakeExtra).done()
}

// sectionCategory is the category index of section s. The last section
// (when there are two or more) is nested in the first one.
func (d *HelpCenterData) sectionCategory(s int) (c, parent int) {
	if s > 0 && s == d.gen.Sections-1 {
		return 0, 0
	}
	return s % d.gen.Categories, -1
}

func (d *HelpCenterData) section(base, locale string, s int) json.RawMessage {
	id := strconv.FormatUint(sectionID(s), 10)
	p := hcPhrasebook(locale)
	c, parent := d.sectionCategory(s)
	o := newJSONObject().id("id", sectionID(s)).
		str("url", base+"/api/v2/help_center/"+locale+"/sections/"+id+".json").
		str("html_url", base+"/hc/"+locale+"/sections/"+id+"-"+slug(hcPick(hcPhrasebooks["en"].sections, s))).
		id("category_id", categoryID(c)).num("position", s).str("sorting", "manual").
		str("name", hcPick(p.sections, s)+" "+hcPick(hcEmoji, s)).str("description", hcPick(p.paragraphs, s+1)).
		str("locale", locale).str("source_locale", d.DefaultLocale).flag("outdated", false)
	if parent >= 0 {
		o.id("parent_section_id", sectionID(parent))
	} else {
		o.raw("parent_section_id", "null")
	}
	return o.str("theme_template", "section_page").
		time("created_at", d.stamp(locale, s)).time("updated_at", d.stamp(locale, s+24)).done()
}

func (d *HelpCenterData) articleTitle(locale string, i int) string {
	return hcPick(hcPhrasebook(locale).titles, i) + " " + hcPick(hcEmoji, i) + " #" + strconv.Itoa(i)
}

func (d *HelpCenterData) article(base, locale string, i int) json.RawMessage {
	id := strconv.FormatUint(articleID(i), 10)
	title := d.articleTitle(locale, i)
	created := d.stamp(d.DefaultLocale, 3*i)
	updated := d.stamp(locale, 3*i+24*(i%5))
	o := newJSONObject().id("id", articleID(i)).
		str("url", base+"/api/v2/help_center/"+locale+"/articles/"+id+".json").
		str("html_url", base+"/hc/"+locale+"/articles/"+id+"-"+slug(d.articleTitle("en", i))).
		num("author_id", authorID).flag("comments_disabled", i%8 == 3).flag("draft", i%17 == 5).
		flag("promoted", i%11 == 0).num("position", i).num("vote_sum", i%7-3).num("vote_count", i%9).
		id("section_id", sectionID(i%d.gen.Sections)).
		time("created_at", created).time("updated_at", updated).time("edited_at", updated).
		str("name", title).str("title", title).
		str("source_locale", d.DefaultLocale).str("locale", locale).
		flag("outdated", false).raw("outdated_locales", "[]")
	if i%13 == 4 {
		seg := strconv.Itoa(signedInSegmentID)
		o.raw("user_segment_id", seg).raw("user_segment_ids", "["+seg+"]")
	} else {
		o.raw("user_segment_id", "null").raw("user_segment_ids", "[]")
	}
	o.num("permission_group_id", permissionGroupID)
	o.raw("content_tag_ids", map[bool]string{true: `["01GT23D51Y0B3ZBR4MPRCN3P2R"]`, false: "[]"}[i%6 == 1])
	o.raw("label_names", map[bool]string{true: `["billing","faq"]`, false: "[]"}[i%4 == 0])
	o.str("body", d.articleBody(base, locale, i))
	if i%2 == 0 {
		o.raw("x_fake_extra", fakeExtra)
	}
	return o.done()
}

// Body text that a careless encoder or HTML sanitiser would change.
const codeSample = "<pre><code>if (a &lt; b &amp;&amp; c &gt; d) { print(\"ok\"); }</code></pre>\n" +
	"<p>Raw: 1 < 2 & 3 > 2, \"quoted\", 'single', back\\slash, tab\there, </script> \u2028end</p>\n"

// articleBody is article i's HTML in a locale: a few paragraphs, its
// inline images, and every fortieth article (from the third) over 100 KB.
func (d *HelpCenterData) articleBody(base, locale string, i int) string {
	p := hcPhrasebook(locale)
	var b strings.Builder
	b.WriteString("<h2>" + d.articleTitle(locale, i) + "</h2>\n")
	for k := range 3 {
		b.WriteString("<p>" + hcPick(p.paragraphs, i+k) + "</p>\n")
	}
	if i%3 == 0 {
		b.WriteString(codeSample)
	}
	for _, a := range d.articleAttachments(i) {
		if a.Inline {
			b.WriteString(`<p><img src="` + base + a.path() + `" alt="` + a.FileName + `"></p>` + "\n")
		}
	}
	if i%40 == 2 {
		target := (100 + 100*(i/40%3)) * 1024
		for k := 0; b.Len() < target; k++ {
			b.WriteString("<p><strong>" + strconv.Itoa(k) + "</strong> " + hcPick(p.paragraphs, k) +
				" &amp; &lt;tag&gt; " + hcPick(hcEmoji, k) + "</p>\n")
		}
	}
	return b.String()
}
