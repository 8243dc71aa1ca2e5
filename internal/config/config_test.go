package config

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSubdomain(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"acme", "acme", true},
		{"https://acme.zendesk.com/", "acme", true},
		{"ACME.zendesk.com", "acme", true},
		{"http://acme.zendesk.com", "acme", true},
		{"my-brand2", "my-brand2", true},
		{"acme corp", "", false},
		{"https://acme.zendesk.com/hc/en-us", "", false},
		{"-acme", "", false},
		{"acme.example.com", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var p problems
			got := subdomainVar(&p, tt.in)
			if got != tt.want || (len(p) == 0) != tt.ok {
				t.Errorf("subdomainVar(%q) = %q, problems %q; want %q, ok %v", tt.in, got, p, tt.want, tt.ok)
			}
			if !tt.ok && !strings.Contains(p[0], "e.g. acme for https://acme.zendesk.com") {
				t.Errorf("problem %q does not show the expected form", p[0])
			}
		})
	}
}

func TestLoadHelpCenterDefaults(t *testing.T) {
	t.Setenv("ZENDESK_SUBDOMAIN", "https://acme.zendesk.com/")
	t.Setenv("HELPCENTER_LOCALES", "en-US, ja ,")
	c, err := LoadHelpCenter()
	if err != nil {
		t.Fatal(err)
	}
	if c.ZendeskURL != "https://acme.zendesk.com" || c.DataDir != "/data" || c.KeepSnapshots != 30 ||
		c.Concurrency != 4 || c.MaxRetries != 8 || !c.Attachments || c.HTTPTimeout.String() != "30s" {
		t.Errorf("LoadHelpCenter() = %+v, want the documented defaults", c)
	}
	if diff := cmp.Diff([]string{"en-us", "ja"}, c.Locales); diff != "" {
		t.Errorf("Locales (-want +got):\n%s", diff)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	t.Setenv("ZENDESK_BASE_URL", "ftp://x")
	t.Setenv("MAX_RETRIES", "many")
	t.Setenv("HTTP_TIMEOUT", "-1s")
	t.Setenv("LOG_LEVEL", "loud")
	t.Setenv("ZENDESK_EMAIL", "a@example.com")
	t.Setenv("SUNCO_AUTH_TYPE", "jwt")
	t.Setenv("SUNCO_KEY_ID", "app_1")
	_, err := LoadConversations()
	if !IsConfigError(err) {
		t.Fatalf("LoadConversations() error = %v, want a config error", err)
	}
	for _, name := range []string{"ZENDESK_BASE_URL", "MAX_RETRIES", "HTTP_TIMEOUT", "LOG_LEVEL",
		"ZENDESK_API_TOKEN", "SUNCO_AUTH_TYPE", "SUNCO_APP_ID", "SUNCO_KEY_SECRET"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s:\n%v", name, err)
		}
	}
	if strings.Contains(err.Error(), "SUNCO_KEY_ID is missing") {
		t.Errorf("error calls the set SUNCO_KEY_ID missing:\n%v", err)
	}
}

func TestLoadConversationsSources(t *testing.T) {
	base := map[string]string{"SUNCO_APP_ID": "app1", "SUNCO_KEY_ID": "app_k", "SUNCO_KEY_SECRET": "s"}
	tests := []struct {
		name   string
		env    map[string]string
		source Source
		sunco  string
	}{
		{"ids", map[string]string{"CONVERSATION_IDS": "a1,b2", "SUNCO_USER_IDS": "u"}, SourceConversationIDs,
			"https://api.smooch.io"},
		{"users", map[string]string{"SUNCO_USER_IDS": "u1", "ZENDESK_SUBDOMAIN": "acme"}, SourceUserIDs,
			"https://acme.zendesk.com/sc"},
		{"tickets", map[string]string{"ZENDESK_SUBDOMAIN": "acme", "ZENDESK_EMAIL": "a@x", "ZENDESK_API_TOKEN": "t",
			"SUNCO_BASE_URL": "http://127.0.0.1:1/sc/"}, SourceTickets, "http://127.0.0.1:1/sc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range base {
				t.Setenv(k, v)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := LoadConversations()
			if err != nil {
				t.Fatal(err)
			}
			if c.Source != tt.source || c.SunCoURL != tt.sunco {
				t.Errorf("source %q, SunCo URL %q; want %q, %q", c.Source, c.SunCoURL, tt.source, tt.sunco)
			}
		})
	}
}

func TestUsageListsEveryVariable(t *testing.T) {
	var buf bytes.Buffer
	if err := ConversationsUsage(&buf); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"DATA_DIR", "KEEP_SNAPSHOTS", "RATE_LIMIT", "ZENDESK_OAUTH_TOKEN",
		"SUNCO_APP_ID", "SYNC_DAYS", "CONVERSATION_IDS", "SUNCO_USER_IDS"} {
		if !strings.Contains(buf.String(), "  "+name+" ") {
			t.Errorf("usage lacks %s:\n%s", name, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "/data") || !strings.Contains(buf.String(), "(required)") {
		t.Errorf("usage lacks defaults or required marks:\n%s", buf.String())
	}
}
