package charttest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"sigs.k8s.io/yaml"
)

// programEnv is what one program's --help says it reads.
type programEnv struct {
	vars     map[string]bool
	required []string
}

// proxyVars are honoured by Go's HTTP client without the program naming
// them in --help.
var proxyVars = map[string]bool{"HTTPS_PROXY": true, "HTTP_PROXY": true, "NO_PROXY": true}

// helpLine is a variable's line in --help: two spaces, then the name.
var helpLine = regexp.MustCompile(`^  ([A-Z][A-Z0-9_]*)(\s|$)`)

// readHelp runs `go run ./cmd/PROGRAM --help` in the root module.
func readHelp(t *testing.T, program string) programEnv {
	t.Helper()
	cmd := exec.Command("go", "run", "./cmd/"+program, "--help")
	cmd.Dir = repoRoot
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("go run ./cmd/%s --help: %v\n%s", program, err, out.String())
	}
	env := programEnv{vars: map[string]bool{}}
	for _, line := range bytes.Split(out.Bytes(), []byte("\n")) {
		m := helpLine.FindSubmatch(line)
		if m == nil {
			continue
		}
		name := string(m[1])
		env.vars[name] = true
		if bytes.Contains(line, []byte("(required)")) {
			env.required = append(env.required, name)
		}
	}
	if len(env.vars) == 0 {
		t.Fatalf("go run ./cmd/%s --help names no variable:\n%s", program, out.String())
	}
	return env
}

// TestEnvContract checks, for every value set, that each job sets only
// variables its program reads, sets every variable the program requires,
// and that every key it reads from a Secret the chart makes is in that Secret.
func TestEnvContract(t *testing.T) {
	programs := map[string]programEnv{}
	for _, p := range []string{"conversations-sync", "helpcenter-sync"} {
		programs[p] = readHelp(t, p)
	}
	for _, f := range valueSets(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m := render(t, f)
			for name, cj := range m.cronJobs {
				c := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
				prog, ok := programs[c.Name]
				if !ok {
					t.Errorf("CronJob %s: container %q is not a known program", name, c.Name)
					continue
				}
				set := map[string]bool{}
				for _, e := range c.Env {
					if set[e.Name] {
						t.Errorf("CronJob %s: %s is set twice", name, e.Name)
					}
					set[e.Name] = true
					if !prog.vars[e.Name] && !proxyVars[e.Name] {
						t.Errorf("CronJob %s sets %s, which %s does not read", name, e.Name, c.Name)
					}
					if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
						continue
					}
					ref := e.ValueFrom.SecretKeyRef
					if s, made := m.secrets[ref.Name]; made {
						if _, ok := s.StringData[ref.Key]; !ok {
							t.Errorf("CronJob %s: %s reads key %q, missing from Secret %s", name, e.Name, ref.Key, ref.Name)
						}
					}
				}
				for _, r := range prog.required {
					if !set[r] {
						t.Errorf("CronJob %s does not set %s, which %s requires", name, r, c.Name)
					}
				}
			}
		})
	}
}

func readYAMLMap(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return m
}
