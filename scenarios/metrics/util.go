package metrics

import (
	"slices"
	"sort"
)

func sortStrings(s []string) { sort.Strings(s) }

// grow makes room for one more element, doubling the capacity when full.
// append grows a slice past 256 elements by about 1.25×, so a series
// that reaches n points has allocated about 5n along the way (a year's
// load series: 5 MB for 1 MB of points); doubling allocates about 2n.
func grow[S ~[]E, E any](s S) S {
	if len(s) < cap(s) {
		return s
	}
	return slices.Grow(s, max(len(s), 4))
}
