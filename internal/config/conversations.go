package config

import (
	"io"
	"regexp"
	"time"
)

type conversationsEnv struct {
	CommonEnv
	AppID           string `envconfig:"SUNCO_APP_ID" desc:"Conversations API app id (required)"`
	KeyID           string `envconfig:"SUNCO_KEY_ID" desc:"Conversations API key id (required)"`
	KeySecret       string `envconfig:"SUNCO_KEY_SECRET" desc:"Conversations API key secret (required)"`
	BaseURL         string `envconfig:"SUNCO_BASE_URL" desc:"API host; default https://{ZENDESK_SUBDOMAIN}.zendesk.com/sc, else https://api.smooch.io"`
	AuthType        string `envconfig:"SUNCO_AUTH_TYPE" default:"basic" desc:"basic (key id and secret) or bearer (a JWT signed with the secret)"`
	SyncDays        string `envconfig:"SYNC_DAYS" default:"7" desc:"conversations active, and messages received, in the last N days; 0 means everything"`
	ConversationIDs string `envconfig:"CONVERSATION_IDS" desc:"comma-separated conversation ids: sync exactly these"`
	UserIDs         string `envconfig:"SUNCO_USER_IDS" desc:"comma-separated user ids or external ids: sync their conversations"`
}

// Source names where conversations-sync finds the conversations to sync.
type Source string

// The sources, first match wins.
const (
	SourceConversationIDs Source = "conversation_ids"
	SourceUserIDs         Source = "user_ids"
	SourceTickets         Source = "tickets"
)

// Conversations is the checked configuration of conversations-sync.
type Conversations struct {
	Common
	AppID           string
	KeyID           string
	KeySecret       string
	SunCoURL        string
	AuthType        string
	SyncDays        int
	ConversationIDs []string
	UserIDs         []string
	Source          Source
}

// Window returns the start of the sync window for a run started at now,
// or the zero time when SYNC_DAYS is 0 (no window).
func (c Conversations) Window(now time.Time) time.Time {
	if c.SyncDays == 0 {
		return time.Time{}
	}
	return now.Add(-time.Duration(c.SyncDays) * 24 * time.Hour)
}

// Secrets returns the secret values, for the logger to redact.
func (c Conversations) Secrets() []string { return append(c.Common.Secrets(), c.KeySecret) }

var idRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// LoadConversations reads and checks conversations-sync's variables. A
// *Error lists every problem.
func LoadConversations() (Conversations, error) {
	var e conversationsEnv
	if err := lookup(&e); err != nil {
		return Conversations{}, &Error{Problems: []string{err.Error()}}
	}
	var p problems
	c := Conversations{
		Common:          e.check(&p),
		AppID:           e.AppID,
		KeyID:           e.KeyID,
		KeySecret:       e.KeySecret,
		AuthType:        oneOf(&p, "SUNCO_AUTH_TYPE", e.AuthType, "basic", "bearer"),
		SyncDays:        intVar(&p, "SYNC_DAYS", e.SyncDays, 0, 36500),
		ConversationIDs: list(e.ConversationIDs),
		UserIDs:         list(e.UserIDs),
	}
	missing(&p, "SUNCO_APP_ID", e.AppID, "the Conversations API app id, from Admin Center > Apps and integrations > APIs")
	missing(&p, "SUNCO_KEY_ID", e.KeyID, "the Conversations API key id (app_...)")
	missing(&p, "SUNCO_KEY_SECRET", e.KeySecret, "the Conversations API key secret")
	if e.AppID != "" && !idRE.MatchString(e.AppID) {
		p.addf("SUNCO_APP_ID %q is not valid: want letters, digits, _ or -", e.AppID)
	}
	for _, id := range c.ConversationIDs {
		if !idRE.MatchString(id) {
			p.addf("CONVERSATION_IDS has %q: a conversation id has only letters, digits, _ or -", id)
		}
	}

	c.SunCoURL = baseURLVar(&p, "SUNCO_BASE_URL", e.BaseURL)
	if e.BaseURL == "" {
		c.SunCoURL = "https://api.smooch.io"
		if c.Subdomain != "" {
			c.SunCoURL = "https://" + c.Subdomain + ".zendesk.com/sc"
		}
	}

	switch {
	case len(c.ConversationIDs) > 0:
		c.Source = SourceConversationIDs
	case len(c.UserIDs) > 0:
		c.Source = SourceUserIDs
	case c.ZendeskURL != "" && c.HasZendeskAuth():
		c.Source = SourceTickets
	case e.ZendeskSubdomain != "" || e.ZendeskBaseURL != "":
		p.addf("ZENDESK_EMAIL and ZENDESK_API_TOKEN (or ZENDESK_OAUTH_TOKEN) are missing: " +
			"finding conversations through Support tickets needs an admin's credentials")
	default:
		p.addf("no source of conversations: set CONVERSATION_IDS, SUNCO_USER_IDS, or " +
			"ZENDESK_SUBDOMAIN (or ZENDESK_BASE_URL) with an admin's ZENDESK_EMAIL and " +
			"ZENDESK_API_TOKEN to find them through Support tickets")
	}
	return c, p.err()
}

// ConversationsUsage writes conversations-sync's --help variable table.
func ConversationsUsage(w io.Writer) error {
	return Usage(w, &conversationsEnv{})
}
