// Command chartdoc writes a chart's README.md from its README.md.gotmpl and
// the "# --" comments in its values.yaml.
//
//	go run ./cmd/chartdoc ../charts/zendesk-sync
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/zendesk-sync/zendesk-sync/tools/chartdoc"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: chartdoc CHART_DIR")
		os.Exit(2)
	}
	out, err := chartdoc.Render(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "chartdoc:", err)
		os.Exit(1)
	}
	path := filepath.Join(os.Args[1], "README.md")
	if err := os.WriteFile(path, out, 0o644); err != nil { //nolint:gosec // a README is public
		fmt.Fprintln(os.Stderr, "chartdoc:", err)
		os.Exit(1)
	}
}
