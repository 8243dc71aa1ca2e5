package chartdoc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	const in = `# -- The image.
image:
  # -- Repository,
  # on two lines.
  repository: example/app
  # -- (int) Seconds; unset means none.
  deadline: null
# -- Security context, listed whole.
securityContext:
  runAsUser: 65532
# -- Secrets.
pullSecrets: []
`
	got, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Value{
		{Key: "image", Type: "object", Default: `{"deadline":null,"repository":"example/app"}`, Description: "The image.", Section: true},
		{Key: "image.repository", Type: "string", Default: `"example/app"`, Description: "Repository, on two lines."},
		{Key: "image.deadline", Type: "int", Default: "null", Description: "Seconds; unset means none."},
		{Key: "securityContext", Type: "object", Default: `{"runAsUser":65532}`, Description: "Security context, listed whole."},
		{Key: "pullSecrets", Type: "list", Default: "[]", Description: "Secrets."},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
	}
}

func TestParseNamesUndocumentedKeys(t *testing.T) {
	const in = `# -- Documented.
a:
  # -- Documented child.
  b: 1
  c: 2
d: x
`
	_, err := Parse([]byte(in))
	if err == nil {
		t.Fatal("Parse() succeeded, want an error naming a.c and d")
	}
	if !strings.Contains(err.Error(), "a.c, d") {
		t.Errorf("Parse() error %q, want it to name a.c, d", err)
	}
}
