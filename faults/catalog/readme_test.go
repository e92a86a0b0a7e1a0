package catalog

import (
	"os"
	"strings"
	"testing"
)

// readmeList is the README's fault list as the registry says it should be:
// one line per kind, "- `kind` [target] params", in catalogue order.
func readmeList() string {
	var b strings.Builder
	for _, k := range Kinds {
		b.WriteString("- `" + k.Name + "` [" + string(k.Target) + "]")
		var ps []string
		for _, p := range k.Params {
			ps = append(ps, p.Name)
		}
		if len(ps) > 0 {
			b.WriteString(" " + strings.Join(ps, ", "))
		}
		if k.NoRepair != "" {
			b.WriteString(" (no repair)")
		}
		if k.Action {
			b.WriteString(" (operator action)")
		}
		b.WriteString("\n")
	}
	return b.String()
}

const (
	readmeStart = "<!-- fault kinds: from faults/catalog (TestREADME) -->\n"
	readmeEnd   = "<!-- /fault kinds -->"
)

// TestREADME: the README's list of fault kinds is the registry's, kind for
// kind, with target classes and parameters, so the README and the binary
// (`netdrill faults`) never disagree.
func TestREADME(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, readmeStart), strings.Index(s, readmeEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no fault list between %q and %q", readmeStart, readmeEnd)
	}
	got, want := s[i+len(readmeStart):j], readmeList()
	if got == want {
		return
	}
	gotLines, wantLines := lines(got), lines(want)
	for l := range strings.SplitSeq(strings.TrimSpace(got), "\n") {
		if !wantLines[l] {
			t.Errorf("README lists %q, which the registry does not have so", l)
		}
	}
	for l := range strings.SplitSeq(strings.TrimSpace(want), "\n") {
		if !gotLines[l] {
			t.Errorf("README lacks %q", l)
		}
	}
	t.Errorf("README's fault list should read:\n%s", want)
}

func lines(s string) map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		m[l] = true
	}
	return m
}
