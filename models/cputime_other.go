//go:build !unix

package models

import "time"

// processCPU is not measured here: --timings shows CPU time 0.
func processCPU() time.Duration { return 0 }
