package flow

import (
	"math"
	"math/bits"

	"github.com/netdrill/netdrill/sim"
)

// acc is an exact integral of a whole-number rate (bits/s) over virtual
// time (ns), kept in bit·nanoseconds as a 128-bit unsigned integer. Since
// rates are whole numbers and time is integral, the integral is exact; the
// only rounding happens when it is read out as float64 bytes (relative
// error ≤ 2⁻⁵², i.e. below one byte up to 4 PB).
type acc struct{ hi, lo uint64 }

func (a *acc) add(rate int64, dt sim.Time) {
	if rate <= 0 || dt <= 0 {
		return
	}
	h, l := bits.Mul64(uint64(rate), uint64(dt))
	var c uint64
	a.lo, c = bits.Add64(a.lo, l, 0)
	a.hi, _ = bits.Add64(a.hi, h, c)
}

// bytes returns the integral in bytes (bit·ns / 8e9).
func (a acc) bytes() float64 {
	// Split off whole bytes exactly when the value fits: 8e9 bit·ns = 1 byte.
	const unit = 8_000_000_000
	if a.hi < unit { // quotient fits in 64 bits
		q, r := bits.Div64(a.hi, a.lo, unit)
		return float64(q) + float64(r)/unit
	}
	return (float64(a.hi)*math.Exp2(64) + float64(a.lo)) / unit
}

// plus returns a + rate×dt without changing a (for read-outs between
// recomputes).
func (a acc) plus(rate int64, dt sim.Time) acc {
	a.add(rate, dt)
	return a
}

// quantize rounds a rate to a whole, non-negative number of bits/s.
func quantize(x float64) int64 {
	if !(x > 0) { // also NaN
		return 0
	}
	if x >= 1<<62 {
		return 1 << 62
	}
	return int64(math.Round(x))
}

// split rounds parts to whole numbers whose sum is exactly total (largest
// remainder method; ties go to the lower index), so that a demand's
// delivered and lost rates add up to its offered rate without float noise.
func split(total int64, parts []float64, out []int64) {
	var floorSum int64
	for i, p := range parts {
		f := quantize(math.Floor(math.Max(p, 0)))
		out[i] = f
		floorSum += f
	}
	rem := total - floorSum
	for rem > 0 {
		best, bestFrac := -1, -1.0
		for i, p := range parts {
			fr := p - float64(out[i])
			if fr > bestFrac {
				best, bestFrac = i, fr
			}
		}
		if best < 0 {
			break
		}
		out[best]++
		rem--
	}
	for rem < 0 { // parts summed above total (float noise): take from the largest
		best := 0
		for i := range out {
			if out[i] > out[best] {
				best = i
			}
		}
		if out[best] == 0 {
			break
		}
		d := min(out[best], -rem)
		out[best] -= d
		rem += d
	}
}
