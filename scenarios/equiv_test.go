package scenarios

import (
	"bytes"
	"testing"
)

// requireSameRuns fails t unless two runs of one scenario (nameA and nameB
// say how each was run) failed alike or gave byte-identical traces, naming
// the first line that differs. It reports whether both runs succeeded.
func requireSameRuns(t *testing.T, label, nameA, nameB string, a, b *Result, errA, errB error) bool {
	t.Helper()
	if (errA == nil) != (errB == nil) || (errA != nil && errA.Error() != errB.Error()) {
		t.Fatalf("%s: errors differ: %s %v, %s %v", label, nameA, errA, nameB, errB)
	}
	if errA != nil {
		t.Logf("%s: both runs fail alike: %v", label, errA)
		return false
	}
	if !bytes.Equal(a.Trace, b.Trace) {
		la, lb := bytes.Split(a.Trace, []byte("\n")), bytes.Split(b.Trace, []byte("\n"))
		w := max(len(nameA), len(nameB)) + 1
		for i := 0; i < min(len(la), len(lb)); i++ {
			if !bytes.Equal(la[i], lb[i]) {
				t.Fatalf("%s: traces differ at line %d:\n%-*s %s\n%-*s %s", label, i+1, w, nameA+":", la[i], w, nameB+":", lb[i])
			}
		}
		t.Fatalf("%s: traces differ in length: %d lines %s, %d %s", label, len(la), nameA, len(lb), nameB)
	}
	return true
}
