package scenarios

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"math"
	"net/netip"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/faults/catalog"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

// Load reads and validates a scenario file; a topology path in it is
// relative to the file. Invalid input yields a *topology.ErrorList with
// every problem, each with file:line:col and key.
func Load(file string) (*Scenario, error) {
	data, err := topology.ReadFile(file)
	if err != nil {
		return nil, err
	}
	return Parse(file, data, func(rel string) (*topology.Topology, error) {
		p := rel
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(file), rel)
		}
		return topology.Load(p)
	})
}

// LoadFS is Load from a file system (the embedded examples).
func LoadFS(fsys fs.FS, file string) (*Scenario, error) {
	data, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, &topology.ErrorList{Errors: []*topology.Error{{File: file, Msg: err.Error()}}}
	}
	return Parse(file, data, func(rel string) (*topology.Topology, error) {
		p := path.Clean(path.Join(path.Dir(file), rel))
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		return topology.Parse(p, b)
	})
}

// Parse reads a scenario from bytes. loadTopology resolves the topology
// path written in the file. It never panics.
func Parse(name string, data []byte, loadTopology func(rel string) (*topology.Topology, error)) (*Scenario, error) {
	doc, err := topology.ParseDocument(name, data)
	if err != nil {
		return nil, err
	}
	root := doc.Root()
	sc := &Scenario{File: name}
	defer func() {
		// The digest covers the scenario's bytes and its topology file's.
		h := sha256.New()
		h.Write(data)
		if sc.Topology != nil {
			h.Write([]byte(sc.Topology.SHA256))
		}
		sc.SHA256 = hex.EncodeToString(h.Sum(nil))
	}()
	sc.Name = root.Name("name")
	sc.Description, _ = root.Str("description")

	// Topology: a path, or an inline table.
	switch v, _ := root.Raw("topology"); v.(type) {
	case nil:
		root.Errorf("topology", "missing topology: a path to a topology file, or an inline [topology] table")
	case string:
		sc.TopologyPath = v.(string)
		top, err := loadTopology(sc.TopologyPath)
		if err != nil {
			doc.Add("topology", err)
		}
		sc.Topology = top
	case map[string]any:
		t, _ := root.Sub("topology")
		sc.Topology = doc.Topology(t, sc.Name)
	default:
		root.Errorf("topology", "want a path string or a table")
	}

	if seed, ok := root.Int("seed", 0, math.MaxInt64); ok {
		sc.Seed = uint64(seed)
	}
	if d, ok := root.Duration("duration"); ok {
		if d <= 0 {
			root.Errorf("duration", "must be positive")
		}
		sc.Duration = sim.Time(d)
	} else if !root.Has("duration") {
		root.Errorf("duration", `missing duration, e.g. duration = "15m"`)
	}
	if d, ok := root.Duration("settle"); ok {
		sc.Settle = sim.Time(d)
	}
	if d, ok := root.Duration("max_warmup"); ok {
		sc.MaxWarmup = sim.Time(d)
	}
	if n, ok := root.Int("max_events", 1, math.MaxInt64); ok {
		sc.MaxEvents = uint64(n)
	}

	if b, ok := root.Bool("elastic"); ok {
		sc.Elastic = b
	}

	sites := map[string]bool{}
	if sc.Topology != nil {
		for _, s := range sc.Topology.Sites {
			sites[s.Name] = true
		}
	}
	names := map[string]bool{}
	for _, t := range root.Tables("traffic") {
		tr := Traffic{Name: t.Name("name"), From: t.Name("from"), To: t.Name("to")}
		if names[tr.Name] && tr.Name != "" {
			t.Errorf("name", "demand %q defined twice", tr.Name)
		}
		names[tr.Name] = true
		if bw, ok := t.Bandwidth("rate"); ok {
			tr.Rate = float64(bw)
		} else if !t.Has("rate") {
			t.Errorf("rate", `missing rate, e.g. rate = "10Gbps"`)
		}
		if sc.Topology != nil {
			if tr.From != "" && !sites[tr.From] {
				t.Errorf("from", "unknown site %q%s", tr.From, topology.DidYouMean(tr.From, sc.Topology.SiteNames()))
			}
			if tr.To != "" && !sites[tr.To] {
				if p, err := netip.ParsePrefix(tr.To); err != nil {
					t.Errorf("to", "unknown site %q%s (or give a prefix such as \"10.2.0.0/16\")", tr.To, topology.DidYouMean(tr.To, sc.Topology.SiteNames()))
				} else if p.Masked() != p {
					t.Errorf("to", "prefix %q has host bits set (did you mean %q?)", tr.To, p.Masked().String())
				}
			}
		}
		tr.Profile = readProfile(t, sc.Duration)
		t.Done()
		sc.Traffic = append(sc.Traffic, tr)
	}

	for _, t := range root.Tables("tenant") {
		tp := TenantProfile{Name: t.Name("name")}
		if sc.Topology != nil && tp.Name != "" {
			if _, ok := sc.Topology.Tenant(tp.Name); !ok {
				t.Errorf("name", "unknown tenant %q%s", tp.Name, topology.DidYouMean(tp.Name, sc.Topology.TenantNames()))
			}
		}
		if !t.Has("profile") {
			t.Missing("profile")
		}
		tp.Profile = readProfile(t, sc.Duration)
		t.Done()
		sc.Tenants = append(sc.Tenants, tp)
	}

	readMaxFaults(root, sc)
	faultIDs := map[string]bool{}
	faultTargets := map[string]bool{}
	for i, t := range root.Tables("fault") {
		before := doc.Len()
		f := faults.Fault{ID: "f" + strconv.Itoa(i+1)}
		if id, ok := t.Str("id"); ok && id != "" {
			f.ID = id
		}
		if faultIDs[f.ID] {
			t.Errorf("id", "fault %q defined twice", f.ID)
		}
		faultIDs[f.ID] = true
		var kind catalog.Kind
		known := false
		if k, ok := t.Str("kind"); ok {
			f.Kind = faults.Kind(k)
			if kind, known = catalog.Lookup(k); !known {
				t.Errorf("kind", "%v", catalog.UnknownKind(k))
			}
		} else if !t.Has("kind") {
			t.Errorf("kind", "missing kind, e.g. kind = \"link-down\"")
		}
		f.Target = t.Name(kind.TargetName())
		if d, ok := t.Duration("at"); ok {
			f.At = sim.Time(d)
		} else if !t.Has("at") {
			t.Errorf("at", `missing at, e.g. at = "2m"`)
		}
		readFaultParams(t, &f, kind, known)
		t.Done()
		faultTargets[f.Target] = true
		// Validate against the topology only what read cleanly, so that
		// one mistake does not produce a second, misleading error.
		if sc.Topology != nil && f.Kind != "" && doc.Len() == before {
			for _, err := range faults.Validate(&f, sc.Topology) {
				key, msg := splitKey(err.Error())
				t.Errorf(key, "%s", msg)
			}
		}
		if sc.Duration > 0 && f.At >= sc.Duration {
			t.Errorf("at", "fault at %v is not before the end of the run (%v)", f.At, sc.Duration)
		}
		sc.Faults = append(sc.Faults, f)
	}

	readSteps(root, sc, faultIDs, faultTargets, names)

	var randoms []*topology.Table // the table of each spec kept in sc.Random
	for _, t := range root.Tables("random") {
		spec := faults.ClassSpec{Class: t.Name("class"), Kind: t.Name("kind")}
		if spec.Kind != "" {
			if k, ok := catalog.Lookup(spec.Kind); !ok {
				t.Errorf("kind", "%v", catalog.UnknownKind(spec.Kind))
				spec.Kind = ""
			} else if !k.Random() {
				t.Errorf("kind", "[[random]] cannot draw %s faults: they need %s, which a random class does not give",
					k.Name, strings.Join(requiredParams(k), ", "))
				spec.Kind = ""
			}
		}
		spec.Components, _ = t.Strs("components")
		for _, key := range []string{"mtbf", "mttr"} {
			s, ok := t.Str(key)
			if !ok {
				if !t.Has(key) {
					t.Errorf(key, `missing %s, e.g. %s = "exp(8760h)"`, key, key)
				}
				continue
			}
			d, err := faults.ParseDist(s)
			if err != nil {
				t.Errorf(key, "%v", err)
				continue
			}
			if key == "mtbf" {
				spec.MTBF = d
			} else {
				spec.MTTR = d
			}
		}
		t.Done()
		if sc.Topology != nil && spec.Kind != "" {
			if len(spec.Components) == 0 {
				spec.Components = faults.Targets(faults.Kind(spec.Kind), sc.Topology)
				if len(spec.Components) == 0 {
					t.Errorf("kind", "no component of this topology can take a %q fault; list components", spec.Kind)
				}
			}
			for _, c := range spec.Components {
				f := faults.Fault{Kind: faults.Kind(spec.Kind), Target: c}
				for _, err := range faults.Validate(&f, sc.Topology) {
					key, msg := splitKey(err.Error())
					if key == "target" {
						key = "components"
					}
					t.Errorf(key, "%s", msg)
				}
			}
		}
		if spec.Class != "" && spec.Kind != "" && !spec.MTBF.IsZero() && !spec.MTTR.IsZero() {
			for _, err := range faults.ValidateClassSpecs([]faults.ClassSpec{spec}) {
				t.Errorf("class", "%v", err)
			}
			sc.Random = append(sc.Random, spec)
			randoms = append(randoms, t)
		}
	}

	for _, t := range root.Tables("expect") {
		before := doc.Len()
		e := readExpect(t, sc, faultIDs, faultTargets, names, len(sc.Random) > 0, "", func() bool { return doc.Len() == before })
		sc.Expect = append(sc.Expect, e)
	}
	sc.Campaign = readCampaign(root, name, names)
	checkSense(doc, root, sc, randoms)
	root.Done()
	if err := doc.Err(); err != nil {
		return nil, err
	}
	if sc.Topology != nil && sc.TopologyPath != "" {
		sc.Warnings = append(sc.Warnings, sc.Topology.Warnings...)
	}
	sc.Warnings = append(sc.Warnings, doc.Warnings()...)
	return sc, nil
}

// bound reads a bound written as a string ("1s", "2GB", "99%") or a number.
func bound(t *topology.Table, key string) string {
	v, ok := t.Raw(key)
	if !ok {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64) // no exponent: the unit grammar has none
	case bool:
		return strconv.FormatBool(x)
	}
	t.Errorf(key, "want a value with its unit, such as \"1s\" or \"2GB\"")
	return ""
}

// readFaultParams reads the repair key and the parameters of a [[fault]]
// of the registry kind k (known is false when the kind is unknown: its keys
// are then left unchecked, as the kind is already an error). A key that k
// does not take is an error at the key, listing the keys k takes.
func readFaultParams(t *topology.Table, f *faults.Fault, k catalog.Kind, known bool, extra ...string) {
	if !known {
		for _, key := range t.Keys() {
			t.Raw(key) // the kind is wrong; do not also report its keys
		}
		return
	}
	also := ""
	if len(extra) > 0 {
		also = " (and " + strings.Join(extra, ", ") + ")"
	}
	for _, key := range t.Keys() {
		switch {
		case slices.Contains(extra, key):
		case key == "repair" && k.NoRepair != "":
			t.KeyErrorf(key, "%s takes no repair: %s", k.Name, k.NoRepair)
		case !k.Accepts(key):
			t.KeyErrorf(key, "%s does not take %q; it takes %s%s", k.Name, key, strings.Join(k.Keys(), ", "), also)
		}
	}
	if k.NoRepair == "" {
		if d, ok := t.Duration("repair"); ok {
			f.Repair = sim.Time(d)
		}
	}
	for _, p := range k.Params {
		v, ok := readParam(t, p)
		if !ok {
			continue
		}
		if err := f.SetParam(p.Name, v); err != nil {
			t.Errorf(p.Name, "%v", err)
		}
	}
}

// readParam reads one registry parameter with its type's reader; every
// number must be positive (zero would mean "unset").
func readParam(t *topology.Table, p catalog.Param) (any, bool) {
	if !t.Has(p.Name) {
		return nil, false
	}
	positive := func(zero bool) bool {
		if zero {
			t.Errorf(p.Name, "must be positive (%s)", p.Doc)
		}
		return !zero
	}
	switch p.Type {
	case catalog.Duration:
		d, ok := t.Duration(p.Name)
		return d, ok && positive(d == 0)
	case catalog.Bandwidth:
		b, ok := t.Bandwidth(p.Name)
		return float64(b), ok && positive(b == 0)
	case catalog.Ratio:
		r, ok := t.Ratio(p.Name, 1)
		if ok && r == 0 {
			t.Errorf(p.Name, "want a ratio in (0, 1], got 0")
			return nil, false
		}
		return r, ok
	case catalog.Int:
		return t.Int(p.Name, p.Min, p.Max)
	case catalog.Bool:
		return t.Bool(p.Name)
	case catalog.Strings:
		return t.Strs(p.Name)
	case catalog.Choice:
		s, ok := t.Str(p.Name)
		if !ok {
			return nil, false
		}
		v, err := p.Parse(s)
		if err != nil {
			t.Errorf(p.Name, "%v", err)
			return nil, false
		}
		return v, true
	case catalog.Prefix:
		s, ok := t.Str(p.Name)
		if !ok {
			return nil, false
		}
		v, err := p.Parse(s)
		if err != nil {
			t.Errorf(p.Name, "%v", err)
			return nil, false
		}
		return v, true
	}
	return t.Str(p.Name)
}

// requiredParams names the required parameters of k.
func requiredParams(k catalog.Kind) []string {
	var out []string
	for _, p := range k.Params {
		if p.Required {
			out = append(out, p.Name)
		}
	}
	return out
}

// splitKey splits "key: message" as produced by faults.Validate.
func splitKey(s string) (string, string) {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == ':' && s[i+1] == ' ' {
			return s[:i], s[i+2:]
		}
	}
	return "kind", s
}

// readProfile reads a `profile = [{ at = "5m", rate = "20Gbps" }, …]` list.
func readProfile(t *topology.Table, duration sim.Time) []RatePoint {
	var out []RatePoint
	for _, p := range t.Tables("profile") {
		var rp RatePoint
		if d, ok := p.Duration("at"); ok {
			rp.At = sim.Time(d)
			if duration > 0 && rp.At >= duration {
				p.Errorf("at", "rate change at %v is not before the end of the run (%v)", rp.At, duration)
			}
		} else if !p.Has("at") {
			p.Missing("at")
		}
		if bw, ok := p.Bandwidth("rate"); ok {
			rp.Rate = float64(bw)
		} else if !p.Has("rate") {
			p.Missing("rate")
		}
		p.Done()
		out = append(out, rp)
	}
	return out
}
