// Package config reads a program's configuration from the environment:
// envconfig looks the variables up, supplies their defaults and prints
// the --help text; the checks here then collect every problem at once,
// each naming its variable.
package config

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kelseyhightower/envconfig"
)

// Error lists every problem found in a configuration.
type Error struct {
	Problems []string
}

func (e *Error) Error() string {
	return "invalid configuration:\n  " + strings.Join(e.Problems, "\n  ")
}

// problems collects the checks' findings.
type problems []string

func (p *problems) addf(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Problems: p}
}

// IsConfigError reports whether err is a configuration problem: the
// programs exit 2 for those.
func IsConfigError(err error) bool {
	var e *Error
	return errors.As(err, &e)
}

// usageFormat prints one variable a line: name, default, description.
const usageFormat = `{{range .}}  {{usage_key .}}	{{usage_default .}}	{{usage_description .}}
{{end}}`

// Usage writes the variables of spec with their defaults and
// descriptions, as --help prints them.
func Usage(w io.Writer, spec any) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	if err := envconfig.Usagef("", spec, tw, usageFormat); err != nil {
		return err
	}
	return tw.Flush()
}

// lookup fills spec, a struct of strings, from the environment.
func lookup(spec any) error {
	return envconfig.Process("", spec)
}
