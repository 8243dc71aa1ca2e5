// Package workflows checks the repository's GitHub workflows: actionlint
// (pinned in tools/go.mod) finds none of its errors, and every action is
// pinned by a full commit SHA with a version comment.
package workflows

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func workflowFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(repoRoot(t), ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows found (err %v)", err)
	}
	return files
}

func TestActionlint(t *testing.T) {
	opts := &actionlint.LinterOptions{WorkingDir: repoRoot(t)}
	// actionlint checks run: scripts with shellcheck when it is installed.
	if path, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = path
	} else {
		t.Log("shellcheck not installed: run: scripts are not checked")
	}
	var out bytes.Buffer
	l, err := actionlint.NewLinter(&out, opts)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.LintFiles(workflowFiles(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("actionlint found %d problems:\n%s", len(errs), out.String())
	}
}

var (
	usesRe  = regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	pinRe   = regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	commRe  = regexp.MustCompile(`^\s+# v\d+\.\d+\.\d+$`)
	permsRe = regexp.MustCompile(`(?m)^permissions:`)
)

func TestActionsPinnedBySHA(t *testing.T) {
	for _, f := range workflowFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !permsRe.Match(b) {
			t.Errorf("%s: no top-level permissions block", filepath.Base(f))
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for n := 1; sc.Scan(); n++ {
			m := usesRe.FindStringSubmatch(sc.Text())
			if m == nil || strings.HasPrefix(m[1], "./") {
				continue
			}
			if !pinRe.MatchString(m[1]) || !commRe.MatchString(m[2]) {
				t.Errorf("%s:%d: %s is not pinned as owner/repo@<40-hex SHA> # vX.Y.Z", filepath.Base(f), n, strings.TrimSpace(sc.Text()))
			}
		}
	}
}

func TestShellScripts(t *testing.T) {
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck not installed (apt-get install shellcheck)")
	}
	root := repoRoot(t)
	scripts, _ := filepath.Glob(filepath.Join(root, "test", "e2e", "*.sh"))
	scripts = append(scripts, filepath.Join(root, "tools", "install.sh"), filepath.Join(root, "tools", "build-binaries.sh"))
	cmd := exec.Command(shellcheck, append([]string{"-x", "-P", "SCRIPTDIR"}, scripts...)...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}
