package convsync

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/zendesk-sync/zendesk-sync/internal/cli"
	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/support"
	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

// program is cmd/conversations-sync's program with fast tuning.
func program() cli.Program {
	return cli.Program{Name: Program, Version: "test", Usage: config.ConversationsUsage,
		Run: func(ctx context.Context, env *cli.Env) error {
			cfg, err := config.LoadConversations()
			if err != nil {
				return err
			}
			log := env.Logger(Program, cfg.LogLevel, cfg.LogFormat, cfg.Secrets())
			_, err = run(ctx, cfg, log, "test", fast)
			return err
		}}
}

func mainRun() (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Main(program(), nil, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestAuth(t *testing.T) {
	d := zendesktest.DefaultConversations()
	rich := d.Special.RichConversation
	tests := []struct {
		name     string
		env      []string
		code     int
		requests int      // requests the fake got, when failing
		want     []string // in the log, when failing
	}{
		{name: "basic", env: []string{"SUNCO_AUTH_TYPE=basic"}},
		{name: "jwt", env: []string{"SUNCO_AUTH_TYPE=bearer"}},
		{name: "bad secret", env: []string{"SUNCO_KEY_SECRET=wrong"}, code: cli.ExitFailed,
			requests: 1, want: []string{"401", "SUNCO_KEY_SECRET", "/sc/v2/apps/app_fake/users/"}},
		{name: "bad jwt", env: []string{"SUNCO_AUTH_TYPE=bearer", "SUNCO_KEY_SECRET=wrong"},
			code: cli.ExitFailed, requests: 1, want: []string{"401", "bearer JWT", "SUNCO_KEY_SECRET"}},
		{name: "bad zendesk token", env: []string{"ZENDESK_API_TOKEN=wrong", "CONVERSATION_IDS="},
			code: cli.ExitFailed, requests: 2,
			want: []string{"401", "ZENDESK_API_TOKEN", "ZENDESK_EMAIL", support.ExportPath}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
			dir := setEnv(t, srv, append([]string{"CONVERSATION_IDS=" + rich}, tt.env...)...)
			code, stdout, _ := mainRun()
			if code != tt.code {
				t.Fatalf("exit code %d, want %d\n%s", code, tt.code, stdout)
			}
			if tt.code == cli.ExitOK {
				checkAuthHeaders(t, srv, tt.name == "jwt")
				return
			}
			if n := len(srv.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d (no retry)", n, tt.requests)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("log does not name %q:\n%s", w, stdout)
				}
			}
			if strings.Contains(stdout, "wrong") {
				t.Errorf("log shows the secret:\n%s", stdout)
			}
			if got := published(t, dir); len(got) != 0 {
				t.Errorf("published %v after a failed run", got)
			}
		})
	}
}

// checkAuthHeaders checks the credentials every SunCo request carried.
func checkAuthHeaders(t *testing.T, srv *zendesktest.Server, bearer bool) {
	t.Helper()
	for _, r := range srv.Requests() {
		auth := r.Header.Get("Authorization")
		token, isBearer := strings.CutPrefix(auth, "Bearer ")
		if isBearer != bearer {
			t.Fatalf("%s: Authorization %q", r.Path, auth)
		}
		if !bearer {
			continue
		}
		parsed, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{})
		if err != nil {
			t.Fatal(err)
		}
		if parsed.Header["kid"] != zendesktest.KeyID || parsed.Header["alg"] != "HS256" ||
			parsed.Claims.(jwt.MapClaims)["scope"] != "app" {
			t.Errorf("jwt header %v claims %v", parsed.Header, parsed.Claims)
		}
	}
}

func TestNoSource(t *testing.T) {
	srv := zendesktest.Start(t, zendesktest.Options{})
	dir := setEnv(t, srv, "ZENDESK_BASE_URL=", "ZENDESK_EMAIL=", "ZENDESK_API_TOKEN=")
	code, _, stderr := mainRun()
	if code != cli.ExitConfig {
		t.Fatalf("exit code %d, want %d", code, cli.ExitConfig)
	}
	if !strings.Contains(stderr, "CONVERSATION_IDS") || !strings.Contains(stderr, "SUNCO_USER_IDS") {
		t.Errorf("message does not name the sources: %s", stderr)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests, want none", n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("DATA_DIR has %d entries, want none", len(entries))
	}
}

// hold makes the fake hold every messages request until the client goes
// away, and returns a channel closed when the first one arrives.
func hold(srv *zendesktest.Server) <-chan struct{} {
	arrived := make(chan struct{})
	first := true
	srv.InjectFunc(func(r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/messages") {
			return false
		}
		if first {
			first = false
			close(arrived)
		}
		return true
	}, slices.Repeat([]zendesktest.Fault{{Delay: time.Minute}}, 100)...)
	return arrived
}

func TestCancel(t *testing.T) {
	srv := zendesktest.Start(t, zendesktest.Options{})
	dir := setEnv(t, srv)
	arrived := hold(srv)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()

	start := time.Now()
	_, _, err := runJob(t, ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("run: got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("run took %s to stop", d)
	}
	if got := published(t, dir); len(got) != 0 {
		t.Errorf("left %v after a cancelled run", got)
	}
}

func TestSIGTERM(t *testing.T) {
	srv := zendesktest.Start(t, zendesktest.Options{})
	dir := setEnv(t, srv)
	arrived := hold(srv)
	go func() {
		<-arrived
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
	}()
	code, stdout, _ := mainRun()
	if code != cli.ExitFailed {
		t.Errorf("exit code %d, want %d", code, cli.ExitFailed)
	}
	if !strings.Contains(stdout, `"msg":"run failed"`) {
		t.Errorf("no failure line in the log:\n%s", stdout)
	}
	if got := published(t, dir); len(got) != 0 {
		t.Errorf("left %v after SIGTERM", got)
	}
	if _, err := os.Stat(filepath.Join(dir, Folder, "latest")); err == nil {
		t.Errorf("latest exists after SIGTERM")
	}
}

func TestSunCoRateLimited(t *testing.T) {
	d := zendesktest.DefaultConversations()
	srv := zendesktest.Start(t, zendesktest.Options{Conversations: d})
	rich := d.Special.RichConversation
	setEnv(t, srv, "CONVERSATION_IDS="+rich)
	limited := zendesktest.Fault{Status: http.StatusTooManyRequests,
		Body: `{"errors":[{"code":"too_many_requests","title":"Too many requests"}]}`}
	srv.Inject(convPath+"/"+rich, limited, limited)
	s, logs := mustRun(t)

	if s.stats.HTTP.RateLimited != 2 || s.stats.HTTP.Retries != 2 {
		t.Errorf("http %+v, want 2 rate limited and 2 retries", s.stats.HTTP)
	}
	if !strings.Contains(logs.String(), `"msg":"retrying request"`) {
		t.Errorf("no retry warning in the log")
	}
	if _, ok := s.conversations[rich]; !ok {
		t.Errorf("conversation %s missing after the retries", rich)
	}
}
