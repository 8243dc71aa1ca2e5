package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readStaged returns the content of a staged file.
func readStaged(t *testing.T, s *Snapshot, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Dir(), rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestJSONWriter(t *testing.T) {
	s := begin(t, t.TempDir(), started, 0, nil)
	item := `{"id":12345678901234567890,"body":"<p>Tom & Jerry</p> 🎉 \u003c","n":1.50}`
	w, err := s.JSON("en-us_help_center_data.json")
	if err != nil {
		t.Fatal(err)
	}

	steps := []error{
		w.BeginList("categories"),
		w.Add([]byte(item)),
		w.Add([]byte(" {\n  \"id\": 2\n}")),
		w.EndList(),
		w.BeginList("sections"),
		w.EndList(),
		w.Field("default_locale", []byte(`"en-us"`)),
		w.Field(`a<b>&"c"é`, []byte(`null`)),
		w.BeginObject("locales"),
		w.CopyField("en-us", strings.NewReader("{\"x\":[1]}\n \n")),
		w.CopyField("fr", strings.NewReader(" {}")),
		w.EndObject(),
		w.Close(),
	}

	if err := errors.Join(steps...); err != nil {
		t.Fatalf("writing: %v", err)
	}
	got := readStaged(t, s, "en-us_help_center_data.json")
	want := `{"categories":[` + "\n" + item + ",\n" + " {\n  \"id\": 2\n}" + "\n" +
		`],"sections":[],"default_locale":"en-us","a<b>&\"c\"é":null,` +
		`"locales":{"en-us":{"x":[1]},"fr": {}}}` + "\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("file mismatch (-want +got):\n%s", diff)
	}
}

func TestJSONWriterCloseEndsOpen(t *testing.T) {
	s := begin(t, t.TempDir(), started, 0, nil)
	w, err := s.List("users.json", "users")
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{
		w.Add([]byte(`{"id":1}`)),
		w.Add([]byte(`{"id":2}`)),
	}
	if got := w.Count(); got != 2 {
		t.Errorf("Count() = %d, want 2", got)
	}
	steps = append(steps, w.Close(), w.Close())

	if err := errors.Join(steps...); err != nil {
		t.Fatalf("writing: %v", err)
	}
	got := readStaged(t, s, "users.json")
	if want := "{\"users\":[\n{\"id\":1},\n{\"id\":2}\n]}\n"; got != want {
		t.Errorf("file = %q, want %q", got, want)
	}
}

func TestJSONWriterMisuse(t *testing.T) {
	tests := []struct {
		name string
		use  func(w *JSONWriter) error
		want string
	}{
		{"add outside a list", func(w *JSONWriter) error {
			return w.Add([]byte("1"))
		}, "add item outside a list"},
		{"empty item", func(w *JSONWriter) error {
			_ = w.BeginList("l")
			return w.Add(nil)
		}, "add empty item"},
		{"field inside a list", func(w *JSONWriter) error {
			_ = w.BeginList("l")
			return w.Field("f", []byte("1"))
		}, `field "f" inside a list`},
		{"empty field", func(w *JSONWriter) error { return w.Field("f", nil) }, `field "f": empty value`},
		{"end list at the top", (*JSONWriter).EndList, "end list: no list begun"},
		{"end object at the top", (*JSONWriter).EndObject, "end object: no object begun"},
		{"end object in a list", func(w *JSONWriter) error {
			_ = w.BeginObject("o")
			_ = w.BeginList("l")
			return w.EndObject()
		}, "end object: a list is open"},
		{"empty copy", func(w *JSONWriter) error {
			return w.CopyField("c", strings.NewReader(" \n"))
		}, `copy field "c": empty value`},
		{"failed copy", func(w *JSONWriter) error {
			return w.CopyField("c", io.MultiReader(strings.NewReader("{"), errReader{}))
		}, `copy field "c": broken reader`},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := begin(t, t.TempDir(), started, 0, nil)
			w, err := s.JSON(fmt.Sprintf("%d.json", i))
			if err != nil {
				t.Fatal(err)
			}

			err = tt.use(w)

			want := fmt.Sprintf("write %s: %s", filepath.Join(s.Dir(), fmt.Sprintf("%d.json", i)), tt.want)
			if err == nil || err.Error() != want {
				t.Fatalf("error = %v, want %q", err, want)
			}
			if again := w.BeginList("more"); !errors.Is(again, err) {
				t.Errorf("next call = %v, want the first error again", again)
			}
			if cerr := w.Close(); !errors.Is(cerr, err) {
				t.Errorf("Close() = %v, want the first error again", cerr)
			}
		})
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken reader") }

func TestJSONWriterConcurrentAdd(t *testing.T) {
	s := begin(t, t.TempDir(), started, 0, nil)
	w, err := s.List("messages.json", "messages")
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 500

	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range each {
				item := fmt.Sprintf(`{"id":%d,"text":"<%s>"}`, g*each+i, strings.Repeat("é", i%50))
				if err := w.Add([]byte(item)); err != nil {
					t.Errorf("Add: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	var got struct {
		Messages []struct{ ID int } `json:"messages"`
	}
	if err := json.Unmarshal([]byte(readStaged(t, s, "messages.json")), &got); err != nil {
		t.Fatalf("decode: %v", err)
	}
	seen := make(map[int]bool)
	for _, m := range got.Messages {
		seen[m.ID] = true
	}
	if len(got.Messages) != writers*each || len(seen) != writers*each {
		t.Errorf("items = %d, distinct %d; want %d", len(got.Messages), len(seen), writers*each)
	}
	if got := w.Count(); got != writers*each {
		t.Errorf("Count() = %d, want %d", got, writers*each)
	}
}

// TestJSONWriterCopyStaged builds an all-locales file from per-locale files,
// as helpcenter-sync does.
func TestJSONWriterCopyStaged(t *testing.T) {
	s := begin(t, t.TempDir(), started, 0, nil)
	for _, locale := range []string{"en-us", "ar"} {
		w, err := s.JSON(locale + "_help_center_data.json")
		if err != nil {
			t.Fatal(err)
		}
		err = errors.Join(w.BeginList("articles"), w.Add([]byte(`{"locale":"`+locale+`"}`)), w.Close())
		if err != nil {
			t.Fatal(err)
		}
	}

	all, err := s.JSON("all_help_center_data.json")
	if err != nil {
		t.Fatal(err)
	}
	steps := []error{all.Field("default_locale", []byte(`"en-us"`)), all.BeginObject("locales")}
	for _, locale := range []string{"en-us", "ar"} {
		f, err := s.Open(locale + "_help_center_data.json")
		if err != nil {
			t.Fatal(err)
		}
		steps = append(steps, all.CopyField(locale, f), f.Close())
	}
	steps = append(steps, all.EndObject(), all.Close())

	if err := errors.Join(steps...); err != nil {
		t.Fatalf("writing: %v", err)
	}
	got := readStaged(t, s, "all_help_center_data.json")
	want := "{\"default_locale\":\"en-us\",\"locales\":{" +
		"\"en-us\":{\"articles\":[\n{\"locale\":\"en-us\"}\n]}," +
		"\"ar\":{\"articles\":[\n{\"locale\":\"ar\"}\n]}}}\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("file mismatch (-want +got):\n%s", diff)
	}
}

// TestJSONWriterDiskFull writes to /dev/full, where every write fails with
// ENOSPC as on a full volume.
func TestJSONWriterDiskFull(t *testing.T) {
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	w := newJSONWriter(f)
	item := []byte(`{"text":"` + strings.Repeat("x", 1000) + `"}`)

	err = w.BeginList("users")
	for i := 0; err == nil && i < 200; i++ {
		err = w.Add(item)
	}

	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("Add error = %v, want ENOSPC", err)
	}
	if want := "write /dev/full: no space left on device"; err.Error() != want {
		t.Errorf("Add error = %q, want %q", err, want)
	}
	if cerr := w.Close(); !errors.Is(cerr, err) {
		t.Errorf("Close() = %v, want the write error again", cerr)
	}
}

func BenchmarkJSONWriterAdd(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "bench.json"))
	if err != nil {
		b.Fatal(err)
	}
	w := newJSONWriter(f)
	if err := w.BeginList("articles"); err != nil {
		b.Fatal(err)
	}
	item := []byte(`{"id":12345678901234567890,"title":"<b>Q&A</b> 🎉","body":"` +
		strings.Repeat("lorem ipsum ", 40) + `"}`)
	b.SetBytes(int64(len(item)))
	b.ReportAllocs()

	for b.Loop() {
		if err := w.Add(item); err != nil {
			b.Fatal(err)
		}
	}

	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
