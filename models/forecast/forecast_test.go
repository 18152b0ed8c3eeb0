package forecast

import (
	"math"
	"testing"
	"time"
)

var start = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func repeat(pattern []int, days int) []int {
	out := make([]int, days)
	for i := range out {
		out[i] = pattern[i%len(pattern)]
	}
	return out
}

func ymd(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02")
}

// Constant throughput: 2 items every day of a 90-day window. Every trial draws 2 a day, so 10
// remaining items take exactly 5 days: day 1 is 03-31, day 5 is 04-04 — P50 = P85 = P95 = 04-04.
// Planned 04-04 (5 days) → every trial on time, all 10 by then. Planned 04-03 (4 days) → no trial
// on time, and 4 × 2 = 8 items by then in every trial. Planned 03-30 (before the start) → 0 days,
// nothing by then.
func TestConstantThroughput(t *testing.T) {
	tp := repeat([]int{2}, 90)
	for _, tc := range []struct {
		planned string
		onTime  float64
		howMany int
	}{{"2025-04-04", 1, 10}, {"2025-04-03", 0, 8}, {"2025-03-30", 0, 0}, {"2025-12-31", 1, 10}} {
		r := Simulate(Input{Throughput: tp, Remaining: 10, Start: start, Planned: date(tc.planned), Seed: 7})
		if !r.Forecasted() || ymd(r.P50) != "2025-04-04" || ymd(r.P85) != "2025-04-04" || ymd(r.P95) != "2025-04-04" {
			t.Errorf("planned %s: dates %s %s %s (%s)", tc.planned, ymd(r.P50), ymd(r.P85), ymd(r.P95), r.Reason)
		}
		if r.POnTime != tc.onTime || r.HowManyByPlannedP85 != tc.howMany {
			t.Errorf("planned %s: p_on_time %v, how many %d; want %v, %d", tc.planned, r.POnTime, r.HowManyByPlannedP85, tc.onTime, tc.howMany)
		}
		if r.Trials != DefaultTrials || r.WindowDays != 90 || r.DeliveringDays != 90 || r.Delivered != 180 || r.Beyond != 0 {
			t.Errorf("assumptions %+v", r)
		}
	}
	// 11 items: 5 days deliver 10, the 6th the 11th → 04-05.
	if r := Simulate(Input{Throughput: tp, Remaining: 11, Start: start}); ymd(r.P95) != "2025-04-05" {
		t.Errorf("11 items: P95 %s, want 2025-04-05", ymd(r.P95))
	}
}

// A window of 20 days, 5 of them delivering one item (p = 1/4 a day), one item remaining: a trial
// finishes on day k with P(done by k) = 1 − 0.75^k: day 1 0.25, 2 0.4375, 3 0.578, 6 0.822,
// 7 0.867, 12 0.968, 13 0.976. So P50 = day 3 (04-02), P85 = day 7 (04-06); P95: day 10 is 0.944
// and day 11 0.958, too close to 0.95 to pin with 10,000 trials, so only its range is checked.
// Planned 04-02 (day 3) → P(on time) ≈ 0.578.
func TestGeometricCompletion(t *testing.T) {
	tp := repeat([]int{1, 0, 0, 0}, 20)
	r := Simulate(Input{Throughput: tp, Remaining: 1, Start: start, Planned: date("2025-04-02"), Seed: 1})
	if r.DeliveringDays != 5 || ymd(r.P50) != "2025-04-02" || ymd(r.P85) != "2025-04-06" {
		t.Errorf("P50 %s, P85 %s, delivering days %d", ymd(r.P50), ymd(r.P85), r.DeliveringDays)
	}
	if p95 := ymd(r.P95); p95 != "2025-04-09" && p95 != "2025-04-10" {
		t.Errorf("P95 %s, want day 10 or 11", p95)
	}
	if math.Abs(r.POnTime-0.578) > 0.02 {
		t.Errorf("P(on time) %.4f, want about 0.578", r.POnTime)
	}
}

// How many by the planned date, read from the low tail: 3 items remaining at p = 1/4 a day and
// a planned date 8 days out (day 8 = 04-07). Items by then ~ Binomial(8, 0.25), capped at 3:
// P(≥ 1) = 1 − 0.75^8 = 0.900 ≥ 0.85, P(≥ 2) = 0.900 − 8 × 0.25 × 0.75^7 = 0.633 < 0.85 → 1.
// With 4 days (04-03): P(≥ 1) = 1 − 0.75^4 = 0.684 < 0.85 → 0.
func TestHowManyLowTail(t *testing.T) {
	tp := repeat([]int{1, 0, 0, 0}, 20)
	if r := Simulate(Input{Throughput: tp, Remaining: 3, Start: start, Planned: date("2025-04-07"), Seed: 3}); r.HowManyByPlannedP85 != 1 {
		t.Errorf("8 days: how many %d, want 1", r.HowManyByPlannedP85)
	}
	if r := Simulate(Input{Throughput: tp, Remaining: 3, Start: start, Planned: date("2025-04-03"), Seed: 3}); r.HowManyByPlannedP85 != 0 {
		t.Errorf("4 days: how many %d, want 0", r.HowManyByPlannedP85)
	}
}

// Zero days count: 2 items every other day is 1 a day on average, so 10 items need about 10
// days, not the 5 a window of delivering days only would suggest. Every trial draws 2 on about
// half its days; finishing takes exactly 5 draws of 2, the 5th of which lands on day 5 at the
// earliest. P50 is the day by which half the trials had 5 twos: the median of a negative
// binomial (5 successes, p = 1/2) is 9 trials → day 9 (04-08) or 10 (04-09).
func TestZeroDaysIncluded(t *testing.T) {
	tp := repeat([]int{2, 0}, 90)
	r := Simulate(Input{Throughput: tp, Remaining: 10, Start: start, Seed: 1})
	if p50 := ymd(r.P50); p50 != "2025-04-08" && p50 != "2025-04-09" {
		t.Errorf("P50 %s, want about 10 days out", p50)
	}
	if !r.P85.After(r.P50) || r.P95.Before(r.P85) {
		t.Errorf("percentiles out of order: %s %s %s", ymd(r.P50), ymd(r.P85), ymd(r.P95))
	}
}

func TestNoForecast(t *testing.T) {
	// 4 delivering days in 90: too little history.
	tp := make([]int, 90)
	tp[3], tp[10], tp[20], tp[80] = 1, 3, 1, 2
	r := Simulate(Input{Throughput: tp, Remaining: 5, Start: start, Planned: date("2025-04-30")})
	if r.Forecasted() || r.Reason != "too little history: 4 day(s) with a delivery in the last 90 days, at least 5 needed" || !r.P50.IsZero() {
		t.Errorf("got %+v", r)
	}
	// Nothing remaining: no dates, on time.
	r = Simulate(Input{Throughput: repeat([]int{1}, 90), Remaining: 0, Start: start, Planned: date("2025-04-30")})
	if r.Forecasted() || r.POnTime != 1 || r.HowManyByPlannedP85 != 0 {
		t.Errorf("nothing remaining: %+v", r)
	}
	// No window at all.
	if r := Simulate(Input{Remaining: 3, Start: start}); r.Forecasted() {
		t.Errorf("empty window forecast: %+v", r)
	}
}

// A pace that cannot finish within the horizon: 5 items in a 3,650-day window and 1,000 left.
// Every trial runs past MaxDays, so there are no dates and Beyond is 1.
func TestBeyondHorizon(t *testing.T) {
	tp := make([]int, 3650)
	for i := range 5 {
		tp[i*700] = 1
	}
	r := Simulate(Input{Throughput: tp, Remaining: 1000, Start: start, Planned: date("2026-01-01"), Trials: 200})
	if !r.Forecasted() || !r.P50.IsZero() || r.Beyond != 1 || r.POnTime != 0 {
		t.Errorf("got P50 %s beyond %v on time %v", ymd(r.P50), r.Beyond, r.POnTime)
	}
}

func TestDeterministicUnderSeed(t *testing.T) {
	tp := repeat([]int{0, 3, 1, 0, 0, 5, 2}, 90)
	in := Input{Throughput: tp, Remaining: 120, Start: start, Planned: date("2025-06-01"), Seed: 42}
	a, b := Simulate(in), Simulate(in)
	if a != b {
		t.Errorf("same seed, different results:\n%+v\n%+v", a, b)
	}
	in.Seed = 43
	if c := Simulate(in); c.POnTime == a.POnTime && c.P85 == a.P85 && c.HowManyByPlannedP85 == a.HowManyByPlannedP85 && c.Beyond == a.Beyond {
		// Not impossible in principle, but vanishingly unlikely with these numbers.
		t.Logf("seeds 42 and 43 agree on every figure")
	}
}

// Throughput counts per UTC day over the window before start's date: window 3 days before
// 03-31 is 03-28, 03-29, 03-30. 03-27 23:59 is before it, 03-31 00:00 is start's own day.
func TestThroughput(t *testing.T) {
	at := func(s string) time.Time { x, _ := time.Parse(time.RFC3339, s); return x }
	got := Throughput([]time.Time{at("2025-03-27T23:59:00Z"), at("2025-03-28T00:00:00Z"), at("2025-03-28T23:00:00Z"),
		at("2025-03-30T12:00:00Z"), at("2025-03-31T00:00:00Z"), at("2025-03-30T23:30:00-02:00")}, start.Add(18*time.Hour), 3)
	// 03-30T23:30-02:00 is 03-31 01:30 UTC: start's own day, outside.
	if len(got) != 3 || got[0] != 2 || got[1] != 0 || got[2] != 1 {
		t.Errorf("Throughput = %v, want [2 0 1]", got)
	}
}

func TestCutLine(t *testing.T) {
	fit, rest := CutLine([]string{"a", "b", "c"}, 2)
	if len(fit) != 2 || fit[1] != "b" || len(rest) != 1 || rest[0] != "c" {
		t.Errorf("CutLine = %v %v", fit, rest)
	}
	if fit, rest := CutLine([]string{"a"}, 5); len(fit) != 1 || len(rest) != 0 {
		t.Errorf("CutLine over = %v %v", fit, rest)
	}
}

// A release of 500 remaining items at a busy team's pace (about 5 a day, zero days included):
// about 100 simulated days per trial, 10,000 trials.
func BenchmarkSimulate500(b *testing.B) {
	tp := repeat([]int{4, 7, 0, 6, 5, 9, 0, 3, 8, 6, 0, 5, 7}, 90)
	in := Input{Throughput: tp, Remaining: 500, Start: start, Planned: date("2025-07-01"), Seed: 1}
	for b.Loop() {
		Simulate(in)
	}
}

// The same 500 items at a slow team's pace (about one every two days): about 1,000 simulated
// days per trial — the expensive case.
func BenchmarkSimulate500Slow(b *testing.B) {
	tp := repeat([]int{1, 0, 0, 1, 0, 1, 0, 0, 2, 0}, 90)
	in := Input{Throughput: tp, Remaining: 500, Start: start, Planned: date("2025-07-01"), Seed: 1}
	for b.Loop() {
		Simulate(in)
	}
}

// The sparsest window a forecast accepts (5 delivering days in 90) and 500 items: most trials
// run to the 10-year horizon, the worst case a forecast can cost.
func BenchmarkSimulate500Sparse(b *testing.B) {
	tp := make([]int, 90)
	for i := range 5 {
		tp[i*17] = 1
	}
	in := Input{Throughput: tp, Remaining: 500, Start: start, Planned: date("2025-07-01"), Seed: 1}
	for b.Loop() {
		Simulate(in)
	}
}
