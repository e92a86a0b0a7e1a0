package topology

import (
	"fmt"
	"strings"
	"testing"
)

// genFabric writes a synthetic fabric: sites in a ring, each neighbour pair
// joined by four router pairs in two facilities.
func genFabric(sites int) string {
	var b strings.Builder
	for s := range sites {
		fmt.Fprintf(&b, "[[site]]\nname = \"s%d\"\nprovider = \"generic\"\nasn = %d\n", s, 65000+s)
	}
	for s := range sites {
		n := (s + 1) % sites
		fmt.Fprintf(&b, "[[facility]]\nname = \"f%d-1\"\nsrlg = [\"duct-%d\"]\n[[facility]]\nname = \"f%d-2\"\n", s, s, s)
		for i := 1; i <= 4; i++ {
			fac := fmt.Sprintf("f%d-%d", s, (i+1)/2)
			fmt.Fprintf(&b, "[[router]]\nname = \"s%d-%d-l%d\"\nsite = \"s%d\"\nfacility = \"%s\"\n", s, n, i, s, fac)
			fmt.Fprintf(&b, "[[router]]\nname = \"s%d-%d-r%d\"\nsite = \"s%d\"\nfacility = \"%s\"\n", s, n, i, n, fac)
			fmt.Fprintf(&b, "[[link]]\nname = \"s%d-%d-x%d\"\na = \"s%d-%d-l%d\"\nb = \"s%d-%d-r%d\"\ncapacity = \"10Gbps\"\n", s, n, i, s, n, i, s, n, i)
			fmt.Fprintf(&b, "[[session]]\na = \"s%d-%d-l%d\"\nb = \"s%d-%d-r%d\"\n", s, n, i, s, n, i)
		}
	}
	fmt.Fprintf(&b, "[[demand]]\nname = \"d\"\nfrom = \"s0\"\nto = \"s%d\"\nrate = \"10Gbps\"\n", sites/2)
	return b.String()
}

func BenchmarkParse(b *testing.B) {
	src := []byte(genFabric(20))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("gen.toml", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	topo := mustParse(b, genFabric(8))
	for b.Loop() {
		Analyze(topo)
	}
}

func TestGeneratedFabric(t *testing.T) {
	a := Analyze(mustParse(t, genFabric(4)))
	p := pairOf(t, a, "s0", "s1")
	// Direct: 4 paths; around the ring through s2, s3: not transit, so 4.
	if p.NodeDisjointPaths != 4 || p.FacilityDiversity != 2 || len(p.SPOFs) != 0 {
		t.Errorf("%+v", p)
	}
	if q := pairOf(t, a, "s0", "s2"); q.NodeDisjointPaths != 0 || q.CapacityBps != 0 {
		t.Errorf("non-adjacent sites should not connect (no transit through s1): %+v", q)
	}
}
