// Package logging builds the programs' slog loggers: JSON (or text) on
// stdout, with every secret value of the configuration redacted from
// every attribute, whatever code logged it.
package logging

import (
	"io"
	"log/slog"
	"strings"
)

// Redacted replaces a secret in a log line.
const Redacted = "[redacted]"

// New returns a logger writing to w at level ("debug", "info", "warn",
// "error") in format ("json" or "text"), that redacts secrets.
func New(w io.Writer, level, format string, secrets []string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	r := newRedactor(secrets)
	opts := &slog.HandlerOptions{Level: lv, ReplaceAttr: r.replace}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

type redactor struct {
	r *strings.Replacer
}

func newRedactor(secrets []string) redactor {
	var pairs []string
	for _, s := range secrets {
		if s != "" {
			pairs = append(pairs, s, Redacted)
		}
	}
	if len(pairs) == 0 {
		return redactor{}
	}
	return redactor{r: strings.NewReplacer(pairs...)}
}

// replace redacts secrets in string values, errors and anything else
// that prints as text.
func (r redactor) replace(_ []string, a slog.Attr) slog.Attr {
	if r.r == nil {
		return a
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, r.r.Replace(v.String()))
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, r.r.Replace(err.Error()))
		}
		if s, ok := v.Any().(interface{ String() string }); ok {
			return slog.String(a.Key, r.r.Replace(s.String()))
		}
	}
	return a
}
