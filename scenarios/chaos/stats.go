package chaos

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Level is the confidence level of every interval.
const Level = 0.95

// Interval is an estimate with its 95% confidence interval [Lo, Hi]. N is
// the number of observations (trials, or failovers for quantiles); with
// fewer than two, or no variation at all, Lo = Hi = Est (see the package
// doc on zero-width intervals).
type Interval struct {
	Est float64 `json:"est"`
	Lo  float64 `json:"lo"`
	Hi  float64 `json:"hi"`
	N   int     `json:"n"`
}

// Straddles reports whether x lies strictly inside the interval: the data
// cannot tell which side of x the truth is on.
func (iv Interval) Straddles(x float64) bool { return iv.Lo < x && x < iv.Hi }

func tQuantile(n int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-Level)/2)
}

func zQuantile() float64 { return distuv.UnitNormal.Quantile(1 - (1-Level)/2) }

// meanCI is the mean of xs with Student's t interval (trials are
// independent and identically distributed). O(n).
func meanCI(xs []float64) Interval {
	n := len(xs)
	if n == 0 {
		return Interval{}
	}
	mean, sd := stat.MeanStdDev(xs, nil)
	if n < 2 || sd == 0 || math.IsNaN(sd) {
		return Interval{Est: mean, Lo: mean, Hi: mean, N: n}
	}
	h := tQuantile(n) * sd / math.Sqrt(float64(n))
	return Interval{Est: mean, Lo: mean - h, Hi: mean + h, N: n}
}

// ratioCI is Σx/Σy over trials with the delta-method (cluster-robust)
// interval of a ratio estimator: var ≈ Σ(x_i − R·y_i)² / ((n−1)·n·ȳ²),
// with Student's t quantile. It is for ratios whose numerator and
// denominator are counted per trial (failovers over X among failovers,
// one component's lost bytes among all lost bytes): what happens inside
// one trial may be correlated, trials are independent. Clamped to [0, 1].
// When every trial gives the same ratio (the numerator is 0 or equals the
// denominator everywhere) and counts are given, it falls back to Wilson's
// score interval over the pooled counts. O(n).
func ratioCI(xs, ys []float64, counts bool) Interval {
	n := len(xs)
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	if n == 0 || sy == 0 {
		return Interval{N: n}
	}
	r := sx / sy
	var ss float64
	for i := range xs {
		d := xs[i] - r*ys[i]
		ss += d * d
	}
	ybar := sy / float64(n)
	if n < 2 || ss == 0 {
		if counts {
			lo, hi := wilson(sx, sy)
			return Interval{Est: r, Lo: lo, Hi: hi, N: n}
		}
		return Interval{Est: r, Lo: r, Hi: r, N: n}
	}
	se := math.Sqrt(ss/float64(n-1)/float64(n)) / ybar
	h := tQuantile(n) * se
	return Interval{Est: r, Lo: max(0, r-h), Hi: min(1, r+h), N: n}
}

// wilson is Wilson's score interval for k successes in n trials.
func wilson(k, n float64) (lo, hi float64) {
	z := zQuantile()
	p := k / n
	den := 1 + z*z/n
	c := (p + z*z/(2*n)) / den
	h := z * math.Sqrt(p*(1-p)/n+z*z/(4*n*n)) / den
	return max(0, c-h), min(1, c+h)
}

// quantileCI is the p-quantile of a histogram (buckets increasing, counts)
// with a distribution-free interval from order statistics: the ranks
// N·p ± z·√(N·p·(1−p)) (the normal approximation of the binomial). Values
// are bucket tops (a bucket spans under 1/64 of its value), so the
// estimate errs high by less than 1.6%. O(buckets).
func quantileCI(hist [][2]int64, total int64, p float64) Interval {
	if total == 0 {
		return Interval{}
	}
	n := float64(total)
	at := func(rank float64) float64 {
		r := int64(math.Ceil(rank))
		r = min(max(r, 1), total)
		var seen int64
		for _, b := range hist {
			seen += b[1]
			if seen >= r {
				return float64(bucketTop(b[0]))
			}
		}
		return float64(bucketTop(hist[len(hist)-1][0]))
	}
	h := zQuantile() * math.Sqrt(n*p*(1-p))
	return Interval{Est: at(n * p), Lo: at(n*p - h), Hi: at(n*p + h + 1), N: int(total)}
}
