// Package chartdoc turns a chart's values.yaml, documented key by key with
// "# --" comments (the helm-docs convention), into the chart's README.
//
// A key's description is the "# --" comment above it, with any following
// comment lines. A description may start with a type in parentheses,
// "# -- (int) ...", which is needed where the default is null. A mapping
// whose children carry their own "# --" comments is a section: its children
// are listed, not the mapping. Any other value is listed whole.
package chartdoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// Value is one documented key of values.yaml.
type Value struct {
	Key         string // dotted path, e.g. conversations.schedule
	Type        string
	Default     string // the value as JSON
	Description string
	Section     bool // a mapping whose children are listed instead
}

// Parse reads values.yaml content and returns every key in file order. It
// fails on a key without a "# --" comment, naming the key, unless the key is
// inside a value that is documented whole.
func Parse(content []byte) ([]Value, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(content, &doc); err != nil {
		return nil, fmt.Errorf("parse values: %w", err)
	}
	if len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("parse values: the document is not a mapping")
	}
	var (
		values  []Value
		missing []string
	)
	walk(doc.Content[0], "", &values, &missing)
	if len(missing) > 0 {
		return values, fmt.Errorf("keys without a \"# --\" comment: %s", strings.Join(missing, ", "))
	}
	return values, nil
}

var typeRe = regexp.MustCompile(`^\((\w+)\)\s*`)

func walk(m *yaml.Node, prefix string, values *[]Value, missing *[]string) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := prefix + k.Value
		desc, ok := description(k.HeadComment)
		if !ok {
			*missing = append(*missing, key)
		}
		val := Value{Key: key, Description: desc, Type: kind(v), Default: encode(v)}
		if m := typeRe.FindStringSubmatch(desc); m != nil {
			val.Type, val.Description = m[1], desc[len(m[0]):]
		}
		if v.Kind == yaml.MappingNode && hasDocumentedChild(v) {
			val.Section = true
			*values = append(*values, val)
			walk(v, key+".", values, missing)
			continue
		}
		*values = append(*values, val)
	}
}

// description returns the text of the last "# --" block in a head comment.
func description(comment string) (string, bool) {
	lines := strings.Split(comment, "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "# --") {
			start = i
		}
	}
	if start < 0 {
		return "", false
	}
	var parts []string
	for i, l := range lines[start:] {
		l = strings.TrimSpace(l)
		if i == 0 {
			l = strings.TrimPrefix(l, "# --")
		} else {
			l = strings.TrimPrefix(l, "#")
		}
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " "), true
}

func hasDocumentedChild(m *yaml.Node) bool {
	for i := 0; i < len(m.Content); i += 2 {
		if _, ok := description(m.Content[i].HeadComment); ok {
			return true
		}
	}
	return false
}

func kind(v *yaml.Node) string {
	switch v.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "list"
	}
	switch v.Tag {
	case "!!int":
		return "int"
	case "!!bool":
		return "bool"
	case "!!float":
		return "float"
	case "!!null":
		return "null"
	}
	return "string"
}

func encode(v *yaml.Node) string {
	var x any
	if err := v.Decode(&x); err != nil {
		return v.Value
	}
	b, err := json.Marshal(x)
	if err != nil {
		return v.Value
	}
	return string(b)
}

// Render fills the chart's README.md.gotmpl with the chart's metadata and
// the values table.
func Render(chartDir string) ([]byte, error) {
	content, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	values, err := Parse(content)
	if err != nil {
		return nil, err
	}
	meta, err := os.ReadFile(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	var chart map[string]any
	if err := yaml.Unmarshal(meta, &chart); err != nil {
		return nil, fmt.Errorf("parse Chart.yaml: %w", err)
	}
	tmpl, err := template.ParseFiles(filepath.Join(chartDir, "README.md.gotmpl"))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	data := map[string]any{"Chart": chart, "ValuesTable": table(values)}
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render README: %w", err)
	}
	return buf.Bytes(), nil
}

func table(values []Value) string {
	var b strings.Builder
	b.WriteString("| Key | Type | Default | Description |\n|-----|------|---------|-------------|\n")
	for _, v := range values {
		if v.Section {
			continue
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", v.Key, v.Type, cell("`"+v.Default+"`"),
			cell(v.Description))
	}
	return b.String()
}

// cell escapes what would break a Markdown table row.
func cell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
