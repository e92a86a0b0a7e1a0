package topology

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds on input, checked before any work that grows with it, so that no
// file (a device, a multi-gigabyte file, a nesting bomb) can exhaust memory
// or time. Every refusal names the limit and how to raise it.

// DefaultMaxFileSize is the largest topology or scenario file read, in
// bytes, unless NETDRILL_MAX_FILE_SIZE says otherwise. A 100k-router
// explicit topology is about 10 MB.
const DefaultMaxFileSize = 16 << 20

// MaxFileSizeEnv overrides DefaultMaxFileSize: a byte count ("67108864")
// or a size with a decimal unit ("64MB").
const MaxFileSizeEnv = "NETDRILL_MAX_FILE_SIZE"

// MaxDepth is the deepest nesting of arrays and inline tables accepted
// (table headers count 1; netdrill's formats need 4).
const MaxDepth = 64

// MaxArrayLen is the most elements one array may have.
const MaxArrayLen = 1 << 20

// MaxTables is the most tables ([[x]] headers and inline tables) a file
// may have: a 100k-router topology has about 200k. Each costs the TOML
// parser about 2 KB.
const MaxTables = 500_000

// MaxFileSize returns the size limit in force.
func MaxFileSize() (int64, error) {
	s := strings.TrimSpace(os.Getenv(MaxFileSizeEnv))
	if s == "" {
		return DefaultMaxFileSize, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return n, nil
	}
	if v, err := ParseSize(s); err == nil && v >= 1 && v < 1<<62 {
		return int64(v), nil
	}
	return 0, fmt.Errorf("%s=%q: want a byte count or a size such as \"64MB\"", MaxFileSizeEnv, s)
}

// ReadFile reads a topology or scenario file, refusing anything that is
// not a regular file (a directory, a device such as /dev/zero, a FIFO)
// and files over MaxFileSize. The error is a *ErrorList naming the file.
func ReadFile(path string) ([]byte, error) {
	fail := func(format string, args ...any) ([]byte, error) {
		return nil, &ErrorList{Errors: []*Error{{File: path, Msg: fmt.Sprintf(format, args...)}}}
	}
	limit, err := MaxFileSize()
	if err != nil {
		return fail("%v", err)
	}
	// Stat before opening: opening a FIFO blocks until a writer comes.
	st, err := os.Stat(path)
	if err != nil {
		// Report it as opening the file would (the usual wording).
		if f, oerr := os.Open(path); oerr != nil {
			return fail("%v", oerr)
		} else {
			f.Close()
		}
		return fail("%v", err)
	}
	if !st.Mode().IsRegular() {
		return fail("not a regular file (%s)", modeName(st.Mode()))
	}
	if st.Size() > limit {
		return fail("file is %d bytes, over the limit of %d bytes (set %s to raise it)", st.Size(), limit, MaxFileSizeEnv)
	}
	f, err := os.Open(path)
	if err != nil {
		return fail("%v", err)
	}
	defer f.Close()
	// The file may have grown since Stat: never read more than the limit.
	// Sized from Stat, the read of a large file does not grow its buffer.
	data := make([]byte, st.Size()+1)
	n, err := io.ReadFull(f, data)
	data = data[:n]
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF: // the whole file (or it shrank)
	case err != nil:
		return fail("%v", err)
	default: // it grew
		more, err := io.ReadAll(io.LimitReader(f, limit+1-int64(n)))
		if err != nil {
			return fail("%v", err)
		}
		data = append(data, more...)
	}
	if int64(len(data)) > limit {
		return fail("file is over the limit of %d bytes (set %s to raise it)", limit, MaxFileSizeEnv)
	}
	return data, nil
}

func modeName(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// checkShape scans TOML text once, in linear time and constant memory per
// nesting level, and refuses nesting deeper than MaxDepth and arrays longer
// than MaxArrayLen before the TOML parser builds anything. It understands
// strings and comments well enough not to count brackets inside them; on
// text that is not TOML it stops without error (the parser reports it).
func checkShape(name string, data []byte) *Error {
	type open struct {
		at    int // byte offset of the bracket
		elems int // elements seen (commas + 1) in an array
		array bool
	}
	var stack []open
	src := data
	tables := 0
	lineStart := true // only blanks since the last newline
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '{' || c == '[' && lineStart && len(stack) == 0 && i+1 < len(src) && src[i+1] == '[' {
			if tables++; tables > MaxTables {
				return shapeError(name, data, i, fmt.Sprintf("more than %d tables", MaxTables))
			}
		}
		switch {
		case c == '\n':
			lineStart = true
		case c != ' ' && c != '\t' && c != '\r':
			lineStart = false
		}
		switch c {
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case '"', '\'':
			triple := i+2 < len(src) && src[i+1] == c && src[i+2] == c
			if triple {
				i += 3
				for i < len(src) && !(src[i] == c && i+2 < len(src) && src[i+1] == c && src[i+2] == c) {
					if c == '"' && src[i] == '\\' {
						i++
					}
					i++
				}
				i += 2
				for i+1 < len(src) && src[i+1] == c { // up to two quotes end the string
					i++
				}
				continue
			}
			for i++; i < len(src) && src[i] != c && src[i] != '\n'; i++ {
				if c == '"' && src[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			if len(stack) >= MaxDepth {
				return shapeError(name, data, i, fmt.Sprintf("nested more than %d levels deep", MaxDepth))
			}
			stack = append(stack, open{at: i, array: c == '['})
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case ',':
			if n := len(stack); n > 0 && stack[n-1].array {
				stack[n-1].elems++
				if stack[n-1].elems >= MaxArrayLen {
					return shapeError(name, data, stack[n-1].at, fmt.Sprintf("array has more than %d elements", MaxArrayLen))
				}
			}
		}
	}
	return nil
}

// shapeError places msg at byte offset off (line and column in characters).
func shapeError(name string, data []byte, off int, msg string) *Error {
	line, start := 1, 0
	for i := 0; i < off && i < len(data); i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return &Error{File: name, Line: line, Col: utf8.RuneCount(data[start:min(off, len(data))]) + 1, Msg: msg}
}

// OpenRegular opens a file that is read as a stream (a trace, of any
// size), refusing anything that is not a regular file, checked before
// opening (a FIFO would block, /dev/zero never ends).
func OpenRegular(path string) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, modeName(st.Mode()))
	}
	return os.Open(path)
}
