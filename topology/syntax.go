package topology

import (
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// syntaxError turns a TOML syntax error into an Error with a position.
// BurntSushi/toml's line and column are unreliable (off by a line after a
// newline it consumed, past the end of a line, line 0 with CRLF line ends),
// but its byte offset is right, so the line and column (in characters) are
// worked out from the offset here. Its LastKey is kept only when that key
// is on the offending line: otherwise it is the previous table's and would
// mislead.
func syntaxError(name string, data []byte, err error) *Error {
	e := &Error{File: name, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return e
	}
	e.Msg = pe.Message
	off := min(max(pe.Position.Start, 0), len(data))
	start := 0
	e.Line = 1
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			e.Line++
			start = i + 1
		}
	}
	e.Col = utf8.RuneCount(data[start:off]) + 1
	if pe.LastKey != "" {
		end := start
		for end < len(data) && data[end] != '\n' {
			end++
		}
		last := pe.LastKey
		if i := strings.LastIndexByte(last, '.'); i >= 0 {
			last = last[i+1:]
		}
		if strings.Contains(string(data[start:end]), last) {
			e.Key = pe.LastKey
		}
	}
	return e
}
