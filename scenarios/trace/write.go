package trace

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// ErrNonFinite is returned by Writer.Write for a NaN or infinite float
// detail, which JSON cannot carry. Nothing is written for that event.
var ErrNonFinite = errors.New("trace: NaN or infinite value")

// Writer writes a trace as it is produced. It buffers; call End (which
// writes the run.end trailer and flushes) when the run is over. It is not
// safe for concurrent use (the engine is single-threaded).
type Writer struct {
	bw    *bufio.Writer
	buf   []byte
	n     int64 // events written
	hash  hash.Hash
	ended bool
}

// NewWriter writes the header line to w and returns a Writer for the
// events. An empty h.Format is written as Format.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	if h.Format == "" {
		h.Format = Format
	}
	tw := &Writer{bw: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 512), hash: sha256.New()}
	b, err := AppendHeader(tw.buf[:0], h)
	if err != nil {
		return nil, err
	}
	tw.buf = b
	tw.hash.Write(b)
	if _, err := tw.bw.Write(b); err != nil {
		return nil, err
	}
	return tw, nil
}

// AppendHeader appends the header line (with its newline) to b.
func AppendHeader(b []byte, h Header) ([]byte, error) {
	var hb bytes.Buffer
	enc := json.NewEncoder(&hb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(h); err != nil {
		return b, fmt.Errorf("trace: header: %w", err)
	}
	return append(b, hb.Bytes()...), nil
}

// Write appends one event line:
//
//	{"t":<ns>,"kind":"…","subject":"…","details":{…}}
//
// Details are written in the order given (an empty list as {}). A NaN or
// infinite float yields ErrNonFinite and writes nothing. The kind run.end
// is the trailer's: use End.
func (w *Writer) Write(e Event) error {
	if w.ended {
		return errors.New("trace: write after run.end")
	}
	if e.Kind == KindRunEnd {
		return errors.New("trace: run.end is written by End")
	}
	b, err := AppendEvent(w.buf[:0], e)
	w.buf = b[:0]
	if err != nil {
		return err
	}
	w.n++
	w.hash.Write(b)
	_, err = w.bw.Write(b)
	return err
}

// End writes the trailer — a run.end event at time t with the number of
// events before it and the sha256 of every line before it, header
// included — and flushes. It returns that event.
func (w *Writer) End(t int64, subject string) (Event, error) {
	e := Event{T: t, Kind: KindRunEnd, Subject: subject, Details: []Field{
		{Key: "events", Value: w.n},
		{Key: "sha256", Value: hex.EncodeToString(w.hash.Sum(nil))},
	}}
	if w.ended {
		return e, errors.New("trace: run.end written twice")
	}
	b, err := AppendEvent(w.buf[:0], e)
	w.buf = b[:0]
	if err != nil {
		return e, err
	}
	w.ended = true
	if _, err := w.bw.Write(b); err != nil {
		return e, err
	}
	return e, w.bw.Flush()
}

// Count returns the number of events written.
func (w *Writer) Count() int64 { return w.n }

// Flush writes any buffered data to the underlying io.Writer.
func (w *Writer) Flush() error { return w.bw.Flush() }

// AppendEvent appends the line for e (with its trailing newline) to b. It
// is what Writer.Write uses; on error b is returned unchanged.
func AppendEvent(b []byte, e Event) ([]byte, error) {
	start := len(b)
	b = append(b, `{"t":`...)
	b = strconv.AppendInt(b, e.T, 10)
	b = append(b, `,"kind":`...)
	b = appendString(b, e.Kind)
	b = append(b, `,"subject":`...)
	b = appendString(b, e.Subject)
	b = append(b, `,"details":`...)
	var err error
	b, err = appendFields(b, e.Details)
	if err != nil {
		return b[:start], err
	}
	b = append(b, "}\n"...)
	return b, nil
}

func appendFields(b []byte, fs []Field) ([]byte, error) {
	b = append(b, '{')
	for i := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, fs[i].Key)
		b = append(b, ':')
		var err error
		if b, err = appendValue(b, fs[i].Value); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func appendValue(b []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case string:
		return appendString(b, x), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case float64:
		return appendFloat(b, x)
	case bool:
		return strconv.AppendBool(b, x), nil
	case []string:
		b = append(b, '[')
		for i, s := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		return append(b, ']'), nil
	case nil:
		return append(b, "null"...), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case uint64:
		return strconv.AppendUint(b, x, 10), nil
	case uint32:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case float32:
		return appendFloat(b, float64(x))
	case []any:
		b = append(b, '[')
		for i, el := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, el); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	case []Field:
		return appendFields(b, x)
	}
	// Named types (sim.Time, time.Duration, a string enum): by kind.
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return appendString(b, rv.String()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, rv.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, rv.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		return appendFloat(b, rv.Float())
	case reflect.Bool:
		return strconv.AppendBool(b, rv.Bool()), nil
	}
	j, err := json.Marshal(v)
	if err != nil {
		return b, fmt.Errorf("trace: cannot encode %T: %w", v, err)
	}
	return append(b, j...), nil
}

// appendFloat writes whole floats below 1e21 as integers and others with
// strconv 'g' -1, so a value read back (int64 or float64) is written again
// byte for byte.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, ErrNonFinite
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		if math.Abs(f) < 1<<63 {
			if f == 0 {
				return append(b, '0'), nil // also -0
			}
			return strconv.AppendInt(b, int64(f), 10), nil
		}
		return strconv.AppendFloat(b, f, 'f', -1, 64), nil
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64), nil
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD (as encoding/json
// does). HTML characters are not escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory, synced and renamed over path, so readers see either the old
// file or the whole new one. The file is created with mode 0644.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
