package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/netdrill/netdrill/faults/catalog"
)

func TestFaultsCommand(t *testing.T) {
	out, errOut, code := execute(t, "faults")
	if code != exitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	for _, k := range catalog.Kinds {
		if !strings.Contains(out, "\n"+k.Name+" ["+string(k.Target)) || !strings.Contains(out, k.Example) {
			t.Errorf("faults: %s or its example missing", k.Name)
		}
	}
	for _, want := range []string{
		"  loss      ratio (share of packets), default 100%: share of packets lost, in (0, 1]\n",
		"  period    duration, required: time down, then time up\n",
		"  prepend   int 1 to 32, default 3: AS-path prepends",
		"drain [router, operator action]\n",
		"  repair    not taken: it is back after the router's boot time (boot_time)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("faults output lacks %q", want)
		}
	}

	out, _, code = execute(t, "faults", "--json", "link-silent", "macsec-key-mismatch")
	var doc struct {
		Common []catalog.Param
		Kinds  []catalog.Kind
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitOK {
		t.Fatalf("--json: %v (code %d)\n%s", err, code, out)
	}
	if len(doc.Kinds) != 2 || doc.Kinds[0].Name != "link-silent" || doc.Kinds[0].Params[0].Default != "100%" ||
		doc.Kinds[1].Params == nil || len(doc.Common) != len(catalog.Common) {
		t.Errorf("--json: %+v", doc)
	}
	if !strings.Contains(out, `"params": []`) {
		t.Errorf("--json: a kind without parameters should have \"params\": []")
	}

	// The message (unknown fault kind "link-cut"; want one of …) is
	// printed by run, on exit code 2.
	if _, _, code = execute(t, "faults", "link-cut"); code != exitInvalid {
		t.Errorf("unknown kind: code %d, want %d", code, exitInvalid)
	}
}
