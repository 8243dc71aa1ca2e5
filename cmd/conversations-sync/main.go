// Command conversations-sync backs up Zendesk messaging conversations
// (Sunshine Conversations v2: conversations, participants, messages and
// the users in them) into one dated snapshot, then exits.
package main

import (
	"context"
	"os"

	"github.com/zendesk-sync/zendesk-sync/internal/cli"
	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/convsync"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	os.Exit(cli.Main(program(), os.Args[1:], os.Stdout, os.Stderr))
}

func program() cli.Program {
	return cli.Program{
		Name:    convsync.Program,
		Version: version,
		Summary: "Backs up Zendesk messaging conversations (Sunshine Conversations v2: each\n" +
			"conversation, its participants and messages, and the users in them) into one\n" +
			"dated snapshot under $DATA_DIR/" + convsync.Folder + ", then exits. The conversations\n" +
			"are CONVERSATION_IDS, else the conversations of SUNCO_USER_IDS, else those of the\n" +
			"messaging tickets the Zendesk Support API shows changed in the last SYNC_DAYS.",
		Usage: config.ConversationsUsage,
		Run:   run,
	}
}

func run(ctx context.Context, env *cli.Env) error {
	cfg, err := config.LoadConversations()
	if err != nil {
		return err
	}
	log := env.Logger(convsync.Program, cfg.LogLevel, cfg.LogFormat, cfg.Secrets())
	_, err = convsync.Run(ctx, cfg, log, version)
	return err
}
