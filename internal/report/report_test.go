package report

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestReportStats(t *testing.T) {
	var buf lockedBuffer
	r := New(slog.New(slog.NewJSONHandler(&buf, nil)))
	r.Add("articles", 2)
	r.Add("articles", 3)
	r.Gap(Gap{Kind: "locale", ID: "ja", Reason: "404"})
	r.Gap(Gap{Kind: "attachment", ID: "7", Reason: "410"})
	started := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := r.Stats("p", "v1", started, started.Add(1500*time.Millisecond), zendesk.Stats{Requests: 9})
	if s.Status != "complete" || s.Counts["articles"] != 5 || s.DurationSeconds != 1.5 || s.HTTP.Requests != 9 {
		t.Errorf("Stats() = %+v", s)
	}
	if len(s.Gaps) != 2 || s.Gaps[0].Kind != "attachment" {
		t.Errorf("gaps = %+v, want both, sorted by kind", s.Gaps)
	}
	if n := strings.Count(buf.String(), `"level":"WARN","msg":"gap"`); n != 2 {
		t.Errorf("%d gap warnings logged, want 2:\n%s", n, buf.String())
	}
}

func TestProgressTicksUntilStopped(t *testing.T) {
	var buf lockedBuffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	stop := Progress(log, 5*time.Millisecond, func() []any { return []any{"done", 1} })
	time.Sleep(50 * time.Millisecond)
	stop()
	n := strings.Count(buf.String(), `"msg":"progress","done":1`)
	if n == 0 {
		t.Fatalf("no progress line logged")
	}
	time.Sleep(20 * time.Millisecond)
	if after := strings.Count(buf.String(), `"msg":"progress"`); after != n {
		t.Errorf("%d progress lines after stop, want %d", after, n)
	}
}
