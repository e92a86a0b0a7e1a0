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
	"strconv"
	"unicode/utf8"
)

// MaxLine is the longest line Reader accepts.
const MaxLine = 64 << 20

// Reader reads a trace one event at a time (the TUI streams large traces).
type Reader struct {
	br      *bufio.Reader
	h       Header
	line    int
	lastT   int64
	intern  map[string]string
	hash    hash.Hash // of every line read so far, raw
	sum     []byte    // the hash before the line last read
	n       int64     // events read (run.end excluded)
	partial bool      // the line last read had no newline: the file ends there
	ended   bool      // run.end read
}

// NewReader reads and checks the header line.
func NewReader(r io.Reader) (*Reader, error) {
	tr := &Reader{br: bufio.NewReaderSize(r, 64<<10), intern: make(map[string]string), hash: sha256.New()}
	line, err := tr.next()
	if err == io.EOF {
		return nil, errors.New("trace: line 1: empty trace, want a header line")
	}
	if err != nil {
		return nil, err
	}
	h, err := parseHeader(line)
	if err != nil {
		return nil, fmt.Errorf("trace: line %d: %w", tr.line, err)
	}
	tr.h = h
	return tr, nil
}

// Header returns the header read by NewReader.
func (r *Reader) Header() Header { return r.h }

// Line returns the number of the line last read (1 is the header).
func (r *Reader) Line() int { return r.line }

// ErrTruncated is wrapped by the error Next returns when the trace ends
// without its run.end trailer (a run that was killed, a partial copy).
var ErrTruncated = errors.New("truncated")

// ErrCorrupt is wrapped by the error Next returns when the trailer's count
// or hash does not match the lines before it, or lines follow the trailer.
var ErrCorrupt = errors.New("corrupt")

// Next returns the next event, or io.EOF after the run.end trailer (which
// is returned as the last event, once its count and hash have been
// checked). Errors name the line; a trace that ends without a trailer is
// ErrTruncated, one whose trailer does not match is ErrCorrupt.
func (r *Reader) Next() (Event, error) {
	line, err := r.next()
	if err == io.EOF {
		if !r.ended {
			return Event{}, fmt.Errorf("trace: line %d: %w: the trace ends without its run.end line (the run was stopped or the file cut short)", r.line, ErrTruncated)
		}
		return Event{}, io.EOF
	}
	if err != nil {
		return Event{}, err
	}
	if r.ended {
		return Event{}, fmt.Errorf("trace: line %d: %w: data after the run.end line", r.line, ErrCorrupt)
	}
	if len(line) == 0 {
		return Event{}, fmt.Errorf("trace: line %d: empty line", r.line)
	}
	e, err := r.parseEvent(line)
	if err != nil && r.partial {
		return Event{}, fmt.Errorf("trace: line %d: %w: the last line is cut short (%v)", r.line, ErrTruncated, err)
	}
	if err != nil {
		return Event{}, fmt.Errorf("trace: line %d: %w", r.line, err)
	}
	if e.T < r.lastT {
		return Event{}, fmt.Errorf("trace: line %d: time %d goes back before %d", r.line, e.T, r.lastT)
	}
	if !KnownKind(e.Kind) {
		return Event{}, fmt.Errorf("trace: line %d: unknown event kind %q", r.line, e.Kind)
	}
	r.lastT = e.T
	if e.Kind == KindRunEnd {
		if r.partial {
			return Event{}, fmt.Errorf("trace: line %d: %w: the run.end line has no newline", r.line, ErrTruncated)
		}
		if err := r.checkEnd(e); err != nil {
			return Event{}, fmt.Errorf("trace: line %d: %w", r.line, err)
		}
		r.ended = true
		return e, nil
	}
	r.n++
	return e, nil
}

// checkEnd compares the trailer with what was read.
func (r *Reader) checkEnd(e Event) error {
	v, ok := e.Get("events")
	n, isInt := v.(int64)
	if !ok || !isInt {
		return fmt.Errorf("%w: run.end has no event count", ErrCorrupt)
	}
	if n != r.n {
		return fmt.Errorf("%w: run.end counts %d events, the trace has %d", ErrCorrupt, n, r.n)
	}
	if e.T != r.h.DurationNS {
		return fmt.Errorf("%w: run.end at t=%d, the header's duration is %d", ErrCorrupt, e.T, r.h.DurationNS)
	}
	if e.Subject != r.h.Scenario {
		return fmt.Errorf("%w: run.end names scenario %q, the header %q", ErrCorrupt, e.Subject, r.h.Scenario)
	}
	want := e.Str("sha256")
	if got := hex.EncodeToString(r.sum); want != got {
		return fmt.Errorf("%w: the sha256 of lines 1–%d is %s, run.end says %q: the trace was modified", ErrCorrupt, r.line-1, got, want)
	}
	return nil
}

// next returns the next line without its newline (valid until the next
// call), or io.EOF.
func (r *Reader) next() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// A long line: collect it.
		buf := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(buf) > MaxLine {
				return nil, fmt.Errorf("trace: line %d: longer than %d bytes", r.line+1, MaxLine)
			}
			line, err = r.br.ReadSlice('\n')
			buf = append(buf, line...)
		}
		line = buf
	}
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("trace: line %d: %w", r.line+1, err)
	}
	if err == io.EOF && len(line) == 0 {
		return nil, io.EOF
	}
	r.sum = r.hash.Sum(r.sum[:0])
	r.hash.Write(line)
	r.line++
	r.partial = !bytes.HasSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\n'})
	line = bytes.TrimSuffix(line, []byte{'\r'})
	return line, nil
}

// Read reads a whole trace. Errors name the line.
func Read(r io.Reader) (Header, []Event, error) {
	tr, err := NewReader(r)
	if err != nil {
		return Header{}, nil, err
	}
	var evs []Event
	for {
		e, err := tr.Next()
		if err == io.EOF {
			return tr.h, evs, nil
		}
		if err != nil {
			return tr.h, evs, err
		}
		evs = append(evs, e)
	}
}

func parseHeader(line []byte) (Header, error) {
	var h Header
	var probe struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(line, &probe); err != nil {
		return h, fmt.Errorf("header: %v", err)
	}
	h.Format = probe.Format
	if h.Format == Format {
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&h); err != nil {
			return h, fmt.Errorf("header: %v", err)
		}
	}
	if h.Format == "netdrill-trace/1" {
		return h, fmt.Errorf("header: format %q is no longer read (it does not carry the fabric or a trailer); run the scenario again to get %q", h.Format, Format)
	}
	if h.Format != Format {
		return h, fmt.Errorf("header: format %q, want %q", h.Format, Format)
	}
	return h, nil
}

// parser is a small JSON scanner for one event line. It accepts exactly
// JSON (RFC 8259) values and never panics on malformed input.
type parser struct {
	s      []byte
	i      int
	intern map[string]string
}

type syntaxError struct {
	off int
	msg string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.off+1, e.msg) }

func (p *parser) fail(msg string) error { return &syntaxError{p.i, msg} }

func (p *parser) ws() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) expect(c byte) error {
	p.ws()
	if p.peek() != c {
		if p.i >= len(p.s) {
			return p.fail(fmt.Sprintf("want %q, got end of line", c))
		}
		return p.fail(fmt.Sprintf("want %q, got %q", c, p.s[p.i]))
	}
	p.i++
	return nil
}

func (r *Reader) parseEvent(line []byte) (Event, error) {
	p := parser{s: line, intern: r.intern}
	var e Event
	var haveT, haveKind bool
	if err := p.expect('{'); err != nil {
		return e, err
	}
	p.ws()
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			key, err := p.str(false)
			if err != nil {
				return e, err
			}
			if err := p.expect(':'); err != nil {
				return e, err
			}
			p.ws()
			switch key {
			case "t":
				n, err := p.num()
				if err != nil {
					return e, err
				}
				t, ok := n.(int64)
				if !ok {
					return e, fmt.Errorf(`"t" must be an integer (ns)`)
				}
				e.T, haveT = t, true
			case "kind":
				if e.Kind, err = p.str(true); err != nil {
					return e, err
				}
				haveKind = true
			case "subject":
				if e.Subject, err = p.str(true); err != nil {
					return e, err
				}
			case "details":
				v, err := p.value(0)
				if err != nil {
					return e, err
				}
				switch d := v.(type) {
				case []Field:
					if len(d) > 0 {
						e.Details = d
					}
				case nil:
				default:
					return e, errors.New(`"details" must be an object`)
				}
			default: // unknown keys: skipped (forward compatible)
				if _, err := p.value(0); err != nil {
					return e, err
				}
			}
			p.ws()
			if p.peek() == ',' {
				p.i++
				continue
			}
			if err := p.expect('}'); err != nil {
				return e, err
			}
			break
		}
	}
	p.ws()
	if p.i != len(p.s) {
		return e, p.fail("unexpected data after the event")
	}
	if !haveT {
		return e, errors.New(`event without "t"`)
	}
	if !haveKind || e.Kind == "" {
		return e, errors.New(`event without "kind"`)
	}
	return e, nil
}

const maxDepth = 64

func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, p.fail("nested too deeply")
	}
	p.ws()
	switch c := p.peek(); {
	case c == '"':
		return p.str(false)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.num()
	case c == 't':
		return true, p.lit("true")
	case c == 'f':
		return false, p.lit("false")
	case c == 'n':
		return nil, p.lit("null")
	case c == '[':
		return p.array(depth)
	case c == '{':
		return p.object(depth)
	case p.i >= len(p.s):
		return nil, p.fail("want a value, got end of line")
	default:
		return nil, p.fail(fmt.Sprintf("unexpected %q", c))
	}
}

func (p *parser) lit(w string) error {
	if !bytes.HasPrefix(p.s[p.i:], []byte(w)) {
		return p.fail("invalid literal")
	}
	p.i += len(w)
	return nil
}

func (p *parser) array(depth int) (any, error) {
	p.i++ // [
	p.ws()
	if p.peek() == ']' {
		p.i++
		return []string{}, nil
	}
	var vals []any
	allStr := true
	for {
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if _, ok := v.(string); !ok {
			allStr = false
		}
		vals = append(vals, v)
		p.ws()
		if p.peek() == ',' {
			p.i++
			continue
		}
		if err := p.expect(']'); err != nil {
			return nil, err
		}
		break
	}
	if allStr {
		ss := make([]string, len(vals))
		for i, v := range vals {
			ss[i] = v.(string)
		}
		return ss, nil
	}
	return vals, nil
}

func (p *parser) object(depth int) (any, error) {
	p.i++ // {
	fs := []Field{}
	p.ws()
	if p.peek() == '}' {
		p.i++
		return fs, nil
	}
	for {
		p.ws()
		key, err := p.str(true)
		if err != nil {
			return nil, err
		}
		if err := p.expect(':'); err != nil {
			return nil, err
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		fs = append(fs, Field{Key: key, Value: v})
		p.ws()
		if p.peek() == ',' {
			p.i++
			continue
		}
		if err := p.expect('}'); err != nil {
			return nil, err
		}
		return fs, nil
	}
}

// str reads a JSON string. With intern, repeated strings (kinds, keys,
// router names) share one allocation.
func (p *parser) str(intern bool) (string, error) {
	p.ws()
	if p.peek() != '"' {
		return "", p.fail("want a string")
	}
	start := p.i
	p.i++
	simple := true
	for {
		if p.i >= len(p.s) {
			return "", p.fail("unterminated string")
		}
		c := p.s[p.i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", p.fail("control character in string")
		}
		if c == '\\' {
			simple = false
			p.i += 2
			continue
		}
		if c >= utf8.RuneSelf {
			simple = false
		}
		p.i++
	}
	raw := p.s[start+1 : p.i]
	p.i++ // closing quote
	if simple {
		if intern {
			if s, ok := p.intern[string(raw)]; ok {
				return s, nil
			}
			s := string(raw)
			if len(p.intern) < 1<<16 {
				p.intern[s] = s
			}
			return s, nil
		}
		return string(raw), nil
	}
	var s string
	if err := json.Unmarshal(p.s[start:p.i], &s); err != nil {
		p.i = start
		return "", p.fail("invalid string: " + err.Error())
	}
	return s, nil
}

// num reads a JSON number: int64 when it has no fraction or exponent and
// fits, float64 otherwise.
func (p *parser) num() (any, error) {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	intStart := p.i
	if n := digits(); n == 0 {
		return nil, p.fail("invalid number")
	} else if n > 1 && p.s[intStart] == '0' {
		return nil, p.fail("invalid number (leading zero)")
	}
	isInt := true
	if p.peek() == '.' {
		p.i++
		isInt = false
		if digits() == 0 {
			return nil, p.fail("invalid number")
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.i++
		isInt = false
		if c := p.peek(); c == '+' || c == '-' {
			p.i++
		}
		if digits() == 0 {
			return nil, p.fail("invalid number")
		}
	}
	lit := string(p.s[start:p.i])
	if isInt {
		if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		// Out of range: JSON allows it, float64 cannot hold it.
		p.i = start
		return nil, p.fail("number out of range: " + lit)
	}
	return f, nil
}

// ParseLine parses one event line (without its newline) as Next would,
// without the trace checks (time order, trailer, kind list): for a replay
// that validated the whole file with Next and re-reads lines on demand.
// Strings are interned with the Reader's table.
func (r *Reader) ParseLine(line []byte) (Event, error) {
	return r.parseEvent(line)
}
