// Command zendesk-fake serves the fake Zendesk of internal/zendesktest by
// hand: the main host (Help Center, Support, and Sunshine Conversations
// under /sc) on -addr, and the host that attachment downloads redirect to
// on -files-addr. It runs until SIGINT or SIGTERM.
//
//	zendesk-fake -addr 127.0.0.1:8080 -ready-file /tmp/fake.env
//	ZENDESK_BASE_URL=http://127.0.0.1:8080 helpcenter-sync
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/zendesk-sync/zendesk-sync/internal/zendesktest"
)

// config is what the flags say.
type config struct {
	addr, filesAddr, readyFile string
	opts                       zendesktest.Options
}

func main() { os.Exit(serve()) }

// serve runs the fake and returns the exit code: 0 after SIGINT or
// SIGTERM, 1 when it cannot listen or serve, 2 for bad flags.
func serve() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "zendesk-fake:", err)
		return 2
	}
	if err := run(ctx, cfg, log); err != nil {
		log.Error("zendesk fake failed", "error", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, out io.Writer) (config, error) {
	fs := flag.NewFlagSet("zendesk-fake", flag.ContinueOnError)
	fs.SetOutput(out)
	var cfg config
	var gen zendesktest.HCGen
	var locales, missingLocale, stuckCursor string
	var conv zendesktest.ConvGen
	var exportLimit int
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "`host:port` of the main host")
	fs.StringVar(&cfg.filesAddr, "files-addr", "",
		"`host:port` of the files host (default: the -addr host, its port + 1; port 0 stays 0)")
	fs.IntVar(&cfg.opts.RateLimit, "rate-limit", 0, "requests per minute per API; 0 is no limit")
	fs.BoolVar(&cfg.opts.Anonymous, "anonymous", false, "let callers without credentials read the help center")
	fs.StringVar(&cfg.readyFile, "ready-file", "", "write the base URLs to this `file` once listening")
	fs.StringVar(&locales, "locales", "", "comma-separated help center locales, the default first")
	fs.IntVar(&gen.Articles, "articles", 0, "articles in the default locale (default 120)")
	fs.IntVar(&gen.Sections, "sections", 0, "sections (default 6)")
	fs.IntVar(&gen.Categories, "categories", 0, "categories (default 3)")
	fs.IntVar(&gen.AttachmentsPerArticle, "attachments", 0, "attachments per article (default 2, -1 for none)")
	fs.IntVar(&gen.MaxAttachmentSize, "max-attachment-size", 0, "largest attachment in bytes (default 1 MiB)")
	fs.Uint64Var(&gen.Seed, "seed", 0, "seed of the attachment bytes")
	fs.StringVar(&missingLocale, "missing-locale", "", "a listed locale whose listings answer 404")
	fs.StringVar(&stuckCursor, "stuck-cursor", "", "`path` of a listing whose cursor never advances")
	fs.IntVar(&conv.Conversations, "conversations", 0,
		"generate this many conversations, one ticket each (default: the realistic default set)")
	fs.IntVar(&conv.MessagesPerConversation, "messages", 0, "messages per generated conversation")
	fs.IntVar(&exportLimit, "export-rate-limit", 10,
		"requests per minute of the incremental export; 0 is no limit")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if conv.Conversations > 0 {
		conv.Now = time.Now()
		cfg.opts.Conversations = zendesktest.GenerateConversations(conv)
	}
	if cfg.opts.Conversations == nil {
		cfg.opts.Conversations = zendesktest.DefaultConversations()
	}
	cfg.opts.Conversations.ExportRateLimit = exportLimit
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if locales != "" {
		for l := range strings.SplitSeq(locales, ",") {
			if l = strings.TrimSpace(l); l != "" {
				gen.Locales = append(gen.Locales, l)
			}
		}
	}
	hc := zendesktest.GenerateHelpCenter(gen)
	hc.MissingLocale, hc.StuckCursor = missingLocale, stuckCursor
	cfg.opts.HelpCenter = hc
	return cfg, nil
}

// run listens on both hosts, announces them, and serves until ctx ends.
func run(ctx context.Context, cfg config, log *slog.Logger) error {
	mainLn, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on -addr: %w", err)
	}
	defer mainLn.Close()
	filesLn, err := net.Listen("tcp", filesAddr(cfg, mainLn.Addr()))
	if err != nil {
		return fmt.Errorf("listen on -files-addr: %w", err)
	}
	defer filesLn.Close()

	fake := zendesktest.New(cfg.opts)
	fake.URL, fake.FilesURL = "http://"+mainLn.Addr().String(), "http://"+filesLn.Addr().String()
	// The fake keeps an unspecified address (0.0.0.0) and answers with the
	// host name each client used; people and scripts get loopback URLs.
	url, filesURL := advertised(mainLn.Addr()), advertised(filesLn.Addr())
	if cfg.readyFile != "" {
		if err := writeReady(cfg.readyFile, url, filesURL); err != nil {
			return err
		}
		defer os.Remove(cfg.readyFile)
	}
	counts := cfg.opts.HelpCenter.Counts()
	log.Info("zendesk fake listening", "url", url, "sunco_url", url+"/sc", "files_url", filesURL,
		"articles", counts.Articles, "attachments", counts.Attachments)

	err = serveUntil(ctx, map[net.Listener]http.Handler{
		mainLn: fake.Handler(), filesLn: fake.FilesHandler(),
	})
	log.Info("zendesk fake stopped")
	return err
}

// serveUntil serves each listener's handler until ctx ends or one fails,
// then gives answers in flight a moment and cuts the rest (a delayed
// fault may hold a request for minutes).
func serveUntil(ctx context.Context, handlers map[net.Listener]http.Handler) error {
	errs := make(chan error, len(handlers))
	var servers []*http.Server
	for ln, h := range handlers {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go func() { errs <- srv.Serve(ln) }()
	}
	var err error
	select {
	case <-ctx.Done():
	case err = <-errs:
		err = fmt.Errorf("serve: %w", err)
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	for _, srv := range servers {
		if srv.Shutdown(shutdown) != nil {
			_ = srv.Close()
		}
	}
	return err
}

// filesAddr is -files-addr, or by default the main host's address with the
// next port (or port 0 when -addr asked for port 0).
func filesAddr(cfg config, main net.Addr) string {
	if cfg.filesAddr != "" {
		return cfg.filesAddr
	}
	host, port, _ := net.SplitHostPort(cfg.addr)
	if port == "0" {
		return net.JoinHostPort(host, "0")
	}
	tcp, _ := main.(*net.TCPAddr)
	return net.JoinHostPort(host, strconv.Itoa(tcp.Port+1))
}

// advertised is the URL of a listener, on loopback when it listens on
// every address.
func advertised(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if ok && tcp.IP.IsUnspecified() {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return "http://" + addr.String()
}

// writeReady writes the base URLs and the credentials the fake accepts as
// shell-sourceable variables, through a rename so that a script polling
// for the file never reads half of it.
func writeReady(path, url, filesURL string) error {
	body := "ZENDESK_BASE_URL=" + url + "\n" +
		"SUNCO_BASE_URL=" + url + "/sc\n" +
		"ZENDESK_FILES_URL=" + filesURL + "\n" +
		"ZENDESK_EMAIL=" + zendesktest.Email + "\n" +
		"ZENDESK_API_TOKEN=" + zendesktest.APIToken + "\n" +
		"SUNCO_APP_ID=" + zendesktest.AppID + "\n" +
		"SUNCO_KEY_ID=" + zendesktest.KeyID + "\n" +
		"SUNCO_KEY_SECRET=" + zendesktest.KeySecret + "\n"
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ready-*")
	if err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(body); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write ready file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write ready file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	return nil
}
