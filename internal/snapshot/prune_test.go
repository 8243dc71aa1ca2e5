package snapshot

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPrune(t *testing.T) {
	root := t.TempDir()
	base := filepath.Join(root, program)
	for _, dir := range []string{
		"20240101_000000", "20240102_000000", "20240102_000000_2", "20240103_000000",
		// foreign: not names this package makes
		"20240101_000000.bak", "20240100_000000", "20240101_000000_1", "20240101_000000_02",
		"2024010_0000000", "backup", ".hidden",
	} {
		if err := os.MkdirAll(filepath.Join(base, dir), 0o750); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(base, "20230101_000000"), nil, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("backup", filepath.Join(base, "20220101_000000")); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := begin(t, root, time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC), 3,
		slog.New(slog.NewTextHandler(&logs, nil)))

	if _, err := s.Publish(nil); err != nil {
		t.Fatalf("Publish: %v", err)
	}

	entries, err := os.ReadDir(base)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{
		".hidden", ".lock", "20220101_000000", "20230101_000000", "20240100_000000",
		"20240101_000000.bak", "20240101_000000_02", "20240101_000000_1",
		"20240102_000000_2", "20240103_000000", "20240104_000000",
		"2024010_0000000", "backup", "latest",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("program folder after pruning mismatch (-want +got):\n%s", diff)
	}
	for _, name := range []string{"20240101_000000", "20240102_000000"} {
		if line := "path=" + filepath.Join(base, name); !strings.Contains(logs.String(), line) {
			t.Errorf("logs do not name pruned %s:\n%s", name, logs.String())
		}
	}
}

func TestPruneKeeps(t *testing.T) {
	tests := []struct {
		name     string
		keep     int
		existing []string
		at       time.Time
		want     []string
	}{{
		name:     "zero keeps all",
		keep:     0,
		existing: []string{"20240101_000000", "20240102_000000"},
		at:       time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC),
		want:     []string{"20240101_000000", "20240102_000000", "20240103_000000"},
	}, {
		name:     "never the new one, even when the clock went back",
		keep:     1,
		existing: []string{"20240101_000000", "20240102_000000"},
		at:       time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC),
		want:     []string{"20230101_000000", "20240102_000000"},
	}, {
		name:     "fewer than keep",
		keep:     5,
		existing: []string{"20240101_000000"},
		at:       time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC),
		want:     []string{"20240101_000000", "20240103_000000"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for _, name := range tt.existing {
				if err := os.MkdirAll(filepath.Join(root, program, name), 0o750); err != nil {
					t.Fatal(err)
				}
			}

			publish(t, root, tt.at, tt.keep, nil)

			matches, err := filepath.Glob(filepath.Join(root, program, "2*"))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range matches {
				got = append(got, filepath.Base(m))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("snapshots mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDated(t *testing.T) {
	tests := []struct {
		name string
		want dated
		ok   bool
	}{
		{"20240506_070809", dated{"20240506_070809", "20240506_070809", 1}, true},
		{"20240506_070809_2", dated{"20240506_070809_2", "20240506_070809", 2}, true},
		{"20240506_070809_12", dated{"20240506_070809_12", "20240506_070809", 12}, true},
		{"20240506_070809_1", dated{}, false},
		{"20240506_070809_02", dated{}, false},
		{"20240506_070809_", dated{}, false},
		{"20240506_070809_x", dated{}, false},
		{"20240506_070809.tmp", dated{}, false},
		{"20241306_070809", dated{}, false},
		{"20240506-070809", dated{}, false},
		{"latest", dated{}, false},
		{"", dated{}, false},
	}
	for _, tt := range tests {
		got, ok := parseDated(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDated(%q) = %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
