package main

// The hostile corpus: files a new user or a broken generator would write,
// each run through the built binary. Every case asserts the exit code and,
// for invalid input, the file:line:col of the message and a phrase of it.
// Cases are generated from a small valid topology and scenario by
// replacing one value, so positions are computed, not hand-typed.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// item is one table of a generated TOML file; kv keeps key order.
type item struct {
	header string // "[[site]]", "[defaults.bgp]" or "" (top level)
	kv     [][2]string
}

// doc is a generated TOML file. render returns the text and the position
// (line:col of the value) of every "itemIndex.key".
type doc []item

func (d doc) clone() doc {
	out := make(doc, len(d))
	for i, it := range d {
		out[i] = item{header: it.header, kv: append([][2]string(nil), it.kv...)}
	}
	return out
}

// set replaces (or appends) key in item i.
func (d doc) set(i int, key, val string) doc {
	out := d.clone()
	for j, kv := range out[i].kv {
		if kv[0] == key {
			out[i].kv[j][1] = val
			return out
		}
	}
	out[i].kv = append(out[i].kv, [2]string{key, val})
	return out
}

func (d doc) add(it item) doc { return append(d.clone(), it) }

func (d doc) render() (string, map[string]string) {
	var b strings.Builder
	pos := map[string]string{}
	line := 1
	for i, it := range d {
		if it.header != "" {
			b.WriteString(it.header + "\n")
			pos[fmt.Sprintf("%d", i)] = fmt.Sprintf("%d:1", line)
			line++
		}
		for _, kv := range it.kv {
			fmt.Fprintf(&b, "%s = %s\n", kv[0], kv[1])
			pos[fmt.Sprintf("%d.%s", i, kv[0])] = fmt.Sprintf("%d:%d", line, len(kv[0])+4)
			line++
		}
		b.WriteString("\n")
		line++
	}
	return b.String(), pos
}

// baseTopology: two sites, two facilities, two routers each side, two
// links, two sessions. Item indices are used by the cases below.
func baseTopology() doc {
	return doc{
		/*0*/ {"", [][2]string{{"name", `"hostile"`}}},
		/*1*/ {"[defaults.bgp]", [][2]string{{"keepalive", `"30s"`}, {"hold", `"90s"`}}},
		/*2*/ {"[[site]]", [][2]string{{"name", `"a"`}, {"provider", `"aws"`}, {"asn", "64512"}, {"prefixes", `["10.1.0.0/16"]`}}},
		/*3*/ {"[[site]]", [][2]string{{"name", `"b"`}, {"provider", `"generic"`}, {"asn", "65001"}, {"prefixes", `["192.168.0.0/16"]`}}},
		/*4*/ {"[[facility]]", [][2]string{{"name", `"f1"`}}},
		/*5*/ {"[[facility]]", [][2]string{{"name", `"f2"`}}},
		/*6*/ {"[[router]]", [][2]string{{"name", `"a1"`}, {"site", `"a"`}, {"facility", `"f1"`}}},
		/*7*/ {"[[router]]", [][2]string{{"name", `"b1"`}, {"site", `"b"`}, {"facility", `"f1"`}}},
		/*8*/ {"[[router]]", [][2]string{{"name", `"a2"`}, {"site", `"a"`}, {"facility", `"f2"`}}},
		/*9*/ {"[[router]]", [][2]string{{"name", `"b2"`}, {"site", `"b"`}, {"facility", `"f2"`}}},
		/*10*/ {"[[link]]", [][2]string{{"name", `"x1"`}, {"a", `"a1"`}, {"b", `"b1"`}, {"capacity", `"10Gbps"`}, {"latency", `"1ms"`}}},
		/*11*/ {"[[link]]", [][2]string{{"name", `"x2"`}, {"a", `"a2"`}, {"b", `"b2"`}, {"capacity", `"10Gbps"`}}},
		/*12*/ {"[[session]]", [][2]string{{"a", `"a1"`}, {"b", `"b1"`}, {"bfd", `{ interval = "300ms", multiplier = 3 }`}}},
		/*13*/ {"[[session]]", [][2]string{{"a", `"a2"`}, {"b", `"b2"`}, {"hold", `"90s"`}, {"keepalive", `"30s"`}}},
	}
}

// baseScenario runs over topology file "t.toml".
func baseScenario() doc {
	return doc{
		/*0*/ {"", [][2]string{{"name", `"s"`}, {"topology", `"t.toml"`}, {"seed", "1"}, {"duration", `"10m"`}}},
		/*1*/ {"[[traffic]]", [][2]string{{"name", `"d"`}, {"from", `"a"`}, {"to", `"b"`}, {"rate", `"5Gbps"`}}},
		/*2*/ {"[[fault]]", [][2]string{{"at", `"1m"`}, {"kind", `"link-down"`}, {"target", `"x1"`}, {"repair", `"2m"`}}},
		/*3*/ {"[[expect]]", [][2]string{{"metric", `"loss.ratio"`}, {"demand", `"d"`}, {"max", `"5%"`}}},
	}
}

type hostileCase struct {
	name     string
	args     []string          // after the files are written; "T" and "S" name them
	files    map[string]string // name → content, written into a temp dir
	env      []string
	wantCode int
	wantPos  string // "file:line:col" that must start a stderr line ("" = any)
	wantMsg  string // phrase in stderr
}

// topoCase validates a topology with item i's key set to val.
func topoCase(name string, d doc, i int, key, val string, code int, msg string) hostileCase {
	d = d.set(i, key, val)
	text, pos := d.render()
	c := hostileCase{name: "topology/" + name, args: []string{"topology", "validate", "T"},
		files: map[string]string{"t.toml": text}, wantCode: code, wantMsg: msg}
	if code == exitInvalid {
		c.wantPos = "t.toml:" + keyPos(pos[fmt.Sprintf("%d.%s", i, key)], msg)
	}
	return c
}

// keyPos moves a value's position to its key's (column 1) for messages
// about the key itself.
func keyPos(p, msg string) string {
	if strings.HasPrefix(msg, "unknown key") {
		return p[:strings.IndexByte(p, ':')] + ":1"
	}
	return p
}

// scenCase runs a scenario with item i's key set to val, over the base
// topology (or top, if given).
func scenCase(name string, d doc, i int, key, val string, code int, msg string) hostileCase {
	d = d.set(i, key, val)
	text, pos := d.render()
	ttext, _ := baseTopology().render()
	c := hostileCase{name: "scenario/" + name, args: []string{"run", "S"},
		files: map[string]string{"s.toml": text, "t.toml": ttext}, wantCode: code, wantMsg: msg}
	if code == exitInvalid {
		c.wantPos = "s.toml:" + keyPos(pos[fmt.Sprintf("%d.%s", i, key)], msg)
	}
	return c
}

func hostileCases() []hostileCase {
	var cs []hostileCase
	top := baseTopology()
	add := func(c hostileCase) { cs = append(cs, c) }

	// The base files are valid.
	tt, _ := top.render()
	st, _ := baseScenario().render()
	add(hostileCase{name: "topology/base is valid", args: []string{"topology", "validate", "T"}, files: map[string]string{"t.toml": tt}, wantCode: 0, wantMsg: ""})
	add(hostileCase{name: "scenario/base is valid", args: []string{"run", "S"}, files: map[string]string{"s.toml": st, "t.toml": tt}, wantCode: 0})

	// AS numbers on sites and routers.
	for _, v := range []struct{ val, msg string }{
		{"0", "out of range"}, {"-1", "out of range"}, {"4294967296", "out of range"},
		{"23456", "AS_TRANS"}, {"65535", "reserved (RFC 7300)"}, {"4294967295", "reserved (RFC 7300)"},
		{`"64512"`, "want an integer"}, {"6.5e4", "want an integer"}, {"true", "want an integer"},
	} {
		add(topoCase("site asn "+v.val, top, 2, "asn", v.val, 2, v.msg))
		add(topoCase("router asn "+v.val, top, 6, "asn", v.val, 2, v.msg))
	}
	// BGP timers, on the session and in [defaults.bgp].
	for _, v := range []struct{ val, msg string }{
		{`"1s"`, "must be 0 or at least 3s"}, {`"2s"`, "must be 0 or at least 3s"}, {`"2.9s"`, "must be 0 or at least 3s"},
		{`"65536s"`, "above 18h12m15s"}, {`"100000h"`, "above 18h12m15s"}, {`"3.5s"`, "not a whole number of seconds"},
		{`"90.5s"`, "not a whole number of seconds"}, {`"-1s"`, "negative"}, {`"ninety"`, "invalid duration"},
		{"90", "want a duration string"}, {`"60s"`, "less than 3 × keepalive"},
	} {
		add(topoCase("session hold "+v.val, top, 13, "hold", v.val, 2, v.msg))
		add(topoCase("defaults hold "+v.val, top, 1, "hold", v.val, 2, v.msg))
	}
	for _, v := range []struct{ val, msg string }{
		{`"500ms"`, "at least 1s"}, {`"-30s"`, "negative"}, {`"0s"`, "needs hold 0"}, {`"31s"`, "less than 3 × keepalive"},
	} {
		c := topoCase("session keepalive "+v.val, top, 13, "keepalive", v.val, 2, v.msg)
		if strings.Contains(v.msg, "3 ×") {
			c.wantPos = "t.toml:" + mustPos(top, 13, "hold") // blamed on the hold (same rank)
		}
		add(c)
	}
	// BFD.
	for _, v := range []struct{ val, msg string }{
		{`{ interval = "1ns" }`, "below 1ms"}, {`{ interval = "999us" }`, "below 1ms"}, {`{ interval = "1000001ns" }`, "not a whole number of microseconds"},
		{`{ interval = "0s" }`, "must be > 0"}, {`{ interval = "-1ms" }`, "negative"}, {`{ interval = "2h" }`, "above 1h11m34"},
		{`{ multiplier = 0 }`, "out of range"}, {`{ multiplier = 256 }`, "out of range"}, {`{ multiplier = -3 }`, "out of range"},
		{`{ interval = 300 }`, "want a duration string"}, {`{ colour = "red" }`, `unknown key "colour"`}, {`"yes"`, "want a table"},
	} {
		c := topoCase("bfd "+v.val, top, 12, "bfd", v.val, 2, v.msg)
		c.wantPos = "" // inside the inline table: checked by line below
		c.wantMsg = v.msg
		add(c)
	}
	for _, v := range []struct{ val, msg string }{
		{`"1ns"`, "below 1ms"}, {`"0s"`, "must be > 0"}, {`"1500us"`, ""},
	} {
		code := 2
		if v.msg == "" {
			code = 0
		}
		add(topoCase("defaults bfd interval "+v.val, top.add(item{"[defaults.bfd]", [][2]string{{"enabled", "true"}}}), 14, "interval", v.val, code, v.msg))
	}
	// Links.
	for _, v := range []struct{ val, msg string }{
		{`"0bps"`, "capacity must be > 0"}, {`"-1Gbps"`, "negative bandwidth"}, {`"10"`, "bandwidth"}, {`"10 Gbit"`, "bandwidth"},
		{`"10GBps"`, "bandwidth"}, {"10", "want a bandwidth string"}, {`"NaNGbps"`, "bandwidth"}, {`"1e400Gbps"`, "bandwidth"},
	} {
		add(topoCase("link capacity "+v.val, top, 10, "capacity", v.val, 2, v.msg))
	}
	for _, v := range []struct{ key, val, msg string }{
		{"latency", `"-1ms"`, "negative"}, {"latency", `"1 ms"`, "invalid duration"}, {"jitter", `"-1ms"`, "negative"},
		{"carrier_delay", `"-5ms"`, "negative"}, {"a", `"nobody"`, `unknown router "nobody"`}, {"b", `"a1"`, "same router"},
		{"a", `""`, "must not be empty"}, {"macsec", `"yes"`, "want true or false"}, {"srlg", `[""]`, "empty SRLG"},
		{"srlg", `"conduit"`, "want an array"}, {"mtu", "9000", `unknown key "mtu"`},
		{"srlg", "[1]", "want a string"},
	} {
		c := topoCase("link "+v.key+" "+v.val, top, 10, v.key, v.val, 2, v.msg)
		if v.key == "srlg" && strings.HasPrefix(v.val, "[") {
			c.wantPos = ""
		}
		add(c)
	}
	// Routers.
	for _, v := range []struct{ key, val, msg string }{
		{"site", `"nowhere"`, `unknown site "nowhere"`}, {"facility", `"f9"`, `unknown facility "f9"`},
		{"profile", `"cisco"`, `unknown profile "cisco"`}, {"router_id", `"0.0.0.0"`, "must not be 0.0.0.0"},
		{"router_id", `"::1"`, "want an IPv4 address"}, {"router_id", `"1.2.3"`, "want an IPv4 address"},
		{"max_paths", "0", "out of range"}, {"max_paths", "100000", "out of range"}, {"update_delay", `"-1ms"`, "negative"},
		{"boot_time", `"-1m"`, "negative"}, {"fib_install_delay", `"x"`, "invalid duration"}, {"bfd_offloaded", "1", "want true or false"},
		{"name", `""`, "must not be empty"}, {"colour", `"red"`, `unknown key "colour"`},
	} {
		add(topoCase("router "+v.key+" "+v.val, top, 6, v.key, v.val, 2, v.msg))
	}
	// Sites and prefixes.
	for _, v := range []struct{ key, val, msg string }{
		{"provider", `"aws2"`, `unknown provider "aws2"`}, {"provider", "1", "want a string"},
		{"prefixes", `"10.1.0.0/16"`, "want an array"},
	} {
		add(topoCase("site "+v.key+" "+v.val, top, 2, v.key, v.val, 2, v.msg))
	}
	for _, v := range []struct{ val, msg string }{
		{`["10.1.0.1/16"]`, "host bits set"}, {`["10.1.0.0/33"]`, "invalid CIDR"}, {`["999.1.0.0/16"]`, "invalid CIDR"},
		{`["10.1.0.0"]`, "invalid CIDR"}, {`["10.1.0.0/16", "10.1.0.0/16"]`, "listed twice in site"}, {`["192.168.0.0/16"]`, `also originated by site "a"`},
		{`[""]`, "invalid CIDR"}, {`[16]`, "want a string"},
	} {
		c := topoCase("site prefixes "+v.val, top, 2, "prefixes", v.val, 2, v.msg)
		c.wantPos = "" // the element's column: checked by the line
		add(c)
	}
	// Sessions.
	for _, v := range []struct{ key, val, msg string }{
		{"a", `"zz"`, `unknown router "zz"`}, {"b", `"a2"`, "same router"},
		{"over", `"nope"`, "unknown link or LAG"}, {"connect_retry", `"0s"`, "connect_retry must be > 0"},
		{"graceful_restart", `"5000s"`, "above the 4095s"}, {"max_prefix", "-1", "out of range"}, {"rr_client", "true", "needs an iBGP session"},
		{"import_a", `[{ deny = true, local_pref = 10 }]`, "cannot also set attributes"}, {"export_b", `[{ prepend = 33 }]`, "out of range"},
		{"export_b", `[{ add_communities = ["70000:1"] }]`, "invalid community"}, {"import_a", `[{ match_community = "x" }]`, "invalid community"},
		{"import_a", `[{ match_prefixes = ["10.0.0.1/8"] }]`, "host bits"}, {"mrai", `"-1s"`, "negative"},
	} {
		c := topoCase("session "+v.key+" "+v.val, top, 13, v.key, v.val, 2, v.msg)
		if strings.HasPrefix(v.val, "[") {
			c.wantPos = ""
		}
		add(c)
	}
	// Pools, tenants, demands, LAGs.
	pool := item{"[[pool]]", [][2]string{{"name", `"p"`}, {"capacity", `"20Gbps"`}, {"links", `["x1", "x2"]`}}}
	for _, v := range []struct{ key, val, msg string }{
		{"capacity", `"0bps"`, "capacity must be > 0"}, {"links", `[]`, "at least one link"}, {"links", `["x9"]`, "unknown link or LAG"},
		{"name", `""`, "must not be empty"},
	} {
		c := topoCase("pool "+v.key+" "+v.val, top.add(pool), 14, v.key, v.val, 2, v.msg)
		if v.val == `["x9"]` {
			c.wantPos = ""
		}
		add(c)
	}
	tenant := item{"[[tenant]]", [][2]string{{"name", `"t"`}, {"rate", `"1Gbps"`}, {"pools", `["p"]`}}}
	for _, v := range []struct{ key, val, msg string }{
		{"rate", `"-1Gbps"`, "negative bandwidth"}, {"pools", `[]`, "at least one pool"}, {"rate", `"lots"`, "bandwidth"},
	} {
		add(topoCase("tenant "+v.key+" "+v.val, top.add(pool).add(tenant), 15, v.key, v.val, 2, v.msg))
	}
	demand := item{"[[demand]]", [][2]string{{"name", `"dm"`}, {"from", `"a"`}, {"to", `"b"`}, {"rate", `"1Gbps"`}}}
	for _, v := range []struct{ key, val, msg string }{
		{"to", `"a"`, "same site"}, {"from", `"zz"`, "unknown site"}, {"rate", `"0bps"`, "rate must be > 0"},
	} {
		add(topoCase("demand "+v.key+" "+v.val, top.add(demand), 14, v.key, v.val, 2, v.msg))
	}
	lag := item{"[[lag]]", [][2]string{{"name", `"g"`}, {"members", `["x1"]`}, {"min_links", "1"}}}
	for _, v := range []struct{ key, val, msg string }{
		{"min_links", "2", "more than the 1 member links"}, {"min_links", "0", "out of range"}, {"members", `[]`, "at least one member"},
		{"name", `"x1"`, "duplicate link name"},
	} {
		add(topoCase("lag "+v.key+" "+v.val, top.add(lag), 14, v.key, v.val, 2, v.msg))
	}
	// Interconnect intents.
	ic := item{"[[interconnect]]", [][2]string{{"kind", `"aws-gcp-multicloud"`}, {"between", `["a", "b"]`}, {"bandwidth", `"10Gbps"`}}}
	for _, v := range []struct{ key, val, msg string }{
		{"kind", `"carrier-pigeon"`, "carrier-pigeon"}, {"between", `["a", "zz"]`, "zz"}, {"bandwidth", `"0bps"`, ""},
	} {
		c := topoCase("interconnect "+v.key+" "+v.val, top.add(ic), 14, v.key, v.val, 2, v.msg)
		c.wantPos = ""
		add(c)
	}

	// Warnings: exit 0 and a warning; exit 2 under --strict.
	for _, v := range []struct {
		name string
		i    int
		key  string
		val  string
		msg  string
	}{
		{"documentation ASN", 2, "asn", "64500", "documentation (RFC 5398)"},
		{"latency of minutes", 10, "latency", `"150s"`, "did you mean 150ms?"},
		{"documentation 4-byte ASN", 6, "asn", "65540", "documentation (RFC 5398)"},
		{"overlapping prefixes", 2, "prefixes", `["10.1.0.0/16", "192.168.1.0/24"]`, "overlaps 192.168.0.0/16"},
	} {
		c := topoCase("warning "+v.name, top, v.i, v.key, v.val, 0, v.msg)
		add(c)
		s := topoCase("strict "+v.name, top, v.i, v.key, v.val, 2, v.msg)
		s.args = append([]string{"--strict"}, s.args...)
		if strings.HasPrefix(v.val, "[") {
			s.wantPos = ""
		}
		add(s)
	}

	// Duplicate names: the second definition is blamed.
	for _, v := range []struct {
		i         int
		val, kind string
	}{{3, `"a"`, "site"}, {5, `"f1"`, "facility"}, {7, `"a1"`, "router"}, {11, `"x1"`, "link"}} {
		add(topoCase("duplicate "+v.kind, top, v.i, "name", v.val, 2, "duplicate "+v.kind+" name"))
	}
	nolink := topoCase("session with no link", top, 13, "b", `"b1"`, 2, "no link or LAG between a2 and b1")
	nolink.wantPos = "t.toml:" + mustPos(top, 13, "") // at the [[session]] header
	add(nolink)
	add(topoCase("session over another pair's link", top, 12, "over", `"x2"`, 2, "connects a2–b2"))
	add(topoCase("second session on one link", top.add(item{"[[session]]", [][2]string{{"a", `"b1"`}, {"b", `"a1"`}}}), 14, "b", `"a1"`, 2, "a second session between b1 and a1 over x1"))

	// Empty and near-empty topologies.
	for name, text := range map[string]string{
		"empty file": "", "comment only": "# nothing here\n", "blank lines": "\n\n\n", "name only": "name = \"x\"\n",
		"facility only": "[[facility]]\nname = \"f\"\n",
	} {
		add(hostileCase{name: "topology/" + name, args: []string{"topology", "validate", "T"}, files: map[string]string{"t.toml": text},
			wantCode: 2, wantPos: "t.toml:1:1", wantMsg: "site"})
	}

	add(hostileCase{name: "scenario/empty inline topology", args: []string{"run", "S"},
		files: map[string]string{"s.toml": "name = \"s\"\nduration = \"1m\"\n\n[topology]\n"}, wantCode: 2, wantPos: "s.toml:4:1: topology: empty topology"})

	// Syntax errors at a known line.
	for k, bad := range []string{`= = =`, `[[`, `key = "unterminated`, `key = [1, 2`, `key = { a = 1`, `[site`, `key = 1979-13-45`, "key = \"\x00\"", `"a" "b" = 1`, `key = 0x`} {
		text, _ := top.render()
		lines := strings.Split(text, "\n")
		at := 3 + 4*k%20
		lines = append(lines[:at], append([]string{bad}, lines[at:]...)...)
		line := at + 1
		if bad == `key = [1, 2` || bad == `key = { a = 1` {
			line++ // an unclosed array or table is found on the next line
		}
		add(hostileCase{name: fmt.Sprintf("topology/syntax %q", bad), args: []string{"topology", "validate", "T"},
			files: map[string]string{"t.toml": strings.Join(lines, "\n")}, wantCode: 2, wantPos: fmt.Sprintf("t.toml:%d:", line)})
	}

	// Scenarios.
	sc := baseScenario()
	for _, v := range []struct {
		i             int
		key, val, msg string
	}{
		{0, "duration", `"0s"`, "must be positive"}, {0, "duration", `"-1m"`, "negative"}, {0, "duration", "600", "want a duration"},
		{0, "settle", `"0s"`, "settle"}, {0, "max_warmup", `"0s"`, "must be positive"}, {0, "seed", "-1", "out of range"},
		{0, "max_events", "0", "out of range"}, {0, "topology", `"nope.toml"`, "no such file"}, {0, "topology", "42", "want a path string"},
		{0, "max_faults", "0", "out of range"}, {0, "colour", `"red"`, `unknown key "colour"`}, {0, "elastic", `"yes"`, "want true or false"},
		{1, "to", `"a"`, "to itself"}, {1, "from", `"zz"`, `unknown site "zz"`}, {1, "to", `"10.1.0.1/16"`, "host bits"},
		{1, "rate", `"0bps"`, "carries nothing"}, {1, "rate", `"-5Gbps"`, "negative bandwidth"}, {1, "rate", `"fast"`, "bandwidth"},
		{1, "name", `""`, "must not be empty"},
		{2, "repair", `"0s"`, `repair = "0s"`}, {2, "repair", `"-1m"`, "negative"}, {2, "at", `"-1m"`, "negative"},
		{2, "at", `"10m"`, "not before the end"}, {2, "at", `"1h"`, "not before the end"}, {2, "target", `"x9"`, "unknown link"},
		{2, "kind", `"link-explode"`, "link-explode"}, {2, "colour", `"red"`, `does not take "colour"`},
		{3, "max", `"150%"`, "above 100%"}, {3, "max", `"-5%"`, "negative"}, {3, "min", `"101%"`, "above 100%"},
		{3, "metric", `"loss.rate"`, "unknown metric"}, {3, "demand", `"nope"`, `unknown demand "nope"`},
	} {
		add(scenCase(fmt.Sprintf("%d %s %s", v.i, v.key, v.val), sc, v.i, v.key, v.val, 2, v.msg))
	}
	for _, v := range []struct{ key, val, msg string }{
		{"max", `"-1s"`, "negative"}, {"equal", `"-1s"`, "negative"},
	} {
		d := sc.set(3, "metric", `"failover.max"`).set(3, "max", `"1s"`)
		add(scenCase("failover "+v.key+" "+v.val, d, 3, v.key, v.val, 2, v.msg))
	}
	// Degraded above capacity, profiles out of order.
	deg := sc.set(2, "kind", `"link-degrade"`).set(2, "capacity", `"5Gbps"`)
	add(scenCase("degrade within capacity", deg, 2, "capacity", `"5Gbps"`, 0, ""))
	add(scenCase("degrade above capacity", deg, 2, "capacity", `"40Gbps"`, 2, "above the link's capacity 10Gbps"))
	add(scenCase("profile out of order", sc, 1, "profile", `[{ at = "5m", rate = "1Gbps" }, { at = "2m", rate = "2Gbps" }]`, 2, "not after the previous one"))
	add(scenCase("profile twice at one time", sc, 1, "profile", `[{ at = "5m", rate = "1Gbps" }, { at = "5m", rate = "2Gbps" }]`, 2, "not after the previous one"))
	add(scenCase("profile after the end", sc, 1, "profile", `[{ at = "50m", rate = "1Gbps" }]`, 2, "not before the end"))
	add(scenCase("rate 0 raised by a profile", sc.set(1, "rate", `"0bps"`), 1, "profile", `[{ at = "5m", rate = "1Gbps" }]`, 0, ""))
	for k := range cs {
		// An unknown key is reported at the key, not at its value: check the line.
		if strings.HasPrefix(cs[k].name, "scenario/profile") || strings.Contains(cs[k].name, "colour") {
			cs[k].wantPos = cs[k].wantPos[:strings.LastIndexByte(cs[k].wantPos, ':')+1]
		}
	}
	// Random classes.
	rnd := item{"[[random]]", [][2]string{{"class", `"c"`}, {"kind", `"link-down"`}, {"mtbf", `"exp(12h)"`}, {"mttr", `"exp(20m)"`}}}
	rsc := sc.add(rnd)
	add(scenCase("random valid", rsc, 4, "mtbf", `"exp(12h)"`, 0, ""))
	for _, v := range []struct{ key, val, msg string }{
		{"mtbf", `"exp(0s)"`, ""},
		{"mtbf", `"exp(-1h)"`, ""}, {"mtbf", `"gauss(1h)"`, ""}, {"mttr", `"weibull(k=0, scale=1h)"`, ""},
		{"kind", `"link-explode"`, ""}, {"components", `["x9"]`, "x9"}, {"components", `["x1", "x1"]`, "listed twice"},
		{"class", `"a/b"`, "may not contain"},
	} {
		c := scenCase("random "+v.key+" "+v.val, rsc, 4, v.key, v.val, 2, v.msg)
		if v.key == "components" || v.key == "class" || v.key == "kind" {
			c.wantPos = ""
		}
		add(c)
	}
	// Bombs: the expected count (components × duration / (mean up + mean
	// down)) is over max_faults.
	for _, v := range []struct{ mtbf, mttr string }{
		{`"exp(1ns)"`, `"exp(1ns)"`}, {`"fixed(1us)"`, `"fixed(1us)"`}, {`"exp(1ms)"`, `"lognormal(median=1ms, sigma=0.5)"`},
		{`"weibull(k=1.5, scale=10us)"`, `"exp(1us)"`},
		// A heavy tail: a mean of e^200 µs, a typical draw of 1µs.
		{`"lognormal(median=1us, sigma=20)"`, `"lognormal(median=1us, sigma=20)"`},
	} {
		add(scenCase("random bomb "+v.mtbf, rsc.set(4, "mttr", v.mttr), 4, "mtbf", v.mtbf, 2, "would draw about"))
	}
	add(scenCase("fault id of a random fault", rsc, 2, "id", `"r1"`, 2, "is the name of a random fault"))
	add(scenCase("fault id r1 without random classes", sc, 2, "id", `"r1"`, 0, ""))
	dup := rsc.add(rnd)
	text, pos := dup.render()
	add(hostileCase{name: "scenario/random class twice", args: []string{"run", "S"}, files: map[string]string{"s.toml": text, "t.toml": tt},
		wantCode: 2, wantPos: "s.toml:" + pos["5.class"], wantMsg: `class "c" defined twice (first at`})
	add(scenCase("max_faults below the scripted", sc, 0, "max_faults", "1", 0, ""))
	two := sc.add(sc[2])
	text, _ = two.set(0, "max_faults", "1").render()
	add(hostileCase{name: "scenario/more faults than max_faults", args: []string{"run", "S"}, files: map[string]string{"s.toml": text, "t.toml": tt},
		wantCode: 2, wantPos: "s.toml:", wantMsg: "2 faults, more than max_faults = 1"})
	// A prefix nobody originates: a warning; an error under --strict.
	w := scenCase("to a prefix nobody originates", sc, 1, "to", `"172.16.0.0/12"`, 1, "warning: no site originates")
	add(w)
	ws := scenCase("strict to a prefix nobody originates", sc, 1, "to", `"172.16.0.0/12"`, 2, "warning: no site originates")
	ws.args = append([]string{"--strict"}, ws.args...)
	add(ws)

	// Files that are not files, too big, too deep, too long.
	add(hostileCase{name: "file/dev-zero", args: []string{"topology", "validate", "/dev/zero"}, wantCode: 2, wantPos: "/dev/zero: ", wantMsg: "not a regular file (a character device)"})
	add(hostileCase{name: "file/directory", args: []string{"topology", "validate", "DIR"}, wantCode: 2, wantMsg: "not a regular file (a directory)"})
	add(hostileCase{name: "file/scenario dev-zero", args: []string{"run", "/dev/zero"}, wantCode: 2, wantMsg: "not a regular file"})
	add(hostileCase{name: "file/scenario topology dev-zero", args: []string{"run", "S"}, files: map[string]string{"s.toml": mustRender(sc.set(0, "topology", `"/dev/zero"`))},
		wantCode: 2, wantPos: "s.toml:2:12", wantMsg: "not a regular file"})
	add(hostileCase{name: "file/over the size limit", args: []string{"topology", "validate", "T"}, files: map[string]string{"t.toml": tt},
		env: []string{"NETDRILL_MAX_FILE_SIZE=100"}, wantCode: 2, wantMsg: "over the limit of 100 bytes (set NETDRILL_MAX_FILE_SIZE"})
	add(hostileCase{name: "file/limit raised", args: []string{"topology", "validate", "T"}, files: map[string]string{"t.toml": tt},
		env: []string{"NETDRILL_MAX_FILE_SIZE=1MB"}, wantCode: 0})
	add(hostileCase{name: "file/bad limit", args: []string{"topology", "validate", "T"}, files: map[string]string{"t.toml": tt},
		env: []string{"NETDRILL_MAX_FILE_SIZE=lots"}, wantCode: 2, wantMsg: "NETDRILL_MAX_FILE_SIZE"})
	add(hostileCase{name: "file/nested 20k deep", args: []string{"topology", "validate", "T"},
		files: map[string]string{"t.toml": "a = " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"}, wantCode: 2, wantPos: "t.toml:1:69", wantMsg: "nested more than 64 levels"})
	add(hostileCase{name: "file/inline tables nested deep", args: []string{"run", "S"},
		files: map[string]string{"s.toml": "x = " + strings.Repeat("{a=", 5000) + "1" + strings.Repeat("}", 5000) + "\n"}, wantCode: 2, wantMsg: "nested more than 64 levels"})
	add(hostileCase{name: "file/array too long", args: []string{"topology", "validate", "T"},
		files: map[string]string{"t.toml": "a = [" + strings.Repeat("1,", 1<<20) + "]\n"}, wantCode: 2, wantPos: "t.toml:1:5", wantMsg: "more than 1048576 elements"})
	add(hostileCase{name: "file/too many tables", args: []string{"topology", "validate", "T"},
		files: map[string]string{"t.toml": strings.Repeat("[[x]]\n", 500_001)}, wantCode: 2, wantPos: "t.toml:500001:1", wantMsg: "more than 500000 tables"})
	add(hostileCase{name: "file/missing", args: []string{"topology", "validate", "nope.toml"}, wantCode: 2, wantMsg: "no such file"})
	add(hostileCase{name: "file/binary garbage", args: []string{"topology", "validate", "T"}, files: map[string]string{"t.toml": "\xff\xfe\x00\x01garbage"}, wantCode: 2, wantPos: "t.toml:1:"})

	// Flags and the panic hook.
	add(hostileCase{name: "flags/workers -3", args: []string{"check", "--workers", "-3", "S"}, files: map[string]string{"s.toml": st, "t.toml": tt}, wantCode: 2, wantMsg: "--workers -3: must be ≥ 0"})
	add(hostileCase{name: "flags/max-wall -1s", args: []string{"run", "--max-wall", "-1s"}, wantCode: 2, wantMsg: "--max-wall -1s: must be ≥ 0"})
	add(hostileCase{name: "flags/check max-wall -1s", args: []string{"check", "--max-wall=-1s", "S"}, files: map[string]string{"s.toml": st, "t.toml": tt}, wantCode: 2, wantMsg: "--max-wall -1s"})
	add(hostileCase{name: "flags/max-trace -1MB", args: []string{"run", "--max-trace", "-1MB"}, wantCode: 2, wantMsg: "--max-trace"})
	add(hostileCase{name: "flags/max-trace no unit", args: []string{"run", "--max-trace", "500"}, wantCode: 2, wantMsg: "--max-trace"})
	add(hostileCase{name: "flags/unknown flag", args: []string{"run", "--colour"}, wantCode: 2, wantMsg: "unknown flag"})
	add(hostileCase{name: "panic/at the command boundary", args: []string{"topology", "validate", "T"}, files: map[string]string{"t.toml": tt},
		env: []string{testPanicEnv + "=1"}, wantCode: 3, wantMsg: "internal error (a bug, not your input)"})
	add(hostileCase{name: "panic/in a run", args: []string{"run", "S"}, files: map[string]string{"s.toml": st, "t.toml": tt},
		env: []string{testPanicEnv + "=run"}, wantCode: 3, wantMsg: "stack in "})
	add(hostileCase{name: "panic/in a check worker", args: []string{"check", "S"}, files: map[string]string{"s.toml": st, "t.toml": tt},
		env: []string{testPanicEnv + "=run"}, wantCode: 3, wantMsg: "stack in "})
	return cs
}

func mustRender(d doc) string { s, _ := d.render(); return s }

func mustPos(d doc, i int, key string) string {
	_, p := d.render()
	if key == "" {
		return p[fmt.Sprint(i)]
	}
	return p[fmt.Sprintf("%d.%s", i, key)]
}

func TestHostileCorpus(t *testing.T) {
	cases := hostileCases()
	if len(cases) < 200 {
		t.Errorf("the corpus has %d cases, want ≥ 200", len(cases))
	}
	stackRe := regexp.MustCompile(`stack in (\S+)`)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, text := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := make([]string, len(c.args))
			for i, a := range c.args {
				switch a {
				case "T":
					args[i] = "t.toml"
				case "S":
					args[i] = "s.toml"
				case "DIR":
					args[i] = dir
				default:
					args[i] = a
				}
			}
			cmd := exec.Command(binary, args...)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), c.env...)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
				if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					t.Fatalf("killed by %v", ws.Signal())
				}
			} else if err != nil {
				t.Fatal(err)
			}
			out := stderr.String()
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s\nfile:\n%s", code, c.wantCode, stdout.String(), out, c.files["t.toml"]+c.files["s.toml"])
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
				t.Errorf("a Go stack on stderr:\n%s", out)
			}
			if c.wantMsg != "" && !strings.Contains(out+stdout.String(), c.wantMsg) {
				t.Errorf("output lacks %q:\nstdout:\n%s\nstderr:\n%s", c.wantMsg, stdout.String(), out)
			}
			if c.wantPos != "" && !strings.HasPrefix(out, c.wantPos) && !strings.Contains(out, "\n"+c.wantPos) {
				t.Errorf("no message at %q:\n%s", c.wantPos, out)
			}
			if c.wantCode == exitInvalid && c.wantPos == "" && !strings.HasPrefix(c.name, "flags/") && !regexp.MustCompile(`(?m)^\S+?(:\d+:\d+)?: `).MatchString(out) {
				t.Errorf("message not positioned:\n%s", out)
			}
			if c.wantCode == exitInternal {
				if n := strings.Count(strings.TrimSpace(out), "\n"); n > 0 && !strings.HasPrefix(c.args[0], "check") {
					t.Errorf("want one line on stderr, got %d:\n%s", n+1, out)
				}
				m := stackRe.FindStringSubmatch(out + stdout.String())
				if m == nil {
					t.Fatalf("no stack file named:\n%s", out)
				}
				b, err := os.ReadFile(m[1])
				if err != nil || !strings.Contains(string(b), "goroutine") {
					t.Errorf("stack file %s: %v\n%s", m[1], err, b)
				}
				os.Remove(m[1])
			}
		})
	}
}
