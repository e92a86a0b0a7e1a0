package gen

import (
	"testing"
	"time"

	"github.com/netdrill/netdrill/topology"
)

// Any options: Generate never panics, and whatever it accepts parses.
func FuzzGenerate(f *testing.F) {
	f.Add(uint8(0), 3, 0, 0, 1, uint64(1), "", "300ms*3", false)
	f.Add(uint8(1), 4, 0, 3, 2, uint64(2), "link-silent:spine1-leaf1a", "none", false)
	f.Add(uint8(2), 12, 0, 0, 1, uint64(3), "router-crash", "1s*5", false)
	f.Add(uint8(0), 5, 0, 0, 1, uint64(4), "none", "300ms×3", true)
	f.Fuzz(func(t *testing.T, kind uint8, sites, routers, spines, prefixes int, seed uint64, fault, bfd string, ring bool) {
		o := Options{Kind: Kinds[int(kind)%len(Kinds)], Sites: sites % 40, Routers: routers % 200, Spines: spines % 9,
			Prefixes: prefixes % 20, Seed: seed, Fault: fault, MRAI: 30 * time.Second}
		if ring {
			o.Shape = "ring"
		}
		var err error
		if o.BFD, err = ParseBFD(bfd); err != nil {
			o.BFD = nil
		}
		out, err := Generate(o)
		if err != nil {
			return
		}
		if _, err := topology.Parse("t.toml", out.Topology); err != nil {
			t.Fatalf("%+v: generated topology does not parse:\n%v", o, err)
		}
	})
}
