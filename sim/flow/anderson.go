package flow

import "math"

// andersonDepth is how many past steps Anderson acceleration combines.
const andersonDepth = 3

// anderson accelerates the fixed-point iteration x = F(x) of the inelastic
// solver (Anderson acceleration, Walker & Ni 2011, depth andersonDepth):
// instead of x ← F(x), it takes the combination of the last few F values
// whose residuals F(x) − x best cancel, then clamps shares to [0, 1]. When
// the small least-squares system is singular it falls back to x ← F(x).
// Plain iteration converges geometrically, slowly when congested
// resources feed each other in a cycle; acyclic cases converge in the same
// number of rounds either way (their residual reaches exactly 0).
type anderson struct {
	g, f, gPrev, fPrev []float64
	dF, dG             [andersonDepth][]float64
	count, next, k     int
}

func (a *anderson) reset(n int) {
	a.g, a.f = resize(a.g, n), resize(a.f, n)
	a.gPrev, a.fPrev = resize(a.gPrev, n), resize(a.fPrev, n)
	for j := range a.dF {
		a.dF[j], a.dG[j] = resize(a.dF[j], n), resize(a.dG[j], n)
	}
	a.count, a.next, a.k = 0, 0, 0
}

// step takes x and a.g = F(x), writes the next iterate into x and reports
// whether to go on (false: every |F(x) − x| ≤ tol, x left as it was).
func (a *anderson) step(x []float64, tol float64) bool {
	maxRes := 0.0
	for i := range x {
		a.f[i] = a.g[i] - x[i]
		maxRes = math.Max(maxRes, math.Abs(a.f[i]))
	}
	if maxRes <= tol {
		return false
	}
	if a.k > 0 {
		j := a.next
		for i := range x {
			a.dF[j][i] = a.f[i] - a.fPrev[i]
			a.dG[j][i] = a.g[i] - a.gPrev[i]
		}
		a.next = (a.next + 1) % andersonDepth
		a.count = min(a.count+1, andersonDepth)
	}
	a.k++
	copy(a.fPrev, a.f)
	copy(a.gPrev, a.g)

	var gamma [andersonDepth]float64
	if m := a.count; m > 0 && a.solve(m, &gamma) {
		for i := range x {
			v := a.g[i]
			for j := range m {
				v -= gamma[j] * a.dG[j][i]
			}
			x[i] = min(max(v, 0), 1)
		}
		return true
	}
	copy(x, a.g)
	return true
}

// solve finds γ minimising ‖f − ΣγⱼdFⱼ‖ by the normal equations and
// Gaussian elimination with partial pivoting; false when singular.
func (a *anderson) solve(m int, gamma *[andersonDepth]float64) bool {
	var A [andersonDepth][andersonDepth + 1]float64
	for p := range m {
		for q := p; q < m; q++ {
			var s float64
			for i, v := range a.dF[p] {
				s += v * a.dF[q][i]
			}
			A[p][q], A[q][p] = s, s
		}
		var s float64
		for i, v := range a.dF[p] {
			s += v * a.f[i]
		}
		A[p][m] = s
	}
	scale := 0.0
	for p := range m {
		scale = math.Max(scale, A[p][p])
	}
	if !(scale > 0) {
		return false
	}
	for c := range m {
		piv := c
		for r := c + 1; r < m; r++ {
			if math.Abs(A[r][c]) > math.Abs(A[piv][c]) {
				piv = r
			}
		}
		if math.Abs(A[piv][c]) <= 1e-14*scale {
			return false
		}
		A[c], A[piv] = A[piv], A[c]
		for r := c + 1; r < m; r++ {
			f := A[r][c] / A[c][c]
			for k := c; k <= m; k++ {
				A[r][k] -= f * A[c][k]
			}
		}
	}
	for r := m - 1; r >= 0; r-- {
		v := A[r][m]
		for k := r + 1; k < m; k++ {
			v -= A[r][k] * gamma[k]
		}
		gamma[r] = v / A[r][r]
		if math.IsNaN(gamma[r]) || math.IsInf(gamma[r], 0) {
			return false
		}
	}
	return true
}
