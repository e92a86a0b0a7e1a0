package topology

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"sort"
	"time"
)

// The decoder walks the generic map that BurntSushi/toml produces and reads
// it into the raw configuration structs, collecting every error with its
// position instead of stopping at the first (toml.Decode into a struct stops
// at the first type error and gives only a line for it).

type decoder struct {
	file  string
	src   string   // the document, scanned for positions when one is first asked
	idx   posIndex // nil until then
	errs  []*Error
	warns []*Error // see sense.go
}

// errAt reports an error on the key at path (onKey: point at the key rather
// than its value). A path with no recorded position falls back to its
// nearest recorded parent, then to 1:1.
func (d *decoder) errAt(path string, onKey bool, format string, args ...any) {
	p := d.lookup(path, onKey)
	d.errs = append(d.errs, &Error{File: d.file, Line: p.Line, Col: p.Col, Key: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) lookup(path string, onKey bool) pos {
	if d.idx == nil {
		// Only a message needs a position: a valid file with 200,000
		// prefixes is never scanned a second time.
		d.idx = indexPositions(d.src)
	}
	for q := path; ; {
		if kp, ok := d.idx[q]; ok {
			if onKey {
				return kp.key
			}
			return kp.val
		}
		if q == "" {
			return pos{Line: 1, Col: 1}
		}
		q = parentPath(q)
	}
}

func parentPath(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' || p[i] == '[' {
			return p[:i]
		}
	}
	return ""
}

// table is one TOML table being read; every key read is marked used, and
// done reports the rest as unknown.
type table struct {
	d    *decoder
	path string
	m    map[string]any
	used map[string]bool
}

func (d *decoder) root(m map[string]any) *table {
	return &table{d: d, m: m, used: map[string]bool{}}
}

func (t *table) at(key string) string { return joinKey(t.path, key) }

func (t *table) has(key string) bool { _, ok := t.m[key]; return ok }

func (t *table) raw(key string) (any, bool) {
	v, ok := t.m[key]
	if ok {
		t.used[key] = true
	}
	return v, ok
}

// done reports every key of t that nobody read, in file order.
func (t *table) done() {
	var unknown []string
	for k := range t.m {
		if !t.used[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Slice(unknown, func(i, j int) bool {
		a, b := t.d.lookup(t.at(unknown[i]), true), t.d.lookup(t.at(unknown[j]), true)
		if a != b {
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		}
		return unknown[i] < unknown[j]
	})
	for _, k := range unknown {
		t.d.errAt(t.at(k), true, "unknown key %q", k)
	}
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case map[string]any:
		return "table"
	case []any, []map[string]any:
		return "array"
	default:
		return "datetime"
	}
}

func (t *table) wrongType(key string, v any, want string) {
	t.d.errAt(t.at(key), false, "want %s, got %s", want, tomlType(v))
}

// str reads a string. ok is false if absent or invalid (invalid is reported).
func (t *table) str(key string) (string, bool) {
	v, ok := t.raw(key)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		t.wrongType(key, v, "a string")
	}
	return s, ok
}

// name reads a required, non-empty string.
func (t *table) name(key string) string {
	if !t.has(key) {
		t.d.errAt(t.path, true, "missing %q", key)
		return ""
	}
	s, ok := t.str(key)
	if ok && s == "" {
		t.d.errAt(t.at(key), false, "%s must not be empty", key)
	}
	return s
}

func (t *table) boolean(key string) (bool, bool) {
	v, ok := t.raw(key)
	if !ok {
		return false, false
	}
	b, ok := v.(bool)
	if !ok {
		t.wrongType(key, v, "true or false")
	}
	return b, ok
}

// integer reads an integer in [lo, hi].
func (t *table) integer(key string, lo, hi int64) (int64, bool) {
	v, ok := t.raw(key)
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		t.wrongType(key, v, "an integer")
		return 0, false
	}
	if n < lo || n > hi {
		t.d.errAt(t.at(key), false, "%d out of range [%d, %d]", n, lo, hi)
		return 0, false
	}
	return n, true
}

func (t *table) duration(key string) (time.Duration, bool) {
	v, ok := t.raw(key)
	if !ok {
		return 0, false
	}
	s, ok := v.(string)
	if !ok {
		t.wrongType(key, v, `a duration string such as "90s"`)
		return 0, false
	}
	d, err := ParseDuration(s)
	if err != nil {
		t.d.errAt(t.at(key), false, "%v", err)
		return 0, false
	}
	return d, true
}

func (t *table) bandwidth(key string) (Bandwidth, bool) {
	v, ok := t.raw(key)
	if !ok {
		return 0, false
	}
	s, ok := v.(string)
	if !ok {
		t.wrongType(key, v, `a bandwidth string such as "10Gbps"`)
		return 0, false
	}
	b, err := ParseBandwidth(s)
	if err != nil {
		t.d.errAt(t.at(key), false, "%v", err)
		return 0, false
	}
	return b, true
}

// list reads an array, reporting a non-array.
func (t *table) list(key string) ([]any, bool) {
	v, ok := t.raw(key)
	if !ok {
		return nil, false
	}
	switch a := v.(type) {
	case []any:
		return a, true
	case []map[string]any:
		out := make([]any, len(a))
		for i := range a {
			out[i] = a[i]
		}
		return out, true
	}
	t.wrongType(key, v, "an array")
	return nil, false
}

// strs reads an array of strings; invalid elements are reported and skipped.
func (t *table) strs(key string) ([]string, bool) {
	a, ok := t.list(key)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(a))
	good := true
	for i, v := range a {
		s, ok := v.(string)
		if !ok {
			t.d.errAt(indexKey(t.at(key), i), false, "want a string, got %s", tomlType(v))
			good = false
			continue
		}
		out = append(out, s)
	}
	return out, good
}

func (t *table) prefixes(key string) ([]netip.Prefix, bool) {
	a, ok := t.strs(key)
	if !ok {
		return nil, false
	}
	var out []netip.Prefix
	good := true
	for i, s := range a {
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil:
			t.d.errAt(indexKey(t.at(key), i), false, "invalid CIDR prefix %q", s)
			good = false
		case p.Masked() != p:
			t.d.errAt(indexKey(t.at(key), i), false, "prefix %q has host bits set (did you mean %q?)", s, p.Masked().String())
			good = false
		default:
			out = append(out, p)
		}
	}
	return out, good
}

// sub reads a table. The second result is false if absent or not a table.
func (t *table) sub(key string) (*table, bool) {
	v, ok := t.raw(key)
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		t.wrongType(key, v, "a table")
		return nil, false
	}
	return &table{d: t.d, path: t.at(key), m: m, used: map[string]bool{}}, true
}

// tables reads an array of tables ([[key]] or [{...}, {...}]).
func (t *table) tables(key string) []*table {
	a, ok := t.list(key)
	if !ok {
		return nil
	}
	out := make([]*table, 0, len(a))
	for i, v := range a {
		m, ok := v.(map[string]any)
		if !ok {
			t.d.errAt(indexKey(t.at(key), i), false, "want a table, got %s", tomlType(v))
			continue
		}
		out = append(out, &table{d: t.d, path: indexKey(t.at(key), i), m: m, used: map[string]bool{}})
	}
	return out
}

// asn reads an AS number (1..4294967295).
func (t *table) asn(key string) (uint32, bool) {
	v, ok := t.raw(key)
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		t.wrongType(key, v, "an integer AS number")
		return 0, false
	}
	if n < 1 || n > math.MaxUint32 {
		t.d.errAt(t.at(key), false, "ASN %d out of range [1, 4294967295]", n)
		return 0, false
	}
	return uint32(n), true
}

// optional values, so that precedence (item > defaults > profile) can tell
// "not set" from a zero value.

type optDur struct {
	v   time.Duration
	set bool
}
type optInt struct {
	v   int
	set bool
}
type optBool struct {
	v   bool
	set bool
}
type optBW struct {
	v   Bandwidth
	set bool
}

func (t *table) optDur(key string) optDur {
	v, ok := t.duration(key)
	return optDur{v, ok}
}

func (t *table) optInt(key string, lo, hi int64) optInt {
	v, ok := t.integer(key, lo, hi)
	return optInt{int(v), ok}
}

func (t *table) optBool(key string) optBool {
	v, ok := t.boolean(key)
	return optBool{v, ok}
}

func (t *table) optBW(key string) optBW {
	v, ok := t.bandwidth(key)
	return optBW{v, ok}
}

// first returns the first set value, else def.
func firstDur(def time.Duration, opts ...optDur) time.Duration {
	for _, o := range opts {
		if o.set {
			return o.v
		}
	}
	return def
}

func firstInt(def int, opts ...optInt) int {
	for _, o := range opts {
		if o.set {
			return o.v
		}
	}
	return def
}

func firstBool(def bool, opts ...optBool) bool {
	for _, o := range opts {
		if o.set {
			return o.v
		}
	}
	return def
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}
