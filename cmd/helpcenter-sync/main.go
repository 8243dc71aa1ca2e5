// Command helpcenter-sync backs up a Zendesk help center (categories,
// sections, articles in every enabled locale, and the articles'
// attachment files) into one dated snapshot, then exits.
package main

import (
	"context"
	"os"

	"github.com/zendesk-sync/zendesk-sync/internal/cli"
	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/hcsync"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(cli.Main(cli.Program{
		Name:    hcsync.Program,
		Version: version,
		Summary: "Backs up a Zendesk help center (categories, sections and articles in every\n" +
			"enabled locale, and the articles' attachments) into one dated snapshot under\n" +
			"$DATA_DIR/" + hcsync.Folder + ", then exits.",
		Usage: config.HelpCenterUsage,
		Run:   run,
	}, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, env *cli.Env) error {
	cfg, err := config.LoadHelpCenter()
	if err != nil {
		return err
	}
	log := env.Logger(hcsync.Program, cfg.LogLevel, cfg.LogFormat, cfg.Secrets())
	_, err = hcsync.Run(ctx, cfg, log, version)
	return err
}
