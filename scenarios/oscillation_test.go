package scenarios

import (
	"fmt"
	"testing"

	"github.com/netdrill/netdrill/sim"
)

// Independent random channel failures re-converge after each failure and
// repair; that is not an oscillation: `converged = true` holds on every
// seed, over a day and over 30 days (it used to fail on half the seeds
// over a day and on all of them over 30 days).
func TestRandomFailuresConverge(t *testing.T) {
	days := []int{1, 30}
	if testing.Short() {
		days = days[:1]
	}
	for _, d := range days {
		for seed := uint64(1); seed <= 20; seed++ {
			t.Run(fmt.Sprintf("days=%d/seed=%d", d, seed), func(t *testing.T) {
				sc, err := Load("../examples/scenarios/random-channel-failures.toml")
				if err != nil {
					t.Fatal(err)
				}
				sc.Seed = seed
				sc.Duration = sim.Time(d) * 24 * sim.Hour
				sc.Expect = sc.Expect[len(sc.Expect)-1:] // converged = true
				res, err := Run(sc, Options{SkipTrace: true})
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range res.Outcomes {
					if !o.Passed {
						t.Errorf("%+v", o)
					}
				}
			})
		}
	}
}
