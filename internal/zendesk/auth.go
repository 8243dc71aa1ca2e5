package zendesk

import (
	"encoding/base64"
	"net/http"
)

// Auth sets the credentials of a request.
type Auth interface {
	Apply(*http.Request) error
}

// AuthFunc turns a function into an Auth.
type AuthFunc func(*http.Request) error

// Apply calls f.
func (f AuthFunc) Apply(r *http.Request) error { return f(r) }

// Basic is HTTP basic auth with a user and a password.
func Basic(user, password string) Auth {
	value := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	return AuthFunc(func(r *http.Request) error {
		r.Header.Set("Authorization", value)
		return nil
	})
}

// APIToken is Zendesk's API token auth: basic auth as "{email}/token"
// with the token as password.
func APIToken(email, token string) Auth { return Basic(email+"/token", token) }

// Bearer sends a fixed bearer token, such as a Zendesk OAuth token.
func Bearer(token string) Auth {
	return AuthFunc(func(r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	})
}
