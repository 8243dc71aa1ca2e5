package zendesktest

import (
	"net/http"
	"strings"
)

// authorized checks the credentials of a main-host request and answers
// 401 when they are wrong. Help Center paths accept anonymous callers
// when Options.Anonymous is set; Sunshine Conversations paths are checked
// by their own handlers (basic or JWT).
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	path := r.URL.Path
	if strings.HasPrefix(path, "/sc/") {
		return s.suncoAuthorized(w, r)
	}
	auth := r.Header.Get("Authorization")
	if auth == "" && s.opts.Anonymous && apiOf(path) == "helpcenter" {
		return true
	}
	if user, pass, ok := r.BasicAuth(); ok && user == Email+"/token" && pass == APIToken {
		return true
	}
	if auth == "Bearer "+OAuthToken {
		return true
	}
	writeJSON(w, http.StatusUnauthorized, bodyUnauthorized)
	return false
}
