package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The managed quad against DX maximum resiliency with a VPN backup, on the
// same traffic and facility loss: both columns, the better design per
// metric marked. The quad's shared pool runs short (128 GB to congestion);
// DX's dedicated connections do not.
func TestCompareQuadDX(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := execute(t, "compare", scenariosDir+"compare-quad.toml", scenariosDir+"compare-dx-vpn.toml", "-o", dir)
	if code != exitOK {
		t.Fatalf("code %d: %s\n%s", code, out, errOut)
	}
	for _, want := range []string{"COMPARE-QUAD", "COMPARE-DX-VPN", "facility-down at 2m0s on aws-gcp-fac1 vs dx-fac1"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	var congestion string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "lost to congestion") {
			congestion = l
		}
	}
	f := strings.Fields(congestion)
	// lost to congestion lower 128.287 GB 0 B ★
	if len(f) != 9 || f[5] != "GB" || f[6] != "0" || f[8] != "★" {
		t.Errorf("congestion row %q", congestion)
	}
	for _, name := range []string{"report.md", "report.json", "report.html", "junit.xml"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

func TestCompareTopologies(t *testing.T) {
	out, errOut, code := execute(t, "compare", "testdata/compare-channel.toml", "--topology",
		examplesDir+"aws-gcp-quad.toml,"+examplesDir+"quad-shared-conduit.toml")
	if code != exitOK || !strings.Contains(out, "AWS-GCP-QUAD") || !strings.Contains(out, "QUAD-SHARED-CONDUIT") {
		t.Fatalf("code %d:\n%s\n%s", code, out, errOut)
	}
	// Not comparable: different traffic.
	if _, errOut, code := execute(t, "compare", scenariosDir+"compare-quad.toml", scenariosDir+"quad-review.toml"); code != exitInvalid {
		t.Errorf("different traffic: code %d %s", code, errOut)
	}
}
