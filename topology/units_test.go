package topology

import (
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
	if _, err := ParseSize("2GiB"); err == nil || !strings.Contains(err.Error(), "unknown size unit") {
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
