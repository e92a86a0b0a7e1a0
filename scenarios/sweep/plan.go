package sweep

import (
	"fmt"
	"slices"
	"strings"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/scenarios"
	"github.com/netdrill/netdrill/scenarios/metrics"
	"github.com/netdrill/netdrill/sim"
	"github.com/netdrill/netdrill/topology"
)

// Classes of failures a sweep can choose, in the order candidates are
// listed, with the fault each one injects.
var Classes = []string{"facility", "srlg", "router", "link", "lag-member", "session", "control-plane", "provider"}

// DefaultClasses are the physical failures: what a resilience review
// means by N-1 and N-2.
var DefaultClasses = []string{"facility", "srlg", "router", "link", "lag-member"}

var classKind = map[string]faults.Kind{
	"link":          faults.LinkDown,
	"lag-member":    faults.LAGMemberDown,
	"router":        faults.RouterCrash,
	"facility":      faults.FacilityDown,
	"srlg":          faults.SRLGDown,
	"session":       faults.SessionReset,
	"control-plane": faults.ControlPlaneHang,
	"provider":      faults.ProviderOutage,
}

// ParseClasses reads "link,router,…"; empty means DefaultClasses. The
// result follows the order of Classes.
func ParseClasses(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultClasses, nil
	}
	want := map[string]bool{}
	for _, c := range strings.Split(s, ",") {
		c = strings.TrimSpace(c)
		if _, ok := classKind[c]; !ok {
			return nil, fmt.Errorf("--kinds: unknown kind %q; want some of %s", c, strings.Join(Classes, ","))
		}
		want[c] = true
	}
	var out []string
	for _, c := range Classes {
		if want[c] {
			out = append(out, c)
		}
	}
	return out, nil
}

// Failure is one failed component: a class, the fault it injects and its
// target.
type Failure struct {
	Class  string      `json:"class"`
	Kind   faults.Kind `json:"kind"`
	Target string      `json:"target"`
}

func (f Failure) String() string { return string(f.Kind) + " " + f.Target }

// Label names a failure set: "facility-down fac1 + link-down ch3".
func Label(fs []Failure) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = f.String()
	}
	return strings.Join(s, " + ")
}

// Options of a sweep.
type Options struct {
	Depth   int      // 1: every single failure; 2: every single and pair
	Classes []string // nil: DefaultClasses
	// At is when the failures happen (0: the scenario's first scripted
	// fault's time, else 1m, at most half the duration).
	At sim.Time
	// Repair is how long they last (0: to the end of the run).
	Repair sim.Time
	// NoSymmetry simulates every failure set, symmetric or not.
	NoSymmetry bool
	// SearchBudget bounds the automorphism search (refinements; 0: 20000).
	SearchBudget int
}

// Case is one simulated failure set and the symmetric sets it stands for.
type Case struct {
	Failures []Failure
	// Members are every failure set this case stands for, itself first.
	Members [][]Failure
}

// Plan is a sweep's job list.
type Plan struct {
	// Original is the scenario as loaded; Scenario the one simulated: the
	// same traffic, duration and seed, without its scripted and random
	// faults, and with the expectations' fault selectors dropped (they
	// apply to the sweep's failures).
	Original, Scenario *scenarios.Scenario
	Options            Options
	Candidates         []Failure
	Cases              []Case
	// Total is the number of failure sets before symmetry.
	Total int
}

// Candidates lists every failure of the given classes in the topology, in
// class order then topology order.
func Candidates(t *topology.Topology, classes []string) []Failure {
	var out []Failure
	for _, c := range Classes {
		if !slices.Contains(classes, c) {
			continue
		}
		k := classKind[c]
		var targets []string
		if k == faults.ProviderOutage {
			seen := map[string]bool{}
			for _, s := range t.Sites {
				if !seen[s.Provider] {
					seen[s.Provider] = true
					targets = append(targets, s.Provider)
				}
			}
			slices.Sort(targets)
		} else {
			targets = faults.Targets(k, t)
		}
		for _, tg := range targets {
			out = append(out, Failure{Class: c, Kind: k, Target: tg})
		}
	}
	return out
}

// NewPlan plans a sweep of sc: the candidates, the failure sets of the
// depth, their symmetry classes. It never mutates sc.
func NewPlan(sc *scenarios.Scenario, opt Options) (*Plan, error) {
	if opt.Depth < 1 || opt.Depth > 2 {
		return nil, fmt.Errorf("--depth must be 1 or 2, got %d", opt.Depth)
	}
	if opt.Classes == nil {
		opt.Classes = DefaultClasses
	}
	if opt.At == 0 {
		opt.At = sim.Minute
		if len(sc.Faults) > 0 {
			first := sc.Faults[0].At
			for _, f := range sc.Faults {
				first = min(first, f.At)
			}
			if first > 0 {
				opt.At = first
			}
		}
		opt.At = min(opt.At, sc.Duration/2)
	}
	if opt.At <= 0 || opt.At >= sc.Duration {
		return nil, fmt.Errorf("--at %v: must be inside the run (0, %v)", opt.At, sc.Duration)
	}
	if opt.Repair < 0 {
		return nil, fmt.Errorf("--repair must not be negative")
	}
	if opt.SearchBudget == 0 {
		opt.SearchBudget = 20000
	}
	swept := *sc
	swept.Faults, swept.Random = nil, nil
	swept.Expect = make([]metrics.Expect, len(sc.Expect))
	for i, e := range sc.Expect {
		e.Fault = ""
		swept.Expect[i] = e
	}
	p := &Plan{Original: sc, Scenario: &swept, Options: opt, Candidates: Candidates(sc.Topology, opt.Classes)}

	keep := named{"link": {}, "pool": {}}
	for _, e := range sc.Expect {
		if e.Link != "" {
			keep["link"][e.Link] = true
		}
		if e.Pool != "" {
			keep["pool"][e.Pool] = true
		}
	}
	var sym *symmetry
	if !opt.NoSymmetry {
		sym = newSymmetry(sc.Topology, keep, p.Candidates, opt.SearchBudget)
	}
	n := len(p.Candidates)
	one := func(i int) []Failure { return []Failure{p.Candidates[i]} }
	// Singles.
	var roots []int
	if sym != nil {
		roots = sym.singles()
	} else {
		roots = identity(n)
	}
	members := map[int][][]Failure{}
	for i := 0; i < n; i++ {
		members[roots[i]] = append(members[roots[i]], one(i))
	}
	for i := 0; i < n; i++ {
		if roots[i] == i {
			p.Cases = append(p.Cases, Case{Failures: one(i), Members: members[i]})
		}
	}
	p.Total = n
	if opt.Depth == 2 {
		pairs := make([][2]int, 0, n*(n-1)/2)
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				pairs = append(pairs, [2]int{i, j})
			}
		}
		var proots []int
		if sym != nil {
			proots = sym.pairs(pairs)
		} else {
			proots = identity(len(pairs))
		}
		pm := map[int][][]Failure{}
		for k, pr := range pairs {
			pm[proots[k]] = append(pm[proots[k]], []Failure{p.Candidates[pr[0]], p.Candidates[pr[1]]})
		}
		for k, pr := range pairs {
			if proots[k] == k {
				p.Cases = append(p.Cases, Case{Failures: []Failure{p.Candidates[pr[0]], p.Candidates[pr[1]]}, Members: pm[k]})
			}
		}
		p.Total += len(pairs)
	}
	// Check every fault once against the topology (and fill defaults).
	for _, c := range p.Cases {
		for _, f := range p.faultsOf(c) {
			if errs := faults.Validate(&f, sc.Topology); len(errs) > 0 {
				return nil, fmt.Errorf("sweep fault %v: %v", f, errs[0])
			}
		}
	}
	return p, nil
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// faultsOf makes a case's faults: IDs s1, s2, … (never a scenario's), all
// at Options.At, lasting Options.Repair (0: to the end).
func (p *Plan) faultsOf(c Case) []faults.Fault {
	out := make([]faults.Fault, len(c.Failures))
	for i, f := range c.Failures {
		ft := faults.Fault{ID: fmt.Sprintf("s%d", i+1), Kind: f.Kind, Target: f.Target, At: p.Options.At, Repair: p.Options.Repair}
		_ = faults.Validate(&ft, p.Scenario.Topology) // defaults only; checked in NewPlan
		out[i] = ft
	}
	return out
}

// Jobs returns one job per case, in case order.
func (p *Plan) Jobs() []scenarios.Job {
	jobs := make([]scenarios.Job, len(p.Cases))
	for i, c := range p.Cases {
		jobs[i] = scenarios.Job{Name: Label(c.Failures), Scenario: p.Scenario, Seed: p.Scenario.Seed, Steps: p.faultsOf(c)}
	}
	return jobs
}

// symmetry computes the orbits of failure sets under the fabric's
// automorphisms (see symmetry.go).
type symmetry struct {
	g     *graph
	s     *searcher
	cands []Failure
	node  []int
	at    map[[2]int]int // (class index, node) → candidate
	base  []int          // refined colours, nothing individualised
	gens  [][]int
	roots []int
}

func newSymmetry(t *topology.Topology, keep named, cands []Failure, budget int) *symmetry {
	g := buildGraph(t, keep)
	s := &symmetry{g: g, s: &searcher{g: g, budget: budget}, cands: cands, at: map[[2]int]int{}}
	prefix := map[string]string{"link": "link:", "lag-member": "link:", "router": "router:", "control-plane": "router:",
		"facility": "facility:", "srlg": "srlg:", "session": "session:", "provider": "provider:"}
	s.node = make([]int, len(cands))
	for i, c := range cands {
		id, ok := g.index[prefix[c.Class]+c.Target]
		if !ok {
			id = -1 - i // never symmetric with anything
		}
		s.node[i] = id
		s.at[[2]int{slices.Index(Classes, c.Class), id}] = i
	}
	s.base = slices.Clone(g.colour)
	s.g.refine(s.base, slices.Clone(g.colour))
	return s
}

// image is the candidate that generator p maps candidate i to (-1: none).
func (s *symmetry) image(p []int, i int) int {
	if s.node[i] < 0 {
		return -1
	}
	j, ok := s.at[[2]int{slices.Index(Classes, s.cands[i].Class), p[s.node[i]]}]
	if !ok {
		return -1
	}
	return j
}

func (s *symmetry) sameColour(i, j int) bool {
	return s.cands[i].Class == s.cands[j].Class && s.node[i] >= 0 && s.node[j] >= 0 && s.base[s.node[i]] == s.base[s.node[j]]
}

// singles returns, for every candidate, the first candidate of its orbit.
func (s *symmetry) singles() []int {
	n := len(s.cands)
	uf := newUnionFind(n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if !s.sameColour(i, j) || uf.find(i) == uf.find(j) {
				continue
			}
			if p := s.s.find([]int{s.node[i]}, []int{s.node[j]}); p != nil {
				s.gens = append(s.gens, p)
				for k := 0; k < n; k++ {
					if m := s.image(p, k); m >= 0 {
						uf.union(k, m)
					}
				}
			}
		}
	}
	s.roots = make([]int, n)
	for i := range s.roots {
		s.roots[i] = uf.find(i)
	}
	return s.roots
}

// pairs returns, for every pair (indices into the candidates), the index
// of the first pair of its orbit. singles must have run.
func (s *symmetry) pairs(pairs [][2]int) []int {
	n := len(s.cands)
	// Stabilisers of the orbit representatives: automorphisms fixing x
	// that move one candidate onto another.
	for x := 0; x < n; x++ {
		if s.roots[x] != x || s.node[x] < 0 {
			continue
		}
		uf := newUnionFind(n)
		fixed := []int{s.node[x]}
		// Colours with x individualised: candidates of different colours
		// cannot be swapped by an automorphism that fixes x.
		cx := slices.Clone(s.g.colour)
		cx[s.node[x]] = len(s.g.adj) + 1
		s.g.refine(cx, slices.Clone(cx))
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				if i == x || j == x || !s.sameColour(i, j) || cx[s.node[i]] != cx[s.node[j]] || uf.find(i) == uf.find(j) {
					continue
				}
				p := s.s.find(append(slices.Clone(fixed), s.node[i]), append(slices.Clone(fixed), s.node[j]))
				if p == nil {
					continue
				}
				s.gens = append(s.gens, p)
				for k := 0; k < n; k++ {
					if m := s.image(p, k); m >= 0 {
						uf.union(k, m)
					}
				}
			}
		}
	}
	id := make(map[[2]int]int, len(pairs))
	for k, pr := range pairs {
		id[pr] = k
	}
	uf := newUnionFind(len(pairs))
	for _, p := range s.gens {
		for k, pr := range pairs {
			a, b := s.image(p, pr[0]), s.image(p, pr[1])
			if a < 0 || b < 0 || a == b {
				continue
			}
			if a > b {
				a, b = b, a
			}
			if m, ok := id[[2]int{a, b}]; ok {
				uf.union(k, m)
			}
		}
	}
	out := make([]int, len(pairs))
	for k := range out {
		out[k] = uf.find(k)
	}
	return out
}
