package config

import (
	"io"
	"strings"
)

type helpCenterEnv struct {
	CommonEnv
	Locales     string `envconfig:"HELPCENTER_LOCALES" desc:"comma-separated locales; empty means every enabled locale"`
	Attachments string `envconfig:"HELPCENTER_ATTACHMENTS" default:"true" desc:"download article attachment files"`
}

// HelpCenter is the checked configuration of helpcenter-sync.
type HelpCenter struct {
	Common
	Locales     []string // lowercase; empty means every enabled locale
	Attachments bool
}

// LoadHelpCenter reads and checks helpcenter-sync's variables. A
// *Error lists every problem.
func LoadHelpCenter() (HelpCenter, error) {
	var e helpCenterEnv
	if err := lookup(&e); err != nil {
		return HelpCenter{}, &Error{Problems: []string{err.Error()}}
	}
	var p problems
	c := HelpCenter{
		Common:      e.check(&p),
		Attachments: boolVar(&p, "HELPCENTER_ATTACHMENTS", e.Attachments),
	}
	for _, l := range list(e.Locales) {
		c.Locales = append(c.Locales, strings.ToLower(l))
	}
	if c.ZendeskURL == "" && e.ZendeskSubdomain == "" && e.ZendeskBaseURL == "" {
		p.addf("ZENDESK_SUBDOMAIN or ZENDESK_BASE_URL is missing: set the help center's subdomain, e.g. acme")
	}
	return c, p.err()
}

// HelpCenterUsage writes helpcenter-sync's --help variable table.
func HelpCenterUsage(w io.Writer) error {
	return Usage(w, &helpCenterEnv{})
}
