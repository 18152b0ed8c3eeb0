// Package forecast is relscope's Monte Carlo delivery forecast: how long a number of remaining
// items takes at a team's past daily throughput. It is pure Go with no database, so the one
// implementation serves `relscope forecast`, the build (mart_release_forecast) and every report.
//
// The model (DESIGN §4 "Forecast"): throughput is the number of items delivered on each
// calendar day (UTC) of a trailing window, days without deliveries included. A trial draws one
// of those days at random (with replacement) for each future day, starting with the forecast's
// first day, until the remaining items are delivered; the trial's completion date is that day.
// Over many trials (10,000 by default) the completion dates give the P50/P85/P95 dates, the
// probability of finishing on or before a planned date, and how many items are delivered by
// the planned date in 85% of trials. The random stream is seeded, so the same input and seed
// give the same answer on every machine.
package forecast

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Defaults of the model.
const (
	// DefaultTrials is the number of simulated futures.
	DefaultTrials = 10000
	// DefaultSeed seeds the build's stored forecasts; `relscope forecast` uses it unless --seed.
	DefaultSeed uint64 = 1
	// MinDeliveringDays is the fewest days with a delivery a window needs for a forecast.
	MinDeliveringDays = 5
	// MaxDays is the horizon: a trial still unfinished after this many days counts as beyond it.
	MaxDays = 3650
)

// day is one calendar day.
const day = 24 * time.Hour

// Input is one forecast's question.
type Input struct {
	// Throughput is the number of items delivered on each calendar day of the window, zero
	// days included, oldest first.
	Throughput []int
	// Remaining is how many items are still to deliver.
	Remaining int
	// Start is the first day that may deliver (a UTC date at midnight): day 1 of every trial.
	Start time.Time
	// Planned is the date the items are due (a UTC date); zero when there is none.
	Planned time.Time
	// Trials is the number of simulated futures (0: DefaultTrials).
	Trials int
	// Seed seeds the random stream.
	Seed uint64
}

// Result is a forecast's answer. Dates are UTC midnights; a zero date means "none".
type Result struct {
	Remaining      int
	WindowDays     int
	DeliveringDays int // days of the window with at least one delivery
	Delivered      int // items delivered in the window
	Trials         int
	Seed           uint64
	// P50, P85 and P95 are the dates by which that share of trials had delivered every
	// remaining item; zero when Reason is set or when that share of trials ran past MaxDays
	// (see Beyond).
	P50, P85, P95 time.Time
	// Beyond is the share of trials still unfinished after MaxDays.
	Beyond float64
	// HasPlanned says whether the input had a planned date; then POnTime and
	// HowManyByPlannedP85 are set.
	HasPlanned bool
	// POnTime is the share of trials finished on or before the planned date.
	POnTime float64
	// HowManyByPlannedP85 is the number of items delivered by the planned date in at least
	// 85% of trials (read from the low tail), at most Remaining.
	HowManyByPlannedP85 int
	// Reason says why there is no forecast (empty when there is one).
	Reason string
}

// Forecasted reports whether the result holds simulated dates.
func (r Result) Forecasted() bool { return r.Reason == "" }

// Date returns t's UTC calendar date at midnight.
func Date(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Throughput counts deliveries per calendar day (UTC) over the windowDays days before start's
// date, oldest first; deliveries outside the window are ignored.
func Throughput(delivered []time.Time, start time.Time, windowDays int) []int {
	if windowDays <= 0 {
		return nil
	}
	counts := make([]int, windowDays)
	first := Date(start).Add(-time.Duration(windowDays) * day)
	for _, t := range delivered {
		i := int(Date(t).Sub(first) / day)
		if !t.Before(first) && i < windowDays {
			counts[i]++
		}
	}
	return counts
}

// Simulate runs the Monte Carlo. It never fails: a question it cannot answer (no window, too
// few delivering days, nothing remaining) comes back with Reason set.
func Simulate(in Input) Result {
	trials := in.Trials
	if trials <= 0 {
		trials = DefaultTrials
	}
	res := Result{Remaining: in.Remaining, WindowDays: len(in.Throughput), Trials: trials, Seed: in.Seed}
	for _, n := range in.Throughput {
		if n > 0 {
			res.DeliveringDays++
			res.Delivered += n
		}
	}
	start := Date(in.Start)
	// planDays is how many simulated days fall on or before the planned date: day 1 is start.
	planDays := 0
	if !in.Planned.IsZero() {
		res.HasPlanned = true
		planDays = max(0, int(Date(in.Planned).Sub(start)/day)+1)
	}
	switch {
	case in.Remaining <= 0:
		res.Remaining = 0
		res.Reason = "nothing remaining: every item is done or cancelled"
		res.POnTime = 1
		return res
	case res.DeliveringDays < MinDeliveringDays:
		res.Reason = fmt.Sprintf("too little history: %d day(s) with a delivery in the last %d days, at least %d needed",
			res.DeliveringDays, res.WindowDays, MinDeliveringDays)
		return res
	}

	r := rand.New(rand.NewPCG(in.Seed, 0x7e1ea5e))
	s := newSampler(in.Throughput)
	// finishedOn[d] counts trials that finished on day d (MaxDays+1: beyond the horizon);
	// byPlan counts how many items each trial had delivered by the planned date.
	finishedOn := make([]int, MaxDays+2)
	byPlan := make([]int, in.Remaining+1)
	for range trials {
		done, d := 0, 0
		atPlan := -1
		if planDays == 0 {
			atPlan = 0
		}
		for done < in.Remaining {
			days, n := s.step(r)
			next := d + days
			if atPlan < 0 && planDays < next {
				atPlan = done // the planned day fell among the zero days before next
			}
			if next > MaxDays {
				d = MaxDays + 1
				break
			}
			d = next
			done += n
			if atPlan < 0 && planDays == d {
				atPlan = done
			}
		}
		finishedOn[min(d, MaxDays+1)]++
		if atPlan < 0 {
			atPlan = done // finished before the planned date
		}
		byPlan[min(atPlan, in.Remaining)]++
	}

	res.Beyond = float64(finishedOn[MaxDays+1]) / float64(trials)
	dateOf := func(pct int) time.Time {
		need := (pct*trials + 99) / 100 // ceil(pct% of trials)
		cum := 0
		for d := 1; d <= MaxDays; d++ {
			cum += finishedOn[d]
			if cum >= need {
				return start.Add(time.Duration(d-1) * day)
			}
		}
		return time.Time{}
	}
	res.P50, res.P85, res.P95 = dateOf(50), dateOf(85), dateOf(95)
	if res.HasPlanned {
		onTime := 0
		for d := 1; d <= min(planDays, MaxDays); d++ {
			onTime += finishedOn[d]
		}
		res.POnTime = float64(onTime) / float64(trials)
		// The largest count that at least 85% of trials reach: walking down from the most
		// items, the first count whose trials-at-or-above reach ceil(85%).
		need := (85*trials + 99) / 100
		atLeast := 0
		for k := in.Remaining; k >= 0; k-- {
			atLeast += byPlan[k]
			if atLeast >= need {
				res.HowManyByPlannedP85 = k
				break
			}
		}
	}
	return res
}

// sampler draws a trial's days from a throughput window. Where most days of the window
// deliver, it draws day by day. Where most are zero days, it walks from one delivering day to
// the next instead: the number of zero days before the next delivering day is geometric, drawn
// at once, then that day's count — the same process, at a cost that grows with the deliveries
// rather than the days, so a slow team's long forecast stays fast.
type sampler struct {
	window     []int // every day of the window (day-by-day mode)
	delivering []int // the window's non-zero days (gap mode)
	// upTo[k] = P(at most k zero days before the next delivering day) = 1 − z^(k+1), where z
	// is the share of zero days (gap mode only).
	upTo []float64
	// from[b] is the first k with upTo[k] > b/gapBuckets: where the search for a draw in
	// [b/gapBuckets, (b+1)/gapBuckets) starts (gap mode only).
	from []int32
}

// gapBuckets is how finely sampler.from divides [0, 1): a power of two, so that a draw times
// it is exact.
const gapBuckets = 1024

func newSampler(tp []int) sampler {
	var s sampler
	for _, n := range tp {
		if n > 0 {
			s.delivering = append(s.delivering, n)
		}
	}
	z := float64(len(tp)-len(s.delivering)) / float64(len(tp))
	if z <= 0.5 {
		// Fewer than two draws per delivering day: drawing every day is cheaper.
		s.window = tp
		return s
	}
	// The explicit float64 conversions keep each product rounded on its own (Go may otherwise
	// fuse operations), so the table — and every forecast — is the same on every machine.
	p := z
	for k := 0; k <= MaxDays; k++ {
		s.upTo = append(s.upTo, float64(1-p))
		if p < 1e-17 {
			break
		}
		p = float64(p * z)
	}
	s.from = make([]int32, gapBuckets)
	k := 0
	for b := range s.from {
		for k < len(s.upTo) && !(float64(b)/gapBuckets < s.upTo[k]) {
			k++
		}
		s.from[b] = int32(k)
	}
	return s
}

// step draws the next stretch of a trial: how many days it covers and what its last day
// delivers (day-by-day mode: one day, possibly zero items; gap mode: the zero days and the
// delivering day after them, or more than MaxDays when the draw runs past the horizon).
func (s *sampler) step(r *rand.Rand) (days, items int) {
	if s.window != nil {
		return 1, s.window[r.IntN(len(s.window))]
	}
	return s.gap(r) + 1, s.delivering[r.IntN(len(s.delivering))]
}

// gap draws the number of zero days before the next delivering day: the first k with u <
// upTo[k] for a uniform draw u. upTo only grows, so from the first k of u's bucket on, the
// first such k is the one a binary search over all of upTo finds.
func (s *sampler) gap(r *rand.Rand) int {
	u := r.Float64()
	k := int(s.from[int(u*gapBuckets)])
	for k < len(s.upTo) && !(u < s.upTo[k]) {
		k++
	}
	if k == len(s.upTo) {
		return MaxDays + 1
	}
	return k
}

// CutLine splits items, ordered by priority, into those that fit under n and the rest.
func CutLine[T any](items []T, n int) (fit, rest []T) {
	n = max(0, min(n, len(items)))
	return items[:n], items[n:]
}
