package logging

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestNewRedactsSecrets(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			log := New(&buf, "debug", format, []string{"s3cr3t", ""})
			log.Info("starting", "token", "s3cr3t", "url", "http://x/?k=s3cr3t")
			log.Warn("failed", "error", errors.New("auth s3cr3t refused"))
			log.With("program", "p").Debug("with", "nested", "a-s3cr3t-b")
			got := buf.String()
			if strings.Contains(got, "s3cr3t") {
				t.Errorf("log holds the secret:\n%s", got)
			}
			if n := strings.Count(got, Redacted); n != 4 {
				t.Errorf("got %d redactions, want 4:\n%s", n, got)
			}
		})
	}
}

func TestNewLevel(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, "warn", "json", nil)
	log.Info("hidden")
	log.Warn("shown")
	if got := buf.String(); strings.Contains(got, "hidden") || !strings.Contains(got, `"msg":"shown"`) {
		t.Errorf("got %q, want only the warn line", got)
	}
}
