package convsync

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/sync/errgroup"

	"github.com/zendesk-sync/zendesk-sync/internal/paging"
	"github.com/zendesk-sync/zendesk-sync/internal/report"
	"github.com/zendesk-sync/zendesk-sync/internal/sunco"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// counts are the count keys every run's stats have, 0 or not.
var counts = []string{countTicket, countMsgTkt, countTotal, fromIDs, fromUsers, fromAudits, fromLog,
	countMsgs, countUsers}

// sync finds the conversations, then syncs them CONCURRENCY at a time,
// streaming each one's entry into conversations.json as it completes (in
// the order they complete) and its users into users.json.
func (j *job) sync(ctx context.Context) error {
	for _, k := range counts {
		j.report.Add(k, 0)
	}
	var err error
	if j.convs, err = j.snap.List("conversations.json", "conversations"); err != nil {
		return err
	}
	defer j.convs.Close()
	usersFile, err := j.snap.List("users.json", "users")
	if err != nil {
		return err
	}
	defer usersFile.Close()
	j.users = newUsers(usersFile, j.report)

	idx, err := j.find(ctx)
	if err != nil {
		return err
	}
	ids := idx.ids()
	j.progress.total.Store(int64(len(ids)))
	j.log.Info("found conversations", "conversations", len(ids),
		"messaging_tickets", j.report.Count(countMsgTkt))

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(j.cfg.Concurrency)
	for _, id := range ids {
		g.Go(func() error { return j.syncConversation(gctx, id, idx.get(id)) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := j.convs.Close(); err != nil {
		return err
	}
	return usersFile.Close()
}

// gapOr records err as a gap and returns nil when it is one: a listing
// whose cursor stalled, or a 404 on what kind and id name (but not an
// unknown app, which fails the run). Other errors are returned.
func (j *job) gapOr(err error, kind, id string) error {
	var stalled *paging.StalledError
	var apiErr *zendesk.APIError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &stalled):
		j.report.Gap(report.Gap{Kind: "listing", ID: id, Endpoint: stalled.Path, Reason: err.Error()})
		return nil
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound &&
		sunco.ErrorCode(err) != "app_not_found":
		j.report.Gap(report.Gap{Kind: kind, ID: id, Endpoint: apiErr.Path, Reason: err.Error()})
		return nil
	}
	return err
}
