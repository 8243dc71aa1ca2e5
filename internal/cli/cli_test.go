package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
)

func program(run func(ctx context.Context, env *Env) error) Program {
	return Program{Name: "p", Version: "1.2.3", Summary: "Does p.", Run: run,
		Usage: func(w io.Writer) error { _, err := io.WriteString(w, "  VAR  x  a variable\n"); return err }}
}

func TestMainExitCodes(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		run         func(ctx context.Context, env *Env) error
		code        int
		out, errOut string
	}{
		{"help", []string{"--help"}, nil, 0, "  VAR  x  a variable", ""},
		{"version", []string{"--version"}, nil, 0, "p 1.2.3\n", ""},
		{"argument", []string{"x"}, nil, 2, "", `unexpected argument "x"`},
		{"success", nil, func(context.Context, *Env) error { return nil }, 0, "", ""},
		{"config error before the logger", nil, func(context.Context, *Env) error {
			return &config.Error{Problems: []string{"A is missing", "B is bad"}}
		}, 2, "", "A is missing\n  B is bad"},
		{"config error after the logger", nil, func(_ context.Context, env *Env) error {
			env.Logger("p", "info", "json", nil)
			return &config.Error{Problems: []string{"LOCALES names xx"}}
		}, 2, `"msg":"invalid configuration"`, ""},
		{"failure is logged once, redacted", nil, func(_ context.Context, env *Env) error {
			env.Logger("p", "info", "json", []string{"s3cret"})
			return errors.New("auth s3cret refused")
		}, 1, `"error":"auth [redacted] refused"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(program(tt.run), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if !strings.Contains(stdout.String(), tt.out) || !strings.Contains(stderr.String(), tt.errOut) {
				t.Errorf("stdout %q, stderr %q; want them to hold %q and %q", stdout.String(), stderr.String(), tt.out, tt.errOut)
			}
			if strings.Contains(stdout.String()+stderr.String(), "s3cret") {
				t.Error("a secret reached the output")
			}
			if n := strings.Count(stdout.String(), `"level":"ERROR"`); n > 1 {
				t.Errorf("%d error lines, want at most one", n)
			}
		})
	}
}
