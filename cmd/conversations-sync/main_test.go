package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/zendesk-sync/zendesk-sync/internal/cli"
)

func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--version"}, []string{"conversations-sync dev"}},
		{[]string{"--help"}, []string{"SUNCO_APP_ID", "SUNCO_AUTH_TYPE", "CONVERSATION_IDS",
			"SUNCO_USER_IDS", "SYNC_DAYS", "Exit codes"}},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := cli.Main(program(), tt.args, &stdout, &stderr); code != cli.ExitOK {
			t.Errorf("%v: exit code %d, want 0", tt.args, code)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout.String(), w) {
				t.Errorf("%v: output lacks %q:\n%s", tt.args, w, stdout.String())
			}
		}
	}
}

func TestNoSourceExits2(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"DATA_DIR": dir, "SUNCO_APP_ID": "app_x", "SUNCO_KEY_ID": "app_k", "SUNCO_KEY_SECRET": "s",
		"CONVERSATION_IDS": "", "SUNCO_USER_IDS": "", "ZENDESK_SUBDOMAIN": "", "ZENDESK_BASE_URL": "",
		"ZENDESK_EMAIL": "", "ZENDESK_API_TOKEN": "", "ZENDESK_OAUTH_TOKEN": "", "SUNCO_BASE_URL": "",
	} {
		t.Setenv(k, v)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main(program(), nil, &stdout, &stderr); code != cli.ExitConfig {
		t.Errorf("exit code %d, want %d", code, cli.ExitConfig)
	}
	if !strings.Contains(stderr.String(), "no source of conversations") {
		t.Errorf("stderr: %s", stderr.String())
	}
}
