package scenarios

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/netdrill/netdrill/topology/gen"
)

// The tests that run one scenario two ways (computed keepalives, prefix
// blocks, lazy FIBs) draw their scenarios from here.

// scenarioCase is a scenario to run more than once: load builds a fresh
// copy each time.
type scenarioCase struct {
	label string
	load  func() *Scenario
}

// exampleCases returns every example scenario (labelled by file name).
func exampleCases(t *testing.T) []scenarioCase {
	t.Helper()
	files, err := filepath.Glob("../examples/scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	var out []scenarioCase
	for _, f := range files {
		out = append(out, scenarioCase{filepath.Base(f), func() *Scenario {
			sc, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			return sc
		}})
	}
	return out
}

// genCases returns a generated scenario per option set: 3 simulated
// minutes, BFD 300ms×3.
func genCases(t *testing.T, opts ...gen.Options) []scenarioCase {
	var out []scenarioCase
	for i, o := range opts {
		o.Duration = 3 * time.Minute
		o.BFD, _ = gen.ParseBFD("300ms*3")
		out = append(out, scenarioCase{fmt.Sprintf("gen %d (%s)", i, o.Kind), func() *Scenario {
			sc, _ := writeGen(t, o)
			return sc
		}})
	}
	return out
}

// randomCases returns count random scenarios on the example topologies
// (randomScenario: random timers, seed and faults), the i-th drawn from
// the stream (i, salt); with more, their sites get more prefixes and
// rules matching them (morePrefixes).
func randomCases(t *testing.T, count int, salt uint64, more bool) []scenarioCase {
	t.Helper()
	tops, err := filepath.Glob("../examples/topologies/*.toml")
	if err != nil || len(tops) == 0 {
		t.Fatalf("no topologies: %v", err)
	}
	var out []scenarioCase
	for i := range count {
		r := rand.New(rand.NewPCG(uint64(i), salt))
		topFile := tops[r.IntN(len(tops))]
		seed, timerSeed, faultSeed, pfxSeed := r.Uint64N(1000), r.Uint64(), r.Uint64(), r.Uint64()
		out = append(out, scenarioCase{fmt.Sprintf("random #%d (%s, seed %d)", i, filepath.Base(topFile), seed), func() *Scenario {
			sc := randomScenario(t, topFile, seed, timerSeed, faultSeed)
			if more {
				morePrefixes(sc, pfxSeed)
			}
			return sc
		}})
	}
	return out
}

// requireSameRuns fails t unless two runs of one scenario (nameA and nameB
// say how each was run) failed alike or gave byte-identical traces, naming
// the first line that differs. It reports whether both runs succeeded.
func requireSameRuns(t *testing.T, label, nameA, nameB string, a, b *Result, errA, errB error) bool {
	t.Helper()
	if (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
		t.Fatalf("%s: errors differ: %s %v, %s %v", label, nameA, errA, nameB, errB)
	}
	if errA != nil {
		t.Logf("%s: both runs fail alike: %v", label, errA)
		return false
	}
	if !bytes.Equal(a.Trace, b.Trace) {
		la, lb := bytes.Split(a.Trace, []byte("\n")), bytes.Split(b.Trace, []byte("\n"))
		w := max(len(nameA), len(nameB)) + 1
		for i := 0; i < min(len(la), len(lb)); i++ {
			if !bytes.Equal(la[i], lb[i]) {
				t.Fatalf("%s: traces differ at line %d:\n%-*s %s\n%-*s %s", label, i+1, w, nameA+":", la[i], w, nameB+":", lb[i])
			}
		}
		t.Fatalf("%s: traces differ in length: %d lines %s, %d %s", label, len(la), nameA, len(lb), nameB)
	}
	return true
}
