package main

import (
	"strings"
	"testing"

	"github.com/netdrill/netdrill/topology"
)

const ovSrc = `name = "s"
seed = 1
duration = "15m"

[[traffic]]
name = "a"
rate = "1Gbps"

[[traffic]]
name = "b"
rate = "2Gbps"

[[fault]]
id = "f1"
at = "1m"
`

func TestApplyOverrides(t *testing.T) {
	for _, tc := range []struct {
		sets []string
		want []string // lines that must be in the result
		ins  []insertion
		err  string
	}{
		{sets: []string{"duration=1h"}, want: []string{`duration = "1h"`}, ins: []insertion{{3, "--set duration=1h", true}}},
		{sets: []string{"seed=42"}, want: []string{"seed = 42"}, ins: []insertion{{2, "--set seed=42", true}}},
		{sets: []string{"elastic=true"}, want: []string{"elastic = true\nname"}, ins: []insertion{{1, "--set elastic=true", false}}},
		{sets: []string{"traffic.b.rate=5Gbps"}, want: []string{"name = \"b\"\nrate = \"5Gbps\""}, ins: []insertion{{11, "--set traffic.b.rate=5Gbps", true}}},
		{sets: []string{"traffic.0.rate=3Gbps"}, want: []string{"name = \"a\"\nrate = \"3Gbps\""}},
		{sets: []string{"fault.f1.repair=2m"}, want: []string{"[[fault]]\nrepair = \"2m\"\nid"}, ins: []insertion{{14, "--set fault.f1.repair=2m", false}}},
		{sets: []string{"traffic.c.rate=1Gbps"}, err: `no [[traffic]] named "c"`},
		{sets: []string{"traffic.7.rate=1Gbps"}, err: "has 2 [[traffic]] entries"},
		{sets: []string{"tenant.x.rate=1Gbps"}, err: "no [[tenant]]"},
	} {
		var ovs []override
		for _, s := range tc.sets {
			o, err := parseOverride("--set", s)
			if err != nil {
				t.Fatal(err)
			}
			ovs = append(ovs, o)
		}
		got, ins, err := applyOverrides([]byte(ovSrc), ovs)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: error %v, want %q", tc.sets, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tc.sets, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(got), w) {
				t.Errorf("%v: result lacks %q:\n%s", tc.sets, w, got)
			}
		}
		if tc.ins != nil && (len(ins) != len(tc.ins) || ins[0] != tc.ins[0]) {
			t.Errorf("%v: insertions %+v, want %+v", tc.sets, ins, tc.ins)
		}
	}
}

// Errors after an inserted line move back to the user's line numbers; an
// error on the inserted line names its flag.
func TestMapPositions(t *testing.T) {
	list := &topology.ErrorList{Errors: []*topology.Error{
		{File: "s.toml", Line: 1, Col: 11, Key: "elastic", Msg: "want a boolean"},
		{File: "s.toml", Line: 4, Col: 12, Key: "duration", Msg: "bad"},
		{File: "other.toml", Line: 4, Col: 1, Msg: "elsewhere"},
	}}
	mapPositions(list, "s.toml", []insertion{{1, "--set elastic=maybe", false}})
	got := list.Error()
	for _, w := range []string{"s.toml: elastic: want a boolean (from --set elastic=maybe)", "s.toml:3:12: duration: bad", "other.toml:4:1: elsewhere"} {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
}

func TestTomlValue(t *testing.T) {
	for in, want := range map[string]string{"42": "42", "true": "true", `"x"`: `"x"`, "1h": `"1h"`, "20Gbps": `"20Gbps"`, "[1, 2]": "[1, 2]"} {
		if got := tomlValue(in); got != want {
			t.Errorf("tomlValue(%q) = %q, want %q", in, got, want)
		}
	}
}
