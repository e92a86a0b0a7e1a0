package topology

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// FuzzParse: Parse never panics; whatever it accepts, WriteTOML writes in a
// form that loads back into an equal model, and Analyze runs on it.
// Run: go test -run '^$' -fuzz FuzzParse -fuzztime 30s ./topology
func FuzzParse(f *testing.F) {
	for _, path := range examples(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(base))
	for _, c := range malformedCases {
		if c.full {
			f.Add([]byte(c.src))
		} else {
			f.Add([]byte(base + c.src))
		}
	}
	f.Add([]byte(intentSites + "[[interconnect]]\nname = \"q\"\nkind = \"aws-gcp-multicloud\"\nbetween = [\"aws-use1\", \"gcp-us-east4\"]\nbandwidth = \"10Gbps\"\nchannel_ports = 2\npool_capacity = \"10Gbps\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		topo, err := Parse("fuzz.toml", data)
		if err != nil {
			if _, ok := err.(*ErrorList); !ok {
				t.Fatalf("error is %T, not *ErrorList", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteTOML(&buf, topo); err != nil {
			t.Fatal(err)
		}
		back, err := Parse("expanded.toml", buf.Bytes())
		if err != nil {
			t.Fatalf("expanded form does not load: %v\n%s", err, buf.String())
		}
		back.SHA256 = topo.SHA256 // the digest is of the bytes, which differ
		if !reflect.DeepEqual(topo, back) {
			t.Fatalf("round trip differs\n%s", buf.String())
		}
		if len(topo.Routers) <= 24 && len(topo.Sites) <= 8 {
			Analyze(topo)
		}
	})
}
