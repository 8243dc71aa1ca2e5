package snapshot

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxNameBytes = 200
	maxExtBytes  = 16 // longer "extensions" are cut with the rest of the name
)

// SafeName turns an id, locale or attachment file name into one path element
// that stays inside its folder: never empty, "." or "..", no leading dot, no
// "/", "\\", NUL or other control characters (nor bidirectional controls and
// line separators, which can disguise a name), valid UTF-8 (invalid bytes
// become "_"), at most 200 bytes, cut at a character boundary before the
// extension so that it is kept. Each unsafe character becomes "_"; other
// scripts and emoji are kept. SafeName is idempotent but not injective: join
// it with an id where names must be unique.
func SafeName(name string) string {
	name = strings.ToValidUTF8(name, "_")
	name = strings.Map(safeRune, name)
	if strings.HasPrefix(name, ".") {
		name = "_" + name[1:]
	}
	name = truncate(name, maxNameBytes)
	if name == "" {
		return "_"
	}
	return name
}

func safeRune(r rune) rune {
	switch {
	case r == '/', r == '\\', unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r),
		unicode.In(r, unicode.Zl, unicode.Zp):
		return '_'
	}
	return r
}

// truncate cuts name to at most n bytes at a UTF-8 boundary, keeping a short
// extension.
func truncate(name string, n int) string {
	if len(name) <= n {
		return name
	}
	ext := filepath.Ext(name)
	if len(ext) > maxExtBytes || len(ext) == len(name) {
		ext = ""
	}
	base := name[:len(name)-len(ext)]
	cut := n - len(ext)
	for cut > 0 && !utf8.RuneStart(base[cut]) {
		cut--
	}
	return base[:cut] + ext
}
