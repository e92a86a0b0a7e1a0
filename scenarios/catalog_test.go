package scenarios

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/faults"
	"github.com/netdrill/netdrill/faults/catalog"
)

// TestCatalogueExamples: every kind's example in the registry loads through
// the scenario loader against one of the example topologies or the
// catalogue fixtures, so `netdrill faults` never shows an example that
// does not work; and its keys are exactly ones the kind accepts.
func TestCatalogueExamples(t *testing.T) {
	tops, _ := filepath.Glob("../examples/topologies/*.toml")
	fixtures, _ := filepath.Glob("../faults/testdata/cat-*.toml")
	tops = append(tops, fixtures...)
	for _, k := range catalog.Kinds {
		var errs []string
		ok := false
		for _, top := range tops {
			abs, _ := filepath.Abs(top)
			src := "name = \"example\"\ntopology = \"" + abs + "\"\nduration = \"15m\"\nfault = [" + k.Example + "]\n"
			want := 1
			if k.Target == catalog.TargetFault {
				// A repair names an earlier fault: give it one.
				src = "name = \"example\"\ntopology = \"" + abs + "\"\nduration = \"15m\"\nfault = [{ at = \"1m\", kind = \"link-down\", target = \"ch1\" }, " + k.Example + "]\n"
				want = 2
			}
			sc, err := Parse("example.toml", []byte(src), topologyLoader(nil))
			if err != nil {
				errs = append(errs, filepath.Base(top)+": "+err.Error())
				continue
			}
			if len(sc.Faults) != want || sc.Faults[want-1].Kind != faults.Kind(k.Name) {
				t.Fatalf("%s: loaded %+v", k.Name, sc.Faults)
			}
			ok = true
			break
		}
		if !ok {
			t.Errorf("%s: example %s loads against no topology:\n%s", k.Name, k.Example, strings.Join(errs, "\n"))
		}
	}
}

// TestFaultParameters: parameters with units, defaults and ratios as
// percentages, read through the registry.
func TestFaultParameters(t *testing.T) {
	for _, c := range []struct {
		body string
		want func(f faults.Fault) bool
	}{
		{`kind = "link-silent"` + "\ntarget = \"aws-gcp-ch1\"\nloss = \"30%\"", func(f faults.Fault) bool { return f.Loss == 0.3 }},
		{`kind = "link-silent"` + "\ntarget = \"aws-gcp-ch1\"\nloss = 0.25", func(f faults.Fault) bool { return f.Loss == 0.25 }},
		{`kind = "link-silent"` + "\ntarget = \"aws-gcp-ch1\"", func(f faults.Fault) bool { return f.Loss == 1 }},
		{`kind = "link-flap"` + "\ntarget = \"aws-gcp-ch1\"\nperiod = \"10s\"", func(f faults.Fault) bool { return f.Count == 1 && f.Period == 10e9 }},
		{`kind = "control-plane-restart"` + "\ntarget = \"aws-gcp-aws-r1\"\ngraceful = true", func(f faults.Fault) bool { return f.Graceful && f.Downtime == 30e9 }},
		{`kind = "link-degrade"` + "\ntarget = \"aws-gcp-ch1\"\ncapacity = \"2.5Gbps\"\nlatency = \"20ms\"", func(f faults.Fault) bool { return f.Capacity == 2.5e9 && f.Latency == 20e6 }},
		{`kind = "drain"` + "\ntarget = \"aws-gcp-aws-r1\"", func(f faults.Fault) bool { return f.Prepend == 3 }},
		{`kind = "prefix-withdraw"` + "\ntarget = \"gcp-us-east4\"", func(f faults.Fault) bool { return f.Prefix.String() == "10.2.0.0/16" }},
	} {
		sc, err := Parse("s.toml", []byte(quad("[[fault]]\nat = \"1m\"\n"+c.body+"\n")), topologyLoader(nil))
		if err != nil {
			t.Errorf("%s: %v", c.body, err)
			continue
		}
		if f := sc.Faults[0]; !c.want(f) {
			t.Errorf("%s: loaded %+v", c.body, f)
		}
	}
}
