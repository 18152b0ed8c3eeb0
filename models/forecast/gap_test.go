package forecast

import (
	"math/rand/v2"
	"testing"
)

// TestGapIsTheBinarySearch: the bucketed walk of sampler.gap finds, for every draw, the first
// k with u < upTo[k] (MaxDays+1 past the table), as a binary search over the whole table
// does — on random sparse windows, with draws at the top of [0, 1) among them.
func TestGapIsTheBinarySearch(t *testing.T) {
	search := func(s *sampler, u float64) int {
		lo, hi := 0, len(s.upTo)
		for lo < hi {
			m := (lo + hi) / 2
			if u < s.upTo[m] {
				hi = m
			} else {
				lo = m + 1
			}
		}
		if lo == len(s.upTo) {
			return MaxDays + 1
		}
		return lo
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		tp := make([]int, 2+r.IntN(400))
		for range 1 + r.IntN(max(1, len(tp)/2)) {
			tp[r.IntN(len(tp))] = 1 + r.IntN(5)
		}
		s := newSampler(tp)
		if s.upTo == nil {
			continue // day-by-day mode
		}
		for i := range 3000 {
			bits := r.Uint64() >> 11
			if i < 20 {
				bits = 1<<53 - 1 - uint64(i) // the largest draws
			}
			u := float64(bits) / (1 << 53)
			if got, want := s.gap(rand.New(fixed(bits))), search(&s, u); got != want {
				t.Fatalf("window %v, u = %v: gap %d, binary search %d", tp, u, got, want)
			}
		}
	}
}

// fixed is a random source that always returns the same 53 bits (Rand.Float64 keeps them).
type fixed uint64

func (f fixed) Uint64() uint64 { return uint64(f) }
