package main

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/netdrill/netdrill/topology"
)

// An override is one --set KEY=VALUE (or --seed, --duration) applied to the
// scenario's TOML text before it is loaded, so that every error keeps its
// file:line:col and a bad value is reported like one written in the file.
//
// KEY is a top-level key (seed, duration, elastic, max_events, …) or
// SECTION.SELECTOR.KEY for an entry of an array of tables, where SECTION is
// traffic, fault, tenant, random or expect and SELECTOR is the entry's
// name (or id for faults, class for random) or its 0-based index:
// traffic.replication.rate=20Gbps, fault.f1.at=3m, fault.0.repair=1m.
// VALUE is a TOML value; anything that is not one is taken as a string
// (duration=1h is duration="1h").
//
// The value replaces the key's line in place (same line number); a key the
// file does not have is added on a new line after the section's header, and
// the positions of errors after it are moved back by one line so that they
// still point into the user's file.
type override struct {
	flag  string // as given, for messages
	key   string // the last part
	sect  string // "" for a top-level key
	sel   string // selector within sect
	value string // TOML
}

var bareKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func parseOverride(flag, kv string) (override, error) {
	k, v, ok := strings.Cut(kv, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" {
		return override{}, fmt.Errorf("%s %q: want KEY=VALUE, e.g. --set duration=1h or --set traffic.replication.rate=20Gbps", flag, kv)
	}
	o := override{flag: flag + " " + kv, value: tomlValue(v)}
	parts := strings.Split(k, ".")
	switch len(parts) {
	case 1:
		o.key = parts[0]
	case 3:
		o.sect, o.sel, o.key = parts[0], parts[1], parts[2]
	default:
		return override{}, fmt.Errorf("%s %q: KEY is a top-level key (duration) or SECTION.NAME.KEY (traffic.replication.rate)", flag, kv)
	}
	if !bareKey.MatchString(o.key) {
		return override{}, fmt.Errorf("%s %q: key %q is not a plain TOML key", flag, kv, o.key)
	}
	return o, nil
}

// tomlValue returns v if it is a TOML value, else v as a TOML string.
func tomlValue(v string) string {
	var m map[string]any
	if _, err := toml.Decode("v = "+v, &m); err == nil {
		return v
	}
	return strconv.Quote(v)
}

// sectionHeader matches "[[name]]" (an entry of an array of tables) and
// "[name]" headers.
var sectionHeader = regexp.MustCompile(`^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?`)

// keyLine matches "key = " at the start of a line.
func keyLine(line, key string) bool {
	t := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(t, key) {
		return false
	}
	t = strings.TrimLeft(t[len(key):], " \t")
	return strings.HasPrefix(t, "=")
}

// insertion is a line added by an override: its 1-based line number in the
// edited text and the flag that added it.
type insertion struct {
	line     int
	flag     string
	replaced bool // the line was the file's own, its value replaced in place
}

// applyOverrides edits the scenario text. It returns the new text and the
// lines it inserted (to map positions back). Errors name the flag.
func applyOverrides(data []byte, ovs []override) ([]byte, []insertion, error) {
	lines := strings.Split(string(data), "\n")
	var inserted []insertion
	for _, o := range ovs {
		// The range of lines [from, to) that holds the section's keys.
		from, to := 0, len(lines)
		for i, l := range lines {
			if sectionHeader.MatchString(l) {
				to = i
				break
			}
		}
		headerAt := -1
		if o.sect != "" {
			var starts []int
			for i, l := range lines {
				if m := sectionHeader.FindStringSubmatch(l); m != nil && strings.HasPrefix(strings.TrimSpace(l), "[[") && m[1] == o.sect {
					starts = append(starts, i)
				}
			}
			if len(starts) == 0 {
				return nil, nil, fmt.Errorf("%s: the scenario has no [[%s]]", o.flag, o.sect)
			}
			end := func(s int) int {
				for i := s + 1; i < len(lines); i++ {
					if sectionHeader.MatchString(lines[i]) {
						return i
					}
				}
				return len(lines)
			}
			found := -1
			if n, err := strconv.Atoi(o.sel); err == nil {
				if n < 0 || n >= len(starts) {
					return nil, nil, fmt.Errorf("%s: the scenario has %d [[%s]] entries (0-based index)", o.flag, len(starts), o.sect)
				}
				found = starts[n]
			} else {
				var names []string
				for _, s := range starts {
					for _, nk := range []string{"name", "id", "class"} {
						if v, ok := entryValue(lines[s+1:end(s)], nk); ok {
							names = append(names, v)
							if v == o.sel && found < 0 {
								found = s
							}
							break
						}
					}
				}
				if found < 0 {
					return nil, nil, fmt.Errorf("%s: no [[%s]] named %q%s", o.flag, o.sect, o.sel, topology.DidYouMean(o.sel, names))
				}
			}
			headerAt, from, to = found, found+1, end(found)
		}
		done := false
		for i := from; i < to; i++ {
			if !keyLine(lines[i], o.key) {
				continue
			}
			// The old value must be complete on its line.
			var m map[string]any
			if _, err := toml.Decode(lines[i], &m); err != nil {
				return nil, nil, fmt.Errorf("%s: the value of %q spans several lines; edit the file instead", o.flag, o.key)
			}
			indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
			lines[i] = indent + o.key + " = " + o.value
			inserted = append(inserted, insertion{line: i + 1, flag: o.flag, replaced: true})
			done = true
			break
		}
		if !done {
			at := headerAt + 1 // top level: line 0
			lines = append(lines[:at], append([]string{o.key + " = " + o.value}, lines[at:]...)...)
			for j := range inserted {
				if inserted[j].line > at {
					inserted[j].line++
				}
			}
			inserted = append(inserted, insertion{line: at + 1, flag: o.flag})
		}
	}
	return []byte(strings.Join(lines, "\n")), inserted, nil
}

// entryValue finds `key = "value"` among an entry's lines.
func entryValue(lines []string, key string) (string, bool) {
	for _, l := range lines {
		if keyLine(l, key) {
			var m map[string]any
			if _, err := toml.Decode(l, &m); err == nil {
				if s, ok := m[key].(string); ok {
					return s, true
				}
			}
		}
	}
	return "", false
}

// mapPositions moves the positions of errors in file back to the user's
// text: an error on an inserted line is attributed to its flag, later
// lines move up.
func mapPositions(err error, file string, inserted []insertion) error {
	var list *topology.ErrorList
	if !errors.As(err, &list) {
		return err
	}
	for _, e := range list.Errors {
		if e.File != file || e.Line == 0 {
			continue
		}
		shift := 0
		for _, in := range inserted {
			if e.Line == in.line {
				e.Msg = fmt.Sprintf("%s (from %s)", e.Msg, in.flag)
				if !in.replaced {
					e.Line, e.Col = 0, 0
					shift = -1
					break
				}
			}
			if in.line < e.Line && !in.replaced {
				shift++
			}
		}
		if shift > 0 {
			e.Line -= shift
		}
	}
	return err
}
