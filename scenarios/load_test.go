package scenarios

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/netdrill/netdrill/examples"
	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/topology"
)

// exampleTopologies is where loaders in these tests resolve a topology
// path (as Load would for a scenario file in examples/scenarios).
const exampleTopologies = "../examples/topologies"

// topologyLoader resolves rel in files (parsed under that name) or else
// under ../examples/topologies with topology.Load, exactly as Load does
// for a scenario file that lives there.
func topologyLoader(files map[string]string) func(rel string) (*topology.Topology, error) {
	return func(rel string) (*topology.Topology, error) {
		if src, ok := files[rel]; ok {
			return topology.Parse(rel, []byte(src))
		}
		p := rel
		if !filepath.IsAbs(p) {
			p = filepath.Join(exampleTopologies, rel)
		}
		return topology.Load(p)
	}
}

// head is a valid scenario on the quad with one demand; malformed cases
// append to it, so their first line is line 9.
const head = `name = "malformed"
topology = "aws-gcp-quad.toml"
duration = "5m"
[[traffic]]
name = "replication"
from = "aws-use1"
to = "gcp-us-east4"
rate = "12Gbps"
`

func quad(body string) string { return head + body }

// Long lists that some messages end with.
var (
	kindList   = func() string { return strings.Join(kindNames(), ", ") }()
	metricList = strings.Join(metrics.MetricNames(), ", ")
)

func kindNames() []string {
	out := make([]string, len(faults.Kinds))
	for i, k := range faults.Kinds {
		out[i] = string(k)
	}
	return out
}

const (
	durHint = `want a Go duration such as "90s" or "300ms"`
	bwUnits = "want one of bps, kbps, Mbps, Gbps, Tbps"
)

type malformedScenario struct {
	name  string
	src   string
	files map[string]string // topology files the loader resolves first
	want  []string          // every error, exactly, in order
	bug   string            // a known loader bug: the row is skipped with this
}

// inlineTopology is an inline [topology] with four errors (lines 3..22).
const inlineTopology = `name = "inline"
duration = "5m"
[topology]
name = "inline"
[[topology.site]]
name = "a"
provider = "aws"
[[topology.site]]
name = "b"
provider = "generic"
[[topology.router]]
name = "ra"
site = "a"
[[topology.router]]
name = "rb"
site = "zz"
[[topology.link]]
name = "l1"
a = "ra"
b = "rb"
capacity = "10Gbs"
colour = "red"
[[traffic]]
name = "d"
from = "a"
to = "nowhere"
rate = "1Gbps"
bogus = 1
`

var malformedScenarios = []malformedScenario{
	// Durations.
	{name: "run duration not a Go duration", src: "name = \"x\"\ntopology = \"aws-gcp-quad.toml\"\nduration = \"5 minutes\"\n",
		want: []string{`s.toml:3:12: duration: invalid duration "5 minutes": ` + durHint}},
	{name: "zero, negative and numeric durations", src: "name = \"x\"\ntopology = \"aws-gcp-quad.toml\"\nduration = \"0s\"\nsettle = \"-1s\"\nmax_warmup = 30\n",
		want: []string{
			`s.toml:3:12: duration: must be positive`,
			`s.toml:4:10: settle: negative duration "-1s": a duration cannot be negative`,
			`s.toml:5:14: max_warmup: want a duration string such as "90s", got integer`,
		}},
	{name: "fault at and repair", src: quad("[[fault]]\nat = \"2 minutes\"\nkind = \"link-down\"\ntarget = \"aws-gcp-ch1\"\nrepair = \"-30s\"\n"),
		want: []string{
			`s.toml:10:6: fault[0].at: invalid duration "2 minutes": ` + durHint,
			`s.toml:13:10: fault[0].repair: negative duration "-30s": a duration cannot be negative`,
		}},
	{name: "traffic profile at", src: quad("[[traffic.profile]]\nat = \"1x\"\nrate = \"6Gbps\"\n"),
		want: []string{`s.toml:10:6: traffic[0].profile[0].at: invalid duration "1x": ` + durHint}},

	// Unknown keys.
	{name: "unknown top-level keys", src: "name = \"x\"\ncolour = \"blue\"\ntopology = \"aws-gcp-quad.toml\"\n\"Duration\" = \"5m\"\nduration = \"5m\"\n[scenario]\nname = \"y\"\n",
		want: []string{
			`s.toml:2:1: colour: unknown key "colour"`,
			`s.toml:4:1: Duration: unknown key "Duration"`,
			`s.toml:6:1: scenario: unknown key "scenario"`,
		}},
	{name: "unknown keys in [[traffic]] and its profile", src: quad("[[traffic]]\nname = \"reverse\"\nfrom = \"gcp-us-east4\"\nto = \"aws-use1\"\nrate = \"4Gbps\"\nspeed = \"4Gbps\"\n[[traffic.profile]]\nat = \"1m\"\nrate = \"8Gbps\"\nramp = \"10s\"\n"),
		want: []string{
			`s.toml:14:1: traffic[1].speed: unknown key "speed"`,
			`s.toml:18:1: traffic[1].profile[0].ramp: unknown key "ramp"`,
		}},
	{name: "unknown key in [[fault]]", src: quad("[[fault]]\nat = \"1m\"\nkind = \"link-down\"\ntarget = \"aws-gcp-ch1\"\nduration = \"30s\"\n"),
		want: []string{`s.toml:13:1: fault[0].duration: link-down does not take "duration"; it takes id, kind, target, at, repair, end`}},
	{name: "unknown key in [[expect]]", src: quad("[[expect]]\nmetric = \"failover.max\"\ndemand = \"replication\"\nbelow = \"1s\"\nmax = \"1s\"\n"),
		want: []string{`s.toml:12:1: expect[0].below: unknown key "below"`}},
	{name: "unknown key in [[random]]", src: quad("[[random]]\nclass = \"channel\"\nkind = \"link-down\"\nmtbf = \"exp(12h)\"\nmttr = \"fixed(20m)\"\nseed = 3\n"),
		want: []string{`s.toml:14:1: random[0].seed: unknown key "seed"`}},

	// Wrong types.
	{name: "wrong types at top level", src: "name = 3\ntopology = \"aws-gcp-quad.toml\"\nduration = \"5m\"\nseed = \"seven\"\ndescription = true\nmax_events = 1.5\ntraffic = \"replication\"\n",
		want: []string{
			`s.toml:1:8: name: want a string, got integer`,
			`s.toml:4:8: seed: want an integer, got string`,
			`s.toml:5:15: description: want a string, got boolean`,
			`s.toml:6:14: max_events: want an integer, got float`,
			`s.toml:7:11: traffic: want an array, got string`,
		}},
	{name: "wrong types in [[traffic]] and [[fault]]", src: quad("[[traffic]]\nname = \"reverse\"\nfrom = \"gcp-us-east4\"\nto = [\"aws-use1\"]\nrate = 4\n[[fault]]\nat = 60\nkind = \"link-flap\"\ntarget = \"aws-gcp-ch1\"\nperiod = \"10s\"\ncount = \"3\"\n"),
		want: []string{
			`s.toml:12:6: traffic[1].to: want a string, got array`,
			`s.toml:13:8: traffic[1].rate: want a bandwidth string such as "10Gbps", got integer`,
			`s.toml:15:6: fault[0].at: want a duration string such as "90s", got integer`,
			`s.toml:19:9: fault[0].count: want an integer, got string`,
		}},
	{name: "seed and max_events out of range", src: "name = \"x\"\ntopology = \"aws-gcp-quad.toml\"\nduration = \"5m\"\nseed = -1\nmax_events = 0\n",
		want: []string{
			`s.toml:4:8: seed: -1 out of range [0, 9223372036854775807]`,
			`s.toml:5:14: max_events: 0 out of range [1, 9223372036854775807]`,
		}},
	{name: "fault array element not a table", src: "name = \"x\"\ntopology = \"aws-gcp-quad.toml\"\nduration = \"5m\"\nfault = [\"link-down\"]\n",
		want: []string{`s.toml:4:10: fault[0]: want a table, got string`}},

	// Unknown names.
	{name: "unknown sites", src: quad("[[traffic]]\nname = \"reverse\"\nfrom = \"gcp-us-east5\"\nto = \"aws-use-1\"\nrate = \"4Gbps\"\n"),
		want: []string{
			`s.toml:11:8: traffic[1].from: unknown site "gcp-us-east5" (did you mean "gcp-us-east4"?)`,
			`s.toml:12:6: traffic[1].to: unknown site "aws-use-1" (did you mean "aws-use1"?) (or give a prefix such as "10.2.0.0/16")`,
		}},
	{name: "unknown demand", src: quad("[[expect]]\nmetric = \"loss.bytes\"\ndemand = \"replicaton\"\nmax = \"1GB\"\n"),
		want: []string{`s.toml:11:10: expect[0].demand: unknown demand "replicaton"`}},
	{name: "unknown facility", src: quad("[[fault]]\nat = \"2m\"\nkind = \"facility-down\"\ntarget = \"iad-fac-1\"\n"),
		want: []string{`s.toml:12:10: fault[0].target: unknown facility "iad-fac-1"`}},
	{name: "unknown link", src: quad("[[fault]]\nat = \"2m\"\nkind = \"link-silent\"\ntarget = \"aws-gcp-ch5\"\n"),
		want: []string{`s.toml:12:10: fault[0].target: unknown link or LAG "aws-gcp-ch5" (did you mean "aws-gcp-ch1", "aws-gcp-ch2" or "aws-gcp-ch3"?)`}},
	{name: "unknown router", src: quad("[[fault]]\nat = \"2m\"\nkind = \"router-crash\"\ntarget = \"aws-gcp-r1\"\n"),
		want: []string{`s.toml:12:10: fault[0].target: unknown router "aws-gcp-r1" (did you mean "aws-gcp-aws-r1" or "aws-gcp-gcp-r1"?)`}},
	{name: "unknown session", src: quad("[[fault]]\nat = \"2m\"\nkind = \"session-reset\"\ntarget = \"aws-gcp-ch1\"\n"),
		want: []string{`s.toml:12:10: fault[0].target: unknown session "aws-gcp-ch1" (did you mean "aws-gcp-bgp1", "aws-gcp-bgp2" or "aws-gcp-bgp3"?)`}},
	{name: "unknown pool", src: quad("[[fault]]\nat = \"2m\"\nkind = \"pool-surge\"\ntarget = \"pool-1\"\nrate = \"20Gbps\"\n"),
		want: []string{`s.toml:12:10: fault[0].target: unknown pool "pool-1"`}},
	{name: "unknown SRLG, provider and LAG member", src: quad("[[fault]]\nat = \"2m\"\nkind = \"srlg-down\"\ntarget = \"conduit-east\"\n[[fault]]\nat = \"2m\"\nkind = \"provider-control-plane-outage\"\ntarget = \"azure\"\n[[fault]]\nat = \"2m\"\nkind = \"lag-member-down\"\ntarget = \"aws-gcp-ch1\"\n"),
		want: []string{
			`s.toml:12:10: fault[0].target: no link is in shared-risk group "conduit-east"`,
			`s.toml:16:10: fault[1].target: no site has provider "azure"`,
			`s.toml:20:10: fault[2].target: "aws-gcp-ch1" is not a LAG member link`,
		}},
	{name: "unknown fault kind", src: quad("[[fault]]\nat = \"2m\"\nkind = \"link-cut\"\ntarget = \"aws-gcp-ch1\"\n"),
		want: []string{`s.toml:11:8: fault[0].kind: unknown fault kind "link-cut"; want one of ` + kindList}},
	{name: "unknown random class component", src: quad("[[random]]\nclass = \"channel\"\nkind = \"link-down\"\nmtbf = \"exp(12h\"\nmttr = 5\ncomponents = [\"aws-gcp-ch1\", \"aws-gcp-ch9\"]\n"),
		want: []string{
			`s.toml:12:8: random[0].mtbf: distribution "exp(12h": not of the form NAME(PARAMETERS); want exp(MEAN), weibull(k=SHAPE, scale=DURATION), lognormal(median=DURATION, sigma=S) or fixed(DURATION), for example "exp(8760h)"`,
			`s.toml:13:8: random[0].mttr: want a string, got integer`,
			`s.toml:14:14: random[0].components: unknown link or LAG "aws-gcp-ch9" (did you mean "aws-gcp-ch1", "aws-gcp-ch2" or "aws-gcp-ch3"?)`,
		}},

	// Faults against the run.
	{name: "fault at or after the end of the run", src: quad("[[fault]]\nat = \"5m\"\nkind = \"link-down\"\ntarget = \"aws-gcp-ch1\"\n[[fault]]\nat = \"1h\"\nkind = \"link-down\"\ntarget = \"aws-gcp-ch2\"\n"),
		want: []string{
			`s.toml:10:6: fault[0].at: fault at 5m0s is not before the end of the run (5m0s)`,
			`s.toml:14:6: fault[1].at: fault at 1h0m0s is not before the end of the run (5m0s)`,
		}},

	// Missing required keys.
	{name: "missing name, duration and topology", src: "seed = 7\n",
		want: []string{
			`s.toml:1:1: missing "name"`,
			`s.toml:1:1: duration: missing duration, e.g. duration = "15m"`,
			`s.toml:1:1: topology: missing topology: a path to a topology file, or an inline [topology] table`,
		}},
	{name: "empty name", src: "name = \"\"\ntopology = \"aws-gcp-quad.toml\"\nduration = \"5m\"\n",
		want: []string{`s.toml:1:8: name: name must not be empty`}},
	{name: "missing kind and at", src: quad("[[fault]]\ntarget = \"aws-gcp-ch1\"\n"),
		want: []string{
			`s.toml:9:1: fault[0].at: missing at, e.g. at = "2m"`,
			`s.toml:9:1: fault[0].kind: missing kind, e.g. kind = "link-down"`,
		}},
	{name: "missing target", src: quad("[[fault]]\nat = \"1m\"\nkind = \"router-crash\"\n"),
		want: []string{`s.toml:9:1: fault[0]: missing "target"`}},
	{name: "missing everything in [[traffic]]", src: quad("[[traffic]]\n"),
		want: []string{
			`s.toml:9:1: traffic[1]: missing "from"`,
			`s.toml:9:1: traffic[1]: missing "name"`,
			`s.toml:9:1: traffic[1]: missing "to"`,
			`s.toml:9:1: traffic[1].rate: missing rate, e.g. rate = "10Gbps"`,
		}},
	{name: "missing parameters of a fault kind", src: quad("[[fault]]\nat = \"1m\"\nkind = \"link-flap\"\ntarget = \"aws-gcp-ch1\"\n[[fault]]\nat = \"1m\"\nkind = \"pool-surge\"\ntarget = \"aws-gcp-pool\"\n[[fault]]\nat = \"1m\"\nkind = \"route-leak\"\ntarget = \"aws-gcp-aws-r1\"\n"),
		want: []string{
			`s.toml:9:1: fault[0].period: link-flap needs period (time down, then time up), such as period = "10s"`,
			`s.toml:13:1: fault[1].rate: pool-surge needs rate (load added to the pool), such as rate = "20Gbps"`,
			`s.toml:17:1: fault[2].prefix: route-leak needs prefix (the leaked prefix, announced by the router as its own), such as prefix = "10.2.0.0/17"`,
		}},
	{name: "missing metric and bounds in [[expect]]", src: quad("[[expect]]\nmax = \"1s\"\n[[expect]]\nmetric = \"failover.max\"\n[[expect]]\nmetric = \"failover.max\"\nequal = \"1s\"\nmax = \"1s\"\n"),
		want: []string{
			`s.toml:9:1: expect[0]: missing "metric"`,
			`s.toml:12:10: expect[1].metric: failover.max: give min, max or equal`,
			`s.toml:14:10: expect[2].metric: failover.max: give equal or min/max, not both`,
		}},

	// Bandwidths, ratios, prefixes.
	{name: "bad bandwidths", src: quad("[[traffic]]\nname = \"reverse\"\nfrom = \"gcp-us-east4\"\nto = \"aws-use1\"\nrate = \"4 gigabits\"\n[[fault]]\nat = \"1m\"\nkind = \"link-degrade\"\ntarget = \"aws-gcp-ch1\"\ncapacity = \"-5Gbps\"\nlatency = \"20ms\"\n"),
		want: []string{
			`s.toml:13:8: traffic[1].rate: unknown bandwidth unit "gigabits" in "4 gigabits": ` + bwUnits,
			`s.toml:18:12: fault[0].capacity: negative bandwidth "-5Gbps": a bandwidth cannot be negative`,
		}},
	{name: "bad bandwidth of a required fault parameter", src: quad("[[fault]]\nat = \"1m\"\nkind = \"pool-surge\"\ntarget = \"aws-gcp-pool\"\nrate = \"20GB\"\n"),
		want: []string{`s.toml:13:8: fault[0].rate: unknown bandwidth unit "GB" in "20GB": ` + bwUnits}},
	{name: "loss out of range", src: quad("[[fault]]\nat = \"1m\"\nkind = \"link-silent\"\ntarget = \"aws-gcp-ch1\"\nloss = 1.5\n[[fault]]\nat = \"1m\"\nkind = \"link-silent\"\ntarget = \"aws-gcp-ch2\"\nloss = -0.1\n[[fault]]\nat = \"1m\"\nkind = \"link-silent\"\ntarget = \"aws-gcp-ch3\"\nloss = \"-5%\"\n"),
		want: []string{
			`s.toml:13:8: fault[0].loss: ratio 1.5 out of range [0, 1]`,
			`s.toml:18:8: fault[1].loss: ratio -0.1 out of range [0, 1]`,
			`s.toml:23:8: fault[2].loss: negative ratio "-5%": a ratio cannot be negative`,
		}},
	{name: "loss of zero", src: quad("[[fault]]\nat = \"1m\"\nkind = \"link-silent\"\ntarget = \"aws-gcp-ch1\"\nloss = 0\n"),
		want: []string{`s.toml:13:8: fault[0].loss: want a ratio in (0, 1], got 0`}},
	{name: "invalid prefixes", src: quad("[[fault]]\nat = \"1m\"\nkind = \"prefix-withdraw\"\ntarget = \"aws-use1\"\nprefix = \"10.1.0.0/33\"\n[[fault]]\nat = \"1m\"\nkind = \"prefix-withdraw\"\ntarget = \"aws-use1\"\nprefix = \"10.9.0.0/16\"\n[[fault]]\nat = \"1m\"\nkind = \"prefix-withdraw\"\ntarget = \"aws-use1\"\nprefix = 10\n"),
		want: []string{
			`s.toml:13:10: fault[0].prefix: invalid CIDR prefix "10.1.0.0/33"`,
			`s.toml:18:10: fault[1].prefix: site "aws-use1" does not originate 10.9.0.0/16`,
			`s.toml:23:10: fault[2].prefix: want a string, got integer`,
		}},

	// Expectations.
	{name: "unknown metric", src: quad("[[expect]]\nmetric = \"failover.maximum\"\nmax = \"1s\"\n"),
		want: []string{`s.toml:10:10: expect[0].metric: unknown metric "failover.maximum"; valid metrics: ` + metricList}},
	{name: "selector the metric does not take", src: quad("[[expect]]\nmetric = \"failover.max\"\nlink = \"aws-gcp-ch1\"\nmax = \"1s\"\n"),
		want: []string{`s.toml:10:10: expect[0].metric: metric failover.max does not take a link selector (it takes only demand, fault)`}},
	// One unit grammar for [[traffic]] and [[expect]] alike (topology/units.go),
	// and one list of loss causes, checked at load time.
	// Keys are checked per kind against the registry (faults/catalog).
	{name: "keys per fault kind", src: quad("[[fault]]\nat = \"1m\"\nkind = \"facility-down\"\ntarget = \"aws-gcp-fac1\"\nloss = 0.5\n[[fault]]\nat = \"1m\"\nkind = \"\"\ntarget = \"aws-gcp-ch1\"\n[[fault]]\nat = \"1m\"\nkind = \"router-reboot\"\ntarget = \"aws-gcp-aws-r1\"\nrepair = \"5m\"\n[[fault]]\nat = \"1m\"\nkind = \"link-silent\"\ntarget = \"aws-gcp-ch1\"\nrate = \"1Gbps\"\nlatency = \"5ms\"\n"),
		want: []string{
			`s.toml:13:1: fault[0].loss: facility-down does not take "loss"; it takes id, kind, target, at, repair`,
			`s.toml:16:8: fault[1].kind: empty fault kind; want one of ` + kindList,
			`s.toml:22:1: fault[2].repair: router-reboot takes no repair: it is back after the router's boot time (boot_time)`,
			`s.toml:27:1: fault[3].rate: link-silent does not take "rate"; it takes id, kind, target, at, repair, loss`,
			`s.toml:28:1: fault[3].latency: link-silent does not take "latency"; it takes id, kind, target, at, repair, loss`,
		}},
	{name: "random kinds from the registry", src: quad("[[random]]\nclass = \"pools\"\nkind = \"pool-surge\"\nmtbf = \"exp(10h)\"\nmttr = \"exp(1h)\"\n[[random]]\nclass = \"x\"\nkind = \"meteor\"\nmtbf = \"exp(10h)\"\nmttr = \"exp(1h)\"\n"),
		want: []string{
			`s.toml:11:8: random[0].kind: [[random]] cannot draw pool-surge faults: they need rate, which a random class does not give`,
			`s.toml:16:8: random[1].kind: unknown fault kind "meteor"; want one of ` + kindList,
		}},
	{name: "one unit grammar in expectations", src: quad("[[expect]]\nmetric = \"loss.bytes\"\ncause = \"congestoin\"\nmax = \"2GiB\"\n[[expect]]\nmetric = \"failover.max\"\nmax = \"-1s\"\n[[expect]]\nmetric = \"delivered.bytes\"\nmin = \"10gb\"\n"),
		want: []string{
			`s.toml:11:9: expect[0].cause: unknown loss cause "congestoin"; valid causes: blackhole, no-route, loop, congestion, silent-link, unattributed`,
			`s.toml:12:7: expect[0].max: loss.bytes max: binary unit "GiB" in "2GiB" is not accepted: units are decimal (1 GB = 10^9 bytes); write "2.147483648GB"`,
			`s.toml:15:7: expect[1].max: failover.max max: negative duration "-1s": a duration cannot be negative`,
			`s.toml:18:7: expect[2].min: delivered.bytes min: unknown size unit "gb" in "10gb": units are case-sensitive; did you mean "GB"?`,
		}},
	{name: "one unit grammar in traffic", src: quad("[[traffic]]\nname = \"r\"\nfrom = \"gcp-us-east4\"\nto = \"aws-use1\"\nrate = \"10gbps\"\n[[traffic]]\nname = \"s\"\nfrom = \"gcp-us-east4\"\nto = \"aws-use1\"\nrate = \"1Gibps\"\n"),
		want: []string{
			`s.toml:13:8: traffic[1].rate: unknown bandwidth unit "gbps" in "10gbps": units are case-sensitive; did you mean "Gbps"?`,
			`s.toml:18:8: traffic[2].rate: binary unit "Gibps" in "1Gibps" is not accepted: units are decimal (1 Gbps = 10^9 bit/s); write "1.073741824Gbps"`,
		}},
	{name: "bad expectation unit", src: quad("[[expect]]\nmetric = \"loss.bytes\"\nmin = \"3 parsecs\"\nmax = \"2Gbps\"\n"),
		want: []string{
			`s.toml:11:7: expect[0].min: loss.bytes min: unknown size unit "parsecs" in "3 parsecs": want one of B, kB, MB, GB, TB`,
			`s.toml:12:7: expect[0].max: loss.bytes max: unknown size unit "Gbps" in "2Gbps": want one of B, kB, MB, GB, TB`,
		}},
	{name: "bound of the wrong type", src: quad("[[expect]]\nmetric = \"loss.bytes\"\nmax = [1]\n"),
		want: []string{`s.toml:11:7: expect[0].max: want a value with its unit, such as "1s" or "2GB"`}},
	{name: "min above max", src: quad("[[expect]]\nmetric = \"loss.bytes\"\nmin = \"3GB\"\nmax = \"2GB\"\n"),
		want: []string{`s.toml:10:10: expect[0].metric: loss.bytes: min 3GB is above max 2GB`}},

	// Syntax.
	{name: "syntax error: unterminated string", src: quad("[[fault]]\nat = \"1m\nkind = \"link-down\"\n"),
		want: []string{`s.toml:10:9: fault.at: strings cannot contain newlines`}},
	{name: "syntax error: key defined twice", src: "name = \"x\"\nname = \"y\"\n",
		want: []string{`s.toml:2:1: name: Key 'name' has already been defined.`}},
	{name: "syntax error: unclosed table header", src: quad("[[fault]\nat = \"1m\"\n"),
		want: []string{`s.toml:9:8: expected end of table array name delimiter ']', but got '\n' instead`}},

	{name: "syntax error: unterminated string in a CRLF file", src: "name = \"x\"\r\ntopology = \"aws-gcp-quad.toml\r\nduration = \"5m\"\r\n",
		want: []string{`s.toml:2:30: topology: strings cannot contain newlines`}},

	// Topology.
	{name: "invalid inline topology", src: inlineTopology,
		want: []string{
			`s.toml:8:1: topology.site[1]: missing "asn" (provider "generic" has no default ASN)`,
			`s.toml:16:8: topology.router[1].site: unknown site "zz"`,
			`s.toml:21:12: topology.link[0].capacity: unknown bandwidth unit "Gbs" in "10Gbs": ` + bwUnits,
			`s.toml:22:1: topology.link[0].colour: unknown key "colour"`,
			`s.toml:28:1: traffic[0].bogus: unknown key "bogus"`,
		}},
	{name: "topology of the wrong type", src: "name = \"x\"\ntopology = [\"aws-gcp-quad.toml\"]\nduration = \"5m\"\n",
		want: []string{`s.toml:2:12: topology: want a path string or a table`}},
	{name: "topology file with errors", src: "name = \"x\"\ntopology = \"broken.toml\"\nduration = \"5m\"\nbogus = 1\n",
		files: map[string]string{"broken.toml": "[[site]]\nname = \"a\"\nprovider = \"aws\"\nasn = 0\n"},
		// Sorted by line and column, whatever the file.
		want: []string{
			`s.toml:4:1: bogus: unknown key "bogus"`,
			`broken.toml:4:7: site[0].asn: ASN 0 out of range [1, 4294967295]`,
		}},
	{name: "topology path that does not exist", src: "name = \"x\"\ntopology = \"nope.toml\"\nduration = \"5m\"\n",
		want: []string{`s.toml:2:12: topology: open ../examples/topologies/nope.toml: no such file or directory`}},

	// Positions in unusual layouts.
	{name: "inline arrays of tables, multibyte names", src: "name = \"x\"\ntopology = \"aws-gcp-quad.toml\"\nduration = \"5m\"\ntraffic = [{ name = \"réplication\", from = \"nowhere\", to = \"aws-use1\", rate = \"1Gbps\" }]\nfault = [ { at = \"1m\", kind = \"link-down\", target = \"ch9\" }, { at = \"1m\", kind = \"link-down\", target = \"ch8\" } ]\n",
		want: []string{
			`s.toml:4:43: traffic[0].from: unknown site "nowhere"`,
			`s.toml:5:53: fault[0].target: unknown link or LAG "ch9"`,
			`s.toml:5:104: fault[1].target: unknown link or LAG "ch8"`,
		}},
	{name: "CRLF line endings", src: "name = \"x\"\r\ntopology = \"aws-gcp-quad.toml\"\r\nduration = \"5m\"\r\ncolour = 1\r\n[[traffic]]\r\nname = \"r\"\r\nfrom = \"x\"\r\nto = \"aws-use1\"\r\nrate = \"1Gbps\"\r\n",
		want: []string{
			`s.toml:4:1: colour: unknown key "colour"`,
			`s.toml:7:8: traffic[0].from: unknown site "x"`,
		}},
	{name: "duplicate demand", src: quad("[[traffic]]\nname = \"replication\"\nfrom = \"gcp-us-east4\"\nto = \"aws-use1\"\nrate = \"4Gbps\"\n"),
		want: []string{`s.toml:10:8: traffic[1].name: demand "replication" defined twice`}},

	// Every error at once, as in cmd/netdrill/testdata/invalid.toml.
	{name: "every error at once", src: "name = \"x\"\ntopology = \"aws-gcp-quad.toml\"\nduration = \"five minutes\"\ncolour = \"blue\"\n[[traffic]]\nname = \"replication\"\nfrom = \"aws-use1\"\nto = \"gcp-nowhere\"\nrate = \"12 gigabits\"\n[[fault]]\nat = \"1m\"\nkind = \"facility-down\"\ntarget = \"no-such-facility\"\n[[expect]]\nmetric = \"failover.maximum\"\nmax = \"1s\"\n[[expect]]\nmetric = \"loss.bytes\"\ndemand = \"replicaton\"\nmax = \"1GB\"\n",
		want: []string{
			`s.toml:3:12: duration: invalid duration "five minutes": ` + durHint,
			`s.toml:4:1: colour: unknown key "colour"`,
			`s.toml:8:6: traffic[0].to: unknown site "gcp-nowhere" (or give a prefix such as "10.2.0.0/16")`,
			`s.toml:9:8: traffic[0].rate: unknown bandwidth unit "gigabits" in "12 gigabits": ` + bwUnits,
			`s.toml:13:10: fault[0].target: unknown facility "no-such-facility"`,
			`s.toml:15:10: expect[0].metric: unknown metric "failover.maximum"; valid metrics: ` + metricList,
			`s.toml:19:10: expect[1].demand: unknown demand "replicaton"`,
		}},

	// Errors the loader misses.
	{name: "duplicate fault id", src: quad("[[fault]]\nid = \"cut\"\nat = \"1m\"\nkind = \"link-down\"\ntarget = \"aws-gcp-ch1\"\n[[fault]]\nid = \"cut\"\nat = \"2m\"\nkind = \"link-down\"\ntarget = \"aws-gcp-ch2\"\n"),
		want: []string{`s.toml:15:6: fault[1].id: fault "cut" defined twice`}},
	{name: "unknown link, pool and fault in expectations", src: quad("[[expect]]\nmetric = \"capacity.peak\"\nlink = \"aws-gcp-ch9\"\nmax = \"100%\"\n[[expect]]\nmetric = \"capacity.peak\"\npool = \"pool-1\"\nmax = \"100%\"\n[[expect]]\nmetric = \"failover.max\"\nfault = \"f7\"\nmax = \"1s\"\n"),
		want: []string{
			`s.toml:11:8: expect[0].link: unknown link "aws-gcp-ch9" (did you mean "aws-gcp-ch1", "aws-gcp-ch2" or "aws-gcp-ch3"?)`,
			`s.toml:15:8: expect[1].pool: unknown pool "pool-1"`,
			`s.toml:19:9: expect[2].fault: unknown fault "f7"`,
		}},
	{name: "traffic profile points without at or rate, or after the end", src: quad("[[traffic.profile]]\n[[traffic.profile]]\nat = \"10m\"\nrate = \"1Gbps\"\n"),
		want: []string{
			`s.toml:9:1: traffic[0].profile[0]: missing "at"`,
			`s.toml:9:1: traffic[0].profile[0]: missing "rate"`,
			`s.toml:11:6: traffic[0].profile[1].at: rate change at 10m0s is not before the end of the run (5m0s)`,
		}},
}

func TestParseMalformed(t *testing.T) {
	for _, tc := range malformedScenarios {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bug != "" {
				t.Skip("BUG: " + tc.bug)
			}
			sc, err := Parse("s.toml", []byte(tc.src), topologyLoader(tc.files))
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", tc.src)
			}
			if sc != nil {
				t.Errorf("Parse returned a scenario with its error")
			}
			var l *topology.ErrorList
			if !errors.As(err, &l) {
				t.Fatalf("error is %T, want *topology.ErrorList: %v", err, err)
			}
			got := make([]string, len(l.Errors))
			for i, e := range l.Errors {
				got[i] = e.Error()
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, e := range l.Errors {
				if e.Line <= 0 || e.Col <= 0 {
					t.Errorf("error without a position: %v", e)
				}
				if strings.Contains(e.Msg, "\n") {
					t.Errorf("error message spans lines: %q", e.Msg)
				}
			}
		})
	}
}

// The CLI's invalid fixture, through Load: every error, each in place.
func TestLoadInvalidFixture(t *testing.T) {
	const file = "../cmd/netdrill/testdata/invalid.toml"
	_, err := Load(file)
	var l *topology.ErrorList
	if !errors.As(err, &l) {
		t.Fatalf("Load = %v, want a *topology.ErrorList", err)
	}
	want := []string{
		file + `:3:12: duration: invalid duration "five minutes": ` + durHint,
		file + `:4:1: colour: unknown key "colour"`,
		file + `:9:8: traffic[0].to: unknown site "gcp-nowhere" (or give a prefix such as "10.2.0.0/16")`,
		file + `:10:8: traffic[0].rate: unknown bandwidth unit "gigabits" in "12 gigabits": ` + bwUnits,
		file + `:15:10: fault[0].target: unknown facility "no-such-facility"`,
		file + `:18:10: expect[0].metric: unknown metric "failover.maximum"; valid metrics: ` + metricList,
	}
	if got := strings.Split(l.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadMissingFiles(t *testing.T) {
	t.Run("scenario", func(t *testing.T) {
		_, err := Load("testdata/no-such-scenario.toml")
		var l *topology.ErrorList
		if !errors.As(err, &l) || len(l.Errors) != 1 {
			t.Fatalf("Load = %v, want one error", err)
		}
		want := "testdata/no-such-scenario.toml: open testdata/no-such-scenario.toml: no such file or directory"
		if got := l.Error(); got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("topology via LoadFS", func(t *testing.T) {
		fsys := fstest.MapFS{"sc/a.toml": {Data: []byte("name = \"x\"\ntopology = \"nope.toml\"\nduration = \"5m\"\n")}}
		_, err := LoadFS(fsys, "sc/a.toml")
		want := "sc/a.toml:2:12: topology: open sc/nope.toml: file does not exist"
		if err == nil || err.Error() != want {
			t.Errorf("LoadFS = %v, want %q", err, want)
		}
	})
	t.Run("topology via Load", func(t *testing.T) {
		_, err := Load("testdata/missing-topology.toml")
		want := "testdata/missing-topology.toml:3:12: topology: open testdata/no-such-topology.toml: no such file or directory"
		if err == nil || err.Error() != want {
			t.Errorf("Load = %v, want %q", err, want)
		}
	})
}

// Load and LoadFS read every example to the same scenario.
func TestLoadExamplesFSMatchesLoad(t *testing.T) {
	files, err := filepath.Glob("../examples/scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			a, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := LoadFS(examples.FS, "scenarios/"+filepath.Base(f))
			if err != nil {
				t.Fatal(err)
			}
			if a.Name != b.Name || a.Seed != b.Seed || a.Duration != b.Duration || a.TopologyPath != b.TopologyPath {
				t.Errorf("header differs: %+v vs %+v", a, b)
			}
			if !reflect.DeepEqual(a.Traffic, b.Traffic) || !reflect.DeepEqual(a.Faults, b.Faults) || !reflect.DeepEqual(a.Random, b.Random) {
				t.Errorf("traffic, faults or random differ")
			}
			if len(a.Expect) != len(b.Expect) {
				t.Fatalf("%d vs %d expectations", len(a.Expect), len(b.Expect))
			}
			for i := range a.Expect {
				x, y := a.Expect[i], b.Expect[i]
				x.Where, y.Where = "", ""
				if x != y {
					t.Errorf("expect[%d]: %+v vs %+v", i, x, y)
				}
			}
			if a.Topology == nil || b.Topology == nil || len(a.Topology.Links) != len(b.Topology.Links) {
				t.Errorf("topologies differ")
			}
		})
	}
}

// A valid scenario reads to the values written, with defaults left zero
// and fault IDs numbered in file order.
func TestParseValid(t *testing.T) {
	src := quad(`[[traffic.profile]]
at = "1m"
rate = "6Gbps"
[[fault]]
at = "1m"
kind = "link-silent"
target = "aws-gcp-ch1"
loss = 0.5
repair = "30s"
[[fault]]
id = "drain"
at = "2m"
kind = "drain"
target = "aws-gcp-aws-r2"
[[expect]]
metric = "failover.max"
demand = "replication"
max = "1s"
[[expect]]
metric = "loss.ratio"
max = 0.5
`)
	sc, err := Parse("s.toml", []byte(src), topologyLoader(nil))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "malformed" || sc.Duration != 5*60e9 || sc.Seed != 0 || sc.Settle != 0 || sc.TopologyPath != "aws-gcp-quad.toml" {
		t.Errorf("header: %+v", sc)
	}
	if len(sc.Traffic) != 1 || sc.Traffic[0].Rate != 12e9 || len(sc.Traffic[0].Profile) != 1 || sc.Traffic[0].Profile[0].Rate != 6e9 || sc.Traffic[0].Profile[0].At != 60e9 {
		t.Errorf("traffic: %+v", sc.Traffic)
	}
	if len(sc.Faults) != 2 || sc.Faults[0].ID != "f1" || sc.Faults[0].Loss != 0.5 || sc.Faults[0].Repair != 30e9 ||
		sc.Faults[1].ID != "drain" || sc.Faults[1].Prepend != 3 {
		t.Errorf("faults: %+v", sc.Faults)
	}
	if len(sc.Expect) != 2 || sc.Expect[0].Where != "s.toml [expect[0]]" || sc.Expect[1].Max != "0.5" {
		t.Errorf("expect: %+v", sc.Expect)
	}
}
