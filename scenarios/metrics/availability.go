package metrics

// Availability and the share of lost bytes per fault, for campaigns
// (scenarios/chaos). Both read only a Result.

// FullyDelivered is the tolerance of "fully delivered": a demand is up
// while it delivers at least this fraction of what it offers (the same 1%
// tolerance as "restored" in failover).
const FullyDelivered = 0.99

// UpTime returns the ns of [0, end) during which the demand was fully
// delivered: delivered ≥ FullyDelivered × offered (a demand offering
// nothing is up). Before its first point a demand's rates are 0, so it is
// up. O(len(d.Series)).
func (d Demand) UpTime(end int64) int64 {
	up := int64(0)
	prevT, prevUp := int64(0), true
	for _, p := range d.Series {
		t := min(max(p.T, 0), end)
		if prevUp {
			up += t - prevT
		}
		prevT, prevUp = t, p.Delivered >= FullyDelivered*p.Offered
	}
	if prevUp && end > prevT {
		up += end - prevT
	}
	return up
}

// FaultLoss returns, per fault (aligned with r.Faults), the bytes lost in
// its window divided by the number of faults that share the window
// (faults injected at the same instant share one window and its loss), so
// the values add up to the loss after the first fault: r.Loss.Lost −
// r.Baseline.Lost. Loss in a window belongs to the window's faults even
// when an earlier fault is still down (the window ends at the next
// inject): a ranking by these numbers blames the most recent failure for
// what overlapping failures cost together. O(faults).
func (r *Result) FaultLoss() []float64 {
	out := make([]float64, len(r.Faults))
	for i := 0; i < len(r.Faults); {
		j := i
		for j < len(r.Faults) && r.Faults[j].At == r.Faults[i].At {
			j++
		}
		for k := i; k < j; k++ {
			out[k] = r.Faults[k].Loss.Lost / float64(j-i)
		}
		i = j
	}
	return out
}
