// Package sunco is the Sunshine Conversations API v2 as typed calls over
// the one zendesk transport: each call returns, or hands over page by
// page, the records as the API sent them. The API cannot list an app's
// conversations or users, so every listing here needs a conversation or
// a user.
package sunco

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesk"
)

// Client calls one app's endpoints, /v2/apps/{appId}/..., under the
// transport's base URL (such as https://acme.zendesk.com/sc).
type Client struct {
	api *zendesk.Client
	app string // /v2/apps/{appId}
}

// New returns a client of the app appID over api.
func New(api *zendesk.Client, appID string) *Client {
	return &Client{api: api, app: "/v2/apps/" + url.PathEscape(appID)}
}

// probeUser is the user Check asks for; no app is expected to have it.
const probeUser = "zendesk-sync-credentials-check"

// Check sends one cheap request, GET /users/{an unlikely id}, to learn
// early whether the key and the app id are accepted: a 404
// user_not_found (or the user) means yes. Any other failure is returned,
// so a wrong secret fails the run before any other work.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.GetUser(ctx, probeUser)
	switch code := ErrorCode(err); {
	case err == nil || zendesk.HasStatus(err, http.StatusNotFound) && code == "user_not_found":
		return nil
	case code == "app_not_found":
		return fmt.Errorf("find app (check SUNCO_APP_ID): %w", err)
	}
	return fmt.Errorf("check conversations api key: %w", err)
}

// GetConversation returns the conversation id as the API sent it.
func (c *Client) GetConversation(ctx context.Context, id string) (json.RawMessage, error) {
	return c.getOne(ctx, c.conversationPath(id), "conversation")
}

// GetUser returns a user, named by its id or its externalId, as the API
// sent it.
func (c *Client) GetUser(ctx context.Context, idOrExternalID string) (json.RawMessage, error) {
	return c.getOne(ctx, c.app+"/users/"+url.PathEscape(idOrExternalID), "user")
}

func (c *Client) getOne(ctx context.Context, path, key string) (json.RawMessage, error) {
	body, err := c.api.GetJSON(ctx, path, nil)
	if err != nil {
		return nil, err
	}
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	raw, ok := env[key]
	if !ok || len(raw) == 0 || raw[0] != '{' {
		return nil, fmt.Errorf("decode %s: no %s object in the answer", path, key)
	}
	return raw, nil
}

func (c *Client) conversationPath(id string) string {
	return c.app + "/conversations/" + url.PathEscape(id)
}

// ErrorCode returns the code of the first error in a Sunshine
// Conversations error body, {"errors":[{"code","title"}]}, kept in the
// *zendesk.APIError that err is or wraps; "" when there is none.
func ErrorCode(err error) string {
	var apiErr *zendesk.APIError
	if !errors.As(err, &apiErr) {
		return ""
	}
	var body struct {
		Errors []struct {
			Code string `json:"code"`
		} `json:"errors"`
	}
	if json.Unmarshal([]byte(apiErr.Body), &body) != nil || len(body.Errors) == 0 {
		return ""
	}
	return body.Errors[0].Code
}
