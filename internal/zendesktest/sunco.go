package zendesktest

import (
	"errors"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// routesSunco registers the Sunshine Conversations v2 endpoints a backup
// reads, under /sc as on a Zendesk host.
func (s *Server) routesSunco() {
	const app = "GET /sc/v2/apps/{appId}"
	s.mux.HandleFunc(app+"/conversations", s.inApp(s.listConversations))
	s.mux.HandleFunc(app+"/conversations/{conversationId}", s.inApp(s.getConversation))
	s.mux.HandleFunc(app+"/conversations/{conversationId}/participants", s.inApp(s.listParticipants))
	s.mux.HandleFunc(app+"/conversations/{conversationId}/messages", s.inApp(s.listMessages))
	s.mux.HandleFunc(app+"/users/{user}", s.inApp(s.getUser))
}

// suncoAuthorized accepts the API key by basic auth (key id and secret)
// or as a JWT: HS256 signed with the secret, header kid the key id, claim
// scope "app" (an exp, when present, is honoured). Anything else is
// answered 401.
func (s *Server) suncoAuthorized(w http.ResponseWriter, r *http.Request) bool {
	if user, pass, ok := r.BasicAuth(); ok {
		if user == KeyID && pass == KeySecret {
			return true
		}
		suncoError(w, http.StatusUnauthorized, "unauthorized", "Invalid credentials")
		return false
	}
	token, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !bearer {
		suncoError(w, http.StatusUnauthorized, "unauthorized", "Authorization is required")
		return false
	}
	if !validAppJWT(token) {
		suncoError(w, http.StatusUnauthorized, "unauthorized", "Invalid JWT")
		return false
	}
	return true
}

func validAppJWT(raw string) bool {
	token, err := jwt.Parse(raw, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != KeyID {
			return nil, errors.New("unknown kid")
		}
		return []byte(KeySecret), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		return false
	}
	claims, ok := token.Claims.(jwt.MapClaims)
	return ok && claims["scope"] == "app"
}

// inApp answers 404 app_not_found for an app other than AppID.
func (s *Server) inApp(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("appId") != AppID {
			suncoError(w, http.StatusNotFound, "app_not_found", "App not found")
			return
		}
		h(w, r)
	}
}

func (s *Server) listConversations(w http.ResponseWriter, r *http.Request) {
	d := s.opts.Conversations
	q := r.URL.Query()
	id, ext := q.Get("filter[userId]"), q.Get("filter[userExternalId]")
	if (id == "") == (ext == "") {
		suncoError(w, http.StatusBadRequest, "bad_request",
			"One of filter[userId] or filter[userExternalId] is required")
		return
	}
	u := d.users[id]
	if ext != "" {
		u = d.users[d.external[ext]]
	}
	if u == nil {
		suncoError(w, http.StatusNotFound, "user_not_found", "User not found")
		return
	}
	convs := d.userConvs[u.id]
	items := make([]suncoItem, len(convs))
	for i, c := range convs {
		items[i] = suncoItem{c.id, c.raw}
	}
	serveSuncoPage(w, r, "conversations", items, false)
}

// conversationOf answers 404 conversation_not_found for an unknown id.
func (s *Server) conversationOf(w http.ResponseWriter, r *http.Request) *conv {
	c := s.opts.Conversations.convByID[r.PathValue("conversationId")]
	if c == nil {
		suncoError(w, http.StatusNotFound, "conversation_not_found", "Conversation not found")
	}
	return c
}

func (s *Server) getConversation(w http.ResponseWriter, r *http.Request) {
	if c := s.conversationOf(w, r); c != nil {
		writeJSON(w, http.StatusOK, `{"conversation":`+string(c.raw)+`}`)
	}
}

func (s *Server) listParticipants(w http.ResponseWriter, r *http.Request) {
	c := s.conversationOf(w, r)
	if c == nil {
		return
	}
	serveSuncoPage(w, r, "participants", c.participants, false)
}

// listMessages pages backwards from the newest 100 messages; page[size]
// does not apply.
func (s *Server) listMessages(w http.ResponseWriter, r *http.Request) {
	c := s.conversationOf(w, r)
	if c == nil {
		return
	}
	items := make([]suncoItem, len(c.messages))
	for i, m := range c.messages {
		items[i] = suncoItem{m.id, m.raw}
	}
	serveSuncoPage(w, r, "messages", items, true)
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) {
	u := s.opts.Conversations.lookupUser(r.PathValue("user"))
	if u == nil {
		suncoError(w, http.StatusNotFound, "user_not_found", "User not found")
		return
	}
	writeJSON(w, http.StatusOK, `{"user":`+string(u.raw)+`}`)
}
