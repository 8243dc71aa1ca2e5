// Package charttest tests charts/zendesk-sync with the helm that
// tools/install.sh builds from the version pinned in tools/go.mod.
package charttest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/yaml"
)

var (
	repoRoot string
	chartDir string
	helmBin  string
)

func TestMain(m *testing.M) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	repoRoot = root
	chartDir = filepath.Join(root, "charts", "zendesk-sync")
	helmBin = filepath.Join(root, ".bin", "helm")

	// Build helm (only when .bin/helm is missing or another version is pinned).
	cmd := exec.Command("bash", filepath.Join(root, "tools", "install.sh"), "helm")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build helm:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// runHelm runs helm with its own empty config and cache folders, so no
// repository or plugin of the machine's user can change the result.
func runHelm(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(helmBin, args...)
	cmd.Env = append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
	)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

// valueSets returns the files in charts/zendesk-sync/ci, the value sets
// every test renders.
func valueSets(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(chartDir, "ci", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no value sets in %s/ci (err %v)", chartDir, err)
	}
	return files
}

// manifests is one rendering of the chart, decoded strictly into the
// Kubernetes types.
type manifests struct {
	cronJobs        map[string]*batchv1.CronJob
	secrets         map[string]*corev1.Secret
	claims          map[string]*corev1.PersistentVolumeClaim
	serviceAccounts map[string]*corev1.ServiceAccount
	networkPolicies map[string]*networkingv1.NetworkPolicy
}

// render runs helm template with a values file (may be "") and --set
// arguments, and decodes every document strictly: an unknown field, a wrong
// type or an unexpected kind fails the test.
func render(t *testing.T, valuesFile string, sets ...string) manifests {
	t.Helper()
	args := []string{"template", "rel", chartDir, "--namespace", "backups"}
	if valuesFile != "" {
		args = append(args, "--values", valuesFile)
	}
	for _, s := range sets {
		args = append(args, "--set", s)
	}
	out, stderr, err := runHelm(t, args...)
	if err != nil {
		t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	m, err := decode(out)
	if err != nil {
		t.Fatalf("helm %s: %v", strings.Join(args, " "), err)
	}
	return m
}

func decode(out string) (manifests, error) {
	m := manifests{
		cronJobs:        map[string]*batchv1.CronJob{},
		secrets:         map[string]*corev1.Secret{},
		claims:          map[string]*corev1.PersistentVolumeClaim{},
		serviceAccounts: map[string]*corev1.ServiceAccount{},
		networkPolicies: map[string]*networkingv1.NetworkPolicy{},
	}
	for _, doc := range strings.Split(out, "\n---") {
		if strings.TrimSpace(stripComments(doc)) == "" {
			continue
		}
		var head struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
			return m, fmt.Errorf("decode document: %w\n%s", err, doc)
		}
		var err error
		switch head.APIVersion + " " + head.Kind {
		case "batch/v1 CronJob":
			err = strict(doc, head.Metadata.Name, m.cronJobs)
		case "v1 Secret":
			err = strict(doc, head.Metadata.Name, m.secrets)
		case "v1 PersistentVolumeClaim":
			err = strict(doc, head.Metadata.Name, m.claims)
		case "v1 ServiceAccount":
			err = strict(doc, head.Metadata.Name, m.serviceAccounts)
		case "networking.k8s.io/v1 NetworkPolicy":
			err = strict(doc, head.Metadata.Name, m.networkPolicies)
		default:
			err = fmt.Errorf("unexpected object %s %s %q", head.APIVersion, head.Kind, head.Metadata.Name)
		}
		if err != nil {
			return m, err
		}
	}
	return m, nil
}

func strict[T any](doc, name string, into map[string]*T) error {
	obj := new(T)
	if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
		return fmt.Errorf("strict decoding of %q: %w\n%s", name, err, doc)
	}
	if _, dup := into[name]; dup {
		return fmt.Errorf("two objects of one kind named %q", name)
	}
	into[name] = obj
	return nil
}

func stripComments(doc string) string {
	var b strings.Builder
	for _, l := range strings.Split(doc, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// cronJobByComponent returns the CronJob with the given
// app.kubernetes.io/component label, or nil.
func (m manifests) cronJobByComponent(component string) *batchv1.CronJob {
	for _, cj := range m.cronJobs {
		if cj.Labels["app.kubernetes.io/component"] == component {
			return cj
		}
	}
	return nil
}
