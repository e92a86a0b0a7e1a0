package bgp_test

import (
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/sim/bgp"
	"github.com/netdrill/netdrill/sim/bgp/bgptest"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// golden compares lines with testdata/name (rewritten with -update).
func golden(t *testing.T, name string, lines []string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	got := strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if got != string(want) {
		t.Errorf("trace differs from %s (run with -update after checking):\n%s", path, got)
	}
}

// Golden trace of a small scenario: a customer (AS 65001) dual-homed to two
// provider routers p1, p2 (AS 64512, iBGP, MRAI 5s on iBGP) with the p2
// session as standby (prepend 2). At 20s the primary link loses carrier; at
// 40s it comes back. Every session transition, UPDATE and best-path change
// with its rule is in the file.
func TestGoldenFailoverTrace(t *testing.T) {
	n := bgptest.New(7)
	n.Record = true
	n.AddRouter(bgp.Config{Name: "c", ASN: 65001, Originate: []netip.Prefix{pfxP}})
	n.AddRouter(bgp.Config{Name: "p1", ASN: 64512, Originate: []netip.Prefix{pfxA}})
	n.AddRouter(bgp.Config{Name: "p2", ASN: 64512})
	prim := n.Connect("c", "p1", 2*ms, withMRAI(30*s1), withMRAI(30*s1))
	standby := withMRAI(30 * s1)
	standby.Export = []bgp.Rule{{Prepend: 2}}
	n.Connect("c", "p2", 3*ms, standby, withMRAI(30*s1))
	n.Connect("p1", "p2", ms, withMRAI(5*s1), withMRAI(5*s1))
	n.Start()
	n.Eng.At(20*s1, func() { n.Cut(prim) })
	n.Eng.At(40*s1, func() { n.Restore(prim) })
	n.Run(120 * s1)
	golden(t, "failover.golden", n.Lines)
}
