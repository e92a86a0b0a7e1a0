package metrics

import (
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		v    Value
		want string
	}{
		{Value{Kind: KindDuration, N: float64(900 * ms)}, "900ms"},
		{Value{Kind: KindDuration, N: float64(950 * ms)}, "950ms"},
		{Value{Kind: KindDuration, N: float64(1250 * ms)}, "1.25s"},
		{Value{Kind: KindDuration, N: float64(150*s + 500*ms)}, "2m30.5s"},
		{Value{Kind: KindDuration, N: 12500}, "12.5µs"},
		{Value{Kind: KindDuration, N: 0}, "0s"},
		{Value{Kind: KindBytes, N: 2.5e9}, "2.5 GB"},
		{Value{Kind: KindBytes, N: 1.484375e9}, "1.484 GB"},
		{Value{Kind: KindBytes, N: 999.9996e6}, "1 GB"},
		{Value{Kind: KindBytes, N: 512}, "512 B"},
		{Value{Kind: KindBytes, N: 0}, "0 B"},
		{Value{Kind: KindRatio, N: 0.973}, "97.3%"},
		{Value{Kind: KindRatio, N: 1}, "100%"},
		{Value{Kind: KindRatio, N: -0.25}, "-25%"},
		{Value{Kind: KindRatio, N: 0.00042}, "0.042%"},
		{Value{Kind: KindCount, N: 12}, "12"},
		{Value{Kind: KindBool, N: 1}, "true"},
		{Value{Kind: KindRate, N: 12.5e9}, "12.5 Gbps"},
		{Value{Kind: KindNotRestored}, "not restored"},
		{Value{Kind: KindNotRestored, Note: "not detected"}, "not detected"},
	} {
		if got := c.v.String(); got != c.want {
			t.Errorf("%v %v: %q, want %q", c.v.Kind, c.v.N, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		k    Kind
		in   string
		want float64
	}{
		{KindDuration, "1s", 1e9}, {KindDuration, "900ms", 9e8}, {KindDuration, "0", 0}, {KindDuration, "1m30s", 9e10},
		{KindBytes, "2GB", 2e9}, {KindBytes, "512MB", 512e6}, {KindBytes, "1.5TB", 1.5e12}, {KindBytes, "1.5 TB", 1.5e12},
		{KindBytes, "0", 0}, {KindBytes, "100kB", 1e5}, {KindBytes, "0B", 0},
		{KindRate, "10Gbps", 1e10}, {KindRate, "400 Mbps", 4e8},
		{KindRatio, "50%", 0.5}, {KindRatio, "99.9%", 0.999}, {KindRatio, "0.25", 0.25},
		{KindCount, "10", 10}, {KindBool, "true", 1}, {KindBool, "False", 0},
	} {
		got, err := Parse(c.k, c.in)
		if err != nil || !near(got, c.want) {
			t.Errorf("Parse(%v, %q) = %v, %v; want %v", c.k, c.in, got, err, c.want)
		}
	}
	for _, c := range []struct {
		k  Kind
		in string
	}{
		{KindDuration, "1 second"}, {KindDuration, "10"}, {KindBytes, "2Gbit"}, {KindBytes, "-1GB"}, {KindBytes, "GB"},
		{KindBytes, ""}, {KindRate, "10G"}, {KindRatio, "50 percent"}, {KindCount, "10s"}, {KindBool, "yes"}, {KindBytes, "NaNGB"},
		// One grammar with topology: case as documented, decimal units only,
		// no negative quantities, a unit on every non-zero size.
		{KindBytes, "2GiB"}, {KindBytes, "1.5 tb"}, {KindBytes, "100"}, {KindRate, "10gbps"}, {KindDuration, "-1s"},
		{KindRatio, "-5%"}, {KindCount, "-1"},
	} {
		if _, err := Parse(c.k, c.in); err == nil {
			t.Errorf("Parse(%v, %q): want an error", c.k, c.in)
		}
	}
}

func TestEvaluate(t *testing.T) {
	r := linkDown().compute(20 * s)
	ex := []Expect{
		{Metric: "failover.max", Max: "1s", Where: "s.toml:10"},
		{Metric: "failover.max", Max: "900ms", Where: "s.toml:14"},
		{Metric: "failover", Demand: "replication", Fault: "f1", Min: "900ms", Max: "950ms"},
		{Metric: "loss.bytes", Demand: "replication", Cause: "blackhole", Equal: "1.484375GB"},
		{Metric: "loss.bytes", Demand: "replication", Max: "2GB", Where: "s.toml:22"},
		{Metric: "detection.max", Max: "1s"},
		{Metric: "bgp.convergence.max", Max: "1s"},
		{Metric: "bgp.updates", Fault: "f1", Equal: "2"},
		{Metric: "bgp.withdrawals", Max: "3"},
		{Metric: "capacity.peak", Pool: "iad", Max: "100%", Where: "s.toml:30"},
		{Metric: "capacity.over_seconds", Pool: "iad", Equal: "9.05s"},
		{Metric: "headroom.min", Min: "-30%"},
		{Metric: "restored"},
		{Metric: "restored", Equal: "false"},
		{Metric: "failover.max", Fault: "xc-1", Equal: "not restored"},
		{Metric: "converged", Equal: "true"},
		{Metric: "loss.ratio", Max: "12%"},
	}
	want := []bool{true, false, true, true, false, true, true, true, false, false, true, true, true, false, false, true, true}
	outs := Evaluate(r, ex)
	if err := Invalid(outs); err != nil {
		t.Fatal(err)
	}
	for i, o := range outs {
		if o.Passed != want[i] {
			t.Errorf("%s: passed %v, want %v: %s", o.Name, o.Passed, want[i], o.Message)
		}
	}
	if AllPassed(outs) {
		t.Error("AllPassed")
	}
	o := outs[1]
	if o.Name != "failover.max ≤ 900ms" || o.Expected != "≤ 900ms" || o.Measured != "950ms" || o.At != 10*s+950*ms {
		t.Errorf("outcome %+v", o)
	}
	wantMsg := "failover.max = 950ms (demand replication after f1 (link-down xc-1) at 10s, at 10.95s), expected ≤ 900ms: above max 900ms [s.toml:14]"
	if o.Message != wantMsg {
		t.Errorf("message\n%s\nwant\n%s", o.Message, wantMsg)
	}
	// loss.bytes ≤ 2GB fails: 7.14 GB lost in all.
	if !strings.Contains(outs[4].Message, "7.141 GB") || !strings.Contains(outs[4].Message, "above max 2GB [s.toml:22]") {
		t.Errorf("loss message: %s", outs[4].Message)
	}
	if outs[9].Measured != "125%" || !strings.Contains(outs[9].Message, "pool iad") {
		t.Errorf("capacity message: %s", outs[9].Message)
	}
	if outs[2].Name != "failover{demand=replication,fault=f1} in [900ms, 950ms]" {
		t.Errorf("name %q", outs[2].Name)
	}
	if !strings.HasSuffix(outs[0].Message, ": holds") {
		t.Errorf("pass message: %s", outs[0].Message)
	}
	// loss ratio: 7.140625 / 62.5 = 11.425%
	if outs[16].Measured != "11.4%" {
		t.Errorf("loss.ratio %s", outs[16].Measured)
	}
}

func TestEvaluateNotRestored(t *testing.T) {
	b := &tb{}
	b.flow(0, "d", 10*G, 10*G).inject(10*s, "f1", "link-down", "l1", []string{"l1"}, nil).flow(10*s, "d", 10*G, 0, "no-route", 10*G)
	r := b.compute(20 * s)
	outs := Evaluate(r, []Expect{
		{Metric: "failover.max", Max: "1s", Where: "x.toml:3"},
		{Metric: "failover.max", Min: "0s"},
		{Metric: "failover.max", Equal: "not restored"},
		{Metric: "detection.max", Max: "1s"},
		{Metric: "detection.max", Equal: "never"},
	})
	want := []bool{false, false, true, false, true}
	for i, o := range outs {
		if o.Passed != want[i] || o.Err != nil {
			t.Errorf("%s: passed %v err %v, want %v: %s", o.Name, o.Passed, o.Err, want[i], o.Message)
		}
	}
	if outs[0].Measured != "not restored" || !strings.Contains(outs[0].Message, "nothing delivered") || !strings.HasSuffix(outs[0].Message, "not restored [x.toml:3]") {
		t.Errorf("message %s", outs[0].Message)
	}
	if outs[3].Measured != "not detected" {
		t.Errorf("detection %s", outs[3].Measured)
	}
}

func TestInvalidExpectations(t *testing.T) {
	bad := []struct {
		e    Expect
		want string
	}{
		{Expect{Metric: "failover.p99", Max: "1s", Where: "a.toml:3"}, `a.toml:3: unknown metric "failover.p99"; valid metrics: bgp.best_changes,`},
		{Expect{Metric: "failover.max", Max: "1 sec"}, `invalid duration "1 sec"`},
		{Expect{Metric: "loss.bytes", Max: "2Gb/s"}, `unknown size unit "Gb/s" in "2Gb/s"`},
		{Expect{Metric: "loss.bytes", Link: "xc-1", Max: "1GB"}, "does not take a link selector (it takes only demand, fault, cause)"},
		{Expect{Metric: "failover.max"}, "give min, max or equal"},
		{Expect{Metric: "restored", Max: "1"}, "use equal"},
		{Expect{Metric: "failover.max", Min: "2s", Max: "1s"}, "min 2s is above max 1s"},
		{Expect{}, "expectation without a metric"},
		{Expect{Metric: "loss.bytes", Cause: "congestoin", Max: "1GB"}, `unknown loss cause "congestoin"; valid causes: blackhole, no-route, loop, congestion, silent-link, unattributed`},
		{Expect{Metric: "loss.ratio", Max: "-1%"}, `negative ratio "-1%"`},
	}
	var ex []Expect
	for _, b := range bad {
		ex = append(ex, b.e)
	}
	err := Validate(ex)
	for _, b := range bad {
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("Validate: %v\nwant it to contain %q", err, b.want)
		}
	}
	if err := Validate([]Expect{{Metric: "failover.max", Max: "1s"}, {Metric: "restored"},
		{Metric: "headroom.min", Min: "-5%"}, {Metric: "loss.bytes", Cause: "unattributed", Max: "0"}}); err != nil {
		t.Errorf("valid: %v", err)
	}

	// Names are checked against the run by Evaluate.
	r := linkDown().compute(20 * s)
	outs := Evaluate(r, []Expect{
		{Metric: "loss.bytes", Demand: "backup", Max: "1GB", Where: "b.toml:9"},
		{Metric: "failover.max", Fault: "f9", Max: "1s"},
		{Metric: "capacity.peak", Link: "xc-7", Max: "90%"},
		{Metric: "loss.bytes", Cause: "gremlins", Max: "1GB"},
		{Metric: "failover.p99", Max: "1s"},
	})
	wants := []string{
		`b.toml:9: unknown demand "backup"; demands: replication`,
		`unknown fault "f9"; faults: f1 (link-down xc-1)`,
		`unknown link "xc-7"; links with load: xc-1, xc-2`,
		`unknown loss cause "gremlins"; valid causes: blackhole, no-route, loop, congestion, silent-link, unattributed`,
		`unknown metric "failover.p99"`,
	}
	for i, o := range outs {
		if o.Err == nil || o.Passed || !strings.Contains(o.Err.Error(), wants[i]) {
			t.Errorf("%s: err %v, want %q", o.Name, o.Err, wants[i])
		}
	}
	if Invalid(outs) == nil {
		t.Error("Invalid = nil")
	}
}
