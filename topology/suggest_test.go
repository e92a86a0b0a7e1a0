package topology

import "testing"

func TestDidYouMean(t *testing.T) {
	links := []string{"aws-gcp-ch1", "aws-gcp-ch2", "aws-gcp-ch3", "aws-gcp-ch4", "backbone-1"}
	for _, tc := range []struct {
		name string
		want string
	}{
		{"aws-gcp-ch5", ` (did you mean "aws-gcp-ch1", "aws-gcp-ch2" or "aws-gcp-ch3"?)`},
		{"backbone1", ` (did you mean "backbone-1"?)`},
		{"AWS-GCP-CH2", ` (did you mean "aws-gcp-ch2"?)`},
		{"zzz", ""},
		{"", ""},
	} {
		if got := DidYouMean(tc.name, links); got != tc.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if d := levenshtein("kitten", "sitting"); d != 3 {
		t.Errorf("levenshtein = %d, want 3", d)
	}
}
