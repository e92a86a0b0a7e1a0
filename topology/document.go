package topology

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/BurntSushi/toml"
)

// Document is a parsed TOML file that other netdrill formats (scenario
// files) decode with the same error reporting as topologies: every error
// at once, each with file:line:col and the key path.
type Document struct {
	d    *decoder
	root *Table
}

// Table is one TOML table of a Document. Every key read through it is
// marked used; Done reports the rest as unknown keys.
type Table struct{ t *table }

// ParseDocument parses data as TOML. A syntax error is returned as a
// *ErrorList; anything else is reported through the Document.
func ParseDocument(name string, data []byte) (*Document, error) {
	if e := checkShape(name, data); e != nil {
		return nil, &ErrorList{Errors: []*Error{e}}
	}
	var m map[string]any
	src := string(data)
	if _, err := toml.Decode(src, &m); err != nil {
		return nil, &ErrorList{Errors: []*Error{syntaxError(name, data, err)}}
	}
	d := &decoder{file: name, src: src}
	return &Document{d: d, root: &Table{d.root(m)}}, nil
}

// Root returns the top-level table.
func (doc *Document) Root() *Table { return doc.root }

// Errorf records an error at the value of the key path (e.g. "fault[2].at").
func (doc *Document) Errorf(path string, format string, args ...any) {
	doc.d.errAt(path, false, format, args...)
}

// Add records errors found elsewhere (a referenced file): an *ErrorList is
// adopted as is; any other error is placed at path.
func (doc *Document) Add(path string, err error) {
	var l *ErrorList
	if errors.As(err, &l) {
		for _, e := range l.Errors {
			if e.Line == 0 {
				// No place in the other file (it could not be read):
				// point at the key that names it.
				doc.Errorf(path, "%s", e.Msg)
				continue
			}
			doc.d.errs = append(doc.d.errs, e)
		}
		return
	}
	doc.Errorf(path, "%v", err)
}

// Warnf records a warning (legal input that is probably a mistake) at the
// value of the key path.
func (doc *Document) Warnf(path string, format string, args ...any) {
	doc.d.warnAt(path, format, args...)
}

// Warnings returns every warning recorded (the inline topology's included),
// sorted by position. Each message starts with "warning: ".
func (doc *Document) Warnings() []*Error { return doc.d.sortedWarnings() }

// Len returns how many errors have been recorded so far.
func (doc *Document) Len() int { return len(doc.d.errs) }

// Err returns every error recorded, sorted by position, or nil.
func (doc *Document) Err() error {
	if len(doc.d.errs) == 0 {
		return nil
	}
	l := &ErrorList{Errors: append([]*Error(nil), doc.d.errs...)}
	l.sort()
	return l
}

// Path returns the table's key path.
func (t *Table) Path() string { return t.t.path }

// Where returns "line:col" of the table's start (its header or first key),
// for messages that point back at it.
func (t *Table) Where() string {
	p := t.t.d.lookup(t.t.path, true)
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

// At returns the key path of key in t.
func (t *Table) At(key string) string { return t.t.at(key) }

// Has reports whether key is present.
func (t *Table) Has(key string) bool { return t.t.has(key) }

// Missing records that a required key is absent (at the table).
func (t *Table) Missing(key string) { t.t.d.errAt(t.t.path, true, "missing %q", key) }

// Errorf records an error at key's value.
func (t *Table) Errorf(key string, format string, args ...any) {
	t.t.d.errAt(t.t.at(key), false, format, args...)
}

// Keys returns t's keys, sorted.
func (t *Table) Keys() []string {
	out := make([]string, 0, len(t.t.m))
	for k := range t.t.m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// KeyErrorf records an error at key itself (not its value), as for an
// unknown key, and marks key used so that Done does not report it again.
func (t *Table) KeyErrorf(key string, format string, args ...any) {
	t.t.used[key] = true
	t.t.d.errAt(t.t.at(key), true, format, args...)
}

// Ratio reads a ratio in [0, hi]: a number (0.25) or a string with the
// unit grammar of ParseRatio ("25%").
func (t *Table) Ratio(key string, hi float64) (float64, bool) {
	v, ok := t.t.raw(key)
	if !ok {
		return 0, false
	}
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case int64:
		f = float64(x)
	case string:
		r, err := ParseRatio(x)
		if err != nil {
			t.Errorf(key, "%v", err)
			return 0, false
		}
		f = r
	default:
		t.t.wrongType(key, v, `a ratio such as 0.25 or "25%"`)
		return 0, false
	}
	if f < 0 || f > hi || math.IsNaN(f) {
		t.Errorf(key, "ratio %v out of range [0, %v]", f, hi)
		return 0, false
	}
	return f, true
}

// Raw returns key's decoded TOML value and marks it used.
func (t *Table) Raw(key string) (any, bool) { return t.t.raw(key) }

// Str reads a string; a wrong type is reported.
func (t *Table) Str(key string) (string, bool) { return t.t.str(key) }

// Name reads a required, non-empty string.
func (t *Table) Name(key string) string { return t.t.name(key) }

// Bool reads a boolean.
func (t *Table) Bool(key string) (bool, bool) { return t.t.boolean(key) }

// Int reads an integer in [lo, hi].
func (t *Table) Int(key string, lo, hi int64) (int64, bool) { return t.t.integer(key, lo, hi) }

// Float reads a number (integer or float) in [lo, hi].
func (t *Table) Float(key string, lo, hi float64) (float64, bool) {
	v, ok := t.t.raw(key)
	if !ok {
		return 0, false
	}
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case int64:
		f = float64(x)
	default:
		t.t.wrongType(key, v, "a number")
		return 0, false
	}
	if f < lo || f > hi {
		t.Errorf(key, "%v out of range [%v, %v]", f, lo, hi)
		return 0, false
	}
	return f, true
}

// Duration reads a Go duration string ("90s", "300ms").
func (t *Table) Duration(key string) (time.Duration, bool) { return t.t.duration(key) }

// Bandwidth reads a bandwidth string ("10Gbps").
func (t *Table) Bandwidth(key string) (Bandwidth, bool) { return t.t.bandwidth(key) }

// Strs reads an array of strings.
func (t *Table) Strs(key string) ([]string, bool) { return t.t.strs(key) }

// Sub reads a sub-table.
func (t *Table) Sub(key string) (*Table, bool) {
	s, ok := t.t.sub(key)
	if !ok {
		return nil, false
	}
	return &Table{s}, true
}

// Tables reads an array of tables.
func (t *Table) Tables(key string) []*Table {
	ts := t.t.tables(key)
	out := make([]*Table, len(ts))
	for i, x := range ts {
		out[i] = &Table{x}
	}
	return out
}

// Forget removes key from t, so nothing reads it and Done does not report
// it (used after refusing a value too large to read).
func (t *Table) Forget(key string) {
	delete(t.t.m, key)
	delete(t.t.used, key)
}

// Done reports every key of t that was not read as unknown.
func (t *Table) Done() { t.t.done() }

// Topology builds a topology from a table of the document (an inline
// [topology] in a scenario file). Errors are recorded in the document with
// their positions; the result is nil if there were any.
func (doc *Document) Topology(t *Table, name string) *Topology {
	b := &builder{d: doc.d, names: map[string]map[string]string{}}
	before := len(doc.d.errs)
	top := b.build(t.t, name)
	if len(doc.d.errs) > before || top == nil {
		return nil
	}
	top.buildIndex()
	top.Warnings = doc.d.sortedWarnings()
	return top
}
