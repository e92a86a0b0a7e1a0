//go:build unix

package scenarios

import (
	"syscall"
	"time"
)

// cpuTime is the process's user + system CPU time (benchmarks report it
// beside wall time: the machine they run on is often shared).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
