package gen

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netdrill/netdrill/topology"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

func bfd300x3() *topology.BFD { return &topology.BFD{Interval: 300 * time.Millisecond, Multiplier: 3} }

// Every kind at several sizes: the topology parses, the counts are the
// ones asked for (and the ones Stats reports), and the scenario names it.
func TestGenerateValidAndCounts(t *testing.T) {
	cases := []struct {
		name string
		o    Options
		// want: sites in the topology, routers, links, sessions
		sites, routers, links, sessions int
	}{
		{"quad-mesh 2 sites", Options{Kind: QuadMesh, Sites: 2}, 2, 8, 4, 4},
		{"quad-mesh 4 sites", Options{Kind: QuadMesh, Sites: 4, Prefixes: 10}, 4, 4 * 4 * 3, 4 * 6, 4 * 6},
		{"quad-mesh ring 5", Options{Kind: QuadMesh, Sites: 5, Shape: "ring"}, 5, 8 * 5, 4 * 5, 4 * 5},
		// --routers 100: the largest full mesh with 4N(N−1) ≤ 100 is N = 5 (80 routers).
		{"quad-mesh routers 100", Options{Kind: QuadMesh, Routers: 100}, 5, 80, 40, 40},
		{"quad-mesh ring routers 100", Options{Kind: QuadMesh, Routers: 100, Shape: "ring"}, 12, 96, 48, 48},
		// 2 spines + 2 × 4 racks; sites: 2 spine sites + 4 racks.
		{"leaf-spine default", Options{Kind: LeafSpine}, 6, 10, 16, 16},
		{"leaf-spine 10 racks 4 spines", Options{Kind: LeafSpine, Sites: 10, Spines: 4, Prefixes: 3}, 14, 24, 80, 80},
		// --routers 100: 4 spines, (100−4)/2 = 48 racks.
		{"leaf-spine routers 100", Options{Kind: LeafSpine, Routers: 100}, 52, 100, 4 * 96, 4 * 96},
		// BA m = 2: 3 + 2(N−3) links.
		{"as-graph 10", Options{Kind: ASGraph, Sites: 10}, 10, 10, 17, 17},
		{"as-graph 100", Options{Kind: ASGraph, Routers: 100, Prefixes: 2, MRAI: 30 * time.Second}, 100, 100, 197, 197},
		{"as-graph 1000 (4-byte ASNs)", Options{Kind: ASGraph, Sites: 1000}, 1000, 1000, 1997, 1997},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.o.BFD = bfd300x3()
			out, err := Generate(c.o)
			if err != nil {
				t.Fatal(err)
			}
			top, err := topology.Parse("topology.toml", out.Topology)
			if err != nil {
				t.Fatalf("generated topology does not parse:\n%v", err)
			}
			got := [4]int{len(top.Sites), len(top.Routers), len(top.Links), len(top.Sessions)}
			want := [4]int{c.sites, c.routers, c.links, c.sessions}
			if got != want {
				t.Errorf("sites, routers, links, sessions = %v, want %v", got, want)
			}
			st := out.Stats
			if st.Sites != len(top.Sites) || st.Routers != len(top.Routers) || st.Links != len(top.Links) || st.Sessions != len(top.Sessions) || st.Facilities != len(top.Facilities) {
				t.Errorf("stats %+v disagree with the topology", st)
			}
			var prefixes int
			seen := map[string]bool{}
			for _, s := range top.Sites {
				prefixes += len(s.Prefixes)
				for _, p := range s.Prefixes {
					if seen[p.String()] {
						t.Fatalf("prefix %v twice", p)
					}
					seen[p.String()] = true
				}
			}
			per := max(c.o.Prefixes, 1)
			if wantP := per * (c.sites - c.o.Spines); c.o.Kind != LeafSpine && prefixes != wantP {
				t.Errorf("%d prefixes, want %d", prefixes, wantP)
			}
			if prefixes != st.Prefixes {
				t.Errorf("%d prefixes, stats say %d", prefixes, st.Prefixes)
			}
			for _, s := range top.Sessions {
				if s.BFD == nil || *s.BFD != *bfd300x3() {
					t.Fatalf("session %s: BFD %v, want 300ms × 3", s.Name, s.BFD)
				}
				if c.o.Kind != LeafSpine && s.A.MRAI != c.o.MRAI {
					t.Fatalf("session %s: MRAI %v, want %v", s.Name, s.A.MRAI, c.o.MRAI)
				}
			}
			if !bytes.Contains(out.Scenario, []byte(`topology = "topology.toml"`)) {
				t.Errorf("scenario does not name topology.toml:\n%s", out.Scenario)
			}
		})
	}
}

// Same options ⇒ identical bytes; another seed changes the random kind's
// graph (and only the seed lines of the others).
func TestGenerateDeterministic(t *testing.T) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			o := Options{Kind: k, Sites: 30, Prefixes: 3, Seed: 1}
			a, err := Generate(o)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := Generate(o)
			if !bytes.Equal(a.Topology, b.Topology) || !bytes.Equal(a.Scenario, b.Scenario) {
				t.Fatal("two generations with the same options differ")
			}
			o.Seed = 2
			c, _ := Generate(o)
			body := func(b []byte) string { // without the comment lines (they carry --seed)
				var keep []string
				for _, l := range strings.Split(string(b), "\n") {
					if !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "name =") {
						keep = append(keep, l)
					}
				}
				return strings.Join(keep, "\n")
			}
			same := body(a.Topology) == body(c.Topology)
			if k == ASGraph && same {
				t.Error("seeds 1 and 2 gave the same AS graph")
			}
			if k != ASGraph && !same {
				t.Errorf("%s does not depend on the seed, but seeds 1 and 2 differ", k)
			}
			if bytes.Equal(a.Scenario, c.Scenario) {
				t.Error("the scenario's seed did not change")
			}
		})
	}
}

// The Barabási–Albert graph: m new edges per new node after a clique of
// m+1, no self loop or repeated edge, connected, and the degree
// distribution heavy-tailed (the largest hub far above m).
func TestPreferentialAttachment(t *testing.T) {
	for _, c := range []struct{ n, m int }{{4, 2}, {10, 2}, {1000, 2}, {500, 3}, {50, 1}} {
		for seed := uint64(1); seed <= 3; seed++ {
			g := PreferentialAttachment(c.n, c.m, rand.New(rand.NewPCG(seed, 1)))
			if want := c.m*(c.m+1)/2 + c.m*(c.n-c.m-1); len(g.Edges) != want {
				t.Fatalf("n=%d m=%d: %d edges, want %d", c.n, c.m, len(g.Edges), want)
			}
			ug := simple.NewUndirectedGraph()
			for i := 0; i < c.n; i++ {
				ug.AddNode(simple.Node(i))
			}
			for _, e := range g.Edges {
				if e[0] >= e[1] {
					t.Fatalf("edge %v: want older < newer", e)
				}
				if ug.HasEdgeBetween(int64(e[0]), int64(e[1])) {
					t.Fatalf("n=%d m=%d: edge %v twice", c.n, c.m, e)
				}
				ug.SetEdge(simple.Edge{F: simple.Node(e[0]), T: simple.Node(e[1])})
			}
			if cc := topo.ConnectedComponents(ug); len(cc) != 1 {
				t.Fatalf("n=%d m=%d: %d components", c.n, c.m, len(cc))
			}
			if c.n >= 500 {
				var top int32
				for _, d := range g.Degrees() {
					top = max(top, d)
				}
				if top < int32(8*c.m) {
					t.Errorf("n=%d m=%d: largest degree %d: no hub emerged", c.n, c.m, top)
				}
			}
		}
	}
}

// Relationships: the core peers; every later AS has a provider (its first
// link) that is older, so every AS has a valley-free path up to the core.
func TestRelationships(t *testing.T) {
	g := PreferentialAttachment(300, 2, rand.New(rand.NewPCG(7, 1)))
	rel := Relationships(g, 2)
	hasProvider := make([]bool, g.N)
	var peers int
	for k, e := range g.Edges {
		if k < 3 && rel[k] != Peer {
			t.Errorf("core edge %v is not a peering", e)
		}
		if rel[k] == Provider {
			hasProvider[e[1]] = true
		} else {
			peers++
		}
	}
	for v := 3; v < g.N; v++ {
		if !hasProvider[v] {
			t.Errorf("AS index %d has no provider", v)
		}
	}
	if peers <= 3 || peers >= len(g.Edges)/2 {
		t.Errorf("%d peerings of %d links: want some, but mostly customer–provider", peers, len(g.Edges))
	}
}

// The Gao–Rexford policies as written for one provider link and one
// peering (hand-checked against doc.go).
func TestASGraphPolicies(t *testing.T) {
	out, err := Generate(Options{Kind: ASGraph, Sites: 6, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	top, err := topology.Parse("t.toml", out.Topology)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := top.Session("as1-as2") // core: a peering
	if !ok {
		t.Fatal("no session as1-as2")
	}
	if lp := s.A.Import[0].LocalPref; lp == nil || *lp != 100 || s.A.Import[0].AddCommunities[0] != "65002:1" {
		t.Errorf("as1 import from peer as2: %+v", s.A.Import)
	}
	if len(s.B.Export) != 2 || s.B.Export[0].MatchCommunity != "65002:2" || !s.B.Export[0].Deny || s.B.Export[1].MatchCommunity != "65003:2" {
		t.Errorf("as2 export to peer as1: %+v", s.B.Export)
	}
	// AS 4 (index 3) is the first non-core AS: its first link is to its provider.
	var prov *topology.Session
	for i := range top.Sessions {
		if strings.HasSuffix(top.Sessions[i].Name, "-as4") {
			prov = &top.Sessions[i]
			break
		}
	}
	if prov == nil {
		t.Fatal("as4 has no link")
	}
	if lp := prov.A.Import[0].LocalPref; lp == nil || *lp != 200 || len(prov.A.Export) != 0 {
		t.Errorf("provider's import from customer as4: %+v, export %+v", prov.A.Import, prov.A.Export)
	}
	if lp := prov.B.Import[0].LocalPref; lp == nil || *lp != 50 || prov.B.Import[0].AddCommunities[0] != "65003:4" {
		t.Errorf("as4's import from its provider: %+v", prov.B.Import)
	}
	if len(prov.B.Export) != 2 || !prov.B.Export[1].Deny {
		t.Errorf("as4's export to its provider: %+v", prov.B.Export)
	}
}

func TestGenerateFaults(t *testing.T) {
	cases := []struct {
		o    Options
		want string // fault line in the scenario, "" for none
		err  string
	}{
		{Options{Kind: QuadMesh}, `kind   = "facility-down"` + "\n" + `target = "s1-s2-fac1"`, ""},
		{Options{Kind: LeafSpine}, `kind   = "facility-down"` + "\n" + `target = "pop-fac1"`, ""},
		{Options{Kind: ASGraph, Sites: 10}, `kind   = "link-down"`, ""},
		{Options{Kind: QuadMesh, Fault: "router-crash"}, `kind   = "router-crash"` + "\n" + `target = "s1-s2-a1"`, ""},
		{Options{Kind: LeafSpine, Fault: "link-silent:spine2-leaf3b"}, `target = "spine2-leaf3b"` + "\nloss   = 1.0", ""},
		{Options{Kind: QuadMesh, Fault: "none"}, "", ""},
		{Options{Kind: ASGraph, Fault: "facility-down"}, "", "has no facility"},
		{Options{Kind: QuadMesh, Fault: "link-down:nope"}, "", `has no link "nope"`},
		{Options{Kind: QuadMesh, Fault: "meteor"}, "", "want none, or KIND"},
	}
	for _, c := range cases {
		out, err := Generate(c.o)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%+v: error %v, want %q", c.o, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", c.o, err)
		}
		sc := string(out.Scenario)
		if c.want == "" && strings.Contains(sc, "[[fault]]") || c.want != "" && !strings.Contains(sc, c.want) {
			t.Errorf("%+v: scenario\n%s\nwant %q", c.o, sc, c.want)
		}
	}
}

func TestGenerateBadOptions(t *testing.T) {
	cases := []struct {
		o   Options
		err string
	}{
		{Options{}, "kind: missing"},
		{Options{Kind: "torus"}, `kind "torus"`},
		{Options{Kind: QuadMesh, Sites: 1}, "at least 2"},
		{Options{Kind: QuadMesh, Sites: 2000}, "try --shape ring"},
		{Options{Kind: QuadMesh, Shape: "star"}, `shape "star"`},
		{Options{Kind: LeafSpine, Shape: "ring"}, "only quad-mesh"},
		{Options{Kind: ASGraph, Spines: 2}, "only leaf-spine"},
		{Options{Kind: ASGraph, Sites: 3}, "at least 4"},
		{Options{Kind: ASGraph, Sites: 100, Prefixes: 100000}, "more than the 4194304"},
		{Options{Kind: QuadMesh, Prefixes: -1}, "prefixes -1"},
		{Options{Kind: QuadMesh, MRAI: -time.Second}, "mrai"},
		{Options{Kind: QuadMesh, Routers: -5, Sites: 70000}, "routers -5"},
	}
	for _, c := range cases {
		_, err := Generate(c.o)
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%+v: error %v, want %q", c.o, err, c.err)
		}
	}
}

func TestParseBFD(t *testing.T) {
	for _, c := range []struct {
		in   string
		want *topology.BFD
		err  bool
	}{
		{"300ms*3", bfd300x3(), false},
		{"300ms×3", bfd300x3(), false},
		{"1sx5", &topology.BFD{Interval: time.Second, Multiplier: 5}, false},
		{"none", nil, false},
		{"300ms", nil, true},
		{"300ms*0", nil, true},
		{"-1s*3", nil, true},
		{"fast*3", nil, true},
	} {
		got, err := ParseBFD(c.in)
		if (err != nil) != c.err || (got == nil) != (c.want == nil) || got != nil && *got != *c.want {
			t.Errorf("ParseBFD(%q) = %v, %v; want %v (error %v)", c.in, got, err, c.want, c.err)
		}
	}
}

// A tiny instance of each kind, topology and scenario, against testdata
// (refresh with go test ./topology/gen -run Golden -update).
func TestGolden(t *testing.T) {
	cases := map[string]Options{
		"quad-mesh":  {Kind: QuadMesh, Sites: 3, Prefixes: 2, BFD: bfd300x3(), Seed: 1},
		"leaf-spine": {Kind: LeafSpine, Sites: 2, Prefixes: 2, BFD: bfd300x3(), MRAI: 30 * time.Second, Seed: 1},
		"as-graph":   {Kind: ASGraph, Sites: 6, Prefixes: 1, BFD: nil, MRAI: 30 * time.Second, UpdateDelay: 10 * time.Millisecond, Seed: 42},
	}
	for name, o := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := Generate(o)
			if err != nil {
				t.Fatal(err)
			}
			for suffix, got := range map[string][]byte{".topology.toml": out.Topology, ".scenario.toml": out.Scenario} {
				golden := filepath.Join("testdata", name+suffix)
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs (refresh with -update):\n%s", golden, got)
				}
			}
		})
	}
}
