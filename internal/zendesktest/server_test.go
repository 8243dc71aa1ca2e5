package zendesktest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"
)

const hcLocalesPath = "/api/v2/help_center/locales"

func TestAuth(t *testing.T) {
	tests := []struct {
		name      string
		anonymous bool
		auth      hcAuth
		path      string
		status    int
	}{
		{"api token", false, asAgent, hcLocalesPath, http.StatusOK},
		{"oauth", false, asBearer, hcLocalesPath, http.StatusOK},
		{"wrong token", false, asWrongToken, hcLocalesPath, http.StatusUnauthorized},
		{"wrong token, anonymous allowed", true, asWrongToken, hcLocalesPath, http.StatusUnauthorized},
		{"anonymous refused", false, asAnonymous, hcLocalesPath, http.StatusUnauthorized},
		{"anonymous allowed", true, asAnonymous, "/api/v2/help_center/ja/articles", http.StatusOK},
		{"anonymous, locale-less", true, asAnonymous, "/api/v2/help_center/articles", http.StatusUnauthorized},
		{"anonymous download refused", false, asAnonymous, "/hc/article_attachments/1", http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := Start(t, Options{Anonymous: tt.anonymous})
			resp, body := hcGet(t, srv.URL+tt.path, tt.auth)
			if resp.StatusCode != tt.status {
				t.Fatalf("got status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status == http.StatusUnauthorized && string(body) != bodyUnauthorized {
				t.Errorf("got body %s, want %s", body, bodyUnauthorized)
			}
		})
	}
}

func TestRateLimit(t *testing.T) {
	clock := &hcClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	srv := Start(t, Options{RateLimit: 3, Now: clock.Now})
	for i := range 3 {
		resp, _ := hcGet(t, srv.URL+hcLocalesPath, asAgent)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: got status %d, want 200", i+1, resp.StatusCode)
		}
		if got, want := resp.Header.Get("X-Rate-Limit-Remaining"), strconv.Itoa(2-i); got != want {
			t.Errorf("request %d: got X-Rate-Limit-Remaining %q, want %q", i+1, got, want)
		}
	}

	clock.Add(20 * time.Second)
	resp, _ := hcGet(t, srv.URL+hcLocalesPath, asAgent)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("request 4: got status %d, want 429", resp.StatusCode)
	}
	if got, want := resp.Header.Get("Retry-After"), "41"; got != want {
		t.Errorf("got Retry-After %q, want %q", got, want)
	}
	if got, want := resp.Header.Get("X-Rate-Limit"), "3"; got != want {
		t.Errorf("got X-Rate-Limit %q, want %q", got, want)
	}

	clock.Add(41 * time.Second)
	if resp, _ := hcGet(t, srv.URL+hcLocalesPath, asAgent); resp.StatusCode != http.StatusOK {
		t.Errorf("next minute: got status %d, want 200", resp.StatusCode)
	}
}

func TestInjectStatusThenRealAnswer(t *testing.T) {
	srv := Start(t, Options{})
	srv.Inject(hcLocalesPath, Fault{Status: 503, RetryAfter: 7, Body: `{"error":"down"}`})

	resp, body := hcGet(t, srv.URL+hcLocalesPath, asAgent)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") != "7" || string(body) != `{"error":"down"}` {
		t.Errorf("fault: got %d, Retry-After %q, body %s; want 503, 7, the fault's body",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if resp, _ := hcGet(t, srv.URL+hcLocalesPath, asAgent); resp.StatusCode != http.StatusOK {
		t.Errorf("after the fault: got status %d, want 200", resp.StatusCode)
	}
	if got, want := srv.Count(hcLocalesPath), 2; got != want {
		t.Errorf("got %d recorded requests, want %d", got, want)
	}
}

func TestInjectDelayHonoursCancellation(t *testing.T) {
	srv := Start(t, Options{})
	srv.Inject(hcLocalesPath, Fault{Delay: time.Minute})

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+hcLocalesPath, nil)
	req.SetBasicAuth(Email+"/token", APIToken)
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatal("got an answer, want the client's deadline to pass")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got error %v, want context.DeadlineExceeded", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("the request took %v, want about 200ms", elapsed)
	}
}

func TestInjectTruncate(t *testing.T) {
	srv := Start(t, Options{})
	srv.Inject(hcLocalesPath, Fault{Body: `{"locales":["en-us"`, Truncate: true})

	req, _ := http.NewRequest(http.MethodGet, srv.URL+hcLocalesPath, nil)
	req.SetBasicAuth(Email+"/token", APIToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadAll(resp.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("got read error %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestHelpCenterHeaders(t *testing.T) {
	srv := Start(t, Options{RateLimit: 100})
	resp, _ := hcGet(t, srv.URL+hcLocalesPath, asAgent)
	for _, h := range []string{"X-Zendesk-Origin-Server", "X-Request-Id", "X-Rate-Limit", "X-Rate-Limit-Remaining"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	if got, want := resp.Header.Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("got Content-Type %q, want %q", got, want)
	}
	resp2, _ := hcGet(t, srv.URL+hcLocalesPath, asAgent)
	if resp.Header.Get("X-Request-Id") == resp2.Header.Get("X-Request-Id") {
		t.Error("two answers have the same X-Request-Id")
	}
}
