package topology

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestBandwidth(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Bandwidth
		out  string
	}{
		{"10Gbps", 10 * Gbps, "10Gbps"},
		{"400Mbps", 400 * Mbps, "400Mbps"},
		{"1.5Tbps", 1.5 * Tbps, "1.5Tbps"},
		{"100kbps", 100 * Kbps, "100kbps"},
		{"100Kbps", 100 * Kbps, "100kbps"},
		{"1250Mbps", 1.25 * Gbps, "1.25Gbps"},
		{"0bps", 0, "0bps"},
		{"7bps", 7, "7bps"},
	} {
		got, err := ParseBandwidth(c.in)
		if err != nil || got != c.want || got.String() != c.out {
			t.Errorf("%q: %v %v %q", c.in, got, err, got.String())
		}
	}
	for _, bad := range []string{"", "10", "10 gbps", "Gbps", "-1Gbps", "1e3Gbps", "10GiBps", "1..2Gbps"} {
		if _, err := ParseBandwidth(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	var b Bandwidth
	if err := b.UnmarshalText([]byte("2Gbps")); err != nil || b != 2*Gbps {
		t.Errorf("UnmarshalText: %v %v", b, err)
	}
}

func TestBandwidthRoundTrip(t *testing.T) {
	for _, v := range []Bandwidth{1, 0.5, 1234567.891, 3.3 * Gbps, 1e15, 999.999 * Mbps} {
		back, err := ParseBandwidth(v.String())
		if err != nil || back != v {
			t.Errorf("%v → %q → %v %v", float64(v), v.String(), float64(back), err)
		}
	}
}

func TestSize(t *testing.T) {
	s, err := ParseSize("2GB")
	if err != nil || s != 2*Gigabyte || s.String() != "2GB" {
		t.Errorf("%v %v", s, err)
	}
	if _, err := ParseSize("2GiB"); err == nil || !strings.Contains(err.Error(), `binary unit "GiB" in "2GiB" is not accepted`) {
		t.Errorf("GiB: %v", err)
	}
	var z Size
	if err := z.UnmarshalText([]byte("512MB")); err != nil || z != 512*Megabyte {
		t.Errorf("%v %v", z, err)
	}
}

func TestDuration(t *testing.T) {
	var d Duration
	if err := d.UnmarshalText([]byte("300ms")); err != nil || d.Duration != 300*time.Millisecond {
		t.Errorf("%v %v", d, err)
	}
	if err := d.UnmarshalText([]byte("-1s")); err == nil {
		t.Error("negative accepted")
	}
	if b, _ := (Duration{90 * time.Second}).MarshalText(); string(b) != "1m30s" {
		t.Errorf("%s", b)
	}
}

func TestPositions(t *testing.T) {
	src := "a = 1 # c\n[[x]]\nk = \"v\"\n[[x]]\n  k = [1, {q = 2}, \"]\"]\n[x.sub]\nz = '''\nline\n'''\n\"quoted key\" = 3\nd.e = 4\n"
	idx := indexPositions(src)
	for path, want := range map[string]pos{
		"a":                   {1, 5},
		"x[0].k":              {3, 5},
		"x[1].k":              {5, 7},
		"x[1].k[1].q":         {5, 16},
		"x[1].k[2]":           {5, 20},
		"x[1].sub":            {6, 1},
		"x[1].sub.z":          {7, 5},
		"x[1].sub.quoted key": {10, 16},
		"x[1].sub.d.e":        {11, 7},
	} {
		if got := idx[path].val; got != want {
			t.Errorf("%s: got %v want %v", path, got, want)
		}
	}
}

// TestUnitGrammar is the one unit grammar, edge cases included: every file
// (topology, scenario, expectation) parses through these functions.
func TestUnitGrammar(t *testing.T) {
	type parser func(string) (float64, error)
	bw := func(s string) (float64, error) { v, err := ParseBandwidth(s); return float64(v), err }
	size := func(s string) (float64, error) { v, err := ParseSize(s); return float64(v), err }
	dur := func(s string) (float64, error) { v, err := ParseDuration(s); return float64(v), err }
	for _, c := range []struct {
		what  string
		parse parser
		in    string
		want  float64
		err   string // substring of the error; "" = no error
	}{
		{"bandwidth", bw, "10Gbps", 10e9, ""},
		{"bandwidth", bw, " 12.5 Gbps ", 12.5e9, ""}, // as reports print it
		{"bandwidth", bw, "100Kbps", 100e3, ""},
		{"bandwidth", bw, "0bps", 0, ""},
		{"bandwidth", bw, ".5Gbps", 0.5e9, ""},
		{"bandwidth", bw, "10gbps", 0, `units are case-sensitive; did you mean "Gbps"?`},
		{"bandwidth", bw, "10GBPS", 0, `did you mean "Gbps"?`},
		{"bandwidth", bw, "10Gb", 0, `unknown bandwidth unit "Gb" in "10Gb": want one of bps, kbps, Mbps, Gbps, Tbps`},
		{"bandwidth", bw, "-1Gbps", 0, `negative bandwidth "-1Gbps": a bandwidth cannot be negative`},
		{"bandwidth", bw, "+1Gbps", 0, `want a number and a unit`},
		{"bandwidth", bw, "1e3Gbps", 0, `unknown bandwidth unit "e3Gbps"`},
		{"bandwidth", bw, "1..2Gbps", 0, `bad number "1..2"`},
		{"bandwidth", bw, ".Gbps", 0, `bad number "."`},
		{"bandwidth", bw, "10", 0, `has no unit`},
		{"bandwidth", bw, "0", 0, ""}, // zero needs no unit
		{"size", size, "0.0", 0, ""},
		{"bandwidth", bw, "", 0, `want a number and a unit`},
		{"bandwidth", bw, "1Gibps", 0, `binary unit "Gibps"`},
		{"bandwidth", bw, "9" + strings.Repeat("9", 400) + "Tbps", 0, `bad number`},
		{"size", size, "2GB", 2e9, ""},
		{"size", size, "1.5 TB", 1.5e12, ""},
		{"size", size, "100KB", 100e3, ""},
		{"size", size, "100kB", 100e3, ""},
		{"size", size, "512B", 512, ""},
		{"size", size, "2GiB", 0, `binary unit "GiB" in "2GiB" is not accepted: units are decimal (1 GB = 10^9 bytes); write "2.147483648GB"`},
		{"size", size, "1KiB", 0, `write "1.024kB"`},
		{"size", size, "2gb", 0, `did you mean "GB"?`},
		{"size", size, "2Gb", 0, `did you mean "GB"?`},
		{"size", size, "-1GB", 0, `negative size "-1GB": a size cannot be negative`},
		{"size", size, "100", 0, `has no unit`},
		{"duration", dur, "1m30s", 90e9, ""},
		{"duration", dur, "300ms", 300e6, ""},
		{"duration", dur, "0", 0, ""},
		{"duration", dur, "-1s", 0, `negative duration "-1s": a duration cannot be negative`},
		{"duration", dur, "1H", 0, `invalid duration "1H"`},
		{"duration", dur, "5", 0, `invalid duration "5"`},
		{"duration", dur, "", 0, `empty duration`},
		{"ratio", ParseRatio, "50%", 0.5, ""},
		{"ratio", ParseRatio, "12.5 %", 0.125, ""},
		{"ratio", ParseRatio, "0.25", 0.25, ""},
		{"ratio", ParseRatio, "150%", 1.5, ""}, // a utilisation
		{"ratio", ParseRatio, "-5%", 0, `negative ratio "-5%": a ratio cannot be negative`},
		{"ratio", ParseRatio, "5 percent", 0, `unknown unit "percent"`},
		{"ratio", ParseRatio, "%", 0, `want a percentage`},
		{"ratio", ParseRatio, "1e-3", 0, `unknown unit "e-3"`},
		{"signed ratio", ParseSignedRatio, "-5%", -0.05, ""},
		{"signed ratio", ParseSignedRatio, "10%", 0.1, ""},
		{"signed ratio", ParseSignedRatio, "--5%", 0, `want a percentage`},
		{"count", ParseCount, "12", 12, ""},
		{"count", ParseCount, "1.5", 1.5, ""},
		{"count", ParseCount, "-1", 0, `negative count "-1": a count cannot be negative`},
		{"count", ParseCount, "10k", 0, `invalid count "10k"`},
	} {
		got, err := c.parse(c.in)
		switch {
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("%s %q = %v, %v; want %v", c.what, c.in, got, err, c.want)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s %q: error %v; want it to contain %q", c.what, c.in, err, c.err)
		}
	}
}

// FuzzUnits: the unit parsers never panic; what they accept is finite and
// non-negative (but for the signed ratio), and a bandwidth or size they
// accept formats to text they parse back to the same value.
// Run: go test -run '^$' -fuzz FuzzUnits -fuzztime 30s ./topology
func FuzzUnits(f *testing.F) {
	for _, s := range []string{"10Gbps", "2GB", "1.5 TB", "-1s", "50%", "2GiB", "10gbps", "0.5", "1m30s", "", "1..2", "9e99Tbps"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if b, err := ParseBandwidth(s); err == nil {
			if b < 0 || math.IsInf(float64(b), 0) || math.IsNaN(float64(b)) {
				t.Fatalf("bandwidth %q = %v", s, b)
			}
			if back, err := ParseBandwidth(b.String()); err != nil || back != b {
				t.Fatalf("bandwidth %q → %q → %v, %v", s, b.String(), back, err)
			}
		}
		if z, err := ParseSize(s); err == nil {
			if z < 0 || math.IsInf(float64(z), 0) {
				t.Fatalf("size %q = %v", s, z)
			}
			if back, err := ParseSize(z.String()); err != nil || back != z {
				t.Fatalf("size %q → %q → %v, %v", s, z.String(), back, err)
			}
		}
		if d, err := ParseDuration(s); err == nil && d < 0 {
			t.Fatalf("duration %q = %v", s, d)
		}
		for _, p := range []func(string) (float64, error){ParseRatio, ParseCount} {
			if v, err := p(s); err == nil && (v < 0 || math.IsInf(v, 0) || math.IsNaN(v)) {
				t.Fatalf("%q = %v", s, v)
			}
		}
		if v, err := ParseSignedRatio(s); err == nil && (math.IsInf(v, 0) || math.IsNaN(v)) {
			t.Fatalf("signed ratio %q = %v", s, v)
		}
	})
}
