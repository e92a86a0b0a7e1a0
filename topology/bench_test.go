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

// genWide writes two sites joined by n/2 router pairs, one link and one
// session each, 100 routers to a facility: the shape where validation and
// analysis were quadratic (session resolution scanned every link; the SPOF
// search tested every component; disjoint paths took one BFS per path).
func genWide(n int) []byte {
	var b strings.Builder
	b.WriteString("[[site]]\nname = \"s1\"\nprovider = \"aws\"\nasn = 64512\nprefixes = [\"10.1.0.0/16\"]\n")
	b.WriteString("[[site]]\nname = \"s2\"\nprovider = \"generic\"\nasn = 65001\nprefixes = [\"10.2.0.0/16\"]\n")
	facs := max(1, n/100)
	for f := range facs {
		fmt.Fprintf(&b, "[[facility]]\nname = \"f%d\"\n", f)
	}
	for i := range n {
		fmt.Fprintf(&b, "[[router]]\nname = \"r%d\"\nsite = \"s%d\"\nfacility = \"f%d\"\n", i, 1+i%2, i/2%facs)
	}
	for i := 0; i+1 < n; i += 2 {
		fmt.Fprintf(&b, "[[link]]\nname = \"l%d\"\na = \"r%d\"\nb = \"r%d\"\ncapacity = \"10Gbps\"\n", i, i, i+1)
		fmt.Fprintf(&b, "[[session]]\na = \"r%d\"\nb = \"r%d\"\n", i, i+1)
	}
	b.WriteString("[[demand]]\nname = \"d\"\nfrom = \"s1\"\nto = \"s2\"\nrate = \"1Gbps\"\n")
	return []byte(b.String())
}

// A line of 100k prefixes: positions were found by counting from the
// start of the line for every element (quadratic).
func genPrefixLine(n int) []byte {
	var b strings.Builder
	b.WriteString("[[site]]\nname = \"a\"\nprovider = \"aws\"\nprefixes = [")
	for i := range n {
		fmt.Fprintf(&b, "\"%d.%d.%d.0/24\",", 10+i>>16, i>>8&255, i&255)
	}
	b.WriteString("]\n")
	return []byte(b.String())
}

func BenchmarkParseWide(b *testing.B) {
	for _, n := range []int{2_000, 20_000} {
		src := genWide(n)
		b.Run(fmt.Sprintf("routers=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse("wide.toml", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAnalyzeWide(b *testing.B) {
	for _, n := range []int{2_000, 10_000} {
		topo := mustParse(b, string(genWide(n)))
		b.Run(fmt.Sprintf("routers=%d", n), func(b *testing.B) {
			for b.Loop() {
				Analyze(topo)
			}
		})
	}
}

func BenchmarkParsePrefixLine(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		src := genPrefixLine(n)
		b.Run(fmt.Sprintf("prefixes=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse("line.toml", src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
