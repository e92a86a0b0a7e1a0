package chaos

import "testing"

// Downtime keeps its digits whatever its size: no "0.000 min".
func TestFormatMinutes(t *testing.T) {
	for _, tc := range []struct {
		min  float64
		want string
	}{
		{0, "0 min"},
		{52.6, "52.6 min"},
		{1, "1.0 min"},
		{0.72, "43.2 s"},     // 0.72 × 60 s
		{0.00006, "3.6 ms"},  // 6e-5 × 60 s = 3.6e-3 s
		{0.000006, "360 µs"}, // 6e-6 × 60 s = 3.6e-4 s
	} {
		if got := formatMinutes(tc.min); got != tc.want {
			t.Errorf("formatMinutes(%v) = %q, want %q", tc.min, got, tc.want)
		}
	}
}
