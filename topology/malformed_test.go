package topology

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// base is a valid topology of 18 lines; malformed cases append to it, so
// their line numbers start at 19 (rel 1 = line 19).
const base = `[[site]]
name = "a"
provider = "aws"
[[site]]
name = "b"
provider = "generic"
asn = 65001
[[router]]
name = "ra"
site = "a"
[[router]]
name = "rb"
site = "b"
[[link]]
name = "l1"
a = "ra"
b = "rb"
capacity = "10Gbps"
`

const baseLines = 18

type malformed struct {
	name string
	src  string // appended to base unless full
	full bool
	line int // relative to the appended text (absolute when full)
	col  int
	key  string
	msg  string // substring of the message
}

var malformedCases = []malformed{
	{name: "syntax error", full: true, src: "name = \"x\"\nsite = [\n", line: 2, col: 9, key: "site", msg: "unexpected EOF; expected value"},
	{name: "unterminated string", full: true, src: "name = \"x\n", line: 1, col: 10, msg: "newline"},
	{name: "duplicate TOML key", full: true, src: "name = \"x\"\nname = \"y\"\n", line: 2, col: 1, key: "name", msg: "Key 'name' has already been defined"},
	{name: "unknown top-level key", full: true, src: "colour = \"red\"\n" + base, line: 1, col: 1, key: "colour", msg: `unknown key "colour"`},
	{name: "unknown key in a table above", src: "colour = \"red\"\n", line: 1, col: 1, key: "link[0].colour", msg: `unknown key "colour"`},
	{name: "unknown key in link", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"1Gbps\"\nspeed = \"1Gbps\"\n", line: 6, col: 1, key: "link[1].speed", msg: `unknown key "speed"`},
	{name: "unknown router in link", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"pop-x\"\ncapacity = \"1Gbps\"\n", line: 4, col: 5, key: "link[1].b", msg: `unknown router "pop-x"`},
	{name: "bad bandwidth unit", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"10Gbs\"\n", line: 5, col: 12, key: "link[1].capacity", msg: `unknown bandwidth unit "Gbs"`},
	{name: "bandwidth without unit", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"10\"\n", line: 5, col: 12, key: "link[1].capacity", msg: "has no unit"},
	{name: "bandwidth as a number", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = 10\n", line: 5, col: 12, key: "link[1].capacity", msg: "want a bandwidth string"},
	{name: "zero capacity", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"0Gbps\"\n", line: 5, col: 12, key: "link[1].capacity", msg: "capacity must be > 0"},
	{name: "negative capacity", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"-1Gbps\"\n", line: 5, col: 12, key: "link[1].capacity", msg: "bandwidth cannot be negative"},
	{name: "bad duration", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"1Gbps\"\nlatency = \"5 ms\"\n", line: 6, col: 11, key: "link[1].latency", msg: "invalid duration"},
	{name: "negative duration", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"1Gbps\"\nlatency = \"-5ms\"\n", line: 6, col: 11, key: "link[1].latency", msg: "negative duration"},
	{name: "link ends equal", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"ra\"\ncapacity = \"1Gbps\"\n", line: 4, col: 5, key: "link[1].b", msg: `link ends are the same router "ra"`},
	{name: "duplicate link name", src: "[[link]]\nname = \"l1\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"1Gbps\"\n", line: 2, col: 8, key: "link[1].name", msg: `duplicate link name "l1" (first defined at 14:1)`},
	{name: "duplicate router name", src: "[[router]]\nname = \"ra\"\nsite = \"a\"\n", line: 2, col: 8, key: "router[2].name", msg: `duplicate router name "ra"`},
	{name: "missing link name", src: "[[link]]\na = \"ra\"\nb = \"rb\"\ncapacity = \"1Gbps\"\n", line: 1, col: 1, key: "link[1]", msg: `missing "name"`},
	{name: "wrong type", src: "[[link]]\nname = \"l2\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"1Gbps\"\nmacsec = \"yes\"\n", line: 6, col: 10, key: "link[1].macsec", msg: "want true or false, got string"},
	{name: "invalid CIDR", src: "[[site]]\nname = \"c\"\nprovider = \"gcp\"\nprefixes = [\"10.0.0.0/33\"]\n", line: 4, col: 13, key: "site[2].prefixes[0]", msg: `invalid CIDR prefix "10.0.0.0/33"`},
	{name: "host bits set", src: "[[site]]\nname = \"c\"\nprovider = \"gcp\"\nprefixes = [\"10.2.0.0/16\", \"10.3.0.1/16\"]\n", line: 4, col: 28, key: "site[2].prefixes[1]", msg: `did you mean "10.3.0.0/16"`},
	{name: "ASN zero", src: "[[site]]\nname = \"c\"\nprovider = \"generic\"\nasn = 0\n", line: 4, col: 7, key: "site[2].asn", msg: "ASN 0 out of range"},
	{name: "ASN too large", src: "[[site]]\nname = \"c\"\nprovider = \"generic\"\nasn = 4294967296\n", line: 4, col: 7, key: "site[2].asn", msg: "ASN 4294967296 out of range"},
	{name: "generic site without ASN", src: "[[site]]\nname = \"c\"\nprovider = \"generic\"\n", line: 1, col: 1, key: "site[2]", msg: `missing "asn"`},
	{name: "unknown provider", src: "[[site]]\nname = \"c\"\nprovider = \"gpc\"\n", line: 3, col: 12, key: "site[2].provider", msg: `unknown provider "gpc"`},
	{name: "unknown site", src: "[[router]]\nname = \"rc\"\nsite = \"zz\"\n", line: 3, col: 8, key: "router[2].site", msg: `unknown site "zz"`},
	{name: "unknown facility", src: "[[router]]\nname = \"rc\"\nsite = \"a\"\nfacility = \"nowhere\"\n", line: 4, col: 12, key: "router[2].facility", msg: `unknown facility "nowhere"`},
	{name: "bad router ID", src: "[[router]]\nname = \"rc\"\nsite = \"a\"\nrouter_id = \"::1\"\n", line: 4, col: 13, key: "router[2].router_id", msg: "want an IPv4 address"},
	{name: "hold below 3x keepalive", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nkeepalive = \"30s\"\nhold = \"60s\"\n", line: 5, col: 8, key: "session[0].hold", msg: "hold 1m0s is less than 3 × keepalive 30s"},
	{name: "hold below 3x keepalive via defaults", src: "[[session]]\na = \"ra\"\nb = \"rb\"\n[defaults.bgp]\nkeepalive = \"40s\"\n", line: 5, col: 13, key: "defaults.bgp.keepalive", msg: "less than 3 × keepalive 40s"},
	{name: "hold of 2s", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nhold_a = \"2s\"\n", line: 4, col: 10, key: "session[0].hold_a", msg: "must be 0 or at least 3s"},
	{name: "keepalive with hold 0", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nhold = \"0s\"\nkeepalive = \"10s\"\n", line: 5, col: 13, key: "session[0].keepalive", msg: "keepalive must be 0 when hold is 0"},
	{name: "BFD multiplier 0", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nbfd = { interval = \"300ms\", multiplier = 0 }\n", line: 4, col: 42, key: "session[0].bfd.multiplier", msg: "0 out of range [1, 255]"},
	{name: "BFD unknown key", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nbfd = { interval = \"300ms\", mult = 3 }\n", line: 4, col: 29, key: "session[0].bfd.mult", msg: `unknown key "mult"`},
	{name: "session to unknown router", src: "[[session]]\na = \"ra\"\nb = \"rx\"\n", line: 3, col: 5, key: "session[0].b", msg: `unknown router "rx"`},
	{name: "session with no link", src: "[[router]]\nname = \"rc\"\nsite = \"b\"\n[[session]]\na = \"ra\"\nb = \"rc\"\n", line: 4, col: 1, key: "session[0]", msg: "no link or LAG between ra and rc"},
	{name: "session ambiguous link", src: "[[link]]\nname = \"l2\"\na = \"rb\"\nb = \"ra\"\ncapacity = \"1Gbps\"\n[[session]]\na = \"ra\"\nb = \"rb\"\n", line: 6, col: 1, key: "session[0]", msg: `2 links/LAGs between ra and rb (l1, l2): set "over"`},
	{name: "session over wrong link", src: "[[router]]\nname = \"rc\"\nsite = \"b\"\n[[session]]\na = \"ra\"\nb = \"rc\"\nover = \"l1\"\n", line: 7, col: 8, key: "session[0].over", msg: `link "l1" connects ra–rb, not ra–rc`},
	{name: "rr_client on eBGP", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nrr_client_a = true\n", line: 4, col: 15, key: "session[0].rr_client_a", msg: "rr_client needs an iBGP session"},
	{name: "bad community", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nexport_b = [{ add_communities = [\"7224:70000\"] }]\n", line: 4, col: 34, key: "session[0].export_b[0].add_communities[0]", msg: `invalid community "7224:70000"`},
	{name: "deny with set", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nimport = [{ deny = true, local_pref = 10 }]\n", line: 4, col: 20, key: "session[0].import[0].deny", msg: "a deny rule cannot also set attributes"},
	{name: "prepend too long", src: "[[session]]\na = \"ra\"\nb = \"rb\"\nexport_b = [{ prepend = 40 }]\n", line: 4, col: 25, key: "session[0].export_b[0].prepend", msg: "40 out of range [0, 32]"},
	{name: "LAG min above members", src: "[[link]]\nname = \"m1\"\na = \"ra\"\nb = \"rb\"\ncapacity = \"1Gbps\"\n[[lag]]\nname = \"g1\"\nmembers = [\"m1\"]\nmin_links = 2\n", line: 9, col: 13, key: "lag[0].min_links", msg: "min_links 2 is more than the 1 member links"},
	{name: "LAG unknown member", src: "[[lag]]\nname = \"g1\"\nmembers = [\"l1\", \"zz\"]\n", line: 3, col: 18, key: "lag[0].members[1]", msg: `unknown link "zz"`},
	{name: "LAG name clashes with link", src: "[[lag]]\nname = \"l1\"\nmembers = []\n", line: 2, col: 8, key: "lag[0].name", msg: `duplicate link name "l1"`},
	{name: "pool capacity negative", src: "[[pool]]\nname = \"p\"\ncapacity = \"0bps\"\nlinks = [\"l1\"]\n", line: 3, col: 12, key: "pool[0].capacity", msg: "capacity must be > 0"},
	{name: "pool unknown link", src: "[[pool]]\nname = \"p\"\ncapacity = \"1Gbps\"\nlinks = [\"l9\"]\n", line: 4, col: 10, key: "pool[0].links[0]", msg: `unknown link or LAG "l9"`},
	{name: "tenant unknown pool", src: "[[tenant]]\nname = \"t\"\nrate = \"1Gbps\"\npools = [\"p9\"]\n", line: 4, col: 10, key: "tenant[0].pools[0]", msg: `unknown pool "p9"`},
	{name: "demand unknown site", src: "[[demand]]\nname = \"d\"\nfrom = \"a\"\nto = \"zz\"\nrate = \"1Gbps\"\n", line: 4, col: 6, key: "demand[0].to", msg: `unknown site "zz"`},
	{name: "demand same site", src: "[[demand]]\nname = \"d\"\nfrom = \"a\"\nto = \"a\"\nrate = \"1Gbps\"\n", line: 4, col: 6, key: "demand[0].to", msg: "same site"},
	{name: "unknown defaults block", src: "[defaults.ospf]\ncost = 1\n", line: 1, col: 1, key: "defaults.ospf", msg: `unknown key "ospf"`},
	{name: "unknown intent kind", src: "[[interconnect]]\nname = \"x\"\nkind = \"aws-gcp\"\nbetween = [\"a\", \"b\"]\n", line: 3, col: 8, key: "interconnect[0].kind", msg: `unknown interconnect kind "aws-gcp"`},
	{name: "intent wrong provider", src: "[[interconnect]]\nname = \"x\"\nkind = \"aws-gcp-multicloud\"\nbetween = [\"a\", \"b\"]\nbandwidth = \"10Gbps\"\n", line: 4, col: 17, key: "interconnect[0].between[1]", msg: `site "b" has provider "generic"`},
	{name: "intent name clash", src: "[[site]]\nname = \"g\"\nprovider = \"gcp\"\n[[router]]\nname = \"x-aws-r1\"\nsite = \"a\"\n[[interconnect]]\nname = \"x\"\nkind = \"aws-gcp-multicloud\"\nbetween = [\"a\", \"g\"]\nbandwidth = \"10Gbps\"\n", line: 8, col: 8, key: "interconnect[0].name", msg: `duplicate router name "x-aws-r1"`},
	{name: "intent bad resiliency", src: "[[interconnect]]\nname = \"x\"\nkind = \"dx-classic\"\nbetween = [\"a\", \"b\"]\nbandwidth = \"10Gbps\"\nresiliency = \"extreme\"\n", line: 6, col: 14, key: "interconnect[0].resiliency", msg: `unknown resiliency "extreme"`},
	{name: "array of tables expected", full: true, src: "site = \"a\"\n", line: 1, col: 8, key: "site", msg: "want an array, got string"},
	{name: "graceful restart too long", src: "[[session]]\na = \"ra\"\nb = \"rb\"\ngraceful_restart = \"2h\"\n", line: 4, col: 20, key: "session[0].graceful_restart", msg: "above the 4095s"},
}

func findError(err error, file string, line, col int, key, msg string) (string, bool) {
	var list *ErrorList
	if !errors.As(err, &list) {
		return fmt.Sprintf("not an *ErrorList: %v", err), false
	}
	for _, e := range list.Errors {
		if e.File == file && e.Line == line && e.Col == col && (key == "" || e.Key == key) && strings.Contains(e.Msg, msg) {
			return "", true
		}
	}
	return list.Error(), false
}

func TestMalformed(t *testing.T) {
	if len(malformedCases) < 25 {
		t.Fatalf("only %d malformed cases", len(malformedCases))
	}
	if _, err := Parse("base.toml", []byte(base)); err != nil {
		t.Fatalf("base does not load: %v", err)
	}
	for _, c := range malformedCases {
		t.Run(c.name, func(t *testing.T) {
			src, line := c.src, c.line
			if !c.full {
				src, line = base+c.src, c.line+baseLines
			}
			_, err := Parse("t.toml", []byte(src))
			if err == nil {
				t.Fatalf("no error for:\n%s", src)
			}
			if got, ok := findError(err, "t.toml", line, c.col, c.key, c.msg); !ok {
				t.Errorf("want t.toml:%d:%d: %s: …%s…\ngot:\n%s", line, c.col, c.key, c.msg, got)
			}
		})
	}
}

// Every error is reported, not just the first.
func TestAllErrorsAtOnce(t *testing.T) {
	src := `colour = "red"
` + base + `[[link]]
name = "l2"
a = "ra"
b = "pop-x"
capacity = "10Gbs"
[[session]]
a = "ra"
b = "rb"
over = "l1"
hold = "2s"
`
	_, err := Parse("t.toml", []byte(src))
	var list *ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want *ErrorList, got %v", err)
	}
	want := []string{
		`t.toml:1:1: colour: unknown key "colour"`,
		`t.toml:23:5: link[1].b: unknown router "pop-x"`,
		`t.toml:24:12: link[1].capacity: unknown bandwidth unit "Gbs" in "10Gbs": want one of bps, kbps, Mbps, Gbps, Tbps`,
		`t.toml:29:8: session[0].hold: hold 2s for ra: must be 0 or at least 3s`,
		`t.toml:29:8: session[0].hold: hold 2s for rb: must be 0 or at least 3s`,
	}
	if got := strings.Split(list.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
