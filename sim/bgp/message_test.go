package bgp

import (
	"net/netip"
	"reflect"
	"testing"
)

// An UPDATE from a speaker carries interned attribute sets and prefix IDs;
// Routes gives the same routes as a literal Announce list would.
func TestMessageRoutes(t *testing.T) {
	pt := NewPrefixes()
	var tab attrTab
	want := []Route{
		{Prefix: netip.MustParsePrefix("10.0.0.0/24"), ASPath: []uint32{65001, 65002}, NextHop: "r1", MED: 5},
		{Prefix: netip.MustParsePrefix("10.0.1.0/24"), ASPath: []uint32{65001, 65002}, NextHop: "r1", MED: 5},
		{Prefix: netip.MustParsePrefix("10.0.2.0/24"), ASPath: []uint32{65001}, NextHop: "r1"},
	}
	m := &Message{Type: Update, pt: pt}
	for i := range want {
		m.annA = append(m.annA, tab.get(&want[i]))
		m.annIDs = append(m.annIDs, pt.ID(want[i].Prefix))
	}
	if m.annA[0] != m.annA[1] {
		t.Fatal("equal attribute sets are not shared")
	}
	if got := m.Routes(); !reflect.DeepEqual(got, want) || m.announced() != 3 {
		t.Fatalf("Routes = %+v (announced %d), want %+v", got, m.announced(), want)
	}
	lit := &Message{Type: Update, Announce: want}
	if got := lit.Routes(); !reflect.DeepEqual(got, want) || lit.announced() != 3 {
		t.Fatalf("literal Routes = %+v", got)
	}
}
