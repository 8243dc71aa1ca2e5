package zendesk

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxExcerpt caps the part of an error body kept in an APIError.
const maxExcerpt = 512

// APIError is an answer from a Zendesk API that is not a success. Its
// Path never holds credentials or a query string.
type APIError struct {
	Status     int
	Method     string
	Path       string
	Body       string        // the start of the body, at most 512 bytes
	RequestID  string        // X-Request-Id (or X-Zendesk-Request-Id), if sent
	RetryAfter time.Duration // from Retry-After, if sent
	Hint       string        // what to check, for 401 and 403
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.Body != "" {
		fmt.Fprintf(&b, ": %s", e.Body)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "; %s", e.Hint)
	}
	return b.String()
}

// HasStatus reports whether err is, or wraps, an APIError with one of the
// given statuses.
func HasStatus(err error, statuses ...int) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && slices.Contains(statuses, apiErr.Status)
}

// retryableStatus reports whether an answer with this status may succeed
// when sent again: rate limits and server errors, except 501.
func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests ||
		status >= 500 && status != http.StatusNotImplemented
}

func excerpt(body []byte) string {
	s := strings.ToValidUTF8(string(body), "?")
	if len(s) > maxExcerpt {
		s = strings.ToValidUTF8(s[:maxExcerpt], "") + "…"
	}
	return strings.TrimSpace(s)
}
