package scenarios

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/netdrill/netdrill/topology/gen"
)

// A trace that passes Options.MaxTrace stops the run where it passes it,
// with ErrTraceLimit, having written no byte beyond the limit; a limit of
// exactly the trace's size is not passed; a negative limit is none.
func TestTraceLimit(t *testing.T) {
	sc, _ := writeGen(t, gen.Options{Kind: gen.QuadMesh, Sites: 3, Prefixes: 100, Duration: 5 * time.Minute})
	var full countWriter
	if _, err := Run(sc, Options{Trace: &full, MaxTrace: -1}); err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int64{1000, full.n / 3, full.n - 1} {
		var w countWriter
		p, err := Prepare(JobFor(sc), Options{Trace: &w, MaxTrace: limit})
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Simulate()
		if !errors.Is(err, ErrTraceLimit) || !strings.Contains(err.Error(), "raise --max-trace") {
			t.Fatalf("limit %d of a %d-byte trace: %v", limit, full.n, err)
		}
		if w.n > limit {
			t.Fatalf("limit %d: %d bytes written", limit, w.n)
		}
		if limit == full.n/3 && p.eng.Now()-p.base >= sc.Duration {
			t.Fatalf("limit %d (a third of the trace): the run went on to the end", limit)
		}
	}
	var w countWriter
	if _, err := Run(sc, Options{Trace: &w, MaxTrace: full.n}); err != nil || w.n != full.n {
		t.Fatalf("a limit of exactly the trace's size: %v, %d of %d bytes", err, w.n, full.n)
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(b []byte) (int, error) { c.n += int64(len(b)); return len(b), nil }
