package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// splitList splits a multi-valued cell on ';', ',' or '|' (and, for keys, whitespace),
// trimming and dropping empties. It returns nil for an empty cell so lists stay NULL-free.
func splitList(s string, onSpace bool) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	out := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == '|' || (onSpace && (r == ' ' || r == '\t' || r == '\n' || r == '\r'))
	})
	n := 0
	for _, v := range out {
		if v = strings.TrimSpace(v); v != "" {
			out[n] = v
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return out[:n]
}

// parseNumber reads an optional decimal; "" is (0, false, nil). NaN and infinities, which Go
// would read, are refused like any other word: no estimate or story point is infinite, and
// one would turn every sum and ratio of its team into NaN.
func parseNumber(s string) (float64, bool, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, fmt.Errorf("%q: want a number", s)
	}
	return f, true, nil
}

// parseBool reads an optional boolean cell.
func parseBool(s string) (bool, bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return false, false, nil
	case "true", "yes", "y", "1", "t":
		return true, true, nil
	case "false", "no", "n", "0", "f":
		return false, true, nil
	}
	return false, false, fmt.Errorf("%q: want true or false", s)
}

// DeploymentStatus normalises a deployment or pipeline status word.
func DeploymentStatus(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "-", "_"))) {
	case "success", "succeeded", "successful", "ok", "passed", "completed", "complete", "deployed", "done":
		return "success", nil
	case "failed", "failure", "fail", "error", "errored", "broken":
		return "failed", nil
	case "rolled_back", "rollback", "rolledback", "rolled back", "reverted", "revert":
		return "rolled_back", nil
	case "cancelled", "canceled", "aborted", "skipped", "abandoned":
		return "cancelled", nil
	case "running", "in_progress", "pending", "queued", "started", "waiting", "created", "in progress":
		return "running", nil
	}
	return "", fmt.Errorf("status %q: want success, failed, rolled_back, cancelled or running (or a synonym such as succeeded, error, reverted, aborted)", s)
}

// DeploymentKind normalises a deployment kind; empty is normal.
func DeploymentKind(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(strings.ReplaceAll(s, "-", ""))) {
	case "", "normal", "regular", "standard", "release", "scheduled":
		return "normal", nil
	case "hotfix", "hot fix", "hot_fix", "patch", "fix":
		return "hotfix", nil
	case "rollback", "revert", "rolledback":
		return "rollback", nil
	case "emergency", "expedited", "urgent":
		return "emergency", nil
	}
	return "", fmt.Errorf("kind %q: want normal, hotfix, rollback or emergency", s)
}

// ChangeType normalises an RFC type.
func ChangeType(s string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "standard", "std", "pre-approved", "preapproved":
		return "standard", nil
	case "normal", "comprehensive", "minor", "major":
		return "normal", nil
	case "emergency", "expedited", "urgent":
		return "emergency", nil
	}
	return "", fmt.Errorf("type %q: want standard, normal or emergency", s)
}
