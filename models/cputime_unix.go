//go:build unix

package models

import (
	"syscall"
	"time"
)

// processCPU is the CPU time this process has used so far, every thread's (DuckDB's workers
// included): on a shared machine a model's CPU time says more than its wall time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
