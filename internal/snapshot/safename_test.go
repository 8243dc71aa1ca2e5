package snapshot

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("a", 300)
	longArabic := strings.Repeat("ملف", 60) // 360 bytes
	tests := []struct {
		name, want string
	}{
		{"../../x.sh", "_._.._x.sh"},
		{"", "_"},
		{".", "_"},
		{"..", "_."},
		{".env", "_env"},
		{"a/b", "a_b"},
		{`a\b`, "a_b"},
		{"nul\x00byte", "nul_byte"},
		{"tab\tnew\nline\r\x7f\u0085", "tab_new_line___"},
		{"invoice\u202Efdp.exe", "invoice_fdp.exe"},
		{"line\u2028sep", "line_sep"},
		{"bad\xff\xfeutf8", "bad_utf8"},
		{"report.pdf", "report.pdf"},
		{"12345678901234567890", "12345678901234567890"},
		{"zh-cn", "zh-cn"},
		{"📎 résumé 👩‍👩‍👧.png", "📎 résumé 👩‍👩‍👧.png"},
		{"تقرير سنوي.pdf", "تقرير سنوي.pdf"},
		{long, long[:200]},
		{long + ".pdf", long[:196] + ".pdf"},
		{long + ".averyveryverylongextension", long[:200]},
		{"a" + longArabic + ".pdf", "a" + longArabic[:194] + ".pdf"}, // Arabic letters are 2 bytes
		{"a" + strings.Repeat("🎉", 60) + ".txt", "a" + strings.Repeat("🎉", 48) + ".txt"},
	}
	for _, tt := range tests {
		got := SafeName(tt.name)
		if got != tt.want {
			t.Errorf("SafeName(%q) = %q, want %q", tt.name, got, tt.want)
		}
		checkSafe(t, tt.name, got)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, seed := range []string{
		"", ".", "..", "../../x.sh", "a/b", "\x00", "\xff", ".hidden", "👩‍👩‍👧.png",
		strings.Repeat("é", 150) + ".jpeg", strings.Repeat("x", 199) + "\u202e",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, name string) {
		checkSafe(t, name, SafeName(name))
	})
}

// checkSafe reports got, SafeName(name), if it breaks one of SafeName's
// promises.
func checkSafe(t *testing.T, name, got string) {
	t.Helper()
	bad := func(why string) { t.Errorf("SafeName(%q) = %q: %s", name, got, why) }
	switch {
	case got == "" || got == "." || got == "..":
		bad("empty or a dot name")
	case strings.HasPrefix(got, "."):
		bad("hidden")
	case strings.ContainsAny(got, "/\\\x00"):
		bad("has a separator or NUL")
	case strings.IndexFunc(got, unicode.IsControl) >= 0:
		bad("has a control character")
	case len(got) > maxNameBytes:
		bad("too long")
	case !utf8.ValidString(got):
		bad("invalid UTF-8")
	case filepath.Base(got) != got || filepath.Clean(got) != got:
		bad("not one clean path element")
	case SafeName(got) != got:
		bad("not idempotent")
	case utf8.ValidString(name) && len(name) <= maxNameBytes &&
		strings.IndexFunc(name, func(r rune) bool { return safeRune(r) != r }) < 0 &&
		!strings.HasPrefix(name, ".") && name != "" && got != name:
		bad("changed a name that was already safe")
	}
}
