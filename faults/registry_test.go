package faults

import (
	"fmt"
	"testing"

	"github.com/netdrill/netdrill/faults/catalog"
)

// TestRegistryWiring: every parameter of every registry kind has a field
// in Fault of its type, and every default parses and sets it. (That every
// registry kind is implemented is TestCatalogue's "no catalogue row".)
func TestRegistryWiring(t *testing.T) {
	types := map[catalog.Type]string{catalog.Duration: "*sim.Time", catalog.Bandwidth: "*float64",
		catalog.Ratio: "*float64", catalog.Int: "*int", catalog.Bool: "*bool", catalog.Prefix: "*netip.Prefix",
		catalog.String: "*string", catalog.Strings: "*[]string", catalog.Choice: "*string"}
	for _, k := range catalog.Kinds {
		for _, p := range k.Params {
			var f Fault
			field := f.param(p.Name)
			if field == nil {
				t.Errorf("%s: parameter %s has no field in Fault", k.Name, p.Name)
				continue
			}
			if got := fmt.Sprintf("%T", field); got != types[p.Type] {
				t.Errorf("%s.%s: field %s for a %s", k.Name, p.Name, got, p.Type)
			}
			if p.Default != "" {
				v, err := p.Parse(p.Default)
				if err != nil {
					t.Errorf("%s.%s: default %q: %v", k.Name, p.Name, p.Default, err)
				} else if err := f.SetParam(p.Name, v); err != nil {
					t.Errorf("%s.%s: default %q: %v", k.Name, p.Name, p.Default, err)
				}
			}
			if p.Required && (p.Default != "" || p.Implied != "") {
				t.Errorf("%s.%s: required with a default", k.Name, p.Name)
			}
			if p.Doc == "" {
				t.Errorf("%s.%s: no doc", k.Name, p.Name)
			}
		}
		if k.Doc == "" || k.Example == "" {
			t.Errorf("%s: no doc or example", k.Name)
		}
	}
	consts := []Kind{LinkDown, LinkSilent, LinkDegrade, LinkFlap, MACsecKeyMismatch, LAGMemberDown,
		RouterCrash, RouterReboot, ProcessCrash, ControlPlaneHang, ControlPlaneRestart, SessionReset,
		PrefixWithdraw, FacilityDown, SRLGDown, PoolSurge, ProviderOutage, RouteLeak, MaxPrefixExceeded, Drain,
		DrainGSHUT, FacilityDrain, LocalPref, RaiseBandwidth, LinkUp, Repair, DXBGPFailoverTest, ERSiteFailoverTest}
	for _, c := range consts {
		if _, ok := catalog.Lookup(string(c)); !ok {
			t.Errorf("constant %q is not in the registry", c)
		}
	}
	if len(consts) != len(catalog.Kinds) {
		t.Errorf("%d constants, %d registry kinds", len(consts), len(catalog.Kinds))
	}
}
