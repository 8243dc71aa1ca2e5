package snapshot

import "io"

// trimWriter passes bytes on to w but holds back trailing white space, so
// that white space at the very end of the stream is dropped.
type trimWriter struct {
	w       io.Writer
	pending []byte // white space seen but not yet passed on
	wrote   bool   // whether anything but white space was passed on
}

func (t *trimWriter) Write(p []byte) (int, error) {
	i := len(p) - 1
	for i >= 0 && isJSONSpace(p[i]) {
		i--
	}
	if i < 0 {
		t.pending = append(t.pending, p...)
		return len(p), nil
	}
	if _, err := t.w.Write(t.pending); err != nil {
		return 0, err
	}
	if _, err := t.w.Write(p[:i+1]); err != nil {
		return 0, err
	}
	t.pending = append(t.pending[:0], p[i+1:]...)
	t.wrote = true
	return len(p), nil
}

func isJSONSpace(b byte) bool {
	return b == ' ' || b == '\t' || b == '\n' || b == '\r'
}
