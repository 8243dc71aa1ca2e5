package convsync

import (
	"context"
	"log/slog"
	"testing"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

// BenchmarkRun syncs 1,000 conversations of 50 messages, found through
// 1,000 messaging tickets, from the fake in this process. Run it with
// go test -run '^$' -bench Run ./internal/convsync/.
func BenchmarkRun(b *testing.B) {
	d := zendesktest.GenerateConversations(zendesktest.ConvGen{
		Conversations: 1000, MessagesPerConversation: 50,
	})
	d.ExportRateLimit = 0 // runs follow each other faster than 10 a minute
	srv := zendesktest.Start(b, zendesktest.Options{Conversations: d})
	setEnv(b, srv, "KEEP_SNAPSHOTS=1", "LOG_LEVEL=warn", "CONCURRENCY=8")
	cfg, err := config.LoadConversations()
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)

	before := len(srv.Requests())
	for b.Loop() {
		if _, err := run(context.Background(), cfg, log, "bench", fast); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(srv.Requests())-before)/float64(b.N), "requests/op")
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "conversations/s")
}
