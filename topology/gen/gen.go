package gen

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/netdrill/netdrill/topology"
)

// Kind is what to generate.
type Kind string

// Kinds.
const (
	QuadMesh  Kind = "quad-mesh"
	LeafSpine Kind = "leaf-spine"
	ASGraph   Kind = "as-graph"
)

// Kinds lists every kind, in the order --help shows them.
var Kinds = []Kind{QuadMesh, LeafSpine, ASGraph}

// Options say what to generate. Zero values take the documented defaults.
type Options struct {
	Kind Kind
	// Routers asks for about this many routers; the count of sites (or
	// racks, or ASes) is derived from it (the largest that fits). Sites
	// wins when both are given.
	Routers int
	// Sites: quad-mesh sites, leaf-spine racks, as-graph ASes.
	Sites int
	// Spines for leaf-spine (0: 2 below 20 routers, 4 below 200, else 8).
	Spines int
	// Shape for quad-mesh: "full" (default) or "ring".
	Shape string
	// Prefixes originated by each site (rack, AS); default 1.
	Prefixes int
	// MRAI of eBGP sessions (iBGP: 0).
	MRAI time.Duration
	// BFD on every declared session; nil: none.
	BFD *topology.BFD
	// UpdateDelay overrides the routers' per-UPDATE processing time (0: the
	// generic profile's).
	UpdateDelay time.Duration
	// Seed of the graph draw (as-graph) and of the scenario.
	Seed uint64
	// Fault the scenario injects: "" (a facility where the kind has
	// facilities, else a link), "none", "KIND" or "KIND:TARGET".
	Fault string
	// Duration of the scenario (default 5m); the fault comes at 1m and is
	// repaired 2m later.
	Duration time.Duration
	// TopologyFile is the path the scenario names (default "topology.toml").
	TopologyFile string
}

// Output is what Generate made.
type Output struct {
	Topology []byte // topology TOML
	Scenario []byte // scenario TOML naming Options.TopologyFile
	Stats    Stats
}

// Stats counts what was generated.
type Stats struct {
	Sites, Facilities, Routers, Links, Sessions int
	Prefixes                                    int // in all
	Demand                                      string
	Fault                                       string // "kind target", "" for none
}

// Limits.
const (
	MaxPrefixes = 1 << 22 // /24s from 10.0.0.0 up to 73.255.255.0
	MaxSites    = 65535   // the AS index must fit a community value
	MaxRouters  = 1 << 20
)

// faultKinds are the fault kinds gen can aim; the value is what they target.
var faultKinds = map[string]string{
	"facility-down":         "facility",
	"link-down":             "link",
	"link-silent":           "link",
	"router-crash":          "router",
	"control-plane-hang":    "router",
	"routing-process-crash": "router",
	"session-reset":         "session",
}

// FaultKinds lists the fault kinds --fault accepts, sorted.
func FaultKinds() []string {
	return []string{"control-plane-hang", "facility-down", "link-down", "link-silent", "router-crash", "routing-process-crash", "session-reset"}
}

// ParseBFD reads "300ms*3" (also "300ms×3", "300msx3") or "none".
func ParseBFD(s string) (*topology.BFD, error) {
	if s == "none" || s == "off" {
		return nil, nil
	}
	i := strings.LastIndexAny(s, "*x×")
	if i <= 0 {
		return nil, fmt.Errorf("bfd %q: want INTERVAL*MULTIPLIER (e.g. \"300ms*3\") or \"none\"", s)
	}
	sep := len("*")
	if strings.HasPrefix(s[i:], "×") {
		sep = len("×")
	}
	iv, err := topology.ParseDuration(s[:i])
	if err != nil || iv <= 0 {
		return nil, fmt.Errorf("bfd %q: interval %q: want a positive duration such as 300ms", s, s[:i])
	}
	if p := topology.BFDIntervalProblem(iv); p != "" {
		return nil, fmt.Errorf("bfd %q: %s", s, p)
	}
	m, err := strconv.Atoi(s[i+sep:])
	if err != nil || m < 1 || m > 255 {
		return nil, fmt.Errorf("bfd %q: multiplier %q: want 1..255", s, s[i+sep:])
	}
	return &topology.BFD{Interval: iv, Multiplier: m}, nil
}

// Generate makes the topology and the scenario. Invalid options give an
// error naming the option; it never panics.
func Generate(o Options) (*Output, error) {
	if err := o.normalize(); err != nil {
		return nil, err
	}
	g := &gen{o: o, top: &bytes.Buffer{},
		facilities: map[string]bool{}, routers: map[string]bool{}, links: map[string]bool{}, sessions: map[string]bool{}}
	var err error
	switch o.Kind {
	case QuadMesh:
		err = g.quadMesh()
	case LeafSpine:
		err = g.leafSpine()
	case ASGraph:
		err = g.asGraph()
	}
	if err != nil {
		return nil, err
	}
	// The demand, for `netdrill topology analyze` (the scenario carries it as traffic).
	fmt.Fprintf(g.top, "[[demand]]\nname = \"probe\"\nfrom = %q\nto   = %q\nrate = %q\n", g.demandFrom, g.demandTo, g.demandRate)
	sc, err := g.scenario()
	if err != nil {
		return nil, err
	}
	return &Output{Topology: g.top.Bytes(), Scenario: sc, Stats: g.st}, nil
}

func (o *Options) normalize() error {
	var errs []error
	switch o.Kind {
	case QuadMesh, LeafSpine, ASGraph:
	case "":
		errs = append(errs, errors.New("kind: missing (one of quad-mesh, leaf-spine, as-graph)"))
	default:
		errs = append(errs, fmt.Errorf("kind %q: want one of quad-mesh, leaf-spine, as-graph", o.Kind))
	}
	if o.Routers < 0 || o.Routers > MaxRouters {
		errs = append(errs, fmt.Errorf("routers %d: want 1..%d", o.Routers, MaxRouters))
	}
	if o.Sites < 0 || o.Sites > MaxSites {
		errs = append(errs, fmt.Errorf("sites %d: want 1..%d", o.Sites, MaxSites))
	}
	if o.Spines < 0 || o.Spines > 1024 {
		errs = append(errs, fmt.Errorf("spines %d: want 1..1024", o.Spines))
	}
	if o.Prefixes == 0 {
		o.Prefixes = 1
	}
	if o.Prefixes < 0 || o.Prefixes > MaxPrefixes {
		errs = append(errs, fmt.Errorf("prefixes %d: want 1..%d per site", o.Prefixes, MaxPrefixes))
	}
	if o.MRAI < 0 {
		errs = append(errs, fmt.Errorf("mrai %v: must not be negative", o.MRAI))
	}
	if o.UpdateDelay < 0 {
		errs = append(errs, fmt.Errorf("update-delay %v: must not be negative", o.UpdateDelay))
	}
	if o.Duration == 0 {
		o.Duration = 5 * time.Minute
	}
	if o.Duration < 0 {
		errs = append(errs, fmt.Errorf("duration %v: must be positive", o.Duration))
	}
	if o.Shape == "" {
		o.Shape = "full"
	}
	if o.Shape != "full" && o.Shape != "ring" {
		errs = append(errs, fmt.Errorf("shape %q: want full or ring", o.Shape))
	} else if o.Shape != "full" && o.Kind != QuadMesh {
		errs = append(errs, fmt.Errorf("shape %q: only quad-mesh has shapes", o.Shape))
	}
	if o.Spines != 0 && o.Kind != LeafSpine {
		errs = append(errs, errors.New("spines: only leaf-spine has spines"))
	}
	if o.TopologyFile == "" {
		o.TopologyFile = "topology.toml"
	}
	if k, _, _ := strings.Cut(o.Fault, ":"); o.Fault != "" && o.Fault != "none" && faultKinds[k] == "" {
		errs = append(errs, fmt.Errorf("fault %q: want none, or KIND or KIND:TARGET with KIND one of %s", o.Fault, strings.Join(FaultKinds(), ", ")))
	}
	return errors.Join(errs...)
}

// gen holds one generation: the topology text and the names the scenario
// needs.
type gen struct {
	o   Options
	top *bytes.Buffer
	st  Stats

	n          int // sites (quad-mesh), racks (leaf-spine) or ASes (as-graph)
	nextPrefix int // index of the next /24

	facilities, routers, links, sessions map[string]bool // names, for --fault targets
	demandFrom, demandTo                 string
	demandRate                           string
	fault                                map[string]string // kind → default target
}

// header writes the comment and the defaults every kind shares.
func (g *gen) header(name, summary string) {
	o := g.o
	fmt.Fprintf(g.top, "# Generated by `netdrill gen %s`.\n", g.flags())
	fmt.Fprintf(g.top, "# %s\n", summary)
	fmt.Fprintf(g.top, "name = %q\n\n", name)
	g.top.WriteString("[defaults.bgp]\n")
	g.top.WriteString("keepalive     = \"30s\"\nhold          = \"90s\"\nconnect_retry = \"30s\"\n")
	fmt.Fprintf(g.top, "mrai_ebgp     = %q\nmrai_ibgp     = \"0s\"\nmax_prefix    = 0\n\n", dur(o.MRAI))
	g.top.WriteString("[defaults.bfd]\n")
	if o.BFD == nil {
		g.top.WriteString("enabled = false\n\n")
	} else {
		fmt.Fprintf(g.top, "enabled    = true\ninterval   = %q\nmultiplier = %d\n\n", dur(o.BFD.Interval), o.BFD.Multiplier)
	}
	if o.UpdateDelay > 0 {
		fmt.Fprintf(g.top, "[defaults.router]\nupdate_delay = %q\n\n", dur(o.UpdateDelay))
	}
}

// flags is the command line that regenerates this output.
func (g *gen) flags() string {
	o := g.o
	var b strings.Builder
	fmt.Fprintf(&b, "--kind %s", o.Kind)
	if o.Kind == ASGraph {
		fmt.Fprintf(&b, " --ases %d", g.n)
	} else {
		fmt.Fprintf(&b, " --sites %d", g.n)
	}
	if o.Kind == LeafSpine {
		fmt.Fprintf(&b, " --spines %d", g.o.Spines)
	}
	if o.Kind == QuadMesh && o.Shape != "full" {
		fmt.Fprintf(&b, " --shape %s", o.Shape)
	}
	fmt.Fprintf(&b, " --prefixes %d --mrai %s --bfd %s", o.Prefixes, dur(o.MRAI), bfdString(o.BFD))
	if o.UpdateDelay > 0 {
		fmt.Fprintf(&b, " --update-delay %s", dur(o.UpdateDelay))
	}
	fmt.Fprintf(&b, " --seed %d", o.Seed)
	if o.Fault != "" {
		fmt.Fprintf(&b, " --fault %s", o.Fault)
	}
	fmt.Fprintf(&b, " --duration %s", dur(o.Duration))
	return b.String()
}

func bfdString(b *topology.BFD) string {
	if b == nil {
		return "none"
	}
	return dur(b.Interval) + "*" + strconv.Itoa(b.Multiplier)
}

// dur writes a duration as Go does, without the trailing zero units
// ("1m0s" → "1m", "0s" stays).
func dur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// checkPrefixes says whether sites × prefixes fits the allocation.
func (g *gen) checkPrefixes(sites int) error {
	if n := int64(sites) * int64(g.o.Prefixes); n > MaxPrefixes {
		return fmt.Errorf("prefixes: %d sites × %d = %d prefixes, more than the %d /24s gen allocates", sites, g.o.Prefixes, n, MaxPrefixes)
	}
	return nil
}

// sitePrefixes writes `prefixes = [...]` with the next Prefixes /24s,
// eight to a line.
func (g *gen) sitePrefixes() {
	b := g.top
	b.WriteString("prefixes = [")
	var scratch [24]byte
	for i := 0; i < g.o.Prefixes; i++ {
		if i%8 == 0 {
			b.WriteString("\n  ")
		} else {
			b.WriteByte(' ')
		}
		v := uint32(10<<24) + uint32(g.nextPrefix)<<8
		g.nextPrefix++
		p := scratch[:0]
		p = append(p, '"')
		p = strconv.AppendUint(p, uint64(v>>24), 10)
		p = append(p, '.')
		p = strconv.AppendUint(p, uint64(v>>16&255), 10)
		p = append(p, '.')
		p = strconv.AppendUint(p, uint64(v>>8&255), 10)
		p = append(p, ".0/24\","...)
		b.Write(p)
	}
	b.WriteString("\n]\n")
	g.st.Prefixes += g.o.Prefixes
}

// asn gives site i (1-based) of n a private ASN: 16-bit from base when they
// all fit below 65535, else 4-byte (RFC 6996) 4200000000 + i.
func asn(base, i, n int) uint32 {
	if base+n <= 65534 {
		return uint32(base + i)
	}
	return uint32(4200000000 + i)
}

func (g *gen) site(name string, asn uint32, prefixes bool) {
	fmt.Fprintf(g.top, "[[site]]\nname     = %q\nprovider = \"generic\"\nasn      = %d\n", name, asn)
	if prefixes {
		g.sitePrefixes()
	}
	g.top.WriteByte('\n')
	g.st.Sites++
}

func (g *gen) facility(name string) {
	fmt.Fprintf(g.top, "[[facility]]\nname = %q\n\n", name)
	g.facilities[name] = true
	g.st.Facilities++
}

// router writes a router; extra is more `key = value` lines.
func (g *gen) router(name, site, facility, extra string) {
	fmt.Fprintf(g.top, "[[router]]\nname = %q\nsite = %q\n", name, site)
	if facility != "" {
		fmt.Fprintf(g.top, "facility = %q\n", facility)
	}
	g.top.WriteString(extra)
	g.top.WriteByte('\n')
	g.routers[name] = true
	g.st.Routers++
}

func (g *gen) link(name, a, b, capacity, latency string, macsec bool) {
	fmt.Fprintf(g.top, "[[link]]\nname = %q\na = %q\nb = %q\ncapacity = %q\nlatency = %q\n", name, a, b, capacity, latency)
	if macsec {
		g.top.WriteString("macsec = true\n")
	}
	g.top.WriteByte('\n')
	g.links[name] = true
	g.st.Links++
}

// session writes a session over a link; extra is more `key = value` lines.
func (g *gen) session(name, a, b, over, extra string) {
	fmt.Fprintf(g.top, "[[session]]\nname = %q\na = %q\nb = %q\nover = %q\n", name, a, b, over)
	g.top.WriteString(extra)
	g.top.WriteByte('\n')
	g.sessions[name] = true
	g.st.Sessions++
}

// scenario writes the scenario: one demand across the fabric and the fault.
func (g *gen) scenario() ([]byte, error) {
	o := g.o
	kind, target := "", ""
	switch {
	case o.Fault == "none":
	case o.Fault == "":
		kind, target = "facility-down", g.fault["facility"]
		if target == "" {
			kind, target = "link-down", g.fault["link"]
		}
	default:
		kind, target, _ = strings.Cut(o.Fault, ":")
		if target == "" {
			target = g.fault[faultKinds[kind]]
			if target == "" {
				return nil, fmt.Errorf("fault %q: the %s fabric has no %s to aim at", o.Fault, o.Kind, faultKinds[kind])
			}
		}
		var known map[string]bool
		switch faultKinds[kind] {
		case "facility":
			known = g.facilities
		case "link":
			known = g.links
		case "router":
			known = g.routers
		case "session":
			known = g.sessions
		}
		if !known[target] {
			return nil, fmt.Errorf("fault %q: this %s has no %s %q", o.Fault, o.Kind, faultKinds[kind], target)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Generated by `netdrill gen %s`.\n", g.flags())
	fmt.Fprintf(&b, "# %d sites, %d facilities, %d routers, %d links, %d sessions, %d prefixes.\n",
		g.st.Sites, g.st.Facilities, g.st.Routers, g.st.Links, g.st.Sessions, g.st.Prefixes)
	title := fmt.Sprintf("gen %s: %d routers × %d prefixes", o.Kind, g.st.Routers, g.st.Prefixes)
	if kind != "" {
		title += fmt.Sprintf(", %s %s", kind, target)
		g.st.Fault = kind + " " + target
	}
	fmt.Fprintf(&b, "name     = %q\ntopology = %q\nseed     = %d\nduration = %q\n", title, o.TopologyFile, o.Seed, dur(o.Duration))
	// The default event limit (50M) guards runs that never settle; a big
	// fabric's warm-up alone needs about an event per router·prefix and
	// session·prefix, so raise it with the size.
	if guard := uint64(g.st.Routers+g.st.Sessions+g.st.Sites) * uint64(max(g.st.Prefixes, 1)) * 20; guard > 50_000_000 {
		fmt.Fprintf(&b, "max_events = %d\n", guard)
	}
	b.WriteString("\n")
	g.st.Demand = g.demandFrom + " → " + g.demandTo
	fmt.Fprintf(&b, "[[traffic]]\nname = \"probe\"\nfrom = %q\nto   = %q\nrate = %q\n\n", g.demandFrom, g.demandTo, g.demandRate)
	if kind != "" {
		at := min(time.Minute, o.Duration/3)
		fmt.Fprintf(&b, "[[fault]]\nat     = %q\nkind   = %q\ntarget = %q\n", dur(at), kind, target)
		if kind == "link-silent" {
			b.WriteString("loss   = 1.0\n")
		}
		// A session reset is over once the session re-establishes: it
		// takes no repair (the fault registry says so).
		if at+2*time.Minute < o.Duration && kind != "session-reset" {
			fmt.Fprintf(&b, "repair = %q\n", "2m")
		}
		b.WriteString("\n")
	}
	b.WriteString("# Every best path settles: nothing oscillates at the end of the run.\n")
	b.WriteString("[[expect]]\nmetric = \"converged\"\nequal  = \"true\"\n")
	return b.Bytes(), nil
}
