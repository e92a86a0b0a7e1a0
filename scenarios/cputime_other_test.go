//go:build !unix

package scenarios

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
