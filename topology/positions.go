package topology

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BurntSushi/toml keeps key positions private, and for arrays of tables it
// keeps one position per key name rather than per element. So, once the
// document has parsed, this small scanner walks it again and records where
// every key path ("link[3].capacity", "session[0].export_b[1].prepend") and its
// value start. It assumes valid TOML (the real parser has accepted it) but
// never panics or loops on anything else.

// pos is a 1-based line and column (in characters).
type pos struct{ Line, Col int }

// keyPos is where a key and its value start. For a table header, both are
// the header.
type keyPos struct{ key, val pos }

type posIndex map[string]keyPos

func joinKey(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func indexKey(parent string, i int) string { return parent + "[" + strconv.Itoa(i) + "]" }

type posScanner struct {
	src        string
	i          int
	lineStarts []int
	idx        posIndex
	arrays     map[string]int // array-of-tables path → elements seen
	steps      int
	// The last position computed: positions are asked for mostly in
	// increasing order, so counting from it keeps the scan linear (a line
	// with 100k array elements would otherwise be quadratic).
	lastI, lastLine, lastCol int
}

func indexPositions(src string) posIndex {
	s := &posScanner{src: src, idx: posIndex{}, arrays: map[string]int{}, lineStarts: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			s.lineStarts = append(s.lineStarts, i+1)
		}
	}
	s.document()
	return s.idx
}

func (s *posScanner) posAt(i int) pos {
	if i > len(s.src) {
		i = len(s.src)
	}
	// Count on from the last position when i is later on its line and the
	// last position starts a character (else a split character would be
	// counted twice).
	if s.lastLine > 0 && i >= s.lastI && (s.lastLine == len(s.lineStarts) || i < s.lineStarts[s.lastLine]) &&
		(s.lastI == len(s.src) || utf8.RuneStart(s.src[s.lastI])) {
		s.lastCol += utf8.RuneCountInString(s.src[s.lastI:i])
		s.lastI = i
		return pos{Line: s.lastLine, Col: s.lastCol}
	}
	line := sort.Search(len(s.lineStarts), func(k int) bool { return s.lineStarts[k] > i })
	start := s.lineStarts[line-1]
	s.lastI, s.lastLine, s.lastCol = i, line, utf8.RuneCountInString(s.src[start:i])+1
	return pos{Line: line, Col: s.lastCol}
}

func (s *posScanner) eof() bool { return s.i >= len(s.src) }

func (s *posScanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.i]
}

// skipSpace skips blanks; with newlines, also line ends and comments.
func (s *posScanner) skipSpace(newlines bool) {
	for !s.eof() {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t':
			s.i++
		case c == '#':
			for !s.eof() && s.src[s.i] != '\n' {
				s.i++
			}
		case newlines && (c == '\n' || c == '\r'):
			s.i++
		default:
			return
		}
	}
}

func (s *posScanner) skipLine() {
	for !s.eof() && s.src[s.i] != '\n' {
		s.i++
	}
}

func (s *posScanner) record(path string, k, v pos) {
	if _, ok := s.idx[path]; !ok {
		s.idx[path] = keyPos{key: k, val: v}
	}
}

// resolve turns header segments into a path, stepping into the last element
// of every array of tables on the way.
func (s *posScanner) resolve(segs []string) string {
	p := ""
	for _, seg := range segs {
		p = joinKey(p, seg)
		if n := s.arrays[p]; n > 0 {
			p = indexKey(p, n-1)
		}
	}
	return p
}

func (s *posScanner) document() {
	cur := ""
	for {
		s.skipSpace(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.peek() == '[' {
			array := strings.HasPrefix(s.src[s.i:], "[[")
			if array {
				s.i += 2
			} else {
				s.i++
			}
			s.skipSpace(false)
			segs := s.key()
			s.skipLine()
			if len(segs) == 0 {
				continue
			}
			p := s.posAt(start)
			if array {
				parent := s.resolve(segs[:len(segs)-1])
				full := joinKey(parent, segs[len(segs)-1])
				n := s.arrays[full]
				s.arrays[full] = n + 1
				s.record(full, p, p)
				cur = indexKey(full, n)
			} else {
				cur = s.resolve(segs)
			}
			s.record(cur, p, p)
			continue
		}
		before := s.i
		s.keyValue(cur)
		if s.i == before {
			s.skipLine() // not a key: give up on this line
		}
	}
}

// keyValue reads `key = value` under parent.
func (s *posScanner) keyValue(parent string) {
	kstart := s.i
	segs := s.key()
	if len(segs) == 0 {
		return
	}
	s.skipSpace(false)
	if s.peek() != '=' {
		return
	}
	s.i++
	s.skipSpace(false)
	path := parent
	for _, seg := range segs {
		path = joinKey(path, seg)
	}
	s.record(path, s.posAt(kstart), s.posAt(s.i))
	s.value(path)
}

// key reads a possibly dotted key and returns its segments.
func (s *posScanner) key() []string {
	var segs []string
	for !s.eof() {
		s.skipSpace(false)
		var seg string
		switch c := s.peek(); {
		case c == '"':
			raw := s.basicString()
			if u, err := strconv.Unquote(raw); err == nil {
				seg = u
			} else if len(raw) >= 2 {
				seg = raw[1 : len(raw)-1]
			}
		case c == '\'':
			raw := s.literalString()
			if len(raw) >= 2 {
				seg = raw[1 : len(raw)-1]
			}
		case isBare(c):
			j := s.i
			for !s.eof() && isBare(s.src[s.i]) {
				s.i++
			}
			seg = s.src[j:s.i]
		default:
			return segs
		}
		segs = append(segs, seg)
		s.skipSpace(false)
		if s.peek() != '.' {
			return segs
		}
		s.i++
	}
	return segs
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func (s *posScanner) basicString() string {
	j := s.i
	s.i++ // opening quote
	for !s.eof() {
		switch s.src[s.i] {
		case '\\':
			s.i += 2
			continue
		case '"':
			s.i++
			return s.src[j:min(s.i, len(s.src))]
		case '\n':
			return s.src[j:s.i]
		}
		s.i++
	}
	s.i = min(s.i, len(s.src))
	return s.src[j:s.i]
}

func (s *posScanner) literalString() string {
	j := s.i
	s.i++
	for !s.eof() {
		switch s.src[s.i] {
		case '\'':
			s.i++
			return s.src[j:s.i]
		case '\n':
			return s.src[j:s.i]
		}
		s.i++
	}
	return s.src[j:s.i]
}

func (s *posScanner) multiline(delim string, escapes bool) {
	s.i += 3
	for !s.eof() {
		if escapes && s.src[s.i] == '\\' {
			s.i += 2
			continue
		}
		if strings.HasPrefix(s.src[s.i:], delim) {
			s.i += 3
			for k := 0; k < 2 && s.peek() == delim[0]; k++ {
				s.i++
			}
			return
		}
		s.i++
	}
	s.i = min(s.i, len(s.src))
}

// value skips one value, recording the positions of array elements and
// inline-table keys under path.
func (s *posScanner) value(path string) {
	s.steps++
	if s.steps > 1<<22 {
		s.i = len(s.src)
		return
	}
	switch c := s.peek(); {
	case strings.HasPrefix(s.src[s.i:], `"""`):
		s.multiline(`"""`, true)
	case strings.HasPrefix(s.src[s.i:], `'''`):
		s.multiline(`'''`, false)
	case c == '"':
		s.basicString()
	case c == '\'':
		s.literalString()
	case c == '[':
		s.i++
		for n := 0; ; n++ {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if s.peek() == ']' {
				s.i++
				return
			}
			el := indexKey(path, n)
			p := s.posAt(s.i)
			s.record(el, p, p)
			before := s.i
			s.value(el)
			s.skipSpace(true)
			if s.peek() == ',' {
				s.i++
			} else if s.i == before {
				s.i++ // not a value: step over it
			}
		}
	case c == '{':
		s.i++
		for {
			s.skipSpace(true)
			if s.eof() {
				return
			}
			if s.peek() == '}' {
				s.i++
				return
			}
			before := s.i
			s.keyValue(path)
			s.skipSpace(true)
			if s.peek() == ',' {
				s.i++
			} else if s.i == before {
				s.i++
			}
		}
	default:
		for !s.eof() {
			switch s.src[s.i] {
			case ',', ']', '}', '\n', '\r', '#':
				return
			}
			s.i++
		}
	}
}
