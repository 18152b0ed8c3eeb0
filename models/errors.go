package models

import (
	"fmt"
	"strings"
)

// DataTestError reports data tests that failed during a build; the CLI exits 3 on it.
type DataTestError struct {
	Failures []TestFailure
}

// TestFailure is one failed data test with a few of its failing rows.
type TestFailure struct {
	Model, Test string
	Count       int64
	Sample      []string
}

func (e *DataTestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d data test(s) failed:", len(e.Failures))
	for _, f := range e.Failures {
		fmt.Fprintf(&b, "\n  %s: %s — %d failing row(s)", f.Model, f.Test, f.Count)
		for _, s := range f.Sample {
			fmt.Fprintf(&b, "\n      %s", s)
		}
	}
	return b.String()
}
