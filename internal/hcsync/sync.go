package hcsync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/zendesk-sync/zendesk-sync/internal/helpcenter"
	"github.com/zendesk-sync/zendesk-sync/internal/paging"
	"github.com/zendesk-sync/zendesk-sync/internal/report"
	"github.com/zendesk-sync/zendesk-sync/internal/snapshot"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// kinds are the lists of a locale file, in their order.
var kinds = []string{"categories", "sections", "articles"}

// article is one listed article whose attachments are still to fetch;
// locale is empty when one locale-less listing covers all of them.
type article struct {
	locale string
	id     string
}

// sync lists every locale at once and, while they are listed, fetches
// the attachments of the articles found, CONCURRENCY at a time. It
// returns the locales backed up, in the order given: a locale whose
// listings answer 404 is a gap instead.
func (j *job) sync(ctx context.Context, locales []string) ([]string, error) {
	attachments, err := j.snap.List("article_attachments.json", "article_attachments")
	if err != nil {
		return nil, err
	}
	defer attachments.Close()

	g, ctx := errgroup.WithContext(ctx)
	queue := make(chan article, 256)
	var listers sync.WaitGroup
	dedup := newSet()
	synced := make([]bool, len(locales))
	for i, locale := range locales {
		listers.Add(1)
		g.Go(func() error {
			defer listers.Done()
			var err error
			synced[i], err = j.syncLocale(ctx, locale, queue, dedup)
			return err
		})
	}
	go func() { listers.Wait(); close(queue) }()

	files := newSet()
	for range j.cfg.Concurrency {
		g.Go(func() error {
			for a := range queue {
				if err := j.syncAttachments(ctx, a, attachments, files); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var done []string
	for i, locale := range locales {
		if synced[i] {
			done = append(done, locale)
		}
	}
	return done, attachments.Close()
}

// syncLocale writes <locale>_help_center_data.json and queues the
// locale's articles for their attachments. It reports false, with the
// locale recorded as a gap and its file removed, when a listing answers
// 404.
func (j *job) syncLocale(ctx context.Context, locale string, queue chan<- article, articles *set) (bool, error) {
	w, err := j.snap.JSON(localeFile(locale))
	if err != nil {
		return false, err
	}
	defer w.Close()
	for _, kind := range kinds {
		if err := w.BeginList(kind); err != nil {
			return false, err
		}
		seen := map[string]bool{}
		path := helpcenter.CategoriesPath(locale)
		switch kind {
		case "sections":
			path = helpcenter.SectionsPath(locale)
		case "articles":
			path = helpcenter.ArticlesPath(locale)
		}
		err := j.hc.List(ctx, path, kind, func(items []json.RawMessage) error {
			for _, raw := range items {
				id, err := itemID(raw)
				if err != nil {
					return fmt.Errorf("list %s: %w", path, err)
				}
				if seen[id] {
					continue
				}
				seen[id] = true
				if err := w.Add(raw); err != nil {
					return err
				}
				j.report.Add(kind, 1)
				if kind == "articles" {
					if err := j.queue(ctx, queue, locale, id, articles); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if zendesk.HasStatus(err, http.StatusNotFound) {
			j.report.Gap(report.Gap{Kind: "locale", ID: locale, Endpoint: path, Reason: err.Error()})
			_ = w.Close()
			return false, j.snap.Remove(localeFile(locale))
		}
		if err := j.gapOr(err, "listing", locale, path); err != nil {
			return false, err
		}
		if err := w.EndList(); err != nil {
			return false, err
		}
	}
	j.report.Add("locales", 1)
	return true, w.Close()
}

// queue hands an article over for its attachments: once per locale when
// anonymous (the locale-less listing is for agents), else once per id.
func (j *job) queue(ctx context.Context, queue chan<- article, locale, id string, articles *set) error {
	j.progress.articles.Add(1)
	a := article{locale: locale, id: id}
	if j.cfg.HasZendeskAuth() {
		a.locale = ""
	}
	if !articles.add(a.locale + "/" + a.id) {
		return nil
	}
	select {
	case queue <- a:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// syncAttachments lists an article's attachments into
// article_attachments.json and downloads each file not seen yet.
func (j *job) syncAttachments(ctx context.Context, a article, list *snapshot.JSONWriter, files *set) error {
	path := helpcenter.AttachmentsPath(a.locale, a.id)
	var found []helpcenter.Attachment
	err := j.hc.List(ctx, path, "article_attachments", func(items []json.RawMessage) error {
		for _, raw := range items {
			var att helpcenter.Attachment
			if err := json.Unmarshal(raw, &att); err != nil || att.ID == "" {
				return fmt.Errorf("list %s: attachment without an id", path)
			}
			if !files.add(att.ID.String()) {
				continue
			}
			if err := list.Add(raw); err != nil {
				return err
			}
			j.report.Add("attachments", 1)
			found = append(found, att)
		}
		return nil
	})
	j.progress.attachmentLists.Add(1)
	if err := j.gapOr(err, "attachment_list", a.id, path); err != nil {
		return err
	}
	if !j.cfg.Attachments {
		return nil
	}
	for _, att := range found {
		if err := j.download(ctx, a.id, att); err != nil {
			return err
		}
	}
	return nil
}

// download stores one attachment file as
// attachments/<articleId>/<attachmentId>-<file name>. A link that has
// expired or was withdrawn (403, 404, 410), or a file whose length never
// matches the listed size (a sign-in page instead of the file), is a
// gap.
func (j *job) download(ctx context.Context, articleID string, att helpcenter.Attachment) error {
	rel := "attachments/" + snapshot.SafeName(articleID) + "/" +
		snapshot.SafeName(att.ID.String()+"-"+att.FileName)
	f, err := j.snap.Create(rel)
	if err != nil {
		return err
	}
	n, err := j.hc.Download(ctx, att, f)
	if cerr := f.Close(); err == nil && cerr != nil {
		return fmt.Errorf("close %s: %w", rel, cerr)
	}
	if zendesk.HasStatus(err, http.StatusForbidden, http.StatusNotFound, http.StatusGone) ||
		errors.Is(err, zendesk.ErrSize) {
		j.report.Gap(report.Gap{Kind: "attachment", ID: att.ID.String(), Endpoint: att.ContentURL,
			Reason: err.Error()})
		return j.snap.Remove(rel)
	}
	if err != nil {
		return fmt.Errorf("download attachment %s of article %s: %w", att.ID, articleID, err)
	}
	j.report.Add("attachment_files", 1)
	j.report.Add("attachment_bytes", n)
	j.progress.files.Add(1)
	return nil
}

// gapOr records a listing that answered 404 (as a gap of kind), or whose
// cursor stalled, as a gap and returns nil; other errors are returned.
func (j *job) gapOr(err error, kind, id, path string) error {
	var stalled *paging.StalledError
	switch {
	case err == nil:
		return nil
	case zendesk.HasStatus(err, http.StatusNotFound):
		j.report.Gap(report.Gap{Kind: kind, ID: id, Endpoint: path, Reason: err.Error()})
		return nil
	case errors.As(err, &stalled):
		j.report.Gap(report.Gap{Kind: "listing", ID: id, Endpoint: path, Reason: err.Error()})
		return nil
	}
	return err
}

func itemID(raw json.RawMessage) (string, error) {
	var it helpcenter.Item
	if err := json.Unmarshal(raw, &it); err != nil {
		return "", fmt.Errorf("decode item: %w", err)
	}
	if it.ID == "" {
		return "", errors.New("item without an id")
	}
	return it.ID.String(), nil
}

func localeFile(locale string) string {
	return snapshot.SafeName(locale) + "_help_center_data.json"
}

// set is a concurrent set of strings.
type set struct {
	mu sync.Mutex
	m  map[string]bool
}

func newSet() *set { return &set{m: map[string]bool{}} }

// add adds s and reports whether it was new.
func (s *set) add(v string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[v] {
		return false
	}
	s.m[v] = true
	return true
}
