// Package cli is the frame both programs share: --help and --version, a
// context cancelled by SIGTERM and SIGINT, one line for a failure, and
// the exit code (0 success, 1 the run failed, 2 configuration error).
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/zendesk-sync/zendesk-sync/internal/config"
	"github.com/zendesk-sync/zendesk-sync/internal/logging"
)

// Exit codes.
const (
	ExitOK     = 0
	ExitFailed = 1
	ExitConfig = 2
)

// Program describes one run-once program.
type Program struct {
	Name    string
	Version string
	Summary string                // a paragraph for --help
	Usage   func(io.Writer) error // the variable table for --help
	// Run does the work. It builds its logger through env; an error it
	// returns is logged once there, and a *config.Error exits 2.
	Run func(ctx context.Context, env *Env) error
}

// Env is what Run gets from the frame.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	log    *slog.Logger
}

// Logger builds the run's logger on Stdout, redacting secrets, and
// keeps it for the failure line.
func (e *Env) Logger(program, level, format string, secrets []string) *slog.Logger {
	e.log = logging.New(e.Stdout, level, format, secrets).With("program", program)
	return e.log
}

// Main runs p with the command-line arguments args and returns the exit
// code.
func Main(p Program, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			p.help(stdout)
			return ExitOK
		case "-version", "--version", "version":
			fmt.Fprintf(stdout, "%s %s\n", p.Name, p.Version)
			return ExitOK
		}
		fmt.Fprintf(stderr, "%s: unexpected argument %q: the configuration comes from "+
			"environment variables only (see --help)\n", p.Name, args[0])
		return ExitConfig
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	env := &Env{Stdout: stdout, Stderr: stderr}
	err := p.Run(ctx, env)
	switch {
	case err == nil:
		return ExitOK
	case config.IsConfigError(err) && env.log != nil:
		env.log.Error("invalid configuration", "error", err)
		return ExitConfig
	case config.IsConfigError(err):
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
		return ExitConfig
	case env.log != nil:
		env.log.Error("run failed", "error", err)
	default:
		fmt.Fprintf(stderr, "%s: %v\n", p.Name, err)
	}
	return ExitFailed
}

func (p Program) help(w io.Writer) {
	fmt.Fprintf(w, "%s %s\n\n%s\n\nIt takes no arguments; it reads these environment variables:\n\n",
		p.Name, p.Version, p.Summary)
	_ = p.Usage(w)
	fmt.Fprintf(w, "\nExit codes: 0 success, 1 the run failed, 2 configuration error.\n")
}
