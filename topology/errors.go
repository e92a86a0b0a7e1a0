package topology

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a topology file, with the place it was found.
// Line and Col are 1-based (Col counts characters, not bytes); they are 0
// when the problem has no place in the file (for example an unreadable file).
type Error struct {
	File string // the name given to Load or Parse
	Line int
	Col  int
	Key  string // key path, e.g. "link[3].b" (array indices are 0-based)
	Msg  string
}

// Error formats e as "file:line:col: key: msg".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList is every problem found in one topology file, sorted by position.
// Load and Parse return a *ErrorList whenever the input is invalid.
type ErrorList struct {
	Errors []*Error
}

// Error lists every error, one per line.
func (l *ErrorList) Error() string {
	lines := make([]string, len(l.Errors))
	for i, e := range l.Errors {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap gives the errors to errors.Is and errors.As.
func (l *ErrorList) Unwrap() []error {
	out := make([]error, len(l.Errors))
	for i, e := range l.Errors {
		out[i] = e
	}
	return out
}

// Len is the number of errors.
func (l *ErrorList) Len() int { return len(l.Errors) }

// sort orders errors by line, column, key and message and drops exact duplicates.
func (l *ErrorList) sort() {
	slices.SortStableFunc(l.Errors, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Key, b.Key), cmp.Compare(a.Msg, b.Msg))
	})
	l.Errors = slices.CompactFunc(l.Errors, func(a, b *Error) bool { return *a == *b })
}
