package snapshot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// JSONWriter streams one JSON object into a staged file: lists of raw items,
// raw fields, nested objects and fields copied from other files, so that no
// list has to fit in memory. Items and values are written byte for byte as
// given (no re-encoding, so HTML, emoji and big numbers stay as the API sent
// them); each list item goes on a line of its own. Writes are buffered.
//
// Every method may be called from several goroutines. The first error is
// sticky: later calls return it, and so does Close.
type JSONWriter struct {
	f    *os.File
	done func() // tells the snapshot the file is closed

	mu     sync.Mutex
	w      *bufio.Writer
	open   []frame // containers not yet closed; the file's object first
	count  int     // items in the newest list
	err    error
	closed bool
}

// frame is an open object or list and how many members it has.
type frame struct {
	list bool
	n    int
}

// JSON creates a staged file at rel (as Create does) holding one JSON object,
// and writes its opening brace.
func (s *Snapshot) JSON(rel string) (*JSONWriter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.create(rel)
	if err != nil {
		return nil, err
	}
	s.writers[rel] = true
	w := newJSONWriter(f)
	w.done = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.writers, rel)
	}
	return w, nil
}

// List is JSON followed by BeginList(key): the usual {"key":[...]} file.
func (s *Snapshot) List(rel, key string) (*JSONWriter, error) {
	w, err := s.JSON(rel)
	if err != nil {
		return nil, err
	}
	if err := w.BeginList(key); err != nil {
		return nil, errors.Join(err, w.Close())
	}
	return w, nil
}

func newJSONWriter(f *os.File) *JSONWriter {
	w := &JSONWriter{f: f, w: bufio.NewWriterSize(f, 64<<10), open: []frame{{}}}
	w.err = w.write([]byte{'{'})
	return w
}

// BeginList starts the list field key in the current object.
func (w *JSONWriter) BeginList(key string) error {
	return w.do(func() error {
		if err := w.member(key); err != nil {
			return err
		}
		w.open = append(w.open, frame{list: true})
		w.count = 0
		return w.write([]byte{'['})
	})
}

// Add appends one raw JSON value to the current list.
func (w *JSONWriter) Add(raw []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	top := &w.open[len(w.open)-1]
	switch {
	case !top.list:
		return w.fail(errors.New("add item outside a list"))
	case len(raw) == 0:
		return w.fail(errors.New("add empty item"))
	}
	sep := ",\n"
	if top.n == 0 {
		sep = "\n"
	}
	top.n++
	w.count++
	if _, err := w.w.WriteString(sep); err != nil {
		return w.fail(err)
	}
	if _, err := w.w.Write(raw); err != nil {
		return w.fail(err)
	}
	return nil
}

// EndList closes the current list.
func (w *JSONWriter) EndList() error {
	return w.do(func() error { return w.end(true) })
}

// Count returns the number of items added to the newest list so far.
func (w *JSONWriter) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.count
}

// Field writes the field key with raw, a JSON value, in the current object.
func (w *JSONWriter) Field(key string, raw []byte) error {
	return w.do(func() error {
		if len(raw) == 0 {
			return fmt.Errorf("field %q: empty value", key)
		}
		if err := w.member(key); err != nil {
			return err
		}
		return w.write(raw)
	})
}

// BeginObject starts the object field key in the current object.
func (w *JSONWriter) BeginObject(key string) error {
	return w.do(func() error {
		if err := w.member(key); err != nil {
			return err
		}
		w.open = append(w.open, frame{})
		return w.write([]byte{'{'})
	})
}

// EndObject closes the object started by the newest BeginObject.
func (w *JSONWriter) EndObject() error {
	return w.do(func() error {
		if len(w.open) == 1 {
			return errors.New("end object: no object begun")
		}
		return w.end(false)
	})
}

// CopyField writes the field key with the JSON value read from r, streamed
// as is except for trailing white space (such as the newline that ends a file
// written by a JSONWriter).
func (w *JSONWriter) CopyField(key string, r io.Reader) error {
	return w.do(func() error {
		if err := w.member(key); err != nil {
			return err
		}
		tw := &trimWriter{w: w.w}
		if _, err := io.Copy(tw, r); err != nil {
			return fmt.Errorf("copy field %q: %w", key, err)
		}
		if !tw.wrote {
			return fmt.Errorf("copy field %q: empty value", key)
		}
		return nil
	})
}

// Close closes any open lists and objects, ends the file with a newline,
// flushes, fsyncs and closes it. It returns the first error of the writer's
// life; calls after the first return that error again.
func (w *JSONWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return w.err
	}
	w.closed = true
	for w.err == nil && len(w.open) > 0 {
		w.err = w.end(w.open[len(w.open)-1].list)
	}
	if w.err == nil {
		w.err = w.write([]byte{'\n'})
	}
	if w.err == nil {
		w.err = w.w.Flush()
	}
	if w.err == nil {
		w.err = w.f.Sync()
	}
	if err := w.f.Close(); w.err == nil {
		w.err = err
	}
	if w.done != nil {
		w.done()
	}
	if w.err != nil {
		w.err = w.wrap(w.err)
	}
	return w.err
}

// do runs step under the lock unless the writer already failed or closed,
// and keeps its error.
func (w *JSONWriter) do(step func() error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return err
	}
	if err := step(); err != nil {
		return w.fail(err)
	}
	return nil
}

func (w *JSONWriter) usable() error {
	switch {
	case w.err != nil:
		return w.err
	case w.closed:
		return w.wrap(errors.New("writer closed"))
	}
	return nil
}

func (w *JSONWriter) fail(err error) error {
	w.err = w.wrap(err)
	return w.err
}

func (w *JSONWriter) wrap(err error) error {
	var done *writeError
	if errors.As(err, &done) {
		return err
	}
	return &writeError{err: opError("write", w.f.Name(), err)}
}

// member writes the separator and key of a new field in the current object.
func (w *JSONWriter) member(key string) error {
	top := &w.open[len(w.open)-1]
	if top.list {
		return fmt.Errorf("field %q inside a list", key)
	}
	var buf bytes.Buffer
	if top.n > 0 {
		buf.WriteByte(',')
	}
	top.n++
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(key); err != nil {
		return fmt.Errorf("encode key %q: %w", key, err)
	}
	buf.Truncate(buf.Len() - 1) // the newline Encode adds
	buf.WriteByte(':')
	return w.write(buf.Bytes())
}

// end closes the newest container, which must be a list if list is set.
func (w *JSONWriter) end(list bool) error {
	top := w.open[len(w.open)-1]
	switch {
	case list && !top.list:
		return errors.New("end list: no list begun")
	case !list && top.list:
		return errors.New("end object: a list is open")
	}
	w.open = w.open[:len(w.open)-1]
	switch {
	case !list:
		return w.write([]byte{'}'})
	case top.n > 0:
		return w.write([]byte("\n]"))
	}
	return w.write([]byte{']'})
}

func (w *JSONWriter) write(b []byte) error {
	_, err := w.w.Write(b)
	return err
}

// writeError marks an error already wrapped with the file's path.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }
