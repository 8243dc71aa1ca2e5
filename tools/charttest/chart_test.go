package charttest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	psaapi "k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"

	"github.com/zendesk-sync/zendesk-sync/tools/chartdoc"
)

func TestLint(t *testing.T) {
	args := [][]string{{"lint", "--strict", chartDir}}
	for _, f := range valueSets(t) {
		args = append(args, []string{"lint", "--strict", chartDir, "--values", f})
	}
	for _, a := range args {
		if out, stderr, err := runHelm(t, a...); err != nil {
			t.Errorf("helm %s: %v\n%s%s", strings.Join(a, " "), err, out, stderr)
		}
	}
}

func TestRenderStrictly(t *testing.T) {
	for _, f := range valueSets(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m := render(t, f)
			if len(m.cronJobs) == 0 {
				t.Fatal("no CronJob rendered")
			}
			for name, cj := range m.cronJobs {
				checkCronJob(t, name, cj)
			}
			for name, sa := range m.serviceAccounts {
				if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
					t.Errorf("ServiceAccount %s: automountServiceAccountToken is not false", name)
				}
			}
		})
	}
}

// checkCronJob checks what every rendered CronJob must have, whatever the values.
func checkCronJob(t *testing.T, name string, cj *batchv1.CronJob) {
	t.Helper()
	if len(name) > 52 {
		t.Errorf("CronJob name %q is longer than 52 characters", name)
	}
	component := cj.Labels["app.kubernetes.io/component"]
	if component != "conversations" && component != "helpcenter" {
		t.Errorf("CronJob %s: component label %q", name, component)
	}
	job := cj.Spec.JobTemplate.Spec
	pod := job.Template.Spec
	if got := job.Template.Labels["app.kubernetes.io/component"]; got != component {
		t.Errorf("CronJob %s: pod component label %q, want %q", name, got, component)
	}
	if pod.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("CronJob %s: restartPolicy %q, want Never", name, pod.RestartPolicy)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Errorf("CronJob %s: automountServiceAccountToken is not false", name)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("CronJob %s: %d containers, want 1", name, len(pod.Containers))
	}
	c := pod.Containers[0]
	if want := []string{"/usr/local/bin/" + c.Name}; !slices.Equal(c.Command, want) {
		t.Errorf("CronJob %s: command %q, want %q", name, c.Command, want)
	}
	checkFailurePolicy(t, name, c.Name, job)
	checkRestricted(t, name, job)

	var mounted bool
	for _, vm := range c.VolumeMounts {
		mounted = mounted || vm.MountPath == "/data"
	}
	if !mounted {
		t.Errorf("CronJob %s: nothing mounted at /data", name)
	}
	if env := envOf(c); env["DATA_DIR"] != "/data" {
		t.Errorf("CronJob %s: DATA_DIR %q, want /data", name, env["DATA_DIR"])
	}
}

// checkFailurePolicy: exit code 2 (configuration error) fails the Job at
// once; exit code 1 is left to backoffLimit.
func checkFailurePolicy(t *testing.T, name, container string, job batchv1.JobSpec) {
	t.Helper()
	p := job.PodFailurePolicy
	if p == nil {
		t.Errorf("CronJob %s: no podFailurePolicy", name)
		return
	}
	var failsOn2 bool
	for _, r := range p.Rules {
		if r.OnExitCodes == nil {
			continue
		}
		if slices.Contains(r.OnExitCodes.Values, 1) {
			t.Errorf("CronJob %s: a podFailurePolicy rule matches exit code 1", name)
		}
		if r.Action == batchv1.PodFailurePolicyActionFailJob &&
			r.OnExitCodes.Operator == batchv1.PodFailurePolicyOnExitCodesOpIn &&
			slices.Equal(r.OnExitCodes.Values, []int32{2}) &&
			r.OnExitCodes.ContainerName != nil && *r.OnExitCodes.ContainerName == container {
			failsOn2 = true
		}
	}
	if !failsOn2 {
		t.Errorf("CronJob %s: no FailJob rule for exit code 2 of container %s", name, container)
	}
}

// checkRestricted evaluates the pod template against the restricted Pod
// Security Standard, with the checks the API server's admission runs.
func checkRestricted(t *testing.T, name string, job batchv1.JobSpec) {
	t.Helper()
	eval, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		t.Fatal(err)
	}
	lv := psaapi.LevelVersion{Level: psaapi.LevelRestricted, Version: psaapi.LatestVersion()}
	res := policy.AggregateCheckResults(eval.EvaluatePod(lv, &job.Template.ObjectMeta, &job.Template.Spec))
	if !res.Allowed {
		t.Errorf("CronJob %s violates PSS restricted: %s", name, res.ForbiddenDetail())
	}
	pod := job.Template.Spec
	c := pod.Containers[0]
	sc, psc := c.SecurityContext, pod.SecurityContext
	switch {
	case sc == nil || psc == nil:
		t.Errorf("CronJob %s: no security context", name)
	case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
		t.Errorf("CronJob %s: root filesystem is writable", name)
	case psc.RunAsUser == nil || *psc.RunAsUser != 65532 || psc.RunAsGroup == nil || *psc.RunAsGroup != 65532:
		t.Errorf("CronJob %s: pod does not run as 65532:65532", name)
	case psc.FSGroup == nil || *psc.FSGroup != 65532:
		t.Errorf("CronJob %s: fsGroup is not 65532", name)
	}
}

func envOf(c corev1.Container) map[string]string {
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	return env
}

func TestOptionalFieldsRenderOnlyWhenSet(t *testing.T) {
	defaults := render(t, "")
	for name, cj := range defaults.cronJobs {
		job := cj.Spec.JobTemplate.Spec
		pod := job.Template.Spec
		unset := map[string]bool{
			"timeZone":                cj.Spec.TimeZone != nil,
			"startingDeadlineSeconds": cj.Spec.StartingDeadlineSeconds != nil,
			"activeDeadlineSeconds":   job.ActiveDeadlineSeconds != nil,
			"ttlSecondsAfterFinished": job.TTLSecondsAfterFinished != nil,
			"nodeSelector":            pod.NodeSelector != nil,
			"tolerations":             pod.Tolerations != nil,
			"imagePullSecrets":        pod.ImagePullSecrets != nil,
			"annotations":             job.Template.Annotations != nil,
		}
		for field, present := range unset {
			if present {
				t.Errorf("defaults: CronJob %s renders %s", name, field)
			}
		}
		if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
			t.Errorf("defaults: CronJob %s concurrencyPolicy %q, want Forbid", name, cj.Spec.ConcurrencyPolicy)
		}
	}

	full := render(t, filepath.Join(chartDir, "ci", "full-values.yaml"))
	cj := full.cronJobByComponent("conversations")
	if cj == nil {
		t.Fatal("full-values: no conversations CronJob")
	}
	job := cj.Spec.JobTemplate.Spec
	pod := job.Template.Spec
	checks := []struct {
		field string
		ok    bool
	}{
		{"timeZone", cj.Spec.TimeZone != nil && *cj.Spec.TimeZone == "Europe/Berlin"},
		{"startingDeadlineSeconds", ptrIs(cj.Spec.StartingDeadlineSeconds, 300)},
		{"activeDeadlineSeconds", ptrIs(job.ActiveDeadlineSeconds, 7200)},
		{"ttlSecondsAfterFinished", job.TTLSecondsAfterFinished != nil && *job.TTLSecondsAfterFinished == 86400},
		{"backoffLimit", job.BackoffLimit != nil && *job.BackoffLimit == 5},
		{"suspend", cj.Spec.Suspend != nil && *cj.Spec.Suspend},
		{"concurrencyPolicy", cj.Spec.ConcurrencyPolicy == batchv1.ReplaceConcurrent},
		{"history limits", ptrIs32(cj.Spec.SuccessfulJobsHistoryLimit, 5) && ptrIs32(cj.Spec.FailedJobsHistoryLimit, 2)},
		{"nodeSelector", pod.NodeSelector["kubernetes.io/os"] == "linux"},
		{"tolerations", len(pod.Tolerations) == 1},
		{"nodeAffinity kept beside podAffinity", pod.Affinity != nil && pod.Affinity.NodeAffinity != nil && pod.Affinity.PodAffinity != nil},
		{"pod annotations", job.Template.Annotations["example.com/scrape"] == "false"},
		{"pod labels", job.Template.Labels["team"] == "support"},
		{"extraEnv overrides", envOf(pod.Containers[0])["LOG_LEVEL"] == "warn"},
		{"subPath", pod.Containers[0].VolumeMounts[0].SubPath == "brand-a"},
		{"resources", pod.Containers[0].Resources.Limits.Memory().String() == "512Mi"},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("full-values: %s not rendered as set", c.field)
		}
	}
	if len(full.networkPolicies) != 1 {
		t.Errorf("full-values: %d NetworkPolicies, want 1", len(full.networkPolicies))
	}
	if len(defaults.networkPolicies) != 0 {
		t.Errorf("defaults: %d NetworkPolicies, want 0", len(defaults.networkPolicies))
	}
}

func ptrIs(p *int64, v int64) bool   { return p != nil && *p == v }
func ptrIs32(p *int32, v int32) bool { return p != nil && *p == v }

func TestColocatePods(t *testing.T) {
	m := render(t, "")
	claims := map[string]bool{}
	for name, cj := range m.cronJobs {
		tmpl := cj.Spec.JobTemplate.Spec.Template
		claim := tmpl.Labels["zendesk-sync.io/claim"]
		claims[claim] = true
		a := tmpl.Spec.Affinity
		if a == nil || a.PodAffinity == nil || len(a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution) != 1 {
			t.Fatalf("CronJob %s: no required podAffinity", name)
		}
		term := a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0]
		if term.TopologyKey != "kubernetes.io/hostname" || term.LabelSelector.MatchLabels["zendesk-sync.io/claim"] != claim {
			t.Errorf("CronJob %s: podAffinity %+v does not select pods of claim %q", name, term, claim)
		}
	}
	if len(claims) != 1 {
		t.Errorf("the jobs' pods carry claim labels %v, want one", claims)
	}
	off := render(t, "", "persistence.colocatePods=false")
	for name, cj := range off.cronJobs {
		if cj.Spec.JobTemplate.Spec.Template.Spec.Affinity != nil {
			t.Errorf("colocatePods=false: CronJob %s still has an affinity", name)
		}
	}
}

func TestSchemaRejectsBadValues(t *testing.T) {
	tests := []struct {
		set  string
		want string // in helm's error
	}{
		{"conversations.concurrencyPolicy=Sometimes", "concurrencyPolicy"},
		{"helpcenter.concurrencyPolicy=forbid", "concurrencyPolicy"},
		{"unknownKey=1", "unknownKey"},
		{"conversations.unknownKey=1", "unknownKey"},
		{"persistence.unknownKey=1", "unknownKey"},
		{"conversations.backoffLimit=-1", "backoffLimit"},
		{"helpcenter.startingDeadlineSeconds=-5", "startingDeadlineSeconds"},
		{"helpcenter.activeDeadlineSeconds=0", "activeDeadlineSeconds"},
		{"conversations.schedule=", "schedule"},
		{"conversations.schedule=every minute", "schedule"},
		{"image.pullPolicy=Sometimes", "pullPolicy"},
		{"image.digest=latest", "digest"},
		{"sync.logLevel=loud", "logLevel"},
		{"sync.logFormat=xml", "logFormat"},
		{"sync.httpTimeout=30", "httpTimeout"},
		{"sync.concurrency=0", "concurrency"},
		{"conversations.sunco.authType=jwt", "authType"},
		{"conversations.syncDays=-1", "syncDays"},
		{"persistence.size=lots", "size"},
		{"persistence.subPath=/abs", "subPath"},
		{"persistence.subPath=../up", "subPath"},
		{"persistence.accessModes[0]=ReadWriteSometimes", "accessModes"},
		{"zendesk.subdomain=https://acme.zendesk.com", "subdomain"},
		{"zendesk.baseUrl=ftp://x", "baseUrl"},
		{"conversations.credentials.keys.suncoKeyId=bad key", "suncoKeyId"},
		{"conversations.credentials.existingSecret=Bad_Name", "existingSecret"},
		{"helpcenter.enabled=yes", "enabled"},
	}
	for _, tt := range tests {
		t.Run(tt.set, func(t *testing.T) {
			_, stderr, err := runHelm(t, "template", "rel", chartDir, "--set", tt.set)
			if err == nil {
				t.Fatalf("helm template --set %q succeeded, want a schema error", tt.set)
			}
			if !strings.Contains(stderr, "schema") || !strings.Contains(stderr, tt.want) {
				t.Errorf("helm template --set %q: got %q, want a schema error naming %q", tt.set, stderr, tt.want)
			}
		})
	}
}

// TestSchemaInStep checks that values.yaml and values.schema.json name the
// same keys, so the schema cannot silently fall behind the values.
func TestSchemaInStep(t *testing.T) {
	values := readYAMLMap(t, filepath.Join(chartDir, "values.yaml"))
	schema := readYAMLMap(t, filepath.Join(chartDir, "values.schema.json"))
	defs, _ := schema["definitions"].(map[string]any)

	var walk func(path string, v map[string]any, s map[string]any)
	walk = func(path string, v map[string]any, s map[string]any) {
		if ref, ok := s["$ref"].(string); ok {
			s, _ = defs[strings.TrimPrefix(ref, "#/definitions/")].(map[string]any)
		}
		props, ok := s["properties"].(map[string]any)
		if !ok {
			return // an object the schema does not own, e.g. resources
		}
		if s["additionalProperties"] != false {
			t.Errorf("schema %s: owned object without additionalProperties: false", path)
		}
		for k := range props {
			if _, ok := v[k]; !ok && (path != "" || k != "global") {
				t.Errorf("schema has %s%s, values.yaml does not", path, k)
			}
		}
		for k, val := range v {
			ps, ok := props[k].(map[string]any)
			if !ok {
				t.Errorf("values.yaml has %s%s, the schema does not", path, k)
				continue
			}
			if m, ok := val.(map[string]any); ok {
				walk(path+k+".", m, ps)
			}
		}
	}
	walk("", values, schema)
}

func TestNotesPrintRunCommands(t *testing.T) {
	tests := []struct {
		name string
		sets []string
		want []string // components whose command must be printed
	}{
		{"both jobs", nil, []string{"conversations", "helpcenter"}},
		{"help center only", []string{"conversations.enabled=false"}, []string{"helpcenter"}},
		{"long release name", []string{"fullnameOverride=a-very-long-release-name-for-a-brand-abcdefgh"},
			[]string{"conversations", "helpcenter"}},
	}
	cmdRe := regexp.MustCompile(`(?m)^\s*kubectl create job --namespace backups --from=cronjob/(\S+) (\S+)-\$\(date \+%s\)$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"install", "rel", chartDir, "--namespace", "backups", "--dry-run=client"}
			for _, s := range tt.sets {
				args = append(args, "--set", s)
			}
			out, stderr, err := runHelm(t, args...)
			if err != nil {
				t.Fatalf("helm %s: %v\n%s", strings.Join(args, " "), err, stderr)
			}
			notes := out[strings.Index(out, "NOTES:"):]
			matches := cmdRe.FindAllStringSubmatch(notes, -1)
			var got []string
			for _, m := range matches {
				cronJob, prefix := m[1], m[2]
				got = append(got, cronJob[strings.LastIndex(cronJob, "-")+1:])
				// 10 digits of Unix time must still fit the 63-character job-name label.
				if n := len(prefix) + 1 + 10; n > 63 {
					t.Errorf("ad-hoc job name for %s would be %d characters", cronJob, n)
				}
				if !strings.HasPrefix(prefix, strings.TrimSuffix(cronJob[:min(len(cronJob), 44)], "-")) {
					t.Errorf("ad-hoc job prefix %q does not start with the CronJob name %q", prefix, cronJob)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("NOTES run commands for %v, want %v\n%s", got, tt.want, notes)
			}
			for _, folder := range []string{"zendesk_help_center/"} {
				if !strings.Contains(notes, folder) {
					t.Errorf("NOTES do not say where snapshots are (%s)\n%s", folder, notes)
				}
			}
		})
	}
}

func TestReadmeUpToDate(t *testing.T) {
	want, err := chartdoc.Render(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(chartDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("charts/zendesk-sync/README.md is out of date; run: cd tools && go run ./cmd/chartdoc ../charts/zendesk-sync")
	}
}

// TestValuesKeepTheirText renders values that YAML would read as other
// types (no, 2024) or in another notation (1000000) and checks that the
// manifests carry them as written.
func TestValuesKeepTheirText(t *testing.T) {
	values := filepath.Join(t.TempDir(), "values.yaml")
	err := os.WriteFile(values, []byte("persistence:\n  subPath: \"no\"\n  existingClaim: \"2024\"\n"+
		"helpcenter:\n  extraEnv:\n    MAX_RETRIES: 1000000\n"), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	m := render(t, values)
	cj := m.cronJobByComponent("helpcenter")
	if cj == nil {
		t.Fatal("no helpcenter CronJob")
	}
	pod := cj.Spec.JobTemplate.Spec.Template.Spec
	if got := pod.Containers[0].VolumeMounts[0].SubPath; got != "no" {
		t.Errorf("subPath = %q, want %q", got, "no")
	}
	if got := pod.Volumes[0].PersistentVolumeClaim.ClaimName; got != "2024" {
		t.Errorf("claimName = %q, want %q", got, "2024")
	}
	if got := envOf(pod.Containers[0])["MAX_RETRIES"]; got != "1000000" {
		t.Errorf("MAX_RETRIES = %q, want 1000000", got)
	}
}
